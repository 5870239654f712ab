/* The language server's completion: what may come at the cursor, judged
 * from the text before it (blocks, the tokens of the line), with the names
 * of the document's latest analysis. Also the growing string of lsp_feat.h. */
#include "lsp_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lsp_feat.h"

void lsp_buf_put(struct lsp_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			arena_oom_handler();
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

void lsp_buf_printf(struct lsp_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		arena_oom_handler();
	lsp_buf_put(b, s);
	free(s);
}

enum block { B_TOP, B_MODEL, B_ENUM, B_SERVICE, B_OP, B_RESP, B_VALUE, B_UNION };
enum tk { T_NONE, T_WORD, T_PUNCT, T_ARROW, T_NUMBER, T_STRING };

#define MAX_DEPTH 64

struct ctx {
	enum block stack[MAX_DEPTH];
	size_t depth;               /* may exceed MAX_DEPTH: then B_VALUE */
	enum block pending;         /* the block the next '{' opens */
	unsigned paren;
	enum tk last, prev;
	char lastw[32], prevw[32];  /* words of the last two tokens */
	char last_punct;
	unsigned line_toks;         /* tokens since the last newline */
	bool line_colon, line_arrow;
	char line_first[32];        /* the line's first word */
	char line_type[64];         /* the first word after ':' on the line */
	bool in_text;               /* the cursor is in a string or comment */
};

static enum block top(const struct ctx *c)
{
	if (c->depth == 0)
		return B_TOP;
	return c->depth <= MAX_DEPTH ? c->stack[c->depth - 1] : B_VALUE;
}

static bool is_word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

static void copy_word(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void token(struct ctx *c, enum tk k, const char *s, size_t n)
{
	c->prev = c->last;
	memcpy(c->prevw, c->lastw, sizeof c->prevw);
	c->last = k;
	c->lastw[0] = '\0';
	if (k == T_WORD) {
		copy_word(c->lastw, sizeof c->lastw, s, n);
		if (c->line_toks == 0)
			copy_word(c->line_first, sizeof c->line_first, s, n);
		if (c->line_colon && !c->line_type[0] && strcmp(c->lastw, "map") != 0)
			copy_word(c->line_type, sizeof c->line_type, s, n);
	} else if (k == T_PUNCT) {
		c->last_punct = s[0];
		if (s[0] == ':')
			c->line_colon = true;
	} else if (k == T_ARROW) {
		c->line_arrow = true;
	}
	c->line_toks++;
}

static bool is_method(const char *w)
{
	static const char *const m[] = { "get", "put", "post", "delete", "patch", "head", "options", NULL };
	for (const char *const *p = m; *p; p++)
		if (strcmp(w, *p) == 0)
			return true;
	return false;
}

static void scan(struct ctx *c, const char *t, size_t end)
{
	size_t i = 0;
	while (i < end) {
		char ch = t[i];
		if (ch == '\n') {
			c->line_toks = 0;
			c->line_colon = c->line_arrow = false;
			c->line_first[0] = c->line_type[0] = '\0';
			i++;
		} else if (ch == ' ' || ch == '\t' || ch == '\r') {
			i++;
		} else if (ch == '/' && i + 1 < end && t[i + 1] == '/') {
			while (i < end && t[i] != '\n')
				i++;
			if (i == end)
				c->in_text = true;
		} else if (ch == '"') {
			size_t s = i++;
			while (i < end && t[i] != '"' && t[i] != '\n')
				i += t[i] == '\\' && i + 1 < end ? 2 : 1;
			if (i >= end) {
				c->in_text = true;
				return;
			}
			i++;
			token(c, T_STRING, t + s, i - s);
		} else if (ch >= '0' && ch <= '9') {
			size_t s = i;
			while (i < end && (is_word_char(t[i]) || (t[i] == '.' && i + 1 < end && t[i + 1] != '.')))
				i++;
			token(c, T_NUMBER, t + s, i - s);
		} else if (is_word_char(ch)) {
			size_t s = i;
			while (i < end && is_word_char(t[i]))
				i++;
			token(c, T_WORD, t + s, i - s);
			if (top(c) == B_TOP) {
				if (strcmp(c->lastw, "model") == 0)
					c->pending = B_MODEL;
				else if (strcmp(c->lastw, "enum") == 0)
					c->pending = B_ENUM;
				else if (strcmp(c->lastw, "union") == 0)
					c->pending = B_UNION;
				else if (strcmp(c->lastw, "service") == 0)
					c->pending = B_SERVICE;
				else if (is_method(c->lastw))
					c->pending = B_OP;
			}
		} else if (ch == '-' && i + 1 < end && t[i + 1] == '>') {
			token(c, T_ARROW, t + i, 2);
			i += 2;
		} else {
			if (ch == '{') {
				enum block b = top(c) == B_TOP && c->pending != B_TOP ? c->pending
					     : top(c) == B_OP && c->line_arrow ? B_RESP : B_VALUE;
				if (c->depth < MAX_DEPTH)
					c->stack[c->depth] = b;
				c->depth++;
				c->pending = B_TOP;
				c->paren = 0;
			} else if (ch == '}') {
				if (c->depth)
					c->depth--;
				c->paren = 0;
			} else if (ch == '(') {
				c->paren++;
			} else if (ch == ')') {
				if (c->paren)
					c->paren--;
			}
			token(c, T_PUNCT, t + i, 1);
			i++;
		}
	}
}

/* CompletionItemKind */
enum { K_FIELD = 5, K_CLASS = 7, K_PROPERTY = 10, K_VALUE = 12, K_ENUM = 13, K_KEYWORD = 14,
       K_MEMBER = 20, K_TYPE = 25 };

static void item(json_object *a, const char *label, int kind, const char *detail)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "label", json_object_new_string(label));
	json_object_object_add(o, "kind", json_object_new_int(kind));
	if (detail)
		json_object_object_add(o, "detail", json_object_new_string(detail));
	json_object_array_add(a, o);
}

static void words(json_object *a, const char *const *w, int kind)
{
	for (; *w; w++)
		item(a, *w, kind, NULL);
}

static void types(json_object *a, const struct ast_schema *s)
{
	static const char *const builtins[] = { "string", "bool", "int32", "int64", "number", "map", NULL };
	words(a, builtins, K_TYPE);
	for (const struct ast_model *m = s->models; m; m = m->next)
		if (m->name)
			item(a, m->name, K_CLASS, "model");
	for (const struct ast_enum *e = s->enums; e; e = e->next)
		if (e->name)
			item(a, e->name, K_ENUM, "enum");
	for (const struct ast_union *u = s->unions; u; u = u->next)
		if (u->name)
			item(a, u->name, K_CLASS, "union");
}

static void securities(json_object *a, const struct ast_schema *s)
{
	for (const struct ast_security *x = s->securities; x; x = x->next)
		if (x->name)
			item(a, x->name, K_VALUE, "security scheme");
}

static const char *const top_kw[] = { "import", "service", "security", "model", "enum", "union", "get", "put",
				      "post", "delete", "patch", "head", "options", NULL };
static const char *const op_kw[] = { "path", "query", "header", "cookie", "body", "->", "auth",
				     "summary", "description", "tags", "deprecated", "operation",
				     "cache", "etag", "maxbody", "receive", "send", "async",
				     "deadline", NULL };
static const char *const svc_kw[] = { "description", "server", "basepath", "auth", "errors",
				      "cprefix", NULL };
static const char *const field_mods[] = { "nullable", "readonly", "writeonly", "deprecated",
					  "example", "=", NULL };
static const char *const param_mods[] = { "deprecated", "example", "=", NULL };
static const char *const constraints[] = { "min", "max", "xmin", "xmax", "len", "minlen", "maxlen",
					   "pattern", "format", "items", "minitems", "maxitems",
					   "unique", "minprops", "maxprops", NULL };
static const char *const formats[] = { "email", "uuid", "date", "date-time", "uri", "password",
				       "ipv4", "ipv6", "hostname", "uri-reference", "binary", NULL };

static bool last_is(const struct ctx *c, const char *w)
{
	return c->last == T_WORD && strcmp(c->lastw, w) == 0;
}

static void complete(const struct ctx *c, const struct ast_schema *s, json_object *a)
{
	enum block b = top(c);
	bool after_type = c->line_colon && c->line_type[0] &&
		(c->last == T_WORD || (c->last == T_PUNCT && strchr(")]>?", c->last_punct)));
	if (c->paren > 0 && b != B_TOP) {
		if (last_is(c, "format"))
			words(a, formats, K_VALUE);
		else if (c->last == T_PUNCT && (c->last_punct == '(' || c->last_punct == ','))
			words(a, constraints, K_PROPERTY);
		return;
	}
	if (c->last == T_PUNCT && c->last_punct == '=') {
		if (b == B_TOP) {
			static const char *const kinds[] = { "bearer", "apikey", "basic", NULL };
			words(a, kinds, K_KEYWORD);
			return;
		}
		const struct ast_enum *e = lsp_find_enum(s, c->line_type);
		for (const struct ast_enum_member *m = e ? e->members : NULL; m; m = m->next)
			if (m->name)
				item(a, m->name, K_MEMBER, e->name);
		if (strcmp(c->line_type, "bool") == 0) {
			static const char *const bools[] = { "true", "false", NULL };
			words(a, bools, K_VALUE);
		}
		return;
	}
	if ((c->last == T_PUNCT && strchr(":[<", c->last_punct)) || last_is(c, "body") ||
	    last_is(c, "receive") || last_is(c, "send") || last_is(c, "stream") ||
	    (c->last == T_PUNCT && c->last_punct == '?' && strcmp(c->prevw, "body") == 0) ||
	    (c->last == T_NUMBER && c->prev == T_ARROW)) {
		if (b != B_TOP)
			types(a, s);
		if (c->last == T_NUMBER && c->prev == T_ARROW) {
			/* a raw body: `-> 200 text as "text/csv"` */
			static const char *const raw[] = { "text", "bytes", NULL };
			words(a, raw, K_KEYWORD);
		}
		return;
	}
	if ((last_is(c, "text") || last_is(c, "bytes")) && c->prev == T_NUMBER) {
		static const char *const as[] = { "as", NULL };
		words(a, as, K_KEYWORD);
		return;
	}
	if (last_is(c, "auth")) {
		static const char *const extra[] = { "none", "optional", NULL };
		securities(a, s);
		words(a, extra, K_KEYWORD);
		return;
	}
	if (last_is(c, "optional") && strcmp(c->prevw, "auth") == 0) {
		securities(a, s);
		return;
	}
	if (last_is(c, "errors")) {
		for (const struct ast_model *m = s->models; m; m = m->next)
			if (m->name)
				item(a, m->name, K_CLASS, "model");
		return;
	}
	if (last_is(c, "apikey")) {
		static const char *const ins[] = { "header", "query", "cookie", NULL };
		words(a, ins, K_KEYWORD);
		return;
	}
	switch (b) {
	case B_TOP:
		if (c->line_toks == 0 || c->last == T_NONE || (c->last == T_PUNCT && c->last_punct == '}'))
			words(a, top_kw, K_KEYWORD);
		break;
	case B_OP:
		if (c->line_toks == 0 || (c->last == T_PUNCT && c->last_punct == '{'))
			words(a, op_kw, K_KEYWORD);
		else if (after_type)
			words(a, param_mods, K_KEYWORD);
		break;
	case B_MODEL:
		if (after_type)
			words(a, field_mods, K_KEYWORD);
		break;
	case B_UNION:
		/* a bare branch is a type; `value:` is followed by one (above) */
		if (c->line_toks == 0 || (c->last == T_PUNCT && strchr("{,", c->last_punct)))
			types(a, s);
		break;
	case B_SERVICE:
		if (c->line_toks == 0 || (c->last == T_PUNCT && c->last_punct == '{'))
			words(a, svc_kw, K_KEYWORD);
		break;
	case B_RESP:
		if (c->line_toks == 0 || (c->last == T_PUNCT && c->last_punct == '{')) {
			static const char *const hdr[] = { "header", NULL };
			words(a, hdr, K_KEYWORD);
		} else if (after_type) {
			words(a, param_mods, K_KEYWORD);
		}
		break;
	default:
		break;
	}
}

json_object *lsp_completion(struct lsp_server *s, json_object *params)
{
	struct lsp_at at;
	if (!lsp_at(s, params, &at))
		return NULL;
	/* the word being typed is not context: the client filters by it */
	const char *t = at.doc->text;
	size_t end = at.off <= at.doc->len ? at.off : at.doc->len;
	while (end > 0 && is_word_char(t[end - 1]))
		end--;
	struct ctx c = { .pending = B_TOP };
	scan(&c, t, end);
	json_object *a = json_object_new_array();
	if (!c.in_text)
		complete(&c, at.an->schema, a);
	json_object *r = json_object_new_object();
	json_object_object_add(r, "isIncomplete", json_object_new_boolean(0));
	json_object_object_add(r, "items", a);
	return r;
}
