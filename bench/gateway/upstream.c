/* bench/gateway/upstream.c: the upstream stub of the gateway benchmark.
 *
 * One libmicrohttpd server that plays both upstreams of the dashboard
 * gateway (examples/gateway), with the JSON shapes of the real ones
 * (schemas/petstore.apic, schemas/conduit.apic):
 *
 *   GET /v1/pets?limit=N      the pet store's listPets: [Pet], X-Total-Count;
 *                             needs "Authorization: Bearer TOKEN"
 *   GET /api/articles?limit=N Conduit's GetArticles: {"articles":[...],
 *                             "articlesCount":N}; needs "Authorization: Token JWT"
 *   GET /api/tags             Conduit's GetTags: {"tags":[...]}; no credentials
 *   GET /stats                this stub's counters, JSON (not delayed)
 *
 * Every answer of the three upstream paths, errors included, goes out
 * --delay-ms after the request arrived (default 20) without holding a
 * thread: the connection is suspended (MHD_suspend_connection) and a timer
 * thread resumes it when it is due (on the next 1 ms tick). All requests
 * wait the same time, so the queue of waiting requests is a FIFO ordered
 * by due time. The bodies are
 * built once at start (one per limit, 1..100) and the same MHD_Response is
 * queued again and again.
 *
 * A missing or wrong credential answers 401 (problem details for the pet
 * store, Conduit's {"errors":{"body":[...]}} for Conduit), so a benchmark
 * whose gateway forgot them sees errors, and /stats counts them. A limit
 * outside 1..100 answers 422. For the gateway's failure tests:
 * --off-contract makes the pets and articles answers break their schema
 * (a pet without a name, an article whose favoritesCount is a string), and
 * --status N makes every authorised answer of the three paths status N
 * with an error body.
 *
 *   upstream [--port N] [--delay-ms MS] [--threads N] [--token T] [--jwt J]
 *            [--off-contract] [--status N]
 *
 * --port 0 (the default) lets the kernel pick; the port is printed as
 * "listening PORT" on standard output once the server accepts. Listens on
 * 127.0.0.1 only. Stops on SIGTERM or SIGINT.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_LIMIT 100
#define DEFAULT_LIMIT 20

/* One request: the state MHD keeps for us between calls of the handler. */
struct req {
	struct MHD_Connection *conn;
	struct MHD_Response *resp; /* to queue once resumed (borrowed) */
	unsigned status;
	int64_t due_ns;            /* CLOCK_MONOTONIC */
	atomic_int ready;          /* set by the timer thread before it resumes */
	bool waiting;              /* suspended, in the queue or resumed */
	struct req *next;
};

enum counter { C_PETS, C_ARTICLES, C_TAGS, C_UNAUTHORIZED, C_BAD_REQUEST, C_NOT_FOUND, C_N };
static const char *const counter_names[C_N] = {
	"pets", "articles", "tags", "unauthorized", "bad_request", "not_found",
};
static atomic_ullong counters[C_N];

static struct {
	int64_t delay_ns;
	const char *token, *jwt;
	bool off_contract;
	unsigned status; /* 0: 200 */
} opt = { 20 * 1000000LL, "bench-petstore-token", "bench.conduit.jwt", false, 0 };

/* The prepared answers. */
static struct MHD_Response *pets_resp[MAX_LIMIT + 1], *articles_resp[MAX_LIMIT + 1];
static struct MHD_Response *tags_resp, *pets_401, *conduit_401, *pets_422, *conduit_422;
static struct MHD_Response *pets_status, *conduit_status, *not_found, *not_get;

/* The timer queue: FIFO, as every request waits the same delay. */
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond;
static struct req *q_head, *q_tail;

static void die(const char *msg)
{
	fprintf(stderr, "upstream: %s\n", msg);
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- building the bodies */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			die("vsnprintf failed");
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			die("out of memory");
		b->p = p;
		b->cap = cap;
	}
}

static struct MHD_Response *json_response(struct buf *b, const char *type)
{
	/* MUST_FREE: MHD owns the buffer (the response lives until exit). */
	struct MHD_Response *r = MHD_create_response_from_buffer(b->len, b->p, MHD_RESPMEM_MUST_FREE);
	if (!r || MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) != MHD_YES)
		die("cannot create a response");
	b->p = NULL;
	b->len = b->cap = 0;
	return r;
}

static const char *const pet_tags[] = { "dog", "cat", "bird", "fish" };
static const char *const statuses[] = { "available", "pending", "sold" };
static const char *const all_tags[] = {
	"dragons", "training", "welcome", "implementations", "codebaseShow",
	"introduction", "javascript", "c", "http", "apis",
};
#define N_TAGS (sizeof all_tags / sizeof all_tags[0])

static struct MHD_Response *make_pets(int n)
{
	struct buf b = { 0 };
	buf_printf(&b, "[");
	for (int i = 1; i <= n; i++) {
		if (opt.off_contract && i == 1) /* no name, an unknown status */
			buf_printf(&b, "{\"id\":1,\"status\":\"lost\"}");
		else
			buf_printf(&b, "%s{\"id\":%d,\"name\":\"Pet %d\",\"tag\":\"%s\",\"status\":\"%s\"}",
				   i > 1 ? "," : "", i, i, pet_tags[i % 4], statuses[i % 3]);
	}
	buf_printf(&b, "]");
	struct MHD_Response *r = json_response(&b, "application/json");
	if (MHD_add_response_header(r, "X-Total-Count", "1000") != MHD_YES)
		die("cannot add a header");
	return r;
}

static struct MHD_Response *make_articles(int n)
{
	struct buf b = { 0 };
	buf_printf(&b, "{\"articles\":[");
	for (int i = 1; i <= n; i++) {
		/* Newest first: article i was written i minutes before 12:00. */
		int t = 12 * 60 - i, hour = t / 60, min = t % 60;
		buf_printf(&b,
			   "%s{\"slug\":\"article-%d\",\"title\":\"Article %d\","
			   "\"description\":\"What article %d is about\","
			   "\"tagList\":[\"%s\",\"%s\"],"
			   "\"createdAt\":\"2026-01-15T%02d:%02d:00.000Z\","
			   "\"updatedAt\":\"2026-01-15T%02d:%02d:00.000Z\","
			   "\"favorited\":false,\"favoritesCount\":",
			   i > 1 ? "," : "", i, i, i, all_tags[i % N_TAGS], all_tags[(i + 3) % N_TAGS],
			   hour, min, hour, min);
		if (opt.off_contract && i == 1)
			buf_printf(&b, "\"many\"");
		else
			buf_printf(&b, "%d", i * 7 % 50);
		buf_printf(&b,
			   ",\"author\":{\"username\":\"author%d\",\"bio\":\"\",\"image\":"
			   "\"https://api.realworld.io/images/smiley-cyrus.jpeg\",\"following\":false}}",
			   i % 5);
	}
	buf_printf(&b, "],\"articlesCount\":500}");
	return json_response(&b, "application/json");
}

static struct MHD_Response *make_tags(void)
{
	struct buf b = { 0 };
	buf_printf(&b, "{\"tags\":[");
	for (size_t i = 0; i < N_TAGS; i++)
		buf_printf(&b, "%s\"%s\"", i ? "," : "", all_tags[i]);
	buf_printf(&b, "]}");
	return json_response(&b, "application/json");
}

static struct MHD_Response *make_problem(unsigned status, const char *title, const char *detail)
{
	struct buf b = { 0 };
	buf_printf(&b, "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%u,\"detail\":\"%s\"}",
		   title, status, detail);
	return json_response(&b, "application/problem+json");
}

static struct MHD_Response *make_conduit_error(const char *msg)
{
	struct buf b = { 0 };
	buf_printf(&b, "{\"errors\":{\"body\":[\"%s\"]}}", msg);
	return json_response(&b, "application/json");
}

static void prepare(void)
{
	for (int n = 1; n <= MAX_LIMIT; n++) {
		pets_resp[n] = make_pets(n);
		articles_resp[n] = make_articles(n);
	}
	tags_resp = make_tags();
	pets_401 = make_problem(401, "Unauthorized", "missing or wrong bearer token");
	if (MHD_add_response_header(pets_401, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer") != MHD_YES)
		die("cannot add a header");
	conduit_401 = make_conduit_error("missing or wrong token");
	pets_422 = make_problem(422, "Unprocessable Content", "limit must be an integer from 1 to 100");
	conduit_422 = make_conduit_error("limit must be an integer from 1 to 100");
	pets_status = make_problem(opt.status ? opt.status : 500, "Upstream stub failure", "as --status asked");
	conduit_status = make_conduit_error("as --status asked");
	not_found = make_problem(404, "Not Found", "no such path in the upstream stub");
	not_get = make_problem(405, "Method Not Allowed", "only GET");
}

/* ---- the timer thread */

/* The timer thread wakes on 1 ms ticks and resumes every request due by
 * then: at most 1,000 passes a second, however many requests, since each
 * resume costs libmicrohttpd a wake-up of the daemon's thread and a walk
 * of its suspended connections. An answer is thus 0 to 1 ms late. */
#define TICK_NS 1000000LL

static void *timer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&q_lock);
	for (;;) {
		while (!q_head)
			pthread_cond_wait(&q_cond, &q_lock);
		int64_t tick = (q_head->due_ns + TICK_NS - 1) / TICK_NS * TICK_NS;
		if (tick > now_ns()) {
			struct timespec ts = { (time_t)(tick / 1000000000LL), (long)(tick % 1000000000LL) };
			pthread_cond_timedwait(&q_cond, &q_lock, &ts);
			continue;
		}
		/* Take every request due by this tick off the queue, resume them
		 * unlocked. */
		struct req *due = q_head, *last = q_head;
		while (last->next && last->next->due_ns <= tick)
			last = last->next;
		q_head = last->next;
		if (!q_head)
			q_tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&q_lock);
		for (struct req *r = due, *next; r; r = next) {
			next = r->next; /* r may be freed once resumed */
			atomic_store(&r->ready, 1);
			MHD_resume_connection(r->conn);
		}
		pthread_mutex_lock(&q_lock);
	}
	return NULL;
}

/* ---- the handler */

static int parse_limit(struct MHD_Connection *conn)
{
	const char *s = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "limit");
	if (!s)
		return DEFAULT_LIMIT;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > MAX_LIMIT)
		return -1;
	return (int)v;
}

static bool has_credential(struct MHD_Connection *conn, const char *scheme, const char *secret)
{
	const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	size_t n = strlen(scheme);
	return h && strncmp(h, scheme, n) == 0 && h[n] == ' ' && strcmp(h + n + 1, secret) == 0;
}

/* Chooses the answer of a request to one of the three paths. */
static void route(struct req *r, const char *url)
{
	struct MHD_Connection *conn = r->conn;
	int limit;
	if (strcmp(url, "/v1/pets") == 0) {
		if (!has_credential(conn, "Bearer", opt.token)) {
			atomic_fetch_add(&counters[C_UNAUTHORIZED], 1);
			r->resp = pets_401, r->status = 401;
		} else if ((limit = parse_limit(conn)) < 0) {
			atomic_fetch_add(&counters[C_BAD_REQUEST], 1);
			r->resp = pets_422, r->status = 422;
		} else {
			atomic_fetch_add(&counters[C_PETS], 1);
			if (opt.status)
				r->resp = pets_status, r->status = opt.status;
			else
				r->resp = pets_resp[limit], r->status = 200;
		}
	} else if (strcmp(url, "/api/articles") == 0) {
		if (!has_credential(conn, "Token", opt.jwt)) {
			atomic_fetch_add(&counters[C_UNAUTHORIZED], 1);
			r->resp = conduit_401, r->status = 401;
		} else if ((limit = parse_limit(conn)) < 0) {
			atomic_fetch_add(&counters[C_BAD_REQUEST], 1);
			r->resp = conduit_422, r->status = 422;
		} else {
			atomic_fetch_add(&counters[C_ARTICLES], 1);
			if (opt.status)
				r->resp = conduit_status, r->status = opt.status;
			else
				r->resp = articles_resp[limit], r->status = 200;
		}
	} else {
		atomic_fetch_add(&counters[C_TAGS], 1);
		if (opt.status)
			r->resp = conduit_status, r->status = opt.status;
		else
			r->resp = tags_resp, r->status = 200;
	}
}

static enum MHD_Result answer_stats(struct MHD_Connection *conn)
{
	char body[512];
	size_t len = 0;
	len += (size_t)snprintf(body + len, sizeof body - len, "{");
	for (int i = 0; i < C_N; i++)
		len += (size_t)snprintf(body + len, sizeof body - len, "%s\"%s\":%llu", i ? "," : "",
					counter_names[i], atomic_load(&counters[i]));
	len += (size_t)snprintf(body + len, sizeof body - len, "}");
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	enum MHD_Result ret = MHD_queue_response(conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	(void)cls, (void)version, (void)upload_data;
	struct req *r = *req_cls;
	if (!r) { /* the headers are in: a body may follow */
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		r->conn = conn;
		*req_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size) { /* a body: ignored */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->waiting) { /* resumed by the timer thread */
		if (!atomic_load(&r->ready))
			return MHD_YES;
		return MHD_queue_response(conn, r->status, r->resp);
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0)
		return MHD_queue_response(conn, 405, not_get);
	if (strcmp(url, "/stats") == 0)
		return answer_stats(conn);
	if (strcmp(url, "/v1/pets") != 0 && strcmp(url, "/api/articles") != 0 &&
	    strcmp(url, "/api/tags") != 0) {
		atomic_fetch_add(&counters[C_NOT_FOUND], 1);
		return MHD_queue_response(conn, 404, not_found);
	}
	route(r, url);
	r->waiting = true;
	/* Suspended before it is queued, so the timer thread can never resume
	 * a connection that is not suspended yet. */
	MHD_suspend_connection(conn);
	pthread_mutex_lock(&q_lock);
	r->due_ns = now_ns() + opt.delay_ns;
	if (q_tail) { /* the timer waits for an earlier request already */
		q_tail->next = r;
	} else {
		q_head = r;
		pthread_cond_signal(&q_cond);
	}
	q_tail = r;
	pthread_mutex_unlock(&q_lock);
	return MHD_YES;
}

static void completed(void *cls, struct MHD_Connection *conn, void **req_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	free(*req_cls);
	*req_cls = NULL;
}

/* ---- main */

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: upstream [--port N] [--delay-ms MS] [--threads N] [--token T] [--jwt J]\n"
		"                [--off-contract] [--status N]\n"
		"  --port N        port on 127.0.0.1 (default 0: the kernel picks; printed)\n"
		"  --delay-ms MS   every upstream answer waits MS ms (default 20)\n"
		"  --threads N     libmicrohttpd threads (default 2)\n"
		"  --token T       the pet store's bearer token (default bench-petstore-token)\n"
		"  --jwt J         the Conduit account's JWT (default bench.conduit.jwt)\n"
		"  --off-contract  pets and articles answers that break their schema\n"
		"  --status N      every authorised upstream answer has status N (an error body)\n");
	exit(status);
}

static long num_arg(const char *name, const char *s, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "upstream: %s wants an integer from %ld to %ld, not '%s'\n", name, min, max, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long port = 0, threads = 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage(0);
		else if (strcmp(a, "--off-contract") == 0)
			opt.off_contract = true;
		else if (!v)
			usage(2);
		else if (strcmp(a, "--port") == 0)
			port = num_arg(a, v, 0, 65535), i++;
		else if (strcmp(a, "--delay-ms") == 0)
			opt.delay_ns = num_arg(a, v, 0, 600000) * 1000000LL, i++;
		else if (strcmp(a, "--threads") == 0)
			threads = num_arg(a, v, 1, 64), i++;
		else if (strcmp(a, "--token") == 0)
			opt.token = v, i++;
		else if (strcmp(a, "--jwt") == 0)
			opt.jwt = v, i++;
		else if (strcmp(a, "--status") == 0)
			opt.status = (unsigned)num_arg(a, v, 100, 599), i++;
		else
			usage(2);
	}
	prepare();

	/* Signals are taken by sigwait below: blocked in every thread. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q_cond, &ca);
	pthread_t timer;
	if (pthread_create(&timer, NULL, timer_main, NULL) != 0)
		die("cannot start the timer thread");

	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_TURBO | MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)20000,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)4096,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_END);
	if (!d)
		die("cannot start the server (is the port free?)");
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening %u\n", info ? (unsigned)info->port : (unsigned)port);
	fflush(stdout);

	int sig;
	sigwait(&sigs, &sig);
	/* The bench is over: exit without waiting for suspended requests (MHD
	 * may not be stopped while connections are suspended). */
	fprintf(stderr, "upstream: stopping on signal %d\n", sig);
	_exit(0);
}
