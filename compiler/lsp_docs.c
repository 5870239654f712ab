/* The language server's open documents: their text (full and incremental
 * sync), their analysis with the compiler's own front end, and the
 * diagnostics published for them and for the files they import. */
#include "lsp_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "names.h"
#include "source.h"

struct lsp_note {
	struct apic_loc loc;
	char *msg;
};

struct lsp_diag {
	bool has_loc, error;
	struct apic_loc loc;
	char *msg;
	struct lsp_note *notes;
	size_t nnotes;
};

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		arena_oom_handler();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		arena_oom_handler();
	return p;
}

struct lsp_doc *lsp_doc_find(struct lsp_server *s, const char *uri)
{
	for (struct lsp_doc *d = s->docs; d; d = d->next)
		if (strcmp(d->uri, uri) == 0)
			return d;
	return NULL;
}

static void analysis_free(struct lsp_analysis *an)
{
	if (!an)
		return;
	for (size_t i = 0; i < an->ndiags; i++) {
		for (size_t j = 0; j < an->diags[i].nnotes; j++)
			free(an->diags[i].notes[j].msg);
		free(an->diags[i].notes);
		free(an->diags[i].msg);
	}
	free(an->diags);
	for (size_t i = 0; i < an->nlines; i++)
		lsp_lines_free(&an->lines[i]);
	free(an->lines);
	diag_free(an->diag);
	src_free(an->src);
	arena_free(an->arena);
	free(an);
}

static void sink(void *ctx, const struct diag_item *it)
{
	struct lsp_analysis *an = ctx;
	if (it->is_note) {
		if (!an->ndiags || !it->has_loc)
			return;
		struct lsp_diag *p = &an->diags[an->ndiags - 1];
		p->notes = xrealloc(p->notes, (p->nnotes + 1) * sizeof *p->notes);
		p->notes[p->nnotes++] = (struct lsp_note){ it->loc, xstrdup(it->msg) };
		return;
	}
	if (an->ndiags == an->cap) {
		an->cap = an->cap ? 2 * an->cap : 16;
		an->diags = xrealloc(an->diags, an->cap * sizeof *an->diags);
	}
	an->diags[an->ndiags++] = (struct lsp_diag){ .has_loc = it->has_loc, .error = it->is_error,
						     .loc = it->loc, .msg = xstrdup(it->msg) };
}

/* The editor's text wins over the disk for every open document. */
static const char *overlay(void *ctx, const char *real, size_t *len)
{
	struct lsp_server *s = ctx;
	for (struct lsp_doc *d = s->docs; d; d = d->next)
		if (d->real && strcmp(d->real, real) == 0) {
			*len = d->len;
			return d->text;
		}
	return NULL;
}

/* NAME of NAME.apic: the C prefix `apic check` uses for the names check. */
static char *default_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".apic") == 0)
		n -= 5;
	char *r = strndup(b, n);
	if (!r)
		arena_oom_handler();
	return r;
}

/* True if another open document's analysis imports file `real`. */
static bool imported_elsewhere(struct lsp_server *s, const struct lsp_doc *doc)
{
	if (!doc->real)
		return false;
	for (struct lsp_doc *d = s->docs; d; d = d->next) {
		if (d == doc || !d->an)
			continue;
		for (size_t i = 1; i < src_count(d->an->src); i++) {
			const struct source_file *f = src_file(d->an->src, (uint32_t)i);
			if (f->real && strcmp(f->real, doc->real) == 0)
				return true;
		}
	}
	return false;
}

/* What `apic check` does: load, check, C names, each step only when the
 * one before reported no error. */
static struct lsp_analysis *analyse(struct lsp_server *s, struct lsp_doc *doc)
{
	struct lsp_analysis *an = calloc(1, sizeof *an);
	if (!an)
		arena_oom_handler();
	an->arena = arena_new();
	an->src = src_new();
	src_set_overlay(an->src, overlay, s);
	an->diag = diag_new(an->src, NULL);
	diag_set_sink(an->diag, sink, an);
	int err = 0;
	an->schema = doc->real ? check_load(an->arena, an->src, an->diag, doc->path, &err) : NULL;
	if (!an->schema)
		an->schema = check_load_mem(an->arena, an->src, an->diag, doc->path, doc->text, doc->len);
	diag_flush(an->diag);
	if (diag_error_count(an->diag) == 0) {
		/* a file without a service that an open schema imports is a
		 * part of that schema: checked there, not alone */
		if (an->schema->service || !imported_elsewhere(s, doc))
			check_schema(an->arena, an->src, an->diag, an->schema);
		diag_flush(an->diag);
	}
	if (diag_error_count(an->diag) == 0 && an->schema->service) {
		char *prefix = default_name(doc->path);
		struct names *n = names_new(prefix);
		names_check(n, an->schema, an->diag);
		names_free(n);
		free(prefix);
		diag_flush(an->diag);
	}
	return an;
}

uint32_t lsp_doc_file(const struct lsp_doc *d)
{
	(void)d;
	return 0;
}

const char *lsp_file_text(const struct lsp_analysis *an, uint32_t id, size_t *len)
{
	const struct source_file *f = src_file(an->src, id);
	*len = f ? f->len : 0;
	return f ? f->data : "";
}

const struct lsp_lines *lsp_file_lines(struct lsp_analysis *an, uint32_t id)
{
	size_t nf = src_count(an->src);
	if (!an->lines) {
		an->lines = calloc(nf ? nf : 1, sizeof *an->lines);
		if (!an->lines)
			arena_oom_handler();
		an->nlines = nf ? nf : 1;
	}
	if (id >= nf)
		id = 0;
	struct lsp_lines *l = &an->lines[id];
	if (!l->starts) {
		size_t len;
		const char *t = lsp_file_text(an, id, &len);
		lsp_lines_init(l, t, len);
	}
	return l;
}

char *lsp_file_uri(const struct lsp_analysis *an, uint32_t id)
{
	const struct source_file *f = src_file(an->src, id);
	if (!f)
		return xstrdup("");
	return lsp_path_to_uri(f->real ? f->real : f->path);
}

char *lsp_uri_of(struct lsp_server *s, struct lsp_doc *doc, uint32_t id, bool *open)
{
	*open = false;
	if (id == 0)
		return xstrdup(doc->uri);
	const struct source_file *f = src_file(doc->an->src, id);
	for (struct lsp_doc *d = s->docs; d; d = d->next)
		if (f->real && d->real && strcmp(d->real, f->real) == 0) {
			*open = true;
			return xstrdup(d->uri);
		}
	return lsp_file_uri(doc->an, id);
}

static json_object *diag_json(struct lsp_server *s, struct lsp_doc *doc, const struct lsp_diag *g)
{
	struct lsp_analysis *an = doc->an;
	const struct lsp_lines *gl = lsp_file_lines(an, g->loc.file);
	json_object *o = json_object_new_object();
	size_t off = g->has_loc ? g->loc.off : 0, len = g->has_loc ? g->loc.len : 0;
	if (off > gl->len)
		off = gl->len;
	if (off + len > gl->len)
		len = gl->len - off;
	json_object_object_add(o, "range", lsp_json_range(gl, off, len, s->utf8));
	json_object_object_add(o, "severity", json_object_new_int(g->error ? 1 : 2));
	json_object_object_add(o, "source", json_object_new_string("apic"));
	json_object_object_add(o, "message", json_object_new_string(g->msg));
	if (g->nnotes) {
		json_object *rel = json_object_new_array();
		for (size_t i = 0; i < g->nnotes; i++) {
			const struct lsp_note *n = &g->notes[i];
			if (n->loc.file >= src_count(an->src))
				continue;
			bool open;
			char *uri = lsp_uri_of(s, doc, n->loc.file, &open);
			json_object *ri = json_object_new_object(), *loc = json_object_new_object();
			json_object_object_add(loc, "uri", json_object_new_string(uri));
			const struct lsp_lines *nlines = lsp_file_lines(an, n->loc.file);
			size_t no = n->loc.off > nlines->len ? nlines->len : n->loc.off;
			size_t nl = no + n->loc.len > nlines->len ? nlines->len - no : n->loc.len;
			json_object_object_add(loc, "range", lsp_json_range(nlines, no, nl, s->utf8));
			json_object_object_add(ri, "location", loc);
			json_object_object_add(ri, "message", json_object_new_string(n->msg));
			json_object_array_add(rel, ri);
			free(uri);
		}
		json_object_object_add(o, "relatedInformation", rel);
	}
	return o;
}

static void publish_one(struct lsp_server *s, const char *uri, json_object *diags, const int64_t *version)
{
	json_object *msg = json_object_new_object(), *p = json_object_new_object();
	json_object_object_add(msg, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(msg, "method", json_object_new_string("textDocument/publishDiagnostics"));
	json_object_object_add(p, "uri", json_object_new_string(uri));
	if (version)
		json_object_object_add(p, "version", json_object_new_int64(*version));
	json_object_object_add(p, "diagnostics", diags);
	json_object_object_add(msg, "params", p);
	s->send(s, msg);
}

/* Diagnostics of the document's own file, and of each file it imports that
 * is not open (an open one publishes its own); an import no longer there
 * gets an empty list. */
static void publish(struct lsp_server *s, struct lsp_doc *doc)
{
	struct lsp_analysis *an = doc->an;
	size_t nf = src_count(an->src);
	json_object **per = calloc(nf ? nf : 1, sizeof *per);
	if (!per)
		arena_oom_handler();
	for (size_t i = 0; i < nf; i++)
		per[i] = json_object_new_array();
	if (nf == 0)
		per[0] = json_object_new_array();
	for (size_t i = 0; i < an->ndiags; i++) {
		const struct lsp_diag *g = &an->diags[i];
		uint32_t f = g->has_loc && g->loc.file < nf ? g->loc.file : 0;
		if (nf == 0)
			continue;
		struct lsp_diag h = *g;
		h.loc.file = f;
		json_object_array_add(per[f], diag_json(s, doc, &h));
	}
	char **pub = NULL;
	size_t npub = 0;
	for (size_t i = 0; i < (nf ? nf : 1); i++) {
		bool open = false;
		char *uri = nf ? lsp_uri_of(s, doc, (uint32_t)i, &open) : xstrdup(doc->uri);
		if (open) {
			json_object_put(per[i]);
		} else {
			publish_one(s, uri, per[i], i == 0 ? &doc->version : NULL);
			if (i > 0) {
				pub = xrealloc(pub, (npub + 1) * sizeof *pub);
				pub[npub++] = xstrdup(uri);
			}
		}
		free(uri);
	}
	for (size_t i = 0; i < doc->npublished; i++) {
		bool still = false;
		for (size_t j = 0; j < npub && !still; j++)
			still = strcmp(pub[j], doc->published[i]) == 0;
		if (!still && !lsp_doc_find(s, doc->published[i]))
			publish_one(s, doc->published[i], json_object_new_array(), NULL);
		free(doc->published[i]);
	}
	free(doc->published);
	doc->published = pub;
	doc->npublished = npub;
	free(per);
}

/* True if the analysis of d includes the file `real` as an import. */
static bool imports(const struct lsp_doc *d, const char *real)
{
	for (size_t i = 1; d->an && real && i < src_count(d->an->src); i++) {
		const struct source_file *f = src_file(d->an->src, (uint32_t)i);
		if (f->real && strcmp(f->real, real) == 0)
			return true;
	}
	return false;
}

/* A document changed: it and every open document whose schema includes it
 * (their diagnostics may change) are analysed again at the next
 * lsp_docs_flush(), when no more input is waiting or a request comes: a
 * burst of changes is analysed once. */
static void refresh(struct lsp_server *s, struct lsp_doc *doc)
{
	doc->dirty = true;
	for (struct lsp_doc *d = s->docs; d; d = d->next)
		if (d != doc && imports(d, doc->real))
			d->dirty = true;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void lsp_docs_flush(struct lsp_server *s)
{
	static int log = -1;   /* APIC_LSP_LOG=1: the time of each analysis on stderr */
	if (log < 0)
		log = getenv("APIC_LSP_LOG") && *getenv("APIC_LSP_LOG") == '1';
	for (struct lsp_doc *d = s->docs; d; d = d->next) {
		if (!d->dirty)
			continue;
		d->dirty = false;
		double t0 = log ? now_ms() : 0;
		analysis_free(d->an);
		d->an = analyse(s, d);
		double t1 = log ? now_ms() : 0;
		publish(s, d);
		if (log)
			fprintf(stderr, "apic lsp: %s version %lld: analysed in %.1f ms, published in %.1f ms\n",
				d->uri, (long long)d->version, t1 - t0, now_ms() - t1);
	}
}

static void set_text(struct lsp_doc *d, const char *text, size_t len)
{
	free(d->text);
	d->text = xrealloc(NULL, len + 1);
	memcpy(d->text, text, len);
	d->text[len] = '\0';
	d->len = len;
}

void lsp_did_open(struct lsp_server *s, json_object *params)
{
	json_object *td = lsp_get(params, "textDocument");
	const char *uri = lsp_str(td, "uri");
	json_object *text = lsp_get(td, "text");
	if (!uri || !text || !json_object_is_type(text, json_type_string))
		return;
	struct lsp_doc *d = lsp_doc_find(s, uri);
	if (!d) {
		d = calloc(1, sizeof *d);
		if (!d)
			arena_oom_handler();
		d->uri = xstrdup(uri);
		d->path = lsp_uri_to_path(uri);
		if (!d->path)
			d->path = xstrdup(uri);
		d->real = realpath(d->path, NULL);
		d->next = s->docs;
		s->docs = d;
	}
	json_object *v = lsp_get(td, "version");
	d->version = v ? json_object_get_int64(v) : 0;
	set_text(d, json_object_get_string(text), (size_t)json_object_get_string_len(text));
	refresh(s, d);
}

/* One content change: the whole text, or a range replaced. */
static void apply_change(struct lsp_server *s, struct lsp_doc *d, json_object *ch)
{
	json_object *text = lsp_get(ch, "text");
	if (!text || !json_object_is_type(text, json_type_string))
		return;
	const char *t = json_object_get_string(text);
	size_t tn = (size_t)json_object_get_string_len(text);
	json_object *range = lsp_get(ch, "range");
	int64_t sl, sc, el, ec;
	if (!range || !lsp_get_pos(lsp_get(range, "start"), &sl, &sc) ||
	    !lsp_get_pos(lsp_get(range, "end"), &el, &ec)) {
		set_text(d, t, tn);
		return;
	}
	struct lsp_lines l;
	lsp_lines_init(&l, d->text, d->len);
	size_t a = lsp_pos_to_off(&l, sl, sc, s->utf8), b = lsp_pos_to_off(&l, el, ec, s->utf8);
	lsp_lines_free(&l);
	if (b < a) {
		size_t x = a;
		a = b;
		b = x;
	}
	size_t n = d->len - (b - a) + tn;
	char *nt = xrealloc(NULL, n + 1);
	memcpy(nt, d->text, a);
	memcpy(nt + a, t, tn);
	memcpy(nt + a + tn, d->text + b, d->len - b);
	nt[n] = '\0';
	free(d->text);
	d->text = nt;
	d->len = n;
}

void lsp_did_change(struct lsp_server *s, json_object *params)
{
	json_object *td = lsp_get(params, "textDocument");
	const char *uri = lsp_str(td, "uri");
	struct lsp_doc *d = uri ? lsp_doc_find(s, uri) : NULL;
	json_object *changes = lsp_get(params, "contentChanges");
	if (!d || !changes || !json_object_is_type(changes, json_type_array))
		return;
	json_object *v = lsp_get(td, "version");
	if (v)
		d->version = json_object_get_int64(v);
	for (size_t i = 0; i < json_object_array_length(changes); i++)
		apply_change(s, d, json_object_array_get_idx(changes, i));
	refresh(s, d);
}

void lsp_did_save(struct lsp_server *s, json_object *params)
{
	const char *uri = lsp_str(lsp_get(params, "textDocument"), "uri");
	struct lsp_doc *d = uri ? lsp_doc_find(s, uri) : NULL;
	if (!d)
		return;
	json_object *text = lsp_get(params, "text");
	if (text && json_object_is_type(text, json_type_string))
		set_text(d, json_object_get_string(text), (size_t)json_object_get_string_len(text));
	if (!d->real)
		d->real = realpath(d->path, NULL);
	refresh(s, d);
}

static void doc_free(struct lsp_doc *d)
{
	analysis_free(d->an);
	for (size_t i = 0; i < d->npublished; i++)
		free(d->published[i]);
	free(d->published);
	free(d->uri);
	free(d->path);
	free(d->real);
	free(d->text);
	free(d);
}

void lsp_did_close(struct lsp_server *s, json_object *params)
{
	const char *uri = lsp_str(lsp_get(params, "textDocument"), "uri");
	for (struct lsp_doc **p = &s->docs; uri && *p; p = &(*p)->next) {
		struct lsp_doc *d = *p;
		if (strcmp(d->uri, uri) != 0)
			continue;
		*p = d->next;
		for (struct lsp_doc *o = s->docs; o; o = o->next)
			if (imports(o, d->real))
				o->dirty = true; /* the file on disk again */
		/* its diagnostics and its imports' go with it */
		publish_one(s, d->uri, json_object_new_array(), NULL);
		for (size_t i = 0; i < d->npublished; i++)
			if (!lsp_doc_find(s, d->published[i]))
				publish_one(s, d->published[i], json_object_new_array(), NULL);
		doc_free(d);
		return;
	}
}

void lsp_docs_free(struct lsp_server *s)
{
	while (s->docs) {
		struct lsp_doc *d = s->docs;
		s->docs = d->next;
		doc_free(d);
	}
}
