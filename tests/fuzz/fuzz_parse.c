/* libFuzzer target: parse and check a schema held in memory. Built with
 * --enable-fuzzing (clang -fsanitize=fuzzer,address); otherwise linked with
 * the replay main below, which runs every file named on the command line
 * (make check passes tests/fuzz/corpus/) and prints TAP. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

#ifndef APIC_LIBFUZZER
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf)
		return -1;
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char **files = NULL;
	size_t n = 0;
	char *dflt[2] = { NULL, NULL };
	if (argc < 2) {
		/* make check: the corpus of the source tree */
		const char *top = getenv("top_srcdir");
		if (asprintf(&dflt[1], "%s/tests/fuzz/corpus", top ? top : ".") < 0)
			return 99;
		argv = dflt;
		argc = 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *dir = opendir(argv[i]);
			struct dirent *e;
			while (dir && (e = readdir(dir))) {
				if (e->d_name[0] == '.')
					continue;
				files = realloc(files, (n + 1) * sizeof *files);
				if (asprintf(&files[n++], "%s/%s", argv[i], e->d_name) < 0)
					return 99;
			}
			if (dir)
				closedir(dir);
		} else {
			files = realloc(files, (n + 1) * sizeof *files);
			files[n++] = strdup(argv[i]);
		}
	}
	if (n)
		qsort(files, n, sizeof *files, replay_cmp);
	printf("1..%zu\n", n);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		/* a crash or sanitizer report aborts the run: the test fails */
		int r = replay_file(files[i]);
		printf("%s %zu - %s\n", r == 0 ? "ok" : "not ok", i + 1, files[i]);
		bad |= r != 0;
		free(files[i]);
	}
	free(files);
	free(dflt[1]);
	return bad;
}
#endif
