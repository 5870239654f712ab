/* AsyncAPI 3.0.0 emitter: the schema's WebSockets and event streams as one
 * JSON document, from the server application's side (docs/asyncapi.md).
 * The schemas and security schemes are written by the OpenAPI emitter's
 * functions (openapi_int.h) into the same streaming writer, so that both
 * documents describe a model with the same bytes.
 *
 * Mapping, per operation with `receive`/`send` (a WebSocket) or a
 * `-> 200 stream EVENT` (Server-Sent Events):
 *   channels.ID      address: basepath + path, {params} as channel
 *                    parameters; the messages (clientMessage and
 *                    serverMessage, or event); a WebSocket's handshake
 *                    parameters in its ws channel binding;
 *   operations       ID.receive (what the server receives) and ID.send
 *                    (what it sends) of a WebSocket, ID.send of a stream,
 *                    whose request parameters are its http operation binding.
 * Servers: each absolute http(s) `server`, once as ws(s) when there are
 * WebSockets and once as http(s) when there are streams; a relative URL
 * cannot be said (AsyncAPI needs a host), and without an absolute one the
 * document has no servers: the channels are on whatever host serves the API.
 *
 * Determinism: channels and operations in declaration order, components
 * sorted by name, as in the OpenAPI document. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "openapi_int.h"

/* An absolute server URL, split. */
struct aa_server {
	const struct ast_server *srv;
	bool tls;                  /* https:// */
	const char *host;          /* host[:port], `hostlen` bytes */
	size_t hostlen;
	const char *path;          /* what follows the host, `pathlen` bytes ("" or "/": none) */
	size_t pathlen;
};

struct aa {
	struct oa oa;
	struct out_buf buf;        /* keys, addresses, texts being built */
	struct out_buf text;       /* an operation's description */
	struct aa_server *srv;
	size_t nsrv;
	bool ws, sse;              /* the schema has WebSockets, streams */
};

static const struct ast_response *aa_stream(const struct ast_op *op)
{
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->stream)
			return r;
	return NULL;
}

static bool aa_websocket(const struct ast_op *op)
{
	return op->ws_in && op->ws_out;
}

/* The text built in aa->buf, from its start. */
static const char *aa_text(struct aa *aa)
{
	if (aa->buf.oom || !aa->buf.p)
		oa_oom();
	return aa->buf.p;
}

/* {"$ref": "#/PREFIX/KEY[/messages/MSG]"} */
static void aa_ref(struct aa *aa, const char *prefix, const char *key, const char *msg)
{
	struct json_writer *w = &aa->oa.w;

	aa->buf.len = 0;
	out_printf(&aa->buf, "#/%s/%s%s%s", prefix, key, msg ? "/messages/" : "", msg ? msg : "");
	jw_obj(w);
	jw_kstr(w, "$ref", aa_text(aa));
	jw_obj_end(w);
}

/* ---- servers ------------------------------------------------------------- */

static void aa_plan_servers(struct aa *aa)
{
	size_t n = 0;

	for (const struct ast_server *s = aa->oa.s->service->servers; s; s = s->next)
		n++;
	aa->srv = oa_calloc(n, sizeof *aa->srv);
	for (const struct ast_server *s = aa->oa.s->service->servers; s; s = s->next) {
		struct aa_server *v = &aa->srv[aa->nsrv];
		bool tls = strncasecmp(s->url, "https://", 8) == 0;

		if (!tls && strncasecmp(s->url, "http://", 7) != 0)
			continue; /* relative: no host to name */
		*v = (struct aa_server){ .srv = s, .tls = tls, .host = s->url + (tls ? 8 : 7) };
		v->hostlen = strcspn(v->host, "/?#");
		v->path = v->host + v->hostlen;
		v->pathlen = strcspn(v->path, "?#");
		if (v->pathlen == 1)
			v->pathlen = 0;
		if (v->hostlen)
			aa->nsrv++; /* else "http://": nothing to name either */
	}
}

/* A server's key: its protocol, and its place among the absolute servers
 * when there are several ("ws", or "ws-1", "ws-2"). */
static const char *aa_server_key(struct aa *aa, size_t i, bool ws)
{
	const char *proto = ws ? (aa->srv[i].tls ? "wss" : "ws") : (aa->srv[i].tls ? "https" : "http");

	aa->buf.len = 0;
	if (aa->nsrv == 1)
		out_puts(&aa->buf, proto);
	else
		out_printf(&aa->buf, "%s-%zu", proto, i + 1);
	return aa_text(aa);
}

static void aa_server(struct aa *aa, size_t i, bool ws)
{
	struct json_writer *w = &aa->oa.w;
	const struct aa_server *v = &aa->srv[i];

	jw_key(w, aa_server_key(aa, i, ws));
	jw_obj(w);
	jw_key(w, "host");
	jw_str_len(w, v->host, v->hostlen);
	jw_kstr(w, "protocol", ws ? (v->tls ? "wss" : "ws") : (v->tls ? "https" : "http"));
	if (v->pathlen) {
		jw_key(w, "pathname");
		jw_str_len(w, v->path, v->pathlen);
	}
	jw_kstr(w, "description", v->srv->description);
	jw_obj_end(w);
}

static void aa_servers(struct aa *aa)
{
	struct json_writer *w = &aa->oa.w;

	if (!aa->nsrv || (!aa->ws && !aa->sse))
		return;
	jw_key(w, "servers");
	jw_obj(w);
	for (size_t i = 0; i < aa->nsrv; i++) {
		if (aa->ws)
			aa_server(aa, i, true);
		if (aa->sse)
			aa_server(aa, i, false);
	}
	jw_obj_end(w);
}

/* A channel's "servers": those of its protocol. */
static void aa_channel_servers(struct aa *aa, bool ws)
{
	struct json_writer *w = &aa->oa.w;

	if (!aa->nsrv)
		return;
	jw_key(w, "servers");
	jw_arr(w);
	for (size_t i = 0; i < aa->nsrv; i++) {
		char *key = strdup(aa_server_key(aa, i, ws));

		if (!key)
			oa_oom();
		aa_ref(aa, "servers", key, NULL);
		free(key);
	}
	jw_arr_end(w);
}

/* ---- parameters ------------------------------------------------------------ */

/* A path parameter as a channel parameter: AsyncAPI's have no schema, so
 * the type's goes in x-apic-schema, an enum's members in "enum". */
static void aa_path_param(struct aa *aa, const struct ast_param *p)
{
	struct json_writer *w = &aa->oa.w;
	const struct ast_enum *en = p->type->kind == TYPE_NAMED ? p->type->enm : NULL;

	jw_obj(w);
	if (p->doc) {
		jw_kstr(w, "description", p->doc);
	} else {
		aa->buf.len = 0;
		out_printf(&aa->buf, "The `%s` segment of the path.", p->name);
		jw_kstr(w, "description", aa_text(aa));
	}
	if (en) {
		jw_key(w, "enum");
		jw_arr(w);
		for (const struct ast_enum_member *m = en->members; m; m = m->next)
			jw_str(w, m->name);
		jw_arr_end(w);
	}
	if (p->example) {
		const struct ast_value *v = p->example;

		jw_key(w, "examples");
		jw_arr(w);
		if (v->kind == VAL_STRING)
			jw_str_len(w, v->str, v->len);
		else if (v->kind == VAL_NUMBER)
			jw_str(w, v->num.text);
		else if (v->kind == VAL_BOOL)
			jw_str(w, v->b ? "true" : "false");
		else if (v->kind == VAL_IDENT)
			jw_str(w, v->member ? v->member->name : v->str);
		jw_arr_end(w);
	}
	jw_key(w, "x-apic-schema");
	oa_type(&aa->oa, p->type, OA_REQUEST);
	jw_obj_end(w);
}

static void aa_channel_params(struct aa *aa, const struct ast_op *op)
{
	struct json_writer *w = &aa->oa.w;
	bool any = false;

	for (const struct ast_segment *s = op->segments; s; s = s->next)
		any |= s->is_param;
	if (!any)
		return;
	jw_key(w, "parameters");
	jw_obj(w);
	for (const struct ast_segment *s = op->segments; s; s = s->next)
		if (s->is_param) {
			jw_key(w, s->text);
			aa_path_param(aa, s->param);
		}
	jw_obj_end(w);
}

/* `key`: the schema of an object of the operation's parameters `in` (query
 * parameters, headers, cookies of the request that opens the channel), as
 * the bindings describe them; nothing when there are none. */
static void aa_params_schema(struct aa *aa, const struct ast_op *op, enum ast_param_in in,
			     const char *key)
{
	struct json_writer *w = &aa->oa.w;
	bool any = false, required = false;

	for (const struct ast_param *p = op->params; p; p = p->next)
		if (p->in == in) {
			any = true;
			required |= !p->optional;
		}
	if (!any)
		return;
	jw_key(w, key);
	jw_obj(w);
	jw_kstr(w, "type", "object");
	jw_key(w, "properties");
	jw_obj(w);
	for (const struct ast_param *p = op->params; p; p = p->next) {
		if (p->in != in)
			continue;
		jw_key(w, p->name);
		jw_obj(w);
		jw_kstr(w, "description", p->doc);
		oa_type_members(&aa->oa, p->type, OA_REQUEST, false);
		if (p->deprecated)
			jw_kbool(w, "deprecated", true);
		if (p->def) {
			jw_key(w, "default");
			oa_value(&aa->oa, p->def);
		}
		if (p->example) {
			jw_key(w, "examples");
			jw_arr(w);
			oa_value(&aa->oa, p->example);
			jw_arr_end(w);
		}
		jw_obj_end(w);
	}
	jw_obj_end(w);
	if (required) {
		jw_key(w, "required");
		jw_arr(w);
		for (const struct ast_param *p = op->params; p; p = p->next)
			if (p->in == in && !p->optional)
				jw_str(w, p->name);
		jw_arr_end(w);
	}
	jw_obj_end(w);
}

/* "bindings": {PROTOCOL: {method GET, the query, header and cookie
 * parameters' schemas, VERSION}}; the http binding has no headers field. */
static void aa_bindings(struct aa *aa, const struct ast_op *op, const char *protocol,
			const char *headers_key, const char *version)
{
	struct json_writer *w = &aa->oa.w;

	jw_key(w, "bindings");
	jw_obj(w);
	jw_key(w, protocol);
	jw_obj(w);
	jw_kstr(w, "method", "GET");
	aa_params_schema(aa, op, IN_QUERY, "query");
	aa_params_schema(aa, op, IN_HEADER, headers_key);
	aa_params_schema(aa, op, IN_COOKIE, "x-apic-cookies");
	jw_kstr(w, "bindingVersion", version);
	jw_obj_end(w);
	jw_obj_end(w);
}

/* ---- channels -------------------------------------------------------------- */

static void aa_message(struct aa *aa, const char *key, const struct ast_type *t,
		       enum oa_view view, const char *summary, const char *description)
{
	struct json_writer *w = &aa->oa.w;

	jw_key(w, key);
	jw_obj(w);
	jw_kstr(w, "name", t->name);
	jw_kstr(w, "summary", summary);
	jw_kstr(w, "description", description);
	jw_kstr(w, "contentType", "application/json");
	jw_key(w, "payload");
	oa_type(&aa->oa, t, view);
	jw_obj_end(w);
}

/* The description of a stream's event: what the SSE framing carries. */
static const char *aa_event_text(struct aa *aa, const struct ast_type *t)
{
	aa->buf.len = 0;
	out_printf(&aa->buf,
		   "One Server-Sent Event (`text/event-stream`): its `data:` field is one JSON "
		   "value of %s, its `id:` field the sequence number the server gave the event "
		   "when it published it. A client that reconnects with `Last-Event-ID: N` first "
		   "gets the events after N that the server still keeps. Comment lines (`:`) "
		   "keep an idle stream open.", t->name);
	return aa_text(aa);
}

static void aa_channel(struct aa *aa, const struct ast_op *op)
{
	struct json_writer *w = &aa->oa.w;
	const struct ast_service *svc = aa->oa.s->service;
	const char *base = svc->basepath && strcmp(svc->basepath, "/") != 0 ? svc->basepath : "";
	const struct ast_response *r = aa_stream(op);

	jw_key(w, op->id);
	jw_obj(w);
	aa->buf.len = 0;
	out_puts(&aa->buf, base);
	out_puts(&aa->buf, op->path);
	jw_kstr(w, "address", aa_text(aa));
	jw_kstr(w, "summary", op->summary);
	jw_kstr(w, "description", op->doc);
	aa_channel_servers(aa, !r);
	aa_channel_params(aa, op);
	jw_key(w, "messages");
	jw_obj(w);
	if (r) {
		aa_message(aa, "event", r->type, OA_RESPONSE, r->description, aa_event_text(aa, r->type));
	} else {
		aa_message(aa, "clientMessage", op->ws_in, OA_REQUEST,
			   "A text message from the client.", NULL);
		aa_message(aa, "serverMessage", op->ws_out, OA_RESPONSE,
			   "A text message to the client.", NULL);
	}
	jw_obj_end(w);
	if (!r)
		aa_bindings(aa, op, "ws", "headers", "0.1.0");
	if (op->deprecated)
		jw_kbool(w, "x-apic-deprecated", true);
	jw_obj_end(w);
}

/* ---- operations ------------------------------------------------------------ */

/* "security": the scheme the handshake needs; an optional one is no
 * requirement (AsyncAPI lists schemes one of which MUST be satisfied), so
 * it goes in x-apic-security-optional. */
static void aa_security(struct aa *aa, const struct ast_auth *a)
{
	struct json_writer *w = &aa->oa.w;

	if (a->none || !a->name)
		return;
	jw_key(w, a->optional ? "x-apic-security-optional" : "security");
	jw_arr(w);
	aa_ref(aa, "components/securitySchemes", a->name, NULL);
	jw_arr_end(w);
}

/* An operation on op's channel; its description is in aa->text. */
static void aa_operation(struct aa *aa, const struct ast_op *op, const char *action,
			 const char *msg, const char *summary)
{
	struct json_writer *w = &aa->oa.w;

	if (aa->text.oom)
		oa_oom();
	aa->buf.len = 0;
	out_printf(&aa->buf, "%s.%s", op->id, action);
	jw_key(w, aa_text(aa));
	jw_obj(w);
	jw_kstr(w, "action", action);
	jw_key(w, "channel");
	aa_ref(aa, "channels", op->id, NULL);
	jw_kstr(w, "summary", summary);
	jw_key(w, "description");
	jw_str_len(w, aa->text.p, aa->text.len);
	aa_security(aa, &op->eff_auth);
	if (op->tags) {
		jw_key(w, "tags");
		jw_arr(w);
		for (const struct ast_tag_ref *t = op->tags; t; t = t->next) {
			jw_obj(w);
			jw_kstr(w, "name", t->name);
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	if (aa_stream(op))
		aa_bindings(aa, op, "http", "x-apic-headers", "0.3.0");
	jw_key(w, "messages");
	jw_arr(w);
	aa_ref(aa, "channels", op->id, msg);
	jw_arr_end(w);
	if (op->deprecated)
		jw_kbool(w, "x-apic-deprecated", true);
	jw_obj_end(w);
}

static void aa_operations_of(struct aa *aa, const struct ast_op *op)
{
	const struct ast_response *r = aa_stream(op);
	struct out_buf *t = &aa->text;

	t->len = 0;
	if (r) {
		out_printf(t, "The server sends events of %s while the stream is open: a GET of "
			   "the channel's address, answered 200 with `text/event-stream`.",
			   r->type->name);
		aa_operation(aa, op, "send", "event", "Events to the client.");
		return;
	}
	out_printf(t, "Each text message of the client is one JSON value of %s. Invalid UTF-8, "
		   "malformed JSON or a violation of the schema closes the WebSocket with 1007, "
		   "the violation as the reason; a binary message closes it with 1003, one over "
		   "the server's size limit with 1009.", op->ws_in->name);
	aa_operation(aa, op, "receive", "clientMessage", "Messages from the client.");
	t->len = 0;
	out_printf(t, "Each message to the client is one text message holding a JSON value of %s.",
		   op->ws_out->name);
	aa_operation(aa, op, "send", "serverMessage", "Messages to the client.");
}

/* ---- the document ---------------------------------------------------------- */

static const char aa_scope_note[] =
	"This document describes the WebSockets and Server-Sent Event streams of the API from "
	"the server's side: an operation whose action is `receive` is what the server receives "
	"from a client, `send` what it sends. The GET request that opens a channel (its "
	"parameters, authentication and error responses) is in the API's OpenAPI document too.";

static void aa_info(struct aa *aa, const struct ast_service *svc)
{
	struct json_writer *w = &aa->oa.w;
	const char *own = svc->description ? svc->description : svc->doc;

	aa->buf.len = 0;
	if (own) {
		out_puts(&aa->buf, own);
		out_puts(&aa->buf, "\n\n");
	}
	out_puts(&aa->buf, aa_scope_note);
	jw_key(w, "info");
	jw_obj(w);
	jw_kstr(w, "title", svc->title);
	jw_kstr(w, "version", svc->version);
	jw_kstr(w, "description", aa_text(aa));
	jw_obj_end(w);
}

static int aa_security_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct ast_security *const *)a)->name,
		      (*(const struct ast_security *const *)b)->name);
}

/* components.securitySchemes: the schemes the channels use, by name. */
static void aa_security_schemes(struct aa *aa)
{
	const struct ast_schema *s = aa->oa.s;
	const struct ast_security **v = oa_calloc(s->nsecurities + 1, sizeof *v);
	size_t n = 0;

	for (const struct ast_security *sec = s->securities; sec; sec = sec->next) {
		bool used = false;

		for (const struct ast_op *op = s->ops; op && !used; op = op->next)
			used = (aa_websocket(op) || aa_stream(op)) && !op->eff_auth.none &&
			       op->eff_auth.scheme == sec;
		if (used)
			v[n++] = sec;
	}
	qsort(v, n, sizeof *v, aa_security_cmp);
	if (n) {
		jw_key(&aa->oa.w, "securitySchemes");
		jw_obj(&aa->oa.w);
		for (size_t i = 0; i < n; i++) {
			jw_key(&aa->oa.w, v[i]->name);
			oa_security_scheme(&aa->oa, v[i], "httpApiKey");
		}
		jw_obj_end(&aa->oa.w);
	}
	free(v);
}

bool emit_asyncapi(const struct ast_schema *s, struct diag_ctx *d, char **text, size_t *len)
{
	struct aa st = { .oa = { .s = s, .asyncapi = true } }, *aa = &st;
	struct json_writer *w = &aa->oa.w;
	struct out_buf out;

	*text = NULL;
	*len = 0;
	if (!s->service) {
		diag_fatal(d, "the schema declares no service");
		return false;
	}
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		aa->ws |= aa_websocket(op);
		aa->sse |= aa_stream(op) != NULL;
	}
	/* no channel uses the runtime's error shape: problem_used stays false
	 * and oa_schemas leaves Problem and Violation out */
	oa_views(&aa->oa);
	aa_plan_servers(aa);
	out_init(&out);
	out_init(&aa->buf);
	out_init(&aa->text);
	out_init(&aa->oa.scratch);
	jw_init(w, &out);

	jw_obj(w);
	jw_kstr(w, "asyncapi", "3.0.0");
	aa_info(aa, s->service);
	aa_servers(aa);
	jw_kstr(w, "defaultContentType", "application/json");
	jw_key(w, "channels");
	jw_obj(w);
	for (const struct ast_op *op = s->ops; op; op = op->next)
		if (aa_websocket(op) || aa_stream(op))
			aa_channel(aa, op);
	jw_obj_end(w);
	jw_key(w, "operations");
	jw_obj(w);
	for (const struct ast_op *op = s->ops; op; op = op->next)
		if (aa_websocket(op) || aa_stream(op))
			aa_operations_of(aa, op);
	jw_obj_end(w);
	jw_key(w, "components");
	jw_obj(w);
	jw_key(w, "schemas");
	oa_schemas(&aa->oa);
	aa_security_schemes(aa);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_finish(w);
	out_put(&out, "\n", 1);
	if (out.oom || aa->buf.oom || aa->oa.scratch.oom)
		oa_oom();

	out_free(&aa->buf);
	out_free(&aa->text);
	out_free(&aa->oa.scratch);
	oa_views_free(&aa->oa);
	free(aa->srv);
	*text = out.p;
	*len = out.len;
	return true;
}
