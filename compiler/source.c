/* Source table: file bytes and line index (see source.h). */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

struct source_table {
	struct source_file **files;
	size_t n, cap;
	src_overlay_fn overlay;
	void *overlay_ctx;
};

void src_set_overlay(struct source_table *t, src_overlay_fn fn, void *ctx)
{
	t->overlay = fn;
	t->overlay_ctx = ctx;
}

static void *src_xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		arena_oom_handler();
	return p;
}

static char *src_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(src_xrealloc(NULL, n), s, n);
}

struct source_table *src_new(void)
{
	struct source_table *t = src_xrealloc(NULL, sizeof *t);
	memset(t, 0, sizeof *t);
	return t;
}

void src_free(struct source_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->files[i]->path);
		free(t->files[i]->real);
		free(t->files[i]->data);
		free(t->files[i]->lines);
		free(t->files[i]);
	}
	free(t->files);
	free(t);
}

static uint32_t src_append(struct source_table *t, const char *path, char *data, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->files = src_xrealloc(t->files, t->cap * sizeof *t->files);
	}
	struct source_file *f = src_xrealloc(NULL, sizeof *f);
	memset(f, 0, sizeof *f);
	f->path = src_xstrdup(path);
	f->data = data;
	f->len = len;
	t->files[t->n] = f;
	return (uint32_t)t->n++;
}

uint32_t src_add_mem(struct source_table *t, const char *path, const void *data, size_t len)
{
	char *copy = src_xrealloc(NULL, len + 1);
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	return src_append(t, path, copy, len);
}

int src_load(struct source_table *t, const char *path, uint32_t *id)
{
	if (t->overlay) {
		char *real = realpath(path, NULL);
		size_t n;
		const char *text = real ? t->overlay(t->overlay_ctx, real, &n) : NULL;
		if (text) {
			*id = src_add_mem(t, path, text, n);
			t->files[*id]->real = real;
			return 0;
		}
		free(real);
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return e;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return EISDIR;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > SRC_MAX_SIZE) {
		close(fd);
		return EFBIG;
	}
	/* read to EOF (works for pipes too), refusing more than the limit */
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096, len = 0;
	char *buf = src_xrealloc(NULL, cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap > SRC_MAX_SIZE) {
				free(buf);
				close(fd);
				return EFBIG;
			}
			cap *= 2;
			buf = src_xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len > SRC_MAX_SIZE) {
		free(buf);
		return EFBIG;
	}
	buf[len] = '\0';
	*id = src_append(t, path, buf, len);
	char *real = realpath(path, NULL);
	t->files[*id]->real = real;
	return 0;
}

size_t src_count(const struct source_table *t)
{
	return t->n;
}

struct source_file *src_file(const struct source_table *t, uint32_t id)
{
	return id < t->n ? t->files[id] : NULL;
}

static void src_index(struct source_file *f)
{
	if (f->lines)
		return;
	size_t n = 1;
	for (size_t i = 0; i < f->len; i++)
		n += f->data[i] == '\n';
	f->lines = src_xrealloc(NULL, n * sizeof *f->lines);
	f->lines[0] = 0;
	n = 1;
	for (size_t i = 0; i < f->len; i++)
		if (f->data[i] == '\n')
			f->lines[n++] = (uint32_t)(i + 1);
	f->nlines = n;
}

size_t src_utf8_len(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t need;
	unsigned lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;      /* overlong */
		else if (c == 0xed)
			hi = 0x9f;      /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;      /* > U+10FFFF */
	} else
		return 0;
	if (n < need || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return need;
}

size_t src_first_bad_byte(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;
	while (i < len) {
		if (s[i] == 0)
			return i;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = src_utf8_len(s + i, len - i);
		if (!k)
			return i;
		i += k;
	}
	return len;
}

void src_linecol(const struct source_table *t, uint32_t file, uint32_t off,
		 unsigned *line, unsigned *col)
{
	struct source_file *f = src_file(t, file);
	*line = *col = 1;
	if (!f)
		return;
	src_index(f);
	if (off > f->len)
		off = (uint32_t)f->len;
	size_t lo = 0, hi = f->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (f->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)(lo + 1);
	const unsigned char *s = (const unsigned char *)f->data;
	unsigned c = 1;
	size_t i = f->lines[lo];
	if (f->col_line == *line && f->col_off <= off && f->col_off >= i) {
		i = f->col_off;
		c = f->col;
	}
	while (i < off) {
		size_t k = src_utf8_len(s + i, off - i);
		i += k ? k : 1;
		c++;
	}
	*col = c;
	f->col_line = *line;
	f->col_off = off;
	f->col = c;
}

void src_line(const struct source_table *t, uint32_t file, unsigned line,
	      size_t *start, size_t *len)
{
	struct source_file *f = src_file(t, file);
	*start = *len = 0;
	if (!f || line == 0)
		return;
	src_index(f);
	if (line > f->nlines)
		return;
	size_t s = f->lines[line - 1];
	size_t e = line < f->nlines ? f->lines[line] - 1 : f->len;
	if (e > s && f->data[e - 1] == '\r')
		e--;
	*start = s;
	*len = e - s;
}
