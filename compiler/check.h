/* The front end's entry points: load a schema (the root file and, once
 * each, every file it imports), parse it into an AST and check it. */
#ifndef APIC_CHECK_H
#define APIC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ast.h"

struct arena;
struct diag_ctx;
struct source_table;

/* Loads and parses `path` and its imports into a schema allocated in `a`.
 * Returns the schema (possibly partial) or NULL when the root file cannot be
 * read (*err is then its errno value). Diagnostics go to d; the caller
 * checks diag_error_count(). */
struct ast_schema *check_load(struct arena *a, struct source_table *src,
			      struct diag_ctx *d, const char *path, int *err);
/* The same from bytes in memory (fuzzing, tests); imports are resolved
 * against the current directory. */
struct ast_schema *check_load_mem(struct arena *a, struct source_table *src,
				  struct diag_ctx *d, const char *name,
				  const void *data, size_t len);

/* Resolves names, fills every "check:" field of ast.h and reports semantic
 * errors and warnings. Returns 0 when no error was reported. */
/* check_union.c: the rules of union declarations, once every name is
 * resolved; and the branch model an object value's discriminator names
 * (NULL: not an object, no such property, or no such branch). */
void check_unions(struct arena *a, struct diag_ctx *d, struct ast_schema *s);
struct ast_model *check_union_pick(const struct ast_union *u, const struct ast_value *v);

int check_schema(struct arena *a, struct source_table *src, struct diag_ctx *d,
		 struct ast_schema *s);

/* The readable, stable text form of a checked AST (--dump-ast). */
void ast_dump(const struct ast_schema *s, const struct source_table *src, FILE *out);

/* Expands every model's `...Name` spreads in place (check_spread.c); part
 * of check_schema. */
void check_spreads(struct arena *a, struct diag_ctx *d, struct ast_schema *s);

#endif
