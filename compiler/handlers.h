/* The user's handlers file (NAME_handlers.c), read, never rewritten: which
 * operations it defines a handler for, and which handler-shaped functions
 * match no operation any more (an operation renamed or removed). Used by
 * `apic generate` (warnings, --strict) and `apic stubs`. */
#ifndef APIC_HANDLERS_H
#define APIC_HANDLERS_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "names.h"
#include "source.h"

struct handlers {
	bool exists;          /* false: no such file (nothing defined) */
	uint32_t file;        /* its id in the source table, when it exists */
	size_t ndefs;
	struct handlers_def {
		char *name;       /* the function's name */
		uint32_t off, len;
	} *defs;
	bool *defined;        /* per operation, in schema order */
	size_t nops;
};

/* Reads `path` into the source table (diagnostics point into it) and finds
 * every definition `int NAME(struct apic_ctx *C, const struct X__params *I) {`
 * whose NAME starts with the API's prefix. Returns 0 (a missing file is
 * not an error: h->exists is false), or an errno value. */
int handlers_read(struct handlers *h, struct source_table *src, const char *path,
		  const struct ast_schema *s, struct names *n);
/* Reports every definition that is no operation's handler: a warning, or an
 * error when `strict`; with a "did you mean" among the handlers the file
 * lacks. Returns how many it reported. */
size_t handlers_report_stale(const struct handlers *h, const struct ast_schema *s,
			     struct names *n, struct diag_ctx *d, bool strict);
void handlers_free(struct handlers *h);

#endif
