/* Ownership helpers: per model a deep copy (strings, arrays, maps, nested
 * models) into a caller's allocator, P_m__copy / __dup / __copy_array, and
 * the frees that match a heap copy, P_m__free_members / __free /
 * __free_array; per enum its name and parse, all static inline in NAME.h.
 * They are generated from the
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

/* Each function hands the model's descriptor to libapic (desc_owning.c):
 * static inline in NAME.h, so that only the code calling one compiles it. */
static void model_fns(struct ow *w, const struct ast_model *m)
{
	struct names *n = w->n;
	const char *self = names_model(n, m);
	const char *desc = names_model_fn(n, m, "model");
	ln(w, 0, "static inline int %s(struct %s *dst, const struct %s *src, const struct apic_allocator *a)",
	   names_model_fn(n, m, "copy"), self, self);
	ln(w, 0, "{");
	ln(w, 1, "return apic_model_copy(&%s, dst, src, a);", desc);
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
	ln(w, 0, "static inline struct %s *%s(const struct %s *src, const struct apic_allocator *a)", self,
	   names_model_fn(n, m, "dup"), self);
	ln(w, 0, "{");
	ln(w, 1, "return (struct %s *)apic_model_dup(&%s, src, a);", self, desc);
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
	ln(w, 0, "static inline int %s(struct %s **dst, const struct %s *src, size_t count, const struct apic_allocator *a)",
	   names_model_fn(n, m, "copy_array"), self, self);
	ln(w, 0, "{");
	ln(w, 1, "void *v;");
	ln(w, 1, "int r = apic_model_copy_array(&%s, &v, src, count, a);", desc);
	ln(w, 1, "*dst = (struct %s *)v;", self);
	ln(w, 1, "return r;");
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
	static const char *const frees[] = { "free_members", "free" };
	for (int k = 0; k < 2; k++) {
		ln(w, 0, "static inline void %s(struct %s *v)", names_model_fn(n, m, frees[k]), self);
		ln(w, 0, "{");
		ln(w, 1, "apic_model_%s(&%s, v);", frees[k], desc);
		ln(w, 0, "}");
		ln(w, 0, "%s", "");
	}
	ln(w, 0, "static inline void %s(struct %s *v, size_t count)", names_model_fn(n, m, "free_array"), self);
	ln(w, 0, "{");
	ln(w, 1, "apic_model_free_array(&%s, v, count);", desc);
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
}

/* __name and __parse read the enum's descriptor (its names table). */
static void enum_fns(struct ow *w, const struct ast_enum *en)
{
	struct names *n = w->n;
	const char *tag = names_enum(n, en);
	const char *desc = names_enum_fn(n, en, "desc");
	ln(w, 0, "static inline const char *%s(enum %s v)", names_enum_fn(n, en, "name"), tag);
	ln(w, 0, "{");
	ln(w, 1, "return apic_enum_name(&%s, (int)v);", desc);
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
	ln(w, 0, "static inline enum %s %s(const char *s, size_t n)", tag, names_enum_fn(n, en, "parse"));
	ln(w, 0, "{");
	ln(w, 1, "return (enum %s)apic_enum_parse(&%s, s, n);", tag, desc);
	ln(w, 0, "}");
	ln(w, 0, "%s", "");
}

/* After the descriptors' extern declarations. */
void emit_owning_decls(struct out_buf *b, struct names *n, const struct ast_schema *s)
{
	struct ow w = { b, n };
	if (s->enums)
		ln(&w, 0, "/* Enum members by name (libapic(3), OWNERSHIP): __name() is NULL for\n"
			  " * __UNSET, __parse() gives __UNSET for a name that is no member. */");
	for (const struct ast_enum *en = s->enums; en; en = en->next)
		enum_fns(&w, en);
	if (!s->models)
		return;
	ln(&w, 0, "/* Deep copies, to keep a model past the request (libapic(3), OWNERSHIP):\n"
		  " * into apic_ctx_allocator(ctx) (until the reply is sent) or\n"
		  " * &apic_heap_allocator (until __free / __free_members / __free_array).\n"
		  " * __copy and __copy_array return 0, or -1 when out of memory (nothing is\n"
		  " * left to free then); __dup returns NULL then. */");
	for (const struct ast_model *m = s->models; m; m = m->next)
		model_fns(&w, m);
}
