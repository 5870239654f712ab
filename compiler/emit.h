/* The emitters' entry points, called by main.c after a schema checked clean. */
#ifndef APIC_EMIT_H
#define APIC_EMIT_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"

struct emit_opts {
	const char *schema_path;   /* as given on the command line, for the banner */
	const char *outdir;        /* output directory, "." by default */
	const char *name;          /* NAME: output file names and C identifier prefix */
	const char *depfile;       /* --depfile FILE, or NULL */
	const char *const *deps;   /* the schema and every file it imports, in order */
	size_t ndeps;
	bool quiet;                /* do not print which handlers are new */
	bool no_main;              /* NAME_handlers.c without main(): it lives elsewhere */
};

/* The OpenAPI 3.1 document of the schema as JSON text ending in a newline,
 * malloc'd (the caller frees it); NULL after reporting a diagnostic. */
char *emit_openapi(const struct ast_schema *s, struct diag_ctx *d);

/* Writes NAME.h, NAME.c, NAME.openapi.json and, when absent, NAME_handlers.c
 * into opts->outdir, each only when its content changed; then the depfile.
 * `openapi` is emit_openapi()'s text. Returns 0, or -1 after reporting. */
int emit_c(const struct ast_schema *s, const struct emit_opts *opts,
	   const char *openapi, struct diag_ctx *d);

#endif
