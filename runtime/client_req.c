/* The client's requests: the URL (path parameters percent-encoded into the
 * template, query parameters as the server parses them: name=value pairs,
 * a repeated parameter once per value), header and cookie parameters, the
 * credential, X-Request-Id and the JSON body (readonly members left out).
 * Values are sent as they are: the client does not validate a request,
 * the server does (an out-of-range value comes back as its 422). */
#include "client_int.h"

#include <inttypes.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct apic__cblock {
	struct apic_ctx ctx;
	alignas(max_align_t) char first[4096];
};

static struct apic_ctx *arena_new(void)
{
	struct apic__cblock *b = malloc(sizeof *b);
	if (b == NULL)
		return NULL;
	memset(&b->ctx, 0, sizeof b->ctx);
	apic__arena_init(&b->ctx.arena, b->first, sizeof b->first);
	return &b->ctx;
}

void apic_call_free(struct apic_call *call)
{
	if (call == NULL || call->arena == NULL)
		return;
	struct apic_ctx *ctx = call->arena;
	call->arena = NULL;
	/* the result itself may be in the arena: not touched after this */
	apic__arena_release(&ctx->arena);
	free(ctx);
}

static void free_slist(void *p)
{
	curl_slist_free_all(p);
}

/* RFC 3986 unreserved characters stay, every other byte is %XX. */
static void put_pct(struct apic_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			apic_buf_put(b, s + i, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			apic_buf_put(b, e, 3);
		}
	}
}

/* The text of one scalar value of type t at v, into b (as is); false for an
 * enum that is no member. */
static bool put_text(struct apic_buf *b, const struct apic_type *t, const char *v)
{
	char num[32];
	switch ((enum apic_kind)t->kind) {
	case APIC_K_STRING: {
		const struct apic_str *s = (const struct apic_str *)(const void *)v;
		apic_buf_put(b, s->ptr, s->len);
		return true;
	}
	case APIC_K_BOOL:
		apic_buf_bool(b, *(const bool *)v);
		return true;
	case APIC_K_INT32:
		snprintf(num, sizeof num, "%" PRId32, *(const int32_t *)(const void *)v);
		apic_buf_put(b, num, strlen(num));
		return true;
	case APIC_K_INT64:
		snprintf(num, sizeof num, "%" PRId64, *(const int64_t *)(const void *)v);
		apic_buf_put(b, num, strlen(num));
		return true;
	case APIC_K_NUMBER:
		apic_buf_f64(b, *(const double *)(const void *)v);
		return true;
	case APIC_K_ENUM: {
		int e = *(const int *)(const void *)v;
		if (e < 1 || (size_t)e > t->enm->count)
			return false;
		apic_buf_put(b, t->enm->names[e - 1].ptr, t->enm->names[e - 1].len);
		return true;
	}
	default:
		return false;
	}
}

/* One value as text in the call's arena (NUL-terminated), or NULL. */
static char *text_of(struct apic__call *k, const struct apic_type *t, const char *v, size_t *len)
{
	struct apic_buf b = { .ctx = k->ctx };
	if (!put_text(&b, t, v))
		return NULL;
	apic_buf_lit(&b, "\0");
	if (b.oom)
		return NULL;
	*len = b.len - 1;
	return b.p ? b.p : (char *)"";
}

static bool is_set(const struct apic_param *p, const char *in)
{
	return !(p->flags & APIC_F_HAS) || *(const bool *)(in + p->has_off);
}

/* A header value must not end the header: no CR, LF or NUL. */
static bool header_safe(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
			return false;
	return true;
}

static bool add_header(struct apic__call *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool add_header(struct apic__call *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = apic__arena_vprintf(&k->ctx->arena, fmt, ap);
	va_end(ap);
	if (line == NULL)
		return false;
	struct curl_slist *l = curl_slist_append(k->headers, line);
	if (l == NULL)
		return false;
	if (k->headers == NULL && apic__arena_defer(&k->ctx->arena, free_slist, l) != 0) {
		curl_slist_free_all(l);
		return false;
	}
	k->headers = l;
	return true;
}

/* The path with its parameters, from the template. */
static const char *build_path(struct apic__call *k, struct apic_buf *u, const char *in)
{
	const struct apic_request *rq = k->op->request;
	unsigned idx = 0;
	for (const char *p = k->op->path; *p;) {
		if (*p != '{') {
			apic_buf_put(u, p, 1);
			p++;
			continue;
		}
		const char *end = strchr(p, '}');
		if (end == NULL)
			return "a broken path template";
		const struct apic_param *pp = NULL;
		for (size_t i = 0; i < rq->nparams; i++)
			if (rq->params[i].in == APIC_IN_PATH && rq->params[i].path_idx == idx)
				pp = &rq->params[i];
		if (pp == NULL)
			return "a path parameter without a descriptor";
		size_t n;
		const char *s = text_of(k, pp->type, in + pp->off, &n);
		if (s == NULL)
			return apic_ctx_printf(k->ctx, "path parameter '%s' has no value that can be sent", pp->name);
		put_pct(u, s, n);
		idx++;
		p = end + 1;
	}
	return NULL;
}

static void put_query(struct apic_buf *u, char *sep, const char *name, const char *v, size_t n)
{
	apic_buf_put(u, sep, 1);
	*sep = '&';
	put_pct(u, name, strlen(name));
	apic_buf_lit(u, "=");
	put_pct(u, v, n);
}

/* Query, header and cookie parameters; NULL or what is wrong. */
static const char *build_params(struct apic__call *k, struct apic_buf *u, struct apic_buf *cookie,
				const char *in, char *sep)
{
	const struct apic_request *rq = k->op->request;
	for (size_t i = 0; i < rq->nparams; i++) {
		const struct apic_param *p = &rq->params[i];
		if (p->in == APIC_IN_PATH || !is_set(p, in))
			continue;
		const struct apic_type *t = p->type;
		size_t count = 1;
		const char *items = in + p->off;
		if (t->kind == APIC_K_ARRAY) {
			count = *(const size_t *)(const void *)(in + p->count_off);
			items = *(const char *const *)(const void *)(in + p->off);
			t = t->elem;
		}
		for (size_t j = 0; j < count; j++) {
			size_t n;
			const char *s = text_of(k, t, items + j * t->size, &n);
			if (s == NULL)
				return apic_ctx_printf(k->ctx, "parameter '%s' has no value that can be sent", p->name);
			if (p->in == APIC_IN_QUERY) {
				put_query(u, sep, p->name, s, n);
			} else if (!header_safe(s, n) || (p->in == APIC_IN_COOKIE && memchr(s, ';', n))) {
				return apic_ctx_printf(k->ctx, "%s parameter '%s' holds a character it cannot carry",
						       p->in == APIC_IN_HEADER ? "header" : "cookie", p->name);
			} else if (p->in == APIC_IN_HEADER) {
				if (!add_header(k, "%s: %s", p->name, s))
					return "out of memory";
			} else {
				if (cookie->len)
					apic_buf_lit(cookie, "; ");
				apic_buf_put(cookie, p->name, strlen(p->name));
				apic_buf_lit(cookie, "=");
				apic_buf_put(cookie, s, n);
			}
		}
	}
	return NULL;
}

/* The operation's credential, if one is set. */
static const char *build_auth(struct apic__call *k, struct apic_buf *u, struct apic_buf *cookie, char *sep)
{
	if (k->op->scheme < 0 || (size_t)k->op->scheme >= k->c->api->nschemes)
		return NULL;
	const struct apic_security *s = k->c->api->schemes[k->op->scheme];
	const struct apic__cred *cr = &k->c->creds[k->op->scheme];
	if (s->kind == APIC_AUTH_BASIC) {
		k->basic_user = cr->user;
		k->basic_secret = cr->secret;
		return NULL;
	}
	if (cr->token == NULL)
		return NULL;
	const char *pre = s->prefix ? s->prefix : "";
	if (s->kind == APIC_AUTH_BEARER) {
		if (!add_header(k, "Authorization: Bearer %s", cr->token))
			return "out of memory";
	} else if (s->in == APIC_IN_HEADER) {
		if (!add_header(k, "%s: %s%s", s->key, pre, cr->token))
			return "out of memory";
	} else if (s->in == APIC_IN_QUERY) {
		char *v = apic_ctx_printf(k->ctx, "%s%s", pre, cr->token);
		if (v == NULL)
			return "out of memory";
		put_query(u, sep, s->key, v, strlen(v));
	} else {
		if (cookie->len)
			apic_buf_lit(cookie, "; ");
		apic_buf_put(cookie, s->key, strlen(s->key));
		apic_buf_lit(cookie, "=");
		apic_buf_put(cookie, pre, strlen(pre));
		apic_buf_put(cookie, cr->token, strlen(cr->token));
	}
	return NULL;
}

static const char *build_body(struct apic__call *k, const char *in)
{
	const struct apic_request *rq = k->op->request;
	if (rq->body == NULL || (rq->body_has && !*(const bool *)(in + rq->body_has_off)))
		return NULL;
	if (k->op->body_optional && rq->body->kind == APIC_K_MODEL &&
	    *(const void *const *)(const void *)(in + rq->body_off) == NULL)
		return NULL; /* an optional model body, not given */
	struct apic_buf b = { .ctx = k->ctx };
	apic__encode_request(&b, rq->body, in + rq->body_off,
			     (const size_t *)(const void *)(in + rq->body_count_off));
	if (b.oom)
		return "the body misses a required value (or out of memory)";
	k->body = b.p;
	k->body_len = b.len;
	k->has_body = true;
	if (!add_header(k, "Content-Type: application/json"))
		return "out of memory";
	return NULL;
}

static const char *build(struct apic__call *k, const char *in)
{
	if (in == NULL && (k->op->request->nparams || k->op->request->body))
		return "no parameters given (in is NULL)";
	struct apic_buf u = { .ctx = k->ctx }, cookie = { .ctx = k->ctx };
	char sep = '?';
	apic_buf_put(&u, k->c->base, strlen(k->c->base));
	const char *why = build_path(k, &u, in);
	if (!why)
		why = build_params(k, &u, &cookie, in, &sep);
	if (!why)
		why = build_auth(k, &u, &cookie, &sep);
	for (size_t i = 0; !why && i < k->c->nextra; i++)
		if (!add_header(k, "%s", k->c->extra[i]))
			why = "out of memory";
	apic_buf_lit(&u, "\0");
	if (!why && (u.oom || cookie.oom))
		why = "out of memory";
	if (why)
		return why;
	k->url = u.p;
	if (cookie.len) {
		apic_buf_lit(&cookie, "\0");
		if (cookie.oom || !add_header(k, "Cookie: %s", cookie.p))
			return "out of memory";
	}
	if (k->rid && !add_header(k, "X-Request-Id: %s", k->rid))
		return "out of memory";
	/* no "Expect: 100-continue" round trip before a body */
	if (!add_header(k, "Accept: application/json, application/problem+json") || !add_header(k, "Expect:"))
		return "out of memory";
	return build_body(k, in);
}

static const char *method_name(enum apic_method m, bool *idempotent)
{
	*idempotent = m != APIC_POST && m != APIC_PATCH;
	return apic__method_name(m);
}

struct apic__call *apic__call_new(struct apic_client *c, const struct apic_client_op *op,
				  const void *in, struct apic_call *res)
{
	struct apic_ctx *ctx = arena_new();
	if (ctx == NULL)
		return NULL;
	struct apic__call *k = apic_ctx_alloc(ctx, sizeof *k);
	if (k != NULL && res == NULL)
		res = apic_ctx_alloc(ctx, op->result_size);
	if (k == NULL || res == NULL) {
		apic__arena_release(&ctx->arena);
		free(ctx);
		return NULL;
	}
	k->c = c;
	k->op = op;
	k->ctx = ctx;
	k->res = res;
	res->arena = ctx;
	res->message = "";
	k->method = method_name(op->method, &k->idempotent);
	const char *rid = apic__current_rid && apic__current_rid[0] ? apic__current_rid : c->request_id;
	if (rid && header_safe(rid, strlen(rid)))
		k->rid = apic_ctx_strndup(ctx, rid, strlen(rid));
	const char *why = build(k, in);
	if (why != NULL)
		apic__call_fail(k, APIC_CALL_REQUEST, "%s %s: %s", k->method, op->path, why);
	return k;
}
