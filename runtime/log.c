/* Logging on stderr, as text or JSON lines; every write(2) holds whole
 * lines, so lines from several threads never interleave. The access log has
 * one line per request: method, path, status, bytes, duration, request id. */
#include "internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* JSON-escapes (or, for text, replaces control bytes in) at most `max`
 * bytes of `s` into out; returns the bytes written. */
static size_t put_clean(char *out, size_t cap, const char *s, size_t n, size_t max, bool json)
{
	size_t o = 0;
	if (n > max)
		n = max;
	for (size_t i = 0; i < n && o + 7 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (json && (c == '"' || c == '\\'))) {
			if (json)
				o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
			else
				out[o++] = '?';
		} else if (!json && c == ' ') {
			out[o++] = '+';
		} else {
			out[o++] = (char)c;
		}
	}
	return o;
}

/* UTC with milliseconds; the seconds part is formatted once per second
 * per thread (gmtime_r + strftime cost more than the rest of a log line). */
static size_t put_s(char *out, const char *s)
{
	size_t n = strlen(s);
	memcpy(out, s, n);
	return n;
}

/* Decimal, at least `width` digits. */
static size_t put_u(char *out, uint64_t v, size_t width)
{
	char tmp[20];
	size_t k = 0;
	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k < width)
		tmp[k++] = '0';
	for (size_t i = 0; i < k; i++)
		out[i] = tmp[k - 1 - i];
	return k;
}

static void timestamp(char *out, size_t cap)
{
	static _Thread_local time_t last = -1;
	static _Thread_local char secs[24];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != last) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		strftime(secs, sizeof secs, "%Y-%m-%dT%H:%M:%S", &tm);
		last = ts.tv_sec;
	}
	unsigned ms = (unsigned)(ts.tv_nsec / 1000000);
	size_t n = strlen(secs);
	if (cap < n + 6)
		return;
	memcpy(out, secs, n);
	out[n] = '.';
	out[n + 1] = (char)('0' + ms / 100);
	out[n + 2] = (char)('0' + ms / 10 % 10);
	out[n + 3] = (char)('0' + ms % 10);
	out[n + 4] = 'Z';
	out[n + 5] = '\0';
}

static void put_all(const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(STDERR_FILENO, p, len);
		if (w <= 0)
			return; /* a failed log write has nowhere to be reported */
		p += w;
		len -= (size_t)w;
	}
}

static void emit(char *line, size_t len, size_t cap)
{
	if (len >= cap)
		len = cap - 1;
	line[len++] = '\n';
	put_all(line, len);
}

/* ---- buffered access log ------------------------------------------------------
 * While a server runs, each worker thread appends access lines to its own
 * buffer, written out when full and by a flusher thread every 200 ms (and
 * at stop): one write(2) per request cost about a quarter of the CPU of a
 * trivial request. Lines of other kinds are written at once. */

#define ABUF_SIZE 16384
#define FLUSH_MS 200

struct abuf {
	pthread_mutex_t mu;
	struct abuf *next;
	size_t len;
	char data[ABUF_SIZE];
};

static pthread_mutex_t abuf_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t abuf_cond = PTHREAD_COND_INITIALIZER;
static struct abuf *abuf_all;
static unsigned abuf_gen;       /* bumped at every start: stale thread buffers */
static bool abuf_running, abuf_stop;
static pthread_t abuf_thread;
static _Thread_local struct abuf *my_abuf;
static _Thread_local unsigned my_gen;

static void abuf_flush_locked(struct abuf *b)
{
	put_all(b->data, b->len);
	b->len = 0;
}

static void *flusher(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&abuf_mu);
	while (!abuf_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += FLUSH_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&abuf_cond, &abuf_mu, &ts);
		for (struct abuf *b = abuf_all; b; b = b->next) {
			pthread_mutex_lock(&b->mu);
			if (b->len)
				abuf_flush_locked(b);
			pthread_mutex_unlock(&b->mu);
		}
	}
	pthread_mutex_unlock(&abuf_mu);
	return NULL;
}

void apic__log_start(void)
{
	pthread_mutex_lock(&abuf_mu);
	abuf_gen++;
	abuf_stop = false;
	abuf_running = pthread_create(&abuf_thread, NULL, flusher, NULL) == 0;
	pthread_mutex_unlock(&abuf_mu);
}

void apic__log_stop(void)
{
	pthread_mutex_lock(&abuf_mu);
	bool running = abuf_running;
	abuf_stop = true;
	abuf_running = false;
	pthread_cond_signal(&abuf_cond);
	pthread_mutex_unlock(&abuf_mu);
	if (running)
		pthread_join(abuf_thread, NULL);
	/* The workers are gone: write out and free every buffer. */
	pthread_mutex_lock(&abuf_mu);
	while (abuf_all) {
		struct abuf *b = abuf_all;
		abuf_all = b->next;
		abuf_flush_locked(b);
		pthread_mutex_destroy(&b->mu);
		free(b);
	}
	abuf_gen++;
	pthread_mutex_unlock(&abuf_mu);
}

/* Appends a line to this thread's buffer; false when not buffering. */
static bool abuf_put(const char *line, size_t len)
{
	if (my_abuf == NULL || my_gen != __atomic_load_n(&abuf_gen, __ATOMIC_ACQUIRE)) {
		my_abuf = NULL;
		pthread_mutex_lock(&abuf_mu);
		if (abuf_running) {
			struct abuf *b = malloc(sizeof *b);
			if (b != NULL) {
				pthread_mutex_init(&b->mu, NULL);
				b->len = 0;
				b->next = abuf_all;
				abuf_all = b;
				my_abuf = b;
				my_gen = abuf_gen;
			}
		}
		pthread_mutex_unlock(&abuf_mu);
		if (my_abuf == NULL)
			return false;
	}
	struct abuf *b = my_abuf;
	pthread_mutex_lock(&b->mu);
	if (b->len + len > sizeof b->data)
		abuf_flush_locked(b);
	memcpy(b->data + b->len, line, len);
	b->len += len;
	pthread_mutex_unlock(&b->mu);
	return true;
}

static __attribute__((format(printf, 4, 0))) void
vlog(const struct apic_server *srv, const char *level, const char *id, const char *fmt, va_list ap)
{
	char msg[1024], line[2048], ts[40];
	vsnprintf(msg, sizeof msg, fmt, ap);
	timestamp(ts, sizeof ts);
	size_t n;
	if (srv != NULL && srv->log_format == APIC__LOG_JSON) {
		n = (size_t)snprintf(line, sizeof line, "{\"ts\":\"%s\",\"level\":\"%s\",", ts, level);
		if (id != NULL)
			n += (size_t)snprintf(line + n, sizeof line - n, "\"request_id\":\"%s\",", id);
		n += (size_t)snprintf(line + n, sizeof line - n, "\"msg\":\"");
		n += put_clean(line + n, sizeof line - n - 4, msg, strlen(msg), sizeof msg, true);
		n += (size_t)snprintf(line + n, sizeof line - n, "\"}");
	} else {
		n = (size_t)snprintf(line, sizeof line, "%s apic %s: ", ts, level);
		if (id != NULL)
			n += (size_t)snprintf(line + n, sizeof line - n, "[%s] ", id);
		n += (size_t)snprintf(line + n, sizeof line - n, "%s", msg);
	}
	emit(line, n, sizeof line);
}

/* Lines that clients can trigger (handler messages, libmicrohttpd's
 * complaints about connections) are limited to RATE_MAX per second for the
 * whole process; the number dropped is reported in the next second. */
#define RATE_MAX 10
static atomic_llong rate_second = -1;
static atomic_uint rate_count, rate_dropped;

static bool rate_ok(const struct apic_server *srv)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	long long now = (long long)ts.tv_sec, sec = atomic_load(&rate_second);
	if (sec != now && atomic_compare_exchange_strong(&rate_second, &sec, now)) {
		atomic_store(&rate_count, 0);
		unsigned dropped = atomic_exchange(&rate_dropped, 0);
		if (dropped)
			apic__log(srv, "warning", "%u log lines suppressed (more than %d per second)",
				  dropped, RATE_MAX);
	}
	if (atomic_fetch_add(&rate_count, 1) < RATE_MAX)
		return true;
	atomic_fetch_add(&rate_dropped, 1);
	return false;
}

void apic__log_limited(const struct apic_server *srv, const char *level, const char *fmt, ...)
{
	if (!rate_ok(srv))
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(srv, level, NULL, fmt, ap);
	va_end(ap);
}

void apic__log(const struct apic_server *srv, const char *level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(srv, level, NULL, fmt, ap);
	va_end(ap);
}

void apic_ctx_log(struct apic_ctx *ctx, const char *fmt, ...)
{
	if (!rate_ok(ctx->srv))
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(ctx->srv, "info", ctx->request_id[0] ? ctx->request_id : NULL, fmt, ap);
	va_end(ap);
}

void apic__access_log(const struct apic_ctx *ctx, size_t bytes)
{
	const struct apic_server *srv = ctx->srv;
	if (!srv->access_log)
		return;
	char line[1024], ts[40];
	uint64_t us = apic__ctx_elapsed_us(ctx);
	/* apic_ctx_peer() only fills the context's cache of the address. */
	const char *peer = apic_ctx_peer((struct apic_ctx *)ctx);
	timestamp(ts, sizeof ts);
	size_t n;
	bool json = srv->log_format == APIC__LOG_JSON;
	if (json)
		n = (size_t)snprintf(line, sizeof line, "{\"ts\":\"%s\",\"method\":\"", ts);
	else {
		/* The default format is built by hand: snprintf cost more than
		 * the rest of the line. Every part is bounded (timestamp 24,
		 * peer 47, method 16, path 256, id 128 bytes), well within line. */
		n = put_s(line, ts);
		line[n++] = ' ';
		n += put_s(line + n, peer);
		line[n++] = ' ';
	}
	n += put_clean(line + n, sizeof line - n, ctx->method, strlen(ctx->method), 16, json);
	if (json)
		n += put_s(line + n, "\",\"path\":\"");
	else
		line[n++] = ' ';
	n += put_clean(line + n, sizeof line - n, ctx->path, ctx->path_len, 256, json);
	if (json) {
		n += (size_t)snprintf(line + n, sizeof line - n,
				      "\",\"status\":%d,\"bytes\":%zu,\"duration_us\":%llu,"
				      "\"request_id\":\"%s\",\"peer\":\"%s\"}",
				      ctx->status, bytes, (unsigned long long)us, ctx->request_id, peer);
	} else {
		line[n++] = ' ';
		n += put_u(line + n, (uint64_t)(ctx->status > 0 ? ctx->status : 0), 1);
		line[n++] = ' ';
		n += put_u(line + n, bytes, 1);
		line[n++] = ' ';
		n += put_u(line + n, us / 1000, 1);
		line[n++] = '.';
		n += put_u(line + n, us % 1000, 3);
		n += put_s(line + n, "ms id=");
		n += put_s(line + n, ctx->request_id);
	}
	if (n >= sizeof line)
		n = sizeof line - 1;
	line[n++] = '\n';
	if (!abuf_put(line, n))
		put_all(line, n);
}

/* The client's X-Request-Id when it is 1..128 visible ASCII characters,
 * else a fresh one: a per-process random salt and a counter. */
void apic__request_id(struct apic_ctx *ctx)
{
	const struct apic__hdr *h = apic__req_find_header(ctx, "X-Request-Id");
	if (h != NULL && h->vlen >= 1 && h->vlen <= APIC__MAX_REQUEST_ID) {
		bool sane = true;
		for (size_t i = 0; i < h->vlen && sane; i++)
			sane = h->value[i] > 0x20 && h->value[i] < 0x7f;
		if (sane) {
			memcpy(ctx->request_id, h->value, h->vlen);
			ctx->request_id[h->vlen] = '\0';
			return;
		}
	}
	/* 8 hex digits of salt, then the counter in at least 8 (as "%08x%08llx",
	 * without snprintf's cost). */
	static const char hex[] = "0123456789abcdef";
	uint64_t id = atomic_fetch_add_explicit(&ctx->srv->next_id, 1, memory_order_relaxed);
	char *p = ctx->request_id;
	for (int i = 7; i >= 0; i--)
		*p++ = hex[(ctx->srv->id_salt >> (4 * i)) & 0xf];
	int digits = 8;
	while (digits < 16 && (id >> (4 * digits)) != 0)
		digits++;
	for (int i = digits - 1; i >= 0; i--)
		*p++ = hex[(id >> (4 * i)) & 0xf];
	*p = '\0';
}
