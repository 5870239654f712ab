/* `apic new NAME [DIR]`: a standalone project for a user's own API.
 *
 * It writes NAME.apic (a small example API to edit), app.c/app.h (the
 * set-up main() and the tests share), main.c, test_ID.c (tests through the
 * test client, `make check`), a GNU Makefile, a README and a .gitignore.
 * The handler file is not written here: the project's first `make` runs
 * apic, which writes ID_handlers.c once (ID: NAME as a C identifier), so the
 * stubs always match the schema the user starts from. Existing files are
 * never overwritten. */
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
	"    server \"/\" \"the server that serves this document\"\n"
	"}\n"
	"\n"
	"/// The token the server was started with (--token).\n"
	"security Token = bearer\n"
	"\n"
	"/// Something to do.\n"
	"model Todo {\n"
	"    id:    int64  (min 1) readonly\n"
	"    title: string (len 1..200)\n"
	"    done:  bool   = false\n"
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
	"    -> 404 \"No such to-do\"\n"
	"}\n"
	"\n"
	"/// Delete a to-do (needs the server's token).\n"
	"delete /todos/{todoId} {\n"
	"    operation deleteTodo\n"
	"    auth Token\n"
	"    path todoId: int64 (min 1)\n"
	"    -> 204 \"Deleted\"\n"
	"    -> 404 \"No such to-do\"\n"
	"}\n";

static const char app_h_template[] =
	"/* @NAME@'s application: what main() and the tests set up alike. */\n"
	"#ifndef APP_H\n"
	"#define APP_H\n"
	"\n"
	"#include \"@ID@.h\"\n"
	"\n"
	"/* The state the handlers share: apic_ctx_user_data(ctx). */\n"
	"struct app {\n"
	"\tconst char *token; /* --token: what deleteTodo needs; none: nobody may */\n"
	"};\n"
	"\n"
	"/* Declares the application's options, hands `app` to the handlers and\n"
	" * installs the verifiers. Before apic_server_parse_args(). 0, or -1. */\n"
	"int app_setup(struct apic_server *srv, struct app *app);\n"
	"\n"
	"#endif\n";

static const char app_c_template[] =
	"/* @NAME@'s set-up: options, shared state, verifiers (app.h). */\n"
	"#include \"app.h\"\n"
	"\n"
	"#include <string.h>\n"
	"\n"
	"/* Token: the bearer token must be the one given with --token. */\n"
	"static enum apic_auth_result verify_token(struct apic_ctx *ctx, const struct apic_credential *cred,\n"
	"\t\t\t\t\t  void *cls, void **principal)\n"
	"{\n"
	"\tconst struct app *app = cls;\n"
	"\tunsigned char diff = 0;\n"
	"\n"
	"\t(void)ctx;\n"
	"\tif (app->token == NULL || strlen(app->token) != cred->token.len)\n"
	"\t\treturn APIC_AUTH_INVALID;\n"
	"\t/* every byte compared: the time taken tells nothing about the token */\n"
	"\tfor (size_t i = 0; i < cred->token.len; i++)\n"
	"\t\tdiff |= (unsigned char)(app->token[i] ^ cred->token.ptr[i]);\n"
	"\tif (diff != 0)\n"
	"\t\treturn APIC_AUTH_INVALID;\n"
	"\t*principal = (void *)app->token;\n"
	"\treturn APIC_AUTH_OK;\n"
	"}\n"
	"\n"
	"int app_setup(struct apic_server *srv, struct app *app)\n"
	"{\n"
	"\tapic_server_add_option(srv, \"token\", \"TOKEN\", \"the bearer token deleteTodo needs\", &app->token);\n"
	"\tapic_server_set_user_data(srv, app);\n"
	"\treturn apic_server_set_verifier(srv, \"Token\", verify_token, app);\n"
	"}\n";

static const char main_c_template[] =
	"/* @NAME@'s main(): the server as its command line and environment ask\n"
	" * (./@NAME@ --help lists every flag with its default). */\n"
	"#include \"app.h\"\n"
	"\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tstruct app app = { .token = NULL };\n"
	"\tstruct apic_server *srv = apic_server_new(&@ID@_api);\n"
	"\n"
	"\tif (srv == NULL || app_setup(srv, &app) != 0) {\n"
	"\t\tapic_server_free(srv);\n"
	"\t\treturn 1;\n"
	"\t}\n"
	"\tint rc = apic_server_parse_args(srv, argc, argv);\n"
	"\tif (rc == 0)\n"
	"\t\trc = apic_server_run(srv);\n"
	"\telse if (rc == APIC_ARGS_EXIT)\n"
	"\t\trc = 0;\n"
	"\tapic_server_free(srv);\n"
	"\treturn rc;\n"
	"}\n";

static const char test_c_template[] =
	"/* Tests of @NAME@'s API, run in-process by libapic's test client\n"
	" * (libapic(3), TESTING): `make check`. The server is set up as main()\n"
	" * does; a test double replaces the Token verifier. TAP output. */\n"
	"#include \"app.h\"\n"
	"\n"
	"#include <apic_test.h>\n"
	"#include <stdio.h>\n"
	"#include <string.h>\n"
	"\n"
	"static int n, failed;\n"
	"\n"
	"static void check(int ok, const char *what)\n"
	"{\n"
	"\tprintf(\"%s %d - %s\\n\", ok ? \"ok\" : \"not ok\", ++n, what);\n"
	"\tfailed += !ok;\n"
	"}\n"
	"\n"
	"/* The test double: the token \"test\" is anybody's. */\n"
	"static enum apic_auth_result test_token(struct apic_ctx *ctx, const struct apic_credential *cred,\n"
	"\t\t\t\t\tvoid *cls, void **principal)\n"
	"{\n"
	"\t(void)ctx;\n"
	"\t(void)cls;\n"
	"\tif (cred->token.len != 4 || memcmp(cred->token.ptr, \"test\", 4) != 0)\n"
	"\t\treturn APIC_AUTH_INVALID;\n"
	"\t*principal = \"tester\";\n"
	"\treturn APIC_AUTH_OK;\n"
	"}\n"
	"\n"
	"int main(void)\n"
	"{\n"
	"\tstruct app app = { .token = NULL };\n"
	"\tstruct apic_tester *t = apic_tester_new(&@ID@_api);\n"
	"\tstruct apic_test_response r;\n"
	"\n"
	"\tif (t == NULL || app_setup(apic_tester_server(t), &app) != 0)\n"
	"\t\treturn 1;\n"
	"\n"
	"\tapic_tester_call(t, \"POST\", \"/todos\", NULL, \"{\\\"title\\\": \\\"\\\"}\", &r);\n"
	"\tcheck(r.status == 422, \"an empty title is refused: 422\");\n"
	"\tcheck(r.body && strstr(r.body, \"/title\"), \"the problem names /title\");\n"
	"\tapic_test_response_free(&r);\n"
	"\n"
	"\tapic_tester_call(t, \"DELETE\", \"/todos/1\", NULL, NULL, &r);\n"
	"\tcheck(r.status == 401, \"deleting without a token: 401\");\n"
	"\tcheck(apic_test_response_header(&r, \"WWW-Authenticate\") != NULL, \"with WWW-Authenticate\");\n"
	"\tapic_test_response_free(&r);\n"
	"\n"
	"\tstatic const char *const auth[] = { \"Authorization\", \"Bearer test\", NULL };\n"
	"\tapic_server_set_verifier(apic_tester_server(t), \"Token\", test_token, NULL);\n"
	"\tapic_tester_call(t, \"DELETE\", \"/todos/1\", auth, NULL, &r);\n"
	"\tcheck(r.status != 401 && r.status != 500, \"with the test double's token the handler answers\");\n"
	"\tapic_test_response_free(&r);\n"
	"\n"
	"\tapic_tester_free(t);\n"
	"\tprintf(\"1..%d\\n\", n);\n"
	"\treturn failed != 0;\n"
	"}\n";

static const char makefile_template[] =
	"# Builds ./@NAME@ from @NAME@.apic (GNU make). Made by `apic new`; yours to edit.\n"
	"#   make        regenerate the C code when the schema changed, then build\n"
	"#   make check  build and run the tests (test_@ID@.c)\n"
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
	"# The library file too: a new libapic relinks the programs.\n"
	"LIBAPIC_FILES := $(wildcard $(LIBAPIC_LIBDIR)/libapic.so $(LIBAPIC_LIBDIR)/libapic.a)\n"
	"LINK = $(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBAPIC_LIBS) \\\n"
	"\t-Wl,-rpath,$(LIBAPIC_LIBDIR) $(LDLIBS)\n"
	"# @ID@.mk, written by apic, lists the generated C files (a big API's\n"
	"# operations are spread over @ID@_ops1.c, @ID@_ops2.c...).\n"
	"include @ID@.mk\n"
	"API_OBJS = $(@ID@_C_SOURCES:.c=.o) @ID@_handlers.o app.o\n"
	"\n"
	"@NAME@: $(API_OBJS) main.o $(LIBAPIC_FILES)\n"
	"\t$(LINK)\n"
	"\n"
	"test_@ID@: $(API_OBJS) test_@ID@.o $(LIBAPIC_FILES)\n"
	"\t$(LINK)\n"
	"\n"
	"%.o: %.c @ID@.h app.h\n"
	"\t$(CC) $(ALL_CFLAGS) -c -o $@ $<\n"
	"\n"
	"# One apic run writes @ID@.h, the C files, @ID@.openapi.json, @ID@.mk and, only when it\n"
	"# does not exist yet, @ID@_handlers.c: your handlers, never overwritten\n"
	"# (main() is in main.c). It warns about a handler that matches no\n"
	"# operation any more (renamed or removed). The depfile adds every file the\n"
	"# schema imports.\n"
	"# make reads @ID@.mk, so it makes it (and with it everything) first.\n"
	"@ID@.mk: @NAME@.apic\n"
	"\t$(APIC) generate --no-main --name @ID@ --depfile @ID@.d @NAME@.apic\n"
	"\t@touch @ID@.mk && touch @ID@.h $(wildcard @ID@.c @ID@_ops*.c)\n"
	"@ID@.h $(@ID@_C_SOURCES): @ID@.mk\n"
	"# A deleted handlers file comes back with a stub per operation. For an\n"
	"# operation added to the schema later: apic stubs --no-main --name @ID@ --append @NAME@.apic\n"
	"@ID@_handlers.c:\n"
	"\t$(APIC) stubs --no-main --name @ID@ --append @NAME@.apic\n"
	"-include @ID@.d\n"
	"\n"
	"check: test_@ID@\n"
	"\t./test_@ID@\n"
	"\n"
	"run: @NAME@\n"
	"\t./@NAME@ --port 8080\n"
	"\n"
	"clean:\n"
	"\trm -f @NAME@ test_@ID@ *.o $(@ID@_C_SOURCES) @ID@.h @ID@.openapi.json @ID@.mk @ID@.d\n"
	"\n"
	".PHONY: check run clean\n";

static const char readme_template[] =
	"# @NAME@\n"
	"\n"
	"An HTTP API written with apic: the API is\n"
	"declared once in `@NAME@.apic`; `apic generate` turns it into a validating\n"
	"C server on libapic, with typed handler stubs and an OpenAPI 3.1 document.\n"
	"\n"
	"    make          # generate the C code and build ./@NAME@\n"
	"    make check    # run the tests in test_@ID@.c\n"
	"    make run      # serve on http://127.0.0.1:8080 (interactive docs at /docs)\n"
	"    curl -i http://127.0.0.1:8080/todos\n"
	"\n"
	"Files:\n"
	"\n"
	"- `@NAME@.apic`: the schema. Edit it and run `make`: the C code is\n"
	"  regenerated only when the schema (or a file it imports) changed.\n"
	"- `@ID@_handlers.c`: your handlers. The first `make` writes it with one\n"
	"  stub per operation (each answers 501 Not Implemented until you fill\n"
	"  it in); apic never overwrites it. An operation added to the schema\n"
	"  later answers 501 until you add its function here:\n"
	"  `apic stubs --no-main --name @ID@ --append @NAME@.apic` appends the stubs\n"
	"  of every operation the file lacks, and `make` warns about a handler\n"
	"  whose operation was renamed or removed. Deleted, the file comes back\n"
	"  with `make`.\n"
	"- `app.c`, `app.h`: what the server and the tests set up alike: the\n"
	"  application's options (`--token`), the state handlers share\n"
	"  (`apic_ctx_user_data()`), the verifier of the `Token` scheme.\n"
	"- `main.c`: `main()`, the server as its command line asks (`./@NAME@ --help`).\n"
	"- `test_@ID@.c`: tests through libapic's in-process test client\n"
	"  (`apic_test.h`): requests in, status, headers and body out, with a\n"
	"  test double in place of the real verifier.\n"
	"- `@ID@.h`, `@ID@.c` (and `@ID@_ops*.c` for a big API), `@ID@.openapi.json`,\n"
	"  `@ID@.mk`: generated, do not edit.\n"
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
	"/@ID@_ops*.c\n"
	"/@ID@.mk\n"
	"/@ID@.h\n"
	"/@ID@.openapi.json\n"
	"/@ID@.d\n"
	"/test_@ID@\n";

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
	/* A file's name: head, then NAME, ID or nothing, then tail. */
	enum { BARE, WITH_NAME, WITH_ID };
	static const struct {
		const char *head;
		int with;
		const char *tail;
		const char *tmpl;
	} files[] = {
		{ "", WITH_NAME, ".apic", schema_template },
		{ "app.h", BARE, "", app_h_template },
		{ "app.c", BARE, "", app_c_template },
		{ "main.c", BARE, "", main_c_template },
		{ "test_", WITH_ID, ".c", test_c_template },
		{ "Makefile", BARE, "", makefile_template },
		{ "README.md", BARE, "", readme_template },
		{ ".gitignore", BARE, "", gitignore_template },
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

		snprintf(file, sizeof file, "%s%s%s", files[i].head,
			 files[i].with == WITH_NAME ? name : files[i].with == WITH_ID ? id : "", files[i].tail);
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

		snprintf(file, sizeof file, "%s%s%s", files[i].head,
			 files[i].with == WITH_NAME ? name : files[i].with == WITH_ID ? id : "", files[i].tail);
		status = write_new(dir, file, files[i].tmpl, name, id);
	}
	if (status == 0)
		printf("created %s: run `make -C %s` to generate %s_handlers.c and build ./%s\n",
		       dir, dir, id, name);
	free(id);
	return status;
}
