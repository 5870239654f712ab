/* libFuzzer target: raw request bodies through the whole in-process pipeline
 * (strict JSON parse, generated decoders, echo handlers that re-encode what
 * was decoded) of the test API. The first input byte picks the operation.
 * Built with --enable-fuzzing (clang -fsanitize=fuzzer,address); otherwise
 * linked with the replay main below, which runs every file of the corpus
 * directories named on the command line (default:
 * $top_srcdir/tests/fuzz/decode-corpus) and prints TAP. */
#include "testapi.h"
#include "testing.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Echo handlers: re-encoding exercises the encoders on decoded values. */
int testapi_echo_scalars(struct apic_ctx *ctx, const struct testapi_echo_scalars__params *in)
{
	return testapi_echo_scalars__reply_200(ctx, in->body);
}

int testapi_echo_modifiers(struct apic_ctx *ctx, const struct testapi_echo_modifiers__params *in)
{
	return testapi_echo_modifiers__reply_200(ctx, in->body);
}

int testapi_echo_collections(struct apic_ctx *ctx, const struct testapi_echo_collections__params *in)
{
	return testapi_echo_collections__reply_200(ctx, in->body);
}

int testapi_echo_node(struct apic_ctx *ctx, const struct testapi_echo_node__params *in)
{
	return testapi_echo_node__reply_200(ctx, in->body);
}

int testapi_echo_deep(struct apic_ctx *ctx, const struct testapi_echo_deep__params *in)
{
	return testapi_echo_deep__reply_200(ctx, in->body);
}

int testapi_echo_loose(struct apic_ctx *ctx, const struct testapi_echo_loose__params *in)
{
	return in->body ? testapi_echo_loose__reply_200(ctx, in->body) : testapi_echo_loose__reply_204(ctx);
}

int testapi_echo_list(struct apic_ctx *ctx, const struct testapi_echo_list__params *in)
{
	struct testapi_inner *items = apic_ctx_alloc(ctx, in->body_count * sizeof *items + 1);
	if (!items)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	for (size_t i = 0; i < in->body_count; i++)
		items[i] = *in->body[i];
	return testapi_echo_list__reply_200(ctx, items, in->body_count);
}

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

#ifndef APIC_LIBFUZZER
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, len = 0, r;
	uint8_t *buf = malloc(cap);
	while (buf && (r = fread(buf + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (!buf)
		return -1;
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char def[4096];
	const char *dirs[64];
	int ndirs = 0;
	for (int i = 1; i < argc && ndirs < 64; i++)
		dirs[ndirs++] = argv[i];
	if (ndirs == 0) {
		const char *top = getenv("top_srcdir");
		snprintf(def, sizeof def, "%s/tests/fuzz/decode-corpus", top ? top : ".");
		dirs[ndirs++] = def;
	}
	char **files = NULL;
	size_t n = 0;
	for (int i = 0; i < ndirs; i++) {
		DIR *d = opendir(dirs[i]);
		if (!d) {
			printf("Bail out! cannot open %s\n", dirs[i]);
			return 1;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char **nf = realloc(files, (n + 1) * sizeof *files);
			if (!nf)
				return 1;
			files = nf;
			size_t len = strlen(dirs[i]) + strlen(e->d_name) + 2;
			files[n] = malloc(len);
			if (!files[n])
				return 1;
			snprintf(files[n++], len, "%s/%s", dirs[i], e->d_name);
		}
		closedir(d);
	}
	qsort(files, n, sizeof *files, name_cmp);
	setvbuf(stdout, NULL, _IOLBF, 0); /* a crash still shows the cases before it */
	printf("1..%zu\n", n);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = replay_file(files[i]);
		printf("%s %zu - %s\n", rc == 0 ? "ok" : "not ok", i + 1, strrchr(files[i], '/') + 1);
		failed |= rc != 0;
		free(files[i]);
	}
	free(files);
	apic_tester_free(fuzz_tester);
	return failed;
}
#endif
