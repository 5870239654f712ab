/* Diagnostics: records kept until flushed, then printed in source order in
 * the style of a C compiler (see diag.h and apic(1) DIAGNOSTICS). */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "source.h"

enum diag_sev { SEV_ERROR, SEV_WARNING, SEV_NOTE };

struct diag_rec {
	enum diag_sev sev;
	bool has_loc;
	struct apic_loc loc;
	char *msg;
	char *fixit;
	size_t parent;          /* index of the diagnostic a note belongs to */
	size_t seq;
};

struct diag_ctx {
	const struct source_table *src;
	FILE *out;
	enum diag_format format;
	bool color, werror, capped, cap_told;
	bool dropping;          /* the last diagnostic was dropped: drop its notes */
	size_t errors, warnings, fatals;
	diag_sink_fn sink;      /* instead of printing (the language server) */
	void *sink_ctx;
	struct diag_rec *recs;
	size_t n, cap, seq;
};

struct diag_ctx *diag_new(const struct source_table *src, FILE *out)
{
	struct diag_ctx *d = calloc(1, sizeof *d);
	if (!d)
		arena_oom_handler();
	d->src = src;
	d->out = out;
	return d;
}

static void diag_clear(struct diag_ctx *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->recs[i].msg);
		free(d->recs[i].fixit);
	}
	d->n = 0;
}

void diag_free(struct diag_ctx *d)
{
	if (!d)
		return;
	diag_clear(d);
	free(d->recs);
	free(d);
}

void diag_set_format(struct diag_ctx *d, enum diag_format f) { d->format = f; }
void diag_set_color(struct diag_ctx *d, bool color) { d->color = color; }
void diag_set_werror(struct diag_ctx *d, bool werror) { d->werror = werror; }

void diag_set_sink(struct diag_ctx *d, diag_sink_fn fn, void *ctx)
{
	d->sink = fn;
	d->sink_ctx = ctx;
}
size_t diag_error_count(const struct diag_ctx *d) { return d->errors; }
size_t diag_warning_count(const struct diag_ctx *d) { return d->warnings; }
size_t diag_fatal_count(const struct diag_ctx *d) { return d->fatals; }
bool diag_capped(const struct diag_ctx *d) { return d->capped; }

static char *diag_vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *diag_vfmt(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0)
		arena_oom_handler();
	return s;
}

static struct diag_rec *diag_push(struct diag_ctx *d, enum diag_sev sev, bool has_loc,
				  struct apic_loc at, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

static struct diag_rec *diag_push(struct diag_ctx *d, enum diag_sev sev, bool has_loc,
				  struct apic_loc at, const char *fmt, va_list ap)
{
	if (sev == SEV_WARNING && d->werror)
		sev = SEV_ERROR;
	if (sev == SEV_NOTE) {
		if (d->dropping || d->n == 0)
			return NULL;
	} else if (sev == SEV_ERROR) {
		if (d->capped) {
			d->dropping = true;
			return NULL;
		}
		if (d->errors == DIAG_MAX_ERRORS) {
			d->capped = true;
			d->dropping = true;
			return NULL;
		}
	}
	d->dropping = false;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->recs = realloc(d->recs, d->cap * sizeof *d->recs);
		if (!d->recs)
			arena_oom_handler();
	}
	struct diag_rec *r = &d->recs[d->n];
	memset(r, 0, sizeof *r);
	r->sev = sev;
	r->has_loc = has_loc;
	r->loc = at;
	r->msg = diag_vfmt(fmt, ap);
	r->seq = d->seq++;
	if (sev == SEV_NOTE) {
		size_t p = d->n - 1;
		r->parent = d->recs[p].sev == SEV_NOTE ? d->recs[p].parent : p;
	} else {
		r->parent = d->n;
		if (sev == SEV_ERROR)
			d->errors++;
		else
			d->warnings++;
	}
	d->n++;
	return r;
}

void diag_error(struct diag_ctx *d, struct apic_loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_push(d, SEV_ERROR, true, at, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag_ctx *d, struct apic_loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_push(d, SEV_WARNING, true, at, fmt, ap);
	va_end(ap);
}

void diag_note(struct diag_ctx *d, struct apic_loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_push(d, SEV_NOTE, true, at, fmt, ap);
	va_end(ap);
}

void diag_fatal(struct diag_ctx *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (diag_push(d, SEV_ERROR, false, (struct apic_loc){0, 0, 0}, fmt, ap))
		d->fatals++;
	va_end(ap);
}

void diag_fixit(struct diag_ctx *d, const char *text)
{
	if (d->dropping || d->n == 0)
		return;
	struct diag_rec *r = &d->recs[d->n - 1];
	free(r->fixit);
	r->fixit = strdup(text);
	if (!r->fixit)
		arena_oom_handler();
}

/* Primary diagnostics in (file, offset, arrival) order; notes keep their place
 * after their primary. */
static int diag_cmp(const void *a, const void *b)
{
	const struct diag_rec *x = *(const struct diag_rec *const *)a;
	const struct diag_rec *y = *(const struct diag_rec *const *)b;
	if (x->has_loc != y->has_loc)
		return x->has_loc ? 1 : -1;
	if (x->has_loc) {
		if (x->loc.file != y->loc.file)
			return x->loc.file < y->loc.file ? -1 : 1;
		if (x->loc.off != y->loc.off)
			return x->loc.off < y->loc.off ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *const diag_sev_name[] = { "error", "warning", "note" };
static const char *const diag_sev_color[] = { "\033[1;31m", "\033[1;35m", "\033[1;36m" };

/* A location's start, clamped into the file; an end-of-file position after a
 * final newline is shown at the end of the last line. */
static uint32_t diag_start(const struct source_file *f, struct apic_loc l)
{
	uint32_t off = l.off;
	if (off > f->len)
		off = (uint32_t)f->len;
	if (off == f->len && off > 0 && f->data[off - 1] == '\n')
		off--;
	return off;
}

/* Prints a source line with invalid bytes and control characters as '?'. */
static void diag_put_line(FILE *o, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t k = src_utf8_len(u + i, n - i);
		if (k == 0 || (k == 1 && u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f) {
			fputc('?', o);
			i++;
		} else {
			fwrite(u + i, 1, k, o);
			i += k;
		}
	}
}

/* Lines longer than this are shown as a window around the location. */
#define DIAG_MAX_LINE 160
#define DIAG_CONTEXT 60

static size_t diag_utf8_back(const unsigned char *s, size_t lo, size_t i)
{
	while (i > lo && (s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

static void diag_indent(FILE *o, const unsigned char *s, size_t from, size_t to, size_t end)
{
	for (size_t i = from; i < to && i < end;) {
		fputc(s[i] == '\t' ? '\t' : ' ', o);
		size_t k = src_utf8_len(s + i, end - i);
		i += k ? k : 1;
	}
}

static void diag_print_excerpt(struct diag_ctx *d, const struct diag_rec *r)
{
	FILE *o = d->out;
	const struct source_file *f = src_file(d->src, r->loc.file);
	uint32_t off = diag_start(f, r->loc);
	unsigned line, col;
	src_linecol(d->src, r->loc.file, off, &line, &col);
	size_t ls, ll;
	src_line(d->src, r->loc.file, line, &ls, &ll);
	const unsigned char *s = (const unsigned char *)f->data;
	size_t end = ls + ll, from = ls, to = end;
	const char *pre = "", *post = "";
	if (ll > DIAG_MAX_LINE) {
		if (off > ls + DIAG_CONTEXT) {
			from = diag_utf8_back(s, ls, off - DIAG_CONTEXT);
			pre = "...";
		}
		if (end > off + DIAG_CONTEXT) {
			to = diag_utf8_back(s, off, off + DIAG_CONTEXT);
			post = "...";
		}
	}
	fprintf(o, "%5u | %s", line, pre);
	diag_put_line(o, f->data + from, to - from);
	fprintf(o, "%s\n      | %s", post, pre[0] ? "   " : "");
	diag_indent(o, s, from, off, to);
	if (d->color)
		fputs("\033[1;32m", o);
	fputc('^', o);
	size_t stop = (size_t)r->loc.off + r->loc.len, i = off;
	if (stop > to)
		stop = to;
	if (i < to) {
		size_t k = src_utf8_len(s + i, to - i);
		i += k ? k : 1;
	}
	while (i < stop) {
		fputc('~', o);
		size_t k = src_utf8_len(s + i, to - i);
		i += k ? k : 1;
	}
	if (d->color)
		fputs("\033[0m", o);
	fputc('\n', o);
	if (r->fixit) {
		fprintf(o, "      | %s", pre[0] ? "   " : "");
		diag_indent(o, s, from, off, to);
		fprintf(o, "%s\n", r->fixit);
	}
}

static void diag_print_text(struct diag_ctx *d, const struct diag_rec *r)
{
	FILE *o = d->out;
	const char *bold = d->color ? "\033[1m" : "", *reset = d->color ? "\033[0m" : "";
	const char *sc = d->color ? diag_sev_color[r->sev] : "";
	if (!r->has_loc) {
		fprintf(o, "%sapic: %s%s:%s%s %s%s\n", bold, sc, diag_sev_name[r->sev],
			reset, bold, r->msg, reset);
		return;
	}
	const struct source_file *f = src_file(d->src, r->loc.file);
	for (const struct source_file *g = f; g->has_importer;) {
		unsigned il, ic;
		src_linecol(d->src, g->importer.file, g->importer.off, &il, &ic);
		g = src_file(d->src, g->importer.file);
		fprintf(o, "In file imported from %s:%u:%u:\n", g->path, il, ic);
	}
	unsigned line, col;
	src_linecol(d->src, r->loc.file, diag_start(f, r->loc), &line, &col);
	fprintf(o, "%s%s:%u:%u: %s%s:%s%s %s%s\n", bold, f->path, line, col, sc,
		diag_sev_name[r->sev], reset, bold, r->msg, reset);
	diag_print_excerpt(d, r);
}

static void diag_print_json(struct diag_ctx *d, const struct diag_rec *r)
{
	json_object *o = json_object_new_object();
	if (r->has_loc) {
		const struct source_file *f = src_file(d->src, r->loc.file);
		uint32_t off = diag_start(f, r->loc);
		uint32_t end = r->loc.off + r->loc.len;
		if (end < off)
			end = off;
		if (end > f->len)
			end = (uint32_t)f->len;
		unsigned l, c, el, ec;
		src_linecol(d->src, r->loc.file, off, &l, &c);
		src_linecol(d->src, r->loc.file, end, &el, &ec);
		json_object_object_add(o, "file", json_object_new_string(f->path));
		json_object_object_add(o, "line", json_object_new_int((int)l));
		json_object_object_add(o, "column", json_object_new_int((int)c));
		json_object_object_add(o, "endLine", json_object_new_int((int)el));
		json_object_object_add(o, "endColumn", json_object_new_int((int)ec));
	}
	json_object_object_add(o, "severity", json_object_new_string(diag_sev_name[r->sev]));
	json_object_object_add(o, "message", json_object_new_string(r->msg));
	if (r->fixit)
		json_object_object_add(o, "suggestion", json_object_new_string(r->fixit));
	fprintf(d->out, "%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void diag_print(struct diag_ctx *d, const struct diag_rec *r)
{
	if (d->sink) {
		struct diag_item it = { .severity = diag_sev_name[r->sev], .is_note = r->sev == SEV_NOTE,
					.is_error = r->sev == SEV_ERROR, .has_loc = r->has_loc,
					.loc = r->loc, .msg = r->msg, .fixit = r->fixit };
		d->sink(d->sink_ctx, &it);
		return;
	}
	if (d->format == DIAG_FORMAT_JSON)
		diag_print_json(d, r);
	else
		diag_print_text(d, r);
}

void diag_flush(struct diag_ctx *d)
{
	if ((d->out || d->sink) && d->n) {
		/* print into memory, then write once: stderr is unbuffered */
		FILE *out = d->out;
		char *mem = NULL;
		size_t memlen = 0;
		FILE *m = d->sink ? NULL : open_memstream(&mem, &memlen);
		if (m)
			d->out = m;
		const struct diag_rec **order = malloc(d->n * sizeof *order);
		if (!order)
			arena_oom_handler();
		size_t np = 0;
		for (size_t i = 0; i < d->n; i++)
			if (d->recs[i].sev != SEV_NOTE)
				order[np++] = &d->recs[i];
		qsort(order, np, sizeof *order, diag_cmp);
		for (size_t i = 0; i < np; i++) {
			size_t idx = (size_t)(order[i] - d->recs);
			diag_print(d, order[i]);
			for (size_t j = idx + 1; j < d->n && d->recs[j].sev == SEV_NOTE
			     && d->recs[j].parent == idx; j++)
				diag_print(d, &d->recs[j]);
		}
		free(order);
		if (d->capped && !d->cap_told && d->format == DIAG_FORMAT_TEXT && !d->sink)
			fprintf(d->out, "apic: error: too many errors, stopping\n");
		d->cap_told = d->capped;
		if (m) {
			fclose(m);
			d->out = out;
			fwrite(mem, 1, memlen, out);
			free(mem);
		}
		if (d->out)
			fflush(d->out);
	}
	diag_clear(d);
}

void diag_summary(struct diag_ctx *d)
{
	if (!d->out || d->format != DIAG_FORMAT_TEXT || (!d->errors && !d->warnings))
		return;
	if (d->warnings)
		fprintf(d->out, "%zu warning%s%s", d->warnings, d->warnings == 1 ? "" : "s",
			d->errors ? " and " : "");
	if (d->errors)
		fprintf(d->out, "%zu error%s", d->errors, d->errors == 1 ? "" : "s");
	fputs(" generated.\n", d->out);
}
