/* The request pipeline in-process (apic_test.h), on the hand-written API:
 * routing, limits, framing, content type, strict JSON, violations, auth,
 * error shapes, built-in endpoints, CORS, flag defaults set by the
 * application. Exact statuses and bodies. */
#include "apic_test.h"
#include "../http/handapi.h"
#include "tap.h"
/* APIC_SWAGGER_DIR unless libapic was built --without-swagger-ui. */
#include "swagger-config.h"

#include <stdlib.h>
#include <unistd.h>

static struct apic_tester *T;

struct res {
	int status;
	char *ctype, *headers, *body;
	size_t len;
};

static struct res R;

static void run(const char *method, const char *target, const char *const *headers,
		const char *body, size_t body_len)
{
	struct apic_test_request rq = { method, target, headers, body, body_len };
	struct apic_test_response rs;
	free(R.ctype);
	free(R.headers);
	free(R.body);
	memset(&R, 0, sizeof R);
	if (apic_tester_run(T, &rq, &rs) != 0) {
		R.status = -1;
		return;
	}
	R.status = rs.status;
	R.ctype = rs.content_type;
	R.headers = rs.headers;
	R.body = rs.body;
	R.len = rs.body_len;
}

static int ready_calls;
static int not_ready(void *cls)
{
	(void)cls;
	ready_calls++;
	return -1;
}

static void get(const char *target)
{
	run("GET", target, NULL, NULL, 0);
}

/* GET of a target "/api/bbb..." of `len` bytes. */
static void get_long(size_t len)
{
	char *t = malloc(len + 1);
	memset(t, 'b', len);
	memcpy(t, "/api/", 5);
	t[len] = '\0';
	get(t);
	free(t);
}

static const char *const json_ct[] = { "Content-Type", "application/json", NULL };

static void post_json(const char *target, const char *body, size_t n)
{
	run("POST", target, json_ct, body, n);
}

/* The value of response header `name` (static buffer), or NULL. */
static const char *hdr(const char *name)
{
	static char val[512];
	size_t n = strlen(name);
	for (const char *p = R.headers; p && *p;) {
		const char *nl = strchr(p, '\n');
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			size_t vl = (size_t)(nl - p) - n - 2;
			memcpy(val, p + n + 2, vl);
			val[vl] = '\0';
			return val;
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	return NULL;
}

static void malformed(const char *body, size_t n, const char *detail)
{
	run("PUT", "/api/echo", json_ct, body, n);
	is_int(R.status, 400, "malformed JSON: %s -> 400", detail);
	if (R.body && strstr(R.body, detail) == NULL)
		ok(0, "detail names '%s': %s", detail, R.body);
}

static void well_formed(const char *body, const char *echo)
{
	run("PUT", "/api/echo", json_ct, body, strlen(body));
	is_int(R.status, 200, "well-formed JSON %s", body);
	is_str(R.body, echo, "json-c saw %s", body);
}

static void test_routing(void)
{
	get("/api/pets/7");
	is_int(R.status, 200, "GET /api/pets/7");
	is_str(R.body, "{\"id\":7,\"name\":\"pet\"}", "path parameter decoded and typed");
	is_str(R.ctype, "application/json", "content type");
	ok(hdr("X-Request-Id") && strlen(hdr("X-Request-Id")) == 16, "a request id is generated");

	get("/api/pets/mine");
	is_str(R.body, "{\"mine\":true}", "a literal segment beats a parameter");

	get("http://example.com/api/pets/8");
	is_str(R.body, "{\"id\":8,\"name\":\"pet\"}", "absolute-form target");

	get("/api/pets/abc");
	is_int(R.status, 422, "bad path parameter -> 422");
	is_str(R.body,
	       "{\"type\":\"about:blank\",\"title\":\"Unprocessable Content\",\"status\":422,"
	       "\"detail\":\"1 violation in the request\",\"errors\":[{\"location\":\"path\","
	       "\"name\":\"petId\",\"code\":\"invalid\",\"message\":\"must be an integer\"}]}",
	       "422 problem body");
	is_str(R.ctype, "application/problem+json", "problem content type");

	get("/api/nothing");
	is_int(R.status, 404, "unknown path -> 404");
	is_str(R.body,
	       "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such resource\"}",
	       "404 body");
	get("/api/pets/");
	is_int(R.status, 404, "trailing slash -> 404");
	get("//api/pets");
	is_int(R.status, 404, "empty segment -> 404");
	get("/pets/7");
	is_int(R.status, 404, "outside the basepath -> 404");

	run("POST", "/api/pets/7", NULL, NULL, 0);
	is_int(R.status, 405, "POST on a GET/DELETE resource -> 405");
	is_str(hdr("Allow"), "GET, HEAD, DELETE, OPTIONS", "Allow lists the resource's methods");
	run("PATCH", "/api/pets/mine", NULL, NULL, 0);
	is_str(hdr("Allow"), "GET, HEAD, DELETE, OPTIONS", "Allow is the union of matching resources");
	run("BREW", "/api/pets", NULL, NULL, 0);
	is_int(R.status, 405, "unknown method -> 405");

	run("HEAD", "/api/pets/7", NULL, NULL, 0);
	is_int(R.status, 200, "HEAD runs GET");
	ok(R.body == NULL, "HEAD has no body");

	run("OPTIONS", "/api/pets", NULL, NULL, 0);
	is_int(R.status, 204, "OPTIONS -> 204");
	is_str(hdr("Allow"), "GET, HEAD, POST, OPTIONS", "OPTIONS Allow");

	get("/api/files/a%2Fb%20c");
	is_str(R.body, "{\"got\":\"a/b c\"}", "%%2F stays inside its segment");
	get("/api/files/a%00b");
	is_int(R.status, 422, "%%00 in a parameter -> 422");
	is_str(R.body,
	       "{\"type\":\"about:blank\",\"title\":\"Unprocessable Content\",\"status\":422,"
	       "\"detail\":\"1 violation in the request\",\"errors\":[{\"location\":\"path\","
	       "\"name\":\"name\",\"code\":\"invalid\",\"message\":\"contains NUL (%00)\"}]}",
	       "a violation of that parameter");
	get("/api/files/a%zzb");
	is_int(R.status, 422, "bad escape in a parameter -> 422");
	get("/api/files/%ff");
	is_int(R.status, 422, "invalid UTF-8 in a parameter -> 422");
	get("/api/fil%00es/x");
	is_int(R.status, 404, "%%00 in a literal segment -> 404");
	get("/api/many?n=1%00");
	is_int(R.status, 422, "%%00 in a query value -> 422");
	ok(strstr(R.body, "\"detail\":\"1 violation in the request\"") &&
	   strstr(R.body, "{\"location\":\"query\",\"name\":\"n\",\"code\":\"invalid\","
			  "\"message\":\"contains NUL (%00)\"}"),
	   "one violation of that parameter (the handler's own about it left out)");
	get("/api/files/%70ets");
	is_str(R.body, "{\"got\":\"pets\"}", "encoded parameter decoded once");

	get_long(8192);
	is_int(R.status, 404, "a target of exactly 8192 bytes is routed");
	get_long(8999);
	is_int(R.status, 414, "target > 8 KiB -> 414");

	const char *many[205];
	for (int i = 0; i < 101; i++) {
		many[2 * i] = "X-Many";
		many[2 * i + 1] = "1";
	}
	many[202] = NULL;
	run("GET", "/api/pets/7", many, NULL, 0);
	is_int(R.status, 431, "101 header fields -> 431");

	get("/api/headers?tag=a%20b&tag=c+d&x");
	is_str(R.body, "{\"got\":\"h= c= n=2 first=a b\"}", "repeated query parameters decoded");
	const char *hc[] = { "X-Thing", "v1", "Cookie", "a=1; flavour=\"choc\"", NULL };
	run("GET", "/api/headers", hc, NULL, 0);
	is_str(R.body, "{\"got\":\"h=v1 c=choc n=0 first=\"}", "header and quoted cookie");
}

static void test_bodies(void)
{
	post_json("/api/pets", "{\"name\":\"rex\"}", 14);
	is_int(R.status, 201, "POST valid body -> 201");
	is_str(R.body, "{\"id\":1,\"name\":\"rex\"}", "201 body");
	is_str(hdr("Location"), "/api/pets/1", "handler header");

	run("POST", "/api/pets", NULL, "{\"name\":\"rex\"}", 14);
	is_int(R.status, 415, "no Content-Type -> 415");
	static const struct {
		const char *ctype;
		int status;
		const char *what;
	} ctypes[] = {
		{ "text/plain", 415, "text/plain -> 415" },
		{ "application/merge-patch+json", 201, "+json suffix accepted" },
		{ "Application/JSON ; charset=utf-8", 201, "parameters and case accepted" },
		{ "application/json;charset=\"UTF-8\"", 201, "charset=\"UTF-8\" accepted" },
		{ "application/json; charset=latin1", 415, "charset=latin1 -> 415 (JSON is UTF-8)" },
		{ "application/json; foo=bar; Charset=utf-16", 415, "charset=utf-16 after another parameter -> 415" },
		{ "application/json; profile=x", 201, "other parameters accepted" },
	};
	for (size_t i = 0; i < sizeof ctypes / sizeof ctypes[0]; i++) {
		const char *h[] = { "Content-Type", ctypes[i].ctype, NULL };
		run("POST", "/api/pets", h, "{\"name\":\"rex\"}", 14);
		is_int(R.status, ctypes[i].status, "%s", ctypes[i].what);
	}

	char big[300];
	memset(big, ' ', sizeof big);
	big[0] = '{';
	big[299] = '}';
	post_json("/api/pets", big, sizeof big);
	is_int(R.status, 413, "body over the route's max_body -> 413");
	const char *chunked[] = { "Content-Type", "application/json", "Transfer-Encoding", "chunked", NULL };
	run("POST", "/api/pets", chunked, big, sizeof big);
	is_int(R.status, 413, "chunked body over the limit -> 413");

	run("POST", "/api/pets", json_ct, NULL, 0);
	is_int(R.status, 422, "missing body -> 422");
	is_str(R.body,
	       "{\"type\":\"about:blank\",\"title\":\"Unprocessable Content\",\"status\":422,"
	       "\"detail\":\"1 violation in the request\",\"errors\":[{\"location\":\"body\","
	       "\"pointer\":\"\",\"code\":\"missing\",\"message\":\"a JSON request body is required\"}]}",
	       "missing body violation");

	const char *bad = "{\"name\":\"toolongname\",\"x~/\":1,\"tags\":[\"a\",2]}";
	post_json("/api/pets", bad, strlen(bad));
	is_int(R.status, 422, "violations -> 422");
	is_str(R.body,
	       "{\"type\":\"about:blank\",\"title\":\"Unprocessable Content\",\"status\":422,"
	       "\"detail\":\"3 violations in the request\",\"errors\":["
	       "{\"location\":\"body\",\"pointer\":\"/name\",\"code\":\"too_long\",\"message\":\"must be at most 8 characters, got 11\"},"
	       "{\"location\":\"body\",\"pointer\":\"/x~0~1\",\"code\":\"unknown_property\",\"message\":\"is not allowed\"},"
	       "{\"location\":\"body\",\"pointer\":\"/tags/1\",\"code\":\"wrong_type\",\"message\":\"must be a string\"}]}",
	       "every violation with its JSON pointer");

	/* malformed JSON, one rule each */
	malformed("{\"a\":NaN}", 9, "at byte 5: unexpected character");
	malformed("Infinity", 8, "at byte 0: unexpected character");
	malformed("-Infinity", 9, "at byte 1: invalid number");
	malformed("[01]", 4, "at byte 2: leading zero");
	malformed("[-012]", 6, "leading zero");
	malformed("[1.]", 4, "at byte 3: digit expected after '.'");
	malformed("[1e]", 4, "digit expected in exponent");
	malformed("{'a':1}", 7, "at byte 1: object key must be a string");
	malformed("[\"a\tb\"]", 7, "at byte 3: raw control character");
	malformed("[\"a\0b\"]", 7, "at byte 3: NUL byte in string");
	malformed("[1]\0", 4, "at byte 3: NUL byte");
	malformed("[\"\xff\"]", 5, "at byte 2: invalid UTF-8");
	malformed("[\"\xc0\xaf\"]", 6, "invalid UTF-8");
	malformed("[\"\xe0\x80\xaf\"]", 7, "invalid UTF-8");
	malformed("[\"\xed\xa0\x80\"]", 7, "invalid UTF-8");
	malformed("[\"\xf4\x90\x80\x80\"]", 8, "invalid UTF-8");
	malformed("[\"\\ud800\"]", 10, "lone high surrogate");
	malformed("[\"\\ud800\\u0041\"]", 16, "lone high surrogate");
	malformed("[\"\\udc00\"]", 10, "lone low surrogate");
	malformed("[\"\\x\"]", 6, "invalid escape");
	malformed("{\"a\":1,\"a\":2}", 13, "at byte 0: duplicate key in the object starting here");
	malformed("{\"a\":1,\"\\u0061\":2}", 18, "at byte 0: duplicate key");
	malformed("[{\"b\":{}},{\"k\":1,\"k\":1}]", 24, "at byte 10: duplicate key");
	malformed("{\"a\\u0000b\":1}", 14, "\\\\u0000 in an object key");
	malformed("[1e999]", 7, "at byte 1: number out of range");
	malformed("[-1e400]", 8, "number out of range");
	/* Integers beyond int64/uint64 reach json-c as doubles; beyond the
	 * double range they are malformed, as 1e999 is. */
	well_formed("[18446744073709551616]", "[18446744073709551616e0]");
	well_formed("[-9223372036854775809,1]", "[-9223372036854775809e0,1]");
	char huge[320] = "[";
	memset(huge + 1, '9', 310);
	huge[311] = ']';
	malformed(huge, 312, "at byte 1: number out of range");
	malformed("{} x", 4, "at byte 3: data after the JSON value");
	malformed("   ", 3, "at byte 3: unexpected end of input");
	malformed("[1,]", 4, "unexpected character");
	malformed("{\"a\" 1}", 7, "':' expected");
	malformed("[1 2]", 5, "',' or ']' expected");
	malformed("TRUE", 4, "unexpected character");
	malformed("[\"abc", 5, "unterminated string");
	post_json("/api/pets", "[[[[1]]]]", 9);
	is_int(R.status, 400, "deeper than the route's json_depth -> 400");
	ok(R.body && strstr(R.body, "nested too deeply"), "depth detail");
	char *many = malloc(20003);
	many[0] = '[';
	for (int i = 0; i < 10001; i++) {
		many[1 + 2 * i] = '0';
		many[2 + 2 * i] = ',';
	}
	many[20001] = ']';
	run("PUT", "/api/echo", json_ct, many, 20002);
	is_int(R.status, 400, "10001 values -> 400");
	ok(R.body && strstr(R.body, "more than 10000 values"), "value cap detail");
	many[2 + 2 * 9998] = ']'; /* [0,0,...,0] with 9999 zeros: 10000 values */
	run("PUT", "/api/echo", json_ct, many, 2 + 2 * 9998 + 1);
	is_int(R.status, 200, "10000 values accepted");
	free(many);
	ok(R.body && strstr(R.body, "\"offset\"") == NULL, "no offset on success");
	malformed("[1,x]", 5, "at byte 3");
	ok(R.body && strstr(R.body, "\"offset\":3"), "offset member in the problem body");

	well_formed("12", "12");
	well_formed(" {\"a\":{\"b\":[1,2.5,-0,true,null,\"\\ud83d\\ude00\"]}} ",
		    "{\"a\":{\"b\":[1,2.5,0,true,null,\"\xf0\x9f\x98\x80\"]}}");
	well_formed("[18446744073709551615,-9223372036854775808,1e308,1E-400]",
		    "[18446744073709551615,-9223372036854775808,1e308,1E-400]");
	well_formed("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	well_formed("null", "null");
	run("PUT", "/api/echo", NULL, NULL, 0);
	is_str(R.body, "none", "optional body absent");
}

static void test_auth(void)
{
	run("DELETE", "/api/pets/7", NULL, NULL, 0);
	is_int(R.status, 401, "bearer: none -> 401");
	is_str(hdr("WWW-Authenticate"), "Bearer realm=\"Hand API\"", "bearer challenge");
	const char *good[] = { "Authorization", "Bearer good", NULL };
	run("DELETE", "/api/pets/7", good, NULL, 0);
	is_str(R.body, "{\"got\":\"alice via Bearer\"}", "bearer: principal reaches the handler");
	const char *tab[] = { "Authorization", "Bearer good\t", NULL };
	run("DELETE", "/api/pets/7", tab, NULL, 0);
	is_str(R.body, "{\"got\":\"alice via Bearer\"}", "bearer: a trailing tab is not part of the token");
	const char *lower[] = { "Authorization", "bearer good", NULL };
	run("DELETE", "/api/pets/7", lower, NULL, 0);
	is_int(R.status, 200, "bearer scheme word is case-insensitive");
	const char *badtok[] = { "Authorization", "Bearer nope", NULL };
	run("DELETE", "/api/pets/7", badtok, NULL, 0);
	is_int(R.status, 401, "bearer: invalid -> 401");
	ok(R.body && !strstr(R.body, "nope"), "the credential is not echoed");
	const char *banned[] = { "Authorization", "Bearer banned", NULL };
	run("DELETE", "/api/pets/7", banned, NULL, 0);
	is_int(R.status, 403, "bearer: forbidden -> 403");
	const char *err[] = { "Authorization", "Bearer error", NULL };
	run("DELETE", "/api/pets/7", err, NULL, 0);
	is_int(R.status, 500, "verifier error -> 500");
	const char *basic_as_bearer[] = { "Authorization", "Basic Z29vZA==", NULL };
	run("DELETE", "/api/pets/7", basic_as_bearer, NULL, 0);
	is_int(R.status, 401, "wrong scheme word -> 401");

	const char *tok[] = { "Authorization", "Token good", NULL };
	get("/api/auth/token");
	is_int(R.status, 401, "apikey header: none -> 401");
	is_str(hdr("WWW-Authenticate"), "Token realm=\"Hand API\"", "apikey challenge uses the prefix word");
	run("GET", "/api/auth/token", tok, NULL, 0);
	is_str(R.body, "{\"got\":\"alice via Token\"}", "apikey header with prefix");
	run("GET", "/api/auth/token", good, NULL, 0);
	is_int(R.status, 401, "apikey header without its prefix -> 401");
	get("/api/auth/query?api_key=good");
	is_str(R.body, "{\"got\":\"alice via KeyQuery\"}", "apikey in the query");
	get("/api/auth/query?api_key=bad");
	is_int(R.status, 401, "apikey query invalid -> 401");
	const char *cookie[] = { "Cookie", "theme=dark; session=good", NULL };
	run("GET", "/api/auth/cookie", cookie, NULL, 0);
	is_str(R.body, "{\"got\":\"alice via Session\"}", "apikey in a cookie");

	/* alice:s3cr:et!x -- the password holds a ':' */
	const char *basic[] = { "Authorization", "Basic YWxpY2U6czNjcjpldCF4", NULL };
	run("GET", "/api/auth/basic", basic, NULL, 0);
	is_str(R.body, "{\"got\":\"alice\"}", "basic: split at the first ':'");
	const char *basic_bad[] = { "Authorization", "Basic YWxpY2U6czNjcjpldCF4=", NULL };
	run("GET", "/api/auth/basic", basic_bad, NULL, 0);
	is_int(R.status, 401, "basic: bad base64 -> 401");
	is_str(hdr("WWW-Authenticate"), "Basic realm=\"Hand API\", charset=\"UTF-8\"", "basic challenge");
	const char *basic_nocolon[] = { "Authorization", "Basic YWxpY2U=", NULL };
	run("GET", "/api/auth/basic", basic_nocolon, NULL, 0);
	is_int(R.status, 401, "basic: no ':' -> 401");

	get("/api/auth/optional");
	is_str(R.body, "{\"got\":\"anonymous\"}", "optional: no credential -> anonymous");
	run("GET", "/api/auth/optional", good, NULL, 0);
	is_str(R.body, "{\"got\":\"alice via Bearer\"}", "optional: valid credential -> principal");
	run("GET", "/api/auth/optional", badtok, NULL, 0);
	is_int(R.status, 401, "optional: invalid credential -> 401");
	run("GET", "/api/auth/nobody", good, NULL, 0);
	is_int(R.status, 500, "no verifier installed -> 500");
}

static void test_framing(void)
{
	const char *clte[] = { "Content-Type", "application/json", "Content-Length", "2",
			       "Transfer-Encoding", "chunked", NULL };
	run("POST", "/api/pets", clte, "{}", 2);
	is_int(R.status, 400, "CL + TE -> 400");
	is_str(hdr("Connection"), "close", "framing errors close the connection");
	const char *gzip[] = { "Transfer-Encoding", "gzip", NULL };
	run("POST", "/api/pets", gzip, "{}", 2);
	is_int(R.status, 400, "TE gzip -> 400");
	const char *chid[] = { "Transfer-Encoding", "chunked, identity", NULL };
	run("POST", "/api/pets", chid, "{}", 2);
	is_int(R.status, 400, "TE chunked, identity -> 400");
	const char *two_cl[] = { "Content-Length", "2", "Content-Length", "3", NULL };
	run("POST", "/api/pets", two_cl, "{}", 2);
	is_int(R.status, 400, "differing Content-Length -> 400");
	const char *two_host[] = { "Host", "a", "Host", "b", NULL };
	get("/api/pets/1");
	run("GET", "/api/pets/1", two_host, NULL, 0);
	is_int(R.status, 400, "two Host headers -> 400");
	is_str(hdr("Connection"), "close", "and close");
}

static void test_handlers(void)
{
	get("/api/fail");
	is_int(R.status, 500, "handler returning -1 without a reply -> 500");
	get("/api/noreply");
	is_int(R.status, 500, "handler returning 0 without a reply -> 500");
	get("/api/twice");
	is_int(R.status, 204, "the first reply wins");
	get("/api/unimplemented");
	is_int(R.status, 501, "not implemented -> 501");
	is_str(R.body,
	       "{\"type\":\"about:blank\",\"title\":\"Not Implemented\",\"status\":501,"
	       "\"detail\":\"unimplemented is not implemented yet\"}",
	       "501 body");
	get("/api/many?n=25");
	is_int(R.status, 422, "25 violations -> 422");
	ok(R.body && strstr(R.body, "\"detail\":\"25 violations in the request (the first 20 listed)\""),
	   "the detail counts them all");
	ok(R.body && strstr(R.body, "violation 19\"") && !strstr(R.body, "violation 20\""), "20 are listed");
	get("/api/leak");
	is_int(R.status, 204, "arena + defer");
	get("/api/big");
	is_int((long long)R.len, 5000 * 29 + 1, "a large response grows the buffer");
	const char *rid[] = { "X-Request-Id", "abc-123", NULL };
	run("GET", "/api/pets/1", rid, NULL, 0);
	is_str(hdr("X-Request-Id"), "abc-123", "a sane X-Request-Id is echoed");
	const char *ows[] = { "X-Request-Id", " \tabc-123 \t", NULL };
	run("GET", "/api/pets/1", ows, NULL, 0);
	is_str(hdr("X-Request-Id"), "abc-123", "whitespace around a field value is not part of it");
	const char *badrid[] = { "X-Request-Id", "abc 123", NULL };
	run("GET", "/api/pets/1", badrid, NULL, 0);
	ok(hdr("X-Request-Id") && strcmp(hdr("X-Request-Id"), "abc 123") != 0, "an insane one is replaced");
}

static void test_builtin(void)
{
	get("/openapi.json");
	is_int(R.status, 200, "/openapi.json");
	is_str(R.body, handapi_openapi, "the embedded document");
	get("/healthz");
	is_str(R.body, "{\"status\":\"ok\"}", "/healthz");
	get("/docs");
#ifdef APIC_SWAGGER_DIR
	is_str(R.ctype, "text/html; charset=utf-8", "/docs is HTML");
	ok(R.body && strstr(R.body, "SwaggerUIBundle") && strstr(R.body, "url: \"/openapi.json\""), "Swagger UI page");
#else
	is_int(R.status, 404, "/docs without Swagger UI: 404");
	ok(R.body && strstr(R.body, "without Swagger UI"), "saying why");
#endif
	run("POST", "/healthz", NULL, NULL, 0);
	is_int(R.status, 405, "POST /healthz -> 405");

	struct apic_server *srv = apic_tester_server(T);
	get("/readyz");
	is_str(R.body, "{\"status\":\"ready\"}", "/readyz without a check: ready");
	is_int(apic_server_set_ready_check(srv, not_ready, NULL), 0, "set_ready_check");
	get("/readyz");
	ok(R.status == 503 && ready_calls == 1, "/readyz: the check fails -> 503 (%d calls)", ready_calls);
	get("/healthz");
	is_int(R.status, 200, "/healthz stays 200: liveness, not readiness");
	apic_server_set_ready_check(srv, NULL, NULL);
	get("/readyz");
	is_int(R.status, 200, "the check removed: ready again");
	char *argv[] = { "t", "--no-docs", "--health-path", "/live", "--cors-origin", "https://a.example, https://b.example", NULL };
	is_int(apic_server_parse_args(srv, 6, argv), 0, "parse_args");
	get("/docs");
	is_int(R.status, 404, "--no-docs: /docs -> 404");
	get("/openapi.json");
	is_int(R.status, 404, "--no-docs: /openapi.json -> 404");
	get("/live");
	is_int(R.status, 200, "--health-path");

	const char *origin[] = { "Origin", "https://b.example", NULL };
	get("/api/nothing");
	is_str(hdr("Vary"), "Origin", "Vary: Origin when CORS is on");
	run("GET", "/api/nothing", origin, NULL, 0);
	is_str(hdr("Access-Control-Allow-Origin"), "https://b.example", "CORS headers on errors too");
	const char *evil[] = { "Origin", "https://evil.example", NULL };
	run("GET", "/api/pets/1", evil, NULL, 0);
	ok(hdr("Access-Control-Allow-Origin") == NULL, "other origins get nothing");
	const char *pre[] = { "Origin", "https://a.example", "Access-Control-Request-Method", "DELETE", NULL };
	run("OPTIONS", "/api/pets/1", pre, NULL, 0);
	is_int(R.status, 204, "preflight -> 204");
	is_str(hdr("Access-Control-Allow-Methods"), "GET, HEAD, DELETE, OPTIONS", "preflight methods");
	is_str(hdr("Access-Control-Allow-Headers"), "Authorization, Content-Type, X-Request-Id", "preflight headers");
	is_str(hdr("Access-Control-Max-Age"), "600", "preflight max age");

	char *bad[] = { "t", "--port", "70000", NULL };
	is_int(apic_server_parse_args(srv, 3, bad), 2, "bad --port -> 2");
	char *unknown[] = { "t", "--frobnicate", NULL };
	is_int(apic_server_parse_args(srv, 2, unknown), 2, "unknown flag -> 2");
}

static void test_custom_shape(void)
{
	struct apic_tester *c = apic_tester_new(&handapi_api_custom);
	struct apic_tester *saved = T;
	T = c;
	const char *bad = "{\"name\":\"toolongname\",\"x\":1}";
	post_json("/api/pets", bad, strlen(bad));
	is_int(R.status, 422, "custom shape: 422");
	is_str(R.body, "{\"errors\":{\"body\":[\"name: must be at most 8 characters, got 11\",\"x: is not allowed\"]}}",
	       "custom shape: violations");
	is_str(R.ctype, "application/json", "custom shape: application/json");
	get("/api/nothing");
	is_str(R.body, "{\"errors\":{\"body\":[\"no such resource\"]}}", "custom shape: 404");
	get("/api/pets/x");
	is_str(R.body, "{\"errors\":{\"body\":[\"petId: must be an integer\"]}}", "custom shape: parameter");
	run("POST", "/api/pets", json_ct, NULL, 0);
	is_str(R.body, "{\"errors\":{\"body\":[\"body: a JSON request body is required\"]}}", "custom shape: body");
	T = saved;
	apic_tester_free(c);
}

/* What `--help` prints for `srv` (malloc'd), or NULL. */
static char *help_of(struct apic_server *srv)
{
	char *argv[] = { "t", "--help", NULL };
	FILE *f = tmpfile();
	int saved = dup(STDOUT_FILENO);
	if (f == NULL || saved < 0)
		return NULL;
	fflush(stdout);
	dup2(fileno(f), STDOUT_FILENO);
	int rc = apic_server_parse_args(srv, 2, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	long n = ftell(f);
	char *text = rc == APIC_ARGS_EXIT && n > 0 ? calloc(1, (size_t)n + 1) : NULL;
	rewind(f);
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* The description --help gives `flag` ("--port PORT"), in a static buffer. */
static const char *help_line(const char *help, const char *flag)
{
	static char line[256];
	char key[64];
	snprintf(key, sizeof key, "\n  %s ", flag);
	const char *p = help ? strstr(help, key) : NULL;
	if (p == NULL)
		return NULL;
	p += strspn(p + strlen(key), " ") + strlen(key);
	size_t n = strcspn(p, "\n");
	snprintf(line, sizeof line, "%.*s", (int)n, p);
	return line;
}

static void test_defaults(void)
{
	struct apic_tester *t = apic_tester_new(&handapi_api);
	struct apic_tester *saved = T;
	struct apic_server *srv = apic_tester_server(t);
	is_int(apic_server_set_default(srv, "frobnicate", "1"), -1, "set_default: unknown flag -> -1");
	is_int(apic_server_set_default(srv, "--port", "3000"), -1, "set_default: the name goes without dashes");
	is_int(apic_server_set_default(srv, "port", "70000"), -1, "set_default: port out of range -> -1");
	is_int(apic_server_set_default(srv, "port", "abc"), -1, "set_default: port not a number -> -1");
	is_int(apic_server_set_default(srv, "port", NULL), -1, "set_default: no value -> -1");
	is_int(apic_server_set_default(srv, "docs", "maybe"), -1, "set_default: not a boolean -> -1");
	is_int(apic_server_set_default(srv, "health-path", "up"), -1, "set_default: not a path -> -1");
	is_int(apic_server_set_default(srv, "cors-origin", "*"), -1, "set_default: cors-origin has no default -> -1");

	is_int(apic_server_set_default(srv, "port", "3000"), 0, "set_default port 3000");
	is_int(apic_server_set_default(srv, "port", "3001"), 0, "set again: the last one counts");
	is_int(apic_server_set_default(srv, "threads", "3"), 0, "set_default threads 3");
	is_int(apic_server_set_default(srv, "per-ip-connections", "0"), 0, "set_default per-ip-connections 0");
	char path[] = "/up";
	is_int(apic_server_set_default(srv, "health-path", path), 0, "set_default health-path /up");
	path[1] = 'x'; /* the value was copied */
	is_int(apic_server_set_default(srv, "no-docs", "true"), 0, "set_default no-docs true");

	char *help = help_of(srv);
	ok(help != NULL, "--help exits with APIC_ARGS_EXIT and prints");
	is_str(help_line(help, "--port PORT"), "TCP port, 0 for any free one (default 3001)", "--help: new port default");
	is_str(help_line(help, "--threads N"), "worker threads (default 3)", "--help: new threads default");
	is_str(help_line(help, "--per-ip-connections N"),
	       "connections per client address, 0 for no limit (default 0; a --trusted-proxy's are not counted)",
	       "--help: the rest of the parenthesis is kept");
	is_str(help_line(help, "--health-path PATH"), "health check (default /up)", "--help: new path default");
	is_str(help_line(help, "--docs"), "serve the OpenAPI document and Swagger UI",
	       "--help: --docs is no longer the default");
	is_str(help_line(help, "--no-docs"), "do not serve them (default)", "--help: --no-docs is");
	is_str(help_line(help, "--bind ADDR"), "IPv4 or IPv6 address to listen on (default 127.0.0.1)",
	       "--help: other defaults unchanged");
	free(help);

	T = t;
	char *none[] = { "t", NULL };
	is_int(apic_server_parse_args(srv, 1, none), 0, "parse_args without flags");
	get("/up");
	is_int(R.status, 200, "the default health path /up");
	get("/healthz");
	is_int(R.status, 404, "the built-in one is gone");
	get("/docs");
	is_int(R.status, 404, "docs off by default");

	/* Static: the server keeps pointing at the environment's string. */
	static char env[] = "APIC_HEALTH_PATH=/env";
	putenv(env);
	is_int(apic_server_parse_args(srv, 1, none), 0, "parse_args with APIC_HEALTH_PATH");
	get("/env");
	is_int(R.status, 200, "the environment overrides the default");
	char *cli[] = { "t", "--health-path", "/cli", "--docs", NULL };
	is_int(apic_server_parse_args(srv, 4, cli), 0, "parse_args with flags");
	get("/cli");
	is_int(R.status, 200, "the command line overrides both");
	get("/docs");
#ifdef APIC_SWAGGER_DIR
	is_int(R.status, 200, "--docs overrides the default");
#else
	ok(R.body && strstr(R.body, "without Swagger UI"), "--docs overrides the default (the built-in 404)");
#endif
	unsetenv("APIC_HEALTH_PATH");

	is_int(apic_server_set_default(srv, "docs", "on"), 0, "set_default docs on");
	help = help_of(srv);
	is_str(help_line(help, "--docs"), "serve the OpenAPI document and Swagger UI (default)",
	       "--help: --docs is the default again");
	is_str(help_line(help, "--no-docs"), "do not serve them", "--help: --no-docs is not");
	free(help);
	T = saved;
	apic_tester_free(t);
}

int main(void)
{
	T = apic_tester_new(&handapi_api);
	if (!ok(T != NULL, "tester") || !ok(handapi_setup(apic_tester_server(T)) == 0, "verifiers"))
		return tap_done();
	test_routing();
	test_bodies();
	test_auth();
	test_framing();
	test_handlers();
	test_custom_shape();
	test_defaults();
	test_builtin();
	run("GET", "/", NULL, NULL, 0);
	free(R.ctype);
	free(R.headers);
	free(R.body);
	apic_tester_free(T);
	return tap_done();
}
