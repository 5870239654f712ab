/* --strict-responses: a handler's reply held to the API document. After the
 * operation's dispatch replied (request.c), its status must be one the
 * operation declares (struct apic_route.responses: the document's responses,
 * the runtime's errors listed there included), with that response's content
 * type, and a JSON body must pass apic_type_check() with its type (the
 * decoder of the response direction) or, for problem+json, the Problem
 * schema. Otherwise one error line names the operation, the status and
 * every violation, and the reply becomes a 500.
 *
 * Not checked: routes without a table (hand-written API descriptions), and
 * the 500 the runtime made itself for a reply that could not be sent (a bad
 * declared header, no memory): that was logged already. */
#include "internal.h"

#include <string.h>
#include <strings.h>

#include <json-c/json.h>

/* Deeper than any request may be (json-depth is at most 1000): a reply of
 * a recursive model is as deep as the handler made it. */
#define REPLY_DEPTH 1000

/* The violations found, as one "; "-separated text in the arena. */
struct notes {
	struct apic_ctx *ctx;
	struct apic_buf b;
	unsigned n;
};

static void note(struct notes *s, const char *text)
{
	if (s->n++)
		apic_buf_lit(&s->b, "; ");
	apic_buf_put(&s->b, text, strlen(text));
}

static void notef(struct notes *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notef(struct notes *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *t = apic__arena_vprintf(&s->ctx->arena, fmt, ap);
	va_end(ap);
	if (t == NULL)
		s->b.oom = true;
	else
		note(s, t);
}

/* The media type of a Content-Type value equals `want` (parameters aside). */
static bool media_is(const char *ctype, const char *want)
{
	if (ctype == NULL)
		return false;
	size_t n = strcspn(ctype, ";");
	while (n && (ctype[n - 1] == ' ' || ctype[n - 1] == '\t'))
		n--;
	return n == strlen(want) && strncasecmp(ctype, want, n) == 0;
}

/* ---- the runtime's Problem (emit_openapi.c's oa_problem and oa_violation) -- */

/* Member `key` of object `o`: present when `required`, of JSON type `type`. */
static struct json_object *want(struct apic_ctx *ctx, struct json_object *o, const struct apic_jptr *at,
				const char *key, enum json_type type, bool required)
{
	struct apic_jptr kat = { at, key, strlen(key), 0 };
	struct json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v)) {
		if (required)
			apic_violation_body(ctx, &kat, APIC_V_MISSING, "is required");
		return NULL;
	}
	bool ok = json_object_is_type(v, type) ||
		  (type == json_type_int && json_object_is_type(v, json_type_double) &&
		   json_object_get_double(v) == (double)json_object_get_int64(v));
	if (!ok) {
		apic_violation_body(ctx, &kat, APIC_V_WRONG_TYPE, "must be %s",
				    type == json_type_string ? "a string"
				    : type == json_type_int ? "an integer"
				    : type == json_type_array ? "an array" : "an object");
		return NULL;
	}
	return v;
}

static void int_within(struct apic_ctx *ctx, struct json_object *v, const struct apic_jptr *at,
			 const char *key, int64_t min, int64_t max)
{
	struct apic_jptr kat = { at, key, strlen(key), 0 };
	int64_t i = json_object_get_int64(v);
	if (i < min)
		apic_violation_body(ctx, &kat, APIC_V_BELOW_MINIMUM, "must be at least %lld", (long long)min);
	else if (i > max)
		apic_violation_body(ctx, &kat, APIC_V_ABOVE_MAXIMUM, "must be at most %lld", (long long)max);
}

static void check_violation(struct apic_ctx *ctx, struct json_object *v, const struct apic_jptr *at)
{
	static const char *const where[] = { "body", "path", "query", "header", "cookie" };
	if (!json_object_is_type(v, json_type_object)) {
		apic_violation_body(ctx, at, APIC_V_WRONG_TYPE, "must be an object");
		return;
	}
	struct json_object *loc = want(ctx, v, at, "location", json_type_string, true);
	if (loc != NULL) {
		bool known = false;
		for (size_t i = 0; i < sizeof where / sizeof *where; i++)
			known |= strcmp(json_object_get_string(loc), where[i]) == 0;
		if (!known) {
			struct apic_jptr kat = { at, "location", 8, 0 };
			apic_violation_body(ctx, &kat, APIC_V_ENUM, "must be one of: body, path, query, header, cookie");
		}
	}
	want(ctx, v, at, "code", json_type_string, true);
	want(ctx, v, at, "message", json_type_string, true);
	want(ctx, v, at, "pointer", json_type_string, false);
	want(ctx, v, at, "name", json_type_string, false);
}

static void check_problem(struct apic_ctx *ctx, struct json_object *j)
{
	if (!json_object_is_type(j, json_type_object)) {
		apic_violation_body(ctx, NULL, APIC_V_WRONG_TYPE, "must be an object");
		return;
	}
	want(ctx, j, NULL, "type", json_type_string, true);
	want(ctx, j, NULL, "title", json_type_string, true);
	want(ctx, j, NULL, "detail", json_type_string, true);
	struct json_object *v = want(ctx, j, NULL, "status", json_type_int, true);
	if (v != NULL)
		int_within(ctx, v, NULL, "status", 400, 599);
	if ((v = want(ctx, j, NULL, "offset", json_type_int, false)) != NULL)
		int_within(ctx, v, NULL, "offset", 0, INT64_MAX);
	if ((v = want(ctx, j, NULL, "errors", json_type_array, false)) != NULL) {
		struct apic_jptr eat = { NULL, "errors", 6, 0 };
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct apic_jptr iat = { &eat, NULL, 0, i };
			check_violation(ctx, json_object_array_get_idx(v, i), &iat);
		}
	}
}

/* ---- one reply ---------------------------------------------------------------- */

static const struct apic_response *declared(const struct apic_route *rt, int status)
{
	for (size_t i = 0; i < rt->nresponses; i++)
		if (rt->responses[i].status == status)
			return &rt->responses[i];
	return NULL;
}

static void put_json(void *obj)
{
	json_object_put(obj);
}

/* The violations the checker recorded, as notes; then the list is empty. */
static void take_violations(struct notes *s)
{
	struct apic_ctx *ctx = s->ctx;
	for (size_t i = 0; i < ctx->nviol; i++) {
		const struct apic__violation *v = &ctx->viol[i];
		notef(s, "%s %s: %s", v->at[0] ? v->at : "body", v->code, v->message);
	}
	if (ctx->nviol_total > ctx->nviol)
		notef(s, "%zu more", ctx->nviol_total - ctx->nviol);
	ctx->nviol = ctx->nviol_total = 0;
}

/* The JSON body: parsed, then the Problem check or the checkers of `r`
 * (one of them passing is enough). */
static void check_json(struct notes *s, const struct apic_response *r, bool problem)
{
	struct apic_ctx *ctx = s->ctx;
	struct json_tokener *tok = json_tokener_new_ex(REPLY_DEPTH);
	if (tok == NULL || ctx->rlen > INT32_MAX) {
		json_tokener_free(tok);
		note(s, "the body could not be parsed (out of memory or too large)");
		return;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *j = json_tokener_parse_ex(tok, ctx->rbody, (int)ctx->rlen);
	enum json_tokener_error err = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	if (err == json_tokener_continue) {
		/* A number at the top ("42") ends only with the text: say so. */
		j = json_tokener_parse_ex(tok, "", 1);
		err = json_tokener_get_error(tok);
	}
	json_tokener_free(tok);
	if (j != NULL && apic__arena_defer(&ctx->arena, put_json, j) != 0) {
		json_object_put(j);
		ctx->oom = true;
		return;
	}
	if (err != json_tokener_success || used != ctx->rlen) {
		notef(s, "the body is not JSON: %s at byte %zu",
		      err != json_tokener_success ? json_tokener_error_desc(err) : "trailing bytes", used);
		return;
	}
	/* The request's violations were sent already: the list is reused. */
	ctx->nviol = ctx->nviol_total = 0;
	if (problem) {
		check_problem(ctx, j);
		take_violations(s);
		return;
	}
	if (r->type == NULL)
		return;
	if (apic_type_check(ctx, r->type, j) != 0)
		ctx->oom = true;
	if (ctx->nviol_total == 0 || r->type_alt == NULL) {
		take_violations(s);
		return;
	}
	/* Not the declared type: the error model (the runtime's error) will do. */
	size_t len = s->b.len;
	unsigned n = s->n;
	take_violations(s);
	if (apic_type_check(ctx, r->type_alt, j) != 0)
		ctx->oom = true;
	if (ctx->nviol_total == 0) {
		s->b.len = len;
		s->n = n;
	}
	ctx->nviol = ctx->nviol_total = 0;
}

/* "application/json or application/problem+json" */
static const char *media_list(unsigned media)
{
	switch (media) {
	case APIC_MEDIA_JSON:
		return "application/json";
	case APIC_MEDIA_PROBLEM:
		return "application/problem+json";
	default:
		return "application/json or application/problem+json";
	}
}

void apic__strict_check(struct apic_ctx *ctx)
{
	const struct apic_route *rt = ctx->route;
	if (rt->nresponses == 0 || ctx->oom ||
	    (ctx->status == 500 && (ctx->reply_failed || ctx->buf.oom)))
		return;
	struct notes s = { .ctx = ctx, .b = { .ctx = ctx } };
	const struct apic_response *r = declared(rt, ctx->status);
	bool body = ctx->rlen != 0 || ctx->ctype != NULL;
	if (r == NULL) {
		notef(&s, "status %d is not declared (the document has", ctx->status);
		for (size_t i = 0; i < rt->nresponses; i++) {
			char num[8];
			int k = snprintf(num, sizeof num, " %d", rt->responses[i].status);
			apic_buf_put(&s.b, num, (size_t)k);
		}
		apic_buf_lit(&s.b, ")");
	} else if ((r->media & APIC_MEDIA_EVENTS) && ctx->stream) {
		/* the events are the generated encoder's: checked by construction */
	} else if (r->media == 0) {
		if (body)
			notef(&s, "a body (%zu bytes, %s) where the document declares none", ctx->rlen,
			      ctx->ctype ? ctx->ctype : "no Content-Type");
	} else if ((r->media & APIC_MEDIA_RAW) && ctx->ctype != NULL) {
		/* the generated reply function sets the declared Content-Type */
	} else if (ctx->rlen == 0 || ctx->ctype == NULL) {
		notef(&s, "%s, the document declares %s", ctx->rlen ? "a body without a Content-Type" : "no body",
		      media_list(r->media));
	} else if ((r->media & APIC_MEDIA_JSON) && media_is(ctx->ctype, "application/json")) {
		check_json(&s, r, false);
	} else if ((r->media & APIC_MEDIA_PROBLEM) && media_is(ctx->ctype, "application/problem+json")) {
		check_json(&s, r, true);
	} else {
		notef(&s, "Content-Type %s, the document declares %s", ctx->ctype, media_list(r->media));
	}
	if (s.n == 0 || ctx->oom)
		return;
	apic_buf_lit(&s.b, "\0");
	apic__log_limited(ctx->srv, "error", "[%s] strict-responses: %s replied %d, which the API document does not allow: %s",
			  ctx->request_id, rt->operation_id, ctx->status,
			  s.b.oom ? "(out of memory listing the violations)" : s.b.p);
	ctx->replied = false;
	ctx->rhdrs = NULL;
	apic__reply_problem(ctx, 500, "the response does not match the API document", NULL);
}
