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

#endif
