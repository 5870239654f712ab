/* What lsp_features.c and lsp_complete.c share: the occurrences of names
 * in an AST, the cursor, a growing string. */
#ifndef APIC_LSP_FEAT_H
#define APIC_LSP_FEAT_H

#include "lsp_int.h"

enum occ_kind { OCC_MODEL, OCC_ENUM, OCC_SECURITY, OCC_FIELD, OCC_MEMBER, OCC_IMPORT, OCC_PARAM, OCC_UNION };

/* A declaration (decl) or a use of a name; `node` is the declaration
 * (struct ast_model, ast_enum, ...; the import for OCC_IMPORT). */
struct occ {
	enum occ_kind kind;
	bool decl;
	struct apic_loc loc;
	const char *name;
	const void *node;
	const struct ast_model *owner;  /* OCC_FIELD */
};

struct walk;
void lsp_walk(const struct ast_schema *s, void (*fn)(struct walk *, const struct occ *), void *ctx);
struct ast_model *lsp_find_model(const struct ast_schema *s, const char *name);
struct ast_enum *lsp_find_enum(const struct ast_schema *s, const char *name);
const struct ast_enum *lsp_type_enum(const struct ast_schema *s, const struct ast_type *t);

/* The document, its analysis and the cursor's byte offset in its text. */
struct lsp_at {
	struct lsp_doc *doc;
	struct lsp_analysis *an;
	const struct lsp_lines *lines; /* of the analysed text */
	size_t off;
};
bool lsp_at(struct lsp_server *s, json_object *params, struct lsp_at *at);

struct lsp_buf {
	char *p;
	size_t len, cap;
};
void lsp_buf_put(struct lsp_buf *b, const char *s);
void lsp_buf_printf(struct lsp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A type in apic syntax, constraints included. */
void lsp_put_type(struct lsp_buf *b, const struct ast_type *t);

#endif
