/* Suspended requests: a handler of an `async` operation replies later,
 * from any thread, while its worker serves other connections.
 *
 * Three parties share a suspended request: the transport (server.c's MHD
 * connection, or the tester), the application (which must reply exactly
 * once), and the event loop (its deadline timer and disconnect watch).
 * One atomic state decides how it ends, the first to move it wins:
 *
 *   SUSPENDED -> REPLYING -> REPLIED    the application replied in time
 *   SUSPENDED -> EXPIRED                the deadline (or a stop) came first
 *   SUSPENDED -> GONE                   the client disconnected first
 *
 * Only the winner writes the response; after EXPIRED or GONE the request
 * is the application's alone (its late reply returns -1) except for the
 * prepared 504, made when it suspended, which the transport sends without
 * touching the request's memory. Two references keep the context alive,
 * the transport's and the application's (its reply drops it, whatever the
 * outcome): whoever drops the last ends the request (after hooks, access
 * line, memory). Everything about the loop's events (park, resume) happens
 * on the loop thread, so a resume can never come before the park and
 * never twice. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

enum state { SUSPENDED, REPLYING, REPLIED, EXPIRED, GONE };

struct apic__async {
	struct apic_ctx *ctx;
	_Atomic int state;
	atomic_uint refs;
	apic_cancel_fn on_cancel;
	void *cls;
	unsigned deadline_ms;
	/* the transport's, from apic__async_park() */
	void (*resume)(struct apic_ctx *ctx, void *cls);
	void *resume_cls;
	int fd;
	/* loop thread only */
	bool parked, resumed, listed;
	struct event *timer, *gone;
	struct apic__async *prev, *next; /* srv->parked */
	/* the 504 sent when the deadline passes */
	const char *t_ctype, *t_body;
	size_t t_len;
	const struct apic__rhdr *t_hdrs;
	size_t bytes;                    /* the transport's count of bytes sent */
};

/* The response fields a reply writes, saved around preparing the 504. */
struct saved {
	bool replied, close;
	int status;
	const char *ctype, *rbody;
	size_t rlen;
	struct apic__rhdr *rhdrs;
};

static void save(const struct apic_ctx *ctx, struct saved *s)
{
	*s = (struct saved){ ctx->replied, ctx->close, ctx->status, ctx->ctype, ctx->rbody, ctx->rlen,
			     ctx->rhdrs };
}

static void restore(struct apic_ctx *ctx, const struct saved *s)
{
	ctx->replied = s->replied;
	ctx->close = s->close;
	ctx->status = s->status;
	ctx->ctype = s->ctype;
	ctx->rbody = s->rbody;
	ctx->rlen = s->rlen;
	ctx->rhdrs = s->rhdrs;
}

/* The method and the header fields point into the transport's memory,
 * which goes with the connection's request: a suspended request may outlive
 * it (its deadline passed, its client left) while the application still
 * reads them, and its access line is written at the very end. */
static int own_strings(struct apic_ctx *ctx)
{
	char *m = apic_ctx_strndup(ctx, ctx->method, strlen(ctx->method));
	if (m == NULL)
		return -1;
	ctx->method = m;
	for (size_t i = 0; i < ctx->nhdrs; i++) {
		struct apic__hdr *h = &ctx->hdrs[i];
		char *name = apic_ctx_strndup(ctx, h->name, h->nlen);
		char *value = apic_ctx_strndup(ctx, h->value, h->vlen);
		if (name == NULL || value == NULL)
			return -1;
		h->name = name;
		h->value = value;
	}
	return 0;
}

int apic_ctx_suspend(struct apic_ctx *ctx, apic_cancel_fn on_cancel, void *cls)
{
	const struct apic_route *rt = ctx->route;
	if (rt == NULL || !rt->async) {
		apic_ctx_log(ctx, "apic_ctx_suspend: %s is not declared async: it must reply before returning",
			     rt ? rt->operation_id : "this request");
		return -1;
	}
	if (ctx->async != NULL || ctx->replied) {
		apic_ctx_log(ctx, "apic_ctx_suspend: the request is already %s",
			     ctx->async ? "suspended" : "answered");
		return -1;
	}
	struct apic__async *a = apic_ctx_alloc(ctx, sizeof *a);
	if (a == NULL || own_strings(ctx) != 0)
		return -1;
	a->ctx = ctx;
	atomic_init(&a->state, SUSPENDED);
	atomic_init(&a->refs, 2);
	a->on_cancel = on_cancel;
	a->cls = cls;
	a->fd = -1;
	a->deadline_ms = rt->deadline_ms ? rt->deadline_ms : ctx->srv->deadline * 1000u;
	/* The 504, made now while the request is this thread's alone: the
	 * loop sends it later without touching the request's memory. */
	struct saved s;
	save(ctx, &s);
	ctx->rhdrs = NULL;
	char *detail = apic_ctx_printf(ctx, "the operation did not answer within %u ms", a->deadline_ms);
	apic__reply_problem(ctx, 504, detail ? detail : "the operation did not answer in time", NULL);
	apic__add_rhdr(ctx, "X-Request-Id", ctx->request_id);
	apic__cors_headers(ctx);
	a->t_ctype = ctx->ctype;
	a->t_body = ctx->rbody;
	a->t_len = ctx->rlen;
	a->t_hdrs = ctx->rhdrs;
	restore(ctx, &s);
	if (ctx->oom)
		return -1;
	ctx->async = a;
	return 0;
}

/* Drops one reference; the last ends the request. */
static void release(struct apic__async *a)
{
	if (atomic_fetch_sub_explicit(&a->refs, 1, memory_order_acq_rel) == 1)
		apic__req_end(a->ctx, a->bytes);
}

/* ---- the loop's side --------------------------------------------------------- */

static void unpark(struct apic__async *a)
{
	struct apic_server *srv = a->ctx->srv;
	if (a->timer)
		event_free(a->timer);
	if (a->gone)
		event_free(a->gone);
	a->timer = a->gone = NULL;
	if (a->listed) {
		if (a->prev)
			a->prev->next = a->next;
		else
			srv->parked = a->next;
		if (a->next)
			a->next->prev = a->prev;
		a->listed = false;
	}
}

/* Loop thread: the state was just decided by the loop (EXPIRED or GONE). */
static void cancel(struct apic__async *a, enum apic_cancel_reason why)
{
	apic_cancel_fn fn = a->on_cancel;
	void *cls = a->cls;
	struct apic_ctx *ctx = a->ctx;
	unpark(a);
	a->resumed = true;
	/* Before the resume: the transport's reference keeps ctx valid for the
	 * callback, which may reply (and so drop the application's). */
	if (fn)
		fn(ctx, why, cls);
	a->resume(ctx, a->resume_cls);
}

static bool decide(struct apic__async *a, int to)
{
	int expected = SUSPENDED;
	return atomic_compare_exchange_strong(&a->state, &expected, to);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic__async *a = arg;
	if (!decide(a, EXPIRED))
		return; /* the reply is on its way to the loop */
	apic_ctx_log(a->ctx, "%s: no reply within its deadline of %u ms: 504",
		     a->ctx->route->operation_id, a->deadline_ms);
	cancel(a, APIC_CANCEL_DEADLINE);
}

static void on_gone(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic__async *a = arg;
	if (!decide(a, GONE))
		return;
	cancel(a, APIC_CANCEL_CLIENT_GONE);
}

static void park_on_loop(void *arg)
{
	struct apic__async *a = arg;
	struct apic_server *srv = a->ctx->srv;
	int st = atomic_load(&a->state);
	if (st == REPLIED) { /* replied before the park reached the loop */
		a->resumed = true;
		a->resume(a->ctx, a->resume_cls);
		return;
	}
	a->parked = a->listed = true;
	a->next = srv->parked;
	if (a->next)
		a->next->prev = a;
	srv->parked = a;
	a->timer = evtimer_new(srv->base, on_deadline, a);
	struct timeval tv = { (time_t)(a->deadline_ms / 1000), (suseconds_t)(a->deadline_ms % 1000) * 1000 };
	if (a->timer)
		evtimer_add(a->timer, &tv);
	if (a->fd >= 0 && (event_base_get_features(srv->base) & EV_FEATURE_EARLY_CLOSE)) {
		a->gone = event_new(srv->base, a->fd, EV_CLOSED, on_gone, a);
		if (a->gone)
			event_add(a->gone, NULL);
	}
	if (a->timer == NULL && decide(a, EXPIRED)) /* out of memory: no way to keep the promise */
		cancel(a, APIC_CANCEL_DEADLINE);
}

void apic__async_park(struct apic_ctx *ctx, int fd, void (*resume)(struct apic_ctx *ctx, void *cls),
		      void *cls)
{
	struct apic__async *a = ctx->async;
	a->fd = fd;
	a->resume = resume;
	a->resume_cls = cls;
	if (apic__loop_call(ctx->srv, park_on_loop, a) != 0 && decide(a, EXPIRED)) {
		a->resumed = true;
		resume(ctx, cls);
	}
}

/* Loop thread, after the application's reply: resume if parked. The call
 * holds a reference of its own (the application's is gone by now). */
static void replied_on_loop(void *arg)
{
	struct apic__async *a = arg;
	if (a->parked && !a->resumed) {
		unpark(a);
		a->resumed = true;
		a->resume(a->ctx, a->resume_cls);
	}
	release(a);
}

void apic__async_stop_all(void *arg)
{
	struct apic_server *srv = arg;
	while (srv->parked) {
		struct apic__async *a = srv->parked;
		if (decide(a, EXPIRED)) {
			apic_ctx_log(a->ctx, "%s: the server stops before its reply: 504",
				     a->ctx->route->operation_id);
			cancel(a, APIC_CANCEL_STOP);
		} else {
			unpark(a); /* replied: its own call resumes it */
		}
	}
}

/* ---- the application's side ------------------------------------------------- */

/* The request whose reply this thread is writing (state REPLYING). */
static _Thread_local const struct apic_ctx *owned;

bool apic__async_owned(const struct apic_ctx *ctx)
{
	return owned == ctx;
}

int apic__async_reply(struct apic_ctx *ctx, int status, const char *ctype, const char *body,
		      size_t len)
{
	struct apic__async *a = ctx->async;
	if (!decide(a, REPLYING)) {
		int st = atomic_load(&a->state);
		if (st == REPLYING || st == REPLIED) {
			apic_ctx_log(ctx, "second reply (%d) ignored", status);
			return -1;
		}
		/* Logged before the release: after it the request is gone. */
		apic_ctx_log(ctx, "reply %d dropped: the request had %s", status,
			     st == EXPIRED ? "passed its deadline (504 sent)" : "lost its client");
		release(a);
		return -1;
	}
	/* REPLYING: the request is this thread's alone, as in a handler. */
	owned = ctx;
	int rc = apic__reply(ctx, status, ctype, body, len);
	if (rc == 0 && ctx->srv->strict_responses)
		apic__strict_check(ctx);
	apic__req_seal(ctx);
	owned = NULL;
	atomic_fetch_add_explicit(&a->refs, 1, memory_order_relaxed);
	atomic_store(&a->state, REPLIED);
	if (apic__loop_call(ctx->srv, replied_on_loop, a) != 0)
		replied_on_loop(a); /* out of memory: resume from here */
	release(a);
	return rc;
}

/* ---- the transport's side --------------------------------------------------- */

enum apic__async_end apic__async_outcome(struct apic_ctx *ctx, const struct apic__rhdr **hdrs)
{
	struct apic__async *a = ctx->async;
	switch (atomic_load(&a->state)) {
	case REPLIED:
		*hdrs = ctx->rhdrs;
		return APIC__ASYNC_REPLIED;
	case GONE:
		*hdrs = NULL;
		return APIC__ASYNC_GONE;
	default:
		/* Only fields the application no longer writes (its late reply
		 * returns before it writes any). */
		ctx->replied = true;
		ctx->status = 504;
		ctx->ctype = a->t_ctype;
		ctx->rbody = a->t_body;
		ctx->rlen = a->t_len;
		*hdrs = a->t_hdrs;
		return APIC__ASYNC_EXPIRED;
	}
}

void apic__async_transport_done(struct apic_ctx *ctx, size_t bytes)
{
	struct apic__async *a = ctx->async;
	ctx->t_end = apic__now_ns();
	a->bytes = bytes;
	release(a);
}
