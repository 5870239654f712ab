/* apic: the command line (see apic(1)). Exit status: 0 success (warnings
 * allowed), 1 the schema has errors, 2 usage, 3 I/O or internal failure. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "check.h"
#include "dev.h"
#include "diag.h"
#include "diff.h"
#include "emit.h"
#include "emit_stubs.h"
#include "format.h"
#include "handlers.h"
#include "import.h"
#include "lsp.h"
#include "names.h"
#include "out.h"
#include "scaffold.h"
#include "source.h"

enum { EXIT_SCHEMA = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

struct opts {
	enum diag_format format;
	int color;                  /* -1 auto, 0 never, 1 always */
	bool werror, dump_ast, dump_tokens, quiet, strict, append, no_main;
	const char *outdir, *output, *name, *depfile, *handlers;
	const char *client;         /* --client LANG: only that client ("ts" or "c") */
	long unit_ops;              /* --unit-ops; -1: not given */
	const char *git_rev;        /* diff --git REV */
	bool json;                  /* diff --json */
	bool fmt_check, fmt_write;  /* fmt --check, -w */
	long port;                  /* dev --port; -1: not given */
	bool stdio;                 /* lsp --stdio (what editors pass; the only transport) */
	const char **accepts;       /* diff --accept "CODE SUBJECT", naccepts of them */
	size_t naccepts;
};

struct comp {
	struct arena *arena;
	struct source_table *src;
	struct diag_ctx *diag;
	struct ast_schema *schema;
	struct names *names;       /* the schema's C names, checked */
};

static const char usage_text[] =
	"usage: apic [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  check [--dump-ast] [--dump-tokens] SCHEMA...\n"
	"                                 parse and check schemas\n"
	"  generate [-o DIR] [--name NAME] [--depfile FILE] [-q] [--strict]\n"
	"           [--no-main] [--unit-ops N] SCHEMA\n"
	"                                 write NAME.h, NAME.c, NAME.openapi.json,\n"
	"                                 NAME.mk and (once) NAME_handlers.c; an API\n"
	"                                 of more than N operations (default 200; 0:\n"
	"                                 never) also gets NAME_ops1.c, NAME_ops2.c...\n"
	"                                 --strict: a handler that matches no operation\n"
	"                                 is an error, not a warning; --no-main: the\n"
	"                                 handlers file gets no main()\n"
	"  generate --client ts [-o DIR] [--name NAME] [--depfile FILE] SCHEMA\n"
	"                                 write only NAME.client.ts, a TypeScript client\n"
	"                                 (fetch, no imports)\n"
	"  generate --client c [-o DIR] [--name NAME] [--depfile FILE] SCHEMA\n"
	"                                 write NAME.client.h and NAME.client.c, a\n"
	"                                 typed C client over NAME.h and NAME.c\n"
	"  stubs [--handlers FILE] [--append] [--no-main] SCHEMA\n"
	"                                 print (or append to FILE, default\n"
	"                                 NAME_handlers.c) the stub of every operation\n"
	"                                 FILE has no handler for\n"
	"  openapi [-o FILE] SCHEMA       print the OpenAPI 3.1 document\n"
	"  asyncapi [-o FILE] SCHEMA      print the AsyncAPI 3.0 document of the\n"
	"                                 WebSockets and event streams\n"
	"  diff [--json] [--accept 'CODE SUBJECT']... OLD NEW\n"
	"  diff --git REV [--json] [--accept 'CODE SUBJECT']... SCHEMA\n"
	"                                 classify every change from OLD (or SCHEMA\n"
	"                                 at git revision REV) to NEW as breaking,\n"
	"                                 compatible or documentation; exit 1 when a\n"
	"                                 breaking change is not accepted\n"
	"  fmt [--check] [-w] [FILE...]   print each schema file (or standard input)\n"
	"                                 in the canonical layout; -w: rewrite the\n"
	"                                 files; --check: print a diff and exit 1 for\n"
	"                                 a file that is not formatted\n"
	"  import [-o OUT.apic] FILE      write the schema of an OpenAPI 3.0 or 3.1\n"
	"                                 document (JSON or YAML); what the schema\n"
	"                                 language cannot say is a warning\n"
	"  new NAME [DIR]                 create a project for a new API\n"
	"  dev [--port N] [DIR] [-- SERVER-ARGS...]\n"
	"                                 in a project made by new: build, serve on\n"
	"                                 port N (default 8080; 0: a free one), and\n"
	"                                 rebuild and restart on every change\n"
	"  lsp [--stdio]                  a language server (LSP) on standard input\n"
	"                                 and output, for editors\n"
	"\n"
	"options:\n"
	"  --diagnostics-format=text|json  diagnostics as text (default) or JSON lines\n"
	"  --color=auto|always|never       colour diagnostics (auto: on a terminal,\n"
	"                                  unless NO_COLOR is set)\n"
	"  --Werror                        treat warnings as errors\n"
	"  -h, --help                      show this help\n"
	"  --version                       show the version\n"
	"\n"
	"exit status: 0 success, 1 schema errors, 2 usage, 3 I/O or internal error\n";

static void oom(void)
{
	fputs("apic: out of memory\n", stderr);
	exit(EXIT_IO);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("apic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'apic --help'.\n", stderr);
	return EXIT_USAGE;
}

static bool use_color(const struct opts *o)
{
	if (o->color >= 0)
		return o->color;
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !(nc && nc[0]) && !(term && strcmp(term, "dumb") == 0);
}

static void comp_free(struct comp *c)
{
	names_free(c->names);
	diag_free(c->diag);
	src_free(c->src);
	arena_free(c->arena);
}

static char *default_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".apic") == 0)
		n -= 5;
	char *s = strndup(b, n);
	if (!s)
		oom();
	return s;
}

/* Loads and checks one schema, its C names included; returns an exit status. */
static int compile(const char *path, const struct opts *o, struct comp *c)
{
	c->arena = arena_new();
	c->src = src_new();
	c->diag = diag_new(c->src, stderr);
	diag_set_format(c->diag, o->format);
	diag_set_color(c->diag, use_color(o));
	diag_set_werror(c->diag, o->werror);
	int err = 0;
	c->schema = check_load(c->arena, c->src, c->diag, path, &err);
	if (!c->schema) {
		diag_fatal(c->diag, "cannot read '%s': %s", path,
			   err == EFBIG ? "file too large (the limit is 32 MiB)" : strerror(err));
		diag_flush(c->diag);
		return EXIT_IO;
	}
	diag_flush(c->diag);
	if (diag_error_count(c->diag) == 0) {
		check_schema(c->arena, c->src, c->diag, c->schema);
		diag_flush(c->diag);
	}
	/* The C names too (two fields that become one C name): whatever
	 * `generate` would refuse, `check` refuses, with the same messages. */
	if (diag_error_count(c->diag) == 0) {
		char *prefix = o->name ? strdup(o->name) : default_name(path);
		if (!prefix)
			oom();
		c->names = names_new(prefix);
		names_check(c->names, c->schema, c->diag);
		free(prefix);
		diag_flush(c->diag);
	}
	diag_summary(c->diag);
	return diag_error_count(c->diag) ? EXIT_SCHEMA : 0;
}

static int emit_status(struct comp *c)
{
	diag_flush(c->diag);
	diag_summary(c->diag);
	return diag_fatal_count(c->diag) ? EXIT_IO : EXIT_SCHEMA;
}

static int cmd_check(int argc, char **argv, const struct opts *o)
{
	if (argc < 1)
		return usage_error("%s", "check: no schema given");
	int status = 0;
	for (int i = 0; i < argc; i++) {
		struct comp c = { 0 };
		int r = compile(argv[i], o, &c);
		if (r == 0 && o->dump_ast)
			ast_dump(c.schema, c.src, stdout);
		if (r == 0 && o->dump_tokens)
			format_dump_tokens(c.src, 0, stdout);
		comp_free(&c);
		if (r > status)
			status = r;
	}
	if (fflush(stdout) != 0)
		status = EXIT_IO;
	return status;
}

/* Reads the handlers file (`path`, or OUTDIR/NAME_handlers.c) and reports
 * its stale handlers. Returns an exit status. */
static int read_handlers(struct comp *c, struct handlers *h, const struct emit_opts *eo,
			 const char *path, bool strict)
{
	struct names *n = c->names;
	char *file = path ? strdup(path) : out_path(eo->outdir, names_fmt(n, "%s_handlers.c", eo->name));
	if (!file)
		oom();
	int err = handlers_read(h, c->src, file, c->schema, n);
	int r = 0;
	if (err) {
		diag_fatal(c->diag, "cannot read '%s': %s", file, strerror(err));
		r = EXIT_IO;
	} else {
		handlers_report_stale(h, c->schema, n, c->diag, strict);
	}
	diag_flush(c->diag);
	free(file);
	return r;
}

static void list_new_handlers(struct comp *c, const struct handlers *h)
{
	size_t i = 0;
	for (const struct ast_op *op = c->schema->ops; op; op = op->next, i++)
		if (!h->defined[i])
			fprintf(stderr, "apic: new handler %s (`apic stubs --append` adds its stub to %s)\n",
				names_op(c->names, op), src_file(c->src, h->file)->path);
}

/* `generate --client ts`: NAME.client.ts alone, and its depfile. */
static int generate_client(struct comp *c, const struct emit_opts *eo)
{
	struct openapi_doc doc;
	int r = 0;

	if (!emit_openapi(c->schema, c->diag, &doc) || emit_ts(c->schema, eo, &doc, c->diag) != 0)
		r = emit_status(c);
	openapi_doc_free(&doc);
	if (r == 0 && eo->depfile) {
		struct out_buf b;
		char *path = out_path(eo->outdir, names_fmt(c->names, "%s.client.ts", eo->name));

		out_init(&b);
		out_dep_path(&b, path ? path : "");
		out_put(&b, ":", 1);
		for (size_t i = 0; i < eo->ndeps; i++) {
			out_put(&b, " ", 1);
			out_dep_path(&b, eo->deps[i]);
		}
		out_put(&b, "\n", 1);
		if (!path || b.oom)
			oom();
		if (out_write_if_changed(eo->depfile, b.p, b.len) == OUT_ERROR) {
			fprintf(stderr, "apic: error: cannot write '%s': %s\n", eo->depfile, strerror(errno));
			r = EXIT_IO;
		}
		free(path);
		out_free(&b);
	}
	return r;
}

static int cmd_generate(int argc, char **argv, const struct opts *o)
{
	if (argc != 1)
		return usage_error("%s", "generate: expected exactly one schema");
	struct comp c = { 0 };
	int r = compile(argv[0], o, &c);
	if (r) {
		comp_free(&c);
		return r;
	}
	size_t ndeps = src_count(c.src);
	const char **deps = arena_alloc(c.arena, ndeps * sizeof *deps);
	for (size_t i = 0; i < ndeps; i++)
		deps[i] = src_file(c.src, (uint32_t)i)->path;
	char *name = o->name ? strdup(o->name) : default_name(argv[0]);
	if (!name)
		oom();
	struct emit_opts eo = {
		.schema_path = argv[0], .outdir = o->outdir ? o->outdir : ".", .name = name,
		.depfile = o->depfile, .deps = deps, .ndeps = ndeps, .quiet = o->quiet,
		.no_main = o->no_main, .unit_ops = o->unit_ops < 0 ? 200 : (size_t)o->unit_ops,
		.names = c.names,
	};
	if (o->client) {
		if (o->outdir && *o->outdir && out_mkdirs(o->outdir) != 0) {
			fprintf(stderr, "apic: error: cannot create '%s': %s\n", o->outdir, strerror(errno));
			r = EXIT_IO;
		} else if (strcmp(o->client, "ts") == 0) {
			r = generate_client(&c, &eo);
		} else {
			struct openapi_doc doc;
			if (!emit_openapi(c.schema, c.diag, &doc) ||
			    emit_c_client(c.schema, &eo, &doc, c.diag) != 0)
				r = emit_status(&c);
			openapi_doc_free(&doc);
		}
		free(name);
		comp_free(&c);
		return r;
	}
	/* The handlers file before anything is written: with --strict a stale
	 * handler stops the run. */
	struct handlers h;
	r = read_handlers(&c, &h, &eo, NULL, o->strict);
	if (r == 0 && o->strict && diag_error_count(c.diag)) {
		diag_summary(c.diag);
		r = EXIT_SCHEMA;
	}
	if (r == 0) {
		struct openapi_doc doc;
		if (!emit_openapi(c.schema, c.diag, &doc) ||
		    emit_c(c.schema, &eo, &doc, c.diag) != 0)
			r = emit_status(&c);
		openapi_doc_free(&doc);
	}
	if (r == 0 && h.exists && !o->quiet)
		list_new_handlers(&c, &h);
	handlers_free(&h);
	free(name);
	comp_free(&c);
	return r;
}

/* `apic stubs`: the stubs of the operations the handlers file lacks. */
static int cmd_stubs(int argc, char **argv, const struct opts *o)
{
	if (argc != 1)
		return usage_error("%s", "stubs: expected exactly one schema");
	struct comp c = { 0 };
	int r = compile(argv[0], o, &c);
	if (r) {
		comp_free(&c);
		return r;
	}
	char *name = o->name ? strdup(o->name) : default_name(argv[0]);
	if (!name)
		oom();
	struct emit_opts eo = { .schema_path = argv[0], .outdir = ".", .name = name, .no_main = o->no_main };
	struct handlers h;
	r = read_handlers(&c, &h, &eo, o->handlers, false);
	struct names *n = c.names;
	const char *path = o->handlers ? o->handlers : names_fmt(n, "%s_handlers.c", name);
	struct out_buf b;
	out_init(&b);
	size_t i = 0, added = 0;
	if (r == 0 && !h.exists && o->append) {
		/* No file yet: the whole file, as `apic generate` writes it. */
		emit_stubs_file(&b, c.schema, &eo, n);
		added = h.nops;
	} else if (r == 0) {
		const struct source_file *f = h.exists ? src_file(c.src, h.file) : NULL;
		if (o->append && f && f->len && f->data[f->len - 1] != '\n')
			out_puts(&b, "\n");
		if (o->append && f)
			out_puts(&b, "\n");
		for (const struct ast_op *op = c.schema->ops; op; op = op->next, i++)
			if (!h.defined[i]) {
				emit_stub(&b, n, op);
				added++;
			}
	}
	if (b.oom)
		oom();
	if (r == 0 && o->append && added) {
		FILE *f = fopen(path, "ab");
		if (!f || fwrite(b.p, 1, b.len, f) != b.len || fclose(f) != 0) {
			fprintf(stderr, "apic: error: cannot write '%s': %s\n", path, strerror(errno));
			r = EXIT_IO;
		} else if (!o->quiet) {
			fprintf(stderr, "apic: %zu stub%s added to %s\n", added, added == 1 ? "" : "s", path);
		}
	} else if (r == 0 && !o->append && added) {
		if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
			r = EXIT_IO;
	}
	out_free(&b);
	handlers_free(&h);
	free(name);
	comp_free(&c);
	return r;
}

/* A document to -o FILE (when it changed) or stdout; returns an exit status. */
static int write_doc(const struct opts *o, const char *text, size_t len)
{
	if (o->output) {
		if (out_write_if_changed(o->output, text, len) == OUT_ERROR) {
			fprintf(stderr, "apic: error: cannot write '%s': %s\n", o->output,
				strerror(errno));
			return EXIT_IO;
		}
	} else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, "apic: error: cannot write the document: %s\n", strerror(errno));
		return EXIT_IO;
	}
	return 0;
}

static int cmd_openapi(int argc, char **argv, const struct opts *o)
{
	if (argc != 1)
		return usage_error("%s", "openapi: expected exactly one schema");
	struct comp c = { 0 };
	int r = compile(argv[0], o, &c);
	if (r) {
		comp_free(&c);
		return r;
	}
	struct openapi_doc doc;
	if (!emit_openapi(c.schema, c.diag, &doc))
		r = emit_status(&c);
	else
		r = write_doc(o, doc.text, doc.len);
	openapi_doc_free(&doc);
	comp_free(&c);
	return r;
}

/* `apic asyncapi`: the same front end, the AsyncAPI document. */
static int cmd_asyncapi(int argc, char **argv, const struct opts *o)
{
	if (argc != 1)
		return usage_error("%s", "asyncapi: expected exactly one schema");
	struct comp c = { 0 };
	int r = compile(argv[0], o, &c);
	if (r) {
		comp_free(&c);
		return r;
	}
	char *text;
	size_t len;
	if (!emit_asyncapi(c.schema, c.diag, &text, &len))
		r = emit_status(&c);
	else
		r = write_doc(o, text, len);
	free(text);
	comp_free(&c);
	return r;
}

/* `apic diff`: both schemas through the whole front end, then the changes.
 * Exit 1 for schema errors in either or for a breaking change that is not
 * accepted. */
static int cmd_diff(int argc, char **argv, const struct opts *o)
{
	if (argc != (o->git_rev ? 1 : 2))
		return usage_error("%s", o->git_rev ? "diff --git REV: expected exactly one schema"
				   : "diff: expected two schemas, OLD and NEW");
	char *gitdir = NULL, *gitpath = NULL;
	if (o->git_rev && diff_git_checkout(o->git_rev, argv[0], &gitdir, &gitpath) != 0)
		return EXIT_IO;
	struct comp oc = { 0 }, nc = { 0 };
	int r = compile(gitpath ? gitpath : argv[0], o, &oc);
	if (gitdir)
		diff_git_rename(oc.src, gitdir, o->git_rev);
	int r2 = compile(argv[o->git_rev ? 0 : 1], o, &nc);
	if (r2 > r)
		r = r2;
	if (r == 0) {
		struct diff_result res = { 0 };
		schema_diff(nc.arena, oc.schema, nc.schema, &res);
		diff_accept(&res, nc.src, o->accepts, o->naccepts);
		diff_print(&res, oc.src, nc.src, o->json, stdout);
		struct diff_counts k;
		diff_count(&res, &k);
		r = k.kinds[DIFF_BREAKING] > k.accepted ? EXIT_SCHEMA : 0;
		diff_result_free(&res);
		if (fflush(stdout) != 0)
			r = EXIT_IO;
	}
	comp_free(&oc);
	comp_free(&nc);
	diff_git_cleanup(gitdir, gitpath);
	return r;
}

int main(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_COLOR, OPT_WERROR, OPT_DUMP, OPT_NAME, OPT_DEPFILE,
	       OPT_VERSION, OPT_STRICT, OPT_APPEND, OPT_HANDLERS, OPT_NO_MAIN, OPT_UNIT_OPS,
	       OPT_CLIENT, OPT_GIT, OPT_JSON, OPT_ACCEPT, OPT_CHECK, OPT_DUMP_TOKENS, OPT_PORT,
	       OPT_STDIO };
	static const struct option longopts[] = {
		{ "diagnostics-format", required_argument, NULL, OPT_FORMAT },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "Werror", no_argument, NULL, OPT_WERROR },
		{ "dump-ast", no_argument, NULL, OPT_DUMP },
		{ "dump-tokens", no_argument, NULL, OPT_DUMP_TOKENS },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "depfile", required_argument, NULL, OPT_DEPFILE },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "append", no_argument, NULL, OPT_APPEND },
		{ "handlers", required_argument, NULL, OPT_HANDLERS },
		{ "no-main", no_argument, NULL, OPT_NO_MAIN },
		{ "unit-ops", required_argument, NULL, OPT_UNIT_OPS },
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ "git", required_argument, NULL, OPT_GIT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "accept", required_argument, NULL, OPT_ACCEPT },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "stdio", no_argument, NULL, OPT_STDIO },
		{ "write", no_argument, NULL, 'w' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .color = -1, .unit_ops = -1, .port = -1 };
	arena_oom_handler = oom;
	opterr = 0;
	int ch;
	/* Words after "--" are no options: dev passes them to the server, other
	 * commands take them as operands (a file named "-x"). getopt would
	 * move "--" away, so it does not see them. */
	int after = argc;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			after = i;
			break;
		}
	int nafter = after < argc ? argc - after - 1 : 0;
	char **words_after = argv + after + 1;
	argc = after;
	while ((ch = getopt_long(argc, argv, "o:qhw", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				o.format = DIAG_FORMAT_JSON;
			else if (strcmp(optarg, "text") == 0)
				o.format = DIAG_FORMAT_TEXT;
			else
				return usage_error("unknown diagnostics format '%s' (text or json)", optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				o.color = -1;
			else if (strcmp(optarg, "always") == 0)
				o.color = 1;
			else if (strcmp(optarg, "never") == 0)
				o.color = 0;
			else
				return usage_error("unknown --color value '%s' (auto, always, never)", optarg);
			break;
		case OPT_WERROR: o.werror = true; break;
		case OPT_DUMP: o.dump_ast = true; break;
		case OPT_DUMP_TOKENS: o.dump_tokens = true; break;
		case OPT_NAME: o.name = optarg; break;
		case OPT_DEPFILE: o.depfile = optarg; break;
		case OPT_STRICT: o.strict = true; break;
		case OPT_APPEND: o.append = true; break;
		case OPT_HANDLERS: o.handlers = optarg; break;
		case OPT_NO_MAIN: o.no_main = true; break;
		case OPT_UNIT_OPS: {
			char *end;
			errno = 0;
			o.unit_ops = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o.unit_ops < 0 || o.unit_ops > 1000000)
				return usage_error("--unit-ops needs a number of operations (0 to 1000000), not '%s'", optarg);
			break;
		}
		case OPT_CLIENT:
			if (strcmp(optarg, "ts") != 0 && strcmp(optarg, "c") != 0)
				return usage_error("unknown client language '%s' (ts or c)", optarg);
			o.client = optarg;
			break;
		case OPT_GIT: o.git_rev = optarg; break;
		case OPT_JSON: o.json = true; break;
		case OPT_CHECK: o.fmt_check = true; break;
		case OPT_PORT: {
			char *end;
			errno = 0;
			o.port = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o.port < 0 || o.port > 65535)
				return usage_error("--port needs a port number (0 to 65535; 0: a free one), not '%s'", optarg);
			break;
		}
		case 'w': o.fmt_write = true; break;
		case OPT_STDIO: o.stdio = true; break;
		case OPT_ACCEPT: {
			/* held by a static: freed by the exit, whatever path ends main() */
			static const char **accepts;
			if (!accepts && !(accepts = calloc((size_t)argc, sizeof *accepts)))
				oom();
			o.accepts = accepts;
			o.accepts[o.naccepts++] = optarg;
			break;
		}
		case 'o': o.output = o.outdir = optarg; break;
		case 'q': o.quiet = true; break;
		case 'h': fputs(usage_text, stdout); return 0;
		case OPT_VERSION: printf("apic %s\n", PACKAGE_VERSION); return 0;
		default:
			if (optopt == 'o')
				return usage_error("%s", "option '-o' needs an argument");
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no command given");
	const char *cmd = argv[optind];
	int n = argc - optind - 1;
	char **args = argv + optind + 1;
	if (nafter && strcmp(cmd, "dev") != 0) {
		/* operands after "--": argv has room, as they are in it already */
		memmove(argv + argc, words_after, (size_t)nafter * sizeof *argv);
		n += nafter;
		nafter = 0;
	}
	if ((o.dump_ast || o.dump_tokens) && strcmp(cmd, "check") != 0)
		return usage_error("%s", "--dump-ast and --dump-tokens are options of 'check'");
	if (o.strict && strcmp(cmd, "generate") != 0)
		return usage_error("%s", "--strict is an option of 'generate'");
	if (o.no_main && strcmp(cmd, "generate") != 0 && strcmp(cmd, "stubs") != 0)
		return usage_error("%s", "--no-main is an option of 'generate' and 'stubs'");
	if (o.unit_ops >= 0 && strcmp(cmd, "generate") != 0)
		return usage_error("%s", "--unit-ops is an option of 'generate'");
	if (o.client && strcmp(cmd, "generate") != 0)
		return usage_error("%s", "--client is an option of 'generate'");
	if (o.client && (o.strict || o.no_main || o.unit_ops >= 0))
		return usage_error("%s", "--strict, --no-main and --unit-ops are options of the server's 'generate', not of --client");
	if ((o.append || o.handlers) && strcmp(cmd, "stubs") != 0)
		return usage_error("%s", "--append and --handlers are options of 'stubs'");
	if ((o.git_rev || o.json || o.accepts) && strcmp(cmd, "diff") != 0)
		return usage_error("%s", "--git, --json and --accept are options of 'diff'");
	if (o.port >= 0 && strcmp(cmd, "dev") != 0)
		return usage_error("%s", "--port is an option of 'dev'");
	if (strcmp(cmd, "dev") == 0) {
		/* dev [DIR] [-- SERVER-ARGS...] */
		if (n > 1)
			return usage_error("%s", "dev: expected at most one project directory");
		return dev_main(argv[0], n ? args[0] : NULL, o.port < 0 ? 8080 : (int)o.port,
				words_after, nafter);
	}
	if ((o.fmt_check || o.fmt_write) && strcmp(cmd, "fmt") != 0)
		return usage_error("%s", "--check and -w are options of 'fmt'");
	if (o.fmt_check && o.fmt_write)
		return usage_error("%s", "fmt: --check and -w exclude each other");
	if (strcmp(cmd, "fmt") == 0) {
		if (o.fmt_write && n == 0)
			return usage_error("%s", "fmt -w: no file given");
		struct format_opts fo = { .check = o.fmt_check, .write = o.fmt_write,
					  .diag_format = o.format, .color = use_color(&o) };
		return format_main(args, n, &fo);
	}
	if (o.stdio && strcmp(cmd, "lsp") != 0)
		return usage_error("%s", "--stdio is an option of 'lsp'");
	if (strcmp(cmd, "lsp") == 0) {
		if (n != 0)
			return usage_error("%s", "lsp: no arguments (it speaks on standard input and output)");
		return lsp_main();
	}
	if (strcmp(cmd, "diff") == 0)
		return cmd_diff(n, args, &o);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(n, args, &o);
	if (strcmp(cmd, "generate") == 0)
		return cmd_generate(n, args, &o);
	if (strcmp(cmd, "openapi") == 0)
		return cmd_openapi(n, args, &o);
	if (strcmp(cmd, "asyncapi") == 0)
		return cmd_asyncapi(n, args, &o);
	if (strcmp(cmd, "stubs") == 0)
		return cmd_stubs(n, args, &o);
	if (strcmp(cmd, "import") == 0) {
		if (n != 1)
			return usage_error("%s", "import: expected exactly one document");
		return import_main(args[0], o.output);
	}
	if (strcmp(cmd, "new") == 0) {
		if (n < 1 || n > 2)
			return usage_error("%s", "new: expected NAME [DIR]");
		return scaffold_new(args[0], n == 2 ? args[1] : NULL);
	}
	if (strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage_error("unknown command '%s'", cmd);
}
