/* `apic new NAME [DIR]`: a standalone project for a user's own API.
 *
 * It writes three files and nothing else: NAME.apic (a small example API to
 * edit), a GNU Makefile and a README. The handler file is not written here:
 * the project's first `make` runs `apic generate`, which writes
 * ID_handlers.c once (ID: NAME as a C identifier), so the stubs always match
 * the schema the user starts from. Existing files are never overwritten. */
#include "scaffold.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out.h"

/* The templates: @NAME@ is the project name (file and program names),
 * @ID@ the C identifier made from it (generated file names, --name). */
static const char schema_template[] =
	"// @NAME@: the schema of your API. `make` regenerates the C code from it\n"
	"// and rebuilds; the language is described in apic(5).\n"
	"\n"
	"/// A to-do list: replace it with your own API.\n"
	"service \"@NAME@\" version \"0.1.0\" {\n"
	"    server \"http://127.0.0.1:8080\" \"local\"\n"
	"}\n"
	"\n"
	"/// Something to do.\n"
	"model Todo {\n"
	"    id:    int64 (min 1) readonly\n"
	"    title: string (len 1..200)\n"
	"    done:  bool = false\n"
	"}\n"
	"\n"
	"/// List the to-dos.\n"
	"get /todos {\n"
	"    operation listTodos\n"
	"    query limit: int32 (1..100) = 20\n"
	"    -> 200 [Todo]\n"
	"}\n"
	"\n"
	"/// Add a to-do.\n"
	"post /todos {\n"
	"    operation createTodo\n"
	"    body Todo\n"
	"    -> 201 Todo\n"
	"}\n"
	"\n"
	"/// One to-do.\n"
	"get /todos/{todoId} {\n"
	"    operation getTodo\n"
	"    path todoId: int64 (min 1)\n"
	"    -> 200 Todo\n"
	"}\n";

static const char makefile_template[] =
	"# Builds ./@NAME@ from @NAME@.apic (GNU make). Made by `apic new`; yours to edit.\n"
	"#   make        regenerate the C code when the schema changed, then build\n"
	"#   make run    build and serve on http://127.0.0.1:8080 (docs at /docs)\n"
	"#   make clean\n"
	"# apic is taken from PATH and libapic from pkg-config: with libapic under\n"
	"# another prefix, set PKG_CONFIG_PATH=PREFIX/lib/pkgconfig.\n"
	"APIC ?= apic\n"
	"PKG_CONFIG ?= pkg-config\n"
	"CFLAGS ?= -O2 -g\n"
	"LIBAPIC_CFLAGS := $(shell $(PKG_CONFIG) --cflags libapic)\n"
	"LIBAPIC_LIBS := $(shell $(PKG_CONFIG) --libs libapic)\n"
	"LIBAPIC_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir libapic)\n"
	"ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(LIBAPIC_CFLAGS) $(CPPFLAGS) $(CFLAGS)\n"
	"\n"
	"# The library file too: a new libapic relinks the program.\n"
	"LIBAPIC_FILES := $(wildcard $(LIBAPIC_LIBDIR)/libapic.so $(LIBAPIC_LIBDIR)/libapic.a)\n"
	"\n"
	"@NAME@: @ID@.o @ID@_handlers.o $(LIBAPIC_FILES)\n"
	"\t$(CC) $(CFLAGS) $(LDFLAGS) -o $@ @ID@.o @ID@_handlers.o $(LIBAPIC_LIBS) \\\n"
	"\t\t-Wl,-rpath,$(LIBAPIC_LIBDIR) $(LDLIBS)\n"
	"\n"
	"%.o: %.c @ID@.h\n"
	"\t$(CC) $(ALL_CFLAGS) -c -o $@ $<\n"
	"\n"
	"# One apic run writes @ID@.h, @ID@.c, @ID@.openapi.json and, only when it\n"
	"# does not exist yet, @ID@_handlers.c: your handlers, never overwritten.\n"
	"# It warns about a handler that matches no operation any more (renamed or\n"
	"# removed). The depfile adds every file the schema imports.\n"
	"@ID@.h: @NAME@.apic\n"
	"\t$(APIC) generate --name @ID@ --depfile @ID@.d @NAME@.apic\n"
	"\t@touch @ID@.h @ID@.c\n"
	"@ID@.c: @ID@.h\n"
	"# A deleted handlers file comes back with a stub per operation. For an\n"
	"# operation added to the schema later: apic stubs --name @ID@ --append @NAME@.apic\n"
	"@ID@_handlers.c:\n"
	"\t$(APIC) stubs --name @ID@ --append @NAME@.apic\n"
	"-include @ID@.d\n"
	"\n"
	"run: @NAME@\n"
	"\t./@NAME@ --port 8080\n"
	"\n"
	"clean:\n"
	"\trm -f @NAME@ *.o @ID@.c @ID@.h @ID@.openapi.json @ID@.d\n"
	"\n"
	".PHONY: run clean\n";

static const char readme_template[] =
	"# @NAME@\n"
	"\n"
	"An HTTP API written with apic: the API is\n"
	"declared once in `@NAME@.apic`; `apic generate` turns it into a validating\n"
	"C server on libapic, with typed handler stubs and an OpenAPI 3.1 document.\n"
	"\n"
	"    make          # generate the C code and build ./@NAME@\n"
	"    make run      # serve on http://127.0.0.1:8080 (interactive docs at /docs)\n"
	"    curl -i http://127.0.0.1:8080/todos\n"
	"\n"
	"Files:\n"
	"\n"
	"- `@NAME@.apic`: the schema. Edit it and run `make`: the C code is\n"
	"  regenerated only when the schema (or a file it imports) changed.\n"
	"- `@ID@_handlers.c`: your code. The first `make` writes it with one\n"
	"  stub per operation (each answers 501 Not Implemented until you fill\n"
	"  it in) and a `main()`; apic never overwrites it. An operation added\n"
	"  to the schema later answers 501 until you add its function here:\n"
	"  `apic stubs --name @ID@ --append @NAME@.apic` appends the stubs of\n"
	"  every operation the file lacks, and `make` warns about a handler whose\n"
	"  operation was renamed or removed. Deleted, the file comes back with\n"
	"  `make`.\n"
	"- `@ID@.h`, `@ID@.c`, `@ID@.openapi.json`: generated, do not edit.\n"
	"\n"
	"A handler gets its validated parameters and body as C structs and\n"
	"answers with a typed reply function:\n"
	"\n"
	"    int @ID@_get_todo(struct apic_ctx *ctx, const struct @ID@_get_todo__params *in)\n"
	"    {\n"
	"        struct @ID@_todo todo = { .id = in->todo_id, .title = { \"write docs\", 10 } };\n"
	"        return @ID@_get_todo__reply_200(ctx, &todo);\n"
	"    }\n"
	"\n"
	"See apic(1), apic(5) and libapic(3).\n";

static const char gitignore_template[] =
	"/@NAME@\n"
	"*.o\n"
	"/@ID@.c\n"
	"/@ID@.h\n"
	"/@ID@.openapi.json\n"
	"/@ID@.d\n";

/* A name starts with a letter and goes on with letters, digits, '-' or '_':
 * it becomes a file name, a program name and (as ID) a C identifier. */
static bool name_valid(const char *name)
{
	if (!isalpha((unsigned char)name[0]) || strlen(name) > 64)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

/* The C identifier for `name`, as `apic generate` makes one: lower case,
 * anything else than a letter or digit becomes '_'. */
static char *name_ident(const char *name)
{
	char *id = strdup(name);

	for (char *p = id; p && *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
	return id;
}

/* `tmpl` with @NAME@ and @ID@ replaced. */
static void expand(struct out_buf *b, const char *tmpl, const char *name, const char *id)
{
	const char *p = tmpl, *at;

	while ((at = strchr(p, '@')) != NULL) {
		out_put(b, p, (size_t)(at - p));
		if (strncmp(at, "@NAME@", 6) == 0) {
			out_puts(b, name);
			p = at + 6;
		} else if (strncmp(at, "@ID@", 4) == 0) {
			out_puts(b, id);
			p = at + 4;
		} else {
			out_put(b, at, 1);
			p = at + 1;
		}
	}
	out_puts(b, p);
}

/* Creates dir/file with the expanded template; fails if it exists. */
static int write_new(const char *dir, const char *file, const char *tmpl,
		     const char *name, const char *id)
{
	char *path = out_path(dir, file);
	struct out_buf b;
	int fd, status = 0;

	out_init(&b);
	expand(&b, tmpl, name, id);
	if (path == NULL || b.oom) {
		fprintf(stderr, "apic: new: out of memory\n");
		status = 3;
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		fprintf(stderr, "apic: new: cannot create %s: %s\n", path, strerror(errno));
		status = 3;
		goto out;
	}
	if (write(fd, b.p, b.len) != (ssize_t)b.len) {
		fprintf(stderr, "apic: new: cannot write %s: %s\n", path, strerror(errno));
		status = 3;
	}
	if (close(fd) != 0 && status == 0) {
		fprintf(stderr, "apic: new: cannot write %s: %s\n", path, strerror(errno));
		status = 3;
	}
out:
	out_free(&b);
	free(path);
	return status;
}

int scaffold_new(const char *name, const char *dir)
{
	static const struct {
		const char *suffix; /* appended to NAME, or the whole file name */
		bool whole;
		const char *tmpl;
	} files[] = {
		{ ".apic", false, schema_template },
		{ "Makefile", true, makefile_template },
		{ "README.md", true, readme_template },
		{ ".gitignore", true, gitignore_template },
	};
	enum { NFILES = sizeof files / sizeof files[0] };
	char *id;
	int status = 0;

	if (name == NULL || !name_valid(name)) {
		fprintf(stderr, "apic: new: invalid project name '%s': use a letter followed by "
			"letters, digits, '-' or '_' (at most 64)\n", name ? name : "");
		return 2;
	}
	if (dir == NULL)
		dir = name;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "apic: new: cannot create directory %s: %s\n", dir, strerror(errno));
		return 3;
	}
	id = name_ident(name);
	if (id == NULL) {
		fprintf(stderr, "apic: new: out of memory\n");
		return 3;
	}
	/* Refuse before writing anything, so a failed run leaves no half project. */
	for (size_t i = 0; i < NFILES && status == 0; i++) {
		char file[80], *path;

		snprintf(file, sizeof file, "%s%s", files[i].whole ? "" : name, files[i].suffix);
		path = out_path(dir, file);
		if (path == NULL) {
			fprintf(stderr, "apic: new: out of memory\n");
			status = 3;
		} else if (access(path, F_OK) == 0) {
			fprintf(stderr, "apic: new: %s already exists; not overwriting it\n", path);
			status = 3;
		}
		free(path);
	}
	for (size_t i = 0; i < NFILES && status == 0; i++) {
		char file[80];

		snprintf(file, sizeof file, "%s%s", files[i].whole ? "" : name, files[i].suffix);
		status = write_new(dir, file, files[i].tmpl, name, id);
	}
	if (status == 0)
		printf("created %s: run `make -C %s` to generate %s_handlers.c and build ./%s\n",
		       dir, dir, id, name);
	free(id);
	return status;
}
