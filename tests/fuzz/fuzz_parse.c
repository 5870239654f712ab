/* libFuzzer target: parse and check a schema held in memory. Built with
 * --enable-fuzzing (clang -fsanitize=fuzzer,address); otherwise linked with
 * the replay main (replay.c), which runs tests/fuzz/corpus/ in make check. */
#include "arena.h"
#include "check.h"
#include "diag.h"
#include "replay.h"
#include "source.h"

const char fuzz_corpus[] = "tests/fuzz/corpus";

void fuzz_finish(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct source_table *src = src_new();
	struct diag_ctx *d = diag_new(src, NULL);
	struct ast_schema *s = check_load_mem(a, src, d, "fuzz.apic", data, size);
	if (s && diag_error_count(d) == 0)
		check_schema(a, src, d, s);
	diag_flush(d);
	diag_free(d);
	src_free(src);
	arena_free(a);
	return 0;
}
