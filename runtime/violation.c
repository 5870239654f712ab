/* Violations and error bodies.
 *
 * Default shape, RFC 9457 problem details (application/problem+json):
 *   {"type":"about:blank","title":"Unprocessable Content","status":422,
 *    "detail":"2 violations in the request",
 *    "errors":[{"location":"body","pointer":"/name","code":"too_long","message":"..."},
 *              {"location":"query","name":"limit","code":"above_maximum","message":"..."}]}
 * Other errors carry no "errors" member; malformed JSON adds "offset" (the
 * byte where parsing stopped). The API's own shape (api->error_pointer, e.g.
 * "/errors/body") is {"errors":{"body":["name: must be ...", ...]}} as
 * application/json: one string per violation, "<where>: <message>" with
 * <where> the body pointer without its leading '/', "body" for the body
 * itself, or the parameter's name. */
#include "internal.h"

#include <stdarg.h>
#include <string.h>

static const char *where_name(enum apic_where w)
{
	switch (w) {
	case APIC_IN_BODY:
		return "body";
	case APIC_IN_PATH:
		return "path";
	case APIC_IN_QUERY:
		return "query";
	case APIC_IN_HEADER:
		return "header";
	case APIC_IN_COOKIE:
		return "cookie";
	}
	return "body";
}

/* RFC 6901: '~' -> "~0", '/' -> "~1"; indices in decimal. */
static void put_pointer(struct apic_buf *b, const struct apic_jptr *at)
{
	if (at == NULL)
		return;
	put_pointer(b, at->up);
	apic_buf_lit(b, "/");
	if (at->key == NULL) {
		char num[24];
		int n = snprintf(num, sizeof num, "%zu", at->index);
		apic_buf_put(b, num, (size_t)n);
		return;
	}
	for (size_t i = 0; i < at->keylen; i++) {
		if (at->key[i] == '~')
			apic_buf_lit(b, "~0");
		else if (at->key[i] == '/')
			apic_buf_lit(b, "~1");
		else
			apic_buf_put(b, at->key + i, 1);
	}
}

static __attribute__((format(printf, 5, 0))) void
add(struct apic_ctx *ctx, enum apic_where where, const char *at, const char *code, const char *fmt,
    va_list ap)
{
	if (ctx->nviol_total++ >= APIC__MAX_VIOLATIONS)
		return;
	struct apic__violation *v = &ctx->viol[ctx->nviol++];
	v->where = where;
	v->at = at;
	v->code = code;
	v->undecodable = false;
	v->message = apic__arena_vprintf(&ctx->arena, fmt, ap);
	if (v->message == NULL || v->at == NULL)
		ctx->oom = true;
}

/* A parameter whose text did not decode was handed to the decoder as absent
 * (query) or "" (path): what the decoder then says about it ("is required",
 * "must be an integer") is not news. */
static bool undecodable(const struct apic_ctx *ctx, enum apic_where where, const char *name)
{
	for (size_t i = 0; i < ctx->nviol; i++)
		if (ctx->viol[i].undecodable && ctx->viol[i].where == where &&
		    strcmp(ctx->viol[i].at, name) == 0)
			return true;
	return false;
}

void apic__violation_text(struct apic_ctx *ctx, enum apic_where where, const char *name,
			  const char *why)
{
	size_t before = ctx->nviol;
	apic_violation_param(ctx, where, name, APIC_V_INVALID, "%s", why);
	if (ctx->nviol > before)
		ctx->viol[before].undecodable = true;
}

void apic_violation_body(struct apic_ctx *ctx, const struct apic_jptr *at,
			 const char *code, const char *fmt, ...)
{
	const char *ptr = "";
	if (at != NULL && ctx->nviol_total < APIC__MAX_VIOLATIONS) {
		struct apic_buf b = { .ctx = ctx };
		put_pointer(&b, at);
		apic_buf_lit(&b, "\0");
		ptr = b.oom ? NULL : b.p;
	}
	va_list ap;
	va_start(ap, fmt);
	add(ctx, APIC_IN_BODY, ptr, code, fmt, ap);
	va_end(ap);
}

void apic_violation_param(struct apic_ctx *ctx, enum apic_where where,
			  const char *name, const char *code, const char *fmt, ...)
{
	if (name != NULL && undecodable(ctx, where, name))
		return;
	va_list ap;
	va_start(ap, fmt);
	add(ctx, where, name, code, fmt, ap);
	va_end(ap);
}

size_t apic_violation_count(const struct apic_ctx *ctx)
{
	return ctx->nviol_total;
}

/* Opens the objects of the API's error pointer ("/errors/body" ->
 * {"errors":{"body":) and returns how many to close. */
static unsigned open_pointer(struct apic_buf *b, const char *ptr)
{
	unsigned depth = 0;
	while (*ptr == '/') {
		ptr++;
		size_t n = strcspn(ptr, "/");
		char key[128];
		size_t k = 0;
		for (size_t i = 0; i < n && k < sizeof key; i++) {
			if (ptr[i] == '~' && i + 1 < n && (ptr[i + 1] == '0' || ptr[i + 1] == '1')) {
				key[k++] = ptr[i + 1] == '0' ? '~' : '/';
				i++;
			} else {
				key[k++] = ptr[i];
			}
		}
		apic_buf_lit(b, "{");
		apic_buf_str(b, key, k);
		apic_buf_lit(b, ":");
		depth++;
		ptr += n;
	}
	return depth;
}

static void close_pointer(struct apic_buf *b, unsigned depth)
{
	while (depth--)
		apic_buf_lit(b, "}");
}

static void put_message(struct apic_buf *b, const struct apic__violation *v)
{
	/* "<where>: <message>" as one JSON string. */
	struct apic_buf t = { .ctx = b->ctx };
	if (v->where == APIC_IN_BODY) {
		if (v->at[0] == '\0')
			apic_buf_lit(&t, "body");
		else
			apic_buf_put(&t, v->at + 1, strlen(v->at + 1));
	} else {
		apic_buf_put(&t, v->at, strlen(v->at));
	}
	apic_buf_lit(&t, ": ");
	apic_buf_put(&t, v->message, strlen(v->message));
	if (t.oom)
		b->oom = true;
	else
		apic_buf_str(b, t.p, t.len);
}

static int send(struct apic_ctx *ctx, int status, struct apic_buf *b, bool problem)
{
	if (b->oom || ctx->oom) {
		/* Last resort: a fixed body needs no memory. */
		static const char oom[] = "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
					  "\"status\":500,\"detail\":\"out of memory\"}";
		ctx->replied = false;
		return apic__reply(ctx, 500, "application/problem+json", oom, sizeof oom - 1);
	}
	return apic__reply(ctx, status, problem ? "application/problem+json" : "application/json",
			   b->p, b->len);
}

static void problem_head(struct apic_buf *b, int status, const char *detail)
{
	char num[16];
	apic_buf_lit(b, "{\"type\":\"about:blank\",\"title\":");
	const char *title = apic__status_text(status);
	apic_buf_str(b, title, strlen(title));
	int n = snprintf(num, sizeof num, "%d", status);
	apic_buf_lit(b, ",\"status\":");
	apic_buf_put(b, num, (size_t)n);
	apic_buf_lit(b, ",\"detail\":");
	apic_buf_str(b, detail, strlen(detail));
}

int apic__reply_problem(struct apic_ctx *ctx, int status, const char *detail, const char *extra)
{
	if (ctx->replied)
		return apic__reply(ctx, status, NULL, NULL, 0); /* logs the second reply */
	struct apic_buf b = { .ctx = ctx };
	const char *ptr = ctx->srv->api->error_pointer;
	if (ptr != NULL) {
		unsigned depth = open_pointer(&b, ptr);
		apic_buf_lit(&b, "[");
		apic_buf_str(&b, detail, strlen(detail));
		apic_buf_lit(&b, "]");
		close_pointer(&b, depth);
		return send(ctx, status, &b, false);
	}
	problem_head(&b, status, detail);
	if (extra != NULL) {
		apic_buf_lit(&b, ",");
		apic_buf_put(&b, extra, strlen(extra));
	}
	apic_buf_lit(&b, "}");
	return send(ctx, status, &b, true);
}

int apic_reply_violations(struct apic_ctx *ctx)
{
	if (ctx->replied)
		return apic__reply(ctx, 422, NULL, NULL, 0);
	struct apic_buf b = { .ctx = ctx };
	const char *ptr = ctx->srv->api->error_pointer;
	if (ptr != NULL) {
		unsigned depth = open_pointer(&b, ptr);
		apic_buf_lit(&b, "[");
		for (size_t i = 0; i < ctx->nviol; i++) {
			if (i)
				apic_buf_lit(&b, ",");
			put_message(&b, &ctx->viol[i]);
		}
		apic_buf_lit(&b, "]");
		close_pointer(&b, depth);
		return send(ctx, 422, &b, false);
	}
	char detail[96];
	if (ctx->nviol_total == 1)
		snprintf(detail, sizeof detail, "1 violation in the request");
	else if (ctx->nviol_total <= ctx->nviol)
		snprintf(detail, sizeof detail, "%zu violations in the request", ctx->nviol_total);
	else
		snprintf(detail, sizeof detail, "%zu violations in the request (the first %zu listed)",
			 ctx->nviol_total, ctx->nviol);
	problem_head(&b, 422, detail);
	apic_buf_lit(&b, ",\"errors\":[");
	for (size_t i = 0; i < ctx->nviol; i++) {
		const struct apic__violation *v = &ctx->viol[i];
		if (i)
			apic_buf_lit(&b, ",");
		apic_buf_lit(&b, "{\"location\":");
		const char *w = where_name(v->where);
		apic_buf_str(&b, w, strlen(w));
		if (v->where == APIC_IN_BODY)
			apic_buf_lit(&b, ",\"pointer\":");
		else
			apic_buf_lit(&b, ",\"name\":");
		apic_buf_str(&b, v->at, strlen(v->at));
		apic_buf_lit(&b, ",\"code\":");
		apic_buf_str(&b, v->code, strlen(v->code));
		apic_buf_lit(&b, ",\"message\":");
		apic_buf_str(&b, v->message, strlen(v->message));
		apic_buf_lit(&b, "}");
	}
	apic_buf_lit(&b, "]}");
	return send(ctx, 422, &b, true);
}

int apic_reply_not_implemented(struct apic_ctx *ctx)
{
	const char *op = ctx->route ? ctx->route->operation_id : "this operation";
	char *detail = apic_ctx_printf(ctx, "%s is not implemented yet", op);
	return apic__reply_problem(ctx, 501, detail ? detail : "not implemented", NULL);
}
