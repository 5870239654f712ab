/* The request pipeline, independent of the transport. server.c (MHD) and
 * testing.c (in-process) drive it the same way:
 *
 *   ctx = apic__ctx_new(srv)
 *   apic__req_set_target(ctx, raw target)     -- before any decoding
 *   apic__req_add_header(ctx, ...)            -- every header field, in order
 *   apic__req_begin(ctx, method)              -- limits, framing, routing, auth,
 *                                                413 on Content-Length, 415
 *   apic__req_body(ctx, bytes)*               -- body limit (also chunked), deadline
 *   apic__req_finish(ctx)                     -- JSON parse, dispatch, handler,
 *                                                then the common response headers
 *   ... send ctx->status / ctype / rbody / rhdrs ...
 *   apic__ctx_free(ctx)                       -- arena and defer hooks
 *
 * Status policy (libapic(3), ERRORS): framing 400 + close, target > 8 KiB 414,
 * > 100 header fields 431, unknown path 404, wrong method 405 + Allow, auth
 * 401/403, body too large 413, not JSON 415, malformed JSON 400 (with the
 * byte offset), schema violations 422 (parameter text that is not UTF-8 or
 * holds NUL among them), handler failures 500, no handler 501. */
#include "codec.h"
#include "internal.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>

#define INLINE_ARENA 8192

/* A context and its first arena chunk in one block; each thread keeps its
 * last freed block, so a request allocates nothing in the common case. */
struct ctx_block {
	struct apic_ctx ctx;
	alignas(max_align_t) char first[INLINE_ARENA];
};

_Thread_local const char *apic__current_rid;

static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_init(void)
{
	(void)pthread_key_create(&spare_key, free);
}

uint64_t apic__now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t apic__ctx_elapsed_us(const struct apic_ctx *ctx)
{
	return ((ctx->t_end ? ctx->t_end : apic__now_ns()) - ctx->t_start) / 1000;
}

struct apic_ctx *apic__ctx_new(struct apic_server *srv)
{
	pthread_once(&spare_once, spare_init);
	struct ctx_block *b = pthread_getspecific(spare_key);
	if (b != NULL)
		(void)pthread_setspecific(spare_key, NULL);
	else if ((b = malloc(sizeof *b)) == NULL)
		return NULL;
	struct apic_ctx *ctx = &b->ctx;
	memset(ctx, 0, sizeof *ctx);
	apic__arena_init(&ctx->arena, b->first, sizeof b->first);
	ctx->srv = srv;
	ctx->t_start = apic__now_ns();
	ctx->method = "-";
	ctx->method_id = -1;
	ctx->target = (char *)"/";
	ctx->path = ctx->target;
	ctx->path_len = 1;
	ctx->max_body = srv->max_body;
	atomic_fetch_add_explicit(&srv->inflight, 1, memory_order_relaxed);
	return ctx;
}

void apic__ctx_free(struct apic_ctx *ctx)
{
	if (ctx == NULL)
		return;
	struct apic_server *srv = ctx->srv;
	apic__arena_release(&ctx->arena);
	atomic_fetch_sub_explicit(&srv->inflight, 1, memory_order_relaxed);
	struct ctx_block *b = (struct ctx_block *)ctx;
	if (pthread_getspecific(spare_key) == NULL && pthread_setspecific(spare_key, b) == 0)
		return;
	free(b);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *apic__pct_decode(struct apic_ctx *ctx, const char *s, size_t n, bool plus, size_t *outlen)
{
	char *out = apic__arena_alloc(&ctx->arena, n + 1);
	if (out == NULL) {
		ctx->oom = true;
		return NULL;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
			if (lo < 0)
				return NULL;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (plus && s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

const char *apic__param_text_problem(const char *s, size_t n)
{
	if (!apic__utf8_valid(s, n))
		return "invalid UTF-8";
	/* Handlers pass parameter text on as C strings: a NUL would cut it. */
	if (memchr(s, '\0', n) != NULL)
		return "contains NUL (%00)";
	return NULL;
}

int apic__req_set_target(struct apic_ctx *ctx, const char *target, size_t len)
{
	if (len > APIC__MAX_TARGET) {
		ctx->target_status = 414;
		return 0;
	}
	char *t = apic_ctx_strndup(ctx, target, len);
	if (t == NULL)
		return -1;
	ctx->target = t;
	ctx->target_len = len;
	const char *p = t;
	/* Absolute form (RFC 9112 3.2.2): drop scheme and authority. */
	if (strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) {
		p = strstr(p, "://") + 3;
		p += strcspn(p, "/?");
	}
	const char *q = strchr(p, '?');
	ctx->path = p;
	ctx->path_len = q ? (size_t)(q - p) : strlen(p);
	if (q) {
		ctx->query = q + 1;
		ctx->query_len = strlen(q + 1);
	}
	if (ctx->path_len == 0) {
		ctx->path = "/";
		ctx->path_len = 1;
	} else if (ctx->path[0] != '/') {
		ctx->target_status = 400;
	}
	/* %00 and undecodable text are the business of the parameter that holds
	 * them (router.c, parse_query): a 422 there, a 404 in a literal segment. */
	return 0;
}

int apic__req_add_header(struct apic_ctx *ctx, const char *name, size_t nlen,
			 const char *value, size_t vlen)
{
	if (++ctx->nhdrs_seen > APIC__MAX_HEADERS)
		return 0;
	if (ctx->nhdrs == ctx->hdrs_cap) {
		size_t cap = ctx->hdrs_cap ? ctx->hdrs_cap * 2 : 16;
		struct apic__hdr *h = apic__arena_realloc(&ctx->arena, ctx->hdrs,
							  ctx->nhdrs * sizeof *h, cap * sizeof *h);
		if (h == NULL) {
			ctx->oom = true;
			return -1;
		}
		ctx->hdrs = h;
		ctx->hdrs_cap = cap;
	}
	/* RFC 9110 5.5: whitespace (SP, HTAB) around a field value is not part
	 * of it. libmicrohttpd 0.9.75 strips it in front only; a value with some
	 * behind is copied without it, as values are also used as C strings. */
	while (vlen && (value[0] == ' ' || value[0] == '\t'))
		value++, vlen--;
	size_t end = vlen;
	while (end && (value[end - 1] == ' ' || value[end - 1] == '\t'))
		end--;
	if (end != vlen) {
		char *copy = apic__arena_alloc(&ctx->arena, end + 1);
		if (copy == NULL) {
			ctx->oom = true;
			return -1;
		}
		memcpy(copy, value, end);
		copy[end] = '\0';
		value = copy;
		vlen = end;
	}
	struct apic__hdr *h = &ctx->hdrs[ctx->nhdrs++];
	h->name = name;
	h->nlen = nlen;
	h->value = value;
	h->vlen = vlen;
	return 0;
}

const struct apic__hdr *apic__req_find_header(const struct apic_ctx *ctx, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < ctx->nhdrs; i++)
		if (ctx->hdrs[i].nlen == n && strncasecmp(ctx->hdrs[i].name, name, n) == 0)
			return &ctx->hdrs[i];
	return NULL;
}

/* Trims optional whitespace (RFC 9110 OWS) from both ends. */
static struct apic_str trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	struct apic_str r = { s, n };
	return r;
}

static bool str_ieq(struct apic_str s, const char *lit)
{
	return s.len == strlen(lit) && strncasecmp(s.ptr, lit, s.len) == 0;
}

/* RFC 9110 5.1: a field name is a token. 0.9.75 keeps whitespace before the
 * colon in the name, so "Content-Length : 5" is not framing to MHD while a
 * proxy in front may honour it (RFC 9112 5.1: answer 400). */
static bool is_token(struct apic_str s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		bool alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
		if (!alnum && (c == 0 || !strchr("!#$%&'*+-.^_`|~", c)))
			return false;
	}
	return true;
}

/* RFC 9112 6.3: message framing the way 0.9.75 does not check it, and the
 * singleton fields the runtime acts on sent twice. Returns NULL or what is
 * wrong. */
static const char *check_framing(struct apic_ctx *ctx)
{
	const struct apic__hdr *cl = NULL;
	unsigned te = 0, host = 0, authz = 0, ctype = 0;
	for (size_t i = 0; i < ctx->nhdrs; i++) {
		const struct apic__hdr *h = &ctx->hdrs[i];
		struct apic_str name = { h->name, h->nlen };
		if (!is_token(name))
			return "invalid header field name";
		/* Lookups stop at the first copy: a second one must not hide. */
		authz += str_ieq(name, "Authorization");
		ctype += str_ieq(name, "Content-Type");
		if (str_ieq(name, "Content-Length")) {
			struct apic_str v = trim(h->value, h->vlen);
			if (v.len == 0 || v.len > 19 || strspn(v.ptr, "0123456789") < v.len)
				return "invalid Content-Length";
			if (cl) {
				struct apic_str w = trim(cl->value, cl->vlen);
				if (w.len != v.len || memcmp(w.ptr, v.ptr, v.len) != 0)
					return "differing Content-Length headers";
			}
			cl = h;
			ctx->content_length = strtoull(v.ptr, NULL, 10);
		} else if (str_ieq(name, "Transfer-Encoding")) {
			if (!str_ieq(trim(h->value, h->vlen), "chunked"))
				return "unsupported Transfer-Encoding";
			te++;
		} else if (str_ieq(name, "Host")) {
			host++;
		}
	}
	if (te > 1)
		return "repeated Transfer-Encoding";
	if (te && cl)
		return "both Content-Length and Transfer-Encoding";
	if (host > 1)
		return "more than one Host header";
	if (authz > 1)
		return "more than one Authorization header";
	if (ctype > 1)
		return "more than one Content-Type header";
	ctx->expect_body = te || ctx->content_length > 0;
	return NULL;
}

/* application/json or application/<anything>+json, parameters allowed. */
/* RFC 8259 8.1: JSON between systems is UTF-8. A charset parameter (which
 * application/json does not define, but clients send) must say so; one
 * naming another encoding would be read wrongly, so it is refused. */
static bool utf8_charset(const char *p, size_t n)
{
	while (n > 0) {
		size_t k = 0;
		while (k < n && p[k] != ';')
			k++;
		struct apic_str prm = trim(p, k);
		if (prm.len >= 8 && strncasecmp(prm.ptr, "charset=", 8) == 0) {
			struct apic_str v = { prm.ptr + 8, prm.len - 8 };
			if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
				v.ptr++, v.len -= 2;
			if (!str_ieq(v, "utf-8") && !str_ieq(v, "utf8"))
				return false;
		}
		p += k < n ? k + 1 : k;
		n -= k < n ? k + 1 : k;
	}
	return true;
}

static bool is_json_type(const struct apic__hdr *h)
{
	if (h == NULL)
		return false;
	size_t n = strcspn(h->value, ";");
	if (n > h->vlen)
		n = h->vlen;
	if (!utf8_charset(h->value + n, h->vlen - n))
		return false;
	struct apic_str t = trim(h->value, n);
	if (str_ieq(t, "application/json"))
		return true;
	return t.len > 17 && strncasecmp(t.ptr, "application/", 12) == 0 &&
	       strncasecmp(t.ptr + t.len - 5, "+json", 5) == 0 && memchr(t.ptr + 12, '/', t.len - 12) == NULL;
}

static enum apic__step replied(struct apic_ctx *ctx)
{
	/* Replying before the body: MHD discards it and closes. */
	if (ctx->expect_body)
		ctx->close = true;
	return APIC__REPLIED;
}

enum apic__step apic__req_begin(struct apic_ctx *ctx, const char *method)
{
	struct apic_server *srv = ctx->srv;
	ctx->method = method;
	ctx->method_id = apic__method_id(method);
	ctx->is_head = ctx->method_id == APIC_HEAD;
	apic__request_id(ctx);

	if (ctx->target_status == 414) {
		ctx->close = true;
		apic__reply_problem(ctx, 414, "request target longer than 8192 bytes", NULL);
		return APIC__REPLIED;
	}
	if (ctx->nhdrs_seen > APIC__MAX_HEADERS) {
		ctx->close = true;
		apic__reply_problem(ctx, 431, "more than 100 header fields", NULL);
		return APIC__REPLIED;
	}
	const char *bad = check_framing(ctx);
	if (bad != NULL) {
		ctx->close = true;
		apic__reply_problem(ctx, 400, bad, NULL);
		return APIC__REPLIED;
	}
	if (ctx->target_status == 400) {
		apic__reply_problem(ctx, 400, "invalid request target", NULL);
		return replied(ctx);
	}
	if (!apic__router_match(ctx))
		return replied(ctx);
	if (ctx->special != APIC__SP_NONE) {
		apic__docs_serve(ctx);
		return replied(ctx);
	}
	const struct apic_route *rt = ctx->route;
	ctx->max_body = rt->max_body ? rt->max_body : srv->max_body;
	if (ctx->content_length > ctx->max_body) {
		char *d = apic_ctx_printf(ctx, "request body larger than %zu bytes", ctx->max_body);
		ctx->close = true;
		apic__reply_problem(ctx, 413, d ? d : "request body too large", NULL);
		return APIC__REPLIED;
	}
	if (!apic__auth_check(ctx) || !apic__hooks_before(ctx))
		return replied(ctx);
	if (rt->body != APIC_BODY_NONE && ctx->expect_body &&
	    !is_json_type(apic__req_find_header(ctx, "Content-Type"))) {
		apic__reply_problem(ctx, 415, "the request body must be application/json (UTF-8)", NULL);
		return replied(ctx);
	}
	return APIC__READ_BODY;
}

bool apic__req_body(struct apic_ctx *ctx, const char *data, size_t n)
{
	struct apic_server *srv = ctx->srv;
	uint64_t elapsed = apic__now_ns() - ctx->t_start;
	size_t got = ctx->body_len + ctx->discarded + n;
	/* A slow body: past the deadline, demand 500 bytes/s on average. */
	if (elapsed > (uint64_t)srv->body_deadline * 1000000000u &&
	    got < 500 * (elapsed / 1000000000u)) {
		apic_ctx_log(ctx, "body too slow (%zu bytes in %llu s): dropped", got,
			     (unsigned long long)(elapsed / 1000000000u));
		return false;
	}
	if (ctx->replied || ctx->too_big || ctx->route == NULL || ctx->route->body == APIC_BODY_NONE ||
	    ctx->body_len + n > ctx->max_body) {
		if (!ctx->replied && ctx->route && ctx->route->body != APIC_BODY_NONE)
			ctx->too_big = true;
		ctx->discarded += n;
		/* MHD 0.9.75 cannot answer in the middle of an upload: read and
		 * discard a bounded amount so the 413 can be sent, then drop. */
		return ctx->discarded <= APIC__DISCARD_MAX;
	}
	if (ctx->body_len + n + 1 > ctx->body_cap) {
		size_t cap = ctx->body_cap ? ctx->body_cap * 2 : 1024;
		if (ctx->content_length && ctx->content_length <= ctx->max_body)
			cap = (size_t)ctx->content_length + 1;
		while (cap < ctx->body_len + n + 1)
			cap *= 2;
		char *b = apic__arena_realloc(&ctx->arena, ctx->body, ctx->body_len, cap);
		if (b == NULL) {
			ctx->oom = true;
			return false;
		}
		ctx->body = b;
		ctx->body_cap = cap;
	}
	memcpy(ctx->body + ctx->body_len, data, n);
	ctx->body_len += n;
	ctx->body[ctx->body_len] = '\0';
	return true;
}

static void put_json(void *obj)
{
	json_object_put(obj);
}

static void run_operation(struct apic_ctx *ctx)
{
	const struct apic_route *rt = ctx->route;
	if (ctx->too_big) {
		char *d = apic_ctx_printf(ctx, "request body larger than %zu bytes", ctx->max_body);
		ctx->close = true;
		apic__reply_problem(ctx, 413, d ? d : "request body too large", NULL);
		return;
	}
	if (rt->body != APIC_BODY_NONE) {
		if (ctx->body_len == 0) {
			if (rt->body == APIC_BODY_REQUIRED)
				apic_violation_body(ctx, NULL, APIC_V_MISSING, "a JSON request body is required");
		} else {
			unsigned depth = rt->json_depth ? rt->json_depth : ctx->srv->json_depth;
			size_t off = 0;
			const char *why = NULL;
			struct json_object *obj = NULL;
			if (apic__json_parse(ctx, ctx->body, ctx->body_len, depth, &obj, &off, &why) != 0) {
				char *d = apic_ctx_printf(ctx, "malformed JSON at byte %zu: %s", off, why);
				char *extra = apic_ctx_printf(ctx, "\"offset\":%zu", off);
				apic__reply_problem(ctx, 400, d ? d : "malformed JSON", extra);
				return;
			}
			if (obj != NULL && apic__arena_defer(&ctx->arena, put_json, obj) != 0) {
				json_object_put(obj);
				ctx->oom = true;
				return;
			}
			ctx->json = obj;
			ctx->has_json = true;
		}
	}
	const char *outer = apic__current_rid;
	apic__current_rid = ctx->request_id;
	int rc;
	if (rt->call) {
		void *in;
		if (apic_request_decode(ctx, rt->request, &in, &rc))
			rc = rt->call(ctx, rt->op, in);
	} else {
		rc = rt->dispatch(ctx);
	}
	apic__current_rid = outer;
	if (ctx->async != NULL)
		return; /* suspended: its reply comes later, from any thread */
	if (!ctx->replied) {
		apic_ctx_log(ctx, "handler of %s returned %d without replying", rt->operation_id, rc);
		apic__reply_problem(ctx, 500, "the handler did not reply", NULL);
	} else if (ctx->srv->strict_responses) {
		apic__strict_check(ctx);
	}
}

void apic__req_finish(struct apic_ctx *ctx)
{
	if (!ctx->replied && ctx->route != NULL)
		run_operation(ctx);
	if (ctx->async == NULL)
		apic__req_seal(ctx);
}

void apic__req_seal(struct apic_ctx *ctx)
{
	if (ctx->oom) {
		ctx->replied = false;
		ctx->rhdrs = NULL;
		apic__reply_problem(ctx, 500, "out of memory", NULL);
	}
	if (!ctx->replied)
		apic__reply_problem(ctx, 500, "no reply", NULL);
	/* Headers every response carries. */
	apic__add_rhdr(ctx, "X-Request-Id", ctx->request_id);
	if (ctx->allow != NULL)
		apic__add_rhdr(ctx, "Allow", ctx->allow);
	apic__cors_headers(ctx);
	apic__compress_reply(ctx);
	if (atomic_load_explicit(&ctx->srv->draining, memory_order_relaxed))
		ctx->close = true;
}

void apic__req_end(struct apic_ctx *ctx, size_t bytes)
{
	if (ctx->phase > 0) {
		apic__hooks_after(ctx);
		apic__access_log(ctx, bytes);
	}
	apic__jobs_flush_ctx(ctx);
	apic__stream_free(ctx);
	apic__ws_abandoned(ctx);
	apic__ctx_free(ctx);
}

/* ---- reading the request (apic_gen.h) -------------------------------------- */

bool apic_req_header(struct apic_ctx *ctx, const char *name, struct apic_str *out)
{
	const struct apic__hdr *h = apic__req_find_header(ctx, name);
	if (h == NULL)
		return false;
	out->ptr = h->value;
	out->len = h->vlen;
	return true;
}

const char *apic_ctx_header(struct apic_ctx *ctx, const char *name)
{
	const struct apic__hdr *h = apic__req_find_header(ctx, name);
	return h ? h->value : NULL;
}

static void parse_query(struct apic_ctx *ctx)
{
	ctx->qs_parsed = true;
	if (ctx->query == NULL || ctx->query_len == 0)
		return;
	size_t n = 1;
	for (size_t i = 0; i < ctx->query_len; i++)
		n += ctx->query[i] == '&';
	ctx->qs = apic__arena_alloc(&ctx->arena, n * sizeof *ctx->qs);
	if (ctx->qs == NULL) {
		ctx->oom = true;
		return;
	}
	const char *p = ctx->query, *end = ctx->query + ctx->query_len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;
		if (e > p) {
			const char *eq = memchr(p, '=', (size_t)(e - p));
			const char *ke = eq ? eq : e;
			struct apic__kv *kv = &ctx->qs[ctx->nqs];
			char *k = apic__pct_decode(ctx, p, (size_t)(ke - p), true, &kv->key.len);
			char *v = eq ? apic__pct_decode(ctx, eq + 1, (size_t)(e - eq - 1), true, &kv->value.len)
				     : apic__pct_decode(ctx, "", 0, true, &kv->value.len);
			if (ctx->oom)
				return;
			const char *kbad = k ? apic__param_text_problem(k, kv->key.len)
					     : "malformed percent-encoding";
			const char *vbad = v ? apic__param_text_problem(v, kv->value.len)
					     : "malformed percent-encoding";
			if (kbad == NULL && vbad == NULL) {
				kv->key.ptr = k;
				kv->value.ptr = v;
				ctx->nqs++;
			} else {
				/* Not guessed, not silently dropped (a filter that vanished
				 * would widen the answer): a violation of that parameter,
				 * named as decoded when the name itself is fine. */
				int kl = (int)((ke - p) > 64 ? 64 : (ke - p));
				const char *name = kbad == NULL && kv->key.len <= 64
							   ? k : apic_ctx_printf(ctx, "%.*s", kl, p);
				apic__violation_text(ctx, APIC_IN_QUERY, name ? name : "", kbad ? kbad : vbad);
			}
		}
		p = e + 1;
	}
}

bool apic_req_query(struct apic_ctx *ctx, const char *name, struct apic_str *out)
{
	if (!ctx->qs_parsed)
		parse_query(ctx);
	size_t n = strlen(name);
	for (size_t i = 0; i < ctx->nqs; i++)
		if (ctx->qs[i].key.len == n && memcmp(ctx->qs[i].key.ptr, name, n) == 0) {
			*out = ctx->qs[i].value;
			return true;
		}
	return false;
}

size_t apic_req_query_first(struct apic_ctx *ctx, const char *name, struct apic_str *out)
{
	if (!ctx->qs_parsed)
		parse_query(ctx);
	size_t n = strlen(name), count = 0;
	for (size_t i = 0; i < ctx->nqs; i++)
		if (ctx->qs[i].key.len == n && memcmp(ctx->qs[i].key.ptr, name, n) == 0 && count++ == 0)
			*out = ctx->qs[i].value;
	return count;
}

size_t apic_req_query_all(struct apic_ctx *ctx, const char *name, struct apic_str **out)
{
	if (!ctx->qs_parsed)
		parse_query(ctx);
	size_t n = strlen(name), count = 0;
	for (size_t i = 0; i < ctx->nqs; i++)
		count += ctx->qs[i].key.len == n && memcmp(ctx->qs[i].key.ptr, name, n) == 0;
	*out = NULL;
	if (count == 0)
		return 0;
	struct apic_str *arr = apic__arena_alloc(&ctx->arena, count * sizeof *arr);
	if (arr == NULL) {
		ctx->oom = true;
		return 0;
	}
	size_t k = 0;
	for (size_t i = 0; i < ctx->nqs; i++)
		if (ctx->qs[i].key.len == n && memcmp(ctx->qs[i].key.ptr, name, n) == 0)
			arr[k++] = ctx->qs[i].value;
	*out = arr;
	return count;
}

/* RFC 6265 5.4: "a=b; c=d", a quoted value loses its quotes. Every Cookie
 * header is searched. */
bool apic_req_cookie(struct apic_ctx *ctx, const char *name, struct apic_str *out)
{
	size_t nlen = strlen(name);
	for (size_t i = 0; i < ctx->nhdrs; i++) {
		const struct apic__hdr *h = &ctx->hdrs[i];
		struct apic_str hn = { h->name, h->nlen };
		if (!str_ieq(hn, "Cookie"))
			continue;
		const char *p = h->value, *end = h->value + h->vlen;
		while (p < end) {
			const char *semi = memchr(p, ';', (size_t)(end - p));
			const char *e = semi ? semi : end;
			struct apic_str pair = trim(p, (size_t)(e - p));
			const char *eq = memchr(pair.ptr, '=', pair.len);
			if (eq && (size_t)(eq - pair.ptr) == nlen && memcmp(pair.ptr, name, nlen) == 0) {
				struct apic_str v = { eq + 1, pair.len - nlen - 1 };
				if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"') {
					v.ptr++;
					v.len -= 2;
				}
				char *copy = apic_ctx_strndup(ctx, v.ptr, v.len);
				if (copy == NULL)
					return false;
				out->ptr = copy;
				out->len = v.len;
				return true;
			}
			p = e + 1;
		}
	}
	return false;
}

bool apic_req_json(struct apic_ctx *ctx, struct json_object **out)
{
	*out = ctx->json;
	return ctx->has_json;
}
