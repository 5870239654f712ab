/* The in-process transport of apic_test.h: the same request pipeline as the
 * MHD server (request.c), fed from a struct apic_test_request. A request
 * the server would drop (body deadline, far too large a body) comes back
 * with status 0. The access log is off unless --access-log is given. */
#include "internal.h"
#include "apic_test.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct apic_tester {
	struct apic_server *srv;
};

struct apic_tester *apic_tester_new(const struct apic_api *api)
{
	struct apic_tester *t = calloc(1, sizeof *t);
	if (t == NULL)
		return NULL;
	t->srv = apic_server_new(api);
	if (t->srv == NULL) {
		free(t);
		return NULL;
	}
	t->srv->access_log = false;
	return t;
}

struct apic_server *apic_tester_server(struct apic_tester *t)
{
	return t->srv;
}

void apic_tester_free(struct apic_tester *t)
{
	if (t == NULL)
		return;
	apic_server_free(t->srv);
	free(t);
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p == NULL)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void apic_test_response_free(struct apic_test_response *resp)
{
	if (resp == NULL)
		return;
	free(resp->content_type);
	free(resp->headers);
	free(resp->body);
	free(resp->scratch);
	memset(resp, 0, sizeof *resp);
}

const char *apic_test_response_header(struct apic_test_response *resp, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = resp->headers; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > n + 1 && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			free(resp->scratch);
			resp->scratch = dup_n(v, (size_t)(p + len - v));
			return resp->scratch;
		}
		p += len + (nl != NULL);
	}
	if (resp->content_type && strcasecmp(name, "Content-Type") == 0)
		return resp->content_type;
	return NULL;
}

int apic_tester_call(struct apic_tester *t, const char *method, const char *target,
		     const char *const *headers, const char *body, struct apic_test_response *resp)
{
	const char *hv[66];
	size_t n = 0;
	bool typed = false;
	for (const char *const *h = headers; h && h[0] && h[1] && n + 4 < sizeof hv / sizeof hv[0]; h += 2) {
		typed |= strcasecmp(h[0], "Content-Type") == 0;
		hv[n++] = h[0];
		hv[n++] = h[1];
	}
	if (body && !typed) {
		hv[n++] = "Content-Type";
		hv[n++] = "application/json";
	}
	hv[n] = NULL;
	struct apic_test_request req = { method, target, hv, body, body ? strlen(body) : 0 };
	return apic_tester_run(t, &req, resp);
}

static int fill(const struct apic_ctx *ctx, const struct apic__rhdr *rhdrs,
		struct apic_test_response *resp)
{
	resp->status = ctx->status;
	if (ctx->ctype && (resp->content_type = strdup(ctx->ctype)) == NULL)
		return -1;
	size_t len = 1;
	for (const struct apic__rhdr *h = rhdrs; h; h = h->next)
		len += strlen(h->name) + strlen(h->value) + 3;
	if (ctx->close)
		len += sizeof "Connection: close\n";
	if ((resp->headers = malloc(len)) == NULL)
		return -1;
	char *p = resp->headers;
	*p = '\0';
	/* rhdrs is newest first: print in the order they were added. */
	size_t n = 0;
	for (const struct apic__rhdr *h = rhdrs; h; h = h->next)
		n++;
	for (size_t i = n; i-- > 0;) {
		const struct apic__rhdr *h = rhdrs;
		for (size_t k = 0; k < i; k++)
			h = h->next;
		p += sprintf(p, "%s: %s\n", h->name, h->value);
	}
	if (ctx->close)
		strcpy(p, "Connection: close\n");
	if (!ctx->is_head && (ctx->rbody != NULL || ctx->rlen)) {
		if ((resp->body = dup_n(ctx->rbody, ctx->rlen)) == NULL)
			return -1;
		resp->body_len = ctx->rlen;
	}
	return 0;
}

static void tester_resume(struct apic_ctx *ctx, void *done)
{
	(void)ctx;
	atomic_store((atomic_bool *)done, true);
}

int apic_tester_run(struct apic_tester *t, const struct apic_test_request *req,
		    struct apic_test_response *resp)
{
	struct apic_server *srv = t->srv;
	memset(resp, 0, sizeof *resp);
	if (apic__docs_init(srv) != 0)
		return -1;
	struct apic_ctx *ctx = apic__ctx_new(srv);
	if (ctx == NULL)
		return -1;
	const char *target = req->target ? req->target : "/";
	int rc = -1;
	if (apic__req_set_target(ctx, target, strlen(target)) != 0)
		goto out;
	bool framed = false;
	for (const char *const *h = req->headers; h && h[0] && h[1]; h += 2) {
		if (!strcasecmp(h[0], "Content-Length") || !strcasecmp(h[0], "Transfer-Encoding"))
			framed = true;
		if (apic__req_add_header(ctx, h[0], strlen(h[0]), h[1], strlen(h[1])) != 0)
			goto out;
	}
	if (req->body != NULL && !framed) {
		char *cl = apic_ctx_printf(ctx, "%zu", req->body_len);
		if (cl == NULL || apic__req_add_header(ctx, "Content-Length", 14, cl, strlen(cl)) != 0)
			goto out;
	}
	bool dropped = false;
	if (apic__req_begin(ctx, req->method ? req->method : "GET") == APIC__READ_BODY && req->body)
		dropped = !apic__req_body(ctx, req->body, req->body_len);
	if (dropped) {
		resp->status = 0;
		rc = 0;
		goto out;
	}
	/* This thread is the loop's while the request runs: a suspended
	 * request's deadline and replies from other threads arrive here. */
	apic__loop_enter(srv);
	apic__req_finish(ctx);
	ctx->phase = 2;
	const struct apic__rhdr *rhdrs = ctx->rhdrs;
	if (ctx->async != NULL) {
		atomic_bool done;
		atomic_init(&done, false);
		apic__async_park(ctx, -1, tester_resume, &done);
		apic__loop_run_until(srv, &done);
		apic__async_outcome(ctx, &rhdrs);
	}
	apic__loop_leave(srv);
	rc = fill(ctx, rhdrs, resp);
	if (rc != 0)
		apic_test_response_free(resp);
	size_t bytes = ctx->is_head ? 0 : ctx->rlen;
	if (ctx->async != NULL)
		apic__async_transport_done(ctx, bytes);
	else
		apic__req_end(ctx, bytes);
	return rc;
out:
	apic__ctx_free(ctx);
	return rc;
}
