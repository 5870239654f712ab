/* Replies: a request gets exactly one. The response (status, content type,
 * body bytes in the arena, extra headers) is recorded in the context; the
 * transport (server.c or testing.c) turns it into bytes on the wire. */
#include "internal.h"

#include <string.h>

const char *apic__status_text(int status)
{
	switch (status) {
#define X(code, text) \
	case code:        \
		return text;
		APIC_FOR_EACH_HTTP_STATUS(X)
#undef X
	default:
		break;
	}
	if (status >= 500)
		return "Server Error";
	if (status >= 400)
		return "Client Error";
	if (status >= 300)
		return "Redirection";
	return "Success";
}

int apic__reply(struct apic_ctx *ctx, int status, const char *ctype, const char *body, size_t len)
{
	/* A suspended request's reply decides its fate first (async.c); then
	 * it comes back here, with the request this thread's alone. */
	if (ctx->async != NULL && !apic__async_owned(ctx))
		return apic__async_reply(ctx, status, ctype, body, len);
	if (ctx->replied) {
		apic_ctx_log(ctx, "second reply (%d) ignored; the first was %d", status, ctx->status);
		return -1;
	}
	if (status < 100 || status > 599) {
		apic_ctx_log(ctx, "reply with invalid status %d", status);
		return -1;
	}
	ctx->replied = true;
	ctx->status = status;
	ctx->ctype = ctype;
	ctx->rbody = body;
	ctx->rlen = len;
	return 0;
}

void apic__add_rhdr(struct apic_ctx *ctx, const char *name, const char *value)
{
	struct apic__rhdr *h = apic__arena_alloc(&ctx->arena, sizeof *h);
	if (h == NULL) {
		ctx->oom = true;
		return;
	}
	h->name = name;
	h->value = value;
	h->next = ctx->rhdrs;
	ctx->rhdrs = h;
}

struct apic_buf *apic_ctx_buf(struct apic_ctx *ctx)
{
	ctx->buf.ctx = ctx;
	ctx->buf.len = 0;
	return &ctx->buf;
}

int apic_reply_json(struct apic_ctx *ctx, int status)
{
	if (ctx->buf.oom || ctx->oom)
		return apic__reply_problem(ctx, 500, "out of memory while writing the response", NULL);
	return apic__reply(ctx, status, "application/json", ctx->buf.p, ctx->buf.len);
}

int apic_ctx_reply_empty(struct apic_ctx *ctx, int status)
{
	return apic__reply(ctx, status, NULL, NULL, 0);
}

int apic_ctx_reply_raw(struct apic_ctx *ctx, int status, const char *content_type,
		       const void *body, size_t len)
{
	char *copy = apic__arena_alloc(&ctx->arena, len + 1);
	char *ct = content_type ? apic_ctx_strndup(ctx, content_type, strlen(content_type)) : NULL;
	if (copy == NULL || (content_type && ct == NULL)) {
		ctx->oom = true;
		return apic__reply_problem(ctx, 500, "out of memory", NULL);
	}
	if (len)
		memcpy(copy, body, len);
	copy[len] = '\0';
	return apic__reply(ctx, status, ct, copy, len);
}

int apic_ctx_reply_error(struct apic_ctx *ctx, int status, const char *detail)
{
	return apic__reply_problem(ctx, status, detail ? detail : apic__status_text(status), NULL);
}

/* RFC 9110 token characters for header names; values (field-value): no
 * control character but HTAB, so a handler cannot split the response (CR,
 * LF) or send one that strict clients reject (NUL, other controls, DEL). */
static bool header_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!strchr("!#$%&'*+-.^_`|~", *s) &&
		    !((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static bool header_value_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

int apic_ctx_set_header(struct apic_ctx *ctx, const char *name, const char *value)
{
	if (name == NULL || value == NULL || !header_name_ok(name) || !header_value_ok(value, strlen(value)))
		return -1;
	if (strcasecmp(name, "Content-Length") == 0 || strcasecmp(name, "Transfer-Encoding") == 0 ||
	    strcasecmp(name, "Connection") == 0)
		return -1;
	char *n = apic_ctx_strndup(ctx, name, strlen(name));
	char *v = apic_ctx_strndup(ctx, value, strlen(value));
	if (n == NULL || v == NULL)
		return -1;
	apic__add_rhdr(ctx, n, v);
	return 0;
}

/* ---- declared response headers (apic_gen.h) -------------------------------- */

bool apic_header_str(struct apic_ctx *ctx, const char *name, const char *s, size_t n)
{
	if (s == NULL || !header_value_ok(s, n))
		return false;
	char *v = apic_ctx_strndup(ctx, s, n);
	if (v == NULL)
		return false;
	apic__add_rhdr(ctx, name, v);
	return !ctx->oom;
}

bool apic_header_i64(struct apic_ctx *ctx, const char *name, int64_t v)
{
	char tmp[24];
	struct apic_buf b = { .p = tmp, .cap = sizeof tmp };
	apic_buf_i64(&b, v);
	return apic_header_str(ctx, name, b.p, b.len);
}

bool apic_header_f64(struct apic_ctx *ctx, const char *name, double v)
{
	/* %.17g needs at most 24 bytes: the buffer never grows */
	char tmp[32];
	struct apic_buf b = { .p = tmp, .cap = sizeof tmp };
	apic_buf_f64(&b, v);
	return !b.oom && apic_header_str(ctx, name, b.p, b.len);
}

int apic_reply_bad_header(struct apic_ctx *ctx, const char *name)
{
	apic_ctx_log(ctx, "response header %s: missing or not sendable (a control character in a string, "
		     "a non-finite number, an enum not set): 500 instead", name);
	ctx->rhdrs = NULL; /* the ones set for the failed reply */
	ctx->reply_failed = true; /* logged: --strict-responses leaves this 500 alone */
	return apic__reply_problem(ctx, 500, "the response could not be written", NULL);
}

void *apic_ctx_user_data(struct apic_ctx *ctx)
{
	return ctx->srv->user_data;
}

void *apic_ctx_principal(struct apic_ctx *ctx)
{
	return ctx->principal;
}

const char *apic_ctx_request_id(struct apic_ctx *ctx)
{
	return ctx->request_id;
}
