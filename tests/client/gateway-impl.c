/* The handlers of tests/client/gateway.apic: a gateway over the petstore
 * API through the generated client's asynchronous calls (run by
 * tests/client/async.sh). --upstream URL is the petstore it calls,
 * --upstream-timeout MS each call's timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw.h"
#include "petstore.client.h"

static struct apic_client *up;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A call that failed, or got a status other than 200: the gateway's 502 or
 * 504; NULL-safe (a call that could not be started). */
static int upstream_failed(struct apic_ctx *ctx, const struct petstore_get_pet__result *r)
{
	if (r == NULL)
		return apic_ctx_reply_error(ctx, 502, "petstore: the call could not be started");
	if (r->call.error != APIC_CALL_OK)
		return apic_ctx_reply_upstream_error(ctx, "petstore", &r->call);
	return apic_ctx_reply_error(ctx, 502, apic_ctx_printf(ctx, "petstore: getPet answered %d", r->call.status));
}

static bool good(const struct petstore_get_pet__result *r)
{
	return r && r->call.error == APIC_CALL_OK && r->call.status == 200;
}

/* ---- trio: three calls joined ------------------------------------------------------- */

struct trio {
	struct apic_ctx *ctx;
	uint64_t t0;
	struct petstore_get_pet__result *r[3];
};

/* On the loop's thread, once the three are back; the results belong to
 * the request (apic_join_new(ctx, ...)): the reply frees them. */
static void trio_done(void *cls)
{
	struct trio *t = cls;
	for (int i = 0; i < 3; i++)
		if (!good(t->r[i])) {
			upstream_failed(t->ctx, t->r[i]);
			return;
		}
	struct gw_trio m = { .elapsed_ms = (int64_t)(now_ms() - t->t0) };
	struct apic_str *names = apic_ctx_alloc(t->ctx, 3 * sizeof *names);
	struct apic_str *tags = apic_ctx_alloc(t->ctx, 3 * sizeof *tags);
	if (names == NULL || tags == NULL) {
		apic_ctx_reply_error(t->ctx, 500, "out of memory");
		return;
	}
	for (int i = 0; i < 3; i++) {
		names[i] = t->r[i]->body_200->name;
		tags[i] = t->r[i]->body_200->has_tag ? t->r[i]->body_200->tag : (struct apic_str){ "", 0 };
	}
	m.names = names;
	m.names_count = 3;
	m.tags = tags;
	m.tags_count = 3;
	gw_trio__reply_200(t->ctx, &m);
}

int gw_trio(struct apic_ctx *ctx, const struct gw_trio__params *in)
{
	struct trio *t = apic_ctx_alloc(ctx, sizeof *t);
	if (t == NULL || apic_ctx_suspend(ctx, NULL, NULL) != 0)
		return apic_ctx_reply_error(ctx, 500, "cannot suspend");
	t->ctx = ctx;
	t->t0 = now_ms();
	struct apic_join *j = apic_join_new(ctx, trio_done, t);
	if (j == NULL)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	int64_t ids[3] = { in->a, in->b, in->c };
	for (int i = 0; i < 3; i++)
		petstore_client_get_pet_join(up, &(struct petstore_get_pet__params){ ids[i] }, &t->r[i], j);
	apic_join_start(j);
	return 0;
}

/* ---- chain: a callback, then a call from the callback ---------------------------------- */

struct chain {
	struct apic_ctx *ctx;
	uint64_t t0;
	struct petstore_get_pet__result *first;
};

static void chain_second(struct petstore_get_pet__result *r, void *cls)
{
	struct chain *c = cls;
	/* c is in the request's arena: the reply releases it */
	struct petstore_get_pet__result *first = c->first;
	if (!good(first) || !good(r)) {
		upstream_failed(c->ctx, good(first) ? r : first);
	} else {
		struct apic_str names[2] = { first->body_200->name, r->body_200->name };
		struct apic_str tags[2] = { first->body_200->tag, r->body_200->tag };
		struct gw_trio m = { names, 2, tags, 2, (int64_t)(now_ms() - c->t0) };
		gw_chain__reply_200(c->ctx, &m);
	}
	/* without a join, the results are the callback's to free */
	petstore_get_pet__result_free(first);
	petstore_get_pet__result_free(r);
}

static void chain_first(struct petstore_get_pet__result *r, void *cls)
{
	struct chain *c = cls;
	c->first = r;
	if (!good(r)) {
		upstream_failed(c->ctx, r);
		petstore_get_pet__result_free(r);
		return;
	}
	/* on the loop's thread: this call carries the request's id on too */
	if (petstore_client_get_pet_start(up, &(struct petstore_get_pet__params){ r->body_200->id }, chain_second, c) != 0) {
		apic_ctx_reply_error(c->ctx, 500, "cannot start the second call");
		petstore_get_pet__result_free(r);
	}
}

int gw_chain(struct apic_ctx *ctx, const struct gw_chain__params *in)
{
	struct chain *c = apic_ctx_alloc(ctx, sizeof *c);
	if (c == NULL || apic_ctx_suspend(ctx, NULL, NULL) != 0)
		return apic_ctx_reply_error(ctx, 500, "cannot suspend");
	c->ctx = ctx;
	c->t0 = now_ms();
	if (petstore_client_get_pet_start(up, &(struct petstore_get_pet__params){ in->id }, chain_first, c) != 0)
		return apic_ctx_reply_error(ctx, 500, "cannot start the call");
	return 0;
}

/* ---- impatient: the request goes before its call is back ---------------------------- */

static void impatient_cancel(struct apic_ctx *ctx, enum apic_cancel_reason why, void *cls)
{
	(void)why;
	(void)cls;
	apic_ctx_reply_error(ctx, 504, "gave up"); /* releases the request now */
}

static void impatient_done(void *cls)
{
	struct trio *t = cls;
	/* never runs: the request was released first */
	apic_ctx_log(t->ctx, "impatient_done ran after its request was released");
	abort();
}

int gw_impatient(struct apic_ctx *ctx, const struct gw_impatient__params *in)
{
	struct trio *t = apic_ctx_alloc(ctx, sizeof *t);
	if (t == NULL || apic_ctx_suspend(ctx, impatient_cancel, NULL) != 0)
		return apic_ctx_reply_error(ctx, 500, "cannot suspend");
	t->ctx = ctx;
	struct apic_join *j = apic_join_new(ctx, impatient_done, t);
	if (j == NULL)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	petstore_client_get_pet_join(up, &(struct petstore_get_pet__params){ in->a }, &t->r[0], j);
	apic_join_start(j);
	return 0;
}

int main(int argc, char **argv)
{
	const char *upstream = "http://127.0.0.1:8080", *timeout = "2000";
	struct apic_server *srv = apic_server_new(&gw_api);
	if (srv == NULL)
		return 1;
	apic_server_add_option(srv, "upstream", "URL", "the petstore this gateway calls", &upstream);
	apic_server_add_option(srv, "upstream-timeout", "MS", "each upstream call's timeout", &timeout);
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0) {
		up = petstore_client_new(upstream);
		if (up == NULL || apic_client_attach(up, srv) != 0) {
			fprintf(stderr, "gateway: cannot make the petstore client for %s\n", upstream);
			rc = 1;
		} else {
			apic_client_set_timeouts(up, 1000, (unsigned)atoi(timeout));
			apic_client_set_retries(up, 0, 0);
			rc = apic_server_run(srv);
		}
	} else if (rc == APIC_ARGS_EXIT) {
		rc = 0;
	}
	/* after the server stopped (calls still in flight were cancelled), before it is freed */
	apic_client_free(up);
	apic_server_free(srv);
	return rc;
}
