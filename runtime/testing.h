/* Runs the whole request pipeline of a server (routing, auth, body limits,
 * content-type, strict JSON parse, generated decoders, handlers, error
 * rendering) in-process, without a socket: for table-driven decoder tests,
 * differential validation, fuzzing and micro-benchmarks. Not installed. */
#ifndef APIC_TESTING_H
#define APIC_TESTING_H

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
	int status;
	char *content_type;       /* malloc'd, or NULL */
	char *headers;            /* malloc'd "Name: value\n" lines, or NULL */
	char *body;               /* malloc'd, NUL-terminated, or NULL */
	size_t body_len;
};

/* A server for `api` that is never started. argv-style runtime flags may be
 * applied with apic_server_parse_args() on the returned server before the
 * first request. NULL on out of memory. */
struct apic_tester *apic_tester_new(const struct apic_api *api);
struct apic_server *apic_tester_server(struct apic_tester *t);
/* Runs one request to completion. Returns 0, -1 on out of memory. */
int apic_tester_run(struct apic_tester *t, const struct apic_test_request *req,
		    struct apic_test_response *resp);
void apic_test_response_free(struct apic_test_response *resp);
void apic_tester_free(struct apic_tester *t);

#endif
