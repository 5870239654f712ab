/* The apic server of bench/async: GET /wait (a suspended reply 50 ms
 * later, from a loop timer), GET /events (a tick every 10 ms on one
 * channel), WebSockets /echo and /broadcast. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/time.h>

#include "ab.h"

static struct apic_channel *ticks;
static int64_t seq;

static void reply_ok(void *ctx)
{
	ab_wait__reply_200(ctx, &(struct ab_ok){ .ok = true });
}

int ab_wait(struct apic_ctx *ctx, const struct ab_wait__params *in)
{
	(void)in;
	if (apic_ctx_suspend(ctx, NULL, NULL) != 0 ||
	    apic_server_call_later(apic_ctx_server(ctx), 50, reply_ok, ctx) != 0)
		return apic_ctx_reply_error(ctx, 500, "could not wait");
	return 0;
}

int ab_events(struct apic_ctx *ctx, const struct ab_events__params *in)
{
	(void)in;
	return ab_events__reply_200(ctx, ticks);
}

static void tick(void *cls)
{
	struct apic_server *srv = cls;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct ab_tick t = { .seq = ++seq, .sent_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec };
	ab_events__publish(ticks, &t);
	apic_server_call_later(srv, 10, tick, srv);
}

static int echo_message(struct apic_ws *ws, const struct ab_msg *msg, void *cls)
{
	(void)cls;
	return ab_echo__send(ws, msg);
}

static const struct ab_echo__socket echo_cb = { NULL, echo_message, NULL };

int ab_echo(struct apic_ctx *ctx, const struct ab_echo__params *in)
{
	(void)in;
	return ab_echo__accept(ctx, &echo_cb, NULL);
}

/* The broadcast members: all on the loop thread (their callbacks). */
struct member {
	struct member *prev, *next;
	struct apic_ws *ws;
};
static struct member *members;

static void joined(struct apic_ws *ws, void *cls)
{
	struct member *m = cls;
	m->ws = ws;
	m->next = members;
	if (members)
		members->prev = m;
	members = m;
}

static int broadcast_message(struct apic_ws *ws, const struct ab_msg *msg, void *cls)
{
	(void)ws;
	(void)cls;
	for (struct member *m = members; m; m = m->next)
		ab_broadcast__send(m->ws, msg);
	return 0;
}

static void left(struct apic_ws *ws, int code, void *cls)
{
	(void)ws;
	(void)code;
	struct member *m = cls;
	if (m->ws) {
		if (m->prev)
			m->prev->next = m->next;
		else
			members = m->next;
		if (m->next)
			m->next->prev = m->prev;
	}
	free(m);
}

static const struct ab_broadcast__socket broadcast_cb = { joined, broadcast_message, left };

int ab_broadcast(struct apic_ctx *ctx, const struct ab_broadcast__params *in)
{
	(void)in;
	struct member *m = calloc(1, sizeof *m);
	if (m == NULL)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	int rc = ab_broadcast__accept(ctx, &broadcast_cb, m);
	if (!apic_ctx_ws_accepted(ctx))
		free(m);
	return rc;
}

static int start_ticks(struct apic_server *srv, void *cls)
{
	(void)cls;
	return apic_server_call_later(srv, 10, tick, srv);
}

int main(int argc, char **argv)
{
	struct apic_server *srv = apic_server_new(&ab_api);
	ticks = apic_channel_new(srv, 0);
	if (srv == NULL || ticks == NULL)
		return 1;
	apic_server_on_start(srv, start_ticks, NULL);
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0)
		rc = apic_server_run(srv);
	else if (rc == APIC_ARGS_EXIT)
		rc = 0;
	apic_server_free(srv);
	apic_channel_free(ticks);
	return rc;
}
