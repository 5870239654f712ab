/* Ownership helpers: per model a deep copy (strings, arrays, maps, nested
 * models) into a caller's allocator, P_m__copy / __dup / __copy_array, and
 * the frees that match a heap copy, P_m__free_members / __free /
 * __free_array; per enum its name and parse. They are generated from the
 * model, so they follow it as it grows: a user never keeps a copy routine
 * in step by hand.
 *
 * The copying itself is libapic's, read from the model's descriptor. */
#include "emit_owning.h"

#include <stdarg.h>
#include <stdio.h>


struct ow {
	struct out_buf *b;
	struct names *n;
};

static void ln(struct ow *w, int ind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void ln(struct ow *w, int ind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_vline(w->b, ind, fmt, ap);
	va_end(ap);
}

/* Each function hands the model's descriptor to libapic (desc_owning.c). */
static void model_fns(struct ow *w, const struct ast_model *m)
{
	struct names *n = w->n;
	const char *self = names_model(n, m);
	const char *desc = names_model_fn(n, m, "model");
	ln(w, 0, "int %s(struct %s *dst, const struct %s *src, const struct apic_allocator *a)",
	   names_model_fn(n, m, "copy"), self, self);
	ln(w, 0, "{");
	ln(w, 1, "return apic_model_copy(&%s, dst, src, a);", desc);
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
	ln(w, 0, "struct %s *%s(const struct %s *src, const struct apic_allocator *a)", self,
	   names_model_fn(n, m, "dup"), self);
	ln(w, 0, "{");
	ln(w, 1, "return apic_model_dup(&%s, src, a);", desc);
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
	ln(w, 0, "int %s(struct %s **dst, const struct %s *src, size_t count, const struct apic_allocator *a)",
	   names_model_fn(n, m, "copy_array"), self, self);
	ln(w, 0, "{");
	ln(w, 1, "void *v;");
	ln(w, 1, "int r = apic_model_copy_array(&%s, &v, src, count, a);", desc);
	ln(w, 1, "*dst = v;");
	ln(w, 1, "return r;");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
	static const char *const frees[] = { "free_members", "free" };
	for (int k = 0; k < 2; k++) {
		ln(w, 0, "void %s(struct %s *v)", names_model_fn(n, m, frees[k]), self);
		ln(w, 0, "{");
		ln(w, 1, "apic_model_%s(&%s, v);", frees[k], desc);
		ln(w, 0, "}");
		ln(w, 0, "%s", "");
	}
	ln(w, 0, "void %s(struct %s *v, size_t count)", names_model_fn(n, m, "free_array"), self);
	ln(w, 0, "{");
	ln(w, 1, "apic_model_free_array(&%s, v, count);", desc);
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
	struct ow w = { b, n };
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
	struct ow w = { b, n };
	for (const struct ast_enum *en = s->enums; en; en = en->next)
		enum_fns(&w, en);
	for (const struct ast_model *m = s->models; m; m = m->next)
		model_fns(&w, m);
}
