/* Server lifecycle on libmicrohttpd 0.9.75: making and freeing a server,
 * daemon options (every hardening-relevant one set explicitly), the MHD
 * callbacks that feed request.c, signals and graceful shutdown. The flags
 * are in flags.c.
 *
 * Threading: MHD's internal epoll thread pool, --threads workers (default:
 * online CPUs). A connection stays on one worker, so a handler that blocks
 * (a slow database call) stalls the other connections of that worker; the
 * documented remedy is more threads than cores (libapic(3), THREADS). */
#include "internal.h"
#include "codec.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#ifndef APIC_MHD_WITHOUT_TLS
const char apic__mhd_linkage[] = "shared";
#endif

/* Compiled patterns live in the (shared, static) API description, so
 * servers (and clients) of one API share them: compiled by the first user,
 * freed with the last. */
struct api_use {
	const struct apic_api *api;
	unsigned users;
	struct api_use *next;
};
static pthread_mutex_t api_use_mu = PTHREAD_MUTEX_INITIALIZER;
static struct api_use *api_uses;

int apic__patterns_acquire(const struct apic_api *api, char *err, size_t errlen)
{
	int rc = 0;
	pthread_mutex_lock(&api_use_mu);
	struct api_use *u = api_uses;
	while (u && u->api != api)
		u = u->next;
	if (u == NULL) {
		u = calloc(1, sizeof *u);
		if (u == NULL || apic__patterns_compile(api, err, errlen) != 0) {
			if (u == NULL)
				snprintf(err, errlen, "out of memory");
			free(u);
			rc = -1;
		} else {
			u->api = api;
			u->next = api_uses;
			api_uses = u;
		}
	}
	if (rc == 0)
		u->users++;
	pthread_mutex_unlock(&api_use_mu);
	return rc;
}

void apic__patterns_release(const struct apic_api *api)
{
	pthread_mutex_lock(&api_use_mu);
	for (struct api_use **pp = &api_uses; *pp; pp = &(*pp)->next) {
		struct api_use *u = *pp;
		if (u->api != api)
			continue;
		if (--u->users == 0) {
			apic__patterns_free(api);
			*pp = u->next;
			free(u);
		}
		break;
	}
	pthread_mutex_unlock(&api_use_mu);
}

struct apic_server *apic_server_new(const struct apic_api *api)
{
	if (api == NULL || api->abi_version != APIC_ABI_VERSION) {
		fprintf(stderr, "apic: the generated code was made for another libapic ABI (%u, this is %u); "
				"regenerate it\n", api ? api->abi_version : 0, APIC_ABI_VERSION);
		return NULL;
	}
	struct apic_server *srv = calloc(1, sizeof *srv);
	if (srv == NULL)
		return NULL;
	srv->api = api;
	pthread_mutex_init(&srv->streams_mu, NULL);
	apic__server_defaults(srv);
	if (getrandom(&srv->id_salt, sizeof srv->id_salt, 0) != sizeof srv->id_salt)
		srv->id_salt = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	atomic_init(&srv->next_id, 1);
	atomic_init(&srv->inflight, 0);
	atomic_init(&srv->draining, false);
	char err[256];
	if (apic__loop_init(srv) != 0 || apic__router_build(srv) != 0) {
		apic_server_free(srv);
		return NULL;
	}
	if (apic__patterns_acquire(api, err, sizeof err) != 0) {
		apic__log(srv, "error", "%s", err);
		apic_server_free(srv);
		return NULL;
	}
	srv->patterns_compiled = true;
	return srv;
}

void apic_server_free(struct apic_server *srv)
{
	if (srv == NULL)
		return;
	if (srv->patterns_compiled)
		apic__patterns_release(srv->api);
	apic__router_free(srv);
	apic__jobs_free(srv);
	apic__streams_stop(srv);
	apic__loop_free(srv);
	pthread_mutex_destroy(&srv->streams_mu);
	apic__hooks_free(srv);
	apic__statics_free(srv);
	for (size_t i = 0; i < srv->ncors_origins; i++)
		free(srv->cors_origins[i]);
	free(srv->cors_origins);
	apic__flags_free(srv);
	free(srv->verifiers);
	free(srv->docs_html);
	free(srv);
}

void apic_server_set_user_data(struct apic_server *srv, void *user_data)
{
	srv->user_data = user_data;
}

/* ---- MHD callbacks ----------------------------------------------------------- */

static __attribute__((format(printf, 2, 0))) void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	/* An event stream ended for a client that left or was dropped
	 * (sse.c): expected, and sse.c logs the drops itself. */
	if (strncmp(msg, "Closing connection (application error generating response)", 59) == 0)
		return;
	/* The access handler's MHD_NO: a client gone from a suspended request,
	 * or a drop the runtime logged itself. */
	if (strncmp(msg, "Application reported internal error, closing connection", 55) == 0)
		return;
	apic__log_limited(cls, "mhd", "%s", msg);
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *con)
{
	(void)con;
	struct apic_server *srv = cls;
	struct apic_ctx *ctx = apic__ctx_new(srv);
	if (ctx == NULL)
		return NULL;
	if (apic__req_set_target(ctx, uri, strlen(uri)) != 0)
		ctx->oom = true;
	return ctx;
}

/* MHD must not decode: routing works on the raw target (%2F, %00). */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	apic__req_add_header(cls, key, key_size, value ? value : "", value ? value_size : 0);
	return MHD_YES;
}

/* The connection's record for the request-head deadline (deadline.c). */
static void *conn_of(struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *sc = MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return sc ? sc->socket_context : NULL;
}

static enum MHD_Result send_reply(struct MHD_Connection *con, struct apic_ctx *ctx,
				   const struct apic__rhdr *hdrs)
{
	/* The body lives in the arena (or static memory) until the request
	 * completes, after the response was sent. */
	bool stream = ctx->stream && ctx->ctype && strcmp(ctx->ctype, "text/event-stream") == 0;
	bool ws = ctx->ws && ctx->status == 101;
	struct MHD_Response *resp = stream ? apic__stream_response(ctx, con)
		: ws ? apic__ws_response(ctx)
		: MHD_create_response_from_buffer(ctx->rlen, (void *)ctx->rbody, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	if (ctx->ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctx->ctype);
	for (const struct apic__rhdr *h = hdrs; h; h = h->next)
		MHD_add_response_header(resp, h->name, h->value);
	if (!ws && (ctx->close || atomic_load_explicit(&ctx->srv->draining, memory_order_relaxed)))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)ctx->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void resume(struct apic_ctx *ctx, void *con)
{
	(void)ctx;
	MHD_resume_connection(con);
}

/* A suspended request's connection is back: send how it ended. */
static enum MHD_Result resumed(struct MHD_Connection *con, struct apic_ctx *ctx)
{
	const struct apic__rhdr *hdrs;
	ctx->phase = 2;
	if (apic__async_outcome(ctx, &hdrs) == APIC__ASYNC_GONE)
		return MHD_NO; /* the client closed: nothing to send */
	return send_reply(con, ctx, hdrs);
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *con, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	(void)cls;
	(void)url;
	(void)version;
	struct apic_ctx *ctx = *req_cls;
	if (ctx == NULL)
		return MHD_NO;
	if (ctx->phase == 0) {
		ctx->phase = 1;
		apic__conn_head_done(conn_of(con));
		MHD_get_connection_values_n(con, MHD_HEADER_KIND, collect_header, ctx);
		/* Kept raw: apic_ctx_peer() formats it when asked (the access log). */
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		const struct sockaddr *sa = ci ? ci->client_addr : NULL;
		if (sa && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6))
			memcpy(ctx->peer_sa, sa, sa->sa_family == AF_INET ? sizeof(struct sockaddr_in)
									    : sizeof(struct sockaddr_in6));
		if (apic__req_begin(ctx, method) == APIC__REPLIED && (ctx->expect_body || ctx->close)) {
			/* Reply before the body (or before broken framing makes MHD
			 * wait for one): MHD then skips it and closes. */
			apic__req_finish(ctx);
			ctx->phase = 2;
			return send_reply(con, ctx, ctx->rhdrs);
		}
		/* Body-less requests answer on the next call: measured ~6x
		 * cheaper under keep-alive with epoll (HARDENING.md). */
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (ctx->phase == 2)
			return MHD_YES;
		return apic__req_body(ctx, upload_data, n) ? MHD_YES : MHD_NO;
	}
	if (ctx->phase == 3)
		return resumed(con, ctx);
	if (ctx->phase == 2)
		return MHD_YES;
	ctx->phase = 2;
	apic__req_finish(ctx);
	if (ctx->async != NULL) {
		/* Suspended by its handler: off MHD's loop until the reply, the
		 * deadline or the client's disconnect resumes it (async.c). */
		ctx->phase = 3;
		MHD_suspend_connection(con);
		const union MHD_ConnectionInfo *fd = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
		apic__async_park(ctx, fd ? fd->connect_fd : -1, resume, con);
		return MHD_YES;
	}
	return send_reply(con, ctx, ctx->rhdrs);
}

static void completed(void *cls, struct MHD_Connection *con, void **req_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct apic_ctx *ctx = *req_cls;
	(void)cls;
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) {
		/* Kept alive: the deadline of the next request head starts. */
		apic__conn_ready(conn_of(con));
	}
	if (ctx == NULL)
		return;
	*req_cls = NULL;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && ctx->phase != 2)
		ctx->status = 0; /* logged as status 0: no response was sent */
	size_t bytes = ctx->replied && !ctx->is_head ? ctx->rlen : 0;
	if (ctx->async != NULL)
		apic__async_transport_done(ctx, bytes);
	else
		apic__req_end(ctx, bytes);
}

static void connection_event(void *cls, struct MHD_Connection *con, void **socket_context,
			     enum MHD_ConnectionNotificationCode code)
{
	struct apic_server *srv = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = fd ? apic__conn_open(srv, fd->connect_fd) : NULL;
	} else {
		apic__conn_close(srv, *socket_context);
		*socket_context = NULL;
	}
}

/* ---- running ------------------------------------------------------------------ */

/* Descriptors open now (stdio, logs, the application's files). */
static unsigned open_descriptors(rlim_t limit)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;
	if (d != NULL) {
		while (readdir(d) != NULL)
			n++;
		closedir(d);
		return n > 3 ? n - 3 : 0; /* ".", ".." and the directory's own */
	}
	for (int fd = 0; fd < (int)(limit < 65536 ? limit : 65536); fd++)
		n += fcntl(fd, F_GETFD) != -1;
	return n;
}

/* Raises the soft descriptor limit toward 2 x connections + slack, then
 * fits --max-connections into it: past the limit, accepted sockets would
 * take the descriptors the application needs (a database file that cannot
 * be opened is a 500) and libmicrohttpd would spin on a listening socket it
 * cannot accept from. Says so at start, as nginx does. */
static int fit_connections(struct apic_server *srv)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)srv->max_connections * 2 + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
		if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
			return 0;
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		return 0;
	unsigned used = open_descriptors(rl.rlim_cur);
	/* libmicrohttpd: the listening socket, an epoll and an ITC descriptor
	 * per worker and for the daemon itself. */
	unsigned mhd = 2 * (srv->threads + 1) + 1;
	long long room = (long long)rl.rlim_cur - used - mhd - srv->fd_reserve;
	if (room >= (long long)srv->max_connections)
		return 0;
	if (room < 1) {
		apic__log(srv, "error",
			  "the descriptor limit (ulimit -n %llu) leaves no room for connections: %u open, "
			  "%u for libmicrohttpd, --fd-reserve %u; raise ulimit -n",
			  (unsigned long long)rl.rlim_cur, used, mhd, srv->fd_reserve);
		return -1;
	}
	apic__log(srv, "warning",
		  "the descriptor limit (ulimit -n %llu) allows %lld connections, not --max-connections %u "
		  "(%u open, %u for libmicrohttpd, --fd-reserve %u): serving at most %lld; raise ulimit -n",
		  (unsigned long long)rl.rlim_cur, room, srv->max_connections, used, mhd, srv->fd_reserve,
		  room);
	srv->max_connections = (unsigned)room;
	return 0;
}

/* systemd socket activation (the sd_listen_fds(3) protocol, which needs no
 * libsystemd): one listening socket passed as descriptor 3, LISTEN_PID our
 * process. Returns it, or -1 when there is none. */
static int inherited_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	if (pid == NULL || fds == NULL || strtol(pid, NULL, 10) != (long)getpid() || strcmp(fds, "1") != 0)
		return -1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	int type = 0;
	socklen_t len = sizeof type;
	if (getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM)
		return -1;
	fcntl(3, F_SETFD, FD_CLOEXEC);
	return 3;
}

/* --per-ip-connections behind a --trusted-proxy: a proxy's connections
 * carry many clients, so they are not held to the per-address limit (MHD's
 * own limit counts every address alike, and is off then); every other
 * address is. Counted from the open connections at accept time: worker
 * threads accepting at the same moment may each let one more in. */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct apic_server *srv = cls;
	struct sockaddr_storage ss;
	unsigned char a[16];
	if (len > sizeof ss)
		return MHD_YES;
	memset(&ss, 0, sizeof ss);
	memcpy(&ss, addr, len);
	if (!apic__sa_bytes(&ss, a) || apic__trusted_proxy(srv->trusted_proxy, a))
		return MHD_YES;
	return apic__conn_count_peer(srv, a) < srv->per_ip_connections ? MHD_YES : MHD_NO;
}

static struct MHD_Daemon *start(struct apic_server *srv, struct sockaddr_storage *ss, int lfd)
{
	bool own_limit = srv->trusted_proxy && srv->per_ip_connections > 0;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_ALLOW_UPGRADE;
	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* One thread is no pool: MHD warns about a pool size of 0 or 1. */
	struct MHD_OptionItem pool[] = {
		{ srv->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t)srv->threads, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	/* --reuse-port: SO_REUSEPORT (and SO_REUSEADDR). Without it MHD's
	 * default, SO_REUSEADDR only: a server restarted on its port binds
	 * despite the last run's connections in TIME_WAIT, and a port another
	 * server listens on is still refused (MHD's "disallow", value 0,
	 * would refuse the restart too). */
	struct MHD_OptionItem reuse[] = {
		{ srv->reuse_port ? MHD_OPTION_LISTENING_ADDRESS_REUSE : MHD_OPTION_END, 1, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	/* The socket systemd passed, or one MHD makes on --bind/--port. */
	struct MHD_OptionItem where[] = {
		lfd >= 0 ? (struct MHD_OptionItem){ MHD_OPTION_LISTEN_SOCKET, lfd, NULL }
			 : (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, ss },
		{ MHD_OPTION_END, 0, NULL },
	};
	return MHD_start_daemon(
		flags, (uint16_t)srv->port, own_limit ? accept_policy : NULL, srv, access_handler, srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, srv,
		MHD_OPTION_ARRAY, where,
		MHD_OPTION_ARRAY, pool,
		MHD_OPTION_CONNECTION_TIMEOUT, srv->timeout,
		MHD_OPTION_CONNECTION_LIMIT, srv->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, own_limit ? 0u : srv->per_ip_connections,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
		MHD_OPTION_CONNECTION_MEMORY_INCREMENT, (size_t)1024,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 511u,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_ARRAY, reuse,
		MHD_OPTION_URI_LOG_CALLBACK, uri_log, srv,
		MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, connection_event, srv,
		MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
		MHD_OPTION_END);
}

static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	ssize_t w = write(sig_pipe[1], &b, 1);
	(void)w;
	errno = saved;
}

int apic_server_run(struct apic_server *srv)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, srv->bind, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)srv->port);
	} else if (inet_pton(AF_INET6, srv->bind, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)srv->port);
	} else {
		apic__log(srv, "error", "--bind: '%s' is not an IPv4 or IPv6 address", srv->bind);
		return 2;
	}
	if (apic__docs_init(srv) != 0 || fit_connections(srv) != 0)
		return 1;
	/* Socket activation: systemd's socket, whose address wins over --bind
	 * and --port. */
	char host[INET6_ADDRSTRLEN];
	snprintf(host, sizeof host, "%s", srv->bind);
	int lfd_in = inherited_socket();
	if (lfd_in >= 0) {
		socklen_t sl = sizeof ss;
		if (getsockname(lfd_in, (struct sockaddr *)&ss, &sl) == 0)
			inet_ntop(ss.ss_family, ss.ss_family == AF_INET6 ? (void *)&in6->sin6_addr : (void *)&in4->sin_addr,
				  host, sizeof host);
	}

	/* SIGINT/SIGTERM only write to a pipe (whatever thread they hit, even
	 * one the application started); this thread waits on it. SIGPIPE: a
	 * peer closing must not kill us. */
	if (pipe2(sig_pipe, O_CLOEXEC) != 0) {
		apic__log(srv, "error", "pipe: %s", strerror(errno));
		return 1;
	}
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	signal(SIGPIPE, SIG_IGN);

	/* Start hooks run before the socket listens: no request can come
	 * before they are done. */
	if (apic__hooks_start(srv) != 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		apic__hooks_stop(srv);
		return 1;
	}
	apic__log_start();
	struct MHD_Daemon *d = NULL;
	if (apic__jobs_start(srv) != 0 || apic__streams_start(srv) != 0 || apic__loop_start(srv) != 0)
		errno = ENOMEM;
	else
		d = start(srv, &ss, lfd_in);
	if (d == NULL) {
		int err = errno ? errno : EADDRINUSE;
		apic__loop_stop(srv);
		apic__jobs_stop(srv, 0);
		apic__log_stop();
		apic__hooks_stop(srv);
		apic__log(srv, "error", "cannot listen on %s port %u: %s%s", srv->bind, srv->port,
			  strerror(err),
			  err == EADDRINUSE ? " (another server has it; servers all started with "
					      "--reuse-port share a port)" : "");
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		return 1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = di ? di->port : srv->port;
	if (lfd_in >= 0) /* MHD reports the --port it was given */
		port = ntohs(ss.ss_family == AF_INET6 ? in6->sin6_port : in4->sin_port);
	srv->bound_port = port;
	apic__log(srv, "info", "listening on http://%s%s%s:%u/ (%u threads%s)",
		  ss.ss_family == AF_INET6 ? "[" : "", host, ss.ss_family == AF_INET6 ? "]" : "",
		  port, srv->threads, lfd_in >= 0 ? ", socket from systemd" : "");

	/* Waits for a signal, sweeping the request-head deadline once a second. */
	unsigned char sig = 0;
	for (;;) {
		struct pollfd p = { sig_pipe[0], POLLIN, 0 };
		int r = poll(&p, 1, 1000);
		if (r == 0)
			apic__conn_sweep(srv);
		else if (r > 0 && read(sig_pipe[0], &sig, 1) == 1)
			break;
		else if (r < 0 && errno != EINTR)
			break;
	}
	apic__log(srv, "info", "signal %d: stopping (waiting up to %u s for %u requests)", sig,
		  srv->shutdown_timeout, atomic_load(&srv->inflight));
	/* Readiness says 503 from now on, and every reply closes its
	 * connection; with --drain-delay the server goes on accepting for that
	 * long, so a load balancer's health checks see it leave before its
	 * port closes (a second signal cuts the delay short). */
	atomic_store(&srv->draining, true);
	if (srv->drain_delay > 0) {
		uint64_t until = apic__now_ns() + (uint64_t)srv->drain_delay * 1000000000u;
		for (uint64_t now = apic__now_ns(); now < until; now = apic__now_ns()) {
			uint64_t ms = (until - now) / 1000000u;
			struct pollfd p = { sig_pipe[0], POLLIN, 0 };
			if (poll(&p, 1, ms > 1000 ? 1000 : (int)ms + 1) > 0 && read(sig_pipe[0], &sig, 1) == 1)
				break;
			apic__conn_sweep(srv);
		}
	}
	/* Graceful stop: no new connections; every request sent before the stop
	 * is answered (with Connection: close), idle connections are closed,
	 * and the stop ends when no connection is left (or at the deadline). */
	MHD_socket lfd = MHD_quiesce_daemon(d);
	/* Stop listening now, not at the end: with SO_REUSEPORT the kernel
	 * would keep queueing new connections on a socket nobody accepts from.
	 * Shut down, not closed: a worker may still hold the descriptor until
	 * MHD_stop_daemon (MHD_quiesce_daemon's contract). Before the answers
	 * say Connection: close, so a client that reconnects after one is
	 * refused rather than queued and reset. */
	/* Not systemd's socket: it keeps its copy open and queues the
	 * connections for the next start; shutdown() would end it for both. */
	if (lfd != MHD_INVALID_SOCKET && lfd_in < 0)
		shutdown(lfd, SHUT_RDWR);
	atomic_store(&srv->draining, true);
	/* Event streams never end by themselves: they end now, after the
	 * events they hold. */
	apic__streams_end_all(srv);
	apic__loop_call(srv, apic__ws_close_all, srv);
	uint64_t deadline = apic__now_ns() + (uint64_t)srv->shutdown_timeout * 1000000000u;
	unsigned conns;
	while (((conns = apic__conn_drain(srv)) > 0 || atomic_load(&srv->inflight) > 0) &&
	       apic__now_ns() < deadline) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	/* Suspended requests still waiting end with a 504 now; their
	 * connections get a moment to carry it. */
	if (atomic_load(&srv->inflight) > 0 && apic__loop_call(srv, apic__async_stop_all, srv) == 0) {
		uint64_t grace = apic__now_ns() + 500u * 1000000u;
		while (apic__conn_drain(srv) > 0 && apic__now_ns() < grace) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	unsigned left = atomic_load(&srv->inflight);
	MHD_stop_daemon(d);
	/* Background work queued before the stop runs, bounded like the rest. */
	apic__jobs_stop(srv, apic__now_ns() + (uint64_t)srv->shutdown_timeout * 1000000000u);
	apic__log_stop();
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	if (left)
		apic__log(srv, "warning", "%u requests were still running at the deadline", left);
	apic__hooks_stop(srv);
	apic__streams_stop(srv);
	apic__loop_stop(srv);
	srv->bound_port = 0;
	apic__log(srv, "info", "stopped");
	return 0;
}

int apic_main(const struct apic_api *api, int argc, char **argv, void *user_data)
{
	struct apic_server *srv = apic_server_new(api);
	if (srv == NULL)
		return 1;
	apic_server_set_user_data(srv, user_data);
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0)
		rc = apic_server_run(srv);
	else if (rc == APIC_ARGS_EXIT)
		rc = 0;
	apic_server_free(srv);
	return rc;
}
