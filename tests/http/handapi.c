/* A small hand-written struct apic_api (what `apic generate` would emit),
 * so the runtime can be tested without the code generator: routes with
 * path parameters, a literal that must beat a parameter, a JSON body with
 * a few checks, every security scheme kind, handlers that fail. */
#include "handapi.h"

#include <errno.h>
#include <fcntl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

/* ---- dispatch functions (generated code's job, written by hand) ------------ */

static int reply_text(struct apic_ctx *ctx, int status, const char *a, size_t alen)
{
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "{\"got\":");
	apic_buf_str(b, a, alen);
	apic_buf_lit(b, "}");
	return apic_reply_json(ctx, status);
}

static int list_pets(struct apic_ctx *ctx)
{
	struct apic_str limit = { "20", 2 };
	int32_t n = 20;
	if (apic_req_query(ctx, "limit", &limit) && (!apic_parse_int32(limit.ptr, limit.len, &n) || n < 1 || n > 100))
		apic_violation_param(ctx, APIC_IN_QUERY, "limit", APIC_V_ABOVE_MAXIMUM,
				     "must be an integer in 1..100");
	if (apic_violation_count(ctx))
		return apic_reply_violations(ctx);
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "[");
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			apic_buf_lit(b, ",");
		apic_buf_lit(b, "{\"id\":");
		apic_buf_i64(b, i);
		apic_buf_lit(b, "}");
	}
	apic_buf_lit(b, "]");
	return apic_reply_json(ctx, 200);
}

static int get_pet(struct apic_ctx *ctx)
{
	struct apic_str id = apic_req_path(ctx, 0);
	int64_t v;
	if (!apic_parse_int64(id.ptr, id.len, &v))
		apic_violation_param(ctx, APIC_IN_PATH, "petId", APIC_V_INVALID, "must be an integer");
	else if (v < 1)
		apic_violation_param(ctx, APIC_IN_PATH, "petId", APIC_V_BELOW_MINIMUM, "must be at least 1");
	if (apic_violation_count(ctx))
		return apic_reply_violations(ctx);
	if (v == 404)
		return apic_ctx_reply_error(ctx, 404, "no pet with this id");
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "{\"id\":");
	apic_buf_i64(b, v);
	apic_buf_lit(b, ",\"name\":\"pet\"}");
	return apic_reply_json(ctx, 200);
}

static int get_mine(struct apic_ctx *ctx)
{
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "{\"mine\":true}");
	return apic_reply_json(ctx, 200);
}

/* Body {"name": string of 1..8 characters, "tags"?: [string]}, nothing else. */
static int create_pet(struct apic_ctx *ctx)
{
	struct json_object *body = NULL;
	bool has = apic_req_json(ctx, &body);
	if (has) {
		if (!json_object_is_type(body, json_type_object)) {
			apic_violation_body(ctx, NULL, APIC_V_WRONG_TYPE, "must be an object");
		} else {
			struct json_object *name;
			struct apic_jptr at = { NULL, "name", 4, 0 };
			if (!json_object_object_get_ex(body, "name", &name))
				apic_violation_body(ctx, &at, APIC_V_MISSING, "is required");
			else if (!json_object_is_type(name, json_type_string))
				apic_violation_body(ctx, &at, APIC_V_WRONG_TYPE, "must be a string");
			else if (json_object_get_string_len(name) > 8)
				apic_violation_body(ctx, &at, APIC_V_TOO_LONG,
						    "must be at most 8 characters, got %d",
						    json_object_get_string_len(name));
			json_object_object_foreach(body, key, val)
			{
				(void)val;
				if (strcmp(key, "name") != 0 && strcmp(key, "tags") != 0) {
					struct apic_jptr k = { NULL, key, strlen(key), 0 };
					apic_violation_body(ctx, &k, APIC_V_UNKNOWN_PROPERTY, "is not allowed");
				}
			}
			struct json_object *tags;
			if (json_object_object_get_ex(body, "tags", &tags) && json_object_is_type(tags, json_type_array)) {
				struct apic_jptr t = { NULL, "tags", 4, 0 };
				for (size_t i = 0; i < json_object_array_length(tags); i++) {
					struct apic_jptr e = { &t, NULL, 0, i };
					if (!json_object_is_type(json_object_array_get_idx(tags, i), json_type_string))
						apic_violation_body(ctx, &e, APIC_V_WRONG_TYPE, "must be a string");
				}
			}
		}
	}
	if (apic_violation_count(ctx))
		return apic_reply_violations(ctx);
	struct json_object *name;
	json_object_object_get_ex(body, "name", &name);
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "{\"id\":1,\"name\":");
	apic_buf_str(b, json_object_get_string(name), (size_t)json_object_get_string_len(name));
	apic_buf_lit(b, "}");
	apic_ctx_set_header(ctx, "Location", "/api/pets/1");
	return apic_reply_json(ctx, 201);
}

/* Echoes the parsed body (json-c's plain serialisation) or "none". */
static int echo(struct apic_ctx *ctx)
{
	struct json_object *body;
	if (!apic_req_json(ctx, &body))
		return apic_ctx_reply_raw(ctx, 200, "text/plain", "none", 4);
	const char *s = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	return apic_ctx_reply_raw(ctx, 200, "application/json", s, strlen(s));
}

static int delete_pet(struct apic_ctx *ctx)
{
	const char *who = apic_ctx_principal(ctx);
	return reply_text(ctx, 200, who, strlen(who));
}

static int whoami(struct apic_ctx *ctx)
{
	const char *who = apic_ctx_principal(ctx);
	if (who == NULL)
		who = "anonymous";
	return reply_text(ctx, 200, who, strlen(who));
}

static int get_file(struct apic_ctx *ctx)
{
	struct apic_str name = apic_req_path(ctx, 0);
	if (apic_violation_count(ctx)) /* text that does not decode (router.c) */
		return apic_reply_violations(ctx);
	return reply_text(ctx, 200, name.ptr, name.len);
}

static int fail(struct apic_ctx *ctx)
{
	(void)ctx;
	return -1;
}

static int no_reply(struct apic_ctx *ctx)
{
	(void)ctx;
	return 0;
}

static int twice(struct apic_ctx *ctx)
{
	apic_ctx_reply_empty(ctx, 204);
	return apic_ctx_reply_error(ctx, 500, "second");
}

/* Sleeps ?ms=N milliseconds (at most 10 s) then answers: a request still in
 * flight during shutdown. */
static int slow(struct apic_ctx *ctx)
{
	struct apic_str ms = { "0", 1 };
	int32_t v = 0;
	if (apic_req_query(ctx, "ms", &ms))
		apic_parse_int32(ms.ptr, ms.len, &v);
	if (v < 0 || v > 10000)
		v = 0;
	struct timespec ts = { v / 1000, (long)(v % 1000) * 1000000L };
	nanosleep(&ts, NULL);
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "{\"slept\":");
	apic_buf_i64(b, v);
	apic_buf_lit(b, "}");
	return apic_reply_json(ctx, 200);
}

/* Opens a file, as a handler opening its database would: 204, or 500 when
 * the process has no descriptor left for it. */
static int open_file(struct apic_ctx *ctx)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return apic_ctx_reply_error(ctx, 500, strerror(errno));
	close(fd);
	return apic_ctx_reply_empty(ctx, 204);
}

static int headers(struct apic_ctx *ctx)
{
	struct apic_str h = { "", 0 }, c = { "", 0 }, q = { "", 0 };
	apic_req_header(ctx, "X-Thing", &h);
	apic_req_cookie(ctx, "flavour", &c);
	struct apic_str *all;
	size_t n = apic_req_query_all(ctx, "tag", &all);
	char *s = apic_ctx_printf(ctx, "h=%.*s c=%.*s n=%zu first=%.*s", (int)h.len, h.ptr, (int)c.len, c.ptr,
				  n, n ? (int)all[0].len : 0, n ? all[0].ptr : "");
	(void)q;
	return reply_text(ctx, 200, s, strlen(s));
}

/* Records ?n=N query violations (the 422 lists at most 20). */
static int many(struct apic_ctx *ctx)
{
	struct apic_str n = { "0", 1 };
	int32_t v = 0;
	if (apic_req_query(ctx, "n", &n))
		apic_parse_int32(n.ptr, n.len, &v);
	for (int32_t i = 0; i < v; i++)
		apic_violation_param(ctx, APIC_IN_QUERY, "n", APIC_V_INVALID, "violation %d", (int)i);
	if (apic_violation_count(ctx))
		return apic_reply_violations(ctx);
	return apic_ctx_reply_empty(ctx, 204);
}

static int big(struct apic_ctx *ctx)
{
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "[");
	for (int i = 0; i < 5000; i++) {
		if (i)
			apic_buf_lit(b, ",");
		apic_buf_str(b, "abcdefghijklmnopqrstuvwxyz", 26);
	}
	apic_buf_lit(b, "]");
	return apic_reply_json(ctx, 200);
}

static int leak_check(struct apic_ctx *ctx)
{
	/* Arena allocations and a malloc'd object released by a defer hook. */
	for (int i = 0; i < 50; i++)
		if (apic_ctx_alloc(ctx, 100 + (size_t)i * 37) == NULL)
			return apic_ctx_reply_error(ctx, 500, "alloc");
	char *m = malloc(64);
	if (m == NULL || apic_ctx_defer(ctx, free, m) != 0) {
		free(m);
		return apic_ctx_reply_error(ctx, 500, "defer");
	}
	return apic_ctx_reply_empty(ctx, 204);
}

/* ---- the API ------------------------------------------------------------------ */

static const struct apic_security bearer = { "Bearer", APIC_AUTH_BEARER, APIC_IN_HEADER, NULL, NULL };
static const struct apic_security token = { "Token", APIC_AUTH_APIKEY, APIC_IN_HEADER, "Authorization", "Token " };
static const struct apic_security key_query = { "KeyQuery", APIC_AUTH_APIKEY, APIC_IN_QUERY, "api_key", NULL };
static const struct apic_security key_cookie = { "Session", APIC_AUTH_APIKEY, APIC_IN_COOKIE, "session", NULL };
static const struct apic_security login = { "Login", APIC_AUTH_BASIC, APIC_IN_HEADER, NULL, NULL };
static const struct apic_security unverified = { "Nobody", APIC_AUTH_BEARER, APIC_IN_HEADER, NULL, NULL };

static const struct apic_security *const schemes[] = { &bearer, &token, &key_query, &key_cookie, &login, &unverified };

static const struct apic_route routes[] = {
	{ APIC_GET, "/pets", "listPets", list_pets, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_POST, "/pets", "createPet", create_pet, APIC_BODY_REQUIRED, 256, 4, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/pets/mine", "getMine", get_mine, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/pets/{petId}", "getPet", get_pet, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_DELETE, "/pets/{petId}", "deletePet", delete_pet, APIC_BODY_NONE, 0, 0, &bearer, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_PUT, "/echo", "echo", echo, APIC_BODY_OPTIONAL, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/files/{name}", "getFile", get_file, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/auth/token", "authToken", whoami, APIC_BODY_NONE, 0, 0, &token, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/auth/query", "authQuery", whoami, APIC_BODY_NONE, 0, 0, &key_query, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/auth/cookie", "authCookie", whoami, APIC_BODY_NONE, 0, 0, &key_cookie, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/auth/basic", "authBasic", whoami, APIC_BODY_NONE, 0, 0, &login, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/auth/optional", "authOptional", whoami, APIC_BODY_NONE, 0, 0, &bearer, true, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/auth/nobody", "authNobody", whoami, APIC_BODY_NONE, 0, 0, &unverified, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/fail", "fail", fail, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/noreply", "noReply", no_reply, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/twice", "twice", twice, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/slow", "slow", slow, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/open", "openFile", open_file, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/headers", "headers", headers, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/big", "big", big, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/many", "many", many, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/leak", "leak", leak_check, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
	{ APIC_GET, "/unimplemented", "unimplemented", apic_reply_not_implemented, APIC_BODY_NONE, 0, 0, NULL, false, NULL, 0, NULL, false, false, 0, NULL, NULL, 0 },
};

const char handapi_openapi[] =
	"{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Hand API\",\"version\":\"1\"},\"paths\":{"
	"\"/api/pets\":{\"get\":{\"operationId\":\"listPets\",\"responses\":{\"200\":{\"description\":\"ok\"}}},"
	"\"post\":{\"operationId\":\"createPet\",\"responses\":{\"201\":{\"description\":\"ok\"}}}},"
	"\"/api/pets/{petId}\":{\"get\":{\"operationId\":\"getPet\",\"parameters\":[{\"name\":\"petId\","
	"\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"integer\"}}],"
	"\"responses\":{\"200\":{\"description\":\"ok\"}}}}}}";

/* handapi_openapi as the generated code stores it: gzip -9n of the text. */
static const unsigned char handapi_openapi_gz[] = {
	31,139,8,0,0,0,0,0,2,3,141,144,177,14,194,48,12,68,127,5,121,174,104,11,
	91,55,54,186,177,35,134,168,53,37,2,146,224,24,36,84,245,223,185,164,18,11,32,145,
	33,145,237,243,211,229,70,242,129,157,9,150,26,90,47,235,101,69,5,89,119,244,212,140,
	164,86,47,140,254,214,184,126,177,217,181,24,61,88,162,245,14,205,154,166,130,130,209,83,
	76,210,18,132,50,176,230,98,96,77,15,192,98,20,234,182,135,254,98,163,238,146,160,32,
	225,24,188,139,156,197,171,170,74,79,207,177,19,27,116,134,251,51,77,83,226,251,248,5,
	213,9,27,101,192,62,89,245,47,22,96,111,143,229,136,187,237,167,159,94,209,156,233,193,
	136,185,178,226,211,212,236,71,114,40,48,206,219,57,167,84,32,130,236,227,118,183,194,216,
	86,185,115,65,177,59,241,213,228,20,159,33,45,89,167,60,176,192,203,225,255,4,112,94,
	137,201,182,143,161,1,0,0,
};

/* The two APIs differ only in their error shape. */
#define HANDAPI_COMMON                                      \
	.abi_version = APIC_ABI_VERSION,                    \
	.title = "Hand API",                                \
	.version = "1",                                     \
	.basepath = "/api",                                 \
	.routes = routes,                                   \
	.nroutes = sizeof routes / sizeof routes[0],        \
	.schemes = schemes,                                 \
	.nschemes = sizeof schemes / sizeof schemes[0],     \
	.openapi_gz = handapi_openapi_gz,                   \
	.openapi_gz_len = sizeof handapi_openapi_gz,        \
	.openapi_len = sizeof handapi_openapi - 1

const struct apic_api handapi_api = { HANDAPI_COMMON };

const struct apic_api handapi_api_custom = {
	HANDAPI_COMMON,
	.error_pointer = "/errors/body",
};

/* ---- verifiers ------------------------------------------------------------------- */

/* Accepts "good" (principal "alice"), forbids "banned", fails on "error". */
static enum apic_auth_result verify_token(struct apic_ctx *ctx, const struct apic_credential *cred,
					  void *cls, void **principal)
{
	(void)cls;
	struct apic_str t = cred->token;
	if (t.len == 6 && memcmp(t.ptr, "banned", 6) == 0)
		return APIC_AUTH_FORBIDDEN;
	if (t.len == 5 && memcmp(t.ptr, "error", 5) == 0)
		return APIC_AUTH_ERROR;
	if (!(t.len == 4 && memcmp(t.ptr, "good", 4) == 0))
		return APIC_AUTH_INVALID;
	*principal = apic_ctx_printf(ctx, "alice via %s", cred->scheme);
	return APIC_AUTH_OK;
}

static enum apic_auth_result verify_basic(struct apic_ctx *ctx, const struct apic_credential *cred,
					  void *cls, void **principal)
{
	(void)cls;
	if (cred->user.len == 5 && memcmp(cred->user.ptr, "alice", 5) == 0 &&
	    cred->password.len == 9 && memcmp(cred->password.ptr, "s3cr:et!x", 9) == 0) {
		*principal = apic_ctx_printf(ctx, "%s", cred->user.ptr);
		return APIC_AUTH_OK;
	}
	return APIC_AUTH_INVALID;
}

int handapi_setup(struct apic_server *srv)
{
	int rc = 0;
	rc |= apic_server_set_verifier(srv, "Bearer", verify_token, NULL);
	rc |= apic_server_set_verifier(srv, "Token", verify_token, NULL);
	rc |= apic_server_set_verifier(srv, "KeyQuery", verify_token, NULL);
	rc |= apic_server_set_verifier(srv, "Session", verify_token, NULL);
	rc |= apic_server_set_verifier(srv, "Login", verify_basic, NULL);
	return rc;
}
