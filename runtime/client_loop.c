/* The client's asynchronous calls on a server's event loop: one libcurl
 * multi handle per attached client, its sockets and its timer registered
 * as libevent events (CURLMOPT_SOCKETFUNCTION / TIMERFUNCTION) on
 * apic_server_event_base(). Everything that touches the multi handle runs
 * on the loop's thread: a call started elsewhere (a handler on a worker
 * thread) is made there, then handed over with apic__loop_call(). Its
 * completion callback runs on the loop's thread too, with the request id
 * of the call it belongs to as the thread's current one, so calls it starts
 * carry it on. When the server stops, calls still in flight end with
 * APIC_CALL_CANCELLED. And joins: N calls, then one callback. */
#include "client_int.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

struct apic__cloop {
	struct apic_client *c;
	struct apic_server *srv;
	CURLM *multi;
	struct event *timer;
	struct apic__call *inflight;  /* loop thread only */
	CURL **pool;                  /* idle easy handles (loop thread only) */
	size_t npool, cappool;
	atomic_bool stopped;          /* read by starts on any thread */
	/* apic_server_on_stop(): the cancellation ran on the loop */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool cancelled;
};

/* A joined call with a request: its result is freed with the request's
 * memory. Two references, the call's and the request's (a defer): a
 * request released before the call is back (a reply from on_cancel)
 * leaves the result to the call, which then frees it without storing it. */
struct apic__jrec {
	const struct apic_client_op *op;
	void *slot;                   /* in the request's memory */
	struct apic_call *res;
	atomic_uint refs;
	atomic_bool gone;             /* the request's memory was released */
};

static void jrec_unref(struct apic__jrec *r)
{
	if (atomic_fetch_sub(&r->refs, 1) == 1)
		free(r);
}

struct sock {
	struct event *ev;
};

static void drain(struct apic__cloop *L);

static void on_socket_event(evutil_socket_t fd, short what, void *arg)
{
	struct apic__cloop *L = arg;
	int flags = (what & EV_READ ? CURL_CSELECT_IN : 0) | (what & EV_WRITE ? CURL_CSELECT_OUT : 0);
	int running;
	curl_multi_socket_action(L->multi, fd, flags, &running);
	drain(L);
}

static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	(void)e;
	struct apic__cloop *L = userp;
	struct sock *k = socketp;
	if (what == CURL_POLL_REMOVE) {
		if (k) {
			event_free(k->ev);
			free(k);
		}
		curl_multi_assign(L->multi, s, NULL);
		return 0;
	}
	short kind = (short)((what & CURL_POLL_IN ? EV_READ : 0) | (what & CURL_POLL_OUT ? EV_WRITE : 0) | EV_PERSIST);
	if (k == NULL) {
		if ((k = calloc(1, sizeof *k)) == NULL)
			return -1;
		if ((k->ev = event_new(apic_server_event_base(L->srv), s, kind, on_socket_event, L)) == NULL) {
			free(k);
			return -1;
		}
		curl_multi_assign(L->multi, s, k);
	} else {
		event_del(k->ev);
		event_assign(k->ev, apic_server_event_base(L->srv), s, kind, on_socket_event, L);
	}
	return event_add(k->ev, NULL) == 0 ? 0 : -1;
}

static void on_timer_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic__cloop *L = arg;
	int running;
	curl_multi_socket_action(L->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	drain(L);
}

static int on_timer(CURLM *m, long ms, void *userp)
{
	(void)m;
	struct apic__cloop *L = userp;
	if (ms < 0)
		return evtimer_del(L->timer) == 0 ? 0 : -1;
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	return evtimer_add(L->timer, &tv) == 0 ? 0 : -1;
}

/* ---- calls --------------------------------------------------------------------- */

static void unlist(struct apic__cloop *L, struct apic__call *k)
{
	if (k->prev)
		k->prev->next = k->next;
	else if (L->inflight == k)
		L->inflight = k->next;
	if (k->next)
		k->next->prev = k->prev;
	k->prev = k->next = NULL;
}

static void easy_put(struct apic__cloop *L, CURL *e)
{
	if (e == NULL)
		return;
	/* nothing of the call's memory stays with the handle */
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
	if (L->npool == L->cappool) {
		size_t cap = L->cappool ? 2 * L->cappool : 8;
		CURL **p = realloc(L->pool, cap * sizeof *p);
		if (p) {
			L->pool = p;
			L->cappool = cap;
		}
	}
	if (L->npool < L->cappool)
		L->pool[L->npool++] = e;
	else
		curl_easy_cleanup(e);
}

static void join_one(struct apic_join *j);

/* The call is over: its callback (or its join), with its request's id. */
static void deliver(struct apic__cloop *L, struct apic__call *k)
{
	unlist(L, k);
	if (k->retry_ev) {
		event_free(k->retry_ev);
		k->retry_ev = NULL;
	}
	easy_put(L, k->easy);
	k->easy = NULL;
	free(k->rbuf); /* a cancelled call's partial body (a finished one's went to its result) */
	k->rbuf = NULL;
	const char *outer = apic__current_rid;
	apic__current_rid = k->rid;
	if (k->join) {
		struct apic_join *j = k->join;
		struct apic__jrec *r = k->jrec;
		if (r && atomic_load(&r->gone)) {
			apic_call_free(k->res); /* nobody is left to read it */
		} else {
			k->op->store(k->slot, k->res);
			if (r)
				r->res = k->res;
		}
		if (r)
			jrec_unref(r);
		join_one(j);
	} else {
		k->op->finish(k->res, k->fn, k->cls);
	}
	apic__current_rid = outer;
}

static void launch(void *arg);

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	launch(arg);
}

static void attempt_done(struct apic__cloop *L, struct apic__call *k, CURLcode rc)
{
	unsigned delay;
	if (!atomic_load(&L->stopped) && apic__call_retry(k, rc, &delay)) {
		if (k->retry_ev == NULL)
			k->retry_ev = evtimer_new(apic_server_event_base(L->srv), on_retry, k);
		struct timeval tv = { (time_t)(delay / 1000), (suseconds_t)(delay % 1000) * 1000 };
		if (k->retry_ev && evtimer_add(k->retry_ev, &tv) == 0)
			return;
	}
	apic__call_finish(k, rc);
	deliver(L, k);
}

static void drain(struct apic__cloop *L)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(L->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		CURL *e = m->easy_handle;
		CURLcode rc = m->data.result;
		char *priv = NULL;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
		struct apic__call *k = (struct apic__call *)(void *)priv;
		curl_multi_remove_handle(L->multi, e);
		k->added = false;
		attempt_done(L, k, rc);
	}
}

/* On the loop: the call's next attempt. */
static void launch(void *arg)
{
	struct apic__call *k = arg;
	struct apic__cloop *L = k->c->loop;
	if (k->prev == NULL && L->inflight != k) {
		k->next = L->inflight;
		if (L->inflight)
			L->inflight->prev = k;
		L->inflight = k;
	}
	if (atomic_load(&L->stopped)) {
		apic__call_fail(k, APIC_CALL_CANCELLED, "%s %s: the client stopped before the call", k->method,
				k->url ? k->url : k->op->path);
		deliver(L, k);
		return;
	}
	if (k->res->error != APIC_CALL_OK) { /* the request could not be made */
		deliver(L, k);
		return;
	}
	if (k->easy == NULL)
		k->easy = L->npool ? L->pool[--L->npool] : apic__easy_new();
	if (k->easy == NULL) {
		apic__call_fail(k, APIC_CALL_REQUEST, "out of memory");
		deliver(L, k);
		return;
	}
	apic__call_setup(k, k->easy);
	if (curl_multi_add_handle(L->multi, k->easy) != CURLM_OK) {
		apic__call_fail(k, APIC_CALL_TRANSPORT, "%s %s: libcurl refused the call", k->method, k->url);
		deliver(L, k);
		return;
	}
	k->added = true;
}

/* A request that could not be made is reported on the loop, as any other
 * outcome: never inside the start function. */
static void launch_later(void *arg)
{
	launch(arg);
}

static int start(struct apic_client *c, const struct apic_client_op *op, const void *in,
		 void (*fn)(void), void *cls, void *slot, struct apic_join *j, struct apic__jrec *jrec)
{
	struct apic__cloop *L = c->loop;
	if (L == NULL || atomic_load(&L->stopped))
		return -1;
	struct apic__call *k = apic__call_new(c, op, in, NULL);
	if (k == NULL)
		return -1;
	k->fn = fn;
	k->cls = cls;
	k->slot = slot;
	k->join = j;
	k->jrec = jrec;
	int rc = k->res->error != APIC_CALL_OK ? apic_server_call_later(L->srv, 0, launch_later, k)
					       : apic__loop_call(L->srv, launch, k);
	if (rc != 0)
		apic_call_free(k->res);
	return rc;
}

int apic_client_start(struct apic_client *c, const struct apic_client_op *op, const void *in,
		      void (*fn)(void), void *cls)
{
	return start(c, op, in, fn, cls, NULL, NULL, NULL);
}

/* ---- stopping -------------------------------------------------------------------- */

static void cancel_all(void *arg)
{
	struct apic__cloop *L = arg;
	atomic_store(&L->stopped, true);
	while (L->inflight) {
		struct apic__call *k = L->inflight;
		if (k->added) {
			curl_multi_remove_handle(L->multi, k->easy);
			k->added = false;
		}
		apic__call_fail(k, APIC_CALL_CANCELLED, "%s %s: the client stopped before the reply", k->method,
				k->url ? k->url : k->op->path);
		deliver(L, k);
	}
	pthread_mutex_lock(&L->mu);
	L->cancelled = true;
	pthread_cond_broadcast(&L->cv);
	pthread_mutex_unlock(&L->mu);
}

/* The server stops (its loop still runs): the calls in flight end now, on
 * the loop, and this waits for that. */
static void on_stop(struct apic_server *srv, void *cls)
{
	struct apic__cloop *L = cls;
	pthread_mutex_lock(&L->mu);
	L->cancelled = false;
	pthread_mutex_unlock(&L->mu);
	if (apic__loop_call(srv, cancel_all, L) != 0) {
		atomic_store(&L->stopped, true);
		return;
	}
	pthread_mutex_lock(&L->mu);
	while (!L->cancelled)
		pthread_cond_wait(&L->cv, &L->mu);
	pthread_mutex_unlock(&L->mu);
}

int apic_client_attach(struct apic_client *c, struct apic_server *srv)
{
	if (c->loop != NULL || srv == NULL)
		return -1;
	struct apic__cloop *L = calloc(1, sizeof *L);
	if (L == NULL)
		return -1;
	L->c = c;
	L->srv = srv;
	L->multi = curl_multi_init();
	L->timer = evtimer_new(apic_server_event_base(srv), on_timer_event, L);
	if (L->multi == NULL || L->timer == NULL || pthread_mutex_init(&L->mu, NULL) != 0) {
		if (L->multi)
			curl_multi_cleanup(L->multi);
		if (L->timer)
			event_free(L->timer);
		free(L);
		return -1;
	}
	pthread_cond_init(&L->cv, NULL);
	curl_multi_setopt(L->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(L->multi, CURLMOPT_SOCKETDATA, L);
	curl_multi_setopt(L->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(L->multi, CURLMOPT_TIMERDATA, L);
	if (c->max_conns) {
		/* at most this many connections to the upstream, all kept alive:
		 * calls beyond wait for one (within their timeout) */
		curl_multi_setopt(L->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->max_conns);
		curl_multi_setopt(L->multi, CURLMOPT_MAXCONNECTS, (long)c->max_conns);
	}
	c->loop = L;
	if (apic_server_on_stop(srv, on_stop, L) != 0) {
		c->loop = NULL;
		curl_multi_cleanup(L->multi);
		event_free(L->timer);
		pthread_mutex_destroy(&L->mu);
		pthread_cond_destroy(&L->cv);
		free(L);
		return -1;
	}
	return 0;
}

void apic__client_loop_free(struct apic_client *c)
{
	struct apic__cloop *L = c->loop;
	if (L == NULL)
		return;
	if (!atomic_load(&L->stopped))
		cancel_all(L); /* the loop does not run any more (apic_client_free()'s contract) */
	for (size_t i = 0; i < L->npool; i++)
		curl_easy_cleanup(L->pool[i]);
	free(L->pool);
	curl_multi_cleanup(L->multi); /* removes the sockets' events (CURL_POLL_REMOVE) */
	event_free(L->timer);
	pthread_mutex_destroy(&L->mu);
	pthread_cond_destroy(&L->cv);
	free(L);
	c->loop = NULL;
}

/* ---- joins --------------------------------------------------------------------------- */

struct apic_join {
	atomic_uint pending;          /* joined calls not back, + 1 until apic_join_start() */
	atomic_uint refs;             /* the join's own, + the request's */
	atomic_bool gone;             /* the request's memory was released: `done` is not run */
	void (*done)(void *cls);
	void *cls;
	struct apic_ctx *ctx;
	struct apic_server *srv;      /* the loop `done` runs on */
};

static void join_unref(struct apic_join *j)
{
	if (atomic_fetch_sub(&j->refs, 1) == 1)
		free(j);
}

static void join_ctx_gone(void *arg)
{
	struct apic_join *j = arg;
	atomic_store(&j->gone, true);
	join_unref(j);
}

struct apic_join *apic_join_new(struct apic_ctx *ctx, void (*done)(void *cls), void *cls)
{
	struct apic_join *j = calloc(1, sizeof *j);
	if (j == NULL)
		return NULL;
	atomic_init(&j->pending, 1);
	atomic_init(&j->refs, ctx ? 2 : 1);
	j->done = done;
	j->cls = cls;
	j->ctx = ctx;
	if (ctx && apic_ctx_defer(ctx, join_ctx_gone, j) != 0) {
		free(j);
		return NULL;
	}
	return j;
}

static void join_run(void *arg)
{
	struct apic_join *j = arg;
	if (!atomic_load(&j->gone))
		j->done(j->cls);
	join_unref(j);
}

static void join_one(struct apic_join *j)
{
	if (atomic_fetch_sub(&j->pending, 1) != 1)
		return;
	if (j->srv == NULL || apic_server_on_loop(j->srv) ||
	    apic_server_call_later(j->srv, 0, join_run, j) != 0)
		join_run(j); /* no call was joined (or out of memory): here */
}

void apic_join_start(struct apic_join *j)
{
	join_one(j);
}

static void free_slot(void *arg)
{
	struct apic__jrec *r = arg;
	atomic_store(&r->gone, true);
	if (r->res) {
		r->op->store(r->slot, NULL);
		apic_call_free(r->res);
		r->res = NULL;
	}
	jrec_unref(r);
}

int apic_client_start_join(struct apic_client *c, const struct apic_client_op *op, const void *in,
			   void *slot, struct apic_join *j)
{
	if (c->loop == NULL || j == NULL || slot == NULL)
		return -1;
	op->store(slot, NULL);
	struct apic__jrec *r = NULL;
	if (j->ctx) {
		if ((r = calloc(1, sizeof *r)) == NULL)
			return -1;
		r->op = op;
		r->slot = slot;
		atomic_init(&r->refs, 2);
		if (apic_ctx_defer(j->ctx, free_slot, r) != 0) {
			free(r);
			return -1;
		}
	}
	j->srv = c->loop->srv;
	atomic_fetch_add(&j->pending, 1);
	if (start(c, op, in, NULL, NULL, slot, j, r) != 0) {
		atomic_fetch_sub(&j->pending, 1);
		if (r)
			jrec_unref(r); /* the call's reference: the defer keeps its own */
		return -1;
	}
	return 0;
}
