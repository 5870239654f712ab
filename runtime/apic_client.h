/* libapic's HTTP client: what `apic generate --client c` output links
 * against (NAME.client.h includes this file). One struct apic_client is one
 * upstream: its base URL, its credentials, timeouts, retries and kept-alive
 * connections (libcurl). Calls are blocking (any thread) or asynchronous on
 * a server's event loop (libcurl's multi interface on libevent), with the
 * request encoded and the response decoded and validated by the same
 * descriptor tables the server uses. Reference: docs/clients.md and
 * libapic(3), CLIENT.
 *
 * Ownership in one sentence: a call's result (its decoded body, its error
 * text and violations) lives in one arena of its own, freed by
 * apic_call_free() (the generated NAME_OP__result_free()), from any
 * thread; the client keeps no pointer into the caller's params once the
 * start function returned. */
#ifndef APIC_CLIENT_H
#define APIC_CLIENT_H

#include "apic_gen.h"

#ifdef __cplusplus
extern "C" {
#endif

struct apic_client;

/* Makes a client for `api` (a generated NAME_api) at `base_url`
 * ("http://127.0.0.1:8080"; the API's basepath is appended to it, so do not
 * repeat it). Defaults: connect timeout 5 s, timeout 30 s per attempt, 2
 * retries of idempotent calls with a backoff from 100 ms. NULL on out of
 * memory, on a base URL that is not http:// or https://, or when the
 * API's patterns do not compile (logged to stderr). */
struct apic_client *apic_client_new(const struct apic_api *api, const char *base_url);

/* Frees the client. Calls still in flight on an event loop end with
 * APIC_CALL_CANCELLED (their callbacks run inside this call); after
 * apic_server_run() returned and before apic_server_free(), or from the
 * loop's thread. */
void apic_client_free(struct apic_client *c);

/* The settings below are the client's: change them before calls start,
 * not while calls are in flight on other threads. */

/* The credential sent for security scheme `scheme` (its name in the
 * schema) to every operation that uses it: a bearer token or an API key
 * (its declared prefix is added: pass the key alone), or for basic auth
 * `user` and `secret` as the password. Copied. NULL removes it (the call
 * then goes without, and the upstream answers 401). 0, or -1 for an
 * unknown scheme, a wrong kind of credential, or out of memory. */
int apic_client_set_token(struct apic_client *c, const char *scheme, const char *token);
int apic_client_set_basic(struct apic_client *c, const char *scheme, const char *user,
			  const char *secret);

/* Timeouts in milliseconds: of the connection, and of each attempt as a
 * whole (connect, send, wait, receive). 0 keeps the current value. */
void apic_client_set_timeouts(struct apic_client *c, unsigned connect_ms, unsigned total_ms);

/* Retries of an idempotent call (GET, HEAD, PUT, DELETE, OPTIONS; never
 * POST or PATCH) that failed to connect, timed out, lost its connection
 * or got 502, 503 or 504: at most `retries` more attempts, the k-th after
 * backoff_ms * 2^(k-1) (at most 10 s). 0 retries: one attempt. */
void apic_client_set_retries(struct apic_client *c, unsigned retries, unsigned backoff_ms);

/* The largest response body taken (default 8 MiB); a larger one fails the
 * call with APIC_CALL_TRANSPORT. */
void apic_client_set_max_response(struct apic_client *c, size_t bytes);

/* The X-Request-Id sent with calls that have none from a request: a call
 * started by a handler (or in the callback of a call a handler started)
 * sends that request's id; otherwise this one (copied; NULL: none). */
int apic_client_set_request_id(struct apic_client *c, const char *id);

/* A header sent with every call of the client, after the operation's own
 * ("Authorization", "Bearer T" for an upstream whose schema does not
 * declare the credential it checks). Copied. 0, or -1 for a name with ':'
 * or a space, a line break, or out of memory. */
int apic_client_add_header(struct apic_client *c, const char *name, const char *value);

/* At most `n` connections to the upstream from the event loop's calls,
 * all of them kept alive (libcurl's CURLMOPT_MAX_HOST_CONNECTIONS and
 * MAXCONNECTS): more calls at once wait for a free one, within their
 * timeout. 0 (the default): libcurl's own limits. Before
 * apic_client_attach(). */
void apic_client_set_max_connections(struct apic_client *c, unsigned n);

/* Runs the client's asynchronous calls on the event loop of `srv`
 * (apic_server_event_base()): call before apic_server_run(). When the
 * server stops, calls still in flight end with APIC_CALL_CANCELLED. 0, or
 * -1 on out of memory or when already attached. */
int apic_client_attach(struct apic_client *c, struct apic_server *srv);

/* ---- results ------------------------------------------------------------------ */

/* How a call ended. */
enum apic_call_error {
	APIC_CALL_OK = 0,        /* a status the operation declares, its body decoded and valid */
	APIC_CALL_CONNECT,       /* no connection: refused, unreachable, name not resolved */
	APIC_CALL_TIMEOUT,       /* the connect timeout or the attempt's timeout passed */
	APIC_CALL_STATUS,        /* a status the operation does not declare */
	APIC_CALL_BODY,          /* a declared status whose body breaks the contract: wrong
				  * content type, not JSON, or violations of its schema (or
				  * of its declared headers) */
	APIC_CALL_TRANSPORT,     /* any other failure of the exchange (reset, bad HTTP, too large) */
	APIC_CALL_REQUEST,       /* the request could not be made: a required value missing,
				  * a header value with a line break, out of memory */
	APIC_CALL_CANCELLED,     /* the client was freed or its server stopped first */
};

/* One violation of a response: as the server's decoder reports a
 * request's ("/pet/name", "wrong_type", "must be a string, got number"). */
struct apic_call_violation {
	enum apic_where where;   /* APIC_IN_BODY, or APIC_IN_HEADER for a declared response header */
	const char *pointer;     /* body: RFC 6901 JSON pointer ("" for the body itself);
				  * header: its name */
	const char *code;        /* APIC_V_* */
	const char *message;
};

/* The common head of every generated NAME_OP__result. */
struct apic_call {
	enum apic_call_error error;
	int status;              /* the HTTP status received; 0 when none was */
	unsigned attempts;       /* attempts made (retries + 1) */
	/* What went wrong, for logs and problem details: "connect to
	 * 127.0.0.1:9 failed: Connection refused", "status 418 is not a
	 * response of getPet", "/name: must be a string, got number"; "" for
	 * APIC_CALL_OK. */
	const char *message;
	/* APIC_CALL_BODY: every violation found (at most 20, as the server's
	 * 422 lists them); violation_count counts them all. */
	const struct apic_call_violation *violations;
	size_t nviolations, violation_count;
	/* The response as received: its Content-Type (or NULL) and body
	 * (NUL-terminated; NULL when empty). */
	const char *content_type;
	const char *body;
	size_t body_len;
	struct apic_ctx *arena;  /* the call's memory (internal) */
};

/* An RFC 9457 problem details body (the runtime's own error shape), as a
 * declared error status of an API without `errors MODEL` carries it. */
struct apic_problem_error {
	struct apic_str location, pointer, name, code, message;
};
struct apic_problem {
	struct apic_str type, title, detail;
	int64_t status;          /* 0 when absent */
	const struct apic_problem_error *errors; /* 422: the violations the upstream found */
	size_t nerrors;
};

/* Frees a result's memory (its body and every string in it); NULL and a
 * result already freed (all zero) are fine. */
void apic_call_free(struct apic_call *call);

/* The HTTP status a gateway answers for a failed upstream call: 504 for
 * APIC_CALL_TIMEOUT, 502 for every other error, 0 for APIC_CALL_OK. */
int apic_call_gateway_status(const struct apic_call *call);

/* Replies with the problem detail of a failed call, in the API's error
 * shape: 504 or 502 (apic_call_gateway_status()), naming `upstream` and
 * what broke ("petstore: /name: must be a string, got number"). The reply's
 * result, as apic_ctx_reply_error(). */
int apic_ctx_reply_upstream_error(struct apic_ctx *ctx, const char *upstream,
				  const struct apic_call *call);

/* ---- joining calls ------------------------------------------------------------ */

/* "N calls, then one callback": each call started with the generated
 * NAME_client_OP_join() stores its result in its slot; once every one is
 * back and apic_join_start() was called, `done` runs once, on the loop's
 * thread, and the join is freed after it returns. With `ctx` (a suspended
 * request) the results are freed with the request's memory; without, the
 * caller frees each one. NULL on out of memory. */
struct apic_join;
struct apic_join *apic_join_new(struct apic_ctx *ctx, void (*done)(void *cls), void *cls);
/* After the last call was started: from then on `done` may run. */
void apic_join_start(struct apic_join *j);

/* ---- for generated code ------------------------------------------------------- */

/* One response an operation declares. */
struct apic_client_response {
	int status;
	unsigned media;                  /* enum apic_reply_media flags; 0: no body */
	const struct apic_type *type;    /* the JSON body's type, or NULL */
	size_t off, count_off;           /* where its value goes in the result */
	bool error;                      /* the API's error shape is taken too */
	/* Its declared headers, with offsets into the result (`has_` flags
	 * of optional ones at has_off). */
	const struct apic_param *headers;
	size_t nheaders;
};

/* One operation, as the client calls it. */
struct apic_client_op {
	enum apic_method method;
	const char *path;                /* template relative to the basepath */
	const char *operation_id;
	const struct apic_request *request; /* the params struct's layout */
	bool body_optional;              /* `body?`: a NULL model body is sent as none */
	int scheme;                      /* index into api->schemes; -1: no auth */
	const struct apic_client_response *responses;
	size_t nresponses;
	size_t result_size;
	/* The API's error shape: its model's type (NULL: problem+json, into a
	 * struct apic_problem), and where a declared error status's value goes. */
	const struct apic_type *error_type;
	size_t error_off;
	/* Calls the typed callback `fn` with the result; stores a result
	 * (or NULL) in a typed result pointer (generated). */
	void (*finish)(struct apic_call *result, void (*fn)(void), void *cls);
	void (*store)(void *slot, struct apic_call *result);
};

/* The blocking call: `out` (op->result_size bytes) is filled. Returns 0
 * for APIC_CALL_OK, -1 otherwise (out->error says why). */
int apic_client_call(struct apic_client *c, const struct apic_client_op *op, const void *in,
		     struct apic_call *out);
/* The asynchronous call: the result is allocated, and op->finish(result,
 * fn, cls) runs on the loop's thread when it is known (never before this
 * returns). 0, or -1 when the client is not attached or out of memory
 * (nothing will run then). */
int apic_client_start(struct apic_client *c, const struct apic_client_op *op, const void *in,
		      void (*fn)(void), void *cls);
/* The same, storing the result in the typed pointer at `slot` and
 * counting it in `j`. */
int apic_client_start_join(struct apic_client *c, const struct apic_client_op *op, const void *in,
			   void *slot, struct apic_join *j);
/* apic_client_new() for generated code: `local` lists the patterns of
 * the client's own descriptor tables (NULL: none). */
struct apic_client *apic_client_new_ex(const struct apic_api *api, const struct apic_api *local,
				       const char *base_url);

#ifdef __cplusplus
}
#endif
#endif
