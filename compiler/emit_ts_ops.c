/* The operations of the TypeScript client: params and result types,
 * descriptors, functions, createClient (see emit_ts.c). The results list
 * what the OpenAPI document lists for each operation (doc->ops), statuses
 * and media types as emit_openapi() planned them. */
#include <stdio.h>
#include <string.h>

#include "apic_gen.h"
#include "emit_ts_int.h"

/* ---- operations -------------------------------------------------------------- */

static const struct ast_response *ts_declared(const struct ast_op *op, int status)
{
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->status == status)
			return r;
	return NULL;
}

static bool ts_is_error_model(const struct ts *t, const struct ast_type *ty)
{
	const struct ast_model *em = t->s->service->error_model;
	return em && ty->kind == TYPE_NAMED && ty->model == em;
}

static const char *ts_error_shape(const struct ts *t)
{
	const struct ast_model *em = t->s->service->error_model;
	return em ? ts_named(t, em->name)->ts : t->problem;
}

static void ts_param_member(struct ts *t, const struct ast_param *p)
{
	struct out_buf *b = t->b;

	ts_doc_parts(b, 1, p->doc, p->def, p->deprecated);
	out_puts(b, "\t");
	ts_key(b, p->name);
	out_puts(b, p->in != IN_PATH && p->optional ? "?: " : ": ");
	if (p->type->kind == TYPE_ARRAY) {
		out_puts(b, "readonly ");
		ts_type(t, b, p->type, OA_REQUEST);
	} else {
		ts_type(t, b, p->type, OA_REQUEST);
	}
	out_puts(b, ";\n");
}

static void ts_params_type(struct ts *t, const struct ast_op *op, const struct ts_op *x)
{
	struct out_buf *b = t->b;

	out_printf(b, "export type %s = {\n", x->params);
	for (const struct ast_param *p = op->params; p; p = p->next)
		ts_param_member(t, p);
	if (op->etag)
		out_puts(b, "\t/** Entity tags of replies the client has; the current one gives 304. */\n"
			    "\t\"If-None-Match\"?: string;\n");
	if (op->body) {
		out_puts(b, "\t");
		ts_key(b, x->body_key);
		out_puts(b, op->body_optional ? "?: " : ": ");
		ts_type(t, b, op->body, OA_REQUEST);
		out_puts(b, ";\n");
	}
	if (!op->params && !op->etag && !op->body)
		out_puts(b, "\t[key: string]: never;\n");
	out_puts(b, "};\n");
}

static bool ts_params_required(const struct ast_op *op)
{
	for (const struct ast_param *p = op->params; p; p = p->next)
		if (p->in == IN_PATH || !p->optional)
			return true;
	return op->body && !op->body_optional;
}

/* The body's type in a result of `rec`'s status. */
static void ts_reply_body(struct ts *t, const struct ast_op *op, const struct openapi_response *rec,
			  const struct ast_response *r)
{
	struct out_buf *b = t->b;

	if (rec->media & APIC_MEDIA_EVENTS) {
		out_printf(b, "globalThis.AsyncIterable<%s<", t->stream_event);
		ts_type(t, b, r->type, OA_RESPONSE);
		out_puts(b, ">>");
	} else if ((rec->media & APIC_MEDIA_RAW) && r && op->method != METHOD_HEAD) {
		out_puts(b, r->raw == RAW_TEXT ? "string" : "globalThis.Blob");
	} else if (!(rec->media & (APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM)) || op->method == METHOD_HEAD) {
		out_puts(b, "undefined");
	} else if (r && r->type) {
		ts_type(t, b, r->type, OA_RESPONSE);
		if (rec->error_ref && !ts_is_error_model(t, r->type))
			out_printf(b, " | %s", ts_error_shape(t));
		if (rec->media & APIC_MEDIA_PROBLEM)
			out_printf(b, " | %s", t->problem);
	} else {
		out_puts(b, ts_error_shape(t));
	}
}

static void ts_result_type(struct ts *t, const struct ast_op *op, const struct ts_op *x,
			   const struct openapi_op_responses *rs)
{
	struct out_buf *b = t->b;

	out_printf(b, "export type %s =\n", x->result);
	for (size_t k = 0; k < rs->n; k++) {
		const struct openapi_response *rec = &rs->v[k];
		const struct ast_response *r = ts_declared(op, rec->status);
		const char *why = r && r->description ? r->description
				: !r || ast_response_is_error(r) ? oa_runtime_error_description(rec->status) : NULL;
		char limit[64];

		if (!r && rec->status == 413 && op->max_body) {
			snprintf(limit, sizeof limit, "The body is larger than %llu bytes.",
				 (unsigned long long)op->max_body);
			why = limit;
		}

		out_printf(b, "\t| { status: %d; body: ", rec->status);
		ts_reply_body(t, op, rec, r);
		if (r && r->headers) {
			out_puts(b, "; headers: {");
			for (const struct ast_param *h = r->headers; h; h = h->next) {
				out_puts(b, h == r->headers ? " " : "; ");
				ts_key(b, h->name);
				out_puts(b, h->optional ? "?: " : ": ");
				ts_type(t, b, h->type, OA_RESPONSE);
			}
			out_puts(b, " }");
		}
		out_puts(b, k + 1 < rs->n ? "; response: globalThis.Response }" : "; response: globalThis.Response };");
		if (why && !strchr(why, '\n'))
			out_printf(b, " // %s", why);
		out_puts(b, "\n");
	}
	if (!rs->n)
		out_puts(b, "\tnever;\n");
}

/* A header's parse and check in a reply descriptor. */
static void ts_header_desc(struct ts *t, const struct ast_param *h)
{
	struct out_buf *b = t->b;
	const struct ast_type *ty = h->type;
	char kind = ty->kind == TYPE_PRIM && ty->prim == PRIM_BOOL ? 'b'
		  : ty->kind == TYPE_PRIM && (ty->prim == PRIM_INT32 || ty->prim == PRIM_INT64) ? 'i'
		  : ty->kind == TYPE_PRIM && ty->prim == PRIM_NUMBER ? 'n' : 's';

	out_puts(b, "{ n: ");
	ts_str(b, h->name, strlen(h->name));
	out_printf(b, ", t: \"%c\", r: %s, c: ", kind, h->optional ? "false" : "true");
	ts_check_expr(t, b, ty);
	out_puts(b, " }");
}

static void ts_reply_desc(struct ts *t, const struct ast_op *op, const struct openapi_response *rec)
{
	struct out_buf *b = t->b;
	const struct ast_response *r = ts_declared(op, rec->status);
	unsigned media = rec->media & (APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM);

	out_printf(b, "\t\t%d: ", rec->status);
	if (!(r && (r->type || r->raw || r->headers)) && media) {
		out_puts(b, "$E,\n"); /* the API's error shape */
		return;
	}
	if (rec->media & APIC_MEDIA_EVENTS) {
		out_puts(b, "{ k: 2, j: ");
		ts_check_expr(t, b, r->type);
	} else if (rec->media & APIC_MEDIA_RAW) {
		out_printf(b, "{ k: %d", r->raw == RAW_TEXT ? 3 : 4);
	} else if (media) {
		out_printf(b, "{ k: 1, t: %u", media);
		if (media & APIC_MEDIA_JSON) {
			out_puts(b, ", j: ");
			if (r && r->type && rec->error_ref && !ts_is_error_model(t, r->type)) {
				t->helpers |= TS_H_ANY;
				out_puts(b, "$any(");
				ts_check_expr(t, b, r->type);
				out_printf(b, ", %s)", ts_need(t, t->s->service->error_model->name));
			} else if (r && r->type) {
				ts_check_expr(t, b, r->type);
			} else if (t->s->service->error_model) {
				out_puts(b, ts_need(t, t->s->service->error_model->name));
			}
		}
		if (media & APIC_MEDIA_PROBLEM) {
			out_printf(b, ", pj: %s", t->problem_check);
			t->problem_needed = true;
		}
	} else {
		out_puts(b, "{ k: 0");
	}
	if (r && r->headers) {
		out_puts(b, ", h: [");
		for (const struct ast_param *h = r->headers; h; h = h->next) {
			out_puts(b, h == r->headers ? "" : ", ");
			ts_header_desc(t, h);
		}
		out_puts(b, "]");
	}
	out_puts(b, " },\n");
}

static void ts_names_list(struct out_buf *b, const char *key, const struct ast_op *op, enum ast_param_in in,
			  bool etag)
{
	bool any = etag;

	for (const struct ast_param *p = op->params; p; p = p->next)
		any |= p->in == in;
	if (!any)
		return;
	out_printf(b, ", %s: [", key);
	any = false;
	for (const struct ast_param *p = op->params; p; p = p->next)
		if (p->in == in) {
			out_puts(b, any ? ", " : "");
			ts_str(b, p->name, strlen(p->name));
			any = true;
		}
	if (etag)
		out_puts(b, any ? ", \"If-None-Match\"" : "\"If-None-Match\"");
	out_puts(b, "]");
}

static void ts_op_desc(struct ts *t, const struct ast_op *op, const struct ts_op *x,
		       const struct openapi_op_responses *rs)
{
	static const char *const methods[] = { "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS" };
	struct out_buf *b = t->b;
	struct out_buf lit;
	const struct ast_auth *a = &op->eff_auth;

	out_printf(b, "const %s: $Op = {\n\tm: \"%s\", p: [", x->desc, methods[op->method]);
	out_init(&lit);
	for (const struct ast_segment *sg = op->segments; sg; sg = sg->next) {
		out_puts(&lit, "/");
		if (!sg->is_param) {
			out_puts(&lit, sg->text);
			continue;
		}
		ts_str(b, lit.p, lit.len);
		out_puts(b, ", ");
		ts_str(b, sg->text, strlen(sg->text));
		out_puts(b, ", ");
		lit.len = 0;
	}
	if (!op->segments)
		out_puts(&lit, "/");
	if (lit.len)
		ts_str(b, lit.p, lit.len);
	else
		b->len -= 2; /* the ", " after the last parameter */
	if (lit.oom)
		ts_oom();
	out_free(&lit);
	out_puts(b, "]");
	ts_names_list(b, "q", op, IN_QUERY, false);
	ts_names_list(b, "h", op, IN_HEADER, op->etag);
	ts_names_list(b, "c", op, IN_COOKIE, false);
	if (op->body) {
		out_puts(b, ", b: ");
		ts_str(b, x->body_key, strlen(x->body_key));
	}
	if (a->scheme && !a->none) {
		out_puts(b, ", a: [");
		ts_str(b, a->scheme->name, strlen(a->scheme->name));
		out_puts(b, a->optional ? ", true]" : ", false]");
	}
	out_puts(b, ",\n\tr: {\n");
	if (!op->ws_in)
		for (size_t k = 0; k < rs->n; k++)
			ts_reply_desc(t, op, &rs->v[k]);
	out_puts(b, "\t},\n};\n");
}

static void ts_op_doc(struct ts *t, const struct ast_op *op)
{
	struct out_buf d;

	out_init(&d);
	if (op->summary)
		out_puts(&d, op->summary);
	if (op->doc)
		out_printf(&d, "%s%s", d.len ? "\n\n" : "", op->doc);
	static const char *const methods[] = { "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS" };
	out_printf(&d, "%s`%s %s`", d.len ? "\n\n" : "", methods[op->method], op->path);
	if (op->deprecated)
		out_puts(&d, "\n@deprecated");
	if (d.oom)
		ts_oom();
	ts_doc(t->b, 0, d.p);
	out_free(&d);
}

void ts_operation(struct ts *t, const struct ast_op *op, const struct ts_op *x,
			 const struct openapi_op_responses *rs)
{
	struct out_buf *b = t->b;
	const char *opt = t->options;

	ts_params_type(t, op, x);
	if (!op->ws_in)
		ts_result_type(t, op, x, rs);
	ts_op_desc(t, op, x, rs);
	ts_op_doc(t, op);
	if (op->ws_in) {
		const char *sock = t->socket;
		struct out_buf io;

		out_init(&io);
		ts_type(t, &io, op->ws_in, OA_REQUEST);
		out_puts(&io, ", ");
		ts_type(t, &io, op->ws_out, OA_RESPONSE);
		if (io.oom)
			ts_oom();
		out_printf(b, "export function %s(params: %s%s, options?: %s): %s<%s> {\n"
			   "\treturn $socket<%s>(%s, params, options ?? {}, ", x->fn, x->params,
			   ts_params_required(op) ? "" : " = {}", opt, sock, io.p, io.p, x->desc);
		ts_check_expr(t, b, op->ws_out);
		out_puts(b, ");\n}\n\n");
		out_free(&io);
		return;
	}
	out_printf(b, "export function %s(params: %s%s, options?: %s): globalThis.Promise<%s> {\n"
		   "\treturn $call(%s, params, options) as globalThis.Promise<%s>;\n}\n\n",
		   x->fn, x->params, ts_params_required(op) ? "" : " = {}", opt, x->result,
		   x->desc, x->result);
}

void ts_create_client(struct ts *t, const struct ts_op *ops)
{
	struct out_buf *b = t->b;
	const char *opt = t->options;
	size_t i = 0;

	out_printf(b, "/** Every operation, with these options as the defaults of each call (a call's\n"
		   " * own options are merged over them, headers and auth key by key). */\n"
		   "export function %s(defaults: %s = {}) {\n"
		   "\tconst o = (x?: %s): %s => $merge(defaults, x);\n\treturn {\n",
		   t->create_client, opt, opt, opt);
	for (const struct ast_op *op = t->s->ops; op; op = op->next, i++)
		out_printf(b, "\t\t%s: (params: %s%s, options?: %s) => %s(params, o(options)),\n",
			   ops[i].fn, ops[i].params, ts_params_required(op) ? "" : " = {}", opt, ops[i].fn);
	out_puts(b, "\t};\n}\n\n");
}
