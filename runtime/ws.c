/* WebSockets (RFC 6455): the handshake on libmicrohttpd's upgrade, framing
 * and the protocol's rules by libwslay, on the server's event loop.
 *
 * An operation declared with `receive IN` and `send OUT` accepts in its
 * handler (P_OP__accept); the 101 goes out and libmicrohttpd hands over the
 * socket, which the loop thread then owns: every callback of a WebSocket
 * runs there. Each text message is parsed and decoded by the generated
 * descriptors into a message of its own memory: malformed JSON, invalid
 * UTF-8 or a violation of IN closes with 1007 and the violation as the
 * reason; binary frames close with 1003, messages over --ws-max-message
 * with 1009 (wslay), unmasked or broken frames with 1002 (wslay).
 * Sends from other threads go through the loop; a client whose unsent
 * messages pass --ws-queue bytes is closed (1008). Pings every --ws-ping
 * seconds; a client silent for two of them is dropped. A stop closes every
 * WebSocket with 1001.
 *
 * The upgrade request's context (its parameters, principal, memory) lives
 * as long as the WebSocket: libmicrohttpd completes the request only when
 * the socket is given back (MHD_UPGRADE_ACTION_CLOSE). */
#include "codec.h"
#include "desc.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <nettle/base64.h>
#include <nettle/sha1.h>
#include <wslay/wslay.h>

/* As in sse.c: this file calls libmicrohttpd (mhd_notls.c). */
__attribute__((used)) static const char *const mhd_linkage = apic__mhd_linkage;

struct apic_ws {
	struct apic_server *srv;
	struct apic_ctx *ctx;         /* the upgrade request */
	const struct apic_type *in;
	void (*on_open)(struct apic_ws *ws, void *cls);
	apic_ws_message_fn on_message;
	apic_ws_close_fn on_close;
	const void *handlers;
	void *cls;
	/* from the upgrade, loop thread only after */
	int fd;
	struct MHD_UpgradeResponseHandle *urh;
	char *extra;                  /* bytes MHD read past the request head */
	size_t extra_len, extra_off;
	wslay_event_context_ptr wslay;
	struct event *rd, *wr, *ping;
	bool writing, closing, done, released, lingering;
	bool in_wslay;                /* inside wslay_event_recv/send: no teardown */
	atomic_uint pending;          /* sends posted to the loop, not yet run */
	uint64_t last_rx;
	struct apic_ws *prev, *next;  /* srv->sockets */
	char accept[BASE64_ENCODE_RAW_LENGTH(SHA1_DIGEST_SIZE) + 1];
};

static bool token_in(const char *list, const char *token)
{
	size_t n = strlen(token);
	for (const char *p = list; p && *p;) {
		p += strspn(p, " \t,");
		size_t k = strcspn(p, ",");
		size_t e = k;
		while (e && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
		if (e == n && strncasecmp(p, token, n) == 0)
			return true;
		p += k;
	}
	return false;
}

/* Cross-site WebSocket hijacking: a browser sends the page's Origin, and
 * cookies with it; only the server's own origin and the CORS origins may
 * open a WebSocket. Clients that are not browsers send none. */
static bool origin_allowed(struct apic_ctx *ctx, const char *origin)
{
	struct apic_server *srv = ctx->srv;
	if (origin == NULL || srv->cors_any)
		return true;
	for (size_t i = 0; i < srv->ncors_origins; i++)
		if (strcasecmp(srv->cors_origins[i], origin) == 0)
			return true;
	const char *host = apic_ctx_header(ctx, "Host");
	if (host == NULL)
		return false;
	const char *rest = strncasecmp(origin, "http://", 7) == 0 ? origin + 7
			 : strncasecmp(origin, "https://", 8) == 0 ? origin + 8 : NULL;
	return rest && strcasecmp(rest, host) == 0;
}

int apic_ws_accept(struct apic_ctx *ctx, const struct apic_type *in, void (*on_open)(struct apic_ws *ws, void *cls),
		   apic_ws_message_fn on_message, apic_ws_close_fn on_close, const void *handlers, void *cls)
{
	struct apic_server *srv = ctx->srv;
	const char *upgrade = apic_ctx_header(ctx, "Upgrade");
	const char *connection = apic_ctx_header(ctx, "Connection");
	const char *version = apic_ctx_header(ctx, "Sec-WebSocket-Version");
	const char *key = apic_ctx_header(ctx, "Sec-WebSocket-Key");
	if (!upgrade || !token_in(upgrade, "websocket") || !connection || !token_in(connection, "upgrade") ||
	    !key || strlen(key) != 24 || !version || strcmp(version, "13") != 0) {
		apic_ctx_set_header(ctx, "Sec-WebSocket-Version", "13");
		return apic__reply_problem(ctx, 426, "a WebSocket handshake (version 13) is required here", NULL);
	}
	if (!origin_allowed(ctx, apic_ctx_header(ctx, "Origin")))
		return apic__reply_problem(ctx, 403, "WebSockets from this origin are not allowed", NULL);
	struct apic_ws *ws = apic_ctx_alloc(ctx, sizeof *ws);
	if (ws == NULL)
		return apic__reply_problem(ctx, 500, "out of memory", NULL);
	if (apic__slot_take(ctx) != 0)
		return 0; /* the 503 is the reply */
	*ws = (struct apic_ws){ .srv = srv, .ctx = ctx, .in = in, .on_open = on_open, .on_message = on_message,
				.on_close = on_close, .handlers = handlers, .cls = cls, .fd = -1 };
	atomic_init(&ws->pending, 0);
	/* RFC 6455 4.2.2: base64(SHA-1(key + the protocol's GUID)) */
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	struct sha1_ctx sha;
	uint8_t digest[SHA1_DIGEST_SIZE];
	sha1_init(&sha);
	sha1_update(&sha, strlen(key), (const uint8_t *)key);
	sha1_update(&sha, sizeof guid - 1, (const uint8_t *)guid);
	sha1_digest(&sha, sizeof digest, digest);
	base64_encode_raw(ws->accept, sizeof digest, digest);
	ws->accept[sizeof ws->accept - 1] = '\0';
	ctx->ws = ws;
	apic_ctx_set_header(ctx, "Upgrade", "websocket");
	apic_ctx_set_header(ctx, "Sec-WebSocket-Accept", ws->accept);
	return apic__reply(ctx, 101, NULL, NULL, 0);
}

bool apic_ctx_ws_accepted(struct apic_ctx *ctx)
{
	return ctx->ws != NULL && ctx->status == 101;
}

void apic__ws_abandoned(struct apic_ctx *ctx)
{
	struct apic_ws *ws = ctx->ws;
	if (ws == NULL || ws->urh != NULL)
		return;
	/* Accepted, but the 101 never went out (the client left, or the
	 * reply became a 500): the application still hears of the end. */
	if (ws->on_close)
		ws->on_close(ws, 1006, ws->cls);
	apic__slot_give(ws->srv);
	ctx->ws = NULL;
}

struct apic_ctx *apic_ws_ctx(struct apic_ws *ws)
{
	return ws->ctx;
}

/* ---- the loop's side ---------------------------------------------------------- */

/* The socket goes back to MHD, which completes the request (and frees its
 * memory, ws included) on a worker: the last use of ws. Not before the
 * sends already posted have run (they find it done). */
static void release(struct apic_ws *ws)
{
	if (ws->released)
		return;
	ws->released = true;
	MHD_upgrade_action(ws->urh, MHD_UPGRADE_ACTION_CLOSE);
}

static void teardown(struct apic_ws *ws)
{
	struct apic_server *srv = ws->srv;
	if (ws->done)
		return;
	ws->done = true;
	int code = ws->wslay && wslay_event_get_close_received(ws->wslay)
			   ? wslay_event_get_status_code_received(ws->wslay) : 1006;
	if (ws->on_close)
		ws->on_close(ws, code, ws->cls);
	if (ws->rd)
		event_free(ws->rd);
	if (ws->wr)
		event_free(ws->wr);
	if (ws->ping)
		event_free(ws->ping);
	if (ws->wslay)
		wslay_event_context_free(ws->wslay);
	free(ws->extra);
	if (ws->prev)
		ws->prev->next = ws->next;
	else if (srv->sockets == ws)
		srv->sockets = ws->next;
	if (ws->next)
		ws->next->prev = ws->prev;
	apic__slot_give(srv);
	if (atomic_load(&ws->pending) == 0)
		release(ws);
}

/* Lingering close: what the client still sends is read and dropped until
 * it closes (or 2 s pass), so that closing does not reset the connection
 * and lose the close frame on its way (a client sending a message too big
 * is still sending it). */
static void on_drain(evutil_socket_t fd, short what, void *arg)
{
	struct apic_ws *ws = arg;
	char buf[4096];
	ssize_t n = 1;
	if (!(what & EV_TIMEOUT))
		while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
			;
	if ((what & EV_TIMEOUT) || n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		teardown(ws);
}

static void linger(struct apic_ws *ws)
{
	struct timeval tv = { 2, 0 };
	shutdown(ws->fd, SHUT_WR);
	if (ws->wr)
		event_free(ws->wr);
	ws->wr = NULL;
	event_free(ws->rd);
	ws->rd = event_new(ws->srv->base, ws->fd, EV_READ | EV_PERSIST, on_drain, ws);
	if (ws->rd == NULL || event_add(ws->rd, &tv) != 0)
		teardown(ws);
}

/* After wslay did something: the events it needs now, or the end. */
static void settle(struct apic_ws *ws)
{
	if (ws->done || ws->in_wslay || ws->lingering)
		return;
	if (!wslay_event_want_read(ws->wslay) && !wslay_event_want_write(ws->wslay)) {
		ws->lingering = true;
		linger(ws);
		return;
	}
	bool want = wslay_event_want_write(ws->wslay);
	if (want && !ws->writing)
		event_add(ws->wr, NULL);
	else if (!want && ws->writing)
		event_del(ws->wr);
	ws->writing = want;
}

static void close_with(struct apic_ws *ws, uint16_t code, const char *reason)
{
	if (!ws->closing) {
		ws->closing = true;
		wslay_event_queue_close(ws->wslay, code, (const uint8_t *)reason, reason ? strlen(reason) : 0);
	}
	/* What the client still sends is not read: wslay waits for its close. */
	settle(ws);
}

static ssize_t ws_recv(wslay_event_context_ptr wc, uint8_t *buf, size_t len, int flags, void *user)
{
	(void)flags;
	struct apic_ws *ws = user;
	if (ws->extra_off < ws->extra_len) {
		size_t k = ws->extra_len - ws->extra_off < len ? ws->extra_len - ws->extra_off : len;
		memcpy(buf, ws->extra + ws->extra_off, k);
		ws->extra_off += k;
		return (ssize_t)k;
	}
	ssize_t n;
	while ((n = recv(ws->fd, buf, len, 0)) < 0 && errno == EINTR)
		;
	if (n > 0) {
		ws->last_rx = apic__now_ns();
		return n;
	}
	wslay_event_set_error(wc, n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? WSLAY_ERR_WOULDBLOCK
									  : WSLAY_ERR_CALLBACK_FAILURE);
	return -1;
}

static ssize_t ws_send(wslay_event_context_ptr wc, const uint8_t *data, size_t len, int flags, void *user)
{
	(void)flags;
	struct apic_ws *ws = user;
	ssize_t n;
	while ((n = send(ws->fd, data, len, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	if (n >= 0)
		return n;
	wslay_event_set_error(wc, errno == EAGAIN || errno == EWOULDBLOCK ? WSLAY_ERR_WOULDBLOCK
									   : WSLAY_ERR_CALLBACK_FAILURE);
	return -1;
}

/* A text message: JSON of the IN model, else the close code and reason. */
static void message(struct apic_ws *ws, const char *text, size_t len)
{
	struct apic_ctx *m = apic__ctx_new(ws->srv);
	if (m == NULL) {
		close_with(ws, 1011, "out of memory");
		return;
	}
	m->route = ws->ctx->route;
	m->principal = ws->ctx->principal;
	memcpy(m->request_id, ws->ctx->request_id, sizeof m->request_id);
	size_t off = 0;
	const char *why = NULL;
	struct json_object *obj = NULL;
	const void *out = NULL;
	char reason[124];
	unsigned depth = ws->ctx->route->json_depth ? ws->ctx->route->json_depth : ws->srv->json_depth;
	if (!apic__utf8_valid(text, len)) {
		close_with(ws, 1007, "invalid UTF-8");
	} else if (apic__json_parse(m, text, len, depth, &obj, &off, &why) != 0) {
		snprintf(reason, sizeof reason, "malformed JSON at byte %zu: %s", off, why);
		close_with(ws, 1007, reason);
	} else if (apic__decode(m, false, ws->in, obj, NULL, &out, NULL) != 0 || m->oom) {
		close_with(ws, 1011, "out of memory");
	} else if (apic_violation_count(m) != 0) {
		const struct apic__violation *v = &m->viol[0];
		/* a close reason is at most 123 bytes (RFC 6455 5.5) */
		snprintf(reason, sizeof reason, "%s%s%s", v->at && *v->at ? v->at : "",
			 v->at && *v->at ? ": " : "", v->message);
		close_with(ws, 1007, reason);
	} else if (ws->on_message(ws, &out, ws->handlers, ws->cls) != 0) {
		close_with(ws, 1011, "the server failed");
	}
	json_object_put(obj);
	apic__ctx_free(m);
}

static void ws_msg(wslay_event_context_ptr wc, const struct wslay_event_on_msg_recv_arg *arg, void *user)
{
	(void)wc;
	struct apic_ws *ws = user;
	if (ws->closing || wslay_is_ctrl_frame(arg->opcode))
		return; /* ping, pong and close: wslay answers them */
	if (arg->opcode != WSLAY_TEXT_FRAME)
		close_with(ws, 1003, "messages are JSON text");
	else
		message(ws, (const char *)arg->msg, arg->msg_length);
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic_ws *ws = arg;
	ws->in_wslay = true;
	int rc = wslay_event_recv(ws->wslay);
	ws->in_wslay = false;
	if (rc != 0) {
		teardown(ws);
		return;
	}
	settle(ws);
}

static void on_write(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic_ws *ws = arg;
	ws->in_wslay = true;
	int rc = wslay_event_send(ws->wslay);
	ws->in_wslay = false;
	if (rc != 0) {
		teardown(ws);
		return;
	}
	settle(ws);
}

static void on_ping(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct apic_ws *ws = arg;
	uint64_t silent = apic__now_ns() - ws->last_rx;
	if (silent > 2ull * ws->srv->ws_ping * 1000000000u) {
		apic_ctx_log(ws->ctx, "WebSocket: no frame from the client for %u s: dropped", 2 * ws->srv->ws_ping);
		teardown(ws);
		return;
	}
	struct wslay_event_msg ping = { WSLAY_PING, NULL, 0 };
	wslay_event_queue_msg(ws->wslay, &ping);
	settle(ws);
}

static void start_on_loop(void *arg)
{
	struct apic_ws *ws = arg;
	struct apic_server *srv = ws->srv;
	static const struct wslay_event_callbacks cb = { ws_recv, ws_send, NULL, NULL, NULL, NULL, ws_msg };
	struct timeval tv = { (time_t)srv->ws_ping, 0 };
	ws->last_rx = apic__now_ns();
	ws->next = srv->sockets;
	if (ws->next)
		ws->next->prev = ws;
	srv->sockets = ws;
	if (wslay_event_context_server_init(&ws->wslay, &cb, ws) != 0 ||
	    (ws->rd = event_new(srv->base, ws->fd, EV_READ | EV_PERSIST, on_read, ws)) == NULL ||
	    (ws->wr = event_new(srv->base, ws->fd, EV_WRITE | EV_PERSIST, on_write, ws)) == NULL ||
	    (ws->ping = event_new(srv->base, -1, EV_PERSIST, on_ping, ws)) == NULL ||
	    event_add(ws->rd, NULL) != 0 || event_add(ws->ping, &tv) != 0) {
		teardown(ws); /* frees what exists */
		return;
	}
	wslay_event_config_set_max_recv_msg_length(ws->wslay, srv->ws_max_message);
	if (ws->on_open)
		ws->on_open(ws, ws->cls);
	if (atomic_load(&srv->draining))
		close_with(ws, 1001, "the server is stopping");
	else if (ws->extra_len) /* bytes MHD read ahead: a frame already */
		on_read(ws->fd, EV_READ, ws);
}

/* MHD, on a worker: the 101 is out, the socket is the WebSocket's. */
static void upgraded(void *cls, struct MHD_Connection *con, void *req_cls, const char *extra_in,
		     size_t extra_in_size, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
	(void)con;
	(void)req_cls;
	struct apic_ws *ws = cls;
	ws->fd = sock;
	ws->urh = urh;
	/* Messages are small and go out as they come: MHD may leave the socket
	 * corked or with Nagle on, which holds a reply for the peer's delayed
	 * ACK (40 ms a round trip). Fails harmlessly on a non-TCP socket. */
	int on = 1, off = 0;
	(void)setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	(void)setsockopt(sock, IPPROTO_TCP, TCP_CORK, &off, sizeof off);
	if (extra_in_size && (ws->extra = malloc(extra_in_size)) != NULL) {
		memcpy(ws->extra, extra_in, extra_in_size);
		ws->extra_len = extra_in_size;
	}
	if (apic__loop_call(ws->srv, start_on_loop, ws) != 0) {
		ws->done = true;
		release(ws);
	}
}

struct MHD_Response *apic__ws_response(struct apic_ctx *ctx)
{
	return MHD_create_response_for_upgrade(upgraded, ctx->ws);
}

/* ---- sending ------------------------------------------------------------------ */

struct outgoing {
	struct apic_ws *ws;
	struct apic_buf b;
	uint8_t opcode;
	uint16_t code;               /* a close */
};

static void send_on_loop(void *arg)
{
	struct outgoing *o = arg;
	struct apic_ws *ws = o->ws;
	if (!ws->done && !ws->closing) {
		if (o->code) {
			close_with(ws, o->code, o->b.p);
		} else if (wslay_event_get_queued_msg_length(ws->wslay) + o->b.len > ws->srv->ws_queue) {
			apic_ctx_log(ws->ctx, "WebSocket: the client does not keep up (%zu bytes unsent): closed",
				     wslay_event_get_queued_msg_length(ws->wslay));
			close_with(ws, 1008, "the client does not keep up");
		} else {
			struct wslay_event_msg m = { o->opcode, (const uint8_t *)o->b.p, o->b.len };
			wslay_event_queue_msg(ws->wslay, &m);
			settle(ws);
		}
	}
	free(o->b.p);
	free(o);
	if (atomic_fetch_sub(&ws->pending, 1) == 1 && ws->done)
		release(ws);
}

/* Posts o to the loop; -1 (o freed) when that fails. */
static int post(struct outgoing *o)
{
	atomic_fetch_add(&o->ws->pending, 1);
	if (o->b.oom || apic__loop_call(o->ws->srv, send_on_loop, o) != 0) {
		atomic_fetch_sub(&o->ws->pending, 1);
		free(o->b.p);
		free(o);
		return -1;
	}
	return 0;
}

int apic_ws_send(struct apic_ws *ws, const struct apic_type *out, const void *value)
{
	struct outgoing *o = calloc(1, sizeof *o);
	if (o == NULL)
		return -1;
	o->ws = ws;
	o->opcode = WSLAY_TEXT_FRAME;
	apic_encode(&o->b, out, value);
	return post(o);
}

int apic_ws_close(struct apic_ws *ws, int code, const char *reason)
{
	struct outgoing *o = calloc(1, sizeof *o);
	if (o == NULL)
		return -1;
	o->ws = ws;
	o->code = code >= 1000 && code <= 4999 ? (uint16_t)code : 1000;
	size_t n = reason ? strnlen(reason, 123) : 0;
	apic_buf_put(&o->b, reason ? reason : "", n);
	apic_buf_put(&o->b, "", 1);
	return post(o);
}

void apic__ws_close_all(void *arg)
{
	struct apic_server *srv = arg;
	for (struct apic_ws *ws = srv->sockets, *next; ws; ws = next) {
		next = ws->next;
		close_with(ws, 1001, "the server is stopping");
	}
}
