/* Operations of NAME.c: the request table and weak handler declaration of
 * each operation, the call of a unit's operations (501 without a handler), its typed replies and its response table. */
#include "emit_c_int.h"

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

const char *ec_reply_type(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	return names_op_fn(e->n, op, names_fmt(e->n, "reply_%s_type", names_uint(e->n, (size_t)r->status)));
}

const char *ec_unit_macro(struct ec *e)
{
	return names_fmt(e->n, "%s__UNIT", names_upper_prefix(e->n));
}

void ec_reply_body(struct ec *e, const struct ast_response *r, const char *type)
{
	const struct ast_type *t = r->type;
	if (r->raw) {
		ec_raw_reply(e, r);
		return;
	}
	if (!t) {
		/* A typeless error status sends the API's error shape, as the
		 * OpenAPI document says; any other typeless status, no body. */
		if (ast_response_is_error(r))
			ec_ln(e, 1, "return apic_ctx_reply_error(ctx, %d, detail);", r->status);
		else
			ec_ln(e, 1, "return apic_ctx_reply_empty(ctx, %d);", r->status);
		return;
	}
	if (t->kind == TYPE_ARRAY)
		ec_ln(e, 1, "apic_encode_items(apic_ctx_buf(ctx), &%s, items, count);", type);
	else if (t->kind == TYPE_MAP)
		ec_ln(e, 1, "apic_encode_entries(apic_ctx_buf(ctx), &%s, entries, count);", type);
	else
		ec_ln(e, 1, "apic_encode(apic_ctx_buf(ctx), &%s, &body);", type);
	ec_ln(e, 1, "return apic_reply_json(ctx, %s);", names_uint(e->n, (size_t)r->status));
}

static void emit_reply(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	struct names *n = e->n;
	const struct ast_type *t = r->type;
	const char *stem = c_reply_stem(n, op, r);
	if (ec_reply_inline(r)) {
		/* NAME.h has the function; here is the descriptor it encodes with */
		if (t && t->kind == TYPE_ARRAY)
			ec_type_export(e, t->elem, names_aux(n, stem, "item"), false, c_is_model(t->elem),
				       ec_reply_type(e, op, r));
		else if (t)
			ec_type_export(e, t, stem, true, false, ec_reply_type(e, op, r));
		if (t)
			ec_ln(e, 0, "%s", "");
		return;
	}
	/* the descriptors first: they are file-scope statics */
	const char *type = NULL;
	if (t && t->kind == TYPE_ARRAY)
		type = ec_type(e, t->elem, names_aux(n, stem, "item"), false, c_is_model(t->elem));
	else if (t)
		type = ec_type(e, t, stem, true, false);
	emit_c_reply_proto(e->b, n, op, r);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "{");
	if (r->headers)
		emit_reply_headers(e, r);
	if (r->stream) {
		/* the events' descriptor: each event is encoded as a reply would be */
		ec_ln(e, 1, "return apic_reply_stream(ctx, %d, channel);", r->status);
		ec_ln(e, 0, "}");
		ec_ln(e, 0, "%s", "");
		emit_c_publish_proto(e->b, n, op, r);
		ec_ln(e, 0, "%s", "");
		ec_ln(e, 0, "{");
		ec_ln(e, 1, "return apic_channel_publish(channel, &%s, &event);", type);
	} else {
		ec_reply_body(e, r, type);
	}
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}

/* ---- reply checks (--strict-responses) -------------------------------------------- */

/* The table of an operation's responses is what the emitted document lists
 * (emit_openapi() records it while writing), so the server holds replies to
 * exactly what it publishes (the runtime's own errors there included). An
 * application/json body is checked by the declared type's checker and,
 * where the document's schema refers to the API's error model, by that
 * model's. */

static const struct ast_response *declared_response(const struct ast_op *op, int status)
{
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->status == status)
			return r;
	return NULL;
}

/* Every operation's table (e->tables, in schema order). */
void ec_reply_tables(struct ec *e, const struct openapi_doc *doc)
{
	const struct ast_model *em = e->s->service->error_model;
	e->tables = calloc(doc->nops + 1, sizeof *e->tables);
	if (!e->tables) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	size_t i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++) {
		const struct openapi_op_responses *o = &doc->ops[i];
		struct reply_table *t = &e->tables[i];
		t->v = calloc(o->n + 1, sizeof *t->v);
		if (!t->v) {
			fputs("apic: out of memory\n", stderr);
			exit(3);
		}
		for (size_t k = 0; k < o->n; k++) {
			const struct openapi_response *r = &o->v[k];
			const struct ast_response *d = declared_response(op, r->status);
			bool typed = d && d->type && (r->media & APIC_MEDIA_JSON);
			t->v[t->n++] = (struct reply_entry){
				.status = r->status,
				.media = r->media,
				.typed = typed ? d : NULL,
				.error = r->error_ref && !(typed && c_is_model(d->type) &&
							   d->type->model == em),
			};
		}
	}
}

void ec_free_reply_tables(struct ec *e)
{
	size_t i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++)
		free(e->tables[i].v);
	free(e->tables);
}

/* The descriptor a typed reply body is checked against: its type in the
 * response direction (defined before, on first use). */
static const char *reply_check_type(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	return ec_type(e, r->type, c_reply_stem(e->n, op, r), true, false);
}

/* P__error_type: the error model's descriptor, for the response tables of
 * every unit. */
void emit_error_type(struct ec *e)
{
	struct names *n = e->n;
	ec_ln(e, 0, "%sconst struct apic_type %s__error_type = { .kind = APIC_K_MODEL, .flags = 0, "
	      ".size = sizeof(void *), .model = &%s };", e->lk, names_prefix(n),
	      names_model_fn(n, e->s->service->error_model, "model"));
	ec_ln(e, 0, "%s", "");
}

/* The operation's table of responses, after the descriptors of its typed
 * ones. */
static void emit_reply_table(struct ec *e, const struct ast_op *op, const struct reply_table *t)
{
	struct names *n = e->n;
	if (t->n == 0)
		return;
	const char **types = calloc(t->n, sizeof *types);
	if (!types) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].typed)
			types[i] = names_fmt(n, "&%s", reply_check_type(e, op, t->v[i].typed));
	ec_ln(e, 0, "%sconst struct apic_response %s[] = {", e->lk, names_op_fn(n, op, "responses"));
	for (size_t i = 0; i < t->n; i++) {
		const struct reply_entry *x = &t->v[i];
		const char *type = types[i];
		const char *err = x->error ? names_fmt(n, "&%s__error_type", names_prefix(n)) : NULL;
		const char *media = x->media == (APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM)
			? "APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM"
			: x->media == APIC_MEDIA_JSON ? "APIC_MEDIA_JSON"
			: x->media == APIC_MEDIA_PROBLEM ? "APIC_MEDIA_PROBLEM"
			: x->media == APIC_MEDIA_EVENTS ? "APIC_MEDIA_EVENTS"
			: x->media == APIC_MEDIA_RAW ? "APIC_MEDIA_RAW" : "0";
		ec_ln(e, 1, "{ %s, %s, %s, %s },", names_uint(n, (size_t)x->status), media, type ? type : err ? err : "NULL",
		      type && err ? err : "NULL");
	}
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "%s", "");
	free(types);
}

/* A WebSocket's accept, send and the trampoline from the runtime's
 * untyped message callback to the typed one. */
static void emit_websocket(struct ec *e, const struct ast_op *op)
{
	struct names *n = e->n;
	const char *in = ec_type(e, op->ws_in, names_op_fn(n, op, "receive"), true, false);
	const char *out = ec_type(e, op->ws_out, names_op_fn(n, op, "send"), true, false);
	const char *socket = names_op_fn(n, op, "socket");
	const char *tramp = names_op_fn(n, op, "on_message");
	ec_ln(e, 0, "static int %s(struct apic_ws *ws, const void *msg, const void *handlers, void *cls)", tramp);
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "return ((const struct %s *)handlers)->message(ws, *(const struct %s *const *)msg, cls);",
	      socket, names_model(n, op->ws_in->model));
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	emit_c_ws_protos(e->b, n, op, 0);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "return apic_ws_accept(ctx, &%s, on->opened, %s, on->closed, on, cls);", in, tramp);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	emit_c_ws_protos(e->b, n, op, 1);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "return apic_ws_send(ws, &%s, &msg);", out);
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}

void emit_op(struct ec *e, const struct ast_op *op, const struct reply_table *t)
{
	struct names *n = e->n;
	const char *handler = names_op(n, op);
	ec_request_table(e, op);
	ec_ln(e, 0, "%s", "");

	/* weak: an operation the application does not implement answers 501 */
	ec_ln(e, 0, "#pragma weak %s", handler);
	ec_ln(e, 0, "%s", "");

	for (const struct ast_response *r = op->responses; r; r = r->next)
		emit_reply(e, op, r);
	if (op->ws_in && op->ws_out)
		emit_websocket(e, op);
	emit_reply_table(e, op, t);
}

/* P__callK (P__call for NAME.c): after the runtime decoded the request,
 * operation `op` of the unit, the index-th from `first`, runs its handler,
 * or answers 501 when the application has none (a weak reference). One
 * function per unit: gcc's cost is per function. */
void ec_call_fn(struct ec *e, const struct ast_op *first, size_t count, unsigned unit)
{
	struct names *n = e->n;
	ec_ln(e, 0, "%sint %s(struct apic_ctx *ctx, unsigned op, void *in)", e->lk, ec_call_name(e, unit));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "switch (op) {");
	const struct ast_op *op = first;
	for (size_t i = 0; i < count; i++, op = op->next) {
		const char *h = names_op(n, op);
		ec_ln(e, 1, "case %s:", names_uint(n, i));
		ec_ln(e, 2, "return %s ? %s(ctx, in) : apic_reply_not_implemented(ctx);", h, h);
	}
	ec_ln(e, 1, "}");
	ec_ln(e, 1, "return apic_reply_not_implemented(ctx);");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}

const char *ec_call_name(struct ec *e, unsigned unit)
{
	return unit ? names_fmt(e->n, "%s__call%s", names_prefix(e->n), names_uint(e->n, unit))
		    : names_fmt(e->n, "%s__call", names_prefix(e->n));
}

/* P_enum__header: the setter of a response header of enum type. */
void ec_enum_header_fn(struct ec *e, const struct ast_enum *en)
{
	struct names *n = e->n;
	ec_ln(e, 0, "%sbool %s(struct apic_ctx *ctx, const char *name, enum %s v)", e->lk,
	      names_enum_fn(n, en, "header"), names_enum(n, en));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "switch (v) {");
	for (const struct ast_enum_member *m = en->members; m; m = m->next) {
		ec_ln(e, 1, "case %s:", names_enum_const(n, en, m));
		ec_ln(e, 2, "return apic_header_str(ctx, name, %s, %zu);", ec_str(e, m->name), strlen(m->name));
	}
	ec_ln(e, 1, "case %s:", names_enum_unset(n, en));
	ec_ln(e, 2, "break;");
	ec_ln(e, 1, "}");
	ec_ln(e, 1, "return false; /* not a member: the reply becomes a 500 */");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}
