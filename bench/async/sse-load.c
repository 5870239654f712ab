/* sse-load: many Server-Sent Events clients in one process, for the SSE
 * fan-out benchmark of bench/async (see README.md there).
 *
 *   sse-load --port N [--host 127.0.0.1] [--path /events] [--clients 10000]
 *            [--threads 1] [--warmup 2] [--duration 10] [--rate 100]
 *            [--connect-timeout 60] [--max-pending 256] [--pid SERVER_PID]
 *
 * Opens --clients non-blocking sockets (at most --max-pending of them
 * connecting at a time, so the server's listen backlog does not
 * overflow), sends each a plain HTTP/1.1 GET, and parses the responses
 * (chunked or not) into SSE lines. Each "data:" line must carry
 * "sent_us":U, the server's CLOCK_REALTIME in microseconds at send time;
 * its latency is this process's CLOCK_REALTIME at receipt minus U (one
 * clock read per recv()). When every client is connected (or the connect
 * timeout has passed) the warm-up starts; latencies of the --duration
 * seconds after it go into an array preallocated for
 * clients x rate x duration x 1.5 samples. With --pid, the server's CPU
 * time over the window and its VmRSS, VmHWM and Threads at the end of the
 * window (all clients still connected) are read from /proc.
 *
 * Prints key=value lines on stdout; progress goes to stderr. */
#define _GNU_SOURCE
#include "bench-common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#define CBUF 1024 /* per client: response header, then a partial line */

enum { ST_FREE, ST_CONNECTING, ST_HEADERS, ST_STREAM, ST_CLOSED };
enum { CS_SIZE, CS_EXT, CS_DATA, CS_CRLF, CS_END };

struct client {
	int fd;
	uint8_t state, chunked, cs;
	uint16_t len; /* bytes in buf */
	uint32_t chunk_left;
	int64_t last_seq;
	char buf[CBUF];
};

struct worker {
	pthread_t tid;
	int id, epfd;
	struct client *c;
	int n;          /* clients of this worker */
	int next;       /* next client to open */
	int pending;    /* connecting or waiting for the response header */
	int open;       /* streaming */
	int64_t now_us; /* CLOCK_REALTIME at the last recv() */
	int in_window;
	/* results */
	uint32_t *lat;
	size_t lat_n, lat_cap;
	uint64_t events, dropped, gaps, bad_lines, closed_by_server, connect_errors, http_errors;
	int64_t seq_min, seq_max;
};

static struct sockaddr_in addr;
static const char *host = "127.0.0.1", *path = "/events";
static char request[512];
static size_t request_len;
static int max_pending = 256;
static atomic_int connected, failed, stop;
static _Atomic int64_t win_start = INT64_MAX, win_end = INT64_MAX;

static void client_close(struct worker *w, struct client *c, int new_state)
{
	if (c->fd >= 0) {
		epoll_ctl(w->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	if (c->state == ST_CONNECTING || c->state == ST_HEADERS)
		w->pending--;
	else if (c->state == ST_STREAM)
		w->open--;
	c->state = (uint8_t)new_state;
}

static void open_clients(struct worker *w)
{
	while (w->pending < max_pending && w->next < w->n && !atomic_load(&stop)) {
		struct client *c = &w->c[w->next];
		int idx = w->next++;
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			w->connect_errors++;
			atomic_fetch_add(&failed, 1);
			if (w->connect_errors == 1)
				fprintf(stderr, "sse-load: socket: %s\n", strerror(errno));
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		c->fd = fd;
		c->state = ST_CONNECTING;
		c->len = 0;
		c->last_seq = -1;
		w->pending++;
		if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 && errno != EINPROGRESS) {
			if (w->connect_errors == 0)
				fprintf(stderr, "sse-load: connect: %s\n", strerror(errno));
			w->connect_errors++;
			atomic_fetch_add(&failed, 1);
			client_close(w, c, ST_CLOSED);
			continue;
		}
		struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = (uint32_t)idx };
		epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev);
	}
}

static int64_t num_after(const char *s, size_t n, const char *key)
{
	size_t kl = strlen(key);
	const char *p = memmem(s, n, key, kl);
	if (p == NULL)
		return -1;
	p += kl;
	const char *e = s + n;
	while (p < e && (*p == ' ' || *p == ':'))
		p++;
	int64_t v = 0;
	int digits = 0;
	while (p < e && *p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	return digits ? v : -1;
}

static void sse_line(struct worker *w, struct client *c, const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n < 5 || memcmp(s, "data:", 5) != 0)
		return; /* id:, event:, comments, the blank line ending an event */
	int64_t sent = num_after(s, n, "\"sent_us\"");
	int64_t seq = num_after(s, n, "\"seq\"");
	if (sent < 0 || seq < 0) {
		w->bad_lines++;
		return;
	}
	if (!w->in_window) {
		c->last_seq = seq;
		return;
	}
	w->events++;
	if (c->last_seq >= 0 && seq > c->last_seq + 1)
		w->gaps += (uint64_t)(seq - c->last_seq - 1);
	c->last_seq = seq;
	if (seq < w->seq_min)
		w->seq_min = seq;
	if (seq > w->seq_max)
		w->seq_max = seq;
	int64_t lat = w->now_us - sent;
	if (lat < 0)
		lat = 0;
	if (lat > UINT32_MAX)
		lat = UINT32_MAX;
	if (w->lat_n < w->lat_cap)
		w->lat[w->lat_n++] = (uint32_t)lat;
	else
		w->dropped++;
}

/* Body bytes (after de-chunking) into lines. */
static void sse_bytes(struct worker *w, struct client *c, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		if (c->len == 0 && nl != NULL) {
			sse_line(w, c, p, take);
		} else {
			/* An overlong line keeps its first CBUF bytes (and fails to
			 * parse, counted as a bad line). */
			size_t room = CBUF - c->len, keep = take < room ? take : room;
			memcpy(c->buf + c->len, p, keep);
			c->len = (uint16_t)(c->len + keep);
			if (nl != NULL) {
				sse_line(w, c, c->buf, c->len);
				c->len = 0;
			}
		}
		if (nl == NULL)
			return;
		p += take + 1;
		n -= take + 1;
	}
}

static int body_bytes(struct worker *w, struct client *c, const char *p, size_t n)
{
	if (!c->chunked) {
		sse_bytes(w, c, p, n);
		return 0;
	}
	while (n > 0) {
		switch (c->cs) {
		case CS_SIZE:
		case CS_EXT: {
			char ch = *p++;
			n--;
			if (ch == '\n') {
				c->cs = c->chunk_left ? CS_DATA : CS_END;
				if (c->cs == CS_END)
					return -1; /* the last chunk: the stream is over */
			} else if (c->cs == CS_SIZE && ch != '\r') {
				int d = ch >= '0' && ch <= '9' ? ch - '0' :
					ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
					ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
				if (d >= 0)
					c->chunk_left = c->chunk_left * 16 + (uint32_t)d;
				else
					c->cs = CS_EXT;
			}
			break;
		}
		case CS_DATA: {
			size_t take = n < c->chunk_left ? n : c->chunk_left;
			sse_bytes(w, c, p, take);
			p += take;
			n -= take;
			c->chunk_left -= (uint32_t)take;
			if (c->chunk_left == 0)
				c->cs = CS_CRLF;
			break;
		}
		case CS_CRLF:
			if (*p == '\n') {
				c->cs = CS_SIZE;
				c->chunk_left = 0;
			}
			p++;
			n--;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/* Response header bytes; returns the offset of the body in p, or -1 while
 * the header is incomplete, -2 on a bad response. */
static long header_bytes(struct client *c, const char *p, size_t n)
{
	size_t old = c->len, room = CBUF - 1 - c->len;
	size_t take = n < room ? n : room;
	memcpy(c->buf + c->len, p, take);
	c->len = (uint16_t)(c->len + take);
	c->buf[c->len] = '\0';
	char *end = strstr(c->buf, "\r\n\r\n");
	if (end == NULL)
		return c->len >= CBUF - 1 ? -2 : -1;
	size_t hlen = (size_t)(end - c->buf) + 4;
	*end = '\0';
	int ok = strncmp(c->buf, "HTTP/1.1 200", 12) == 0 || strncmp(c->buf, "HTTP/1.0 200", 12) == 0;
	c->chunked = 0;
	for (char *h = strstr(c->buf, "\r\n"); h != NULL; h = strstr(h + 2, "\r\n")) {
		if (strncasecmp(h + 2, "transfer-encoding:", 18) == 0 && strcasestr(h + 20, "chunked") != NULL) {
			char *eol = strstr(h + 2, "\r\n");
			char *ck = strcasestr(h + 20, "chunked");
			if (eol == NULL || ck < eol)
				c->chunked = 1;
		}
	}
	c->len = 0;
	c->cs = CS_SIZE;
	c->chunk_left = 0;
	if (!ok)
		return -2;
	return (long)(hlen - old);
}

static void on_event(struct worker *w, uint32_t idx, uint32_t events, char *buf, size_t bufsz)
{
	struct client *c = &w->c[idx];
	if (c->state == ST_CONNECTING) {
		int err = 0;
		socklen_t el = sizeof err;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
			if (w->connect_errors == 0)
				fprintf(stderr, "sse-load: connect: %s\n", strerror(err ? err : ECONNRESET));
			w->connect_errors++;
			atomic_fetch_add(&failed, 1);
			client_close(w, c, ST_CLOSED);
			return;
		}
		if (send(c->fd, request, request_len, MSG_NOSIGNAL) != (ssize_t)request_len) {
			w->connect_errors++;
			atomic_fetch_add(&failed, 1);
			client_close(w, c, ST_CLOSED);
			return;
		}
		c->state = ST_HEADERS;
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = idx };
		epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev);
		return;
	}
	ssize_t r = recv(c->fd, buf, bufsz, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		if (c->state == ST_STREAM)
			w->closed_by_server++;
		else {
			w->connect_errors++;
			atomic_fetch_add(&failed, 1);
		}
		client_close(w, c, ST_CLOSED);
		return;
	}
	w->now_us = real_us();
	const char *p = buf;
	size_t n = (size_t)r;
	if (c->state == ST_HEADERS) {
		long off = header_bytes(c, p, n);
		if (off == -1)
			return;
		if (off == -2) {
			if (w->http_errors++ == 0)
				fprintf(stderr, "sse-load: not a 200 response: %.80s\n", c->buf);
			atomic_fetch_add(&failed, 1);
			client_close(w, c, ST_CLOSED);
			return;
		}
		w->pending--;
		w->open++;
		c->state = ST_STREAM;
		atomic_fetch_add(&connected, 1);
		p += off;
		n -= (size_t)off;
	}
	if (body_bytes(w, c, p, n) != 0) {
		w->closed_by_server++;
		client_close(w, c, ST_CLOSED);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	enum { MAXEV = 1024 };
	struct epoll_event evs[MAXEV];
	size_t bufsz = 65536;
	char *buf = malloc(bufsz);
	if (buf == NULL)
		abort();
	while (!atomic_load(&stop)) {
		open_clients(w);
		int n = epoll_wait(w->epfd, evs, MAXEV, 20);
		int64_t now = mono_ns();
		w->in_window = now >= atomic_load(&win_start) && now < atomic_load(&win_end);
		for (int i = 0; i < n; i++)
			on_event(w, evs[i].data.u32, evs[i].events, buf, bufsz);
	}
	free(buf);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: sse-load --port N [--host A] [--path P] [--clients N] [--threads N]\n"
			"       [--warmup S] [--duration S] [--rate EVENTS_PER_S] [--connect-timeout S]\n"
			"       [--max-pending N] [--pid SERVER_PID]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long port = 0, clients = 10000, threads = 1, pid = 0, rate = 100;
	double warmup = 2, duration = 10, connect_timeout = 60;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v == NULL)
			usage();
		if (strcmp(a, "--port") == 0) port = opt_long(a, v, 1, 65535);
		else if (strcmp(a, "--host") == 0) host = v;
		else if (strcmp(a, "--path") == 0) path = v;
		else if (strcmp(a, "--clients") == 0) clients = opt_long(a, v, 1, 1000000);
		else if (strcmp(a, "--threads") == 0) threads = opt_long(a, v, 1, 64);
		else if (strcmp(a, "--warmup") == 0) warmup = opt_double(a, v, 0, 3600);
		else if (strcmp(a, "--duration") == 0) duration = opt_double(a, v, 0.1, 3600);
		else if (strcmp(a, "--rate") == 0) rate = opt_long(a, v, 1, 100000);
		else if (strcmp(a, "--connect-timeout") == 0) connect_timeout = opt_double(a, v, 0.1, 3600);
		else if (strcmp(a, "--max-pending") == 0) max_pending = (int)opt_long(a, v, 1, 100000);
		else if (strcmp(a, "--pid") == 0) pid = opt_long(a, v, 1, 1L << 30);
		else usage();
		i++;
	}
	if (port == 0)
		usage();
	if (threads > clients)
		threads = clients;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "sse-load: --host must be an IPv4 address\n");
		return 2;
	}
	int rl = snprintf(request, sizeof request,
			  "GET %s HTTP/1.1\r\nHost: %s:%ld\r\nAccept: text/event-stream\r\n"
			  "Cache-Control: no-cache\r\n\r\n", path, host, port);
	if (rl <= 0 || (size_t)rl >= sizeof request)
		return 2;
	request_len = (size_t)rl;
	long nofile = raise_nofile(clients + 64);
	if (nofile < clients + 16)
		fprintf(stderr, "sse-load: RLIMIT_NOFILE is %ld, fewer than %ld clients will connect\n",
			nofile, clients);

	/* Preallocated: every client receiving every tick, with room to spare. */
	size_t cap = (size_t)((double)clients * (double)rate * duration * 1.5) + 1024;
	struct worker *ws = calloc((size_t)threads, sizeof *ws);
	struct client *cs = calloc((size_t)clients, sizeof *cs);
	uint32_t *lat = malloc(cap * sizeof *lat);
	if (ws == NULL || cs == NULL || lat == NULL) {
		fprintf(stderr, "sse-load: out of memory (%zu samples)\n", cap);
		return 1;
	}
	memset(lat, 0, cap * sizeof *lat); /* fault the pages in before the run */
	long base = 0;
	size_t lbase = 0;
	for (long t = 0; t < threads; t++) {
		struct worker *w = &ws[t];
		w->id = (int)t;
		w->n = (int)(clients / threads + (t < clients % threads));
		w->c = cs + base;
		base += w->n;
		w->lat_cap = cap / (size_t)threads;
		w->lat = lat + lbase;
		lbase += w->lat_cap;
		w->seq_min = INT64_MAX;
		w->seq_max = -1;
		for (int k = 0; k < w->n; k++)
			w->c[k].fd = -1;
		w->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (w->epfd < 0 || pthread_create(&w->tid, NULL, worker_main, w) != 0) {
			fprintf(stderr, "sse-load: cannot start worker\n");
			return 1;
		}
	}

	int64_t t0 = mono_ns();
	int64_t deadline = t0 + (int64_t)(connect_timeout * 1e9);
	int64_t next_note = t0 + 5000000000;
	while (mono_ns() < deadline && atomic_load(&connected) + atomic_load(&failed) < clients) {
		sleep_until_ns(mono_ns() + 20000000);
		if (mono_ns() >= next_note) {
			fprintf(stderr, "sse-load: %d connected, %d failed after %.0f s\n",
				atomic_load(&connected), atomic_load(&failed), (double)(mono_ns() - t0) / 1e9);
			next_note += 5000000000;
		}
	}
	int at_start = atomic_load(&connected);
	double connect_s = (double)(mono_ns() - t0) / 1e9;
	fprintf(stderr, "sse-load: %d of %ld clients connected in %.1f s (%d failed)\n",
		at_start, clients, connect_s, atomic_load(&failed));

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

	uint64_t events = 0, dropped = 0, gaps = 0, bad = 0, closed = 0, cerr = 0, herr = 0;
	int64_t smin = INT64_MAX, smax = -1;
	long open_end = 0;
	size_t nlat = 0;
	for (long t = 0; t < threads; t++) {
		struct worker *w = &ws[t];
		pthread_join(w->tid, NULL);
		open_end += w->open;
		events += w->events;
		dropped += w->dropped;
		gaps += w->gaps;
		bad += w->bad_lines;
		closed += w->closed_by_server;
		cerr += w->connect_errors;
		herr += w->http_errors;
		if (w->seq_min < smin)
			smin = w->seq_min;
		if (w->seq_max > smax)
			smax = w->seq_max;
		/* compact the per-worker segments */
		memmove(lat + nlat, w->lat, w->lat_n * sizeof *lat);
		nlat += w->lat_n;
	}
	qsort(lat, nlat, sizeof *lat, cmp_u32);
#define PCT(q) (nlat ? (double)lat[(size_t)((q) * (double)(nlat - 1))] / 1000.0 : 0.0)
	printf("clients=%ld\n", clients);
	printf("clients_connected=%d\n", at_start);
	printf("clients_open_end=%ld\n", open_end);
	printf("connect_seconds=%.2f\n", connect_s);
	printf("connect_errors=%" PRIu64 "\n", cerr);
	printf("http_errors=%" PRIu64 "\n", herr);
	printf("closed_by_server=%" PRIu64 "\n", closed);
	printf("duration_s=%.2f\n", duration);
	printf("events=%" PRIu64 "\n", events);
	printf("events_per_s=%.0f\n", (double)events / duration);
	printf("events_per_client_per_s=%.2f\n", at_start ? (double)events / duration / at_start : 0.0);
	printf("ticks_seen=%" PRId64 "\n", smax >= 0 ? smax - smin + 1 : 0);
	printf("ticks_per_s=%.1f\n", smax >= 0 ? (double)(smax - smin + 1) / duration : 0.0);
	printf("missed_events=%" PRIu64 "\n", gaps);
	printf("bad_lines=%" PRIu64 "\n", bad);
	printf("samples_dropped=%" PRIu64 "\n", dropped);
	printf("latency_p50_ms=%.3f\n", PCT(0.50));
	printf("latency_p99_ms=%.3f\n", PCT(0.99));
	printf("latency_max_ms=%.3f\n", nlat ? lat[nlat - 1] / 1000.0 : 0.0);
	printf("client_cpu_pct=%.0f\n", (double)(self1 - self0) / (duration * 1e4));
	sys_cpu_print(m0, m1);
	if (pid > 0) {
		printf("server_cpu_pct=%.0f\n", p0.cpu_us >= 0 && p1.cpu_us >= 0 ?
		       (double)(p1.cpu_us - p0.cpu_us) / (duration * 1e4) : -1.0);
		printf("server_cpu_us_per_event=%.2f\n", p0.cpu_us >= 0 && p1.cpu_us >= 0 && events ?
		       (double)(p1.cpu_us - p0.cpu_us) / (double)events : -1.0);
		printf("server_rss_kb=%ld\n", p1.rss_kb);
		printf("server_hwm_kb=%ld\n", p1.hwm_kb);
		printf("server_threads=%ld\n", p1.threads);
	}
	return at_start > 0 ? 0 : 1;
}
