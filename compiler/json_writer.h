/* A streaming JSON text writer into an out_buf, in the layout json-c gives
 * with JSON_C_TO_STRING_PRETTY | SPACED | NOSLASHESCAPE ("key": value,
 * two spaces per level) except that empty containers are "{}" and "[]".
 * The caller writes a well-formed sequence: a key before each value inside
 * an object, none inside an array, then jw_finish(). Out of memory is the
 * out_buf's flag. */
#ifndef APIC_JSON_WRITER_H
#define APIC_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out.h"

struct json_writer {
	struct out_buf *b;
	unsigned depth;   /* containers open */
	bool first;       /* nothing written yet in the innermost one */
	bool after_key;   /* a key was written: its value follows inline */
	size_t n;         /* bytes in buf, not yet in b: most writes are a few
			   * bytes, and a memcpy here is cheaper than out_put */
	char buf[8192];
};

void jw_init(struct json_writer *w, struct out_buf *b);
/* Moves what is staged into the out_buf: the text is complete there. */
void jw_finish(struct json_writer *w);

void jw_obj(struct json_writer *w);
void jw_obj_end(struct json_writer *w);
void jw_arr(struct json_writer *w);
void jw_arr_end(struct json_writer *w);
void jw_key(struct json_writer *w, const char *key);

void jw_str(struct json_writer *w, const char *s);
void jw_str_len(struct json_writer *w, const char *s, size_t n);
void jw_int(struct json_writer *w, int64_t i);
void jw_bool(struct json_writer *w, bool v);
void jw_null(struct json_writer *w);
/* A number as the user spelled it: the text is written as it is. */
void jw_raw(struct json_writer *w, const char *text);

/* A member in one call; jw_kstr writes nothing when `s` is NULL. */
void jw_kstr(struct json_writer *w, const char *key, const char *s);
void jw_kbool(struct json_writer *w, const char *key, bool v);
void jw_kint(struct json_writer *w, const char *key, int64_t i);

#endif
