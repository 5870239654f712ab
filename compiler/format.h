/* `apic fmt`: the canonical layout of one schema file. It works on the
 * scanner's tokens and the comments between them, so everything written
 * stays, in its order; only the space between tokens changes (and the
 * optional commas between enum members, fields, tags and values, which it
 * writes one way). See apic(1), fmt. */
#ifndef APIC_FORMAT_H
#define APIC_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

struct source_table;

/* Formats file `id` of `src`, which must parse without syntax errors (the
 * caller checks). On success returns 0 and sets *out (malloc'd) and *len.
 * Returns -1 if the layout would change the file's tokens (a bug: nothing
 * may be written then; the message is on stderr). */
int format_file(struct source_table *src, unsigned id, char **out, size_t *len);

struct format_opts {
	bool check;                 /* --check: a diff and exit 1 if not formatted */
	bool write;                 /* -w: rewrite the files that change */
	enum diag_format diag_format;
	bool color;
};

/* `apic fmt`: the files (none: standard input to standard output); returns
 * the exit status (0, 1 for syntax errors or --check differences, 3 for
 * I/O). */
int format_main(char *const *files, int n, const struct format_opts *o);

/* `apic check --dump-tokens`: a line per token and comment of file `id`:
 * "LINE BYTECOL UTF16COL UTF16LEN CLASS TEXT" (columns from 1; CLASS is
 * keyword, identifier, name, string, number, path, punctuation, comment
 * or doc-comment), for editor grammars and their tests. */
void format_dump_tokens(struct source_table *src, uint32_t id, FILE *out);

#endif
