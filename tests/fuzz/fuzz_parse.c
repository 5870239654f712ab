/* libFuzzer target: parse and check a schema held in memory and, when it
 * is valid, run the emitters on it (the OpenAPI and AsyncAPI documents in
 * memory, the C files into a private temporary directory). Built with --enable-fuzzing
 * (clang -fsanitize=fuzzer,address); otherwise linked with the replay main
 * (replay.c), which runs tests/fuzz/corpus/ in make check. */
#include "arena.h"
#include "check.h"
#include "diag.h"
#include "emit.h"
#include "names.h"
#include "replay.h"
#include "source.h"

#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

const char fuzz_corpus[] = "tests/fuzz/corpus";

static char outdir[64];

/* Every file the emitters wrote (NAME.h, .c, .mk, units...), then the
 * directory. */
void fuzz_finish(void)
{
	if (!outdir[0])
		return;
	DIR *d = opendir(outdir);
	for (struct dirent *e; d && (e = readdir(d));) {
		char path[sizeof outdir + 256 + 2];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", outdir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(outdir);
}

static void emit_all(const struct ast_schema *s, struct diag_ctx *d)
{
	if (!outdir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(outdir, sizeof outdir, "%s/apic-fuzz.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
		if (!mkdtemp(outdir)) {
			perror("mkdtemp");
			abort();
		}
		atexit(fuzz_finish);
	}
	struct names *n = names_new("fuzz");
	struct openapi_doc doc;
	/* diag_error_count: names' warnings count as errors under --Werror */
	if (names_check(n, s, d) == 0 && diag_error_count(d) == 0 && emit_openapi(s, d, &doc)) {
		const char *deps[] = { "fuzz.apic" };
		struct emit_opts o = { .schema_path = "fuzz.apic", .outdir = outdir, .name = "fuzz",
				       .deps = deps, .ndeps = 1, .quiet = true, .names = n };
		emit_c(s, &o, &doc, d);
		openapi_doc_free(&doc);
		char *text;
		size_t len;
		if (emit_asyncapi(s, d, &text, &len))
			free(text);
	}
	names_free(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct source_table *src = src_new();
	struct diag_ctx *d = diag_new(src, NULL);
	struct ast_schema *s = check_load_mem(a, src, d, "fuzz.apic", data, size);
	if (s && diag_error_count(d) == 0)
		check_schema(a, src, d, s);
	if (s && diag_error_count(d) == 0)
		emit_all(s, d);
	diag_flush(d);
	diag_free(d);
	src_free(src);
	arena_free(a);
	return 0;
}
