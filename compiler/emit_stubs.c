/* NAME_handlers.c: one stub per operation answering 501, and main(). The
 * file is the user's: it is written only when absent and never touched
 * again. Handlers it lacks still link (weak defaults in NAME.c answer 501);
 * apic lists them so the user can add them. */
#include "emit_stubs.h"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *stub_method(enum ast_method m)
{
	static const char *const v[] = { "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS" };
	return v[m];
}

/* The member list of the params struct, as comment lines. */
static void stub_members(struct out_buf *b, struct names *n, const struct ast_op *op)
{
	const char *params = names_op_fn(n, op, "params");
	for (const struct ast_param *p = op->params; p; p = p->next) {
		static const char *const where[] = { "path", "query", "header", "cookie" };
		const char *mem = names_param(n, p);
		const char *stem = names_aux(n, params, mem);
		const char *opt = p->optional ? names_fmt(n, ", optional: in->has_%s", mem) : "";
		if (p->type->kind == TYPE_ARRAY)
			out_printf(b, " *   in->%s[in->%s_count]  %s  (%s \"%s\"%s)\n", mem, mem,
				   emit_c_type(n, p->type->elem, names_aux(n, stem, "item")),
				   where[p->in], p->name, opt);
		else
			out_printf(b, " *   in->%s  %s  (%s \"%s\"%s)\n", mem,
				   emit_c_type(n, p->type, stem), where[p->in], p->name, opt);
	}
	if (op->body) {
		const char *stem = names_aux(n, params, "body");
		if (op->body->kind == TYPE_ARRAY)
			out_printf(b, " *   in->body[in->body_count]  %s  (request body)\n",
				   emit_c_type(n, op->body->elem, names_aux(n, stem, "item")));
		else if (op->body->kind == TYPE_MAP)
			out_printf(b, " *   in->body[in->body_count]  struct %s  (request body)\n",
				   names_aux(n, stem, "entry"));
		else
			out_printf(b, " *   in->body  %s  (request body%s)\n",
				   emit_c_type(n, op->body, stem),
				   op->body_optional ? ", NULL when absent" : "");
	}
}

static void stub(struct out_buf *b, struct names *n, const struct ast_op *op)
{
	out_printf(b, "/* %s %s (%s)\n", stub_method(op->method), op->path, op->id);
	if (op->params || op->body)
		out_puts(b, " * Parameters, decoded and validated:\n");
	stub_members(b, n, op);
	out_puts(b, " * Replies (return the result):\n");
	for (const struct ast_response *r = op->responses; r; r = r->next) {
		out_puts(b, " *   ");
		emit_c_reply_proto(b, n, op, r);
		if (ast_response_is_error(r))
			out_puts(b, "\n *     (the API's error body with `detail`, as apic_ctx_reply_error())");
		out_puts(b, "\n");
	}
	out_puts(b, " *   apic_ctx_reply_error(ctx, status, \"message\")\n */\n");
	out_printf(b, "int %s(struct apic_ctx *ctx, const struct %s *in)\n{\n", names_op(n, op),
		   names_op_fn(n, op, "params"));
	out_puts(b, "\t(void)in;\n\treturn apic_reply_not_implemented(ctx);\n}\n\n");
}

/* Whether `text` defines or mentions `ident(`, as a whole word. */
static bool stub_mentions(const char *text, const char *ident)
{
	size_t len = strlen(ident);
	for (const char *p = strstr(text, ident); p; p = strstr(p + 1, ident)) {
		bool word_start = p == text || !(p[-1] == '_' || (p[-1] >= '0' && p[-1] <= '9') ||
						 ((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z'));
		const char *q = p + len;
		while (*q == ' ' || *q == '\t' || *q == '\n')
			q++;
		if (word_start && *q == '(')
			return true;
	}
	return false;
}

static char *stub_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct out_buf b;
	out_init(&b);
	char tmp[8192];
	size_t got;
	while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
		out_put(&b, tmp, got);
	bool bad = ferror(f) || b.oom;
	fclose(f);
	if (bad) {
		out_free(&b);
		return NULL;
	}
	if (!b.p)
		return calloc(1, 1);
	return b.p;
}

int emit_stubs(const struct ast_schema *s, const struct emit_opts *opts,
	       struct names *n, struct diag_ctx *d)
{
	const char *fname = names_fmt(n, "%s_handlers.c", opts->name);
	char *path = out_path(opts->outdir, fname);
	if (!path) {
		diag_fatal(d, "out of memory");
		return -1;
	}
	struct stat st;
	int rc = 0;
	if (stat(path, &st) == 0) {
		char *text = stub_read(path);
		if (!text) {
			diag_fatal(d, "cannot read %s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		for (const struct ast_op *op = s->ops; op; op = op->next)
			if (!opts->quiet && !stub_mentions(text, names_op(n, op)))
				fprintf(stderr, "apic: new handler %s (add it to %s)\n", names_op(n, op), fname);
		free(text);
		free(path);
		return 0;
	}
	struct out_buf b;
	out_init(&b);
	out_printf(&b, "/* Handlers of the API in %s, written once by apic %s.\n"
		   " * This file is yours: `apic generate` never rewrites it. An operation\n"
		   " * missing here still builds and answers 501 Not Implemented; apic\n"
		   " * names the handlers to add when the schema grows. Everything a handler\n"
		   " * gets lives until its reply is sent (see docs/generated-code.md). */\n",
		   opts->schema_path, PACKAGE_VERSION);
	out_printf(&b, "#include \"%s.h\"\n\n", opts->name);
	for (const struct ast_op *op = s->ops; op; op = op->next)
		stub(&b, n, op);
	out_printf(&b, "int main(int argc, char **argv)\n{\n"
		   "\treturn apic_main(&%s_api, argc, argv, NULL);\n}\n", names_prefix(n));
	if (b.oom) {
		diag_fatal(d, "out of memory");
		rc = -1;
	} else if (out_write_if_changed(path, b.p, b.len) == OUT_ERROR) {
		diag_fatal(d, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	out_free(&b);
	free(path);
	return rc;
}
