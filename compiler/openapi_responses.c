/* The responses of the OpenAPI document's operations, and the runtime's
 * errors they share (components.responses); see openapi_int.h. What each
 * operation lists is planned first (oa_plan_replies), so that the shared
 * responses and the runtime's Problem schema are known before the text that
 * refers to them is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apic_gen.h"
#include "openapi_int.h"

const char *oa_reason(int status)
{
	static const struct {
		int status;
		const char *text;
	} reasons[] = {
		{ 100, "Continue" }, { 101, "Switching Protocols" },
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
		{ 203, "Non-Authoritative Information" }, { 204, "No Content" },
		{ 205, "Reset Content" }, { 206, "Partial Content" },
		{ 300, "Multiple Choices" }, { 301, "Moved Permanently" }, { 302, "Found" },
		{ 303, "See Other" }, { 304, "Not Modified" }, { 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 402, "Payment Required" },
		{ 403, "Forbidden" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
		{ 406, "Not Acceptable" }, { 408, "Request Timeout" }, { 409, "Conflict" },
		{ 410, "Gone" }, { 411, "Length Required" }, { 412, "Precondition Failed" },
		{ 413, "Content Too Large" }, { 414, "URI Too Long" },
		{ 415, "Unsupported Media Type" }, { 416, "Range Not Satisfiable" },
		{ 417, "Expectation Failed" }, { 421, "Misdirected Request" },
		{ 422, "Unprocessable Content" }, { 423, "Locked" }, { 424, "Failed Dependency" },
		{ 425, "Too Early" }, { 426, "Upgrade Required" }, { 428, "Precondition Required" },
		{ 429, "Too Many Requests" }, { 431, "Request Header Fields Too Large" },
		{ 451, "Unavailable For Legal Reasons" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" }, { 505, "HTTP Version Not Supported" },
	};

	for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++)
		if (reasons[i].status == status)
			return reasons[i].text;
	return "Response";
}

/* The errors the runtime answers by itself once a request is routed to an
 * operation, in the API's error shape: shared components.responses
 * referenced by every operation that can get them (oa_runtime_statuses says
 * which; runtime/request.c has the pipeline that sends them). */
static const struct {
	int status;
	const char *name;
	const char *description;
} oa_errors[] = {
	{ 400, "MalformedJson", "The body is not valid JSON." },
	{ 401, "Unauthorized", "The credential is missing or not valid (optional auth: sent but not valid)." },
	{ 403, "Forbidden", "Not allowed here: a valid credential without the right, or a WebSocket from an origin the server does not allow." },
	{ 404, "NoRoute", "No route matches the path: a path parameter is never empty." },
	{ 413, "ContentTooLarge", "The body is larger than the server's limit." },
	{ 415, "UnsupportedMediaType", "The body is not application/json." },
	{ 422, "ValidationFailed", "The request does not match the schema: every violation is listed." },
	{ 426, "WebSocketRequired", "This operation opens a WebSocket: the request is no WebSocket handshake (version 13)." },
	{ 500, "ServerError", "The server failed (out of memory, or a reply that could not be sent)." },
	{ 501, "NotImplemented", "The server has no handler for this operation yet." },
	{ 503, "ServiceUnavailable", "Try again later: the server has as many event streams and WebSockets open as it allows (--max-streams), or what the credential is checked against (a database) is unreachable for now." },
	{ 504, "DeadlinePassed", "The operation (async) did not answer within its deadline, or the server stopped first." },
};
_Static_assert(sizeof oa_errors / sizeof *oa_errors == OA_NERRORS, "one entry per runtime error");

const char *oa_runtime_error_description(int status)
{
	for (size_t i = 0; i < OA_NERRORS; i++)
		if (oa_errors[i].status == status)
			return oa_errors[i].description;
	return NULL;
}

/* ---- which responses an operation lists -------------------------------------- */

/* One entry of an operation's "responses": a declared response (`merged`
 * when the runtime answers its status too), a runtime error (`runtime`, an
 * index in oa_errors) or, neither, the 304 of `etag`. */
struct oa_reply {
	int status;
	const struct ast_response *declared;
	int runtime;
	bool merged;
};

/* Every status the runtime itself can answer once a request is routed to
 * `op` (docs/openapi.md, "Errors the runtime sends"). */
static size_t oa_runtime_statuses(const struct ast_op *op, int out[OA_NERRORS])
{
	const struct ast_auth *auth = &op->eff_auth;
	bool has_path = false, authed = auth->scheme && !auth->none;
	/* the runtime reads the query for the key: undecodable text there is 422 */
	bool query_key = authed && auth->scheme->kind == SEC_APIKEY && auth->scheme->in == IN_QUERY;
	size_t n = 0;

	for (const struct ast_param *p = op->params; p; p = p->next)
		has_path |= p->in == IN_PATH;
	if (op->body) {
		out[n++] = 400;
		out[n++] = 415;
	}
	/* Content-Length is checked before the body is read, body or not. */
	out[n++] = 413;
	if (op->params || op->body || query_key)
		out[n++] = 422;
	if (authed)
		out[n++] = 401;
	if (authed || op->ws_in)
		out[n++] = 403;
	/* "/pets/" is no request for getPet: empty segments never match */
	if (has_path)
		out[n++] = 404;
	if (op->ws_in)
		out[n++] = 426;
	out[n++] = 500;
	out[n++] = 501;
	/* 503: the stream limit, or a verifier that cannot reach its store
	 * (APIC_AUTH_UNAVAILABLE) */
	bool unavailable = authed || op->ws_in != NULL;
	for (const struct ast_response *r = op->responses; r; r = r->next)
		unavailable |= r->stream;
	if (unavailable)
		out[n++] = 503;
	if (op->async)
		out[n++] = 504;
	return n;
}

static int oa_reply_cmp(const void *a, const void *b)
{
	int x = ((const struct oa_reply *)a)->status, y = ((const struct oa_reply *)b)->status;

	return (x > y) - (x < y);
}

/* The entries of op's "responses" into `v` (room for its declared ones
 * and OA_NERRORS + 2), sorted by status (at most one entry each: check.c
 * refuses a status declared twice and a 304 declared next to `etag`). */
static size_t oa_op_replies(const struct ast_op *op, struct oa_reply *v)
{
	int st[OA_NERRORS];
	size_t n = 0, nst = oa_runtime_statuses(op, st);

	for (const struct ast_response *r = op->responses; r; r = r->next)
		v[n++] = (struct oa_reply){ r->status, r, -1, false };
	for (size_t k = 0; k < nst; k++) {
		struct oa_reply *d = NULL;
		int i = 0;

		for (size_t j = 0; j < n && !d; j++)
			if (v[j].status == st[k])
				d = &v[j];
		if (d) {
			/* a status the schema declares keeps its declaration,
			 * with the runtime's body added when it differs */
			d->merged = !ast_response_is_error(d->declared);
			continue;
		}
		while (oa_errors[i].status != st[k])
			i++;
		v[n++] = (struct oa_reply){ st[k], NULL, i, false };
	}
	if (op->etag)
		v[n++] = (struct oa_reply){ 304, NULL, -1, false };
	if (op->ws_in)
		v[n++] = (struct oa_reply){ 101, NULL, -1, false };
	qsort(v, n, sizeof *v, oa_reply_cmp);
	return n;
}

void oa_plan_replies(struct oa *oa)
{
	const struct ast_schema *s = oa->s;
	bool em = s->service->error_model != NULL;
	size_t nops = 0, cap = 0, i = 0;

	for (const struct ast_op *op = s->ops; op; op = op->next, nops++) {
		cap += OA_NERRORS + 2; /* and the 304 of etag, the 101 of a WebSocket */
		for (const struct ast_response *r = op->responses; r; r = r->next)
			cap++;
	}
	oa->replies = oa_calloc(cap, sizeof *oa->replies);
	oa->rec = oa_calloc(cap, sizeof *oa->rec);
	oa->first = oa_calloc(nops + 1, sizeof *oa->first);
	for (const struct ast_op *op = s->ops; op; op = op->next, i++) {
		struct oa_reply *v = oa->replies + oa->first[i];
		size_t n = oa_op_replies(op, v);

		oa->first[i + 1] = oa->first[i] + n;
		for (size_t k = 0; k < n; k++) {
			bool error = v[k].runtime >= 0 || v[k].merged ||
				     (v[k].declared && ast_response_is_error(v[k].declared));

			/* a 413 with its own limit is written out, not shared */
			if (v[k].runtime >= 0 && !(v[k].status == 413 && op->max_body))
				oa->error_used[v[k].runtime] = true;
			oa->problem_used |= error && !em;
		}
	}
}

/* ---- writing them ---------------------------------------------------------- */

void oa_content(struct oa *oa, const char *media)
{
	jw_key(&oa->w, "content");
	jw_obj(&oa->w);
	jw_key(&oa->w, media);
	jw_obj(&oa->w);
	jw_key(&oa->w, "schema");
}

void oa_content_end(struct oa *oa)
{
	jw_obj_end(&oa->w);
	jw_obj_end(&oa->w);
}

/* What is recorded of a reply in the API's error shape. */
static void oa_error_rec(const struct oa *oa, struct openapi_response *rec)
{
	bool em = oa->s->service->error_model != NULL;

	rec->media = em ? APIC_MEDIA_JSON : APIC_MEDIA_PROBLEM;
	rec->error_ref = em;
}

/* The members of an error's response object, a runtime error or a declared
 * typeless error status (ast_response_is_error): the API's error shape. */
static void oa_error_members(struct oa *oa, const char *description, struct openapi_response *rec)
{
	const struct ast_model *em = oa->s->service->error_model;

	jw_kstr(&oa->w, "description", description);
	if (em) {
		oa_content(oa, "application/json");
		oa_ref(oa, em->name, em, OA_RESPONSE);
	} else {
		oa_content(oa, "application/problem+json");
		oa_ref(oa, oa->problem, NULL, OA_RESPONSE);
	}
	oa_content_end(oa);
	oa_error_rec(oa, rec);
}

/* A declared typed response's body. When the runtime answers its status
 * too, the runtime's body is described next to it, as another media type
 * (problem+json) or, when both are application/json, as anyOf. */
static void oa_typed_content(struct oa *oa, const struct ast_response *r, bool merged,
			     struct openapi_response *rec)
{
	const struct ast_model *em = oa->s->service->error_model;
	struct json_writer *w = &oa->w;
	bool is_em = em && r->type->kind == TYPE_NAMED && r->type->model == em;

	rec->media = APIC_MEDIA_JSON;
	rec->error_ref = is_em || (merged && em);
	oa_content(oa, "application/json");
	if (merged && em && !is_em) {
		jw_obj(w);
		jw_key(w, "anyOf");
		jw_arr(w);
		oa_type(oa, r->type, OA_RESPONSE);
		oa_ref(oa, em->name, em, OA_RESPONSE);
		jw_arr_end(w);
		jw_obj_end(w);
	} else {
		oa_type(oa, r->type, OA_RESPONSE);
	}
	jw_obj_end(w);
	if (merged && !em) {
		jw_key(w, "application/problem+json");
		jw_obj(w);
		jw_key(w, "schema");
		oa_ref(oa, oa->problem, NULL, OA_RESPONSE);
		jw_obj_end(w);
		rec->media |= APIC_MEDIA_PROBLEM;
	}
	jw_obj_end(w);
}

/* A stream's body: Server-Sent Events (the WHATWG HTML standard's
 * text/event-stream), each event's `data` one JSON value of the event
 * model, its `id` the channel's sequence number. OpenAPI 3.1 has no way to
 * say what each event holds: x-apic-event names the model. */
static void oa_stream_content(struct oa *oa, const struct ast_response *r, struct openapi_response *rec)
{
	struct json_writer *w = &oa->w;

	rec->media = APIC_MEDIA_EVENTS;
	oa_content(oa, "text/event-stream");
	jw_obj(w);
	jw_kstr(w, "type", "string");
	jw_kstr(w, "description", "Server-Sent Events: `id: N` (the sequence number; send Last-Event-ID to resume "
		"after it) and `data:` one JSON event; comment lines are heartbeats.");
	jw_obj_end(w);
	jw_key(w, "x-apic-event");
	oa_type(oa, r->type, OA_RESPONSE);
	oa_content_end(oa);
}

/* A raw body (`text as "text/csv"`, `bytes as "image/png"`): the handler's
 * bytes under the declared media type; text is UTF-8. */
static void oa_raw_content(struct oa *oa, const struct ast_response *r, struct openapi_response *rec)
{
	struct json_writer *w = &oa->w;

	rec->media = APIC_MEDIA_RAW;
	oa_content(oa, r->media);
	jw_obj(w);
	jw_kstr(w, "type", "string");
	if (r->raw == RAW_BYTES)
		jw_kstr(w, "contentMediaType", r->media);
	jw_obj_end(w);
	oa_content_end(oa);
}

void oa_param_fields(struct oa *oa, const struct ast_param *p, enum oa_view view)
{
	struct json_writer *w = &oa->w;

	jw_kstr(w, "description", p->doc);
	jw_kbool(w, "required", p->in == IN_PATH || !p->optional);
	if (p->deprecated)
		jw_kbool(w, "deprecated", true);
	if (p->type->kind == TYPE_ARRAY) {
		/* repeated: ?tag=a&tag=b */
		jw_kstr(w, "style", "form");
		jw_kbool(w, "explode", true);
	}
	jw_key(w, "schema");
	jw_obj(w);
	oa_type_members(oa, p->type, view, false);
	if (p->def) {
		jw_key(w, "default");
		oa_value(oa, p->def);
	}
	jw_obj_end(w);
	if (p->example) {
		jw_key(w, "example");
		oa_value(oa, p->example);
	}
}

/* A header the runtime writes because of `cache` or `etag`. */
static void oa_caching_header(struct oa *oa, const char *name, const char *description,
			      const char *value)
{
	struct json_writer *w = &oa->w;

	jw_key(w, name);
	jw_obj(w);
	jw_kstr(w, "description", description);
	jw_key(w, "schema");
	jw_obj(w);
	jw_kstr(w, "type", "string");
	jw_kstr(w, "const", value);
	jw_obj_end(w);
	jw_kbool(w, "required", true);
	jw_obj_end(w);
}

static const char oa_cache_why[] = "How caches may keep this reply.";

/* "headers" of a declared response: the ones it declares, by name, then
 * those of `cache` (every 2xx reply) and `etag` (the 200). */
static void oa_response_headers(struct oa *oa, const struct ast_op *op,
				const struct ast_response *r)
{
	bool cache = op->cache_control && r->status >= 200 && r->status < 300;
	bool etag = op->etag && r->status == 200;

	if (!r->headers && !cache && !etag && !r->download)
		return;
	jw_key(&oa->w, "headers");
	jw_obj(&oa->w);
	for (const struct ast_param *h = r->headers; h; h = h->next) {
		jw_key(&oa->w, h->name);
		jw_obj(&oa->w);
		oa_param_fields(oa, h, OA_RESPONSE);
		jw_obj_end(&oa->w);
	}
	if (cache)
		oa_caching_header(oa, "Cache-Control", oa_cache_why, op->cache_control);
	if (etag)
		oa_caching_header(oa, "ETag", "The entity tag of this reply, for If-None-Match.", NULL);
	if (r->download) {
		char cd[AST_DISPOSITION_MAX];
		ast_content_disposition(r->download, cd);
		oa_caching_header(oa, "Content-Disposition", "Save the body as this file (RFC 6266).", cd);
	}
	jw_obj_end(&oa->w);
}

static void oa_reply(struct oa *oa, const struct ast_op *op, const struct oa_reply *x,
		     struct openapi_response *rec)
{
	struct json_writer *w = &oa->w;
	const struct ast_response *r = x->declared;
	/* a status has three digits (check.c: 100 to 599) */
	const char key[] = { (char)('0' + x->status / 100), (char)('0' + x->status / 10 % 10),
			     (char)('0' + x->status % 10), '\0' };

	jw_key(w, key);
	jw_obj(w);
	*rec = (struct openapi_response){ .status = x->status };
	if (r) {
		const char *why = r->description ? r->description : oa_reason(r->status);

		if (ast_response_is_error(r)) {
			/* its reply function sends the API's error shape */
			oa_error_members(oa, why, rec);
		} else if (r->stream) {
			jw_kstr(w, "description", why);
			oa_stream_content(oa, r, rec);
		} else if (r->raw) {
			jw_kstr(w, "description", why);
			oa_raw_content(oa, r, rec);
		} else {
			jw_kstr(w, "description", why);
			if (r->type)
				oa_typed_content(oa, r, x->merged, rec);
		}
		oa_response_headers(oa, op, r);
	} else if (x->runtime >= 0 && x->status == 413 && op->max_body) {
		char why[96];

		snprintf(why, sizeof why, "The body is larger than %llu bytes.",
			 (unsigned long long)op->max_body);
		oa_error_members(oa, why, rec);
	} else if (x->runtime >= 0) {
		struct out_buf *b = &oa->scratch;

		b->len = 0;
		out_puts(b, "#/components/responses/");
		out_puts(b, oa_errors[x->runtime].name);
		if (b->oom)
			oa_oom();
		jw_key(w, "$ref");
		jw_str_len(w, b->p, b->len);
		oa_error_rec(oa, rec);
	} else if (x->status == 101) {
		jw_kstr(w, "description", "Switching Protocols: the connection is a WebSocket (RFC 6455) from "
			"here, each message one JSON value: x-apic-websocket on the operation names their models.");
	} else {
		jw_kstr(w, "description",
			"Not Modified: the reply would have the entity tag sent in If-None-Match.");
		jw_key(w, "headers");
		jw_obj(w);
		oa_caching_header(oa, "ETag", "The entity tag of the current reply.", NULL);
		if (op->cache_control)
			oa_caching_header(oa, "Cache-Control", oa_cache_why, op->cache_control);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

void oa_responses(struct oa *oa, const struct ast_op *op, size_t i)
{
	jw_key(&oa->w, "responses");
	jw_obj(&oa->w);
	for (size_t k = oa->first[i]; k < oa->first[i + 1]; k++)
		oa_reply(oa, op, &oa->replies[k], &oa->rec[k]);
	jw_obj_end(&oa->w);
}

void oa_replies_free(struct oa *oa)
{
	free(oa->replies);
	free(oa->first);
}

/* components.responses: the runtime errors in use, sorted by name. */
void oa_error_responses(struct oa *oa)
{
	size_t idx[OA_NERRORS], n = 0;
	struct openapi_response unused;

	for (size_t i = 0; i < OA_NERRORS; i++)
		if (oa->error_used[i])
			idx[n++] = i;
	if (!n)
		return;
	for (size_t i = 1; i < n; i++) /* insertion sort of at most nine */
		for (size_t j = i; j > 0 && strcmp(oa_errors[idx[j - 1]].name,
						   oa_errors[idx[j]].name) > 0; j--) {
			size_t t = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	jw_key(&oa->w, "responses");
	jw_obj(&oa->w);
	for (size_t i = 0; i < n; i++) {
		jw_key(&oa->w, oa_errors[idx[i]].name);
		jw_obj(&oa->w);
		oa_error_members(oa, oa_errors[idx[i]].description, &unused);
		jw_obj_end(&oa->w);
	}
	jw_obj_end(&oa->w);
}
