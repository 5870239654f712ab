/* The streaming JSON writer; see json_writer.h. */
#include "json_writer.h"

#include <string.h>

void jw_init(struct json_writer *w, struct out_buf *b)
{
	w->b = b;
	w->depth = 0;
	w->first = true;
	w->after_key = false;
	w->n = 0;
}

void jw_finish(struct json_writer *w)
{
	out_put(w->b, w->buf, w->n);
	w->n = 0;
}

static void jw_put(struct json_writer *w, const char *s, size_t n)
{
	if (n > sizeof w->buf - w->n) {
		jw_finish(w);
		if (n > sizeof w->buf) {
			out_put(w->b, s, n);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

static void jw_newline(struct json_writer *w, unsigned depth)
{
	static const char spaces[] = "\n                                                                ";
	size_t n = 2 * (size_t)depth;

	jw_put(w, spaces, 1);
	while (n) {
		size_t k = n < sizeof spaces - 2 ? n : sizeof spaces - 2;

		jw_put(w, spaces + 1, k);
		n -= k;
	}
}

/* Before a value: inside an array, the separator and the new line. */
static void jw_value(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first)
		jw_put(w, ",", 1);
	jw_newline(w, w->depth);
	w->first = false;
}

/* The bytes json-c's json_escape_str() escapes: control characters, '"'
 * and '\\' ('/' is not, with NOSLASHESCAPE). */
static const bool jw_special[256] = {
	[0x00] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x10] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
};

/* Escapes as json-c with NOSLASHESCAPE: the short forms of \b \f \n \r \t
 * " and \\, \u00xx (lower-case hex) for the other control characters;
 * everything else, UTF-8 and DEL included, as it is. */
static void jw_escaped(struct json_writer *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = 0, i = 0;

	for (;;) {
		while (i < n && !jw_special[(unsigned char)s[i]])
			i++;
		jw_put(w, s + start, i - start);
		if (i == n)
			return;

		unsigned char c = (unsigned char)s[i];
		char esc[6] = { '\\', 0 };
		size_t len = 2;

		switch (c) {
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			len = 6;
		}
		jw_put(w, esc, len);
		start = ++i;
	}
}

static void jw_quoted(struct json_writer *w, const char *s, size_t n)
{
	jw_put(w, "\"", 1);
	jw_escaped(w, s, n);
	jw_put(w, "\"", 1);
}

static void jw_open(struct json_writer *w, const char *c)
{
	jw_value(w);
	jw_put(w, c, 1);
	w->depth++;
	w->first = true;
}

/* An empty container closes on its own line's end: "{}", "[]". */
static void jw_close(struct json_writer *w, const char *c)
{
	w->depth--;
	if (!w->first)
		jw_newline(w, w->depth);
	jw_put(w, c, 1);
	w->first = false;
}

void jw_obj(struct json_writer *w)
{
	jw_open(w, "{");
}

void jw_obj_end(struct json_writer *w)
{
	jw_close(w, "}");
}

void jw_arr(struct json_writer *w)
{
	jw_open(w, "[");
}

void jw_arr_end(struct json_writer *w)
{
	jw_close(w, "]");
}

void jw_key(struct json_writer *w, const char *key)
{
	if (!w->first)
		jw_put(w, ",", 1);
	jw_newline(w, w->depth);
	w->first = false;
	jw_quoted(w, key, strlen(key));
	jw_put(w, ": ", 2);
	w->after_key = true;
}

void jw_str_len(struct json_writer *w, const char *s, size_t n)
{
	jw_value(w);
	jw_quoted(w, s, n);
}

void jw_str(struct json_writer *w, const char *s)
{
	jw_str_len(w, s, strlen(s));
}

/* As json-c prints an int64 ("%" PRId64), without printf's cost. */
void jw_int(struct json_writer *w, int64_t i)
{
	char t[24], *p = t + sizeof t;
	uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (i < 0)
		*--p = '-';
	jw_value(w);
	jw_put(w, p, (size_t)(t + sizeof t - p));
}

void jw_bool(struct json_writer *w, bool v)
{
	jw_raw(w, v ? "true" : "false");
}

void jw_null(struct json_writer *w)
{
	jw_raw(w, "null");
}

void jw_raw(struct json_writer *w, const char *text)
{
	jw_value(w);
	jw_put(w, text, strlen(text));
}

void jw_kstr(struct json_writer *w, const char *key, const char *s)
{
	if (!s)
		return;
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kbool(struct json_writer *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_kint(struct json_writer *w, const char *key, int64_t i)
{
	jw_key(w, key);
	jw_int(w, i);
}
