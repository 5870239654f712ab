/* Runtime side of the generated codecs that is not part of the ABI:
 * compiling and freeing an API's `pattern` constraints. Called by
 * apic_server_new() / apic_server_free() (server.c). */
#ifndef APIC_CODEC_H
#define APIC_CODEC_H

#include <stddef.h>

#include "apic_gen.h"

/* Compiles every pattern of `api` with PCRE2 (UTF mode, JIT when available)
 * into its `code` member. Patterns already compiled are skipped, so several
 * servers may share one API. Returns 0, or -1 with a message in `err`
 * naming the pattern. Not thread-safe: call before serving. */
int apic__patterns_compile(const struct apic_api *api, char *err, size_t errlen);

/* Frees what apic__patterns_compile() made and resets `code` to NULL. */
void apic__patterns_free(const struct apic_api *api);

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing past U+10FFFF), 0 when it is not one. `left` >= 1. */
size_t apic__utf8_seq(const unsigned char *s, size_t left);
/* True when all `n` bytes are well-formed UTF-8. */
bool apic__utf8_valid(const char *s, size_t n);

#endif
