/* A response held to the operation's declared responses (apic_client.h):
 * an undeclared status is an error; a declared one's body is parsed with
 * the server's strict JSON pre-scan and decoded by the same descriptor
 * tables, in the response direction, every violation kept with its JSON
 * pointer and the server decoder's message; its declared headers are
 * parsed as the server parses header parameters. */
#include "client_int.h"
#include "desc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

/* ---- the result ------------------------------------------------------------------- */

void apic__call_fail(struct apic__call *k, enum apic_call_error err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = apic__arena_vprintf(&k->ctx->arena, fmt, ap);
	va_end(ap);
	k->res->error = err;
	k->res->message = m ? m : "out of memory";
}

static void put_json(void *j)
{
	json_object_put(j);
}

static void free_mem(void *p)
{
	free(p);
}

/* application/json, or any `+json` type when `plus`, parameters ignored. */
static bool is_json_type(const char *ct, bool plus)
{
	if (ct == NULL)
		return false;
	size_t n = strcspn(ct, "; \t");
	if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
		return true;
	return plus && n > 17 && strncasecmp(ct, "application/", 12) == 0 && strncasecmp(ct + n - 5, "+json", 5) == 0;
}

static const struct apic_client_response *declared(const struct apic_client_op *op, int status)
{
	for (size_t i = 0; i < op->nresponses; i++)
		if (op->responses[i].status == status)
			return &op->responses[i];
	return NULL;
}

static void undeclared(struct apic__call *k, int status)
{
	struct apic_buf b = { .ctx = k->ctx };
	for (size_t i = 0; i < k->op->nresponses; i++) {
		char s[16];
		int n = snprintf(s, sizeof s, "%s%d", i ? ", " : "", k->op->responses[i].status);
		apic_buf_put(&b, s, (size_t)n);
	}
	apic_buf_lit(&b, "\0");
	apic__call_fail(k, APIC_CALL_STATUS, "status %d is not a response of %s (it declares %s)", status,
			k->op->operation_id, b.p && !b.oom ? b.p : "none");
}

static struct apic_str str_member(struct apic_ctx *ctx, struct json_object *o, const char *key,
				  const struct apic_jptr *at)
{
	struct json_object *v;
	struct apic_str s = { "", 0 };
	if (!json_object_object_get_ex(o, key, &v))
		return s;
	struct apic_jptr p = { at, key, strlen(key), 0 };
	if (!json_object_is_type(v, json_type_string)) {
		apic_violation_body(ctx, &p, APIC_V_WRONG_TYPE, "must be a string");
		return s;
	}
	s.ptr = json_object_get_string(v);
	s.len = (size_t)json_object_get_string_len(v);
	return s;
}

/* RFC 9457: an object; the members this runtime sends are checked for
 * their types when present, others are allowed (extensions). */
static void decode_problem(struct apic_ctx *ctx, struct json_object *j, const struct apic_problem **out)
{
	if (!json_object_is_type(j, json_type_object)) {
		apic_violation_body(ctx, NULL, APIC_V_WRONG_TYPE, "must be an object (problem details)");
		return;
	}
	struct apic_problem *p = apic_ctx_alloc(ctx, sizeof *p);
	if (p == NULL)
		return;
	p->type = str_member(ctx, j, "type", NULL);
	p->title = str_member(ctx, j, "title", NULL);
	p->detail = str_member(ctx, j, "detail", NULL);
	struct json_object *v;
	if (json_object_object_get_ex(j, "status", &v)) {
		struct apic_jptr at = { NULL, "status", 6, 0 };
		if (!json_object_is_type(v, json_type_int))
			apic_violation_body(ctx, &at, APIC_V_WRONG_TYPE, "must be an integer");
		else
			p->status = json_object_get_int64(v);
	}
	if (json_object_object_get_ex(j, "errors", &v)) {
		struct apic_jptr at = { NULL, "errors", 6, 0 };
		if (!json_object_is_type(v, json_type_array)) {
			apic_violation_body(ctx, &at, APIC_V_WRONG_TYPE, "must be an array");
		} else {
			size_t n = json_object_array_length(v);
			struct apic_problem_error *e = n ? apic_ctx_alloc(ctx, n * sizeof *e) : NULL;
			for (size_t i = 0; e && i < n; i++) {
				struct json_object *x = json_object_array_get_idx(v, i);
				struct apic_jptr xat = { &at, NULL, 0, i };
				if (!json_object_is_type(x, json_type_object)) {
					apic_violation_body(ctx, &xat, APIC_V_WRONG_TYPE, "must be an object");
					continue;
				}
				e[i].location = str_member(ctx, x, "location", &xat);
				e[i].pointer = str_member(ctx, x, "pointer", &xat);
				e[i].name = str_member(ctx, x, "name", &xat);
				e[i].code = str_member(ctx, x, "code", &xat);
				e[i].message = str_member(ctx, x, "message", &xat);
			}
			p->errors = e;
			p->nerrors = e ? n : 0;
		}
	}
	*out = p;
}

/* Decodes JSON j into the result as r says: its own type, else (or when
 * that fails and the error shape is allowed too) the error shape. */
static void decode_body(struct apic__call *k, const struct apic_client_response *r, struct json_object *j)
{
	struct apic_ctx *ctx = k->ctx;
	char *res = (char *)k->res;
	size_t dummy = 0;
	if (r->type) {
		size_t *count = r->count_off ? (size_t *)(void *)(res + r->count_off) : &dummy;
		if (apic__decode(ctx, true, r->type, j, NULL, res + r->off, count) != 0)
			ctx->oom = true;
		if (ctx->nviol_total == 0 || !r->error)
			return;
		/* the other shape the document allows */
		ctx->nviol = ctx->nviol_total = 0;
	}
	if (k->op->error_type) {
		if (apic__decode(ctx, true, k->op->error_type, j, NULL, res + k->op->error_off, &dummy) != 0)
			ctx->oom = true;
	} else {
		decode_problem(ctx, j, (const struct apic_problem **)(void *)(res + k->op->error_off));
	}
}

static void body_violations(struct apic__call *k)
{
	struct apic_ctx *ctx = k->ctx;
	struct apic_call_violation *v = apic_ctx_alloc(ctx, ctx->nviol * sizeof *v + 1);
	if (v == NULL) {
		apic__call_fail(k, APIC_CALL_REQUEST, "out of memory");
		return;
	}
	for (size_t i = 0; i < ctx->nviol; i++)
		v[i] = (struct apic_call_violation){ ctx->viol[i].where, ctx->viol[i].at ? ctx->viol[i].at : "",
						     ctx->viol[i].code, ctx->viol[i].message ? ctx->viol[i].message : "" };
	struct apic_call *res = k->res;
	res->violations = v;
	res->nviolations = ctx->nviol;
	res->violation_count = ctx->nviol_total;
	const char *at = v[0].where == APIC_IN_HEADER ? apic_ctx_printf(ctx, "header %s", v[0].pointer)
		: v[0].pointer[0] ? v[0].pointer : "body";
	if (at == NULL)
		at = v[0].pointer;
	size_t more = ctx->nviol_total - 1;
	if (more)
		apic__call_fail(k, APIC_CALL_BODY, "%s %d of %s: %s: %s (and %zu more)", k->method, res->status,
				k->op->operation_id, at, v[0].message, more);
	else
		apic__call_fail(k, APIC_CALL_BODY, "%s %d of %s: %s: %s", k->method, res->status,
				k->op->operation_id, at, v[0].message);
}

/* The declared headers of the response, parsed as the server parses a
 * header parameter (the same strict text rules and constraint checks). */
static void decode_headers(struct apic__call *k, const struct apic_client_response *r)
{
	struct apic_ctx *ctx = k->ctx;
	char *res = (char *)k->res;
	for (size_t i = 0; i < r->nheaders; i++) {
		const struct apic_param *p = &r->headers[i];
		const struct apic_type *t = p->type;
		struct apic__site site = { ctx, APIC_IN_HEADER, NULL, p->name, false, 0 };
		struct curl_header *h = NULL;
		if (curl_easy_header(k->easy, p->name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h == NULL) {
			if (!(p->flags & APIC_F_OPTIONAL))
				apic__vio(&site, APIC_V_MISSING, "is required");
			continue;
		}
		size_t n = strlen(h->value);
		char *dst = res + p->off;
		bool good = true;
		switch ((enum apic_kind)t->kind) {
		case APIC_K_STRING: {
			char *v = apic_ctx_strndup(ctx, h->value, n);
			*(struct apic_str *)(void *)dst = (struct apic_str){ v ? v : "", v ? n : 0 };
			if (v)
				apic__check_string(&site, t, v, n);
			break;
		}
		case APIC_K_INT32:
		case APIC_K_INT64: {
			int64_t x = 0;
			int got = apic_parse_integer(h->value, n, &x);
			bool i32 = t->kind == APIC_K_INT32;
			if (got == 0) {
				good = false;
			} else if (got < 0 || (i32 && (x < INT32_MIN || x > INT32_MAX))) {
				apic__vio(&site, APIC_V_OUT_OF_RANGE, "must fit in a %s-bit integer", i32 ? "32" : "64");
			} else {
				if (apic__int_below(t, x) || apic__int_above(t, x))
					apic__check_int(&site, t, x);
				if (i32)
					*(int32_t *)(void *)dst = (int32_t)x;
				else
					*(int64_t *)(void *)dst = x;
			}
			break;
		}
		case APIC_K_NUMBER: {
			double x = 0;
			if (!(good = apic_parse_double(h->value, n, &x)))
				break;
			if (apic__num_below(t, x) || apic__num_above(t, x))
				apic__check_number(&site, t, x);
			*(double *)(void *)dst = x;
			break;
		}
		case APIC_K_BOOL:
			good = apic_parse_bool(h->value, n, (bool *)dst);
			break;
		case APIC_K_ENUM: {
			int v = apic_enum_parse(t->enm, h->value, n);
			*(int *)(void *)dst = v;
			if (v == 0)
				apic__vio(&site, APIC_V_ENUM, "must be one of: %s", t->enm->list);
			break;
		}
		default:
			break;
		}
		if (!good)
			apic__vio(&site, APIC_V_INVALID, "must be %s, got '%.*s'",
				  t->kind == APIC_K_BOOL ? "true or false" : t->kind == APIC_K_NUMBER ? "a number" : "an integer",
				  n > APIC__ECHO_MAX ? APIC__ECHO_MAX : (int)n, h->value);
		else if (p->flags & APIC_F_HAS)
			*(bool *)(void *)(res + p->has_off) = true;
	}
}

static void finish_response(struct apic__call *k)
{
	struct apic_call *res = k->res;
	struct apic_ctx *ctx = k->ctx;
	const struct apic_client_response *r = declared(k->op, res->status);
	if (r == NULL) {
		undeclared(k, res->status);
		return;
	}
	ctx->nviol = ctx->nviol_total = 0;
	if (!r->type && !r->error) {
		/* no body declared: whatever came is ignored */
		decode_headers(k, r);
		if (ctx->nviol_total)
			body_violations(k);
		else
			res->error = APIC_CALL_OK;
		return;
	}
	bool plus = (r->media & APIC_MEDIA_PROBLEM) != 0;
	if (!is_json_type(res->content_type, plus)) {
		apic__call_fail(k, APIC_CALL_BODY, "%s %d of %s: content type %s%s%s, expected %s", k->method,
				res->status, k->op->operation_id, res->content_type ? "'" : "",
				res->content_type ? res->content_type : "missing", res->content_type ? "'" : "",
				plus ? "application/problem+json" : "application/json");
		return;
	}
	struct json_object *j = NULL;
	size_t off = 0;
	const char *why = NULL;
	if (apic__json_parse(ctx, res->body ? res->body : "", res->body_len, APIC__DEFAULT_DEPTH, &j, &off,
			     &why) != 0) {
		apic__call_fail(k, APIC_CALL_BODY, "%s %d of %s: the body is not JSON: %s at byte %zu", k->method,
				res->status, k->op->operation_id, res->body_len ? why : "empty body", off);
		return;
	}
	if (j && apic__arena_defer(&ctx->arena, put_json, j) != 0) {
		json_object_put(j);
		apic__call_fail(k, APIC_CALL_REQUEST, "out of memory");
		return;
	}
	ctx->nviol = ctx->nviol_total = 0;
	decode_body(k, r, j);
	decode_headers(k, r);
	if (ctx->oom)
		apic__call_fail(k, APIC_CALL_REQUEST, "out of memory");
	else if (ctx->nviol_total)
		body_violations(k);
	else
		res->error = APIC_CALL_OK;
}

static enum apic_call_error kind_of(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return APIC_CALL_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return APIC_CALL_TIMEOUT;
	default:
		return APIC_CALL_TRANSPORT;
	}
}

void apic__call_finish(struct apic__call *k, CURLcode rc)
{
	struct apic_call *res = k->res;
	/* the buffer goes with the result */
	if (k->rbuf && apic__arena_defer(&k->ctx->arena, free_mem, k->rbuf) != 0) {
		free(k->rbuf);
		k->rbuf = NULL;
		k->rlen = 0;
		rc = CURLE_OUT_OF_MEMORY;
	}
	char *buf = k->rbuf;
	k->rbuf = NULL;
	k->rcap = 0;
	if (res->attempts == 0)
		res->attempts = 1;
	if (rc != CURLE_OK) {
		res->status = (int)apic__call_status(k);
		const char *what = k->too_big ? "the response is larger than the client's limit"
			: k->errbuf[0] ? k->errbuf : curl_easy_strerror(rc);
		apic__call_fail(k, k->too_big ? APIC_CALL_TRANSPORT : kind_of(rc), "%s %s: %s", k->method, k->url,
				what);
		res->body = buf;
		res->body_len = k->rlen;
		return;
	}
	res->status = (int)apic__call_status(k);
	char *ct = NULL;
	curl_easy_getinfo(k->easy, CURLINFO_CONTENT_TYPE, &ct);
	res->content_type = ct ? apic_ctx_strndup(k->ctx, ct, strlen(ct)) : NULL;
	res->body = buf;
	res->body_len = k->rlen;
	finish_response(k);
}

