/* Shared by the parts of apic fmt: format_scan.c (tokens and the comments
 * between them) and format.c (the layout). */
#ifndef APIC_FORMAT_INT_H
#define APIC_FORMAT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct diag_ctx;
struct source_table;

/* A comment ("// ..." or "/// ...", as written, without the line end). */
struct fcomment {
	const char *s;
	size_t n;
	bool trailing;       /* on the line of the token before it */
	unsigned blank;      /* blank lines just before it */
};

struct ftok {
	int kind;            /* the parser's token kind (parser.h) */
	const char *s;       /* the token's text in the file */
	size_t n;
	unsigned blank;      /* blank lines just before it, after its comments */
	struct fcomment *c;  /* the comments before it */
	size_t nc;
};

/* The tokens of a file; v[n] is the end of the file (with the comments
 * after the last token). */
struct ftoks {
	struct ftok *v;
	size_t n;
};

void ftoks_scan(struct ftoks *t, struct arena *a, struct diag_ctx *d,
		struct source_table *src, uint32_t id);
void ftoks_free(struct ftoks *t);

#endif
