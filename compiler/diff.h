/* `apic diff`: the changes between two checked schemas, each classified for
 * the clients and servers of the API (see apic(1), DIFF):
 *   breaking      a request an old client sends may now be refused, or a
 *                 response the server sends may now surprise an old client;
 *   compatible    additions and widenings: old clients keep working;
 *   documentation text, examples, deprecation, tags: nothing on the wire.
 * A change is named by a code and a subject ("field-removed Pet.tag"), the
 * name an acknowledgement (--accept, or `// apic-diff: accept CODE SUBJECT`
 * in the new schema) uses. */
#ifndef APIC_DIFF_H
#define APIC_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ast.h"

struct arena;
struct source_table;

enum diff_kind {
	DIFF_BREAKING,
	DIFF_COMPATIBLE,
	DIFF_DOCS,
};

struct diff_change {
	enum diff_kind kind;
	const char *code;        /* "field-removed" */
	const char *subject;     /* "Pet.tag" */
	const char *message;     /* a sentence, without the location */
	bool in_old;             /* loc is in the old schema (a removal) */
	struct apic_loc loc;
	bool accepted;           /* a breaking change acknowledged */
};

struct diff_result {
	struct diff_change *v;
	size_t n, cap;
};

/* Compares two schemas that checked without errors; the changes' strings
 * live in `a`. The order is deterministic: service, security schemes,
 * models and enums in the old schema's order, then operations. */
void schema_diff(struct arena *a, const struct ast_schema *old_s,
		 const struct ast_schema *new_s, struct diff_result *r);
void diff_result_free(struct diff_result *r);

/* Marks the breaking changes acknowledged by `accepts` (n strings of the
 * form "CODE SUBJECT") or by `// apic-diff: accept CODE SUBJECT` lines in
 * any file of `src` (the new schema's files). Returns how many it marked. */
size_t diff_accept(struct diff_result *r, const struct source_table *src,
		   const char *const *accepts, size_t n);

struct diff_counts {
	size_t kinds[3];         /* by enum diff_kind */
	size_t accepted;         /* breaking ones acknowledged */
};
void diff_count(const struct diff_result *r, struct diff_counts *c);

/* The report: a line per change ("FILE:LINE:COL: breaking: MESSAGE [CODE
 * SUBJECT]") and a summary line, or one JSON document. Locations of
 * removals are in the old schema's files, the others in the new one's. */
void diff_print(const struct diff_result *r, const struct source_table *old_src,
		const struct source_table *new_src, bool json, FILE *out);

/* `--git REV FILE`: the schema files (*.apic) of REV, from the repository
 * holding FILE, in a new temporary directory. On success returns 0 and sets
 * *dir (remove it with diff_git_cleanup) and *path, FILE's copy there;
 * else prints why on stderr and returns -1. */
int diff_git_checkout(const char *rev, const char *file, char **dir, char **path);
/* Names the files loaded from the directory "REV:PATH" in diagnostics. */
void diff_git_rename(struct source_table *src, const char *dir, const char *rev);
void diff_git_cleanup(char *dir, char *path);

#endif
