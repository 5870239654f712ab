/* Output files: a growable text buffer, and writing a file only when its
 * content changed (through a temporary file in the same directory and
 * rename, so a reader never sees a partial file and make sees no new mtime). */
#ifndef APIC_OUT_H
#define APIC_OUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct out_buf {
	char *p;
	size_t len, cap;
	bool oom;          /* sticky: set when an append could not grow the buffer */
};

void out_init(struct out_buf *b);
void out_free(struct out_buf *b);
void out_put(struct out_buf *b, const char *s, size_t n);
void out_puts(struct out_buf *b, const char *s);
void out_printf(struct out_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* When fmt's only conversions are plain %s (and %%), the format is a
 * concatenation, which out_vprintf() and names_fmt() do without vsnprintf
 * (most of the generator's lines and names are): its length; otherwise
 * OUT_NOT_CAT. */
#define OUT_NOT_CAT ((size_t)-1)
size_t out_cat_len(const char *fmt, va_list ap);
/* Writes it to dst (room for out_cat_len() + 1 bytes, NUL-terminated);
 * returns its length. */
size_t out_cat(char *dst, const char *fmt, va_list ap);
/* format(printf, 2, 0): lets clang's -Wformat-nonliteral (from -Wformat=2)
 * accept the vsnprintf calls in out.c; added by codegen, callers unchanged. */
void out_vprintf(struct out_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* One line of generated code: `ind` tabs, the text, a newline. */
void out_vline(struct out_buf *b, int ind, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

enum out_result {
	OUT_WRITTEN,       /* the file was new or different and has been replaced */
	OUT_UNCHANGED,     /* identical content: the file was not touched */
	OUT_ERROR,         /* errno is set; nothing was changed */
};

/* Replaces `path` with `n` bytes of `data` unless it already holds exactly them. */
enum out_result out_write_if_changed(const char *path, const char *data, size_t n);
/* The same for the text a[0..an) followed by b[0..bn) (no copy of them joined). */
enum out_result out_write2_if_changed(const char *path, const char *a, size_t an,
				      const char *b, size_t bn);

/* Joins a directory and a file name ("." and "" give the name alone); malloc'd. */
char *out_path(const char *dir, const char *name);

/* mkdir -p DIR; 0, or -1 with errno set. */
int out_mkdirs(const char *dir);
/* A path in make syntax (depfiles): spaces, '#' and backslashes escaped, '$' doubled. */
void out_dep_path(struct out_buf *b, const char *p);

#endif
