/* Background work: a bounded queue and a pool of --job-threads threads,
 * apart from the workers that serve requests. Work a request queues runs
 * once the request is over (its reply sent); a full queue is the caller's
 * answer at queueing time, never a silent drop. Periodic jobs are loop
 * timers that queue their function unless its previous run is still going.
 * On stop the queue is drained for a bounded time; what is left is dropped
 * and counted in the log. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

struct job {
	void (*fn)(void *cls);
	void *cls;
};

struct apic__jobs {
	pthread_mutex_t mu;
	pthread_cond_t work, idle;
	struct job *ring;
	size_t cap, head, queued;
	size_t reserved;              /* slots promised to requests not yet over */
	unsigned running;
	bool stopping, quit;
	pthread_t *threads;
	unsigned nthreads;
};

/* A request's background work, kept until the request is over. */
struct apic__bg {
	struct apic__bg *next;
	struct job job;
};

struct apic__periodic {
	struct apic__periodic *next;
	struct apic_server *srv;
	struct job job;
	unsigned interval_ms;
	struct event *ev;
	atomic_bool busy;
};

static void *job_main(void *arg)
{
	struct apic__jobs *j = arg;
	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (j->queued == 0 && !j->quit)
			pthread_cond_wait(&j->work, &j->mu);
		if (j->queued == 0)
			break;
		struct job job = j->ring[j->head];
		j->head = (j->head + 1) % j->cap;
		j->queued--;
		j->running++;
		pthread_mutex_unlock(&j->mu);
		job.fn(job.cls);
		pthread_mutex_lock(&j->mu);
		j->running--;
		if (j->queued == 0 && j->running == 0)
			pthread_cond_broadcast(&j->idle);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

static struct apic__jobs *jobs_of(struct apic_server *srv)
{
	if (srv->jobs)
		return srv->jobs;
	struct apic__jobs *j = calloc(1, sizeof *j);
	if (j == NULL)
		return NULL;
	j->cap = srv->job_queue;
	j->ring = calloc(j->cap, sizeof *j->ring);
	if (j->ring == NULL) {
		free(j);
		return NULL;
	}
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->work, NULL);
	pthread_cond_init(&j->idle, NULL);
	srv->jobs = j;
	return j;
}

/* Under the lock: starts the threads on first use. */
static int spawn(struct apic__jobs *j, unsigned n)
{
	if (j->threads)
		return 0;
	j->threads = calloc(n, sizeof *j->threads);
	if (j->threads == NULL)
		return -1;
	for (; j->nthreads < n; j->nthreads++)
		if (pthread_create(&j->threads[j->nthreads], NULL, job_main, j) != 0)
			break;
	return j->nthreads ? 0 : -1;
}

static void push(struct apic__jobs *j, struct job job)
{
	j->ring[(j->head + j->queued) % j->cap] = job;
	j->queued++;
	pthread_cond_signal(&j->work);
}

/* Takes a slot: queued now (`job` given) or reserved for later. */
static int take_slot(struct apic_server *srv, const struct job *job)
{
	struct apic__jobs *j = jobs_of(srv);
	if (j == NULL)
		return -1;
	int rc = -1;
	pthread_mutex_lock(&j->mu);
	if (!j->stopping && j->queued + j->reserved < j->cap && spawn(j, srv->job_threads) == 0) {
		if (job)
			push(j, *job);
		else
			j->reserved++;
		rc = 0;
	}
	pthread_mutex_unlock(&j->mu);
	return rc;
}

int apic_server_submit(struct apic_server *srv, void (*fn)(void *cls), void *cls)
{
	struct job job = { fn, cls };
	return take_slot(srv, &job);
}

int apic_ctx_background(struct apic_ctx *ctx, void (*fn)(void *cls), void *cls)
{
	struct apic__bg *b = apic_ctx_alloc(ctx, sizeof *b);
	if (b == NULL || take_slot(ctx->srv, NULL) != 0)
		return -1;
	b->job = (struct job){ fn, cls };
	b->next = ctx->bg;
	ctx->bg = b;
	return 0;
}

void apic__jobs_flush_ctx(struct apic_ctx *ctx)
{
	if (ctx->bg == NULL)
		return;
	/* Oldest first: the order the handler queued them in. */
	struct apic__bg *rev = NULL;
	while (ctx->bg) {
		struct apic__bg *b = ctx->bg;
		ctx->bg = b->next;
		b->next = rev;
		rev = b;
	}
	struct apic__jobs *j = ctx->srv->jobs;
	pthread_mutex_lock(&j->mu);
	for (; rev; rev = rev->next) {
		j->reserved--;
		push(j, rev->job); /* its slot was reserved: always room */
	}
	pthread_mutex_unlock(&j->mu);
}

/* ---- periodic jobs ------------------------------------------------------------ */

static void periodic_run(void *arg)
{
	struct apic__periodic *p = arg;
	p->job.fn(p->job.cls);
	atomic_store(&p->busy, false);
}

static void periodic_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic__periodic *p = arg;
	if (atomic_exchange(&p->busy, true))
		return; /* the previous run is still going */
	if (apic_server_submit(p->srv, periodic_run, p) != 0) {
		atomic_store(&p->busy, false);
		apic__log_limited(p->srv, "warning", "a periodic job was skipped: the background queue is full");
	}
}

int apic_server_every(struct apic_server *srv, unsigned interval_ms, void (*fn)(void *cls), void *cls)
{
	struct apic__periodic *p = calloc(1, sizeof *p);
	if (p == NULL || interval_ms == 0) {
		free(p);
		return -1;
	}
	p->srv = srv;
	p->job = (struct job){ fn, cls };
	p->interval_ms = interval_ms;
	atomic_init(&p->busy, false);
	p->next = srv->periodic;
	srv->periodic = p;
	return 0;
}

int apic__jobs_start(struct apic_server *srv)
{
	for (struct apic__periodic *p = srv->periodic; p; p = p->next) {
		struct timeval tv = { (time_t)(p->interval_ms / 1000), (suseconds_t)(p->interval_ms % 1000) * 1000 };
		p->ev = event_new(srv->base, -1, EV_PERSIST, periodic_tick, p);
		if (p->ev == NULL || event_add(p->ev, &tv) != 0)
			return -1;
	}
	struct apic__jobs *j = jobs_of(srv);
	if (j == NULL)
		return -1;
	pthread_mutex_lock(&j->mu);
	j->stopping = false;
	pthread_mutex_unlock(&j->mu);
	return 0;
}

void apic__jobs_stop(struct apic_server *srv, uint64_t deadline_ns)
{
	for (struct apic__periodic *p = srv->periodic; p; p = p->next)
		if (p->ev) {
			event_free(p->ev);
			p->ev = NULL;
		}
	struct apic__jobs *j = srv->jobs;
	if (j == NULL)
		return;
	pthread_mutex_lock(&j->mu);
	j->stopping = true;
	while ((j->queued || j->running) && apic__now_ns() < deadline_ns) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&j->idle, &j->mu, &ts);
	}
	size_t dropped = j->queued;
	j->queued = 0;
	j->quit = true;
	pthread_cond_broadcast(&j->work);
	pthread_mutex_unlock(&j->mu);
	if (dropped)
		apic__log(srv, "warning", "%zu background jobs were still queued at the deadline: dropped", dropped);
	/* A running job is waited for: it cannot be stopped from outside. */
	for (unsigned i = 0; i < j->nthreads; i++)
		pthread_join(j->threads[i], NULL);
	free(j->threads);
	j->threads = NULL;
	j->nthreads = 0;
	j->quit = false;
}

void apic__jobs_free(struct apic_server *srv)
{
	struct apic__jobs *j = srv->jobs;
	if (j != NULL) {
		if (j->threads)
			apic__jobs_stop(srv, 0);
		pthread_mutex_destroy(&j->mu);
		pthread_cond_destroy(&j->work);
		pthread_cond_destroy(&j->idle);
		free(j->ring);
		free(j);
		srv->jobs = NULL;
	}
	while (srv->periodic) {
		struct apic__periodic *p = srv->periodic;
		srv->periodic = p->next;
		if (p->ev)
			event_free(p->ev);
		free(p);
	}
}
