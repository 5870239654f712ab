/* The client (apic_client.h): one upstream's settings and credentials,
 * one attempt on a libcurl easy handle, retries of idempotent calls, and
 * the response held to the operation's declared responses: an undeclared
 * status is an error, a declared one's body is parsed with the server's
 * strict JSON pre-scan and decoded by the same descriptor tables, in the
 * response direction, every violation kept with its JSON pointer. The
 * blocking call is here; the event loop's calls are in client_loop.c. */
#include "client_int.h"
#include "desc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>

/* apic_client_new() calls curl_global_init() once, before any thread of
 * the client's can run libcurl. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct apic_client *apic_client_new(const struct apic_api *api, const char *base_url)
{
	return apic_client_new_ex(api, NULL, base_url);
}

struct apic_client *apic_client_new_ex(const struct apic_api *api, const struct apic_api *local,
				       const char *base_url)
{
	pthread_once(&curl_once, curl_init);
	if (api == NULL || base_url == NULL ||
	    (strncasecmp(base_url, "http://", 7) != 0 && strncasecmp(base_url, "https://", 8) != 0))
		return NULL;
	struct apic_client *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	size_t n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	const char *bp = api->basepath ? api->basepath : "";
	c->api = api;
	c->base = malloc(n + strlen(bp) + 1);
	c->creds = calloc(api->nschemes + 1, sizeof *c->creds);
	if (c->base == NULL || c->creds == NULL || pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c->base);
		free(c->creds);
		free(c);
		return NULL;
	}
	memcpy(c->base, base_url, n);
	strcpy(c->base + n, bp);
	c->connect_ms = 5000;
	c->total_ms = 30000;
	c->retries = 2;
	c->backoff_ms = 100;
	c->max_response = 8u << 20;
	char err[256];
	if (apic__patterns_acquire(api, err, sizeof err) != 0) {
		fprintf(stderr, "apic client: %s\n", err);
		apic_client_free(c);
		return NULL;
	}
	c->patterns = true;
	if (local && local->npatterns) {
		if (apic__patterns_acquire(local, err, sizeof err) != 0) {
			fprintf(stderr, "apic client: %s\n", err);
			apic_client_free(c);
			return NULL;
		}
		c->local = local;
	}
	return c;
}

void apic_client_free(struct apic_client *c)
{
	if (c == NULL)
		return;
	apic__client_loop_free(c);
	for (size_t i = 0; i < c->npool; i++)
		curl_easy_cleanup(c->pool[i]);
	free(c->pool);
	for (size_t i = 0; i < c->api->nschemes; i++) {
		free(c->creds[i].token);
		free(c->creds[i].user);
		free(c->creds[i].secret);
	}
	free(c->creds);
	free(c->request_id);
	free(c->base);
	pthread_mutex_destroy(&c->mu);
	if (c->patterns)
		apic__patterns_release(c->api);
	if (c->local)
		apic__patterns_release(c->local);
	free(c);
}

static int scheme_index(const struct apic_client *c, const char *scheme)
{
	for (size_t i = 0; scheme && i < c->api->nschemes; i++)
		if (strcmp(c->api->schemes[i]->name, scheme) == 0)
			return (int)i;
	return -1;
}

static int replace(char **dst, const char *s)
{
	char *v = s ? strdup(s) : NULL;
	if (s && !v)
		return -1;
	free(*dst);
	*dst = v;
	return 0;
}

int apic_client_set_token(struct apic_client *c, const char *scheme, const char *token)
{
	int i = scheme_index(c, scheme);
	if (i < 0 || c->api->schemes[i]->kind == APIC_AUTH_BASIC)
		return -1;
	if (token && strpbrk(token, "\r\n"))
		return -1;
	return replace(&c->creds[i].token, token);
}

int apic_client_set_basic(struct apic_client *c, const char *scheme, const char *user, const char *secret)
{
	int i = scheme_index(c, scheme);
	if (i < 0 || c->api->schemes[i]->kind != APIC_AUTH_BASIC)
		return -1;
	if (replace(&c->creds[i].user, user) != 0 || replace(&c->creds[i].secret, user ? secret : NULL) != 0)
		return -1;
	return 0;
}

void apic_client_set_timeouts(struct apic_client *c, unsigned connect_ms, unsigned total_ms)
{
	if (connect_ms)
		c->connect_ms = connect_ms;
	if (total_ms)
		c->total_ms = total_ms;
}

void apic_client_set_retries(struct apic_client *c, unsigned retries, unsigned backoff_ms)
{
	c->retries = retries;
	c->backoff_ms = backoff_ms;
}

void apic_client_set_max_response(struct apic_client *c, size_t bytes)
{
	c->max_response = bytes;
}

int apic_client_set_request_id(struct apic_client *c, const char *id)
{
	if (id && strpbrk(id, "\r\n"))
		return -1;
	return replace(&c->request_id, id);
}

/* ---- one attempt ---------------------------------------------------------------- */

static size_t on_data(char *p, size_t size, size_t nmemb, void *cls)
{
	struct apic__call *k = cls;
	size_t n = size * nmemb;
	if (n > k->c->max_response - k->rlen) {
		k->too_big = true;
		return 0; /* CURLE_WRITE_ERROR */
	}
	if (k->rcap - k->rlen <= n) {
		size_t cap = k->rcap ? k->rcap : 4096;
		while (cap - k->rlen <= n)
			cap *= 2;
		char *q = realloc(k->rbuf, cap);
		if (q == NULL)
			return 0;
		k->rbuf = q;
		k->rcap = cap;
	}
	memcpy(k->rbuf + k->rlen, p, n);
	k->rlen += n;
	k->rbuf[k->rlen] = '\0';
	return n;
}

CURL *apic__easy_new(void)
{
	return curl_easy_init();
}

void apic__call_setup(struct apic__call *k, CURL *e)
{
	struct apic_client *c = k->c;
	curl_easy_reset(e);
	k->easy = e;
	k->rlen = 0;
	k->too_big = false;
	k->errbuf[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL, k->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)c->connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)c->total_ms);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, k->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "apic-client/" APIC_VERSION_STRING);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, k);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, k->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, k);
	curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	if (k->op->method == APIC_HEAD)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (k->op->method != APIC_GET)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, k->method);
	if (k->has_body || k->op->method == APIC_POST || k->op->method == APIC_PUT ||
	    k->op->method == APIC_PATCH) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)k->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, k->body ? k->body : "");
	}
	if (k->basic_user) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, k->basic_user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, k->basic_secret ? k->basic_secret : "");
	}
}

static long status_of(struct apic__call *k)
{
	long st = 0;
	curl_easy_getinfo(k->easy, CURLINFO_RESPONSE_CODE, &st);
	return st;
}

bool apic__call_retry(struct apic__call *k, CURLcode rc, unsigned *delay_ms)
{
	unsigned attempt = ++k->res->attempts;
	if (!k->idempotent || attempt > k->c->retries)
		return false;
	bool again = false;
	switch (rc) {
	case CURLE_OK: {
		long st = status_of(k);
		again = st == 502 || st == 503 || st == 504;
		break;
	}
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		again = true;
		break;
	default:
		break;
	}
	if (!again)
		return false;
	uint64_t d = (uint64_t)k->c->backoff_ms << (attempt - 1 < 20 ? attempt - 1 : 20);
	*delay_ms = d > 10000 ? 10000 : (unsigned)d;
	return true;
}

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
		res->status = (int)status_of(k);
		const char *what = k->too_big ? "the response is larger than the client's limit"
			: k->errbuf[0] ? k->errbuf : curl_easy_strerror(rc);
		apic__call_fail(k, k->too_big ? APIC_CALL_TRANSPORT : kind_of(rc), "%s %s: %s", k->method, k->url,
				what);
		res->body = buf;
		res->body_len = k->rlen;
		return;
	}
	res->status = (int)status_of(k);
	char *ct = NULL;
	curl_easy_getinfo(k->easy, CURLINFO_CONTENT_TYPE, &ct);
	res->content_type = ct ? apic_ctx_strndup(k->ctx, ct, strlen(ct)) : NULL;
	res->body = buf;
	res->body_len = k->rlen;
	finish_response(k);
}

/* ---- the blocking call --------------------------------------------------------------- */

static CURL *pool_get(struct apic_client *c)
{
	CURL *e = NULL;
	pthread_mutex_lock(&c->mu);
	if (c->npool)
		e = c->pool[--c->npool];
	pthread_mutex_unlock(&c->mu);
	return e ? e : apic__easy_new();
}

static void pool_put(struct apic_client *c, CURL *e)
{
	pthread_mutex_lock(&c->mu);
	if (c->npool == c->cappool) {
		size_t cap = c->cappool ? 2 * c->cappool : 4;
		CURL **p = realloc(c->pool, cap * sizeof *p);
		if (p) {
			c->pool = p;
			c->cappool = cap;
		}
	}
	if (c->npool < c->cappool) {
		c->pool[c->npool++] = e;
		e = NULL;
	}
	pthread_mutex_unlock(&c->mu);
	if (e)
		curl_easy_cleanup(e);
}

int apic_client_call(struct apic_client *c, const struct apic_client_op *op, const void *in,
		     struct apic_call *out)
{
	memset(out, 0, op->result_size);
	struct apic__call *k = apic__call_new(c, op, in, out);
	if (k == NULL) {
		out->error = APIC_CALL_REQUEST;
		out->message = "out of memory";
		return -1;
	}
	if (out->error != APIC_CALL_OK)
		return -1;
	CURL *e = pool_get(c);
	if (e == NULL) {
		apic__call_fail(k, APIC_CALL_REQUEST, "out of memory");
		return -1;
	}
	for (;;) {
		apic__call_setup(k, e);
		CURLcode rc = curl_easy_perform(e);
		unsigned delay;
		if (apic__call_retry(k, rc, &delay)) {
			struct timespec ts = { (time_t)(delay / 1000), (long)(delay % 1000) * 1000000L };
			nanosleep(&ts, NULL);
			continue;
		}
		apic__call_finish(k, rc);
		break;
	}
	/* the header list and the error buffer go with the result */
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
	pool_put(c, e);
	return out->error == APIC_CALL_OK ? 0 : -1;
}

/* ---- for handlers ---------------------------------------------------------------------- */

int apic_call_gateway_status(const struct apic_call *call)
{
	if (call->error == APIC_CALL_OK)
		return 0;
	return call->error == APIC_CALL_TIMEOUT ? 504 : 502;
}

int apic_ctx_reply_upstream_error(struct apic_ctx *ctx, const char *upstream, const struct apic_call *call)
{
	int status = apic_call_gateway_status(call);
	if (status == 0)
		status = 502;
	const char *detail = apic_ctx_printf(ctx, "%s: %s", upstream, call->message);
	/* problem+json also names what broke, machine-readably */
	struct apic_buf b = { .ctx = ctx };
	apic_buf_lit(&b, "\"upstream\":");
	apic_buf_str(&b, upstream, strlen(upstream));
	static const char *const kinds[] = { "ok", "connect", "timeout", "status", "body", "transport",
					     "request", "cancelled" };
	const char *kind = (unsigned)call->error < sizeof kinds / sizeof kinds[0] ? kinds[call->error] : "?";
	apic_buf_lit(&b, ",\"upstream_error\":");
	apic_buf_str(&b, kind, strlen(kind));
	if (call->status) {
		char s[32];
		int n = snprintf(s, sizeof s, ",\"upstream_status\":%d", call->status);
		apic_buf_put(&b, s, (size_t)n);
	}
	if (call->nviolations) {
		apic_buf_lit(&b, ",\"upstream_violations\":[");
		for (size_t i = 0; i < call->nviolations; i++) {
			const struct apic_call_violation *v = &call->violations[i];
			if (i)
				apic_buf_lit(&b, ",");
			apic_buf_lit(&b, "{\"pointer\":");
			apic_buf_str(&b, v->pointer, strlen(v->pointer));
			apic_buf_lit(&b, ",\"code\":");
			apic_buf_str(&b, v->code, strlen(v->code));
			apic_buf_lit(&b, ",\"message\":");
			apic_buf_str(&b, v->message, strlen(v->message));
			apic_buf_lit(&b, "}");
		}
		apic_buf_lit(&b, "]");
	}
	apic_buf_lit(&b, "\0");
	return apic__reply_problem(ctx, status, detail ? detail : "the upstream call failed",
				   b.oom ? NULL : b.p);
}
