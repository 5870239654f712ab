/* Private to the HTTP client (client.c, client_req.c, client_loop.c):
 * the client, one call in flight, and what the files give each other. */
#ifndef APIC_CLIENT_INT_H
#define APIC_CLIENT_INT_H

#include "apic_client.h"
#include "internal.h"

#include <curl/curl.h>

struct apic__cloop;
struct apic__jrec;

/* The credential of one security scheme (by its index in api->schemes). */
struct apic__cred {
	char *token;                  /* bearer token or API key, NULL: none */
	char *user, *secret;          /* basic */
};

struct apic_client {
	const struct apic_api *api;
	char *base;                   /* base URL + basepath, no '/' at the end */
	struct apic__cred *creds;
	unsigned connect_ms, total_ms, retries, backoff_ms;
	size_t max_response;
	char *request_id;
	char **extra;                 /* apic_client_add_header(): "Name: value" lines */
	size_t nextra;
	unsigned max_conns;           /* apic_client_set_max_connections(); 0: libcurl's */
	bool patterns;                /* this client holds the API's patterns */
	const struct apic_api *local; /* and these (apic_client_new_ex()) */
	/* idle easy handles of blocking calls (each keeps its connections) */
	pthread_mutex_t mu;
	CURL **pool;
	size_t npool, cappool;
	struct apic__cloop *loop;     /* apic_client_attach(); NULL: blocking only */
};

struct apic__call {
	struct apic_client *c;
	const struct apic_client_op *op;
	struct apic_ctx *ctx;         /* the call's arena; its memory is the result's */
	struct apic_call *res;
	/* the request, made once for every attempt */
	const char *method;
	bool idempotent;
	char *url;
	struct curl_slist *headers;
	char *body;
	size_t body_len;
	bool has_body;
	const char *basic_user, *basic_secret;
	const char *rid;              /* X-Request-Id sent, or NULL */
	/* the response of the current attempt */
	char *rbuf;
	size_t rlen, rcap;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
	CURL *easy;
	/* async (client_loop.c) */
	void (*fn)(void);
	void *cls;
	void *slot;                   /* joined: where op->store() puts the result */
	struct apic_join *join;
	struct apic__jrec *jrec;      /* joined with a request: freed with it */
	struct event *retry_ev;
	bool added;                   /* in the multi handle */
	struct apic__call *prev, *next;
};

/* client_req.c: the call for `op` with params `in`, its request made into
 * its own arena; res NULL: the result is allocated there too. NULL when
 * out of memory. A request that cannot be made leaves res->error set to
 * APIC_CALL_REQUEST. */
struct apic__call *apic__call_new(struct apic_client *c, const struct apic_client_op *op,
				  const void *in, struct apic_call *res);
/* client.c */
/* Sets the easy handle up for the next attempt (reset first: options go,
 * connections stay). */
void apic__call_setup(struct apic__call *k, CURL *e);
/* Whether an attempt that ended so is tried again (counts the attempt). */
bool apic__call_retry(struct apic__call *k, CURLcode rc, unsigned *delay_ms);
/* The HTTP status of the last attempt (0: none). */
long apic__call_status(struct apic__call *k);
/* client_resp.c: the result of the last attempt: error, status, message,
 * decoded body and headers. */
void apic__call_finish(struct apic__call *k, CURLcode rc);
/* The result of a call that never ran to its end. */
void apic__call_fail(struct apic__call *k, enum apic_call_error err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
CURL *apic__easy_new(void);
/* client_loop.c: apic_client_free()'s part for an attached client. */
void apic__client_loop_free(struct apic_client *c);

#endif
