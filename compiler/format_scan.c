/* apic fmt: a file as the scanner's tokens, each with the comments and
 * blank lines before it. The scanner skips only white space and comments,
 * so the text between two tokens is exactly those: it is split into a
 * comment that ends the previous token's line, comments on lines of their
 * own, and blank lines. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "format.h"
#include "format_int.h"
#include "lexer.h"
#include "parser.h"
#include "source.h"

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 64;
	p = realloc(p, *cap * size);
	if (!p)
		arena_oom_handler();
	return p;
}

static bool blank(const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

/* The text between two tokens: [s, e). */
static void gap(struct ftoks *t, struct ftok *k, const char *s, const char *e, bool first)
{
	size_t cap = 0;
	unsigned blanks = 0;
	bool line0 = !first; /* the rest of the previous token's line */
	while (s < e) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e;
		const char *c = s;
		while (c < le && (*c == ' ' || *c == '\t' || *c == '\r'))
			c++;
		if (c + 1 < le && c[0] == '/' && c[1] == '/') {
			const char *end = le;
			while (end > c && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
				end--;
			k->c = grow(k->c, &cap, k->nc, sizeof *k->c);
			k->c[k->nc++] = (struct fcomment){ c, (size_t)(end - c), line0, blanks };
			blanks = 0;
		} else if (nl && !line0 && blank(s, le))
			blanks++;
		if (!nl)
			break;
		line0 = false;
		s = nl + 1;
	}
	k->blank = blanks;
	(void)t;
}

void ftoks_scan(struct ftoks *t, struct arena *a, struct diag_ctx *d,
		struct source_table *src, uint32_t id)
{
	struct source_file *f = src_file(src, id);
	struct apic_parse ps = { .arena = a, .diag = d, .src = src, .file = id };
	struct lexer *lx = lexer_new(&ps, f->data, f->len);
	size_t cap = 0, prev_end = 0;
	/* a byte order mark is not text to keep */
	if (f->len >= 3 && memcmp(f->data, "\xef\xbb\xbf", 3) == 0)
		prev_end = 3;
	*t = (struct ftoks){ 0 };
	for (;;) {
		APIC_YYSTYPE val;
		struct apic_loc loc;
		int kind = lexer_scan(lx, &val, &loc);
		t->v = grow(t->v, &cap, t->n, sizeof *t->v);
		struct ftok *k = &t->v[t->n];
		*k = (struct ftok){ .kind = kind, .s = f->data + loc.off, .n = loc.len };
		gap(t, k, f->data + prev_end, f->data + loc.off, t->n == 0);
		prev_end = loc.off + loc.len;
		if (kind == TOK_YYEOF)
			break;
		t->n++;
	}
	lexer_free(lx);
}

void ftoks_free(struct ftoks *t)
{
	for (size_t i = 0; i <= t->n && t->v; i++)
		free(t->v[i].c);
	free(t->v);
	*t = (struct ftoks){ 0 };
}

/* UTF-16 code units in [s, e): what editors (and JavaScript) count. */
static size_t u16(const char *s, const char *e)
{
	size_t n = 0;
	for (; s < e; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c & 0xc0) != 0x80)
			n += c >= 0xf0 ? 2 : 1;
	}
	return n;
}

static void dump_one(FILE *out, const char *data, const char *s, size_t n, const char *cls)
{
	const char *ls = s;
	unsigned line = 1;
	for (const char *p = data; p < s; p++)
		line += *p == '\n';
	while (ls > data && ls[-1] != '\n')
		ls--;
	fprintf(out, "%u %zu %zu %zu %s %.*s\n", line, (size_t)(s - ls) + 1, u16(ls, s) + 1,
		u16(s, s + n), cls, (int)n, s);
}

static const char *tok_class(int k)
{
	if (k >= TOK_APIKEY && k <= TOK_DEPRECATED_NL)
		return "keyword";
	switch (k) {
	case TOK_IDENT: return "identifier";
	case TOK_LABEL: return "name";
	case TOK_STRING: return "string";
	case TOK_NUMBER: return "number";
	case TOK_PATHLIT: return "path";
	default: return "punctuation";
	}
}

void format_dump_tokens(struct source_table *src, uint32_t id, FILE *out)
{
	struct arena *a = arena_new();
	struct diag_ctx *d = diag_new(src, stderr);
	struct ftoks t;
	ftoks_scan(&t, a, d, src, id);
	const char *data = src_file(src, id)->data;
	for (size_t i = 0; i <= t.n; i++) {
		for (size_t j = 0; j < t.v[i].nc; j++) {
			const struct fcomment *c = &t.v[i].c[j];
			dump_one(out, data, c->s, c->n,
				 c->n >= 3 && c->s[2] == '/' ? "doc-comment" : "comment");
		}
		if (i < t.n)
			dump_one(out, data, t.v[i].s, t.v[i].n, tok_class(t.v[i].kind));
	}
	ftoks_free(&t);
	diag_free(d);
	arena_free(a);
}
