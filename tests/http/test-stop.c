/* The graceful stop and the descriptor limit, on real servers
 * (tests/http/test-server) on loopback:
 * - keep-alive clients sending requests back to back while SIGTERM
 *   arrives: every request the server received is answered (the last
 *   answer says Connection: close), none is cut off by the end of the stop;
 * - idle keep-alive connections are closed at once, the stop does not
 *   wait for them;
 * - two servers on one port (--reuse-port): the one stopping leaves the
 *   port at once, new connections all reach the other one;
 * - started under `ulimit -n 64` with --max-connections 1024: the limit is
 *   lowered (and logged) so a flood of connections neither takes the
 *   descriptors a handler needs nor makes the server spin. */
#include "../runtime-unit/tap.h"
#include "proc.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Reads one response (head + Content-Length body) from fd within wait_ms.
 * 1: a response (*close: it said Connection: close), 0: the connection
 * ended before any byte of it, -1: a broken or missing response. */
static int last_status; /* of the last response read_response() read */

static int read_response(int fd, int wait_ms, bool *close_after)
{
	char buf[8192];
	size_t got = 0;
	*close_after = false;
	for (;;) {
		buf[got] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (end) {
			const char *cl = strcasestr(buf, "\r\nContent-Length:");
			size_t need = (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
			if (got >= need) {
				*close_after = strcasestr(buf, "\r\nConnection: close") != NULL;
				last_status = atoi(buf + 9);
				return strncmp(buf, "HTTP/1.1 ", 9) == 0 ? 1 : -1;
			}
		}
		struct pollfd p = { fd, POLLIN, 0 };
		if (got + 1 >= sizeof buf || poll(&p, 1, wait_ms) <= 0)
			return -1;
		ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
		if (n <= 0)
			return got == 0 ? 0 : -1;
		got += (size_t)n;
	}
}

static bool send_all(int fd, const char *s)
{
	size_t len = strlen(s);
	return write(fd, s, len) == (ssize_t)len;
}

static const char post[] = "POST /api/pets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			   "Content-Length: 27\r\n\r\n{\"name\":\"rex\",\"tags\":[\"a\"]}";
static const char get_close[] = "GET /api/pets/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

/* ---- keep-alive clients during the stop --------------------------------------- */

struct client {
	unsigned port;
	int answered;   /* responses read */
	int cut;        /* a request sent after a keep-alive answer, no answer */
	bool told;      /* the last answer said Connection: close */
	int stranded;   /* a new connection after that: accepted, never answered */
};

static void *keepalive_client(void *p)
{
	struct client *c = p;
	int fd = dial(c->port);
	if (fd < 0)
		return NULL;
	for (int i = 0; i < 100000; i++) {
		if (!send_all(fd, post)) {
			c->cut++;
			break;
		}
		bool close_after;
		int r = read_response(fd, 15000, &close_after);
		if (r != 1) {
			c->cut++;
			break;
		}
		c->answered++;
		if (close_after) {
			c->told = true;
			break;
		}
	}
	close(fd);
	/* As a client's connection pool would: a new connection for the next
	 * request. It must be refused, or answered; never left in a backlog. */
	if (c->told && (fd = dial(c->port)) >= 0) {
		bool close_after;
		c->stranded += !send_all(fd, post) || read_response(fd, 15000, &close_after) != 1;
		close(fd);
	}
	return NULL;
}

static void test_keepalive_stop(void)
{
	struct server s;
	const char *args[] = { "--port", "0", "--threads", "2", "--no-access-log", "--shutdown-timeout", "20",
			       "--per-ip-connections", "0", NULL };
	if (!ok(start_server(&s, "stop-keepalive", NULL, args, 10), "keep-alive stop: server starts"))
		return;
	enum { N = 64 };
	struct client cl[N];
	pthread_t th[N];
	for (int i = 0; i < N; i++) {
		cl[i] = (struct client){ .port = s.port };
		pthread_create(&th[i], NULL, keepalive_client, &cl[i]);
	}
	sleep_ms(300);
	int rc = stop_server(&s, 30);
	int answered = 0, cut = 0, told = 0, stranded = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		answered += cl[i].answered;
		cut += cl[i].cut;
		told += cl[i].told;
		stranded += cl[i].stranded;
	}
	printf("# %d requests answered, %d cut off, %d of %d clients told Connection: close, "
	       "%d stranded on a new connection\n",
	       answered, cut, told, N, stranded);
	ok(answered > N, "the clients were sending requests when the stop began");
	is_int(cut, 0, "no request sent after a keep-alive answer is left unanswered");
	is_int(told, N, "every client's last answer says Connection: close");
	is_int(stranded, 0, "a new connection after the stop began is refused, not left unanswered");
	is_int(rc, 0, "the server exits 0");
}

static void test_idle_stop(void)
{
	struct server s;
	const char *args[] = { "--port", "0", "--threads", "2", "--shutdown-timeout", "30", NULL };
	if (!ok(start_server(&s, "stop-idle", NULL, args, 10), "idle stop: server starts"))
		return;
	int fds[4];
	int answered = 0;
	for (int i = 0; i < 4; i++) {
		fds[i] = dial(s.port);
		bool close_after;
		answered += fds[i] >= 0 && send_all(fds[i], post) && read_response(fds[i], 5000, &close_after) == 1;
	}
	is_int(answered, 4, "four keep-alive connections, each answered once");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = stop_server(&s, 40);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int closed = 0;
	for (int i = 0; i < 4; i++) {
		bool close_after;
		closed += read_response(fds[i], 1000, &close_after) == 0;
		close(fds[i]);
	}
	is_int(closed, 4, "idle connections are closed by the stop, with no bytes sent");
	ok(t1.tv_sec - t0.tv_sec < 20, "the stop does not wait out --shutdown-timeout for idle connections");
	is_int(rc, 0, "the server exits 0");
}

/* ---- two servers on one port ------------------------------------------------- */

static void *slow_get(void *p)
{
	unsigned *port = p;
	int fd = dial(*port);
	bool close_after;
	int r = fd >= 0 && send_all(fd, "GET /api/slow?ms=4000 HTTP/1.1\r\nHost: x\r\n\r\n")
			? read_response(fd, 15000, &close_after)
			: -1;
	if (fd >= 0)
		close(fd);
	*port = r == 1 ? 200 : 0;
	return NULL;
}

static void test_reuse_port_stop(void)
{
	struct server a, b;
	/* No per-address limit: the 40 connections below all come from 127.0.0.1. */
	const char *args_a[] = { "--port", "0", "--threads", "2", "--reuse-port", "--per-ip-connections", "0", NULL };
	if (!ok(start_server(&a, "stop-reuse-a", NULL, args_a, 10), "reuse-port: first server starts"))
		return;
	/* A request the first server is still running when it is told to stop
	 * (only it listens yet). */
	unsigned slow_port = a.port;
	pthread_t th;
	pthread_create(&th, NULL, slow_get, &slow_port);
	sleep_ms(300);
	char port[16];
	snprintf(port, sizeof port, "%u", a.port);
	const char *args_b[] = { "--port", port, "--threads", "2", "--reuse-port", "--per-ip-connections", "0",
				 NULL };
	if (!ok(start_server(&b, "stop-reuse-b", NULL, args_b, 10), "a second server on the same port")) {
		stop_server(&a, 20);
		pthread_join(th, NULL);
		return;
	}
	kill(a.pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		char *log = slurp(a.log);
		bool stopping = log && strstr(log, "stopping");
		free(log);
		if (stopping)
			break;
		sleep_ms(20);
	}
	sleep_ms(100);
	/* 40 new connections while the first one drains: all reach the second. */
	enum { N = 40 };
	int fds[N], answered = 0;
	for (int i = 0; i < N; i++) {
		fds[i] = dial(a.port);
		if (fds[i] >= 0 && !send_all(fds[i], get_close)) {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	for (int i = 0; i < N; i++) {
		bool close_after;
		if (fds[i] < 0)
			continue;
		answered += read_response(fds[i], 1500, &close_after) == 1;
		close(fds[i]);
	}
	is_int(answered, N, "while one server drains, every new connection is answered by the other");
	pthread_join(th, NULL);
	is_int(slow_port, 200, "the draining server still answers the request it was running");
	/* it has its SIGTERM: a second one could meet the default action
	 * while the process exits (slowly, in the sanitizer build) */
	int rc = wait_server(&a, 20);
	is_int(rc, 0, "the first server exits 0");
	is_int(stop_server(&b, 20), 0, "the second server exits 0");
}

/* ---- a low descriptor limit --------------------------------------------------- */

/* CPU seconds (user + system) the process has used, from /proc. */
static double cpu_seconds(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	char *st = slurp(path);
	const char *p = st ? strrchr(st, ')') : NULL;
	double secs = -1;
	unsigned long ut, stime;
	/* fields 14 and 15, counted from the state (field 3) after the name */
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &stime) == 2)
		secs = (double)(ut + stime) / (double)sysconf(_SC_CLK_TCK);
	free(st);
	return secs;
}

static void test_fd_limit(void)
{
	struct server s;
	const char *wrap[] = { "/bin/sh", "-c", "ulimit -n 64 && exec \"$@\"", "sh", NULL };
	const char *args[] = { "--port", "0", "--threads", "2", "--max-connections", "1024",
			       "--per-ip-connections", "0", "--no-access-log", NULL };
	if (!ok(start_server(&s, "stop-fdlimit", wrap, args, 10), "ulimit -n 64: server starts"))
		return;
	char *log = slurp(s.log);
	ok(log && strstr(log, "descriptor limit (ulimit -n 64) allows") &&
		   strstr(log, "not --max-connections 1024"),
	   "the lowered connection limit is logged at start");
	free(log);
	/* One connection first, kept for a request once the flood holds every
	 * connection the server takes. */
	int first = dial(s.port);
	enum { N = 100 };
	int fds[N];
	for (int i = 0; i < N; i++)
		fds[i] = dial(s.port);
	sleep_ms(300);
	double c0 = cpu_seconds(s.pid);
	sleep_ms(1500);
	double c1 = cpu_seconds(s.pid);
	printf("# server CPU while flooded: %.2f s in 1.5 s\n", c1 - c0);
	ok(c0 >= 0 && c1 - c0 < 0.5, "the flooded server does not spin");
	bool close_after;
	int r = first >= 0 && send_all(first, "GET /api/open HTTP/1.1\r\nHost: x\r\n\r\n")
			? read_response(first, 5000, &close_after)
			: -1;
	is_int(r == 1 ? last_status : r, 204, "during the flood a handler can still open a file");
	for (int i = 0; i < N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (first >= 0)
		close(first);
	is_int(stop_server(&s, 20), 0, "the server exits 0");
}

int main(void)
{
	proc_init("tests/http/test-server", "tests/http/test-stop.d");
	signal(SIGPIPE, SIG_IGN);
	test_keepalive_stop();
	test_idle_stop();
	test_reuse_port_stop();
	test_fd_limit();
	return tap_done();
}
