/* The C side of the differential validation (tests/diff/diff.cjs): runs each
 * request of a case file through the generated decoders with the in-process
 * pipeline of runtime/apic_test.h and prints what the server answered.
 *
 * usage: diff_driver CASES OUT
 * CASES holds one JSON object per line: {"api": "testapi", "op": "echoScalars",
 * "method": "POST", "target": "/t/scalars", "body": "<raw JSON text>"}
 * ("body" absent: no body; "headers": ["Name", "value", ...] optional). The driver adds Content-Type: application/json
 * and, when the route needs one, a credential that an accept-all verifier
 * takes. OUT gets one JSON object per case: {"status": 422, "body": "..."}.
 * A request that passes every check reaches the generated weak handler,
 * which answers 501. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apic_test.h"

extern const struct apic_api testapi_api, petstore_api, conduit_api;

static const struct {
	const char *name;
	const struct apic_api *api;
} apis[] = {
	{ "testapi", &testapi_api },
	{ "petstore", &petstore_api },
	{ "conduit", &conduit_api },
};

#define NAPIS (sizeof apis / sizeof *apis)

static enum apic_auth_result accept_all(struct apic_ctx *ctx, const struct apic_credential *cred,
					void *cls, void **principal)
{
	(void)ctx;
	(void)cred;
	*principal = cls;
	return APIC_AUTH_OK;
}

static struct apic_tester *tester_for(const struct apic_api *api)
{
	struct apic_tester *t = apic_tester_new(api);
	static int principal;

	if (!t)
		return NULL;
	for (size_t i = 0; i < api->nschemes; i++)
		apic_server_set_verifier(apic_tester_server(t), api->schemes[i]->name,
					 accept_all, &principal);
	return t;
}

static const struct apic_route *route_of(const struct apic_api *api, const char *op)
{
	for (size_t i = 0; i < api->nroutes; i++)
		if (strcmp(api->routes[i].operation_id, op) == 0)
			return &api->routes[i];
	return NULL;
}

/* Runs one case; returns the status, or -1 after printing why not. */
static int run_case(struct apic_tester *const *testers, json_object *c, FILE *out)
{
	json_object *v;
	const char *api_name, *op, *body = NULL;
	size_t body_len = 0, i;
	const char *headers[40] = { "Content-Type", "application/json" };
	size_t nh = 2;
	char target[4096], cookie[256];
	const struct apic_route *route;
	struct apic_test_request req = { 0 };
	struct apic_test_response resp = { 0 };
	json_object *res;

	if (!json_object_object_get_ex(c, "api", &v) || !(api_name = json_object_get_string(v)))
		return -1;
	for (i = 0; i < NAPIS && strcmp(apis[i].name, api_name) != 0; i++)
		;
	if (i == NAPIS || !json_object_object_get_ex(c, "op", &v))
		return -1;
	op = json_object_get_string(v);
	route = route_of(apis[i].api, op);
	if (!route) {
		fprintf(stderr, "diff_driver: %s has no operation %s\n", api_name, op);
		return -1;
	}
	json_object_object_get_ex(c, "method", &v);
	req.method = json_object_get_string(v);
	json_object_object_get_ex(c, "target", &v);
	snprintf(target, sizeof target, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(c, "body", &v) && v) {
		body = json_object_get_string(v);
		body_len = (size_t)json_object_get_string_len(v);
	}
	if (json_object_object_get_ex(c, "headers", &v) && json_object_is_type(v, json_type_array))
		for (size_t k = 0; k < json_object_array_length(v) && nh < 32; k++)
			headers[nh++] = json_object_get_string(json_object_array_get_idx(v, k));
	if (route->security) {
		const struct apic_security *sec = route->security;

		switch (sec->kind) {
		case APIC_AUTH_BEARER:
			headers[nh++] = "Authorization";
			headers[nh++] = "Bearer token";
			break;
		case APIC_AUTH_BASIC:
			headers[nh++] = "Authorization";
			headers[nh++] = "Basic dXNlcjpwdw=="; /* user:pw */
			break;
		case APIC_AUTH_APIKEY:
			if (sec->in == APIC_IN_QUERY) {
				size_t n = strlen(target);

				snprintf(target + n, sizeof target - n, "%s%s=key",
					 strchr(target, '?') ? "&" : "?", sec->key);
			} else if (sec->in == APIC_IN_COOKIE) {
				snprintf(cookie, sizeof cookie, "%s=key", sec->key);
				headers[nh++] = "Cookie";
				headers[nh++] = cookie;
			} else {
				snprintf(cookie, sizeof cookie, "%skey", sec->prefix ? sec->prefix : "");
				headers[nh++] = sec->key;
				headers[nh++] = cookie;
			}
			break;
		}
	}
	headers[nh] = NULL;
	req.target = target;
	req.headers = headers;
	req.body = body;
	req.body_len = body_len;
	if (apic_tester_run(testers[i], &req, &resp) != 0) {
		fputs("diff_driver: out of memory\n", stderr);
		return -1;
	}
	res = json_object_new_object();
	json_object_object_add(res, "status", json_object_new_int(resp.status));
	json_object_object_add(res, "body",
			       resp.body ? json_object_new_string_len(resp.body, (int)resp.body_len)
					 : NULL);
	fprintf(out, "%s\n", json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN));
	json_object_put(res);
	apic_test_response_free(&resp);
	return 0;
}

int main(int argc, char **argv)
{
	struct apic_tester *testers[NAPIS];
	FILE *in, *out;
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	int status = 0;

	if (argc != 3) {
		fputs("usage: diff_driver CASES OUT\n", stderr);
		return 2;
	}
	in = fopen(argv[1], "r");
	out = fopen(argv[2], "w");
	if (!in || !out) {
		perror("diff_driver");
		return 3;
	}
	for (size_t i = 0; i < NAPIS; i++)
		if (!(testers[i] = tester_for(apis[i].api))) {
			fputs("diff_driver: out of memory\n", stderr);
			return 3;
		}
	while ((len = getline(&line, &cap, in)) > 0) {
		json_object *c = json_tokener_parse(line);

		n++;
		if (!c || run_case(testers, c, out) != 0) {
			fprintf(stderr, "diff_driver: %s:%zu: bad case\n", argv[1], n);
			status = 1;
			json_object_put(c);
			break;
		}
		json_object_put(c);
	}
	free(line);
	for (size_t i = 0; i < NAPIS; i++)
		apic_tester_free(testers[i]);
	fclose(in);
	if (fclose(out) != 0)
		status = 3;
	return status;
}
