/* The client (apic_client.h): one upstream's settings and credentials,
 * one attempt on a libcurl easy handle, retries of idempotent calls, the
 * blocking call, and the helpers a gateway's handler answers with. The
 * request is made in client_req.c, the response held to the contract in
 * client_resp.c, the event loop's calls are in client_loop.c. */
#include "client_int.h"
#include "desc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>


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
	for (size_t i = 0; i < c->nextra; i++)
		free(c->extra[i]);
	free(c->extra);
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

int apic_client_add_header(struct apic_client *c, const char *name, const char *value)
{
	if (c == NULL || name == NULL || value == NULL || *name == '\0')
		return -1;
	for (const char *p = name; *p; p++)
		if (*p == ':' || *p == ' ' || *p == '\r' || *p == '\n')
			return -1;
	for (const char *p = value; *p; p++)
		if (*p == '\r' || *p == '\n')
			return -1;
	char **x = realloc(c->extra, (c->nextra + 1) * sizeof *x);
	if (x == NULL)
		return -1;
	c->extra = x;
	size_t n = strlen(name) + strlen(value) + 3;
	char *line = malloc(n);
	if (line == NULL)
		return -1;
	snprintf(line, n, "%s: %s", name, value);
	c->extra[c->nextra++] = line;
	return 0;
}

void apic_client_set_max_connections(struct apic_client *c, unsigned n)
{
	c->max_conns = n;
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

long apic__call_status(struct apic__call *k)
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
		long st = apic__call_status(k);
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
