/* What the language server's files share: positions (lsp_pos.c), open
 * documents and their analyses (lsp_docs.c), the features (lsp_features.c)
 * and the transport (lsp.c). */
#ifndef APIC_LSP_INT_H
#define APIC_LSP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "ast.h"

/* ---- positions: protocol (line, character) <-> byte offsets ---- */

/* A line-start index of a text (not owned). */
struct lsp_lines {
	const char *data;
	size_t len;
	uint32_t *starts;
	size_t n;
};

void lsp_lines_init(struct lsp_lines *l, const char *data, size_t len);
void lsp_lines_free(struct lsp_lines *l);
/* The byte offset of a position, clamped into its line (a character past
 * the end of the line is its end; a line past the end is the end). With
 * utf8 false, characters are UTF-16 code units. */
size_t lsp_pos_to_off(const struct lsp_lines *l, int64_t line, int64_t ch, bool utf8);
void lsp_off_to_pos(const struct lsp_lines *l, size_t off, unsigned *line, unsigned *ch, bool utf8);
/* {"line":L,"character":C} and {"start":...,"end":...}. */
json_object *lsp_json_pos(const struct lsp_lines *l, size_t off, bool utf8);
json_object *lsp_json_range(const struct lsp_lines *l, size_t off, size_t len, bool utf8);
/* Reads a Position object; false if malformed. */
bool lsp_get_pos(json_object *pos, int64_t *line, int64_t *ch);

/* file:// URIs and paths (malloc'd results; NULL if not a file URI). */
char *lsp_uri_to_path(const char *uri);
char *lsp_path_to_uri(const char *path);

/* ---- documents ---- */

struct lsp_diag;

/* One analysis of a document as the root schema: load (the editor's text
 * of open files), check, C names; what the features look at. */
struct lsp_analysis {
	struct arena *arena;
	struct source_table *src;
	struct diag_ctx *diag;
	struct ast_schema *schema;  /* possibly partial, never NULL */
	struct lsp_diag *diags;     /* collected, in source order */
	size_t ndiags, cap;
	struct lsp_lines *lines;    /* of each file, built when first asked for */
	size_t nlines;
};

struct lsp_doc {
	struct lsp_doc *next;
	char *uri;
	char *path;                 /* the file it names, or the URI itself */
	char *real;                 /* realpath, or NULL if not on disk */
	char *text;
	size_t len;
	int64_t version;
	struct lsp_analysis *an;    /* the latest analysis, or NULL */
	bool dirty;                 /* changed since: lsp_docs_flush() analyses it */
	char **published;           /* URIs of imported files given diagnostics */
	size_t npublished;
};

struct lsp_server {
	bool utf8;                  /* positionEncoding "utf-8" negotiated */
	bool initialized, shutdown;
	struct lsp_doc *docs;
	void (*send)(struct lsp_server *s, json_object *msg); /* takes msg */
};

struct lsp_doc *lsp_doc_find(struct lsp_server *s, const char *uri);
/* didOpen / didChange / didClose / didSave: params of the notification.
 * Each re-analyses and publishes diagnostics. */
void lsp_did_open(struct lsp_server *s, json_object *params);
void lsp_did_change(struct lsp_server *s, json_object *params);
void lsp_did_close(struct lsp_server *s, json_object *params);
void lsp_did_save(struct lsp_server *s, json_object *params);
void lsp_docs_free(struct lsp_server *s);
/* Analyses every changed document and publishes its diagnostics. */
void lsp_docs_flush(struct lsp_server *s);
/* The file of an analysis's source table a document is (its root: 0). */
uint32_t lsp_doc_file(const struct lsp_doc *d);
/* The text and URI of file `id` of an analysis (malloc'd URI). */
const char *lsp_file_text(const struct lsp_analysis *an, uint32_t id, size_t *len);
char *lsp_file_uri(const struct lsp_analysis *an, uint32_t id);
/* The URI of file `id` of doc's analysis: doc's own for 0, an open
 * document's (*open set) for a file that is open, else from its path. */
char *lsp_uri_of(struct lsp_server *s, struct lsp_doc *doc, uint32_t id, bool *open);
/* The line index of file `id` (kept with the analysis). */
const struct lsp_lines *lsp_file_lines(struct lsp_analysis *an, uint32_t id);

/* ---- features: each returns the result (NULL: JSON null), or sets
 * *err to a JSON-RPC error code and *msg ---- */

json_object *lsp_definition(struct lsp_server *s, json_object *params);
json_object *lsp_references(struct lsp_server *s, json_object *params);
json_object *lsp_hover(struct lsp_server *s, json_object *params);
json_object *lsp_completion(struct lsp_server *s, json_object *params);
json_object *lsp_prepare_rename(struct lsp_server *s, json_object *params, int *err, const char **msg);
json_object *lsp_rename(struct lsp_server *s, json_object *params, int *err, const char **msg);
json_object *lsp_symbols(struct lsp_server *s, json_object *params);
json_object *lsp_formatting(struct lsp_server *s, json_object *params);

/* json-c helpers */
const char *lsp_str(json_object *o, const char *key);
json_object *lsp_get(json_object *o, const char *key);

#endif
