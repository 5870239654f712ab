/* NAME_handlers.c: one stub per operation answering 501, and main(). The
 * file is the user's: it is written only when absent and never touched
 * again. Handlers it lacks still link (weak defaults in NAME.c answer 501);
 * `apic generate` lists them and `apic stubs` writes their stubs. */
#include "emit_stubs.h"

#include "c_names.h"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *stub_method(enum ast_method m)
{
	static const char *const v[] = { "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS" };
	return v[m];
}

/* A parameter default as comment text: the value for a scalar. */
static void stub_default(struct out_buf *b, const struct ast_value *v)
{
	switch (v->kind) {
	case VAL_BOOL: out_puts(b, v->b ? "true" : "false"); break;
	case VAL_NUMBER: out_puts(b, v->num.text); break;
	case VAL_IDENT: out_puts(b, v->str); break;
	case VAL_STRING:
		out_put(b, "\"", 1);
		for (size_t i = 0; i < v->len; i++)
			out_put(b, v->str[i] == '*' || (unsigned char)v->str[i] < 0x20 ? "?" : v->str + i, 1);
		out_put(b, "\"", 1);
		break;
	default: out_puts(b, "the schema's"); break;
	}
}

/* How a parameter arrives: " (query \"limit\", default 20)". */
static void stub_origin(struct out_buf *b, const char *mem, const struct ast_param *p)
{
	static const char *const where[] = { "path", "query", "header", "cookie" };
	out_printf(b, "  (%s \"%s\"", where[p->in], p->name);
	if (p->def) {
		/* the decoder fills it in when absent: in->X always holds a value */
		out_puts(b, ", default ");
		stub_default(b, p->def);
	} else if (p->optional) {
		out_printf(b, ", optional: in->has_%s", mem);
	}
	out_puts(b, ")\n");
}

/* The member list of the params struct, as comment lines. */
static void stub_members(struct out_buf *b, struct names *n, const struct ast_op *op)
{
	const char *params = names_op_fn(n, op, "params");
	for (const struct ast_param *p = op->params; p; p = p->next) {
		const char *mem = names_param(n, p);
		const char *stem = names_aux(n, params, mem);
		if (p->type->kind == TYPE_ARRAY)
			out_printf(b, " *   in->%s[in->%s_count]  %s", mem, mem,
				   emit_c_type(n, p->type->elem, names_aux(n, stem, "item")));
		else
			out_printf(b, " *   in->%s  %s", mem, emit_c_type(n, p->type, stem));
		stub_origin(b, mem, p);
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

void emit_stub(struct out_buf *b, struct names *n, const struct ast_op *op)
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
		if (r->raw)
			out_printf(b, "\n *     (the n bytes at p%s, sent as %s%s)",
				   r->raw == RAW_TEXT ? ", UTF-8 text" : "", r->media,
				   r->download ? " for download" : "");
		if (r->stream) {
			out_puts(b, "\n *     (opens the event stream of `channel`; events come from\n *     ");
			emit_c_publish_proto(b, n, op, r);
			out_puts(b, ")");
		}
		out_puts(b, "\n");
	}
	if (op->ws_in && op->ws_out) {
		out_puts(b, " *   ");
		emit_c_ws_protos(b, n, op, 0);
		out_puts(b, "\n *     (accepts the WebSocket; then, on the loop thread, messages come to\n"
			 " *     on->message, and the handler sends with\n *     ");
		emit_c_ws_protos(b, n, op, 1);
		out_puts(b, ")\n");
	}
	out_puts(b, " *   apic_ctx_reply_error(ctx, status, \"message\")\n */\n");
	out_printf(b, "int %s(struct apic_ctx *ctx, const struct %s *in)\n{\n", names_op(n, op),
		   names_op_fn(n, op, "params"));
	out_puts(b, "\t(void)in;\n\treturn apic_reply_not_implemented(ctx);\n}\n\n");
}

void emit_stubs_file(struct out_buf *b, const struct ast_schema *s, const struct emit_opts *opts,
		     struct names *n)
{
	out_printf(b, "/* Handlers of the API in %s, written once by apic %s.\n"
		   " * This file is yours: `apic generate` never rewrites it. An operation\n"
		   " * missing here still builds and answers 501 Not Implemented; `apic\n"
		   " * stubs --append` adds the stubs of operations added to the schema.\n"
		   " * Everything a handler gets lives until its reply is sent (libapic(3),\n"
		   " * MEMORY). */\n",
		   opts->schema_path, PACKAGE_VERSION);
	out_printf(b, "#include \"%s.h\"\n\n", opts->name);
	for (const struct ast_op *op = s->ops; op; op = op->next)
		emit_stub(b, n, op);
	if (!opts->no_main)
		out_printf(b, "int main(int argc, char **argv)\n{\n"
			   "\treturn apic_main(&%s_api, argc, argv, NULL);\n}\n", names_prefix(n));
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
		free(path);
		return 0;
	}
	struct out_buf b;
	out_init(&b);
	emit_stubs_file(&b, s, opts, n);
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
