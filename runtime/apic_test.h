/* The test client: runs the whole request pipeline of a server (routing,
 * auth, body limits, content-type, strict JSON parse, generated decoders,
 * handlers, error rendering, response headers) in-process, without a
 * socket. For an application's own tests (set the server up as main() does,
 * replace verifiers with test doubles through apic_server_set_verifier(),
 * send requests, check status, headers and body), and for table-driven
 * decoder tests, differential validation, fuzzing and micro-benchmarks.
 * Reference: libapic(3), TESTING. */
#ifndef APIC_TEST_H
#define APIC_TEST_H

#include "apic_gen.h"

struct apic_tester;

struct apic_test_request {
	const char *method;       /* "GET", "POST", ... */
	const char *target;       /* raw request target: "/pets/7?limit=5" (not decoded) */
	const char *const *headers; /* name, value, name, value, ..., NULL; may be NULL */
	const char *body;         /* may hold NUL bytes; NULL: no body */
	size_t body_len;
};

struct apic_test_response {
	int status;               /* 0: the server would have dropped the connection */
	char *content_type;       /* malloc'd, or NULL */
	char *headers;            /* malloc'd "Name: value\n" lines, or NULL */
	char *body;               /* malloc'd, NUL-terminated, or NULL */
	size_t body_len;
	char *scratch;            /* apic_test_response_header()'s last answer */
};

/* A server for `api` that is never started. argv-style runtime flags may be
 * applied with apic_server_parse_args() on the returned server before the
 * first request. NULL on out of memory. */
struct apic_tester *apic_tester_new(const struct apic_api *api);
struct apic_server *apic_tester_server(struct apic_tester *t);
/* Runs one request to completion. Returns 0; -1 on out of memory or when
 * the API's stored OpenAPI document is damaged (logged, as a server's
 * start would fail). */
int apic_tester_run(struct apic_tester *t, const struct apic_test_request *req,
		    struct apic_test_response *resp);
/* The short form: `headers` is name, value, ..., NULL (or NULL); a `body`
 * (text, or NULL for none) is sent as application/json unless the headers
 * give a Content-Type. Returns as apic_tester_run(). */
int apic_tester_call(struct apic_tester *t, const char *method, const char *target,
		     const char *const *headers, const char *body, struct apic_test_response *resp);
/* The value of the response header `name` (the first; any case), or NULL.
 * Valid until the next call on `resp` or its free. */
const char *apic_test_response_header(struct apic_test_response *resp, const char *name);
void apic_test_response_free(struct apic_test_response *resp);
void apic_tester_free(struct apic_tester *t);

#endif
