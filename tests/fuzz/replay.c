/* See replay.h. */
#include "replay.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

struct list {
	char **v;
	size_t n;
};

static int list_add(struct list *l, const char *dir, const char *name)
{
	char **nv = realloc(l->v, (l->n + 1) * sizeof *l->v);
	if (!nv)
		return -1;
	l->v = nv;
	size_t len = strlen(dir) + strlen(name) + 2;
	if (!(l->v[l->n] = malloc(len)))
		return -1;
	snprintf(l->v[l->n++], len, "%s%s%s", dir, *dir ? "/" : "", name);
	return 0;
}

/* A directory contributes its files (dot files skipped), anything else itself. */
static int collect(struct list *l, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return list_add(l, "", path);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)))
		if (e->d_name[0] != '.')
			rc = list_add(l, path, e->d_name);
	closedir(d);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	struct list files = { NULL, 0 };
	if (argc < 2) {
		const char *top = getenv("top_srcdir");
		char def[4096];
		snprintf(def, sizeof def, "%s/%s", top ? top : ".", fuzz_corpus);
		if (collect(&files, def) != 0) {
			printf("Bail out! cannot read %s\n", def);
			return 1;
		}
	}
	for (int i = 1; i < argc; i++)
		if (collect(&files, argv[i]) != 0) {
			printf("Bail out! cannot read %s\n", argv[i]);
			return 1;
		}
	if (files.n)
		qsort(files.v, files.n, sizeof *files.v, name_cmp);
	setvbuf(stdout, NULL, _IOLBF, 0); /* a crash still shows the cases before it */
	printf("1..%zu\n", files.n);
	int failed = 0;
	for (size_t i = 0; i < files.n; i++) {
		int rc = replay_file(files.v[i]);
		const char *base = strrchr(files.v[i], '/');
		printf("%s %zu - %s\n", rc == 0 ? "ok" : "not ok", i + 1, base ? base + 1 : files.v[i]);
		failed |= rc != 0;
		free(files.v[i]);
	}
	free(files.v);
	fuzz_finish();
	return failed;
}
