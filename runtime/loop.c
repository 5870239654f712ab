/* The server's event loop: one libevent 2.1 event_base, made with the
 * server and run on its own thread while apic_server_run() serves. It
 * carries what must not hold a worker thread: the deadlines and disconnect
 * watches of suspended requests (async.c), periodic jobs (jobs.c) and
 * whatever the application registers on it (libcurl multi, libpq).
 *
 * libevent's pthread locking is switched on before the base is made, so
 * events can be added and deleted from any thread and the base is woken
 * (its notification descriptor) when that happens. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <event2/thread.h>

static pthread_once_t threads_once = PTHREAD_ONCE_INIT;
static int threads_rc;

static void threads_init(void)
{
	threads_rc = evthread_use_pthreads();
}

int apic__loop_init(struct apic_server *srv)
{
	pthread_once(&threads_once, threads_init);
	if (threads_rc != 0)
		return -1;
	struct event_config *cfg = event_config_new();
	if (cfg == NULL)
		return -1;
	/* epoll: EV_CLOSED (EPOLLRDHUP) tells a client's disconnect apart
	 * from bytes it sent, which is how a suspended request learns it. */
	event_config_require_features(cfg, EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE);
	srv->base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (srv->base == NULL)
		srv->base = event_base_new(); /* without early close: no disconnect watch */
	return srv->base ? 0 : -1;
}

/* Until apic__loop_stop(). Not event_base_loopbreak(): a break that comes
 * before the thread is in the loop is forgotten when it enters. */
static void *loop_main(void *arg)
{
	struct apic_server *srv = arg;
	while (!atomic_load(&srv->loop_quit))
		event_base_loop(srv->base, EVLOOP_ONCE | EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

static void wake(void *cls)
{
	(void)cls;
}

int apic__loop_start(struct apic_server *srv)
{
	atomic_store(&srv->loop_quit, false);
	if (pthread_create(&srv->loop_thread, NULL, loop_main, srv) != 0)
		return -1;
	atomic_store(&srv->loop_running, true);
	return 0;
}

void apic__loop_stop(struct apic_server *srv)
{
	if (!atomic_load(&srv->loop_running))
		return;
	atomic_store(&srv->loop_quit, true);
	while (apic_server_call_later(srv, 0, wake, NULL) != 0) { /* out of memory: try again */
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	pthread_join(srv->loop_thread, NULL);
	/* Calls posted just before the break (a late reply's release) run
	 * here; after this, apic__loop_call() runs them inline. */
	srv->loop_thread = pthread_self();
	event_base_loop(srv->base, EVLOOP_NONBLOCK);
	atomic_store(&srv->loop_running, false);
}

void apic__loop_free(struct apic_server *srv)
{
	if (srv->base)
		event_base_free(srv->base);
	srv->base = NULL;
}

bool apic_server_on_loop(const struct apic_server *srv)
{
	return atomic_load(&srv->loop_running) && pthread_equal(pthread_self(), srv->loop_thread);
}

struct event_base *apic_server_event_base(struct apic_server *srv)
{
	return srv->base;
}

struct apic_server *apic_ctx_server(struct apic_ctx *ctx)
{
	return ctx->srv;
}

struct event_base *apic_ctx_event_base(struct apic_ctx *ctx)
{
	return ctx->srv->base;
}

struct call {
	void (*fn)(void *cls);
	void *cls;
	struct event *ev;
};

static void call_fire(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct call *c = arg;
	void (*fn)(void *) = c->fn;
	void *cls = c->cls;
	event_free(c->ev);
	free(c);
	fn(cls);
}

int apic_server_call_later(struct apic_server *srv, unsigned delay_ms, void (*fn)(void *cls),
			   void *cls)
{
	struct call *c = malloc(sizeof *c);
	if (c == NULL)
		return -1;
	c->fn = fn;
	c->cls = cls;
	c->ev = evtimer_new(srv->base, call_fire, c);
	struct timeval tv = { (time_t)(delay_ms / 1000), (suseconds_t)(delay_ms % 1000) * 1000 };
	if (c->ev == NULL || evtimer_add(c->ev, &tv) != 0) {
		if (c->ev)
			event_free(c->ev);
		free(c);
		return -1;
	}
	return 0;
}

int apic__loop_call(struct apic_server *srv, void (*fn)(void *cls), void *cls)
{
	if (!atomic_load(&srv->loop_running) || apic_server_on_loop(srv)) {
		fn(cls);
		return 0;
	}
	return apic_server_call_later(srv, 0, fn, cls);
}

void apic__loop_enter(struct apic_server *srv)
{
	srv->loop_thread = pthread_self();
	atomic_store(&srv->loop_running, true);
}

void apic__loop_run_until(struct apic_server *srv, const atomic_bool *done)
{
	while (!atomic_load(done))
		event_base_loop(srv->base, EVLOOP_ONCE);
}

void apic__loop_leave(struct apic_server *srv)
{
	atomic_store(&srv->loop_running, false);
}
