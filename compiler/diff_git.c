/* apic diff --git REV FILE: the old schema comes from git. Every *.apic
 * file of REV is written by `git archive | tar -x` into a temporary
 * directory, so the old schema's imports are the ones of REV too. */
#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "proc.h"
#include "source.h"

/* The first line git prints for argv, malloc'd, or NULL. */
static char *git_line(char *const argv[])
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return NULL;
	pid_t pid = proc_spawn(argv, -1, p[1]);
	close(p[1]);
	char buf[PATH_MAX + 2];
	size_t n = 0;
	ssize_t k;
	while (n < sizeof buf - 1 && (k = read(p[0], buf + n, sizeof buf - 1 - n)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		n += (size_t)k;
	}
	close(p[0]);
	if (pid < 0 || proc_wait(pid) != 0)
		return NULL;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return strdup(buf);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

void diff_git_cleanup(char *dir, char *path)
{
	if (dir)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	free(path);
}

int diff_git_checkout(const char *rev, const char *file, char **dirp, char **pathp)
{
	*dirp = *pathp = NULL;
	char *real = realpath(file, NULL);
	if (!real) {
		fprintf(stderr, "apic: diff: cannot read '%s': %s\n", file, strerror(errno));
		return -1;
	}
	char *slash = strrchr(real, '/');
	*slash = 0;
	char *const top_argv[] = { "git", "-C", real, "rev-parse", "--show-toplevel", NULL };
	char *top = git_line(top_argv);
	*slash = '/';
	char *rtop = top ? realpath(top, NULL) : NULL;
	free(top);
	size_t tl = rtop ? strlen(rtop) : 0;
	if (!rtop || strncmp(real, rtop, tl) != 0 || real[tl] != '/') {
		fprintf(stderr, "apic: diff: '%s' is not in a git work tree\n", file);
		free(real);
		free(rtop);
		return -1;
	}
	char *tree = NULL;
	if (asprintf(&tree, "%s^{tree}", rev) < 0)
		tree = NULL;
	char *const verify[] = { "git", "-C", rtop, "rev-parse", "--verify", "--quiet", tree, NULL };
	char *id = tree ? git_line(verify) : NULL;
	if (!id) {
		fprintf(stderr, "apic: diff: '%s' is not a revision of the repository of '%s'\n", rev, file);
		free(tree);
		free(real);
		free(rtop);
		return -1;
	}
	free(id);
	const char *tmp = getenv("TMPDIR");
	char *dir = NULL;
	if (asprintf(&dir, "%s/apic-diff.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0 || !mkdtemp(dir)) {
		fprintf(stderr, "apic: diff: cannot make a temporary directory: %s\n", strerror(errno));
		free(dir);
		free(tree);
		free(real);
		free(rtop);
		return -1;
	}
	bool ok = true;
	char *const archive[] = { "git", "-C", rtop, "archive", "--format=tar", tree, "--",
				  ":(glob)**/*.apic", NULL };
	char *const untar[] = { "tar", "-x", "-f", "-", "-C", dir, NULL };
	int p[2];
	if (ok && pipe2(p, O_CLOEXEC) == 0) {
		pid_t g = proc_spawn(archive, -1, p[1]);
		close(p[1]);
		pid_t t = g < 0 ? -1 : proc_spawn(untar, p[0], -1);
		close(p[0]);
		bool gok = g >= 0 && proc_wait(g) == 0;
		bool tok = t >= 0 && proc_wait(t) == 0;
		ok = gok && tok;
		if (!gok)
			fprintf(stderr, "apic: diff: git archive of '%s' failed\n", rev);
	} else
		ok = false;
	free(tree);
	char *path = NULL;
	struct stat st;
	if (ok && (asprintf(&path, "%s%s", dir, real + tl) < 0 || stat(path, &st) != 0)) {
		fprintf(stderr, "apic: diff: '%s' does not exist in %s\n", real + tl + 1, rev);
		ok = false;
	}
	free(real);
	free(rtop);
	if (!ok) {
		diff_git_cleanup(dir, path);
		return -1;
	}
	*dirp = dir;
	*pathp = path;
	return 0;
}

void diff_git_rename(struct source_table *src, const char *dir, const char *rev)
{
	size_t dl = strlen(dir);
	for (uint32_t i = 0; i < src_count(src); i++) {
		struct source_file *f = src_file(src, i);
		if (strncmp(f->path, dir, dl) != 0 || f->path[dl] != '/')
			continue;
		char *p;
		if (asprintf(&p, "%s:%s", rev, f->path + dl + 1) < 0)
			continue;
		free(f->path);
		f->path = p;
	}
}
