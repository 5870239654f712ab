/* `apic import`: reading the document. JSON goes through json-c's tokener;
 * anything else is YAML, read with libyaml's event parser into the same
 * json-c objects: anchors and aliases (an alias shares its anchor's
 * object), merge keys (<<), and plain scalars typed by the YAML 1.2 core
 * schema (null, bool, int, float, else string; quoted or !!str scalars are
 * strings). Errors name the line and column. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "import_int.h"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *p = malloc(cap + 1);
	size_t k;
	while (p && (k = fread(p + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			char *q = realloc(p, cap * 2 + 1);
			if (!q) {
				free(p);
				p = NULL;
				errno = ENOMEM;
				break;
			}
			p = q;
			cap *= 2;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (p && bad) {
		free(p);
		errno = EIO;
		return NULL;
	}
	if (p) {
		p[n] = 0;
		*len = n;
	}
	return p;
}

static void line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && s[i]; i++) {
		if (s[i] == '\n')
			++*line, *col = 1;
		else
			++*col;
	}
}

static json_object *load_json(const char *all, size_t start, size_t len, const char *shown)
{
	const char *text = all + start;
	json_tokener *tok = json_tokener_new_ex(10000);
	if (!tok)
		return NULL;
	json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t off = tok->char_offset;
	if (o && e == json_tokener_success) {
		/* only white space may follow the value */
		while (off < len && strchr(" \t\r\n", text[off]))
			off++;
		if (off < len) {
			json_object_put(o);
			o = NULL;
			e = json_tokener_error_parse_unexpected;
		}
	} else if (e == json_tokener_continue) {
		e = json_tokener_error_parse_eof;
		off = len;
	}
	if (!o) {
		size_t line, col;
		line_col(all, start + off, &line, &col);
		fprintf(stderr, "%s:%zu:%zu: error: malformed JSON: %s\n", shown, line, col,
			e == json_tokener_error_parse_unexpected && off < len ? "unexpected text after the document"
			: json_tokener_error_desc(e));
	}
	json_tokener_free(tok);
	return o;
}

/* ---- YAML ---- */

static bool match_int(const char *s, long long *v)
{
	char *end;
	errno = 0;
	if (s[0] == '0' && s[1] == 'o')
		*v = strtoll(s + 2, &end, 8);
	else if (s[0] == '0' && s[1] == 'x')
		*v = strtoll(s + 2, &end, 16);
	else {
		const char *p = s + (*s == '-' || *s == '+');
		if (!*p)
			return false;
		for (; *p; p++)
			if (*p < '0' || *p > '9')
				return false;
		*v = strtoll(s, &end, 10);
	}
	return *end == 0 && end != s && errno == 0;
}

static bool match_float(const char *s)
{
	const char *p = s + (*s == '-' || *s == '+');
	size_t digits = 0;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits++;
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == 0;
}

/* A JSON number's spelling: json-c writes it back as it was. */
static bool json_number_text(const char *s)
{
	const char *p = s + (*s == '-');
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == 0;
}

static json_object *yaml_scalar(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	if (tag && strcmp(tag, YAML_STR_TAG) == 0)
		return json_object_new_string_len(s, (int)ev->data.scalar.length);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_object_new_string_len(s, (int)ev->data.scalar.length);
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"))
		return NULL;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return json_object_new_boolean(1);
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return json_object_new_boolean(0);
	long long v;
	if (match_int(s, &v))
		return json_object_new_int64(v);
	if (match_float(s)) {
		double d = strtod(s, NULL);
		return json_number_text(s) ? json_object_new_double_s(d, s) : json_object_new_double(d);
	}
	const char *p = s + (*s == '-' || *s == '+');
	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF"))
		return json_object_new_double(*s == '-' ? -INFINITY : INFINITY);
	if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
		return json_object_new_double(NAN);
	return json_object_new_string_len(s, (int)ev->data.scalar.length);
}

struct ylevel {
	json_object *node;
	char *key;           /* mapping: the pending key, NULL when a key is expected */
	char *anchor;
};

struct yload {
	struct ylevel *st;
	size_t n, cap;
	json_object *anchors;   /* name -> node */
	json_object *root;
	bool have_root;
	const char *err;
};

static void set_anchor(struct yload *y, const yaml_char_t *anchor, json_object *v)
{
	if (anchor)
		json_object_object_add(y->anchors, (const char *)anchor, json_object_get(v));
}

/* `<<: *base` (or a list of them): the keys the mapping lacks. */
static void merge_into(json_object *dst, json_object *src)
{
	if (json_object_is_type(src, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(src); i++)
			merge_into(dst, json_object_array_get_idx(src, i));
		return;
	}
	if (!json_object_is_type(src, json_type_object))
		return;
	json_object_object_foreach(src, k, v) {
		if (!json_object_object_get_ex(dst, k, NULL))
			json_object_object_add(dst, k, json_object_get(v));
	}
}

/* Adds a finished value to the level above (or makes it the root). Takes v. */
static void add_value(struct yload *y, json_object *v, const char *key_text)
{
	if (y->n == 0) {
		if (y->have_root) {
			y->err = "more than one YAML document";
			json_object_put(v);
			return;
		}
		y->root = v;
		y->have_root = true;
		return;
	}
	struct ylevel *l = &y->st[y->n - 1];
	if (json_object_is_type(l->node, json_type_array)) {
		json_object_array_add(l->node, v);
	} else if (!l->key) {
		if (!key_text) {
			y->err = "a mapping key that is not a scalar";
			json_object_put(v);
			return;
		}
		l->key = strdup(key_text);
		json_object_put(v);
	} else {
		if (strcmp(l->key, "<<") == 0) {
			merge_into(l->node, v);
			json_object_put(v);
		} else {
			json_object_object_add(l->node, l->key, v);
		}
		free(l->key);
		l->key = NULL;
	}
}

static bool push(struct yload *y, json_object *node)
{
	if (y->n == y->cap) {
		size_t c = y->cap ? y->cap * 2 : 64;
		struct ylevel *s = realloc(y->st, c * sizeof *s);
		if (!s)
			return false;
		y->st = s;
		y->cap = c;
	}
	y->st[y->n++] = (struct ylevel){ node, NULL, NULL };
	return true;
}

static json_object *load_yaml(const char *text, size_t len, const char *shown)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct yload y = { .anchors = json_object_new_object() };
	if (!yaml_parser_initialize(&p))
		return NULL;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	bool done = false;
	size_t eline = 0, ecol = 0;
	while (!done && !y.err) {
		if (!yaml_parser_parse(&p, &ev)) {
			y.err = p.problem ? p.problem : "malformed YAML";
			eline = p.problem_mark.line + 1;
			ecol = p.problem_mark.column + 1;
			break;
		}
		eline = ev.start_mark.line + 1;
		ecol = ev.start_mark.column + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_SCALAR_EVENT: {
			json_object *v = yaml_scalar(&ev);
			set_anchor(&y, ev.data.scalar.anchor, v);
			add_value(&y, v, (const char *)ev.data.scalar.value);
			break;
		}
		case YAML_ALIAS_EVENT: {
			json_object *v;
			if (!json_object_object_get_ex(y.anchors, (const char *)ev.data.alias.anchor, &v)) {
				y.err = "an alias of an unknown anchor";
				break;
			}
			/* an alias used as a key: its text, when it is a string */
			const char *kt = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
			add_value(&y, json_object_get(v), kt);
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
			json_object *node = seq ? json_object_new_array() : json_object_new_object();
			const yaml_char_t *a = seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor;
			if (!push(&y, node)) {
				y.err = "out of memory";
				json_object_put(node);
				break;
			}
			if (a)
				y.st[y.n - 1].anchor = strdup((const char *)a);
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			struct ylevel l = y.st[--y.n];
			free(l.key);
			if (l.anchor) {
				json_object_object_add(y.anchors, l.anchor, json_object_get(l.node));
				free(l.anchor);
			}
			add_value(&y, l.node, NULL);
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	while (y.n) {
		struct ylevel l = y.st[--y.n];
		free(l.key);
		free(l.anchor);
		json_object_put(l.node);
	}
	free(y.st);
	json_object_put(y.anchors);
	if (y.err) {
		fprintf(stderr, "%s:%zu:%zu: error: malformed YAML: %s\n", shown, eline, ecol, y.err);
		json_object_put(y.root);
		return NULL;
	}
	if (!y.root)
		fprintf(stderr, "%s: error: the document is empty\n", shown);
	return y.root;
}

json_object *imp_load(const char *path, const char *shown, bool *io)
{
	size_t len = 0;
	char *text = read_all(path, &len);
	*io = false;
	if (!text) {
		fprintf(stderr, "apic: error: cannot read '%s': %s\n", path, strerror(errno));
		*io = true;
		return NULL;
	}
	size_t i = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && strchr(" \t\r\n", text[i]))
		i++;
	json_object *o = i < len && (text[i] == '{' || text[i] == '[')
		? load_json(text, i, len - i, shown)
		: load_yaml(text, len, shown);
	free(text);
	return o;
}
