/* Application hooks (apic.h, libapic(3) HOOKS): before the operation, after
 * the reply, server start and stop, state per worker thread. A server
 * without hooks pays one pointer test per request: srv->hooks is NULL. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct before {
	apic_before_fn fn;
	void *cls;
};
struct after {
	apic_after_fn fn;
	void *cls;
};
struct lifecycle {
	int (*start)(struct apic_server *, void *);
	void (*stop)(struct apic_server *, void *);
	void *cls;
};
/* Kept until the hooks are freed, so a thread's pointer to it never
 * dangles; `ended` after the server stopped (state given back). */
struct thread_state {
	struct thread_state *next;
	void *state;
	bool ended;
};

struct apic__hooks {
	struct before *before;
	size_t nbefore;
	struct after *after;
	size_t nafter;
	struct lifecycle *life;
	size_t nlife;
	/* per worker thread */
	void *(*init)(void *cls);
	void (*fini)(void *state, void *cls);
	void *thread_cls;
	pthread_key_t key;
	bool has_key;
	pthread_mutex_t mu;           /* guards `states` */
	struct thread_state *states;
};

static struct apic__hooks *hooks_of(struct apic_server *srv)
{
	if (srv->hooks == NULL) {
		struct apic__hooks *h = calloc(1, sizeof *h);
		if (h == NULL)
			return NULL;
		pthread_mutex_init(&h->mu, NULL);
		srv->hooks = h;
	}
	return srv->hooks;
}

/* Appends one element of `size` bytes to *v (a realloc'd array). */
static int push(void *v, size_t *n, size_t size, const void *item)
{
	char **arr = v;
	char *p = realloc(*arr, (*n + 1) * size);
	if (p == NULL)
		return -1;
	memcpy(p + *n * size, item, size);
	*arr = p;
	(*n)++;
	return 0;
}

int apic_server_add_before(struct apic_server *srv, apic_before_fn fn, void *cls)
{
	struct apic__hooks *h = hooks_of(srv);
	struct before b = { fn, cls };
	return h && fn ? push(&h->before, &h->nbefore, sizeof b, &b) : -1;
}

int apic_server_add_after(struct apic_server *srv, apic_after_fn fn, void *cls)
{
	struct apic__hooks *h = hooks_of(srv);
	struct after a = { fn, cls };
	return h && fn ? push(&h->after, &h->nafter, sizeof a, &a) : -1;
}

int apic_server_on_start(struct apic_server *srv, int (*fn)(struct apic_server *, void *), void *cls)
{
	struct apic__hooks *h = hooks_of(srv);
	struct lifecycle l = { fn, NULL, cls };
	return h && fn ? push(&h->life, &h->nlife, sizeof l, &l) : -1;
}

int apic_server_on_stop(struct apic_server *srv, void (*fn)(struct apic_server *, void *), void *cls)
{
	struct apic__hooks *h = hooks_of(srv);
	struct lifecycle l = { NULL, fn, cls };
	return h && fn ? push(&h->life, &h->nlife, sizeof l, &l) : -1;
}

int apic_server_on_thread(struct apic_server *srv, void *(*init)(void *cls),
			  void (*fini)(void *state, void *cls), void *cls)
{
	struct apic__hooks *h = hooks_of(srv);
	if (h == NULL || init == NULL || h->init != NULL)
		return -1;
	if (pthread_key_create(&h->key, NULL) != 0)
		return -1;
	h->has_key = true;
	h->init = init;
	h->fini = fini;
	h->thread_cls = cls;
	return 0;
}

void *apic_ctx_thread_data(struct apic_ctx *ctx)
{
	struct apic__hooks *h = ctx->srv->hooks;
	if (h == NULL || h->init == NULL)
		return NULL;
	struct thread_state *t = pthread_getspecific(h->key);
	if (t != NULL && !t->ended)
		return t->state;
	if (t == NULL) {
		if ((t = calloc(1, sizeof *t)) == NULL)
			return NULL;
		if (pthread_setspecific(h->key, t) != 0) {
			free(t);
			return NULL;
		}
		pthread_mutex_lock(&h->mu);
		t->next = h->states;
		h->states = t;
		pthread_mutex_unlock(&h->mu);
	}
	t->state = h->init(h->thread_cls);
	t->ended = false;
	return t->state;
}

bool apic__hooks_before(struct apic_ctx *ctx)
{
	const struct apic__hooks *h = ctx->srv->hooks;
	if (h == NULL)
		return true;
	for (size_t i = 0; i < h->nbefore && !ctx->replied; i++)
		if (h->before[i].fn(ctx, h->before[i].cls) != 0 && !ctx->replied) {
			apic_ctx_log(ctx, "a before hook of %s failed", ctx->route->operation_id);
			apic__reply_problem(ctx, 500, "the request could not be processed", NULL);
		}
	return !ctx->replied;
}

void apic__hooks_after(struct apic_ctx *ctx)
{
	const struct apic__hooks *h = ctx->srv->hooks;
	if (h == NULL || h->nafter == 0)
		return;
	uint64_t us = apic__ctx_elapsed_us(ctx);
	for (size_t i = 0; i < h->nafter; i++)
		h->after[i].fn(ctx, ctx->status, us, h->after[i].cls);
}

int apic__hooks_start(struct apic_server *srv)
{
	const struct apic__hooks *h = srv->hooks;
	for (size_t i = 0; h && i < h->nlife; i++)
		if (h->life[i].start && h->life[i].start(srv, h->life[i].cls) != 0) {
			apic__log(srv, "error", "a start hook failed: not serving");
			return -1;
		}
	return 0;
}

/* Gives every thread's state back (the workers have ended). */
static void threads_end(struct apic__hooks *h)
{
	pthread_mutex_lock(&h->mu);
	for (struct thread_state *t = h->states; t; t = t->next) {
		if (!t->ended && h->fini && t->state)
			h->fini(t->state, h->thread_cls);
		t->state = NULL;
		t->ended = true;
	}
	pthread_mutex_unlock(&h->mu);
}

void apic__hooks_stop(struct apic_server *srv)
{
	struct apic__hooks *h = srv->hooks;
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->nlife; i++)
		if (h->life[i].stop)
			h->life[i].stop(srv, h->life[i].cls);
	threads_end(h);
}

void apic__hooks_free(struct apic_server *srv)
{
	struct apic__hooks *h = srv->hooks;
	if (h == NULL)
		return;
	threads_end(h);
	while (h->states) {
		struct thread_state *next = h->states->next;
		free(h->states);
		h->states = next;
	}
	if (h->has_key)
		pthread_key_delete(h->key);
	pthread_mutex_destroy(&h->mu);
	free(h->before);
	free(h->after);
	free(h->life);
	free(h);
	srv->hooks = NULL;
}

unsigned apic_server_port(const struct apic_server *srv)
{
	return srv->bound_port;
}
