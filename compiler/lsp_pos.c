/* The language server's positions: the protocol counts lines from 0 and
 * characters in UTF-16 code units (or bytes, with positionEncoding
 * "utf-8"); the compiler's locations are byte offsets. Also file URIs. */
#include "lsp_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "source.h"

void lsp_lines_init(struct lsp_lines *l, const char *data, size_t len)
{
	size_t cap = 64;
	l->data = data;
	l->len = len;
	l->starts = malloc(cap * sizeof *l->starts);
	if (!l->starts)
		arena_oom_handler();
	l->starts[0] = 0;
	l->n = 1;
	/* a line ends at "\n", "\r\n" or a lone "\r", as the protocol says */
	for (size_t i = 0; i < len; i++) {
		if (data[i] != '\n' && data[i] != '\r')
			continue;
		if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
			i++;
		if (l->n == cap) {
			cap *= 2;
			l->starts = realloc(l->starts, cap * sizeof *l->starts);
			if (!l->starts)
				arena_oom_handler();
		}
		l->starts[l->n++] = (uint32_t)(i + 1);
	}
}

void lsp_lines_free(struct lsp_lines *l)
{
	free(l->starts);
	l->starts = NULL;
}

/* The end of line `i` (before its "\n" or "\r\n"). */
static size_t line_end(const struct lsp_lines *l, size_t i)
{
	if (i + 1 >= l->n)
		return l->len;
	size_t e = l->starts[i + 1];
	if (l->data[e - 1] == '\n')
		e--;
	if (e > l->starts[i] && l->data[e - 1] == '\r')
		e--;
	return e;
}

/* Bytes and UTF-16 units of the character at s[i]; invalid bytes are one
 * byte and one unit each. */
static size_t char_at(const struct lsp_lines *l, size_t i, size_t end, unsigned *units)
{
	size_t k = src_utf8_len((const unsigned char *)l->data + i, end - i);
	if (k == 0)
		k = 1;
	*units = k == 4 ? 2 : 1;
	return k;
}

size_t lsp_pos_to_off(const struct lsp_lines *l, int64_t line, int64_t ch, bool utf8)
{
	if (line < 0)
		return 0;
	if ((uint64_t)line >= l->n)
		return l->len;
	size_t i = l->starts[line], end = line_end(l, (size_t)line);
	if (ch <= 0)
		return i;
	if (utf8) {
		size_t o = i + (uint64_t)ch;
		if ((uint64_t)ch > end - i)
			o = end;
		/* never inside a UTF-8 sequence */
		while (o < end && ((unsigned char)l->data[o] & 0xc0) == 0x80)
			o++;
		return o;
	}
	uint64_t u = 0;
	while (i < end && u < (uint64_t)ch) {
		unsigned w;
		i += char_at(l, i, end, &w);
		u += w;
	}
	return i;
}

void lsp_off_to_pos(const struct lsp_lines *l, size_t off, unsigned *line, unsigned *ch, bool utf8)
{
	if (off > l->len)
		off = l->len;
	size_t lo = 0, hi = l->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (l->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)lo;
	size_t i = l->starts[lo], end = line_end(l, lo);
	if (off > end)
		off = end;
	if (utf8) {
		*ch = (unsigned)(off - i);
		return;
	}
	unsigned u = 0;
	while (i < off) {
		unsigned w;
		i += char_at(l, i, end, &w);
		u += w;
	}
	*ch = u;
}

json_object *lsp_json_pos(const struct lsp_lines *l, size_t off, bool utf8)
{
	unsigned line, ch;
	lsp_off_to_pos(l, off, &line, &ch, utf8);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "line", json_object_new_int64(line));
	json_object_object_add(o, "character", json_object_new_int64(ch));
	return o;
}

json_object *lsp_json_range(const struct lsp_lines *l, size_t off, size_t len, bool utf8)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "start", lsp_json_pos(l, off, utf8));
	json_object_object_add(o, "end", lsp_json_pos(l, off + len, utf8));
	return o;
}

bool lsp_get_pos(json_object *pos, int64_t *line, int64_t *ch)
{
	json_object *l = lsp_get(pos, "line"), *c = lsp_get(pos, "character");
	if (!l || !c || !json_object_is_type(l, json_type_int) || !json_object_is_type(c, json_type_int))
		return false;
	*line = json_object_get_int64(l);
	*ch = json_object_get_int64(c);
	return true;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *lsp_uri_to_path(const char *uri)
{
	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	const char *p = uri + 7;
	if (*p != '/') {            /* file://host/path: only localhost */
		if (strncmp(p, "localhost/", 10) != 0)
			return NULL;
		p += 9;
	}
	char *out = malloc(strlen(p) + 1), *o = out;
	if (!out)
		arena_oom_handler();
	for (; *p; p++) {
		int h, l;
		if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
			char c = (char)(h * 16 + l);
			if (c == '\0') {
				free(out);
				return NULL;
			}
			*o++ = c;
			p += 2;
		} else if (*p == '?' || *p == '#') {
			break;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

char *lsp_path_to_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(7 + 3 * strlen(path) + 1), *o = out;
	if (!out)
		arena_oom_handler();
	memcpy(o, "file://", 7);
	o += 7;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

const char *lsp_str(json_object *o, const char *key)
{
	json_object *v = lsp_get(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

json_object *lsp_get(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v))
		return v;
	return NULL;
}
