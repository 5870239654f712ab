/* libFuzzer target: raw request bodies through the whole in-process pipeline
 * (strict JSON parse, generated decoders, echo handlers that re-encode what
 * was decoded) of the test API. The first input byte picks the operation.
 * The handlers are the echo handlers of tests/decode/echo_handlers.c.
 * Built with --enable-fuzzing (clang -fsanitize=fuzzer,address); otherwise
 * linked with the replay main (replay.c), which runs
 * tests/fuzz/decode-corpus/ in make check. */
#include "replay.h"
#include "testapi.h"
#include "apic_test.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_corpus[] = "tests/fuzz/decode-corpus";

static const char *const fuzz_targets[] = {
	"/t/scalars", "/t/modifiers", "/t/collections", "/t/nodes", "/t/deep", "/t/loose", "/t/list",
};

static struct apic_tester *fuzz_tester;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (!fuzz_tester && !(fuzz_tester = apic_tester_new(&testapi_api)))
		abort();
	static const char *const hdrs[] = { "Content-Type", "application/json", NULL };
	struct apic_test_request rq = {
		"POST", fuzz_targets[data[0] % (sizeof fuzz_targets / sizeof *fuzz_targets)],
		hdrs, (const char *)data + 1, size - 1,
	};
	struct apic_test_response rs;
	memset(&rs, 0, sizeof rs);
	if (apic_tester_run(fuzz_tester, &rq, &rs) != 0)
		abort();
	/* A decoder that accepted the body must encode it back as valid output. */
	if (rs.status != 200 && rs.status != 204 && rs.status != 400 && rs.status != 413 &&
	    rs.status != 422)
		abort();
	apic_test_response_free(&rs);
	return 0;
}

void fuzz_finish(void)
{
	apic_tester_free(fuzz_tester);
}
