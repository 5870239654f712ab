/* The emitters' entry points, called by main.c after a schema checked clean. */
#ifndef APIC_EMIT_H
#define APIC_EMIT_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "names.h"

struct emit_opts {
	const char *schema_path;   /* as given on the command line, for the banner */
	const char *outdir;        /* output directory, "." by default */
	const char *name;          /* NAME: output file names and C identifier prefix */
	const char *depfile;       /* --depfile FILE, or NULL */
	const char *const *deps;   /* the schema and every file it imports, in order */
	size_t ndeps;
	bool quiet;                /* do not print which handlers are new */
	bool no_main;              /* NAME_handlers.c without main(): it lives elsewhere */
	size_t unit_ops;           /* operations per NAME_opsK.c; 0: all in NAME.c */
	struct names *names;       /* the C names of the schema, names_check()ed clean */
};

/* One response an operation's document lists. */
struct openapi_response {
	int status;
	unsigned media;     /* APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM bodies listed, 0: none */
	bool error_ref;     /* the application/json schema is the `errors` model's
			     * $ref or has it among its anyOf branches */
};

/* An operation's responses, by status as the document lists them. */
struct openapi_op_responses {
	const struct openapi_response *v;
	size_t n;
};

struct openapi_doc {
	char *text;                        /* JSON ending in a newline, NUL-terminated */
	size_t len;
	struct openapi_op_responses *ops;  /* one per operation, in schema order */
	size_t nops;
	struct openapi_response *responses;/* what ops[].v point into */
};

/* The OpenAPI 3.1 document of the schema into *doc (free it with
 * openapi_doc_free); false after reporting a diagnostic. */
bool emit_openapi(const struct ast_schema *s, struct diag_ctx *d, struct openapi_doc *doc);
void openapi_doc_free(struct openapi_doc *doc);

/* The AsyncAPI 3.0.0 document of the schema's WebSockets and event streams
 * (docs/asyncapi.md): JSON ending in a newline, NUL-terminated, into *text
 * (free() it), its length into *len; false after reporting a diagnostic. */
bool emit_asyncapi(const struct ast_schema *s, struct diag_ctx *d, char **text, size_t *len);

/* Writes NAME.h, NAME.c, NAME.openapi.json and, when absent, NAME_handlers.c
 * into opts->outdir, each only when its content changed; then the depfile.
 * `doc` is emit_openapi()'s: NAME.c embeds its text and holds replies to its
 * operations' responses. Returns 0, or -1 after reporting. */
int emit_c(const struct ast_schema *s, const struct emit_opts *opts,
	   const struct openapi_doc *doc, struct diag_ctx *d);

/* Writes NAME.client.ts, the TypeScript client (docs/clients.md), into
 * opts->outdir when its content changed; `doc` is emit_openapi()'s, whose
 * responses the client's results list. Returns 0, or -1 after reporting. */
int emit_ts(const struct ast_schema *s, const struct emit_opts *opts,
	    const struct openapi_doc *doc, struct diag_ctx *d);
/* `apic generate --client c`: NAME.client.h and NAME.client.c, the typed
 * C client of the schema's operations over NAME.h's types and NAME.c's
 * descriptors (docs/clients.md), then the depfile. 0, or -1 after
 * reporting. */
int emit_c_client(const struct ast_schema *s, const struct emit_opts *opts,
		  const struct openapi_doc *doc, struct diag_ctx *d);

#endif
