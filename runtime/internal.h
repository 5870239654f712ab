/* Private declarations shared by libapic's files; never installed.
 * Cross-file internals are named apic__* and hidden from the shared
 * library's symbol table by libapic.sym. */
#ifndef APIC_INTERNAL_H
#define APIC_INTERNAL_H

#include "apic_gen.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

/* Every status the runtime itself may send, with its reason phrase. */
#define APIC_FOR_EACH_HTTP_STATUS(X)                 \
	X(200, "OK")                                     \
	X(201, "Created")                                \
	X(202, "Accepted")                               \
	X(204, "No Content")                             \
	X(301, "Moved Permanently")                      \
	X(304, "Not Modified")                           \
	X(400, "Bad Request")                            \
	X(401, "Unauthorized")                           \
	X(403, "Forbidden")                              \
	X(404, "Not Found")                              \
	X(405, "Method Not Allowed")                     \
	X(406, "Not Acceptable")                         \
	X(409, "Conflict")                               \
	X(410, "Gone")                                   \
	X(412, "Precondition Failed")                    \
	X(413, "Content Too Large")                      \
	X(414, "URI Too Long")                           \
	X(415, "Unsupported Media Type")                 \
	X(422, "Unprocessable Content")                  \
	X(429, "Too Many Requests")                      \
	X(431, "Request Header Fields Too Large")        \
	X(500, "Internal Server Error")                  \
	X(501, "Not Implemented")                        \
	X(502, "Bad Gateway")                            \
	X(503, "Service Unavailable")                    \
	X(504, "Gateway Timeout")

/* Reason phrase of `status`, or a generic one for its class. */
const char *apic__status_text(int status);

/* How libmicrohttpd is linked, for --version: "shared", or "static, without
 * TLS" from mhd_notls.c when configure linked its static archive. */
extern const char apic__mhd_linkage[];

/* ---- limits (libapic(3), LIMITS) ------------------------------------------ */
#define APIC__MAX_TARGET 8192      /* request target bytes -> 414 */
#define APIC__MAX_HEADERS 100      /* header fields -> 431 */
#define APIC__MAX_VALUES 10000     /* JSON values per body -> 400 */
#define APIC__DEFAULT_DEPTH 32     /* json-c's JSON_TOKENER_DEFAULT_DEPTH */
#define APIC__MAX_VIOLATIONS 20    /* violations listed in a 422 */
#define APIC__ECHO_MAX 64          /* bytes of client input echoed in errors */
#define APIC__MAX_REQUEST_ID 128
#define APIC__DISCARD_MAX (16u << 20) /* body bytes read past a limit before dropping */

/* ---- per-request arena (arena.c) ------------------------------------------ */

struct apic__chunk;
struct apic__defer;

struct apic__arena {
	char *cur, *end;              /* free space of the current chunk */
	char *last;                   /* start of the latest allocation (grow in place) */
	struct apic__chunk *chunks;   /* heap chunks, newest first */
	struct apic__defer *defers;   /* run newest first on release */
	char *first, *first_end;      /* the inline first chunk */
};

void apic__arena_init(struct apic__arena *a, void *first, size_t size);
/* Runs the defer hooks and frees the heap chunks; the arena is reusable. */
void apic__arena_release(struct apic__arena *a);
/* Uninitialised, aligned; NULL on out of memory. */
void *apic__arena_alloc(struct apic__arena *a, size_t size);
/* Resizes the latest allocation in place when possible, else copies. */
void *apic__arena_realloc(struct apic__arena *a, void *old, size_t oldsize, size_t newsize);
int apic__arena_defer(struct apic__arena *a, void (*fn)(void *), void *arg);
char *apic__arena_vprintf(struct apic__arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* ---- server configuration (server.c) -------------------------------------- */

enum apic__log_format { APIC__LOG_TEXT, APIC__LOG_JSON };

struct apic__option {
	const char *name, *metavar, *help;
	const char **dest;
};

struct apic__verifier {
	const struct apic_security *scheme;
	apic_verify_fn fn;
	void *cls;
};

/* One distinct path shape of the route table (router.c). */
struct apic__seg {
	const char *lit;              /* NULL: a parameter */
	size_t len;
};
struct apic__resource {
	struct apic__seg *segs;
	unsigned nsegs;
	unsigned nparams;
	const struct apic_route *by_method[APIC_OPTIONS + 1];
};

struct apic_server {
	const struct apic_api *api;
	void *user_data;
	/* flags */
	unsigned port;
	char *bind;
	unsigned threads;
	size_t max_body;
	unsigned timeout;             /* idle seconds */
	unsigned body_deadline;       /* seconds before the minimum rate applies */
	unsigned head_timeout;        /* seconds for a complete request head */
	unsigned shutdown_timeout;    /* seconds */
	unsigned max_connections, per_ip_connections;
	unsigned fd_reserve;          /* descriptors kept for the application */
	bool compress;                /* --compress: gzip the API's replies too */
	size_t compress_min;          /* --compress-min: smaller replies go as they are */
	unsigned json_depth;
	bool reuse_port;
	bool docs;
	char *docs_path, *openapi_path, *health_path, *ready_path;
	unsigned drain_delay;         /* seconds served after SIGTERM before the quiesce */
	int (*ready_fn)(void *cls);   /* apic_server_set_ready_check() */
	void *ready_cls;
	enum apic__log_format log_format;
	bool access_log;
	bool strict_responses;        /* replies held to the API document (strict.c) */
	/* CORS: empty origin list = CORS off */
	char **cors_origins;
	size_t ncors_origins;
	bool cors_any;
	bool cors_credentials;
	unsigned cors_max_age;
	char *cors_headers;           /* Access-Control-Allow-Headers */
	char *cors_expose;            /* Access-Control-Expose-Headers */
	/* apic_server_set_default(): copies, indexed like server.c's flag
	 * table (NULL: the built-in default); --help shows them */
	char **flag_defaults;
	/* application options */
	struct apic__option *options;
	size_t noptions;
	struct apic__verifier *verifiers;
	size_t nverifiers;
	/* routing */
	struct apic__resource *resources;
	size_t nresources;
	struct apic__seg *segs;       /* storage of every resource's segments */
	char *docs_html;              /* the /docs page */
	size_t docs_html_len;
	const struct apic__rep *openapi; /* the API's document (docs.c); NULL: none or not inflated yet */
	bool patterns_compiled;
	/* running */
	atomic_uint inflight;
	atomic_bool draining;
	atomic_uint_fast64_t next_id;
	uint32_t id_salt;
	struct apic__conn *conns;     /* open connections (deadline.c) */
	struct apic__hooks *hooks;    /* hooks.c; NULL: none installed */
	struct apic__static *statics; /* apic_server_add_static() */
	char *trusted_proxy;          /* --trusted-proxy: addresses whose X-Forwarded-For counts */
	unsigned bound_port;          /* the port listened on, once listening */
	/* the event loop (loop.c) */
	struct event_base *base;
	pthread_t loop_thread;
	atomic_bool loop_running;     /* loop_thread is set and running the loop */
	atomic_bool loop_quit;        /* apic__loop_stop() asked the thread to end */
	struct apic__periodic *periodic; /* apic_server_every() */
	struct apic__async *parked;   /* suspended requests (async.c; loop thread only) */
	unsigned deadline;            /* --deadline: seconds a suspended request may take */
	/* event streams (sse.c) */
	pthread_mutex_t streams_mu;
	struct apic__stream *streams; /* every open stream */
	unsigned nstreams, max_streams;
	size_t stream_queue;          /* --stream-queue: bytes a stream may hold unsent */
	unsigned heartbeat;           /* --heartbeat: seconds between comment lines */
	struct event *heartbeat_ev;
	/* WebSockets (ws.c; the list is the loop thread's) */
	struct apic_ws *sockets;
	unsigned ws_ping;             /* --ws-ping: seconds between pings */
	size_t ws_max_message;        /* --ws-max-message: bytes; more is 1009 */
	size_t ws_queue;              /* --ws-queue: unsent bytes before 1008 */
	/* background work (jobs.c) */
	struct apic__jobs *jobs;
	unsigned job_threads, job_queue;
};

/* compress.c: ETag/304 and gzip, the last step of a request. */
void apic__compress_reply(struct apic_ctx *ctx);
/* A built-in document in both representations, each with its own entity
 * tag (caches keep one per Content-Encoding). */
struct apic__rep {
	const char *body;
	size_t len;
	const unsigned char *gz;      /* NULL: always sent as it is */
	size_t gzlen;
	char etag[40], etag_gz[48];
};
/* Sets r->etag and r->etag_gz from r->body. */
void apic__rep_tag(struct apic__rep *r);

/* Hooks (hooks.c). Each returns at once when no hook of its kind is set. */
/* Before the operation (routed and authenticated): false when a hook
 * replied (or failed: then a 500 was made). */
bool apic__hooks_before(struct apic_ctx *ctx);
/* After the request ended: status and duration. */
void apic__hooks_after(struct apic_ctx *ctx);
int apic__hooks_start(struct apic_server *srv);
void apic__hooks_stop(struct apic_server *srv);
void apic__hooks_free(struct apic_server *srv);

/* The request-head deadline (deadline.c). A connection handle is the
 * MHD socket context: NULL when out of memory, and every call takes that. */
struct apic__conn;
void *apic__conn_open(struct apic_server *srv, int fd);
void apic__conn_close(struct apic_server *srv, void *conn);
void apic__conn_head_done(void *conn);
void apic__conn_ready(void *conn);
/* Shuts down the connections past the deadline; returns how many. */
unsigned apic__conn_sweep(struct apic_server *srv);
/* During a stop: shuts down the connections idle between requests (nothing
 * unread); returns how many connections are still open. */
unsigned apic__conn_drain(struct apic_server *srv);
/* How many open connections come from the address `addr` (16 bytes, IPv4
 * mapped into IPv6). */
unsigned apic__conn_count_peer(struct apic_server *srv, const unsigned char addr[16]);

/* An address as 16 bytes (IPv4 mapped into IPv6): false for another
 * family. Whether it is in the --trusted-proxy LIST (addresses and
 * networks ADDR/BITS). */
struct sockaddr_storage;
bool apic__sa_bytes(const struct sockaddr_storage *ss, unsigned char out[16]);
bool apic__trusted_proxy(const char *list, const unsigned char addr[16]);

/* The API's patterns, compiled for its first user (a server or a client),
 * freed after its last: 0, or -1 with a message in err. */
int apic__patterns_acquire(const struct apic_api *api, char *err, size_t errlen);
void apic__patterns_release(const struct apic_api *api);

/* The hardened defaults of every flag (libapic(3), OPTIONS). */
void apic__server_defaults(struct apic_server *srv);
/* Frees what flags.c keeps: defaults set by the application, its options. */
void apic__flags_free(struct apic_server *srv);
uint64_t apic__now_ns(void);

/* ---- one request ----------------------------------------------------------- */

struct apic__hdr {
	const char *name, *value;
	size_t nlen, vlen;
};

struct apic__kv {
	struct apic_str key, value;
};

struct apic__violation {
	enum apic_where where;
	const char *at;               /* JSON pointer (body) or parameter name */
	const char *code;
	const char *message;
	bool undecodable;             /* the parameter's text did not decode */
};

struct apic__rhdr {
	struct apic__rhdr *next;
	const char *name, *value;
};

enum apic__special { APIC__SP_NONE, APIC__SP_OPENAPI, APIC__SP_DOCS, APIC__SP_HEALTH, APIC__SP_ASSET,
		     APIC__SP_STATIC, APIC__SP_READY };

/* apic_server_add_static(): a file the application serves (docs.c). */
struct apic__static {
	struct apic__static *next;
	const char *path, *ctype, *body;
	size_t len;
};

struct apic_ctx {
	struct apic_server *srv;
	struct apic__arena arena;
	uint64_t t_start;
	/* request */
	const char *method;
	int method_id;                /* enum apic_method, or -1 */
	bool is_head;
	char *target;                 /* raw target, arena copy, NUL-terminated */
	size_t target_len;
	int target_status;             /* 400 or 414 found in the target */
	const char *path;             /* raw path inside target */
	size_t path_len;
	const char *query;            /* after '?', or NULL */
	size_t query_len;
	struct apic__hdr *hdrs;
	size_t nhdrs, hdrs_cap;
	size_t nhdrs_seen;
	struct apic__kv *qs;
	size_t nqs;
	bool qs_parsed;
	char peer[48];                /* the client's address, once apic_ctx_peer() made it */
	/* The connection's peer, a struct sockaddr_in or _in6 (zeroes: none);
	 * bytes, so this header needs no socket header (its send() name). */
	unsigned char peer_sa[128];
	/* routing */
	const struct apic__resource *res;
	const struct apic_route *route;
	enum apic__special special;
	const char *asset;
	const struct apic__static *static_file;
	struct apic_str *params;
	/* body */
	bool expect_body;             /* Content-Length > 0 or chunked */
	bool too_big;
	uint64_t content_length;
	size_t max_body;
	char *body;
	size_t body_len, body_cap;
	size_t discarded;
	struct json_object *json;
	bool has_json;
	void *principal;
	char request_id[APIC__MAX_REQUEST_ID + 1];
	/* violations */
	struct apic__violation viol[APIC__MAX_VIOLATIONS];
	size_t nviol, nviol_total;
	/* response */
	bool replied;
	bool oom;                     /* an allocation failed: the reply is a 500 */
	bool reply_failed;            /* the reply is the runtime's 500 for one it could not send */
	bool close;                   /* send Connection: close */
	int status;
	const char *ctype;
	const char *rbody;
	size_t rlen;
	struct apic__rhdr *rhdrs;
	const char *allow;            /* Allow header (405, OPTIONS) */
	struct apic_buf buf;
	int phase;                    /* server.c: 0 headers, 1 body, 2 replied, 3 suspended */
	uint64_t t_end;               /* when the response went out (0: not yet) */
	struct apic__async *async;    /* apic_ctx_suspend(); NULL: synchronous */
	struct apic__bg *bg;          /* apic_ctx_background(), newest first */
	struct apic__stream *stream;  /* apic_reply_stream(); NULL: a plain reply */
	struct apic_ws *ws;           /* apic_ws_accept(); NULL: not a WebSocket */
};

/* request.c: the transport-neutral pipeline. MHD (server.c) and the tester
 * (testing.c) feed it the same way: new, set_target, add_header*, begin,
 * body*, finish; the response is then in ctx->status/rbody/rhdrs. */
enum apic__step {
	APIC__READ_BODY,              /* go on: the body (if any) is wanted */
	APIC__REPLIED,                /* a reply is ready; discard the body */
};
struct apic_ctx *apic__ctx_new(struct apic_server *srv);
void apic__ctx_free(struct apic_ctx *ctx);
int apic__req_set_target(struct apic_ctx *ctx, const char *target, size_t len);
int apic__req_add_header(struct apic_ctx *ctx, const char *name, size_t nlen,
			 const char *value, size_t vlen);
enum apic__step apic__req_begin(struct apic_ctx *ctx, const char *method);
/* Appends body bytes; false when the client should be dropped. */
bool apic__req_body(struct apic_ctx *ctx, const char *data, size_t n);
void apic__req_finish(struct apic_ctx *ctx);
/* The last step of every reply (apic__req_finish, or a suspended request's
 * reply): a 500 instead of a missing reply, the common response headers,
 * compression. */
void apic__req_seal(struct apic_ctx *ctx);
/* The request is over (its response sent, or the client gone): after hooks,
 * the access line (`bytes` sent), background work queued, memory freed. */
void apic__req_end(struct apic_ctx *ctx, size_t bytes);
/* Microseconds from the request's start to its response (or to now). */
uint64_t apic__ctx_elapsed_us(const struct apic_ctx *ctx);
const struct apic__hdr *apic__req_find_header(const struct apic_ctx *ctx, const char *name);
/* Percent-decodes [s, s+n) into the arena; `plus` turns '+' into ' '.
 * NULL when an escape is malformed (or out of memory: ctx->oom). */
char *apic__pct_decode(struct apic_ctx *ctx, const char *s, size_t n, bool plus, size_t *outlen);
/* Why decoded parameter text cannot be used (not UTF-8, or a NUL in it:
 * libapic(3), ROUTING), or NULL. */
const char *apic__param_text_problem(const char *s, size_t n);

/* router.c */
int apic__router_build(struct apic_server *srv);
void apic__router_free(struct apic_server *srv);
/* Sets ctx->res/route/params/special, or replies 404/405/400. Returns true
 * when the request goes on to its operation (or a special endpoint). */
bool apic__router_match(struct apic_ctx *ctx);
int apic__method_id(const char *method);
const char *apic__method_name(enum apic_method m);

/* violation.c: parameter `name`'s text did not decode (`why`): an "invalid"
 * violation; what the decoder reports about that parameter is left out. */
void apic__violation_text(struct apic_ctx *ctx, enum apic_where where, const char *name,
			  const char *why);

/* response.c */
int apic__reply(struct apic_ctx *ctx, int status, const char *ctype, const char *body, size_t len);
/* An error in the API's error shape; `extra` is a JSON member list added to
 * problem+json bodies (`"offset":12`), or NULL. */
int apic__reply_problem(struct apic_ctx *ctx, int status, const char *detail, const char *extra);
void apic__add_rhdr(struct apic_ctx *ctx, const char *name, const char *value);

/* strict.c: with --strict-responses, after the operation replied: a reply
 * the document does not allow is logged and becomes a 500. */
void apic__strict_check(struct apic_ctx *ctx);

/* json.c: strict pre-scan + json-c. 0, or -1 with *off and *why set. */
int apic__json_parse(struct apic_ctx *ctx, const char *s, size_t n, unsigned depth,
		     struct json_object **out, size_t *off, const char **why);

/* auth.c: true when the request may go on (principal set or anonymous). */
bool apic__auth_check(struct apic_ctx *ctx);

/* cors.c */
void apic__cors_headers(struct apic_ctx *ctx);
/* Answers an OPTIONS request for the matched resource (204, preflight). */
void apic__cors_options(struct apic_ctx *ctx, const char *allow);

/* docs.c */
int apic__docs_init(struct apic_server *srv);
void apic__docs_serve(struct apic_ctx *ctx);
void apic__statics_free(struct apic_server *srv);
bool apic__docs_match(struct apic_ctx *ctx, const char *path, size_t len);

/* loop.c: the event loop's thread, started and stopped by apic_server_run(). */
int apic__loop_init(struct apic_server *srv);
int apic__loop_start(struct apic_server *srv);
void apic__loop_stop(struct apic_server *srv);
void apic__loop_free(struct apic_server *srv);
/* Runs fn(cls) on the loop thread: at once when called there, else posted.
 * -1 on out of memory. */
int apic__loop_call(struct apic_server *srv, void (*fn)(void *cls), void *cls);
/* The tester, which has no loop thread, makes its own thread the loop's
 * (enter, leave) and runs the loop there until *done. */
void apic__loop_enter(struct apic_server *srv);
void apic__loop_run_until(struct apic_server *srv, const atomic_bool *done);
void apic__loop_leave(struct apic_server *srv);

/* async.c: suspended requests. A transport parks a suspended request after
 * the handler returned (server.c: MHD_suspend_connection()); the loop later
 * calls `resume` exactly once, when the reply, the deadline or the client's
 * disconnect (`fd` closed; -1: not watched) decided how it ends. */
enum apic__async_end { APIC__ASYNC_REPLIED, APIC__ASYNC_EXPIRED, APIC__ASYNC_GONE };
void apic__async_park(struct apic_ctx *ctx, int fd, void (*resume)(struct apic_ctx *ctx, void *cls),
		      void *cls);
/* After `resume`, on the transport's thread: how it ended. EXPIRED: the
 * prepared 504 is in ctx->status/ctype/rbody/rlen, headers in *hdrs. */
enum apic__async_end apic__async_outcome(struct apic_ctx *ctx, const struct apic__rhdr **hdrs);
/* The transport is done with a suspended request (completed, or gone). */
void apic__async_transport_done(struct apic_ctx *ctx, size_t bytes);
/* During a stop: ends every suspended request with a 504 (loop thread). */
void apic__async_stop_all(void *srv);
/* True on the thread that is writing a suspended request's reply. */
bool apic__async_owned(const struct apic_ctx *ctx);
/* In apic__reply(): a suspended request's reply. */
int apic__async_reply(struct apic_ctx *ctx, int status, const char *ctype, const char *body,
		      size_t len);

/* sse.c: event streams on libmicrohttpd. */
/* One of --max-streams, for a stream or a WebSocket: 0, or -1 with the 503
 * made (also while stopping). */
int apic__slot_take(struct apic_ctx *ctx);
void apic__slot_give(struct apic_server *srv);
struct MHD_Response;
struct MHD_Connection;
/* The response of a stream reply (ctx->stream), read as events come. */
struct MHD_Response *apic__stream_response(struct apic_ctx *ctx, struct MHD_Connection *con);
/* The request ended: unsubscribed, freed. */
void apic__stream_free(struct apic_ctx *ctx);
int apic__streams_start(struct apic_server *srv);
/* A stop: every stream ends after what it holds (SIGTERM). */
void apic__streams_end_all(struct apic_server *srv);
void apic__streams_stop(struct apic_server *srv);

/* ws.c: the upgrade response of an accepted WebSocket (ctx->ws, a 101). */
struct MHD_Response *apic__ws_response(struct apic_ctx *ctx);
/* The request of an accepted WebSocket ends without the upgrade. */
void apic__ws_abandoned(struct apic_ctx *ctx);
/* A stop: every WebSocket closes with 1001 (loop thread). */
void apic__ws_close_all(void *srv);

/* jobs.c: the background pool. */
int apic__jobs_start(struct apic_server *srv);
/* Stops taking work, runs what is queued for at most `deadline_ns` more,
 * drops the rest (logged), joins the threads. */
void apic__jobs_stop(struct apic_server *srv, uint64_t deadline_ns);
void apic__jobs_free(struct apic_server *srv);
/* Queues the request's background work (after its reply). */
void apic__jobs_flush_ctx(struct apic_ctx *ctx);

/* desc_encode.c: the JSON of a request body (a client's), readonly members
 * left out, writeonly ones written; v and count as the decoder takes them. */
void apic__encode_request(struct apic_buf *b, const struct apic_type *t, const void *v,
			  const size_t *count);

/* request.c: the X-Request-Id of the request whose handler runs on this
 * thread (or, client_loop.c, of the request that started the call whose
 * callback runs), NULL outside: what a client call started here passes on. */
extern _Thread_local const char *apic__current_rid;

/* log.c */
void apic__log(const struct apic_server *srv, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* apic__log for lines clients can trigger: at most 10 per second. */
void apic__log_limited(const struct apic_server *srv, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void apic__access_log(const struct apic_ctx *ctx, size_t bytes);
/* Buffer access lines per thread (flushed every 200 ms) while serving. */
void apic__log_start(void);
void apic__log_stop(void);
void apic__request_id(struct apic_ctx *ctx);

#endif
