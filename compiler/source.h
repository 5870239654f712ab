/* The source table: every file of a compilation (the root schema and its
 * imports), its bytes and a line-start index. Locations (struct apic_loc)
 * name a file by its id here; line and column are computed only for
 * diagnostics. The table owns the bytes and paths. */
#ifndef APIC_SOURCE_H
#define APIC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/* Larger files are refused: a schema is hand-written text, and offsets in
 * struct apic_loc are 32 bits. */
#define SRC_MAX_SIZE (32u * 1024 * 1024)

struct source_file {
	char *path;          /* as given, or joined with the importer's directory */
	char *real;          /* realpath(), identity for "parsed once"; NULL for memory */
	char *data;          /* the bytes, NUL-terminated (data[len] == 0) */
	size_t len;
	uint32_t *lines;     /* byte offset of each line start, built on demand */
	size_t nlines;
	size_t col_off;      /* the last column computed (diagnostics come in source */
	unsigned col_line, col; /* order, so a long line is walked once) */
	bool has_importer;   /* imported: `importer` is the import statement */
	struct apic_loc importer;
};

struct source_table;

struct source_table *src_new(void);
void src_free(struct source_table *t);

/* Reads a file into the table. Returns 0 and sets *id, or an errno value
 * (EFBIG when larger than SRC_MAX_SIZE, EISDIR for a directory). */
int src_load(struct source_table *t, const char *path, uint32_t *id);
/* Adds bytes from memory (copied) under a display path. */
uint32_t src_add_mem(struct source_table *t, const char *path, const void *data, size_t len);

/* Files the overlay knows (by realpath) are read from it instead of the disk
 * (the language server: the editor's text of an open file); it returns the
 * bytes and sets *len, or NULL to read the file. */
typedef const char *(*src_overlay_fn)(void *ctx, const char *real, size_t *len);
void src_set_overlay(struct source_table *t, src_overlay_fn fn, void *ctx);

size_t src_count(const struct source_table *t);
struct source_file *src_file(const struct source_table *t, uint32_t id);

/* 1-based line and column (in code points) of a byte offset. */
void src_linecol(const struct source_table *t, uint32_t file, uint32_t off,
		 unsigned *line, unsigned *col);
/* The line holding `line` (1-based): start offset and length without '\n'. */
void src_line(const struct source_table *t, uint32_t file, unsigned line,
	      size_t *start, size_t *len);

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t src_utf8_len(const unsigned char *s, size_t n);
/* Offset of the first invalid UTF-8 byte or NUL in data, or len if none. */
size_t src_first_bad_byte(const char *data, size_t len);

#endif
