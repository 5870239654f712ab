/* Ownership helpers: per model a deep copy (strings, arrays, maps, nested
 * models) into a caller's allocator, P_m__copy / __dup / __copy_array, and
 * the frees that match a heap copy, P_m__free_members / __free /
 * __free_array; per enum its name and parse. They are generated from the
 * model, so they follow it as it grows: a user never keeps a copy routine
 * in step by hand.
 *
 * A copy first takes every member by assignment, then clears each owning
 * member (a string's pointer, a model pointer, an array) before filling it
 * in: when memory runs out half-way, every pointer of the copy is either
 * its own or NULL, so the heap copy can be freed and nothing of the source
 * is ever freed. */
#include "emit_owning.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "c_names.h"

struct ow {
	struct out_buf *b;
	struct names *n;
	unsigned tmp;
};

static void ln(struct ow *w, int ind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void ln(struct ow *w, int ind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_vline(w->b, ind, fmt, ap);
	va_end(ap);
}

/* Whether a value of `t` holds memory of its own. */
static bool owns(const struct ast_type *t)
{
	switch (t->kind) {
	case TYPE_PRIM:
		return t->prim == PRIM_STRING;
	case TYPE_NAMED:
		return t->model != NULL;
	case TYPE_ARRAY:
	case TYPE_MAP:
		return true;
	}
	return false;
}

/* The pointer and count expressions of an array or map value `v`: members
 * inline at the top (a field, a map entry's value), or its aux struct. */
static void seq(struct ow *w, const struct ast_type *t, const char *v, bool top,
		const char **ptr, const char **count)
{
	if (top) {
		*ptr = v;
		*count = names_fmt(w->n, "%s_count", v);
	} else {
		*ptr = names_fmt(w->n, "%s.%s", v, t->kind == TYPE_ARRAY ? "items" : "entries");
		*count = names_fmt(w->n, "%s.count", v);
	}
}

/* "T *name" without a blank between '*'s. */
static const char *decl(struct ow *w, const char *type, const char *name)
{
	size_t len = strlen(type);
	return names_fmt(w->n, "%s%s*%s", type, len && type[len - 1] == '*' ? "" : " ", name);
}

static void clear(struct ow *w, int ind, const struct ast_type *t, const char *v, bool top)
{
	const char *ptr, *count;
	if (t->kind == TYPE_PRIM) {
		ln(w, ind, "%s.ptr = NULL;", v);
	} else if (t->kind == TYPE_NAMED) {
		ln(w, ind, "%s = NULL;", v);
	} else {
		seq(w, t, v, top, &ptr, &count);
		ln(w, ind, "%s = NULL;", ptr);
	}
}

static void fill(struct ow *w, int ind, const struct ast_type *t, const char *stem, const char *dst,
		 const char *src, bool top);

/* An array or map: a new block of elements, each copied. */
static void fill_seq(struct ow *w, int ind, const struct ast_type *t, const char *stem,
		     const char *dst, const char *src, bool top)
{
	struct names *n = w->n;
	const char *dptr, *dcount, *sptr, *scount;
	seq(w, t, dst, top, &dptr, &dcount);
	seq(w, t, src, top, &sptr, &scount);
	bool map = t->kind == TYPE_MAP;
	const char *estem = names_aux(n, stem, map ? "entry" : "item");
	const char *etype = map ? names_fmt(n, "struct %s", estem) : emit_c_type(n, t->elem, estem);
	unsigned k = w->tmp++;
	const char *v = names_fmt(n, "v%u", k), *i = names_fmt(n, "i%u", k);
	ln(w, ind, "if (%s != NULL && %s != 0) {", sptr, scount);
	ln(w, ind + 1, "if (%s > SIZE_MAX / sizeof *%s)", scount, sptr);
	ln(w, ind + 2, "return -1;");
	ln(w, ind + 1, "%s = a->alloc(a->cls, %s * sizeof *%s);", decl(w, etype, v), scount, v);
	ln(w, ind + 1, "if (%s == NULL)", v);
	ln(w, ind + 2, "return -1;");
	ln(w, ind + 1, "%s = %s;", dptr, v);
	if (!map && !owns(t->elem)) {
		ln(w, ind + 1, "memcpy(%s, %s, %s * sizeof *%s);", v, sptr, scount, v);
		ln(w, ind, "}");
		return;
	}
	ln(w, ind + 1, "for (size_t %s = 0; %s < %s; %s++) {", i, i, scount, i);
	const char *de = names_fmt(n, "%s[%s]", v, i), *se = names_fmt(n, "%s[%s]", sptr, i);
	ln(w, ind + 2, "%s = %s;", de, se);
	if (map) {
		const char *dv = names_fmt(n, "%s.value", de), *sv = names_fmt(n, "%s.value", se);
		ln(w, ind + 2, "%s.key.ptr = NULL;", de);
		if (owns(t->elem))
			clear(w, ind + 2, t->elem, dv, true);
		ln(w, ind + 2, "%s.key.ptr = %s.key.ptr;", de, se);
		ln(w, ind + 2, "if (apic_copy_str(&%s.key, a) != 0)", de);
		ln(w, ind + 3, "return -1;");
		if (owns(t->elem))
			fill(w, ind + 2, t->elem, names_aux(n, stem, "value"), dv, sv, true);
	} else {
		clear(w, ind + 2, t->elem, de, false);
		fill(w, ind + 2, t->elem, estem, de, se, false);
	}
	ln(w, ind + 1, "}");
	ln(w, ind, "}");
}

/* Statements filling the cleared owning value `dst` from `src`. */
static void fill(struct ow *w, int ind, const struct ast_type *t, const char *stem, const char *dst,
		 const char *src, bool top)
{
	if (t->kind == TYPE_PRIM) {
		ln(w, ind, "%s.ptr = %s.ptr;", dst, src);
		ln(w, ind, "if (apic_copy_str(&%s, a) != 0)", dst);
		ln(w, ind + 1, "return -1;");
	} else if (t->kind == TYPE_NAMED) {
		ln(w, ind, "if (%s != NULL && (%s = %s(%s, a)) == NULL)", src, dst,
		   names_model_fn(w->n, t->model, "dup"), src);
		ln(w, ind + 1, "return -1;");
	} else {
		fill_seq(w, ind, t, stem, dst, src, top);
	}
}

/* Statements freeing what a heap copy put into the value `v`. */
static void release(struct ow *w, int ind, const struct ast_type *t, const char *v, bool top)
{
	struct names *n = w->n;
	if (t->kind == TYPE_PRIM) {
		ln(w, ind, "free((void *)%s.ptr);", v);
		return;
	}
	if (t->kind == TYPE_NAMED) {
		ln(w, ind, "%s((struct %s *)%s);", names_model_fn(n, t->model, "free"),
		   names_model(n, t->model), v);
		return;
	}
	const char *ptr, *count;
	seq(w, t, v, top, &ptr, &count);
	bool map = t->kind == TYPE_MAP;
	if (map || owns(t->elem)) {
		const char *i = names_fmt(n, "i%u", w->tmp++);
		const char *e = names_fmt(n, "%s[%s]", ptr, i);
		ln(w, ind, "for (size_t %s = 0; %s != NULL && %s < %s; %s++) {", i, ptr, i, count, i);
		if (map) {
			ln(w, ind + 1, "free((void *)%s.key.ptr);", e);
			if (owns(t->elem))
				release(w, ind + 1, t->elem, names_fmt(n, "%s.value", e), true);
		} else {
			release(w, ind + 1, t->elem, e, false);
		}
		ln(w, ind, "}");
	}
	ln(w, ind, "free((void *)%s);", ptr);
}

static void model_fns(struct ow *w, const struct ast_model *m)
{
	struct names *n = w->n;
	const char *self = names_model(n, m);
	bool any = false;
	for (const struct ast_field *f = m->fields; f; f = f->next)
		any |= owns(f->type);

	ln(w, 0, "static int %s(struct %s *dst, const struct %s *src, const struct apic_allocator *a)",
	   names_model_fn(n, m, "copy_members"), self, self);
	ln(w, 0, "{");
	ln(w, 1, "*dst = *src;");
	if (!any)
		ln(w, 1, "(void)a;");
	for (const struct ast_field *f = m->fields; f; f = f->next)
		if (owns(f->type))
			clear(w, 1, f->type, names_fmt(n, "dst->%s", names_field(n, f)), true);
	for (const struct ast_field *f = m->fields; f; f = f->next)
		if (owns(f->type))
			fill(w, 1, f->type, names_field_stem(n, m, f), names_fmt(n, "dst->%s", names_field(n, f)),
			     names_fmt(n, "src->%s", names_field(n, f)), true);
	ln(w, 1, "return 0;");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");

	ln(w, 0, "int %s(struct %s *dst, const struct %s *src, const struct apic_allocator *a)",
	   names_model_fn(n, m, "copy"), self, self);
	ln(w, 0, "{");
	ln(w, 1, "if (%s(dst, src, a) == 0)", names_model_fn(n, m, "copy_members"));
	ln(w, 2, "return 0;");
	ln(w, 1, "if (a->heap)");
	ln(w, 2, "%s(dst);", names_model_fn(n, m, "free_members"));
	ln(w, 1, "memset(dst, 0, sizeof *dst);");
	ln(w, 1, "return -1;");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");

	ln(w, 0, "struct %s *%s(const struct %s *src, const struct apic_allocator *a)", self,
	   names_model_fn(n, m, "dup"), self);
	ln(w, 0, "{");
	ln(w, 1, "struct %s *d = a->alloc(a->cls, sizeof *d);", self);
	ln(w, 1, "if (d != NULL && %s(d, src, a) != 0) {", names_model_fn(n, m, "copy"));
	ln(w, 2, "if (a->heap)");
	ln(w, 3, "free(d);");
	ln(w, 2, "d = NULL;");
	ln(w, 1, "}");
	ln(w, 1, "return d;");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");

	ln(w, 0, "int %s(struct %s **dst, const struct %s *src, size_t count, const struct apic_allocator *a)",
	   names_model_fn(n, m, "copy_array"), self, self);
	ln(w, 0, "{");
	ln(w, 1, "*dst = NULL;");
	ln(w, 1, "if (count == 0)");
	ln(w, 2, "return 0;");
	ln(w, 1, "if (count > SIZE_MAX / sizeof **dst)");
	ln(w, 2, "return -1;");
	ln(w, 1, "struct %s *v = a->alloc(a->cls, count * sizeof *v);", self);
	ln(w, 1, "if (v == NULL)");
	ln(w, 2, "return -1;");
	ln(w, 1, "for (size_t i = 0; i < count; i++)");
	ln(w, 2, "if (%s(&v[i], &src[i], a) != 0) {", names_model_fn(n, m, "copy"));
	ln(w, 3, "if (a->heap)");
	ln(w, 4, "%s(v, i);", names_model_fn(n, m, "free_array"));
	ln(w, 3, "return -1;");
	ln(w, 2, "}");
	ln(w, 1, "*dst = v;");
	ln(w, 1, "return 0;");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");

	ln(w, 0, "void %s(struct %s *v)", names_model_fn(n, m, "free_members"), self);
	ln(w, 0, "{");
	ln(w, 1, "if (v == NULL)");
	ln(w, 2, "return;");
	for (const struct ast_field *f = m->fields; f; f = f->next)
		if (owns(f->type))
			release(w, 1, f->type, names_fmt(n, "v->%s", names_field(n, f)), true);
	ln(w, 0, "}");
	ln(w, 0, "%s", "");

	ln(w, 0, "void %s(struct %s *v)", names_model_fn(n, m, "free"), self);
	ln(w, 0, "{");
	ln(w, 1, "%s(v);", names_model_fn(n, m, "free_members"));
	ln(w, 1, "free(v);");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");

	ln(w, 0, "void %s(struct %s *v, size_t count)", names_model_fn(n, m, "free_array"), self);
	ln(w, 0, "{");
	ln(w, 1, "for (size_t i = 0; v != NULL && i < count; i++)");
	ln(w, 2, "%s(&v[i]);", names_model_fn(n, m, "free_members"));
	ln(w, 1, "free(v);");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
}

static void enum_fns(struct ow *w, const struct ast_enum *en)
{
	struct names *n = w->n;
	ln(w, 0, "const char *%s(enum %s v)", names_enum_fn(n, en, "name"), names_enum(n, en));
	ln(w, 0, "{");
	ln(w, 1, "switch (v) {");
	for (const struct ast_enum_member *m = en->members; m; m = m->next) {
		ln(w, 1, "case %s:", names_enum_const(n, en, m));
		struct out_buf lit;
		out_init(&lit);
		out_puts(&lit, "\"");
		for (const unsigned char *p = (const unsigned char *)m->name; *p; p++) {
			if (*p == '"' || *p == '\\')
				out_put(&lit, "\\", 1);
			if (*p < 0x20 || *p >= 0x7f)
				out_printf(&lit, "\\%03o", *p);
			else
				out_put(&lit, (const char *)p, 1);
		}
		out_puts(&lit, "\"");
		ln(w, 2, "return %s;", lit.p);
		out_free(&lit);
	}
	ln(w, 1, "case %s:", names_enum_unset(n, en));
	ln(w, 2, "break;");
	ln(w, 1, "}");
	ln(w, 1, "return NULL;");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
}

void emit_owning_decls(struct out_buf *b, struct names *n, const struct ast_schema *s)
{
	struct ow w = { b, n, 0 };
	if (s->enums)
		ln(&w, 0, "/* Enum members by name (libapic(3), OWNERSHIP): __name() is NULL for\n"
			  " * __UNSET, __parse() gives __UNSET for a name that is no member. */");
	for (const struct ast_enum *en = s->enums; en; en = en->next) {
		const char *tag = names_enum(n, en);
		ln(&w, 0, "const char *%s(enum %s v);", names_enum_fn(n, en, "name"), tag);
		ln(&w, 0, "enum %s %s(const char *s, size_t n);", tag, names_enum_fn(n, en, "parse"));
	}
	if (s->enums)
		ln(&w, 0, "%s", "");
	if (!s->models)
		return;
	ln(&w, 0, "/* Deep copies, to keep a model past the request (libapic(3), OWNERSHIP):\n"
		  " * into apic_ctx_allocator(ctx) (until the reply is sent) or\n"
		  " * &apic_heap_allocator (until __free / __free_members / __free_array).\n"
		  " * __copy and __copy_array return 0, or -1 when out of memory (nothing is\n"
		  " * left to free then); __dup returns NULL then. */");
	for (const struct ast_model *m = s->models; m; m = m->next) {
		const char *self = names_model(n, m);
		ln(&w, 0, "int %s(struct %s *dst, const struct %s *src, const struct apic_allocator *a);",
		   names_model_fn(n, m, "copy"), self, self);
		ln(&w, 0, "struct %s *%s(const struct %s *src, const struct apic_allocator *a);", self,
		   names_model_fn(n, m, "dup"), self);
		ln(&w, 0, "int %s(struct %s **dst, const struct %s *src, size_t count, const struct apic_allocator *a);",
		   names_model_fn(n, m, "copy_array"), self, self);
		ln(&w, 0, "void %s(struct %s *v);", names_model_fn(n, m, "free_members"), self);
		ln(&w, 0, "void %s(struct %s *v);", names_model_fn(n, m, "free"), self);
		ln(&w, 0, "void %s(struct %s *v, size_t count);", names_model_fn(n, m, "free_array"), self);
	}
	ln(&w, 0, "%s", "");
}

void emit_owning_defs(struct out_buf *b, struct names *n, const struct ast_schema *s)
{
	struct ow w = { b, n, 0 };
	for (const struct ast_enum *en = s->enums; en; en = en->next)
		enum_fns(&w, en);
	for (const struct ast_model *m = s->models; m; m = m->next)
		model_fns(&w, m);
}
