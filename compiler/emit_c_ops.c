/* Operations of NAME.c: the request decoder, weak 501 handler and dispatch
 * of each operation, its typed replies and its response table. */
#include "emit_c_int.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sets one declared header from `v`; a value that cannot be sent (or a
 * required string not given) makes the reply a 500. */
static void emit_set_header(struct ec *e, int ind, const struct ast_param *h, const char *v)
{
	const char *name = ec_str(e, h->name);
	const struct ast_type *t = h->type;
	const char *ok;
	if (c_is_enum(t)) {
		ok = names_fmt(e->n, "%s(ctx, %s, %s)", names_enum_fn(e->n, t->enm, "header"), name, v);
	} else {
		switch (t->prim) {
		case PRIM_STRING:
			ok = names_fmt(e->n, "apic_header_str(ctx, %s, %s.ptr, %s.len)", name, v, v);
			break;
		case PRIM_BOOL:
			ok = names_fmt(e->n, "apic_header_str(ctx, %s, %s ? \"true\" : \"false\", %s ? 4 : 5)",
				       name, v, v);
			break;
		case PRIM_NUMBER:
			ok = names_fmt(e->n, "apic_header_f64(ctx, %s, %s)", name, v);
			break;
		default:
			ok = names_fmt(e->n, "apic_header_i64(ctx, %s, %s)", name, v);
			break;
		}
	}
	ec_ln(e, ind, "if (!%s)", ok);
	ec_ln(e, ind + 1, "return apic_reply_bad_header(ctx, %s);", name);
}

/* The declared headers, before the body: the reply functions take them as
 * `headers`, which may be NULL when none is required. */
static void emit_reply_headers(struct ec *e, const struct ast_response *r)
{
	struct names *n = e->n;
	const struct ast_param *required = NULL;
	for (const struct ast_param *h = r->headers; h && !required; h = h->next)
		if (!h->optional)
			required = h;
	if (required) {
		ec_ln(e, 1, "if (headers == NULL)");
		ec_ln(e, 2, "return apic_reply_bad_header(ctx, %s);", ec_str(e, required->name));
	} else {
		ec_ln(e, 1, "if (headers != NULL) {");
	}
	int ind = required ? 1 : 2;
	for (const struct ast_param *h = r->headers; h; h = h->next) {
		const char *mem = names_param(n, h);
		const char *v = names_fmt(n, "headers->%s", mem);
		if (h->optional) {
			ec_ln(e, ind, "if (headers->has_%s) {", mem);
			emit_set_header(e, ind + 1, h, v);
			ec_ln(e, ind, "}");
		} else {
			emit_set_header(e, ind, h, v);
		}
	}
	if (!required)
		ec_ln(e, 1, "}");
}

static void emit_reply(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	struct names *n = e->n;
	const struct ast_type *t = r->type;
	emit_c_reply_proto(e->b, n, op, r);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "{");
	if (r->headers)
		emit_reply_headers(e, r);
	if (!t) {
		/* A typeless error status sends the API's error shape, as the
		 * OpenAPI document says; any other typeless status, no body. */
		if (ast_response_is_error(r))
			ec_ln(e, 1, "return apic_ctx_reply_error(ctx, %d, detail);", r->status);
		else
			ec_ln(e, 1, "return apic_ctx_reply_empty(ctx, %d);", r->status);
		ec_ln(e, 0, "}");
		ec_ln(e, 0, "%s", "");
		return;
	}
	ec_ln(e, 1, "struct apic_buf *b = apic_ctx_buf(ctx);");
	if (t->kind == TYPE_ARRAY) {
		unsigned k = ec_tmp(e);
		ec_ln(e, 1, "apic_buf_lit(b, \"[\");");
		ec_ln(e, 1, "for (size_t i%u = 0; i%u < count; i%u++) {", k, k, k);
		ec_ln(e, 2, "if (i%u)", k);
		ec_ln(e, 3, "apic_buf_lit(b, \",\");");
		if (c_is_model(t->elem))
			ec_ln(e, 2, "%s(b, &items[i%u]);", names_model_fn(n, t->elem->model, "encode"), k);
		else
			ec_enc_value(e, 2, t->elem, names_fmt(n, "items[i%u]", k), false);
		ec_ln(e, 1, "}");
		ec_ln(e, 1, "apic_buf_lit(b, \"]\");");
	} else if (t->kind == TYPE_MAP) {
		unsigned k = ec_tmp(e);
		ec_ln(e, 1, "apic_buf_lit(b, \"{\");");
		ec_ln(e, 1, "for (size_t i%u = 0; i%u < count; i%u++) {", k, k, k);
		ec_ln(e, 2, "if (i%u)", k);
		ec_ln(e, 3, "apic_buf_lit(b, \",\");");
		ec_ln(e, 2, "apic_buf_str(b, entries[i%u].key.ptr, entries[i%u].key.len);", k, k);
		ec_ln(e, 2, "apic_buf_lit(b, \":\");");
		ec_enc_value(e, 2, t->elem, names_fmt(n, "entries[i%u].value", k), true);
		ec_ln(e, 1, "}");
		ec_ln(e, 1, "apic_buf_lit(b, \"}\");");
	} else {
		ec_enc_value(e, 1, t, "body", true);
	}
	ec_ln(e, 1, "return apic_reply_json(ctx, %d);", r->status);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}

/* ---- reply checks (--strict-responses) -------------------------------------------- */

/* The table of an operation's responses is read from the emitted document
 * itself, so the server holds replies to exactly what it publishes (the
 * runtime's own errors there included). An application/json body is
 * checked by the declared type's checker and, where the document's schema
 * refers to the API's error model, by that model's. */

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* `schema` is the $ref `ref` or has it among its anyOf/oneOf branches. */
static bool schema_refers(json_object *schema, const char *ref)
{
	json_object *r = jget(schema, "$ref");
	if (r && strcmp(json_object_get_string(r), ref) == 0)
		return true;
	static const char *const alts[] = { "anyOf", "oneOf" };
	for (size_t k = 0; k < 2; k++) {
		json_object *a = jget(schema, alts[k]);
		for (size_t i = 0; a && json_object_is_type(a, json_type_array) && i < json_object_array_length(a); i++)
			if (schema_refers(json_object_array_get_idx(a, i), ref))
				return true;
	}
	return false;
}

static const struct ast_response *declared_response(const struct ast_op *op, int status)
{
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->status == status)
			return r;
	return NULL;
}

/* The entries of op's response table from the document's operation `o`. */
static void read_replies(struct ec *e, json_object *doc, const struct ast_op *op, json_object *o,
			 struct reply_table *t)
{
	const struct ast_model *em = e->s->service->error_model;
	const char *err_ref = em ? names_fmt(e->n, "#/components/schemas/%s", em->name) : NULL;
	json_object *responses = jget(o, "responses");
	if (!responses || !json_object_is_type(responses, json_type_object))
		return;
	t->v = calloc((size_t)json_object_object_length(responses) + 1, sizeof *t->v);
	if (!t->v) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	json_object_object_foreach(responses, key, r) {
		if (strlen(key) != 3 || strspn(key, "0123456789") != 3)
			continue; /* "default", "4XX": never emitted */
		json_object *ref = jget(r, "$ref");
		if (ref && strncmp(json_object_get_string(ref), "#/components/responses/", 23) == 0)
			r = jget(jget(jget(doc, "components"), "responses"), json_object_get_string(ref) + 23);
		struct reply_entry *x = &t->v[t->n++];
		x->status = atoi(key);
		const struct ast_response *d = declared_response(op, x->status);
		json_object *content = jget(r, "content");
		if (!content || !json_object_is_type(content, json_type_object))
			continue; /* no body */
		json_object_object_foreach(content, media, mo) {
			if (strcmp(media, "application/problem+json") == 0) {
				x->media |= APIC_MEDIA_PROBLEM;
			} else if (strcmp(media, "application/json") == 0) {
				json_object *schema = jget(mo, "schema");
				x->media |= APIC_MEDIA_JSON;
				if (d && d->type)
					x->typed = d;
				x->error = err_ref && schema_refers(schema, err_ref) &&
					   !(d && d->type && c_is_model(d->type) && d->type->model == em);
			}
			/* no other media type is emitted */
		}
	}
}

static const char *const method_word[] = { "get", "put", "post", "delete", "patch", "head", "options" };

/* Every operation's table (e->tables, in schema order); none without the
 * document, and then replies are not checked. */
void ec_read_reply_tables(struct ec *e, const char *openapi)
{
	size_t nops = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		nops++;
	e->tables = calloc(nops + 1, sizeof *e->tables);
	if (!e->tables) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	json_object *doc = openapi ? json_tokener_parse(openapi) : NULL;
	json_object *paths = jget(doc, "paths");
	size_t i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++) {
		json_object *o = jget(jget(paths, op->path), method_word[op->method]);
		json_object *id = jget(o, "operationId");
		if (id && strcmp(json_object_get_string(id), op->id) == 0)
			read_replies(e, doc, op, o, &e->tables[i]);
	}
	json_object_put(doc);
}

void ec_free_reply_tables(struct ec *e)
{
	size_t i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++)
		free(e->tables[i].v);
	free(e->tables);
}

/* The checker of a typed reply body: its type decoded in the response
 * direction into a scratch value. */
static void emit_reply_check(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	struct names *n = e->n;
	const char *stem = c_reply_stem(n, op, r);
	ec_ln(e, 0, "static int %s(struct apic_ctx *ctx, struct json_object *j)",
	   names_op_fn(n, op, names_fmt(n, "check_%d", r->status)));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "struct {");
	ec_member(e, 2, r->type, stem, "v");
	ec_ln(e, 1, "} o = { 0 };");
	e->resp = true;
	ec_dec_value(e, 1, r->type, stem, "j", "o.v", true, "NULL");
	e->resp = false;
	ec_ln(e, 1, "(void)o;");
	ec_ln(e, 1, "return 0;");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}

void emit_error_check(struct ec *e)
{
	const struct ast_model *m = e->s->service->error_model;
	struct names *n = e->n;
	ec_ln(e, 0, "static int %s__check_error(struct apic_ctx *ctx, struct json_object *j)", names_prefix(n));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "struct %s *m = apic_ctx_alloc(ctx, sizeof *m);", names_model(n, m));
	ec_ln(e, 1, "return m ? %s(ctx, j, NULL, m) : -1;", names_model_fn(n, m, "check"));
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}

/* The operation's table of responses and the checkers of its typed ones. */
static void emit_reply_table(struct ec *e, const struct ast_op *op, const struct reply_table *t)
{
	struct names *n = e->n;
	if (t->n == 0)
		return;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].typed)
			emit_reply_check(e, op, t->v[i].typed);
	ec_ln(e, 0, "static const struct apic_response %s[] = {", names_op_fn(n, op, "responses"));
	for (size_t i = 0; i < t->n; i++) {
		const struct reply_entry *x = &t->v[i];
		const char *check = x->typed ? names_op_fn(n, op, names_fmt(n, "check_%d", x->status)) : NULL;
		const char *err = x->error ? names_fmt(n, "%s__check_error", names_prefix(n)) : NULL;
		const char *media = x->media == (APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM)
			? "APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM"
			: x->media == APIC_MEDIA_JSON ? "APIC_MEDIA_JSON"
			: x->media == APIC_MEDIA_PROBLEM ? "APIC_MEDIA_PROBLEM" : "0";
		ec_ln(e, 1, "{ %d, %s, %s, %s },", x->status, media, check ? check : err ? err : "NULL",
		   check && err ? err : "NULL");
	}
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "%s", "");
}

void emit_op(struct ec *e, const struct ast_op *op, const struct reply_table *t)
{
	struct names *n = e->n;
	const char *params = names_op_fn(n, op, "params");
	const char *handler = names_op(n, op);
	/* static default arrays of parameters come first (file scope) */
	size_t np = 0;
	for (const struct ast_param *p = op->params; p; p = p->next)
		np++;
	const char **arrays = calloc(np + 1, sizeof *arrays);
	size_t i = 0;
	for (const struct ast_param *p = op->params; p; p = p->next, i++)
		if (p->def)
			ec_default_ok(e, p->type, p->def, false, &arrays[i]);

	ec_ln(e, 0, "static int %s(struct apic_ctx *ctx, struct %s *in)", names_op_fn(n, op, "request"), params);
	ec_ln(e, 0, "{");
	unsigned path_idx = 0;
	i = 0;
	for (const struct ast_segment *sg = op->segments; sg; sg = sg->next) {
		if (!sg->is_param)
			continue;
		const struct ast_param *p = sg->param;
		size_t j = 0;
		for (const struct ast_param *x = op->params; x && x != p; x = x->next)
			j++;
		if (p)
			ec_param(e, op, p, path_idx, arrays[j]);
		path_idx++;
	}
	for (const struct ast_param *p = op->params; p; p = p->next, i++)
		if (p->in != IN_PATH)
			ec_param(e, op, p, 0, arrays[i]);
	if (op->body) {
		ec_ln(e, 1, "struct json_object *body = NULL;");
		ec_ln(e, 1, "if (apic_req_json(ctx, &body)) {");
		if (ec_body_has_flag(op))
			ec_ln(e, 2, "in->has_body = true;");
		ec_dec_value(e, 2, op->body, names_aux(n, params, "body"), "body", "in->body", true, "NULL");
		ec_ln(e, 1, "}");
	} else if (!op->params) {
		ec_ln(e, 1, "(void)ctx;");
		ec_ln(e, 1, "(void)in;");
	}
	ec_ln(e, 1, "return 0;");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	free(arrays);

	ec_ln(e, 0, "__attribute__((weak)) int %s(struct apic_ctx *ctx, const struct %s *in)", handler, params);
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "(void)in;");
	ec_ln(e, 1, "return apic_reply_not_implemented(ctx);");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");

	ec_ln(e, 0, "static int %s(struct apic_ctx *ctx)", names_op_fn(n, op, "dispatch"));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "struct %s *in = apic_ctx_alloc(ctx, sizeof *in);", params);
	ec_ln(e, 1, "if (!in || %s(ctx, in) != 0)", names_op_fn(n, op, "request"));
	ec_ln(e, 2, "return apic_ctx_reply_error(ctx, 500, \"out of memory\");");
	ec_ln(e, 1, "if (apic_violation_count(ctx) != 0)");
	ec_ln(e, 2, "return apic_reply_violations(ctx);");
	ec_ln(e, 1, "return %s(ctx, in);", handler);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");

	for (const struct ast_response *r = op->responses; r; r = r->next)
		emit_reply(e, op, r);
	emit_reply_table(e, op, t);
}

