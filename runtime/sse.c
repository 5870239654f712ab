/* Server-Sent Events (the WHATWG HTML standard's text/event-stream) on
 * libmicrohttpd 0.9.75, and the channels they subscribe to.
 *
 * A stream is an MHD response read by a content reader: the reader hands
 * MHD what the stream's queue holds and, when it is empty, suspends the
 * connection (the one safe place besides the access handler); a publish
 * appends to the queue and resumes it. So an idle stream costs no worker
 * time and no polling, only its queue and the connection.
 *
 * While suspended, MHD does not see the client leave: the loop watches the
 * socket (EV_CLOSED, i.e. EPOLLRDHUP) and ends the stream, and heartbeats
 * (comment lines every --heartbeat seconds) make a dead peer show up on
 * the next write too. A stream whose queue would pass --stream-queue bytes
 * (a client that does not read) is dropped with a log line: memory per
 * stream is bounded, and the other subscribers never wait for it.
 *
 * Locks: a channel's mutex, then a stream's; the server's stream list's,
 * then a stream's (heartbeats, the stop). A channel's and the list's are
 * never held together. */
#include "internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include <event2/event.h>
#include <microhttpd.h>

/* This file calls libmicrohttpd, and may be the only one a program takes
 * from libapic.a that does (the tester): the reference brings along what
 * libmicrohttpd's static archive needs (mhd_notls.c). */
__attribute__((used)) static const char *const mhd_linkage = apic__mhd_linkage;

/* One published event, in the channel's history. */
struct event_text {
	uint64_t id;
	char *text;
	size_t len;
};

struct apic_channel {
	struct apic_server *srv;
	pthread_mutex_t mu;
	struct apic__stream *subs;
	size_t nsubs;
	uint64_t seq;
	struct event_text *ring;      /* the last `cap` events, oldest at `head` */
	size_t cap, n, head;
};

struct apic__stream {
	struct apic_server *srv;
	pthread_mutex_t mu;
	struct apic_channel *ch;      /* NULL once unsubscribed */
	struct apic__stream *prev, *next;   /* in ch->subs */
	struct apic__stream *sprev, *snext; /* in srv->streams */
	char *q;                      /* bytes not yet handed to MHD: q[off, len) */
	size_t off, len, cap;
	struct MHD_Connection *con;
	struct event *gone;
	int fd;                       /* the connection's socket, -1: unknown */
	bool suspended;               /* the reader suspended the connection */
	bool ended;                   /* end after what q holds */
	bool dropped;                 /* end now, q discarded */
	uint64_t last_id;             /* the client's Last-Event-ID */
};

/* ---- channels ---------------------------------------------------------------- */

struct apic_channel *apic_channel_new(struct apic_server *srv, size_t history)
{
	struct apic_channel *ch = calloc(1, sizeof *ch);
	if (ch == NULL)
		return NULL;
	ch->srv = srv;
	ch->cap = history;
	if (history && (ch->ring = calloc(history, sizeof *ch->ring)) == NULL) {
		free(ch);
		return NULL;
	}
	pthread_mutex_init(&ch->mu, NULL);
	return ch;
}

void apic_channel_free(struct apic_channel *ch)
{
	if (ch == NULL)
		return;
	/* Subscribers left (a server freed while running) keep no pointer. */
	for (struct apic__stream *s = ch->subs; s; s = s->next)
		s->ch = NULL;
	for (size_t i = 0; i < ch->n; i++)
		free(ch->ring[(ch->head + i) % ch->cap].text);
	free(ch->ring);
	pthread_mutex_destroy(&ch->mu);
	free(ch);
}

uint64_t apic_channel_last_id(struct apic_channel *ch)
{
	pthread_mutex_lock(&ch->mu);
	uint64_t id = ch->seq;
	pthread_mutex_unlock(&ch->mu);
	return id;
}

size_t apic_channel_subscribers(struct apic_channel *ch)
{
	pthread_mutex_lock(&ch->mu);
	size_t n = ch->nsubs;
	pthread_mutex_unlock(&ch->mu);
	return n;
}

/* ---- a stream's queue -------------------------------------------------------- */

/* Under s->mu: wakes the reader. */
static void wake(struct apic__stream *s)
{
	if (s->suspended) {
		s->suspended = false;
		MHD_resume_connection(s->con);
	}
}

/* Under s->mu: appends, or drops a stream that would hold too much. */
static void enqueue(struct apic__stream *s, const char *text, size_t len)
{
	if (s->ended || s->dropped)
		return;
	size_t pending = s->len - s->off;
	if (pending + len > s->srv->stream_queue) {
		apic__log_limited(s->srv, "warning",
				  "event stream: the client does not keep up (%zu bytes unsent): dropped", pending);
		s->dropped = true;
		/* It reads nothing, so MHD would not come back to see the end
		 * until the idle timeout: close now. The socket is still
		 * MHD's (the request has not completed: s exists). */
		if (s->fd >= 0)
			shutdown(s->fd, SHUT_RDWR);
		wake(s);
		return;
	}
	if (s->off && s->len + len > s->cap) { /* reuse what MHD has taken */
		memmove(s->q, s->q + s->off, pending);
		s->off = 0;
		s->len = pending;
	}
	if (s->len + len > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		while (cap < s->len + len)
			cap *= 2;
		char *q = realloc(s->q, cap);
		if (q == NULL) {
			s->dropped = true;
			wake(s);
			return;
		}
		s->q = q;
		s->cap = cap;
	}
	memcpy(s->q + s->len, text, len);
	s->len += len;
	wake(s);
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct apic__stream *s = cls;
	ssize_t n = 0;
	pthread_mutex_lock(&s->mu);
	if (s->dropped) {
		n = MHD_CONTENT_READER_END_WITH_ERROR; /* closed: no last chunk to a dead or stuck peer */
	} else if (s->len > s->off) {
		size_t k = s->len - s->off < max ? s->len - s->off : max;
		memcpy(buf, s->q + s->off, k);
		s->off += k;
		if (s->off == s->len)
			s->off = s->len = 0;
		n = (ssize_t)k;
	} else if (s->ended) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		/* Nothing to send: off MHD's loop until a publish or the end. */
		s->suspended = true;
		MHD_suspend_connection(s->con);
	}
	pthread_mutex_unlock(&s->mu);
	return n;
}

/* Loop thread: the client closed its end. */
static void on_gone(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic__stream *s = arg;
	pthread_mutex_lock(&s->mu);
	s->dropped = true;
	wake(s);
	pthread_mutex_unlock(&s->mu);
}

/* ---- the --max-streams slots (streams and WebSockets) ---------------------- */

int apic__slot_take(struct apic_ctx *ctx)
{
	struct apic_server *srv = ctx->srv;
	pthread_mutex_lock(&srv->streams_mu);
	bool room = srv->nstreams < srv->max_streams && !atomic_load(&srv->draining);
	srv->nstreams += room;
	pthread_mutex_unlock(&srv->streams_mu);
	if (room)
		return 0;
	apic__reply_problem(ctx, 503, "the server has as many event streams and WebSockets open as it allows", NULL);
	return -1;
}

void apic__slot_give(struct apic_server *srv)
{
	pthread_mutex_lock(&srv->streams_mu);
	srv->nstreams--;
	pthread_mutex_unlock(&srv->streams_mu);
}

/* ---- subscribing ---------------------------------------------------------- */

int apic_reply_stream(struct apic_ctx *ctx, int status, struct apic_channel *ch)
{
	struct apic_server *srv = ctx->srv;
	if (ctx->replied || ctx->async)
		return apic__reply(ctx, status, NULL, NULL, 0); /* the runtime's usual refusal */
	struct apic__stream *s = calloc(1, sizeof *s);
	if (s == NULL) {
		ctx->oom = true;
		return apic__reply_problem(ctx, 500, "out of memory", NULL);
	}
	if (apic__slot_take(ctx) != 0) {
		free(s);
		return 0; /* the 503 is the reply */
	}
	pthread_mutex_lock(&srv->streams_mu);
	s->snext = srv->streams;
	if (s->snext)
		s->snext->sprev = s;
	srv->streams = s;
	pthread_mutex_unlock(&srv->streams_mu);
	s->srv = srv;
	s->fd = -1;
	pthread_mutex_init(&s->mu, NULL);
	ctx->stream = s;
	const char *last = apic_ctx_header(ctx, "Last-Event-ID");
	if (last && *last && strspn(last, "0123456789") == strlen(last) && strlen(last) <= 19)
		s->last_id = strtoull(last, NULL, 10);
	/* How long a client waits before it reconnects, then what it missed. */
	static const char retry[] = "retry: 2000\n\n";
	pthread_mutex_lock(&ch->mu);
	pthread_mutex_lock(&s->mu);
	enqueue(s, retry, sizeof retry - 1);
	if (s->last_id)
		for (size_t i = 0; i < ch->n; i++) {
			const struct event_text *e = &ch->ring[(ch->head + i) % ch->cap];
			if (e->id > s->last_id)
				enqueue(s, e->text, e->len);
		}
	pthread_mutex_unlock(&s->mu);
	s->ch = ch;
	s->next = ch->subs;
	if (s->next)
		s->next->prev = s;
	ch->subs = s;
	ch->nsubs++;
	pthread_mutex_unlock(&ch->mu);
	apic_ctx_set_header(ctx, "Cache-Control", "no-store");
	/* nginx buffers responses unless told not to */
	apic_ctx_set_header(ctx, "X-Accel-Buffering", "no");
	return apic__reply(ctx, status, "text/event-stream", NULL, 0);
}

int apic_channel_publish(struct apic_channel *ch, const struct apic_type *t, const void *value)
{
	struct apic_buf b = { 0 };
	pthread_mutex_lock(&ch->mu);
	uint64_t id = ch->seq + 1;
	char head[40];
	int hn = snprintf(head, sizeof head, "id: %" PRIu64 "\ndata: ", id);
	apic_buf_put(&b, head, (size_t)hn);
	apic_encode(&b, t, value); /* compact JSON: one line */
	apic_buf_put(&b, "\n\n", 2);
	if (b.oom) {
		pthread_mutex_unlock(&ch->mu);
		free(b.p);
		return -1;
	}
	ch->seq = id;
	for (struct apic__stream *s = ch->subs; s; s = s->next) {
		pthread_mutex_lock(&s->mu);
		enqueue(s, b.p, b.len);
		pthread_mutex_unlock(&s->mu);
	}
	if (ch->cap == 0) {
		free(b.p);
	} else {
		if (ch->n == ch->cap) { /* forget the oldest */
			free(ch->ring[ch->head].text);
			ch->head = (ch->head + 1) % ch->cap;
			ch->n--;
		}
		ch->ring[(ch->head + ch->n) % ch->cap] = (struct event_text){ id, b.p, b.len };
		ch->n++;
	}
	pthread_mutex_unlock(&ch->mu);
	return 0;
}

/* ---- the transport ------------------------------------------------------------ */

struct MHD_Response *apic__stream_response(struct apic_ctx *ctx, struct MHD_Connection *con)
{
	struct apic__stream *s = ctx->stream;
	s->con = con;
	const union MHD_ConnectionInfo *fd = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (fd)
		s->fd = fd->connect_fd;
	if (fd && (event_base_get_features(ctx->srv->base) & EV_FEATURE_EARLY_CLOSE)) {
		s->gone = event_new(ctx->srv->base, fd->connect_fd, EV_CLOSED, on_gone, s);
		if (s->gone)
			event_add(s->gone, NULL);
	}
	return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, reader, s, NULL);
}

void apic__stream_free(struct apic_ctx *ctx)
{
	struct apic__stream *s = ctx->stream;
	if (s == NULL)
		return;
	ctx->stream = NULL;
	struct apic_server *srv = s->srv;
	/* Waits for a running on_gone (libevent's locking). */
	if (s->gone)
		event_free(s->gone);
	struct apic_channel *ch = s->ch;
	if (ch) {
		pthread_mutex_lock(&ch->mu);
		if (s->prev)
			s->prev->next = s->next;
		else
			ch->subs = s->next;
		if (s->next)
			s->next->prev = s->prev;
		ch->nsubs--;
		pthread_mutex_unlock(&ch->mu);
	}
	pthread_mutex_lock(&srv->streams_mu);
	if (s->sprev)
		s->sprev->snext = s->snext;
	else
		srv->streams = s->snext;
	if (s->snext)
		s->snext->sprev = s->sprev;
	pthread_mutex_unlock(&srv->streams_mu);
	apic__slot_give(srv);
	pthread_mutex_destroy(&s->mu);
	free(s->q);
	free(s);
}

static void heartbeat(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic_server *srv = arg;
	pthread_mutex_lock(&srv->streams_mu);
	for (struct apic__stream *s = srv->streams; s; s = s->snext) {
		pthread_mutex_lock(&s->mu);
		if (s->con && s->len == s->off)
			enqueue(s, ":\n\n", 3);
		pthread_mutex_unlock(&s->mu);
	}
	pthread_mutex_unlock(&srv->streams_mu);
}

int apic__streams_start(struct apic_server *srv)
{
	struct timeval tv = { (time_t)srv->heartbeat, 0 };
	srv->heartbeat_ev = event_new(srv->base, -1, EV_PERSIST, heartbeat, srv);
	return srv->heartbeat_ev && event_add(srv->heartbeat_ev, &tv) == 0 ? 0 : -1;
}

void apic__streams_end_all(struct apic_server *srv)
{
	pthread_mutex_lock(&srv->streams_mu);
	for (struct apic__stream *s = srv->streams; s; s = s->snext) {
		pthread_mutex_lock(&s->mu);
		s->ended = true;
		if (s->con)
			wake(s);
		pthread_mutex_unlock(&s->mu);
	}
	pthread_mutex_unlock(&srv->streams_mu);
}

void apic__streams_stop(struct apic_server *srv)
{
	if (srv->heartbeat_ev)
		event_free(srv->heartbeat_ev);
	srv->heartbeat_ev = NULL;
}
