/* The request-head deadline and the stop's idle sweep (runtime/deadline.c,
 * included) with an injected clock: the sweeping thread may read the clock
 * before a worker stamps a connection with a later time; that connection is
 * healthy, and only connections really past the deadline are shut down. */
#include "../../runtime/deadline.c"
#include "../../runtime/reqinfo.c" /* apic__sa_bytes */
#include "tap.h"

#include <poll.h>
#include <unistd.h>

static uint64_t clock_ns = 1000000000000u;
static int logged;

uint64_t apic__now_ns(void)
{
	return clock_ns;
}

void apic__log_limited(const struct apic_server *srv, const char *level, const char *fmt, ...)
{
	(void)srv;
	(void)level;
	(void)fmt;
	logged++;
}

/* Whether the server side of the pair was shut down: the peer sees EOF. */
static bool peer_sees_eof(int peer)
{
	struct pollfd p = { peer, POLLIN, 0 };
	char c;
	return poll(&p, 1, 0) == 1 && read(peer, &c, 1) == 0;
}

static const uint64_t S = 1000000000u;

int main(void)
{
	struct apic_server srv = { .head_timeout = 20, .timeout = 10 };
	int a[2], b[2], c[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) || socketpair(AF_UNIX, SOCK_STREAM, 0, b) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, c))
		return 1;

	void *fresh = apic__conn_open(&srv, a[0]);
	void *stale = apic__conn_open(&srv, b[0]);
	void *busy = apic__conn_open(&srv, c[0]);
	apic__conn_head_done(busy);

	/* `stale` became ready 21 s ago; `fresh` was stamped by a worker 1 ms
	 * after the clock the sweep will read (a later time than its `now`). */
	clock_ns += 21 * S;
	clock_ns += 1000000;
	apic__conn_ready(fresh);
	clock_ns -= 1000000;
	is_int(apic__conn_sweep(&srv), 1, "the sweep shuts down one connection");
	ok(peer_sees_eof(b[1]), "the one past the 20 s deadline");
	ok(!peer_sees_eof(a[1]), "not the one stamped after the sweep read the clock");
	ok(!peer_sees_eof(c[1]), "not the one running a request");
	is_int(logged, 1, "one log line says why");
	is_int(apic__conn_sweep(&srv), 0, "a connection is shut down once");

	/* The stop: a connection idle between requests is closed once it has
	 * been idle 100 ms with nothing unread; one with a request waiting in
	 * the socket, or running one, stays open until it is answered. */
	clock_ns += 1000000;
	is_int(apic__conn_drain(&srv), 3, "the drain counts every open connection");
	ok(!peer_sees_eof(a[1]), "a connection that has just become idle gets time for its next request");
	clock_ns += 200000000;
	if (write(a[1], "GET / HTTP/1.1\r\n", 16) != 16)
		return 1;
	apic__conn_drain(&srv);
	ok(!peer_sees_eof(a[1]), "one whose next request is unread in the socket stays open");
	char buf[32];
	if (read(a[0], buf, sizeof buf) != 16)
		return 1;
	apic__conn_drain(&srv);
	ok(peer_sees_eof(a[1]), "idle with nothing unread: closed");
	ok(!peer_sees_eof(c[1]), "the one running a request stays open");
	apic__conn_close(&srv, stale);
	is_int(apic__conn_drain(&srv), 2, "closed connections leave the count");
	apic__conn_close(&srv, fresh);
	apic__conn_close(&srv, busy);
	is_int(apic__conn_drain(&srv), 0, "none left: the stop can end");
	for (int i = 0; i < 2; i++)
		close(a[i]), close(b[i]), close(c[i]);
	return tap_done();
}
