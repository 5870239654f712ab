/* apic fmt: the layout. Declarations start at column 0, the items of a
 * block (service, model fields, enum members, operation items, response
 * headers) one per line, indented by 4 spaces; a model's consecutive field
 * lines align their types and then their constraints and modifiers. Blank
 * lines between items are kept, at most one; none after '{' or before '}'.
 * An enum without comments that fits in 100 columns stays on one line; a
 * union's branches go one per line, like fields, without commas.
 * Spacing within a line is fixed: `name?: type (min 1, max 2) = 3`,
 * `[T]`, `map<T>`, `1..64`, `{ "a": 1 }`, `[1, 2]`.
 *
 * The result is scanned again and must give the same tokens (commas and
 * the two spellings of `deprecated` aside); else nothing is written. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "format.h"
#include "format_int.h"
#include "lexer.h"
#include "out.h"
#include "parser.h"
#include "source.h"

#define INDENT 4
#define ENUM_ONE_LINE_MAX 100

enum ctx { X_TOP, X_SERVICE, X_MODEL, X_ENUM, X_ENUM_LINE, X_OP, X_RESP, X_UNION };

/* One output line; a field line also has where its type and its
 * constraints-and-modifiers begin, for alignment. */
struct fline {
	unsigned indent;
	char *text;
	size_t len;
	bool blank, comment, field;
	size_t type_at, rest_at;   /* rest_at == code: nothing after the type */
	size_t code;               /* where a trailing comment begins, else len */
};

struct fmt {
	const struct ftoks *t;
	struct fline *lines;
	size_t nlines, cap;
	struct out_buf cur;        /* the line being written */
	unsigned cur_indent;
	bool cur_open;             /* something is on the current line */
	bool cur_field;
	size_t type_at, rest_at;
	size_t cmt_at;             /* a trailing comment on the line begins here */
	int prev;                  /* the last token written on the line, 0: none */
	enum ctx stack[64];
	unsigned depth;            /* blocks open: indentation */
	bool after_open;           /* the last line opened a block */
	/* values (defaults, examples): nesting and the element count per level */
	unsigned vdepth;
	bool want_value;
	char vkind[256];           /* '[' or '{' per level */
	unsigned vcount[256];
	bool vkey[256];            /* in an object, a key comes next */
	/* the field or parameter being written */
	unsigned tdepth;           /* brackets in its type */
	int item;                  /* the token that began the current item */
	bool in_type;
	bool tags;                 /* in a `tags` list */
	bool security;             /* in a `security` declaration (its '=' is no default) */
};

static enum ctx ctx(const struct fmt *f)
{
	return f->depth ? f->stack[f->depth - 1] : X_TOP;
}

static void end_line(struct fmt *f)
{
	if (!f->cur_open)
		return;
	if (f->nlines == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->lines = realloc(f->lines, f->cap * sizeof *f->lines);
		if (!f->lines)
			arena_oom_handler();
	}
	struct fline *l = &f->lines[f->nlines++];
	size_t code = f->cmt_at ? f->cmt_at : f->cur.len;
	*l = (struct fline){ .indent = f->cur_indent, .len = f->cur.len, .field = f->cur_field,
			     .type_at = f->type_at, .rest_at = f->rest_at ? f->rest_at : code,
			     .code = code };
	l->text = malloc(f->cur.len + 1);
	if (!l->text)
		arena_oom_handler();
	memcpy(l->text, f->cur.p ? f->cur.p : "", f->cur.len);
	l->text[f->cur.len] = 0;
	f->cur.len = 0;
	f->cur_open = f->cur_field = false;
	f->type_at = f->rest_at = f->cmt_at = 0;
	f->prev = 0;
	f->after_open = false;
}

static void push_line(struct fmt *f, unsigned indent, const char *s, size_t n, bool comment)
{
	end_line(f);
	f->cur_indent = indent;
	out_put(&f->cur, s, n);
	f->cur_open = true;
	end_line(f);
	f->lines[f->nlines - 1].comment = comment;
	if (!n)
		f->lines[f->nlines - 1].blank = true;
}

static void blank_line(struct fmt *f)
{
	end_line(f);
	if (f->nlines && !f->lines[f->nlines - 1].blank && !f->after_open)
		push_line(f, 0, "", 0, false);
}

static void new_line(struct fmt *f, unsigned indent)
{
	end_line(f);
	f->cur_indent = indent;
	f->cur_open = true;
}

/* ---- what a token is ---- */

static bool is_method(int k)
{
	return k == TOK_GET || k == TOK_PUT || k == TOK_POST || k == TOK_DELETE ||
	       k == TOK_PATCH || k == TOK_HEAD || k == TOK_OPTIONS;
}

static bool is_param_in(int k)
{
	return k == TOK_PATHKW || k == TOK_QUERY || k == TOK_HEADER || k == TOK_COOKIE;
}

static bool starts_decl(const struct fmt *f, size_t i)
{
	int k = f->t->v[i].kind;
	if (is_method(k))
		return f->t->v[i + 1].kind == TOK_PATHLIT;
	return k == TOK_SERVICE || k == TOK_MODEL || k == TOK_ENUM || k == TOK_SECURITY ||
	       k == TOK_IMPORT || k == TOK_UNION;
}

/* A field's name: a label, or a string followed by ':' or '?:'. */
static bool is_field_name(const struct fmt *f, size_t i)
{
	const struct ftok *v = f->t->v;
	if (v[i].kind == TOK_LABEL)
		return true;
	return v[i].kind == TOK_STRING &&
	       (v[i + 1].kind == ':' || (v[i + 1].kind == '?' && v[i + 2].kind == ':'));
}

/* A union's branch begins at its value (`card:`) or, bare, at a type that
 * does not follow one; brackets and constraints belong to the branch. */
static bool union_branch_starts(const struct fmt *f, size_t i)
{
	int k = f->t->v[i].kind;
	if (f->tdepth || k == ',' || k == '}' || k == '(' || k == ':' || k == '<')
		return false;
	size_t j = i;
	while (j > 0 && f->t->v[j - 1].kind == ',')
		j--;
	return j == 0 || f->t->v[j - 1].kind != ':';
}

static bool starts_item(const struct fmt *f, size_t i)
{
	int k = f->t->v[i].kind;
	switch (ctx(f)) {
	case X_TOP: return starts_decl(f, i);
	case X_SERVICE:
		return k == TOK_DESCRIPTION || k == TOK_SERVER || k == TOK_BASEPATH ||
		       k == TOK_AUTH || k == TOK_ERRORS || k == TOK_CPREFIX;
	case X_MODEL: return is_field_name(f, i) || k == TOK_SPREAD;
	case X_ENUM: return k != ',' && k != '}';
	case X_ENUM_LINE: return false;
	case X_OP:
		if (k == TOK_DEPRECATED)
			return !is_param_in(f->item); /* a parameter's own `deprecated` stays */
		return k == TOK_OPERATION || k == TOK_SUMMARY || k == TOK_DESCRIPTION ||
		       k == TOK_TAGS || k == TOK_DEPRECATED_NL || k == TOK_AUTH ||
		       is_param_in(k) || k == TOK_BODY || k == TOK_CACHE || k == TOK_ETAG ||
		       k == TOK_RECEIVE || k == TOK_SEND || k == TOK_ASYNC ||
		       k == TOK_DEADLINE || k == TOK_MAXBODY || k == TOK_ARROW;
	case X_RESP: return k == TOK_HEADER;
	case X_UNION: return union_branch_starts(f, i);
	}
	return false;
}

/* ---- spacing ---- */

static bool space_between(const struct fmt *f, int prev, int k)
{
	if (!prev)
		return false;
	if (prev == '(' || prev == '[' || prev == '<' || prev == TOK_DOTDOT || prev == TOK_SPREAD)
		return false;
	if (k == ')' || k == ']' || k == '>' || k == ',' || k == ':' || k == TOK_DOTDOT)
		return false;
	if (k == '?' && prev != TOK_ARROW)
		return false;
	if (prev == '?' && k == ':')
		return false;
	if (k == '<' && prev == TOK_MAP)
		return false;
	if (prev == '{' && k == '}')
		return false;
	(void)f;
	return true;
}

static void put_tok(struct fmt *f, const struct ftok *k)
{
	if (!f->cur_open)
		new_line(f, f->depth * INDENT);
	if (space_between(f, f->prev, k->kind))
		out_put(&f->cur, " ", 1);
	out_put(&f->cur, k->s, k->n);
	f->prev = k->kind;
}

static void put_text(struct fmt *f, const char *s, int as)
{
	out_puts(&f->cur, s);
	f->prev = as;
}

/* ---- comments ---- */

/* The comments before token i. Own-line ones go on lines of their own, at
 * `indent`; a trailing one ends the current line. A token that starts a
 * line also keeps one blank line before it if it had any. Returns whether
 * a comment was written (a token within a line then continues on a new
 * one). */
static bool comments(struct fmt *f, size_t i, unsigned indent, bool starts_line)
{
	const struct ftok *k = &f->t->v[i];
	bool any = false;
	for (size_t j = 0; j < k->nc; j++) {
		const struct fcomment *c = &k->c[j];
		if (c->trailing && f->cur_open) {
			f->cmt_at = f->cur.len;
			if (!f->in_type)
				f->cur_field = false;
			out_put(&f->cur, " ", 1);
			out_put(&f->cur, c->s, c->n);
			end_line(f);
		} else if (c->trailing && f->nlines && !f->lines[f->nlines - 1].blank) {
			/* after a '{' that ended its line */
			struct fline *l = &f->lines[f->nlines - 1];
			l->code = l->len;
			l->text = realloc(l->text, l->len + c->n + 2);
			if (!l->text)
				arena_oom_handler();
			l->text[l->len++] = ' ';
			memcpy(l->text + l->len, c->s, c->n);
			l->len += c->n;
			l->text[l->len] = 0;
		} else {
			if (c->blank)
				blank_line(f);
			push_line(f, indent, c->s, c->n, true);
		}
		any = true;
	}
	if (starts_line && k->blank && k->kind != '}')
		blank_line(f);
	return any;
}

/* A token that is not first on its line but follows a comment goes on a
 * continuation line, one step further in. */
static void mid_line(struct fmt *f, size_t i)
{
	if (comments(f, i, f->depth * INDENT + INDENT, false)) {
		new_line(f, f->depth * INDENT + INDENT);
		f->cur_field = false;
	}
}

/* ---- values: defaults and examples ---- */

static void value_done(struct fmt *f)
{
	if (f->vdepth == 0)
		f->want_value = false;
	else if (f->vkind[f->vdepth - 1] == '{')
		f->vkey[f->vdepth - 1] = true;
}

static void element(struct fmt *f)
{
	if (f->vdepth == 0)
		return;
	if (f->vcount[f->vdepth - 1]++)
		put_text(f, ",", ',');
}

static void value_tok(struct fmt *f, size_t i)
{
	const struct ftok *k = &f->t->v[i];
	mid_line(f, i);
	if (k->kind == ',')
		return; /* written between elements, one way */
	unsigned l = f->vdepth;
	if (l && (k->kind == '}' || k->kind == ']')) {
		f->vdepth--;
		put_tok(f, k);
		value_done(f);
		return;
	}
	if (l && f->vkind[l - 1] == '{') {
		if (f->vkey[l - 1]) {
			element(f);
			put_tok(f, k);
			f->vkey[l - 1] = false;
			return;
		}
		if (k->kind == ':') {
			put_tok(f, k);
			return;
		}
	} else
		element(f);
	put_tok(f, k);
	if ((k->kind == '[' || k->kind == '{') && l < sizeof f->vkind) {
		f->vkind[l] = (char)k->kind;
		f->vcount[l] = 0;
		f->vkey[l] = k->kind == '{';
		f->vdepth++;
		return;
	}
	value_done(f);
}

/* ---- blocks ---- */

static size_t matching_close(const struct ftoks *t, size_t open)
{
	for (size_t j = open + 1; j < t->n; j++)
		if (t->v[j].kind == '}')
			return j;
	return t->n;
}

/* An enum stays on one line when nothing in it has a comment and it fits. */
static bool enum_one_line(const struct fmt *f, size_t open)
{
	size_t close = matching_close(f->t, open), width = f->cur.len + 2;
	for (size_t j = open + 1; j <= close && j < f->t->n; j++) {
		if (f->t->v[j].nc)
			return false;
		if (f->t->v[j].kind != ',')
			width += f->t->v[j].n + 2;
	}
	return width <= ENUM_ONE_LINE_MAX;
}

static void open_block(struct fmt *f, size_t i)
{
	enum ctx c = X_OP;
	if (ctx(f) == X_TOP)
		c = f->item == TOK_SERVICE ? X_SERVICE : f->item == TOK_MODEL ? X_MODEL
		  : f->item == TOK_ENUM ? (enum_one_line(f, i) ? X_ENUM_LINE : X_ENUM)
		  : f->item == TOK_UNION ? X_UNION : X_OP;
	else if (ctx(f) == X_OP)
		c = X_RESP;
	put_tok(f, &f->t->v[i]);
	if (f->depth < sizeof f->stack / sizeof *f->stack)
		f->stack[f->depth++] = c;
	bool empty = f->t->v[i + 1].kind == '}' && !f->t->v[i + 1].nc;
	if (c != X_ENUM_LINE && !empty) {
		end_line(f);
		f->after_open = true;
	}
	f->item = 0;
}

static void close_block(struct fmt *f, size_t i)
{
	const struct ftok *k = &f->t->v[i];
	enum ctx c = ctx(f);
	bool empty = f->prev == '{' && f->cur_open;
	if (c != X_ENUM_LINE && !empty) {
		comments(f, i, f->depth * INDENT, true);
		new_line(f, (f->depth - 1) * INDENT);
	}
	put_tok(f, k);
	if (f->depth)
		f->depth--;
	f->item = '}';
}

/* ---- the tokens, one by one ---- */

static bool begins_rest(int k)
{
	return k == '(' || k == TOK_NULLABLE || k == TOK_READONLY || k == TOK_WRITEONLY ||
	       k == TOK_DEPRECATED || k == TOK_DEPRECATED_NL || k == '=' || k == TOK_EXAMPLE;
}

static void layout_tok(struct fmt *f, size_t i)
{
	const struct ftok *k = &f->t->v[i];
	int kind = k->kind;
	if (f->want_value) {
		value_tok(f, i);
		return;
	}
	if (kind == '}') {
		close_block(f, i);
		return;
	}
	if (kind == ',' && f->tdepth == 0) {
		mid_line(f, i); /* between members, fields, tags: written one way */
		return;
	}
	if (starts_item(f, i)) {
		unsigned indent = f->depth * INDENT;
		comments(f, i, indent, true);
		new_line(f, indent);
		f->item = kind;
		f->tags = kind == TOK_TAGS;
		f->tdepth = 0;
		f->in_type = false;
		if (ctx(f) == X_TOP)
			f->security = kind == TOK_SECURITY;
		f->cur_field = ctx(f) == X_MODEL || (ctx(f) == X_UNION && is_field_name(f, i));
	} else
		mid_line(f, i);
	if (kind == '{' && f->tdepth == 0) {
		open_block(f, i);
		return;
	}
	if (f->tags && kind == TOK_IDENT && f->prev == TOK_IDENT)
		put_text(f, ",", ',');
	if (ctx(f) == X_ENUM_LINE && f->prev != '{')
		put_text(f, ",", ',');
	if (f->cur_field && f->in_type && f->tdepth == 0 && !f->rest_at && begins_rest(kind))
		f->rest_at = f->cur.len;
	put_tok(f, k);
	if (ctx(f) == X_ENUM)
		put_text(f, ",", ',');
	if (kind == '[' || kind == '(' || kind == '<')
		f->tdepth++;
	else if ((kind == ']' || kind == ')' || kind == '>') && f->tdepth)
		f->tdepth--;
	else if (kind == ':' && f->cur_field && !f->in_type && f->tdepth == 0) {
		f->in_type = true;
		f->type_at = f->cur.len;
	} else if ((kind == '=' && !f->security) || kind == TOK_EXAMPLE)
		f->want_value = true;
}

/* ---- the lines, aligned ---- */

static size_t width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static void pad(struct out_buf *b, size_t n)
{
	while (n--)
		out_put(b, " ", 1);
}

/* A line's code, with a field line's columns. */
static void render(const struct fline *l, size_t namew, size_t typew, struct out_buf *b)
{
	if (!l->blank)
		pad(b, l->indent);
	if (!l->field || l->type_at == 0 || l->type_at >= l->code) {
		out_put(b, l->text, l->code);
		return;
	}
	out_put(b, l->text, l->type_at);
	pad(b, namew - width(l->text, l->type_at) + 1);
	const char *ty = l->text + l->type_at + 1;
	size_t tn = l->rest_at - l->type_at - 1;
	out_put(b, ty, tn);
	if (l->rest_at < l->code) {
		pad(b, typew - width(ty, tn) + 1);
		out_put(b, l->text + l->rest_at + 1, l->code - l->rest_at - 1);
	}
}

/* Field lines of one run (no blank line, nothing but fields and comments
 * between them) share the columns of their types and of what follows;
 * trailing comments of consecutive lines share a column too. */
static void write_lines(struct fmt *f, struct out_buf *b)
{
	struct out_buf *code = calloc(f->nlines ? f->nlines : 1, sizeof *code);
	if (!code)
		arena_oom_handler();
	for (size_t i = 0; i < f->nlines;) {
		size_t j = i, namew = 0, typew = 0;
		while (j < f->nlines && (f->lines[j].field || f->lines[j].comment) &&
		       f->lines[j].indent == f->lines[i].indent && f->lines[i].field) {
			const struct fline *l = &f->lines[j++];
			if (!l->field || l->type_at == 0 || l->type_at >= l->code)
				continue;
			size_t nw = width(l->text, l->type_at);
			namew = nw > namew ? nw : namew;
			if (l->rest_at < l->code) {
				size_t tw = width(l->text + l->type_at + 1, l->rest_at - l->type_at - 1);
				typew = tw > typew ? tw : typew;
			}
		}
		if (j == i)
			j = i + 1;
		for (; i < j; i++) {
			out_init(&code[i]);
			render(&f->lines[i], namew, typew, &code[i]);
		}
	}
	for (size_t i = 0; i < f->nlines;) {
		size_t j = i, w = 0;
		while (j < f->nlines && f->lines[j].code < f->lines[j].len &&
		       f->lines[j].indent == f->lines[i].indent) {
			size_t cw = width(code[j].p, code[j].len);
			w = cw > w ? cw : w;
			j++;
		}
		if (j == i) {
			out_put(b, code[i].p, code[i].len);
			out_put(b, "\n", 1);
			i++;
			continue;
		}
		for (; i < j; i++) {
			const struct fline *l = &f->lines[i];
			out_put(b, code[i].p, code[i].len);
			pad(b, w - width(code[i].p, code[i].len) + 1);
			out_put(b, l->text + l->code + 1, l->len - l->code - 1);
			out_put(b, "\n", 1);
		}
	}
	for (size_t i = 0; i < f->nlines; i++)
		out_free(&code[i]);
	free(code);
}

/* ---- the check and the entry point ---- */

static bool same_kind(int a, int b)
{
	if (a == TOK_DEPRECATED_NL)
		a = TOK_DEPRECATED;
	if (b == TOK_DEPRECATED_NL)
		b = TOK_DEPRECATED;
	return a == b;
}

/* The tokens of a and b, commas aside, then their comments; 0, or the
 * index in a near where they differ, plus one. */
static size_t differ(const struct ftoks *a, const struct ftoks *b)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->n && a->v[i].kind == ',')
			i++;
		while (j < b->n && b->v[j].kind == ',')
			j++;
		if (i == a->n || j == b->n) {
			if (i != a->n || j != b->n)
				return i + 1;
			break;
		}
		const struct ftok *x = &a->v[i], *y = &b->v[j];
		if (!same_kind(x->kind, y->kind) || x->n != y->n || memcmp(x->s, y->s, x->n) != 0)
			return i + 1;
		i++, j++;
	}
	size_t ci = 0, cj = 0;
	i = j = 0;
	for (;;) {
		while (i <= a->n && ci == a->v[i].nc)
			i++, ci = 0;
		while (j <= b->n && cj == b->v[j].nc)
			j++, cj = 0;
		if (i > a->n || j > b->n)
			return i > a->n && j > b->n ? 0 : (i > a->n ? a->n : i) + 1;
		const struct fcomment *x = &a->v[i].c[ci++], *y = &b->v[j].c[cj++];
		if (x->n != y->n || memcmp(x->s, y->s, x->n) != 0)
			return i + 1;
	}
}

int format_file(struct source_table *src, unsigned id, char **out, size_t *len)
{
	struct arena *a = arena_new();
	struct diag_ctx *d = diag_new(src, stderr);
	struct ftoks t;
	ftoks_scan(&t, a, d, src, id);
	struct fmt f = { .t = &t };
	out_init(&f.cur);
	for (size_t i = 0; i < t.n; i++)
		layout_tok(&f, i);
	end_line(&f);
	comments(&f, t.n, 0, true);
	end_line(&f);
	while (f.nlines && f.lines[f.nlines - 1].blank)
		free(f.lines[--f.nlines].text);
	struct out_buf b;
	out_init(&b);
	write_lines(&f, &b);
	for (size_t i = 0; i < f.nlines; i++)
		free(f.lines[i].text);
	free(f.lines);
	out_free(&f.cur);
	if (b.oom)
		arena_oom_handler();
	/* the same tokens and comments again, or nothing is written */
	struct source_table *s2 = src_new();
	uint32_t id2 = src_add_mem(s2, src_file(src, id)->path, b.p ? b.p : "", b.len);
	struct ftoks t2;
	struct diag_ctx *d2 = diag_new(s2, stderr);
	ftoks_scan(&t2, a, d2, s2, id2);
	size_t bad = differ(&t, &t2);
	int r = 0;
	if (bad) {
		unsigned line = 0, col = 0;
		const struct ftok *k = &t.v[bad - 1];
		src_linecol(src, id, (uint32_t)(k->s - src_file(src, id)->data), &line, &col);
		fprintf(stderr, "apic: fmt: internal error: the layout of %s would change its "
			"tokens near line %u; the file is left as it is\n", src_file(src, id)->path, line);
		out_free(&b);
		r = -1;
	} else {
		*out = b.p ? b.p : strdup("");
		*len = b.len;
	}
	ftoks_free(&t2);
	ftoks_free(&t);
	diag_free(d2);
	diag_free(d);
	src_free(s2);
	arena_free(a);
	return r;
}
