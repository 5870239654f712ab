/* Handlers of tests/async/async.apic (tests/async/run.sh): replies from a
 * loop timer and from a thread of their own, requests that only their
 * deadline or the client's leaving ends, a late reply, background jobs.
 * Counters go to GET /stats. --job-log FILE: each finished job appends a
 * line (the test reads it after a stop). */
#include "asy.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_int n_deadline, n_gone, n_stop, n_late, n_jobs, n_jobs_after;
static const char *job_log;

struct pending {
	struct apic_ctx *ctx;
	int ms;
	int (*reply)(struct apic_ctx *, const struct asy_wait *);
};

static void reply_now(void *arg)
{
	struct pending *p = arg;
	struct asy_wait w = { .waited_ms = p->ms };
	int (*reply)(struct apic_ctx *, const struct asy_wait *) = p->reply;
	struct apic_ctx *ctx = p->ctx;
	free(p);
	if (reply(ctx, &w) != 0)
		atomic_fetch_add(&n_late, 1);
}

static int later(struct apic_ctx *ctx, int ms, int (*reply)(struct apic_ctx *, const struct asy_wait *),
		 apic_cancel_fn on_cancel)
{
	if (apic_ctx_suspend(ctx, on_cancel, NULL) != 0)
		return apic_ctx_reply_error(ctx, 500, "could not suspend");
	struct pending *p = malloc(sizeof *p);
	if (p == NULL)
		return reply(ctx, &(struct asy_wait){ .waited_ms = -1 });
	*p = (struct pending){ ctx, ms, reply };
	if (apic_server_call_later(apic_ctx_server(ctx), (unsigned)ms, reply_now, p) != 0) {
		free(p);
		return reply(ctx, &(struct asy_wait){ .waited_ms = -1 });
	}
	return 0;
}

int asy_sleep(struct apic_ctx *ctx, const struct asy_sleep__params *in)
{
	return later(ctx, in->ms, asy_sleep__reply_200, NULL);
}

static void *thread_main(void *arg)
{
	struct pending *p = arg;
	struct timespec ts = { p->ms / 1000, (long)(p->ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
	reply_now(p);
	return NULL;
}

int asy_thread_sleep(struct apic_ctx *ctx, const struct asy_thread_sleep__params *in)
{
	if (apic_ctx_suspend(ctx, NULL, NULL) != 0)
		return apic_ctx_reply_error(ctx, 500, "could not suspend");
	struct pending *p = malloc(sizeof *p);
	pthread_t t;
	if (p == NULL)
		return asy_thread_sleep__reply_200(ctx, &(struct asy_wait){ .waited_ms = -1 });
	*p = (struct pending){ ctx, in->ms, asy_thread_sleep__reply_200 };
	if (pthread_create(&t, NULL, thread_main, p) != 0) {
		free(p);
		return asy_thread_sleep__reply_200(ctx, &(struct asy_wait){ .waited_ms = -1 });
	}
	pthread_detach(t);
	return 0;
}

/* Counts the reason and releases the request (the reply is dropped). */
static void on_cancel(struct apic_ctx *ctx, enum apic_cancel_reason why, void *cls)
{
	(void)cls;
	atomic_fetch_add(why == APIC_CANCEL_DEADLINE ? &n_deadline
			 : why == APIC_CANCEL_CLIENT_GONE ? &n_gone : &n_stop, 1);
	if (asy_hang__reply_200(ctx, &(struct asy_wait){ .waited_ms = 0 }) == 0)
		fprintf(stderr, "a reply after cancel was not dropped\n");
}

int asy_hang(struct apic_ctx *ctx, const struct asy_hang__params *in)
{
	(void)in;
	return apic_ctx_suspend(ctx, on_cancel, NULL) == 0 ? 0 : apic_ctx_reply_error(ctx, 500, "could not suspend");
}

int asy_hang_long(struct apic_ctx *ctx, const struct asy_hang_long__params *in)
{
	(void)in;
	return apic_ctx_suspend(ctx, on_cancel, NULL) == 0 ? 0 : apic_ctx_reply_error(ctx, 500, "could not suspend");
}

int asy_late(struct apic_ctx *ctx, const struct asy_late__params *in)
{
	(void)in;
	return later(ctx, 300, asy_late__reply_200, NULL);
}

int asy_not_async(struct apic_ctx *ctx, const struct asy_not_async__params *in)
{
	(void)in;
	int rc = apic_ctx_suspend(ctx, NULL, NULL);
	return asy_not_async__reply_200(ctx, &(struct asy_wait){ .waited_ms = rc });
}

/* A job knows whether its request had been answered when it began: the
 * after hook (which runs once the response went out) marks it, found by
 * the request's id among the jobs not yet marked. */
struct job {
	int ms;
	atomic_bool answered;
	char request_id[160];
	struct job *next;
};
static pthread_mutex_t jobs_mu = PTHREAD_MUTEX_INITIALIZER;
static struct job *unmarked;

static void run_job(void *arg)
{
	struct job *j = arg;
	bool after = atomic_load(&j->answered);
	struct timespec ts = { j->ms / 1000, (long)(j->ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
	if (job_log) {
		FILE *f = fopen(job_log, "a");
		if (f) {
			fprintf(f, "job %d ms done\n", j->ms);
			fclose(f);
		}
	}
	atomic_fetch_add(&n_jobs_after, after);
	atomic_fetch_add(&n_jobs, 1);
	free(j);
}

static void after(struct apic_ctx *ctx, int status, uint64_t us, void *cls)
{
	(void)status;
	(void)us;
	(void)cls;
	pthread_mutex_lock(&jobs_mu);
	for (struct job **pp = &unmarked; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->request_id, apic_ctx_request_id(ctx)) == 0) {
			atomic_store(&(*pp)->answered, true);
			*pp = (*pp)->next;
			break;
		}
	pthread_mutex_unlock(&jobs_mu);
}

int asy_queue_job(struct apic_ctx *ctx, const struct asy_queue_job__params *in)
{
	struct job *j = calloc(1, sizeof *j);
	if (j == NULL)
		return asy_queue_job__reply_503(ctx, "out of memory");
	j->ms = in->ms;
	snprintf(j->request_id, sizeof j->request_id, "%s", apic_ctx_request_id(ctx));
	pthread_mutex_lock(&jobs_mu);
	j->next = unmarked;
	unmarked = j;
	pthread_mutex_unlock(&jobs_mu);
	if (apic_ctx_background(ctx, run_job, j) != 0) {
		pthread_mutex_lock(&jobs_mu);
		for (struct job **pp = &unmarked; *pp; pp = &(*pp)->next)
			if (*pp == j) {
				*pp = j->next;
				break;
			}
		pthread_mutex_unlock(&jobs_mu);
		free(j);
		return asy_queue_job__reply_503(ctx, "the background queue is full");
	}
	return asy_queue_job__reply_202(ctx);
}

int asy_stats(struct apic_ctx *ctx, const struct asy_stats__params *in)
{
	(void)in;
	struct asy_stats s = {
		.deadline = atomic_load(&n_deadline), .gone = atomic_load(&n_gone), .stop = atomic_load(&n_stop),
		.late_dropped = atomic_load(&n_late), .jobs_run = atomic_load(&n_jobs),
		.jobs_after_reply = atomic_load(&n_jobs_after),
	};
	return asy_stats__reply_200(ctx, &s);
}

static struct apic_channel *ticks;
static atomic_int tick_n;

int asy_ticks(struct apic_ctx *ctx, const struct asy_ticks__params *in)
{
	(void)in;
	return asy_ticks__reply_200(ctx, ticks);
}

int asy_publish_ticks(struct apic_ctx *ctx, const struct asy_publish_ticks__params *in)
{
	char *pad = apic_ctx_alloc(ctx, (size_t)in->pad + 1);
	if (pad == NULL)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	memset(pad, 'x', (size_t)in->pad);
	for (int i = 0; i < in->count; i++) {
		struct asy_tick t = { .n = atomic_fetch_add(&tick_n, 1) + 1, .pad = { pad, (size_t)in->pad },
				      .has_pad = in->pad > 0 };
		if (asy_ticks__publish(ticks, &t) != 0)
			return apic_ctx_reply_error(ctx, 500, "publish failed");
	}
	return asy_publish_ticks__reply_204(ctx);
}

int asy_tick_subscribers(struct apic_ctx *ctx, const struct asy_tick_subscribers__params *in)
{
	(void)in;
	return asy_tick_subscribers__reply_200(ctx, (int32_t)apic_channel_subscribers(ticks));
}

int main(int argc, char **argv)
{
	struct apic_server *srv = apic_server_new(&asy_api);
	ticks = apic_channel_new(srv, 64);
	if (srv == NULL || ticks == NULL)
		return 1;
	apic_server_add_option(srv, "job-log", "FILE", "append a line per finished job", &job_log);
	apic_server_add_after(srv, after, NULL);
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0)
		rc = apic_server_run(srv);
	else if (rc == APIC_ARGS_EXIT)
		rc = 0;
	apic_server_free(srv);
	apic_channel_free(ticks);
	return rc;
}
