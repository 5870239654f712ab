/* The replay main shared by the fuzz targets when they are built without
 * libFuzzer: it runs every file of the corpus through the target and prints
 * TAP, one line per file (a crash or sanitizer report fails the test). */
#ifndef APIC_FUZZ_REPLAY_H
#define APIC_FUZZ_REPLAY_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Defined by each target: its corpus directory relative to $top_srcdir,
 * replayed when no file or directory is named on the command line. */
extern const char fuzz_corpus[];
/* Defined by each target: frees what it keeps between inputs, so leak
 * checkers see a clean exit. */
void fuzz_finish(void);

#endif
