/* Output buffers and write-if-changed; see out.h. */
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void out_init(struct out_buf *b)
{
	memset(b, 0, sizeof *b);
}

void out_free(struct out_buf *b)
{
	free(b->p);
	out_init(b);
}

static bool out_reserve(struct out_buf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->cap - b->len > more)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len <= more) {
		if (cap > SIZE_MAX / 2) {
			b->oom = true;
			return false;
		}
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void out_put(struct out_buf *b, const char *s, size_t n)
{
	if (!out_reserve(b, n))
		return;
	if (n) /* s may be NULL then: an empty buffer's text */
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void out_puts(struct out_buf *b, const char *s)
{
	out_put(b, s, strlen(s));
}

size_t out_cat_len(const char *fmt, va_list ap)
{
	size_t n = 0;
	for (const char *p = fmt; *p; ) {
		const char *q = strchr(p, '%');
		if (!q)
			return n + strlen(p);
		n += (size_t)(q - p);
		if (q[1] == 's')
			n += strlen(va_arg(ap, const char *));
		else if (q[1] == '%')
			n++;
		else
			return OUT_NOT_CAT;
		p = q + 2;
	}
	return n;
}

size_t out_cat(char *dst, const char *fmt, va_list ap)
{
	char *d = dst;
	for (const char *p = fmt; *p; ) {
		const char *q = strchr(p, '%');
		size_t k = q ? (size_t)(q - p) : strlen(p);
		memcpy(d, p, k);
		d += k;
		if (!q)
			break;
		if (q[1] == 's') {
			const char *s = va_arg(ap, const char *);
			k = strlen(s);
			memcpy(d, s, k);
			d += k;
		} else {
			*d++ = '%';
		}
		p = q + 2;
	}
	*d = '\0';
	return (size_t)(d - dst);
}

void out_vprintf(struct out_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	size_t cat = out_cat_len(fmt, ap2);
	va_end(ap2);
	if (cat != OUT_NOT_CAT) {
		if (out_reserve(b, cat))
			b->len += out_cat(b->p + b->len, fmt, ap);
		return;
	}
	/* Format straight into the free space; a second pass only when the
	 * text does not fit there. */
	if (!out_reserve(b, 256))
		return;
	va_copy(ap2, ap);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (!out_reserve(b, (size_t)n))
			return;
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void out_printf(struct out_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_vprintf(b, fmt, ap);
	va_end(ap);
}

/* The text of a file: a[0..an) then b[0..bn). */
struct text {
	const char *a, *b;
	size_t an, bn;
};

/* Whether the text's bytes from `off` on start with p[0..n). */
static bool text_matches(const struct text *t, size_t off, const char *p, size_t n)
{
	if (off < t->an) {
		size_t k = t->an - off < n ? t->an - off : n;
		if (memcmp(t->a + off, p, k) != 0)
			return false;
		off += k, p += k, n -= k;
	}
	return n == 0 || memcmp(t->b + (off - t->an), p, n) == 0;
}

/* True when the file at `path` holds exactly the text. */
static bool same_content(const char *path, const struct text *t)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	bool same = true;
	char chunk[65536];
	size_t off = 0, got, n = t->an + t->bn;
	while (same && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (got > n - off || !text_matches(t, off, chunk, got))
			same = false;
		off += got;
	}
	if (ferror(f))
		same = false;
	fclose(f);
	return same && off == n;
}

/* Writes all `n` bytes to `fd`; false with errno set on failure. */
static bool write_all(int fd, const char *data, size_t n)
{
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, data + off, n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		off += (size_t)w;
	}
	return true;
}

static bool write_text(int fd, const struct text *t)
{
	return write_all(fd, t->a, t->an) && write_all(fd, t->b, t->bn);
}

/* Writes straight into a file that is not a regular one (/dev/stdout, a
 * FIFO, /dev/null): renaming over it would replace the device node. */
static enum out_result write_in_place(const char *path, const struct text *t)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return OUT_ERROR;
	if (!write_text(fd, t)) {
		int saved = errno;
		close(fd);
		errno = saved;
		return OUT_ERROR;
	}
	return close(fd) == 0 ? OUT_WRITTEN : OUT_ERROR;
}

void out_vline(struct out_buf *b, int ind, const char *fmt, va_list ap)
{
	for (int i = 0; i < ind; i++)
		out_put(b, "\t", 1);
	out_vprintf(b, fmt, ap);
	out_put(b, "\n", 1);
}

enum out_result out_write_if_changed(const char *path, const char *data, size_t n)
{
	return out_write2_if_changed(path, data, n, "", 0);
}

enum out_result out_write2_if_changed(const char *path, const char *a, size_t an,
				      const char *b, size_t bn)
{
	const struct text t = { a, b, an, bn };
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_in_place(path, &t);
	if (same_content(path, &t))
		return OUT_UNCHANGED;
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp) {
		errno = ENOMEM;
		return OUT_ERROR;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp.XXXXXX", 12);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return OUT_ERROR;
	}
	if (!write_text(fd, &t))
		goto fail;
	/* mkstemp creates 0600; generated files are ordinary sources. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return OUT_WRITTEN;
fail:;
	int saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return OUT_ERROR;
}

char *out_path(const char *dir, const char *name)
{
	size_t dl = (dir && strcmp(dir, ".") != 0) ? strlen(dir) : 0;
	size_t nl = strlen(name);
	char *p = malloc(dl + nl + 2);
	if (!p)
		return NULL;
	if (dl) {
		memcpy(p, dir, dl);
		if (p[dl - 1] != '/')
			p[dl++] = '/';
	}
	memcpy(p + dl, name, nl + 1);
	return p;
}

/* mkdir -p: the output directory may not exist yet (a fresh build tree). */
int out_mkdirs(const char *dir)
{
	char *p = strdup(dir);
	if (!p)
		return -1;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return 0;
}

/* Make syntax: spaces and '#' escaped with a backslash, '$' doubled. */
void out_dep_path(struct out_buf *b, const char *p)
{
	for (; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == '\\')
			out_put(b, "\\", 1);
		else if (*p == '$')
			out_put(b, "$", 1);
		out_put(b, p, 1);
	}
}
