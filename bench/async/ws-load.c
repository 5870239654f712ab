/* ws-load: WebSocket load for the echo and broadcast benchmarks of
 * bench/async (see README.md there), on libwslay's event API.
 *
 *   ws-load --port N --mode echo|broadcast [--host 127.0.0.1] [--path P]
 *           [--conns 100] [--senders M] [--inflight 8] [--size 32]
 *           [--threads 1] [--warmup 2] [--duration 10] [--pid SERVER_PID]
 *
 * echo: --conns connections to /echo, each keeping --inflight text
 *   messages outstanding: a message is sent again as soon as its echo is
 *   back. Counts echoes received; latency is the round trip.
 * broadcast: --conns connections to /broadcast, the first --senders of
 *   them (default conns/10) sending, each keeping --inflight messages
 *   outstanding, where a message is done when its sender receives its own
 *   copy back (the server broadcasts to the sender too). Counts messages
 *   sent (done) and delivered (received on any connection); latency is
 *   from the send to each delivery.
 *
 * Frames leave through one send() per connection and readiness event: the
 * send callback only appends to a per-connection buffer. Messages are the
 * JSON {"text":"<sender> <seq> <monotonic ns> ..."}, the text padded with
 * dots to --size bytes in all (a typed server decodes and re-encodes it). With --pid, the
 * server's CPU time over the measured window and its VmRSS, VmHWM and
 * Threads at the end of it are read from /proc.
 *
 * Prints key=value lines on stdout; progress goes to stderr. */
#define _GNU_SOURCE
#include "bench-common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <wslay/wslay.h>

#define OUTCAP 65536
#define HSCAP 1024
/* RFC 6455's sample key, and the accept value it must produce. */
#define WS_KEY "dGhlIHNhbXBsZSBub25jZQ=="
#define WS_ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

enum { ST_CONNECTING, ST_HANDSHAKE, ST_OPEN, ST_DEAD };
enum { MODE_ECHO, MODE_BROADCAST };

struct worker;

struct conn {
	int fd, id, state, sender;
	uint32_t epmask;
	struct worker *w;
	wslay_event_context_ptr ctx;
	int inflight;
	uint64_t seq;
	char hs[HSCAP];
	size_t hslen;
	/* bytes that came with the handshake response, for wslay */
	size_t pre_off, pre_len;
	uint8_t out[OUTCAP];
	size_t out_off, out_len;
};

struct worker {
	pthread_t tid;
	int epfd, n, opened;
	struct conn *c;
	int64_t now;
	int in_window, sending;
	uint32_t rng;
	struct hist lat;
	uint64_t received, delivered, done, errors, closed;
};

static struct sockaddr_in addr;
static const char *host = "127.0.0.1", *path;
static int mode = -1, inflight = 8, msg_size = 32;
static atomic_int opened_total, failed_total, go, stop;
static _Atomic int64_t win_start = INT64_MAX, win_end = INT64_MAX;

static void conn_dead(struct conn *c)
{
	if (c->state == ST_DEAD)
		return;
	if (c->state == ST_OPEN)
		c->w->closed++;
	else
		atomic_fetch_add(&failed_total, 1);
	c->state = ST_DEAD;
	epoll_ctl(c->w->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
}

static ssize_t cb_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *ud)
{
	(void)flags;
	struct conn *c = ud;
	if (c->pre_off < c->pre_len) {
		size_t n = c->pre_len - c->pre_off;
		if (n > len)
			n = len;
		memcpy(buf, c->hs + c->pre_off, n);
		c->pre_off += n;
		return (ssize_t)n;
	}
	ssize_t r = recv(c->fd, buf, len, 0);
	if (r > 0)
		return r;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
	else
		wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
	return -1;
}

static ssize_t cb_send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags, void *ud)
{
	(void)flags;
	struct conn *c = ud;
	size_t room = OUTCAP - c->out_len;
	if (room == 0) {
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		return -1;
	}
	if (len > room)
		len = room;
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
	return (ssize_t)len;
}

static int cb_genmask(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *ud)
{
	(void)ctx;
	struct conn *c = ud;
	/* xorshift32: masking keys need not be secret here */
	for (size_t i = 0; i < len; i++) {
		uint32_t x = c->w->rng;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		c->w->rng = x;
		buf[i] = (uint8_t)x;
	}
	return 0;
}

static void queue_one(struct conn *c)
{
	char m[256];
	int n = snprintf(m, sizeof m, "{\"text\":\"%d %" PRIu64 " %" PRId64 " ", c->id, c->seq++, mono_ns());
	if (n < 0 || (size_t)n + 2 >= sizeof m)
		return;
	if (n + 2 < msg_size) {
		memset(m + n, '.', (size_t)(msg_size - 2 - n));
		n = msg_size - 2;
	}
	memcpy(m + n, "\"}", 2);
	n += 2;
	struct wslay_event_msg msg = { WSLAY_TEXT_FRAME, (const uint8_t *)m, (size_t)n };
	if (wslay_event_queue_msg(c->ctx, &msg) == 0)
		c->inflight++;
}

static void cb_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg, void *ud)
{
	(void)ctx;
	struct conn *c = ud;
	struct worker *w = c->w;
	if (arg->opcode != WSLAY_TEXT_FRAME && arg->opcode != WSLAY_BINARY_FRAME)
		return; /* ping, pong and close are answered by wslay */
	char m[64];
	size_t n = arg->msg_length < sizeof m - 1 ? arg->msg_length : sizeof m - 1;
	memcpy(m, arg->msg, n);
	m[n] = '\0';
	char *p = m + strcspn(m, "0123456789");
	long from = strtol(p, &p, 10);
	strtoull(p, &p, 10);
	int64_t t = strtoll(p, &p, 10);
	if (w->in_window) {
		int64_t d = (w->now - t) / 1000;
		hist_add(&w->lat, d > 0 ? (uint64_t)d : 0);
		w->received++;
	}
	if (mode == MODE_ECHO || from == c->id) {
		c->inflight--;
		if (w->in_window)
			w->done++;
		if (!atomic_load(&stop))
			queue_one(c);
	}
}

static void set_mask(struct conn *c, uint32_t m)
{
	if (c->epmask == m)
		return;
	struct epoll_event ev = { .events = m, .data.ptr = c };
	epoll_ctl(c->w->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	c->epmask = m;
}

/* Send what wslay has queued and what is buffered; EPOLLOUT while
 * anything is left. Returns -1 when the connection died. */
static int pump_out(struct conn *c)
{
	for (;;) {
		if (c->out_off < c->out_len) {
			ssize_t r = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
			if (r < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				return -1;
			}
			c->out_off += (size_t)r;
			if (c->out_off < c->out_len)
				break;
		}
		c->out_off = c->out_len = 0;
		if (!wslay_event_want_write(c->ctx))
			break;
		if (wslay_event_send(c->ctx) != 0)
			return -1;
		if (c->out_len == 0)
			break;
	}
	int more = c->out_off < c->out_len || wslay_event_want_write(c->ctx);
	set_mask(c, EPOLLIN | (more ? EPOLLOUT : 0));
	return 0;
}

static const struct wslay_event_callbacks callbacks = {
	cb_recv, cb_send, cb_genmask, NULL, NULL, NULL, cb_msg,
};

static void handshake_in(struct conn *c)
{
	ssize_t r = recv(c->fd, c->hs + c->hslen, HSCAP - 1 - c->hslen, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		conn_dead(c);
		return;
	}
	c->hslen += (size_t)r;
	c->hs[c->hslen] = '\0';
	char *end = strstr(c->hs, "\r\n\r\n");
	if (end == NULL) {
		if (c->hslen >= HSCAP - 1)
			conn_dead(c);
		return;
	}
	*end = '\0';
	if (strncmp(c->hs, "HTTP/1.1 101", 12) != 0 || strstr(c->hs, WS_ACCEPT) == NULL) {
		if (atomic_load(&failed_total) == 0)
			fprintf(stderr, "ws-load: handshake refused: %.120s\n", c->hs);
		conn_dead(c);
		return;
	}
	c->pre_off = (size_t)(end - c->hs) + 4;
	c->pre_len = c->hslen;
	if (wslay_event_context_client_init(&c->ctx, &callbacks, c) != 0) {
		conn_dead(c);
		return;
	}
	c->state = ST_OPEN;
	atomic_fetch_add(&opened_total, 1);
	if (c->pre_off < c->pre_len && wslay_event_recv(c->ctx) != 0)
		conn_dead(c);
}

static void on_event(struct worker *w, struct conn *c, uint32_t ev)
{
	if (c->state == ST_CONNECTING) {
		int err = 0;
		socklen_t el = sizeof err;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err != 0) {
			if (atomic_load(&failed_total) == 0)
				fprintf(stderr, "ws-load: connect: %s\n", strerror(err));
			conn_dead(c);
			return;
		}
		char req[512];
		int n = snprintf(req, sizeof req,
				 "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUpgrade: websocket\r\n"
				 "Connection: Upgrade\r\nSec-WebSocket-Key: " WS_KEY "\r\n"
				 "Sec-WebSocket-Version: 13\r\n\r\n",
				 path, host, (unsigned)ntohs(addr.sin_port));
		if (send(c->fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
			conn_dead(c);
			return;
		}
		c->state = ST_HANDSHAKE;
		set_mask(c, EPOLLIN);
		return;
	}
	if (c->state == ST_HANDSHAKE) {
		handshake_in(c);
		return;
	}
	if (c->state != ST_OPEN)
		return;
	if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		w->now = mono_ns();
		if (wslay_event_recv(c->ctx) != 0 || !wslay_event_want_read(c->ctx)) {
			conn_dead(c);
			return;
		}
	}
	if (pump_out(c) != 0)
		conn_dead(c);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	enum { MAXEV = 512 };
	struct epoll_event evs[MAXEV];
	for (int i = 0; i < w->n; i++) {
		struct conn *c = &w->c[i];
		c->w = w;
		c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (c->fd < 0) {
			c->state = ST_DEAD;
			atomic_fetch_add(&failed_total, 1);
			continue;
		}
		int one = 1;
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		c->state = ST_CONNECTING;
		c->epmask = EPOLLOUT;
		struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
		epoll_ctl(w->epfd, EPOLL_CTL_ADD, c->fd, &ev);
		if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) != 0 && errno != EINPROGRESS)
			conn_dead(c);
	}
	while (!atomic_load(&stop)) {
		if (!w->sending && atomic_load(&go)) {
			w->sending = 1;
			for (int i = 0; i < w->n; i++) {
				struct conn *c = &w->c[i];
				if (c->state != ST_OPEN || !c->sender)
					continue;
				for (int k = 0; k < inflight; k++)
					queue_one(c);
				if (pump_out(c) != 0)
					conn_dead(c);
			}
		}
		int n = epoll_wait(w->epfd, evs, MAXEV, 20);
		int64_t now = mono_ns();
		w->in_window = now >= atomic_load(&win_start) && now < atomic_load(&win_end);
		for (int i = 0; i < n; i++)
			on_event(w, evs[i].data.ptr, evs[i].events);
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: ws-load --port N --mode echo|broadcast [--host A] [--path P]\n"
			"       [--conns N] [--senders M] [--inflight K] [--size BYTES] [--threads T]\n"
			"       [--warmup S] [--duration S] [--pid SERVER_PID]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long port = 0, conns = 100, senders = -1, threads = 1, pid = 0;
	double warmup = 2, duration = 10;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v == NULL)
			usage();
		if (strcmp(a, "--port") == 0) port = opt_long(a, v, 1, 65535);
		else if (strcmp(a, "--mode") == 0) mode = strcmp(v, "echo") == 0 ? MODE_ECHO :
			strcmp(v, "broadcast") == 0 ? MODE_BROADCAST : (usage(), -1);
		else if (strcmp(a, "--host") == 0) host = v;
		else if (strcmp(a, "--path") == 0) path = v;
		else if (strcmp(a, "--conns") == 0) conns = opt_long(a, v, 1, 100000);
		else if (strcmp(a, "--senders") == 0) senders = opt_long(a, v, 1, 100000);
		else if (strcmp(a, "--inflight") == 0) inflight = (int)opt_long(a, v, 1, 10000);
		else if (strcmp(a, "--size") == 0) msg_size = (int)opt_long(a, v, 24, 200);
		else if (strcmp(a, "--threads") == 0) threads = opt_long(a, v, 1, 64);
		else if (strcmp(a, "--warmup") == 0) warmup = opt_double(a, v, 0, 3600);
		else if (strcmp(a, "--duration") == 0) duration = opt_double(a, v, 0.1, 3600);
		else if (strcmp(a, "--pid") == 0) pid = opt_long(a, v, 1, 1L << 30);
		else usage();
		i++;
	}
	if (port == 0 || mode < 0)
		usage();
	if (path == NULL)
		path = mode == MODE_ECHO ? "/echo" : "/broadcast";
	if (mode == MODE_ECHO)
		senders = conns;
	else if (senders < 0)
		senders = conns >= 10 ? conns / 10 : 1;
	if (senders > conns)
		senders = conns;
	if (threads > conns)
		threads = conns;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "ws-load: --host must be an IPv4 address\n");
		return 2;
	}
	raise_nofile(conns + 64);

	struct conn *cs = calloc((size_t)conns, sizeof *cs);
	struct worker *ws = calloc((size_t)threads, sizeof *ws);
	if (cs == NULL || ws == NULL)
		return 1;
	/* Worker t owns connections t, t+T, t+2T, ... (a contiguous slice of
	 * cs), so the senders, connections 0..senders-1, spread over them. */
	long k = 0;
	for (long t = 0; t < threads; t++) {
		ws[t].c = cs + k;
		for (long id = t; id < conns; id += threads, k++) {
			cs[k].id = (int)id;
			cs[k].sender = id < senders;
		}
		ws[t].n = (int)(cs + k - ws[t].c);
	}
	for (long t = 0; t < threads; t++) {
		ws[t].rng = 2463534242u + (uint32_t)t * 7919u;
		ws[t].epfd = epoll_create1(EPOLL_CLOEXEC);
		if (ws[t].epfd < 0 || pthread_create(&ws[t].tid, NULL, worker_main, &ws[t]) != 0)
			return 1;
	}
	int64_t t0 = mono_ns();
	while (mono_ns() - t0 < 30000000000 &&
	       atomic_load(&opened_total) + atomic_load(&failed_total) < conns)
		sleep_until_ns(mono_ns() + 10000000);
	int opened = atomic_load(&opened_total);
	fprintf(stderr, "ws-load: %d of %ld connections open in %.1f s\n", opened, conns,
		(double)(mono_ns() - t0) / 1e9);
	if (opened == 0)
		return 1;
	atomic_store(&go, 1);
	int64_t ws_ns = mono_ns() + (int64_t)(warmup * 1e9);
	int64_t we_ns = ws_ns + (int64_t)(duration * 1e9);
	atomic_store(&win_start, ws_ns);
	atomic_store(&win_end, we_ns);
	sleep_until_ns(ws_ns);
	struct proc_figures p0 = proc_read(pid);
	int64_t self0 = self_cpu_us();
	struct sys_cpu m0 = sys_cpu_read();
	sleep_until_ns(we_ns);
	struct proc_figures p1 = proc_read(pid);
	int64_t self1 = self_cpu_us();
	struct sys_cpu m1 = sys_cpu_read();
	atomic_store(&stop, 1);

	static struct hist lat;
	uint64_t received = 0, done = 0, closed = 0;
	for (long t = 0; t < threads; t++) {
		pthread_join(ws[t].tid, NULL);
		hist_merge(&lat, &ws[t].lat);
		received += ws[t].received;
		done += ws[t].done;
		closed += ws[t].closed;
	}
	double srv_cpu_us = p0.cpu_us >= 0 && p1.cpu_us >= 0 ? (double)(p1.cpu_us - p0.cpu_us) : -1;
	printf("mode=%s\n", mode == MODE_ECHO ? "echo" : "broadcast");
	printf("conns=%ld\n", conns);
	printf("conns_open=%d\n", opened);
	printf("senders=%ld\n", senders);
	printf("inflight=%d\n", inflight);
	printf("size=%d\n", msg_size);
	printf("closed_by_server=%" PRIu64 "\n", closed);
	printf("duration_s=%.2f\n", duration);
	/* echo: done == received, one per echoed message.
	 * broadcast: done = messages sent (back at their sender), received =
	 * deliveries on all connections. */
	printf("sent_per_s=%.0f\n", (double)done / duration);
	printf("received_per_s=%.0f\n", (double)received / duration);
	printf("latency_p50_ms=%.3f\n", (double)hist_quantile(&lat, 0.50) / 1000.0);
	printf("latency_p99_ms=%.3f\n", (double)hist_quantile(&lat, 0.99) / 1000.0);
	printf("latency_max_ms=%.3f\n", (double)lat.max / 1000.0);
	printf("client_cpu_pct=%.0f\n", (double)(self1 - self0) / (duration * 1e4));
	sys_cpu_print(m0, m1);
	if (pid > 0) {
		printf("server_cpu_pct=%.0f\n", srv_cpu_us >= 0 ? srv_cpu_us / (duration * 1e4) : -1.0);
		printf("server_cpu_us_per_received=%.2f\n", srv_cpu_us >= 0 && received ? srv_cpu_us / (double)received : -1.0);
		printf("server_cpu_us_per_sent=%.2f\n", srv_cpu_us >= 0 && done ? srv_cpu_us / (double)done : -1.0);
		printf("server_rss_kb=%ld\n", p1.rss_kb);
		printf("server_hwm_kb=%ld\n", p1.hwm_kb);
		printf("server_threads=%ld\n", p1.threads);
	}
	return 0;
}
