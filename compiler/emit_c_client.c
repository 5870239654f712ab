/* NAME.client.h / NAME.client.c (apic generate --client c): per operation
 * a typed result (the call's outcome, then one member per declared body)
 * and three calls, blocking, asynchronous and joined, over libapic's
 * client (runtime/apic_client.h). The client reuses the server's output:
 * NAME.h's structs (params, models), NAME.c's model and enum descriptors
 * and NAME_api (security schemes, basepath, patterns); its own tables are
 * the operations' request layouts and declared responses, made by the same
 * code as NAME.c's (emit_c_tables.c), so both sides read one contract.
 * Event streams and WebSockets are not called through it (skipped, with a
 * comment). Output is a pure function of the schema and the options. */
#include "emit_c_int.h"

#include "arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool callable(const struct ast_op *op)
{
	if (op->ws_in || op->ws_out)
		return false;
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->stream || r->raw)
			return false;
	return true;
}

static bool has_raw(const struct ast_op *op)
{
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->raw)
			return true;
	return false;
}

static const char *method_text(enum ast_method m)
{
	switch (m) {
	case METHOD_GET: return "GET";
	case METHOD_PUT: return "PUT";
	case METHOD_POST: return "POST";
	case METHOD_DELETE: return "DELETE";
	case METHOD_PATCH: return "PATCH";
	case METHOD_HEAD: return "HEAD";
	case METHOD_OPTIONS: return "OPTIONS";
	}
	return "GET";
}

/* A declared status whose body is the API's error shape. */
static bool error_shape(const struct reply_entry *x)
{
	return !x->typed && (x->error || (x->media & APIC_MEDIA_PROBLEM));
}

static bool has_error_shape(const struct reply_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (error_shape(&t->v[i]))
			return true;
	return false;
}

/* The response as the schema declares it (its headers), or NULL. */
static const struct ast_response *declared(const struct ast_op *op, int status)
{
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->status == status)
			return r;
	return NULL;
}

static const char *body_member(struct ec *e, int status)
{
	return names_fmt(e->n, "body_%d", status);
}

/* The statuses of one kind of member, for its comment: "404, 422". */
static const char *statuses(struct ec *e, const struct reply_table *t, bool errors)
{
	struct out_buf b;
	out_init(&b);
	for (size_t i = 0; i < t->n; i++)
		if (error_shape(&t->v[i]) == errors && (errors || !t->v[i].typed))
			out_printf(&b, "%s%d", b.len ? ", " : "", t->v[i].status);
	const char *s = names_fmt(e->n, "%s", b.p ? b.p : "");
	out_free(&b);
	return s;
}

/* ---- NAME.client.h ------------------------------------------------------------- */

static void header_op(struct ec *e, const struct ast_op *op, const struct reply_table *t)
{
	struct names *n = e->n;
	const char *res = names_op_fn(n, op, "result");
	const char *params = names_op_fn(n, op, "params");
	const char *done = names_op_fn(n, op, "done_fn");
	ec_ln(e, 0, "/* %s: %s %s */", op->id, method_text(op->method), op->path);
	ec_ln(e, 0, "struct %s {", res);
	ec_ln(e, 1, "struct apic_call call; /* error, status, message, violations */");
	for (size_t i = 0; i < t->n; i++) {
		const struct reply_entry *x = &t->v[i];
		if (!x->typed)
			continue;
		ec_ln(e, 1, "/* %d */", x->status);
		ec_member(e, 1, x->typed->type, c_reply_stem(n, op, x->typed), body_member(e, x->status));
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct ast_response *r = declared(op, t->v[i].status);
		if (r && r->headers)
			ec_ln(e, 1, "struct %s headers_%d; /* the %d response's headers */", c_reply_headers(n, op, r),
			      r->status, r->status);
	}
	if (has_error_shape(t)) {
		const struct ast_model *em = e->s->service->error_model;
		ec_ln(e, 1, "/* %s: the API's error shape */", statuses(e, t, true));
		if (em)
			ec_ln(e, 1, "const struct %s *error;", names_model(n, em));
		else
			ec_ln(e, 1, "const struct apic_problem *problem;");
	}
	const char *empty = statuses(e, t, false);
	if (*empty)
		ec_ln(e, 1, "/* no body: %s */", empty);
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "typedef void %s(struct %s *result, void *cls);", done, res);
	ec_ln(e, 0, "int %s(struct apic_client *client, const struct %s *in, struct %s *out);",
	      names_client_op(n, op, ""), params, res);
	ec_ln(e, 0, "int %s(struct apic_client *client, const struct %s *in, %s *done, void *cls);",
	      names_client_op(n, op, "_start"), params, done);
	ec_ln(e, 0, "int %s(struct apic_client *client, const struct %s *in, struct %s **slot, struct apic_join *join);",
	      names_client_op(n, op, "_join"), params, res);
	ec_ln(e, 0, "void %s(struct %s *result);", names_op_fn(n, op, "result_free"), res);
	ec_ln(e, 0, "%s", "");
}

static void emit_client_header(struct ec *e)
{
	struct names *n = e->n;
	const char *guard = names_fmt(n, "%s_CLIENT_H", names_upper(n, e->o->name));
	ec_banner(e);
	ec_ln(e, 0, "#ifndef %s", guard);
	ec_ln(e, 0, "#define %s", guard);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#include <apic_client.h>");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#include \"%s.h\"", e->o->name);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#ifdef __cplusplus");
	ec_ln(e, 0, "extern \"C\" {");
	ec_ln(e, 0, "#endif");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "/* A client of %s at base_url (apic_client_new(): the basepath is added).", e->s->service->title);
	ec_ln(e, 0, " * Per operation: NAME_client_OP() blocks and fills *out; _start() calls");
	ec_ln(e, 0, " * done(result, cls) on the event loop's thread (apic_client_attach());");
	ec_ln(e, 0, " * _join() stores the result in *slot and counts it in `join`. A result");
	ec_ln(e, 0, " * is freed by NAME_OP__result_free() (docs/clients.md, OWNERSHIP). */");
	ec_ln(e, 0, "struct apic_client *%s_client_new(const char *base_url);", names_prefix(n));
	ec_ln(e, 0, "%s", "");
	size_t i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++) {
		if (callable(op))
			header_op(e, op, &e->tables[i]);
		else
			ec_ln(e, 0, "/* %s: %s %s %s: not called through the client */\n", op->id,
			      method_text(op->method), op->path, has_raw(op) ? "replies raw bytes" : "streams");
	}
	ec_ln(e, 0, "#ifdef __cplusplus");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "#endif");
	ec_ln(e, 0, "#endif");
}

/* ---- NAME.client.c ------------------------------------------------------------- */

static int scheme_index(const struct ec *e, const struct ast_op *op)
{
	const struct ast_auth *a = &op->eff_auth;
	if (!a->set || a->none || !a->scheme)
		return -1;
	int i = 0;
	for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next, i++)
		if (sec == a->scheme)
			return i;
	return -1;
}

static const char *media_text(unsigned media)
{
	return media == (APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM) ? "APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM"
		: media == APIC_MEDIA_JSON ? "APIC_MEDIA_JSON"
		: media == APIC_MEDIA_PROBLEM ? "APIC_MEDIA_PROBLEM" : "0";
}

static void source_op(struct ec *e, const struct ast_op *op, const struct reply_table *t, const char *err_type)
{
	struct names *n = e->n;
	const char *res = names_op_fn(n, op, "result");
	const char *self = names_fmt(n, "struct %s", res);
	const char *params = names_op_fn(n, op, "params");
	const char *done = names_op_fn(n, op, "done_fn");
	const char *desc = names_op_fn(n, op, "client");
	bool errs = has_error_shape(t);
	const char *err_member = e->s->service->error_model ? "error" : "problem";
	ec_request_table(e, op);
	/* the types first: their definitions come before the table */
	const char **types = calloc(t->n + 1, sizeof *types);
	if (!types) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].typed)
			types[i] = ec_type(e, t->v[i].typed->type, c_reply_stem(n, op, t->v[i].typed), true, false);
	/* the declared headers of each response, into its headers_STATUS */
	const char **hdrs = calloc(t->n + 1, sizeof *hdrs);
	size_t *nhdrs = calloc(t->n + 1, sizeof *nhdrs);
	if (!hdrs || !nhdrs) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct ast_response *r = declared(op, t->v[i].status);
		if (!r || !r->headers)
			continue;
		struct out_buf rows;
		out_init(&rows);
		const char *hs = c_reply_headers(n, op, r);
		for (const struct ast_param *h = r->headers; h; h = h->next, nhdrs[i]++) {
			const char *mem = names_param(n, h);
			const char *type = ec_type(e, h->type, names_aux(n, hs, mem), true, false);
			out_printf(&rows, "\t{ %s, APIC_IN_HEADER, %s, 0, offsetof(%s, headers_%d.%s), 0, %s, &%s, NULL },\n",
				   ec_str(e, h->name), h->optional ? "APIC_F_OPTIONAL | APIC_F_HAS" : "0", self, r->status,
				   mem, h->optional ? names_fmt(n, "offsetof(%s, headers_%d.has_%s)", self, r->status, mem) : "0",
				   type);
		}
		hdrs[i] = names_op_fn(n, op, names_fmt(n, "client_headers_%d", r->status));
		ec_ln(e, 0, "static const struct apic_param %s[] = {", hdrs[i]);
		out_put(e->b, rows.p, rows.len);
		ec_ln(e, 0, "};");
		out_free(&rows);
	}
	ec_ln(e, 0, "static const struct apic_client_response %s[] = {", names_op_fn(n, op, "client_responses"));
	for (size_t i = 0; i < t->n; i++) {
		const struct reply_entry *x = &t->v[i];
		bool seq = x->typed && (x->typed->type->kind == TYPE_ARRAY || x->typed->type->kind == TYPE_MAP);
		const char *mem = body_member(e, x->status);
		ec_ln(e, 1, "{ %d, %s, %s%s, %s, %s, %s, %s, %zu },", x->status, media_text(x->media),
		      types[i] ? "&" : "", types[i] ? types[i] : "NULL",
		      x->typed ? names_fmt(n, "offsetof(%s, %s)", self, mem) : "0",
		      seq ? names_fmt(n, "offsetof(%s, %s_count)", self, mem) : "0",
		      error_shape(x) || x->error ? "true" : "false", hdrs[i] ? hdrs[i] : "NULL", nhdrs[i]);
	}
	free(hdrs);
	free(nhdrs);
	ec_ln(e, 0, "};");
	free(types);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "static void %s(struct apic_call *call, void (*fn)(void), void *cls)", names_op_fn(n, op, "finish"));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "((%s *)fn)((%s *)(void *)call, cls);", done, self);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "static void %s(void *slot, struct apic_call *call)", names_op_fn(n, op, "store"));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "*(%s **)slot = (%s *)(void *)call;", self, self);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "static const struct apic_client_op %s = {", desc);
	ec_ln(e, 1, "%s, %s, %s, &%s, %s, %d,", ec_method_enum(op->method), ec_str(e, op->path), ec_str(e, op->id),
	      names_op_fn(n, op, "request"), op->body && op->body_optional ? "true" : "false", scheme_index(e, op));
	ec_ln(e, 1, "%s, %zu, sizeof(%s),", names_op_fn(n, op, "client_responses"), t->n, self);
	ec_ln(e, 1, "%s%s, %s,", err_type && errs ? "&" : "", err_type && errs ? err_type : "NULL",
	      errs ? names_fmt(n, "offsetof(%s, %s)", self, err_member) : "0");
	ec_ln(e, 1, "%s, %s,", names_op_fn(n, op, "finish"), names_op_fn(n, op, "store"));
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "int %s(struct apic_client *client, const struct %s *in, %s *out)", names_client_op(n, op, ""),
	      params, self);
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "return apic_client_call(client, &%s, in, &out->call);", desc);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "int %s(struct apic_client *client, const struct %s *in, %s *done, void *cls)",
	      names_client_op(n, op, "_start"), params, done);
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "return apic_client_start(client, &%s, in, (void (*)(void))done, cls);", desc);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "int %s(struct apic_client *client, const struct %s *in, %s **slot, struct apic_join *join)",
	      names_client_op(n, op, "_join"), params, self);
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "return apic_client_start_join(client, &%s, in, slot, join);", desc);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "void %s(%s *result)", names_op_fn(n, op, "result_free"), self);
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "if (result)");
	ec_ln(e, 2, "apic_call_free(&result->call);");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}

static void emit_client_source(struct ec *e, struct out_buf *head, struct out_buf *body)
{
	struct names *n = e->n;
	const char *P = names_prefix(n);
	e->b = body;
	ec_begin_unit(e, 0);
	const char *err_type = NULL;
	if (e->s->service->error_model) {
		const struct ast_type t = { .kind = TYPE_NAMED, .model = e->s->service->error_model };
		err_type = ec_type(e, &t, "?", true, false);
		ec_ln(e, 0, "%s", "");
	}
	size_t i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++)
		if (callable(op))
			source_op(e, op, &e->tables[i], err_type);
	ec_ln(e, 0, "struct apic_client *%s_client_new(const char *base_url)", P);
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "return apic_client_new_ex(&%s_api, %s, base_url);", P,
	      e->npats ? names_fmt(n, "&%s__client_local", P) : "NULL");
	ec_ln(e, 0, "}");

	e->b = head;
	ec_banner(e);
	ec_ln(e, 0, "#include \"%s.client.h\"", e->o->name);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#include <stddef.h>");
	ec_ln(e, 0, "#include <stdint.h>");
	ec_ln(e, 0, "%s", "");
	if (e->npats) {
		/* patterns of the client's own tables (parameters, top-level
		 * bodies), compiled when a client is made */
		for (size_t p = 0; p < e->npats; p++)
			ec_ln(e, 0, "static struct apic_pattern %s = { %s, NULL };", ec_pattern_name(e, p),
			      ec_str(e, e->pats[p]));
		ec_ln(e, 0, "static struct apic_pattern *const %s__client_patterns[] = {", P);
		for (size_t p = 0; p < e->npats; p++)
			ec_ln(e, 1, "&%s,", ec_pattern_name(e, p));
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "static const struct apic_api %s__client_local = { .patterns = %s__client_patterns, .npatterns = %zu };",
		      P, P, e->npats);
		ec_ln(e, 0, "%s", "");
	}
}

int emit_c_client(const struct ast_schema *s, const struct emit_opts *opts,
		  const struct openapi_doc *doc, struct diag_ctx *d)
{
	if (!s->service) {
		diag_fatal(d, "the schema declares no service");
		return -1;
	}
	struct names *n = opts->names;
	struct ec e = { .s = s, .o = opts, .n = n, .d = d, .lk = "static " };
	e.hdr_enum = calloc(s->nenums + 1, sizeof *e.hdr_enum);
	if (!e.hdr_enum) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	ec_index_schema(&e);
	ec_reply_tables(&e, doc);
	struct out_buf h, head, body;
	out_init(&h);
	out_init(&head);
	out_init(&body);
	e.b = &h;
	emit_client_header(&e);
	emit_client_source(&e, &head, &body);
	int rc = e.failed ? -1 : 0;
	if (!rc && opts->outdir && *opts->outdir && out_mkdirs(opts->outdir) != 0) {
		diag_fatal(d, "cannot create directory %s: %s", opts->outdir, strerror(errno));
		rc = -1;
	}
	const char *files[2] = { names_fmt(n, "%s.client.h", opts->name), names_fmt(n, "%s.client.c", opts->name) };
	if (!rc)
		rc = ec_write_file(&e, files[0], &h, NULL);
	if (!rc)
		rc = ec_write_file(&e, files[1], &head, &body);
	if (!rc && opts->depfile)
		rc = ec_write_depfile(&e, files, 2);
	out_free(&h);
	out_free(&head);
	out_free(&body);
	free(e.pats);
	free(e.pat_unit);
	free(e.hdr_enum);
	arena_free(e.arena);
	ec_free_reply_tables(&e);
	if (!rc)
		diag_flush(d);
	return rc;
}
