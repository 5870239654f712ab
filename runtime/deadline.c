/* The request-head deadline (--head-timeout): a connection must deliver a
 * complete request line and headers within that many seconds of being
 * ready for them (accepted, or done with its previous request).
 *
 * libmicrohttpd 0.9.75's timeout is idle-based, so a client that sends one
 * header line just before each timeout holds a connection, and a worker's
 * share of --max-connections, with no reply for as long as its headers fit
 * in the read buffer (hours). libmicrohttpd offers no hook between header
 * lines, so the server's main thread sweeps the connections once a second
 * and shuts down the sockets of those past the deadline; libmicrohttpd then
 * sees the end of the stream and closes them as usual.
 *
 * The list changes when a connection opens or closes (the workers'
 * notify callbacks) and is walked by the sweep, under one mutex. A socket
 * is shut down only while its connection is in the list, and libmicrohttpd
 * reports a close before it closes the descriptor, so the sweep never
 * touches a descriptor number that was reused. Per request, the workers
 * only store a time stamp.
 *
 * The same list drives the graceful stop (apic__conn_drain): the stop lasts
 * until every connection is gone, not until no request is running, since a
 * keep-alive connection may hold its next request unread in the socket. */
#include "internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

struct apic__conn {
	struct apic__conn *prev, *next;
	int fd;
	unsigned char peer[16]; /* the client's address (--per-ip-connections) */
	bool has_peer;
	/* When it became ready for a request head; 0 while a request runs. */
	atomic_uint_fast64_t waiting_since;
	bool dropped;
};

static pthread_mutex_t conns_mu = PTHREAD_MUTEX_INITIALIZER;

void *apic__conn_open(struct apic_server *srv, int fd)
{
	struct apic__conn *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL; /* that connection has no deadline; it still works */
	c->fd = fd;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	c->has_peer = getpeername(fd, (struct sockaddr *)&ss, &len) == 0 && apic__sa_bytes(&ss, c->peer);
	atomic_init(&c->waiting_since, apic__now_ns());
	pthread_mutex_lock(&conns_mu);
	c->next = srv->conns;
	if (c->next)
		c->next->prev = c;
	srv->conns = c;
	pthread_mutex_unlock(&conns_mu);
	return c;
}

void apic__conn_close(struct apic_server *srv, void *conn)
{
	struct apic__conn *c = conn;
	if (c == NULL)
		return;
	pthread_mutex_lock(&conns_mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&conns_mu);
	free(c);
}

unsigned apic__conn_count_peer(struct apic_server *srv, const unsigned char addr[16])
{
	unsigned n = 0;
	pthread_mutex_lock(&conns_mu);
	for (const struct apic__conn *c = srv->conns; c; c = c->next)
		n += c->has_peer && memcmp(c->peer, addr, 16) == 0;
	pthread_mutex_unlock(&conns_mu);
	return n;
}

void apic__conn_head_done(void *conn)
{
	struct apic__conn *c = conn;
	if (c)
		atomic_store_explicit(&c->waiting_since, 0, memory_order_relaxed);
}

void apic__conn_ready(void *conn)
{
	struct apic__conn *c = conn;
	if (c)
		atomic_store_explicit(&c->waiting_since, apic__now_ns(), memory_order_relaxed);
}

static void peer_of(int fd, char *out, size_t cap)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	snprintf(out, cap, "?");
	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, (socklen_t)cap);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, (socklen_t)cap);
}

unsigned apic__conn_sweep(struct apic_server *srv)
{
	/* An idle connection is closed by the idle timeout first, not here
	 * (with a misleading log line): the deadline is at least that + 2 s. */
	unsigned secs = srv->head_timeout > srv->timeout + 2 ? srv->head_timeout : srv->timeout + 2;
	uint64_t limit = (uint64_t)secs * 1000000000u;
	unsigned n = 0;
	pthread_mutex_lock(&conns_mu);
	uint64_t now = apic__now_ns();
	for (struct apic__conn *c = srv->conns; c; c = c->next) {
		/* A worker may stamp a time later than `now` (it read the clock
		 * after this thread did): that connection has only just become
		 * ready, and `now - since` would wrap. */
		uint64_t since = atomic_load_explicit(&c->waiting_since, memory_order_relaxed);
		if (c->dropped || since == 0 || since >= now || now - since <= limit)
			continue;
		c->dropped = true;
		n++;
		char peer[INET6_ADDRSTRLEN];
		peer_of(c->fd, peer, sizeof peer);
		/* Logged first: whoever sees the close can already read why. */
		apic__log_limited(srv, "warning", "%s: no complete request head within %u s: connection closed",
				  peer, secs);
		shutdown(c->fd, SHUT_RDWR);
	}
	pthread_mutex_unlock(&conns_mu);
	return n;
}

/* Bytes the peer sent that nobody has read yet. */
static bool has_unread(int fd)
{
	int pending = 0;
	return ioctl(fd, FIONREAD, &pending) != 0 || pending > 0;
}

/* A connection the client has just got a keep-alive answer on may carry
 * its next request any moment: the stop waits this long for it. */
#define DRAIN_IDLE_NS (100u * 1000000u)

unsigned apic__conn_drain(struct apic_server *srv)
{
	unsigned open = 0;
	pthread_mutex_lock(&conns_mu);
	uint64_t now = apic__now_ns();
	for (struct apic__conn *c = srv->conns; c; c = c->next) {
		open++;
		if (c->dropped)
			continue;
		/* Ready for a request head for a while, nothing in the socket: no
		 * request was sent before the stop, so the connection is closed
		 * now (nginx does the same with idle keep-alive connections). A
		 * request in the socket or running is answered, with Connection:
		 * close, and libmicrohttpd closes after it. */
		uint64_t since = atomic_load_explicit(&c->waiting_since, memory_order_relaxed);
		if (since == 0 || since >= now || now - since < DRAIN_IDLE_NS || has_unread(c->fd))
			continue;
		c->dropped = true;
		shutdown(c->fd, SHUT_RDWR);
	}
	pthread_mutex_unlock(&conns_mu);
	return open;
}
