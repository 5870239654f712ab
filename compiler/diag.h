/* Diagnostics: records with a severity, a primary location and a message,
 * kept by a context until printed in the form of a good C compiler
 * (file:line:col, the source line, a caret/tilde span, "did you mean"), or as
 * JSON lines for tools (--diagnostics-format=json). See apic(1) DIAGNOSTICS. */
#ifndef APIC_DIAG_H
#define APIC_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"

struct diag_ctx;
struct source_table;

/* An error makes the compilation fail (exit 1) and no output is written. */
void diag_error(struct diag_ctx *d, struct apic_loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag_ctx *d, struct apic_loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A note attached to the diagnostic reported just before it. */
void diag_note(struct diag_ctx *d, struct apic_loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error with no source location (I/O on an output file). */
void diag_fatal(struct diag_ctx *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

size_t diag_error_count(const struct diag_ctx *d);

/* Added by the front end (owner of diag.c) for main.c, check.c and tests;
 * the functions above are unchanged. */
#include <stdio.h>

/* At most this many errors are reported; then "too many errors, stopping". */
#define DIAG_MAX_ERRORS 20

enum diag_format {
	DIAG_FORMAT_TEXT,  /* compiler style, see apic(1) DIAGNOSTICS */
	DIAG_FORMAT_JSON,  /* one JSON object per line */
};

/* A context printing to `out` (NULL: count only, print nothing); it reads
 * source lines from `src`, which must outlive it. */
struct diag_ctx *diag_new(const struct source_table *src, FILE *out);
void diag_free(struct diag_ctx *d);
void diag_set_format(struct diag_ctx *d, enum diag_format f);
void diag_set_color(struct diag_ctx *d, bool color);
/* Report warnings as errors (--Werror). */
void diag_set_werror(struct diag_ctx *d, bool werror);
/* Replacement text (a "did you mean" candidate) for the last diagnostic. */
void diag_fixit(struct diag_ctx *d, const char *text);
size_t diag_warning_count(const struct diag_ctx *d);
/* Errors reported with diag_fatal() (no source location: I/O, internal). */
size_t diag_fatal_count(const struct diag_ctx *d);
/* True once DIAG_MAX_ERRORS errors were reported: stop working. */
bool diag_capped(const struct diag_ctx *d);
/* A sink receives the diagnostics at diag_flush() instead of their being
 * printed: in source order, each primary followed by its notes (is_note).
 * The strings live until the callback returns. */
struct diag_item {
	const char *severity;   /* "error", "warning", "note" */
	bool is_note, is_error, has_loc;
	struct apic_loc loc;
	const char *msg;
	const char *fixit;      /* "did you mean" replacement, or NULL */
};
typedef void (*diag_sink_fn)(void *ctx, const struct diag_item *it);
void diag_set_sink(struct diag_ctx *d, diag_sink_fn fn, void *ctx);
/* Prints the diagnostics recorded since the last flush, in source order. */
void diag_flush(struct diag_ctx *d);
/* Prints "N errors generated." (and warnings) in text format, if any. */
void diag_summary(struct diag_ctx *d);

#endif
