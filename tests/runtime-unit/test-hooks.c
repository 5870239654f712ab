/* Hooks and request accessors (hooks.c, reqinfo.c) on the hand-written
 * API: before hooks in order, one answering 429, one failing; after hooks
 * with status and duration, also for a 404; state per worker thread given
 * back at the end; start and stop hooks around a real server on loopback,
 * whose client address comes from X-Forwarded-For only behind a
 * --trusted-proxy. */
#include "../http/handapi.h"
#include "apic_test.h"
#include "tap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char order[16];
static char seen[256];
static int after_status[8], nafter;
static uint64_t after_us;
static char after_peer[64];
static int inits, finis;

static int before_a(struct apic_ctx *ctx, void *cls)
{
	(void)cls;
	strcat(order, "a");
	struct apic_str p = apic_ctx_path(ctx);
	snprintf(seen, sizeof seen, "%s %.*s %s %s", apic_ctx_method(ctx), (int)p.len, p.ptr,
		 apic_ctx_route(ctx), apic_ctx_operation(ctx));
	int *state = apic_ctx_thread_data(ctx);
	if (state)
		(*state)++;
	return 0;
}

static int before_b(struct apic_ctx *ctx, void *cls)
{
	(void)cls;
	strcat(order, "b");
	if (apic_ctx_header(ctx, "X-Deny"))
		return apic_ctx_reply_error(ctx, 429, "slow down");
	if (apic_ctx_header(ctx, "X-Break"))
		return -1;
	return 0;
}

static void after(struct apic_ctx *ctx, int status, uint64_t us, void *cls)
{
	(void)cls;
	if (nafter < 8)
		after_status[nafter++] = status;
	after_us = us;
	snprintf(after_peer, sizeof after_peer, "%s", apic_ctx_peer(ctx));
}

static void *thread_init(void *cls)
{
	(void)cls;
	inits++;
	return calloc(1, sizeof(int));
}

static void thread_fini(void *state, void *cls)
{
	(void)cls;
	finis++;
	free(state);
}

static int starts, stops;
static int on_start(struct apic_server *srv, void *cls)
{
	(void)srv;
	starts++;
	return cls != NULL ? -1 : 0;
}

static void on_stop(struct apic_server *srv, void *cls)
{
	(void)srv;
	(void)cls;
	stops++;
}

static void in_process(void)
{
	struct apic_tester *t = apic_tester_new(&handapi_api);
	struct apic_server *srv = apic_tester_server(t);
	ok(handapi_setup(srv) == 0, "tester set up");
	ok(apic_server_add_before(srv, before_a, NULL) == 0 && apic_server_add_before(srv, before_b, NULL) == 0 &&
		   apic_server_add_after(srv, after, NULL) == 0,
	   "hooks added");
	ok(apic_server_on_thread(srv, thread_init, thread_fini, NULL) == 0, "a thread hook");
	ok(apic_server_on_thread(srv, thread_init, thread_fini, NULL) == -1, "only one");
	struct apic_test_response r;

	apic_tester_call(t, "GET", "/api/pets/7?x=1", NULL, NULL, &r);
	is_int(r.status, 200, "a request goes through both before hooks");
	is_str(order, "ab", "in the order they were added");
	is_str(seen, "GET /api/pets/7 /pets/{petId} getPet", "method, path, route and operation");
	apic_test_response_free(&r);

	static const char *const deny[] = { "X-Deny", "1", NULL };
	apic_tester_call(t, "GET", "/api/pets/7", deny, NULL, &r);
	is_int(r.status, 429, "a before hook answers 429");
	ok(r.body && strstr(r.body, "slow down"), "with its message");
	apic_test_response_free(&r);

	static const char *const brk[] = { "X-Break", "1", NULL };
	apic_tester_call(t, "GET", "/api/pets/7", brk, NULL, &r);
	is_int(r.status, 500, "a before hook that fails without a reply: 500");
	apic_test_response_free(&r);

	order[0] = '\0';
	apic_tester_call(t, "GET", "/api/nowhere", NULL, NULL, &r);
	is_int(r.status, 404, "an unknown path");
	is_str(order, "", "runs no before hook");
	apic_test_response_free(&r);
	is_int(nafter, 4, "after hooks ran for each of the four requests");
	ok(after_status[0] == 200 && after_status[1] == 429 && after_status[2] == 500 && after_status[3] == 404,
	   "with the status sent");
	ok(after_us < 60000000, "and a duration");
	is_str(after_peer, "-", "the test client has no peer address");
	is_int(inits, 1, "one thread state, made on first use");
	apic_tester_free(t);
	is_int(finis, 1, "given back when the server is freed");
}

/* ---- a real server ---------------------------------------------------------- */

static void *run(void *p)
{
	struct apic_server *srv = p;
	static int rc;
	rc = apic_server_run(srv);
	return &rc;
}

static int get(unsigned port, const char *extra)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	char req[512], buf[512] = "";
	snprintf(req, sizeof req, "GET /api/pets/2 HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n", extra);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || write(fd, req, strlen(req)) < 0) {
		close(fd);
		return -1;
	}
	struct pollfd pf = { fd, POLLIN, 0 };
	ssize_t n = poll(&pf, 1, 5000) == 1 ? read(fd, buf, sizeof buf - 1) : -1;
	close(fd);
	return n > 12 ? atoi(buf + 9) : -1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void real_server(void)
{
	struct apic_server *srv = apic_server_new(&handapi_api);
	char *argv[] = { "t", "--port", "0", "--threads", "2", "--no-access-log", "--trusted-proxy",
			 "10.0.0.0/8, 127.0.0.1", NULL };
	ok(srv && handapi_setup(srv) == 0 && apic_server_parse_args(srv, 8, argv) == 0, "server set up");
	apic_server_on_start(srv, on_start, NULL);
	apic_server_on_stop(srv, on_stop, NULL);
	apic_server_add_after(srv, after, NULL);
	apic_server_on_thread(srv, thread_init, thread_fini, NULL);
	apic_server_add_before(srv, before_a, NULL);
	inits = finis = 0;
	pthread_t th;
	pthread_create(&th, NULL, run, srv);
	for (int i = 0; i < 200 && apic_server_port(srv) == 0; i++)
		sleep_ms(10);
	unsigned port = apic_server_port(srv);
	ok(port != 0 && starts == 1, "the start hook ran and the server listens");
	is_int(get(port, ""), 200, "a request");
	sleep_ms(50);
	is_str(after_peer, "127.0.0.1", "the peer address");
	get(port, "X-Forwarded-For: 198.51.100.9, 203.0.113.7, 10.1.2.3\r\n");
	sleep_ms(50);
	is_str(after_peer, "203.0.113.7", "behind trusted proxies: the rightmost untrusted X-Forwarded-For address");
	get(port, "X-Forwarded-For: not-an-address\r\n");
	sleep_ms(50);
	is_str(after_peer, "127.0.0.1", "a malformed X-Forwarded-For is not believed");
	/* A proxy may add its own line (HAProxy does) after the client's. */
	get(port, "X-Forwarded-For: 203.0.113.66\r\nX-Forwarded-For: 198.51.100.20, 10.1.2.3\r\n");
	sleep_ms(50);
	is_str(after_peer, "198.51.100.20", "two X-Forwarded-For lines are one list: the client's forged line does not count");
	get(port, "X-Forwarded-For: 198.51.100.21\r\nX-Forwarded-For: 10.1.2.3\r\n");
	sleep_ms(50);
	is_str(after_peer, "198.51.100.21", "a line of trusted proxies only: the line before");
	kill(getpid(), SIGTERM);
	void *rc;
	pthread_join(th, &rc);
	is_int(*(int *)rc, 0, "apic_server_run returns 0 after SIGTERM");
	is_int(stops, 1, "the stop hook ran");
	ok(inits >= 1 && finis == inits, "every worker's state was given back (%d made)", inits);
	apic_server_free(srv);

	/* Without --trusted-proxy the header is the client's to forge. */
	srv = apic_server_new(&handapi_api);
	char *argv2[] = { "t", "--port", "0", "--threads", "1", "--no-access-log", NULL };
	apic_server_parse_args(srv, 6, argv2);
	apic_server_add_after(srv, after, NULL);
	pthread_create(&th, NULL, run, srv);
	for (int i = 0; i < 200 && apic_server_port(srv) == 0; i++)
		sleep_ms(10);
	get(apic_server_port(srv), "X-Forwarded-For: 203.0.113.7\r\n");
	sleep_ms(50);
	is_str(after_peer, "127.0.0.1", "no trusted proxy: X-Forwarded-For is ignored");
	kill(getpid(), SIGTERM);
	pthread_join(th, &rc);
	apic_server_free(srv);

	/* A failing start hook: no server. */
	srv = apic_server_new(&handapi_api);
	apic_server_parse_args(srv, 6, argv2);
	apic_server_on_start(srv, on_start, (void *)1);
	apic_server_on_stop(srv, on_stop, NULL);
	is_int(apic_server_run(srv), 1, "a failing start hook: apic_server_run returns 1");
	is_int(stops, 2, "the stop hooks still run");
	apic_server_free(srv);
}

int main(void)
{
	in_process();
	real_server();
	return tap_done();
}
