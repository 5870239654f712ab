/* apic diff: acknowledgements of breaking changes, and the report in text
 * (one line per change, file:line:col first, like a diagnostic) or JSON. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diff.h"
#include "json_writer.h"
#include "out.h"
#include "source.h"

static const char *const kind_names[] = {
	[DIFF_BREAKING] = "breaking", [DIFF_COMPATIBLE] = "compatible",
	[DIFF_DOCS] = "documentation",
};

/* "CODE SUBJECT" names change c? */
static bool names(const struct diff_change *c, const char *s, size_t n)
{
	size_t cl = strlen(c->code), sl = strlen(c->subject);
	return n == cl + 1 + sl && memcmp(s, c->code, cl) == 0 && s[cl] == ' ' &&
	       memcmp(s + cl + 1, c->subject, sl) == 0;
}

static size_t accept_one(struct diff_result *r, const char *s, size_t n)
{
	size_t k = 0;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == DIFF_BREAKING && !r->v[i].accepted && names(&r->v[i], s, n)) {
			r->v[i].accepted = true;
			k++;
		}
	return k;
}

/* `// apic-diff: accept CODE SUBJECT` anywhere in a line comment. */
static size_t accept_file(struct diff_result *r, const struct source_file *f)
{
	static const char tag[] = "apic-diff:";
	size_t k = 0;
	for (const char *p = f->data, *end = f->data + f->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *c = memmem(p, (size_t)(le - p), "//", 2);
		if (c) {
			c += 2;
			while (c < le && (*c == ' ' || *c == '\t' || *c == '/'))
				c++;
			if ((size_t)(le - c) > sizeof tag - 1 && memcmp(c, tag, sizeof tag - 1) == 0) {
				c += sizeof tag - 1;
				while (c < le && (*c == ' ' || *c == '\t'))
					c++;
				if ((size_t)(le - c) > 7 && memcmp(c, "accept ", 7) == 0)
					k += accept_one(r, c + 7, (size_t)(le - c - 7));
			}
		}
		p = le + 1;
	}
	return k;
}

size_t diff_accept(struct diff_result *r, const struct source_table *src,
		   const char *const *accepts, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += accept_one(r, accepts[i], strlen(accepts[i]));
	for (uint32_t i = 0; src && i < src_count(src); i++)
		k += accept_file(r, src_file(src, i));
	return k;
}

void diff_count(const struct diff_result *r, struct diff_counts *c)
{
	*c = (struct diff_counts){ 0 };
	for (size_t i = 0; i < r->n; i++) {
		c->kinds[r->v[i].kind]++;
		c->accepted += r->v[i].accepted;
	}
}

static void where(const struct diff_change *c, const struct source_table *osrc,
		  const struct source_table *nsrc, const char **path, unsigned *line, unsigned *col)
{
	const struct source_table *t = c->in_old ? osrc : nsrc;
	*path = src_file(t, c->loc.file)->path;
	src_linecol(t, c->loc.file, c->loc.off, line, col);
}

static void print_text(const struct diff_result *r, const struct source_table *osrc,
		       const struct source_table *nsrc, FILE *out)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct diff_change *c = &r->v[i];
		const char *path;
		unsigned line, col;
		where(c, osrc, nsrc, &path, &line, &col);
		fprintf(out, "%s:%u:%u: %s%s: %s [%s %s]\n", path, line, col, kind_names[c->kind],
			c->accepted ? " (accepted)" : "", c->message, c->code, c->subject);
	}
	struct diff_counts k;
	diff_count(r, &k);
	fprintf(out, "%zu change%s: %zu breaking", r->n, r->n == 1 ? "" : "s",
		k.kinds[DIFF_BREAKING]);
	if (k.accepted)
		fprintf(out, " (%zu accepted)", k.accepted);
	fprintf(out, ", %zu compatible, %zu documentation\n", k.kinds[DIFF_COMPATIBLE],
		k.kinds[DIFF_DOCS]);
}

static void print_json(const struct diff_result *r, const struct source_table *osrc,
		       const struct source_table *nsrc, FILE *out)
{
	struct out_buf b;
	struct json_writer *w = malloc(sizeof *w);
	if (!w)
		arena_oom_handler();
	out_init(&b);
	jw_init(w, &b);
	jw_obj(w);
	jw_key(w, "changes");
	jw_arr(w);
	for (size_t i = 0; i < r->n; i++) {
		const struct diff_change *c = &r->v[i];
		const char *path;
		unsigned line, col;
		where(c, osrc, nsrc, &path, &line, &col);
		jw_obj(w);
		jw_kstr(w, "kind", kind_names[c->kind]);
		jw_kstr(w, "code", c->code);
		jw_kstr(w, "subject", c->subject);
		jw_kstr(w, "message", c->message);
		jw_kstr(w, "schema", c->in_old ? "old" : "new");
		jw_kstr(w, "file", path);
		jw_kint(w, "line", line);
		jw_kint(w, "column", col);
		jw_kbool(w, "accepted", c->accepted);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	struct diff_counts k;
	diff_count(r, &k);
	jw_key(w, "summary");
	jw_obj(w);
	jw_kint(w, "breaking", (int64_t)k.kinds[DIFF_BREAKING]);
	jw_kint(w, "accepted", (int64_t)k.accepted);
	jw_kint(w, "compatible", (int64_t)k.kinds[DIFF_COMPATIBLE]);
	jw_kint(w, "documentation", (int64_t)k.kinds[DIFF_DOCS]);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_finish(w);
	free(w);
	if (b.oom)
		arena_oom_handler();
	fwrite(b.p, 1, b.len, out);
	fputc('\n', out);
	out_free(&b);
}

void diff_print(const struct diff_result *r, const struct source_table *osrc,
		const struct source_table *nsrc, bool json, FILE *out)
{
	if (json)
		print_json(r, osrc, nsrc, out);
	else
		print_text(r, osrc, nsrc, out);
}
