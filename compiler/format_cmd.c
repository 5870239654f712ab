/* `apic fmt [--check] [-w] [FILE...]`: each file (or standard input) must
 * parse; then its canonical layout is printed, written back (-w, only when
 * it changed), or, with --check, compared: a unified diff (by diff(1)) for
 * each file that is not formatted, and exit status 1. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "format.h"
#include "lexer.h"
#include "out.h"
#include "proc.h"
#include "source.h"

enum { EXIT_SCHEMA = 1, EXIT_IO = 3 };

/* A temporary file holding n bytes; its path (malloc'd), or NULL. */
static char *temp_with(const char *data, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	char *path;
	if (asprintf(&path, "%s/apic-fmt.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		return NULL;
	int fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	size_t done = 0;
	while (done < n) {
		ssize_t k = write(fd, data + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	if (close(fd) != 0 || done < n) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/* diff -u of the file as it is and as it would be formatted. */
static int show_diff(const char *name, const char *old, size_t on, const char *new, size_t nn)
{
	char *a = temp_with(old, on), *b = a ? temp_with(new, nn) : NULL;
	int r = -1;
	if (a && b) {
		char *label_new = NULL;
		if (asprintf(&label_new, "%s (formatted)", name) >= 0) {
			char *const argv[] = { "diff", "-u", "--label", (char *)name, "--label",
					       label_new, a, b, NULL };
			fflush(stdout);
			pid_t pid = proc_spawn(argv, -1, -1);
			r = pid < 0 ? -1 : proc_wait(pid);
			free(label_new);
		}
	}
	if (a)
		unlink(a);
	if (b)
		unlink(b);
	free(a);
	free(b);
	return r == 1 ? 0 : -1;
}

static int read_stdin(struct source_table *src, uint32_t *id)
{
	struct out_buf b;
	out_init(&b);
	char buf[65536];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, stdin)) > 0) {
		out_put(&b, buf, k);
		if (b.len > SRC_MAX_SIZE) {
			out_free(&b);
			return EFBIG;
		}
	}
	int e = ferror(stdin) ? EIO : 0;
	if (!e)
		*id = src_add_mem(src, "<stdin>", b.p ? b.p : "", b.len);
	out_free(&b);
	return e;
}

/* One file (NULL: standard input); returns an exit status. */
static int fmt_one(const char *path, const struct format_opts *o)
{
	struct source_table *src = src_new();
	struct diag_ctx *d = diag_new(src, stderr);
	diag_set_format(d, o->diag_format);
	diag_set_color(d, o->color);
	struct arena *a = arena_new();
	uint32_t id = 0;
	int e = path ? src_load(src, path, &id) : read_stdin(src, &id);
	int r = 0;
	if (e) {
		fprintf(stderr, "apic: cannot read '%s': %s\n", path ? path : "<stdin>",
			e == EFBIG ? "file too large (the limit is 32 MiB)" : strerror(e));
		r = EXIT_IO;
		goto done;
	}
	struct source_file *f = src_file(src, id);
	size_t bad = src_first_bad_byte(f->data, f->len);
	if (bad < f->len) {
		diag_error(d, (struct apic_loc){ id, (uint32_t)bad, 1 },
			   "invalid UTF-8 or a NUL byte; a schema is UTF-8 text");
	} else {
		struct apic_parse ps = { .arena = a, .diag = d, .src = src, .file = id };
		parse_run(&ps);
	}
	diag_flush(d);
	if (diag_error_count(d)) {
		diag_summary(d);
		r = EXIT_SCHEMA;
		goto done;
	}
	char *text;
	size_t len;
	if (format_file(src, id, &text, &len) != 0) {
		r = EXIT_IO;
		goto done;
	}
	bool same = len == f->len && memcmp(text, f->data, len) == 0;
	if (o->check) {
		if (!same) {
			if (show_diff(f->path, f->data, f->len, text, len) != 0)
				fprintf(stderr, "apic: fmt: %s is not formatted\n", f->path);
			r = EXIT_SCHEMA;
		}
	} else if (o->write && path) {
		if (!same && out_write_if_changed(path, text, len) == OUT_ERROR) {
			fprintf(stderr, "apic: cannot write '%s': %s\n", path, strerror(errno));
			r = EXIT_IO;
		}
	} else if (fwrite(text, 1, len, stdout) != len)
		r = EXIT_IO;
	free(text);
done:
	arena_free(a);
	diag_free(d);
	src_free(src);
	return r;
}

int format_main(char *const *files, int n, const struct format_opts *o)
{
	int status = 0;
	if (n == 0)
		status = fmt_one(NULL, o);
	for (int i = 0; i < n; i++) {
		int r = fmt_one(files[i], o);
		if (r > status)
			status = r;
	}
	if (fflush(stdout) != 0 && status < EXIT_IO)
		status = EXIT_IO;
	return status;
}
