/* The table-driven codec (apic_request_decode, apic_type_check, apic_encode*)
 * on hand-written descriptors, what `apic generate` would emit: a model with
 * every kind of member and modifier, parameters from every place. Requests
 * run through the in-process pipeline; exact statuses, violation texts and
 * encoder output. */
#include "apic_test.h"
#include "tap.h"

#include <stddef.h>
#include <stdlib.h>

/* ---- the C types ---------------------------------------------------------- */

enum color { COLOR__UNSET, COLOR_RED, COLOR_GREEN, COLOR_BLUE };
_Static_assert(sizeof(enum color) == sizeof(int), "enums are stored as int");

struct inner {
	int32_t n;
};

struct grid_item {
	int32_t *items;
	size_t count;
};

struct dict_entry {
	struct apic_str key;
	int32_t value;
};

struct thing {
	int64_t id;
	struct apic_str name;
	int32_t count;
	bool has_count;
	double ratio;
	bool has_ratio;
	enum color color;
	bool has_color;
	struct apic_str *tags;
	size_t tags_count;
	bool has_tags;
	const struct inner *inner;
	bool inner_is_null;
	struct dict_entry *dict;
	size_t dict_count;
	bool has_dict;
	struct apic_str nick;
	bool has_nick;
	bool nick_is_null;
	struct apic_str secret;
	bool has_secret;
	struct grid_item *grid;
	size_t grid_count;
	bool has_grid;
	const struct inner **objs;
	size_t objs_count;
	bool has_objs;
	struct apic_str *words;
	size_t words_count;
	bool has_words;
	struct apic_str note;
	bool note_is_null;
};

/* POST /things/{id}: path id, query limit and tag, header X-Flag, cookie
 * sid, query ratio, an optional Thing body. */
struct things_params {
	int64_t id;
	int32_t limit;
	bool has_limit;
	struct apic_str *tag;
	size_t tag_count;
	bool has_tag;
	bool flag;
	bool has_flag;
	enum color sid;
	bool has_sid;
	double ratio;
	bool has_ratio;
	const struct thing *body;
	bool has_body;
};

/* GET /items/{b}/{a}: a and b declared in that order; a required query q. */
struct items_params {
	int32_t a, b;
	int64_t q;
};

/* ---- the descriptors ------------------------------------------------------- */

static const struct apic_str color_names[] = { { "red", 3 }, { "green", 5 }, { "blue", 4 } };
static const struct apic_enum_desc color_enum = { color_names, 3, "red, green, blue" };

static struct apic_pattern name_pattern = { "^[a-z]+$", NULL };
static struct apic_pattern *const patterns[] = { &name_pattern };

#define STR_SIZE sizeof(struct apic_str)

static const struct apic_type t_id = { .kind = APIC_K_INT64, .flags = APIC_T_MIN | APIC_T_MIN_INT,
				       .size = 8, .imin = 1, .dmin = 1, .min_text = "1" };
static const struct apic_type t_name = { .kind = APIC_K_STRING, .flags = APIC_T_NMIN | APIC_T_NMAX,
					 .size = STR_SIZE, .nmin = 1, .nmax = 4, .pattern = &name_pattern };
static const struct apic_type t_count = {
	.kind = APIC_K_INT32,
	.flags = APIC_T_MIN | APIC_T_MIN_INT | APIC_T_MAX | APIC_T_MAX_INT | APIC_T_XMAX,
	.size = 4, .imin = -5, .imax = 5, .dmin = -5, .dmax = 5, .min_text = "-5", .max_text = "5"
};
static const struct apic_type t_ratio = { .kind = APIC_K_NUMBER,
					  .flags = APIC_T_MIN | APIC_T_XMIN | APIC_T_MAX, .size = 8,
					  .dmin = 0, .dmax = 1.5, .min_text = "0", .max_text = "1.5" };
static const struct apic_type t_color = { .kind = APIC_K_ENUM, .size = sizeof(int), .enm = &color_enum };
static const struct apic_type t_short = { .kind = APIC_K_STRING, .flags = APIC_T_NMAX, .size = STR_SIZE,
					  .nmax = 3 };
static const struct apic_type t_tags = { .kind = APIC_K_ARRAY,
					 .flags = APIC_T_NMIN | APIC_T_NMAX | APIC_T_UNIQUE, .nmin = 1,
					 .nmax = 3, .elem = &t_short };
static const struct apic_type t_digit = { .kind = APIC_K_INT32,
					  .flags = APIC_T_MIN | APIC_T_MIN_INT | APIC_T_MAX | APIC_T_MAX_INT,
					  .size = 4, .imin = 0, .imax = 9, .min_text = "0", .max_text = "9" };
static const struct apic_field inner_fields[] = {
	{ .name = "n", .len = 1, .key = "\"n\":", .key_len = 4, .off = offsetof(struct inner, n),
	  .type = &t_digit },
};
static const struct apic_model m_inner = { "Inner", sizeof(struct inner), inner_fields, 1, false, NULL };
static const struct apic_type t_inner = { .kind = APIC_K_MODEL, .size = sizeof(void *), .model = &m_inner };
static const struct apic_type t_inner_value = { .kind = APIC_K_MODEL_VALUE, .size = sizeof(struct inner),
						.model = &m_inner };
static const struct apic_type t_pct = { .kind = APIC_K_INT32, .flags = APIC_T_MAX | APIC_T_MAX_INT,
					.size = 4, .imax = 100, .max_text = "100" };
static const struct apic_type t_dict = { .kind = APIC_K_MAP, .flags = APIC_T_NMAX, .nmax = 2,
					 .elem = &t_pct, .entry_size = sizeof(struct dict_entry),
					 .value_off = offsetof(struct dict_entry, value) };
static const struct apic_type t_str = { .kind = APIC_K_STRING, .size = STR_SIZE };
static const struct apic_type t_email = { .kind = APIC_K_STRING, .flags = APIC_T_FORMAT,
					  .format = APIC_FMT_EMAIL, .size = STR_SIZE };
static const struct apic_type t_int = { .kind = APIC_K_INT32, .size = 4 };
static const struct apic_type t_row = { .kind = APIC_K_ARRAY, .size = sizeof(struct grid_item),
					.elem = &t_int, .count_off = offsetof(struct grid_item, count) };
static const struct apic_type t_grid = { .kind = APIC_K_ARRAY, .elem = &t_row };
static const struct apic_type t_objs = { .kind = APIC_K_ARRAY, .elem = &t_inner };
static const struct apic_type t_words = { .kind = APIC_K_ARRAY, .elem = &t_str };

static const struct apic_str default_words[] = { { "a", 1 }, { "b", 1 } };
static const struct apic_default d_count = { .i = 2 };
static const struct apic_default d_color = { .i = COLOR_GREEN };
static const struct apic_default d_words = { .items = default_words, .count = 2 };

#define KEY(s) .name = s, .len = sizeof s - 1, .key = "\"" s "\":", .key_len = sizeof s + 2
#define OFF(m) .off = offsetof(struct thing, m)
#define HAS(m) .has_off = offsetof(struct thing, has_##m)
#define CNT(m) .count_off = offsetof(struct thing, m##_count)
#define NUL(m) .null_off = offsetof(struct thing, m##_is_null)
#define OPT (APIC_F_OPTIONAL | APIC_F_HAS)

static const struct apic_field thing_fields[] = {
	{ KEY("id"), .flags = APIC_F_READONLY, OFF(id), .type = &t_id },
	{ KEY("name"), OFF(name), .type = &t_name },
	{ KEY("count"), .flags = OPT, OFF(count), HAS(count), .type = &t_count, .def = &d_count },
	{ KEY("ratio"), .flags = OPT, OFF(ratio), HAS(ratio), .type = &t_ratio },
	{ KEY("color"), .flags = OPT, OFF(color), HAS(color), .type = &t_color, .def = &d_color },
	{ KEY("tags"), .flags = OPT, OFF(tags), CNT(tags), HAS(tags), .type = &t_tags },
	{ KEY("inner"), .flags = APIC_F_OPTIONAL | APIC_F_NULLABLE, OFF(inner), NUL(inner), .type = &t_inner },
	{ KEY("dict"), .flags = OPT, OFF(dict), CNT(dict), HAS(dict), .type = &t_dict },
	{ KEY("nick"), .flags = OPT | APIC_F_NULLABLE, OFF(nick), HAS(nick), NUL(nick), .type = &t_str },
	{ KEY("secret"), .flags = OPT | APIC_F_WRITEONLY, OFF(secret), HAS(secret), .type = &t_email },
	{ KEY("grid"), .flags = OPT, OFF(grid), CNT(grid), HAS(grid), .type = &t_grid },
	{ KEY("objs"), .flags = OPT, OFF(objs), CNT(objs), HAS(objs), .type = &t_objs },
	{ KEY("words"), .flags = OPT, OFF(words), CNT(words), HAS(words), .type = &t_words, .def = &d_words },
	{ KEY("note"), .flags = APIC_F_NULLABLE, OFF(note), NUL(note), .type = &t_str },
};
static const struct apic_model m_thing = { "Thing", sizeof(struct thing), thing_fields,
					   sizeof thing_fields / sizeof thing_fields[0], false, NULL };
static const struct apic_type t_thing = { .kind = APIC_K_MODEL, .size = sizeof(void *), .model = &m_thing };
static const struct apic_type t_inner_list = { .kind = APIC_K_ARRAY, .elem = &t_inner };

/* The parameters, and the params struct encoded back as a model. */
static const struct apic_type t_limit = { .kind = APIC_K_INT32,
					  .flags = APIC_T_MIN | APIC_T_MIN_INT | APIC_T_MAX | APIC_T_MAX_INT,
					  .size = 4, .imin = 1, .imax = 100, .min_text = "1", .max_text = "100" };
static const struct apic_type t_tag_item = { .kind = APIC_K_STRING, .flags = APIC_T_NMAX,
					     .size = STR_SIZE, .nmax = 2 };
static const struct apic_type t_tag = { .kind = APIC_K_ARRAY, .flags = APIC_T_NMAX | APIC_T_UNIQUE,
					.nmax = 2, .elem = &t_tag_item };
static const struct apic_type t_bool = { .kind = APIC_K_BOOL, .size = 1 };
static const struct apic_type t_nonneg = { .kind = APIC_K_NUMBER, .flags = APIC_T_MIN | APIC_T_MIN_INT,
					   .size = 8, .min_text = "0" };
static const struct apic_default d_limit = { .i = 20 };

#define P(m) .off = offsetof(struct things_params, m)
#define PHAS(m) .has_off = offsetof(struct things_params, has_##m)
static const struct apic_param things_params[] = {
	{ "id", APIC_IN_PATH, 0, 0, P(id), .type = &t_id },
	{ "limit", APIC_IN_QUERY, OPT, 0, P(limit), PHAS(limit), .type = &t_limit, .def = &d_limit },
	{ "tag", APIC_IN_QUERY, OPT, 0, P(tag), .count_off = offsetof(struct things_params, tag_count),
	  PHAS(tag), .type = &t_tag },
	{ "X-Flag", APIC_IN_HEADER, OPT, 0, P(flag), PHAS(flag), .type = &t_bool },
	{ "sid", APIC_IN_COOKIE, OPT, 0, P(sid), PHAS(sid), .type = &t_color },
	{ "ratio", APIC_IN_QUERY, OPT, 0, P(ratio), PHAS(ratio), .type = &t_nonneg },
};
static const struct apic_request things_rq = {
	sizeof(struct things_params), things_params, sizeof things_params / sizeof things_params[0],
	&t_thing, offsetof(struct things_params, body), 0, offsetof(struct things_params, has_body), true
};

#define E(s, fl, m, t, ...) { .name = s, .len = sizeof s - 1, .key = "\"" s "\":", .key_len = sizeof s + 2, \
			      .flags = fl, .off = offsetof(struct things_params, m), .type = t, __VA_ARGS__ }
static const struct apic_field echo_fields[] = {
	E("id", 0, id, &t_id),
	E("limit", OPT, limit, &t_limit, PHAS(limit)),
	E("tag", OPT, tag, &t_tag, PHAS(tag), .count_off = offsetof(struct things_params, tag_count)),
	E("flag", OPT, flag, &t_bool, PHAS(flag)),
	E("sid", OPT, sid, &t_color, PHAS(sid)),
	E("ratio", OPT, ratio, &t_nonneg, PHAS(ratio)),
	E("body", APIC_F_OPTIONAL, body, &t_thing),
};
static const struct apic_model m_echo = { "Echo", sizeof(struct things_params), echo_fields,
					  sizeof echo_fields / sizeof echo_fields[0], false, NULL };
static const struct apic_type t_echo = { .kind = APIC_K_MODEL, .size = sizeof(void *), .model = &m_echo };

static const struct apic_type t_q = { .kind = APIC_K_INT64, .size = 8 };
static const struct apic_param items_params[] = {
	{ "b", APIC_IN_PATH, 0, 0, .off = offsetof(struct items_params, b), .type = &t_int },
	{ "a", APIC_IN_PATH, 0, 1, .off = offsetof(struct items_params, a), .type = &t_int },
	{ "q", APIC_IN_QUERY, 0, 0, .off = offsetof(struct items_params, q), .type = &t_q },
};
static const struct apic_request items_rq = { sizeof(struct items_params), items_params, 3, NULL, 0, 0, 0,
					      false };

/* ---- handlers ------------------------------------------------------------------ */

static int things(struct apic_ctx *ctx)
{
	void *in;
	int r;
	if (!apic_request_decode(ctx, &things_rq, &in, &r))
		return r;
	const struct things_params *p = in;
	apic_encode(apic_ctx_buf(ctx), &t_echo, &p);
	return apic_reply_json(ctx, 200);
}

static int items(struct apic_ctx *ctx)
{
	void *in;
	int r;
	if (!apic_request_decode(ctx, &items_rq, &in, &r))
		return r;
	const struct items_params *p = in;
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "[");
	apic_buf_i64(b, p->a);
	apic_buf_lit(b, ",");
	apic_buf_i64(b, p->b);
	apic_buf_lit(b, ",");
	apic_buf_i64(b, p->q);
	apic_buf_lit(b, "]");
	return apic_reply_json(ctx, 200);
}

/* The body checked as a reply would be (--strict-responses). */
static int check(struct apic_ctx *ctx, const struct apic_type *t)
{
	struct json_object *j = NULL;
	apic_req_json(ctx, &j);
	if (apic_type_check(ctx, t, j) != 0)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	return apic_violation_count(ctx) ? apic_reply_violations(ctx) : apic_ctx_reply_empty(ctx, 204);
}

static int check_thing(struct apic_ctx *ctx)
{
	return check(ctx, &t_thing);
}

static int check_list(struct apic_ctx *ctx)
{
	return check(ctx, &t_inner_list);
}

static const struct apic_route routes[] = {
	{ .method = APIC_POST, .path = "/things/{id}", .operation_id = "things", .dispatch = things,
	  .body = APIC_BODY_OPTIONAL },
	{ .method = APIC_GET, .path = "/items/{b}/{a}", .operation_id = "items", .dispatch = items },
	{ .method = APIC_POST, .path = "/check", .operation_id = "check", .dispatch = check_thing,
	  .body = APIC_BODY_REQUIRED },
	{ .method = APIC_POST, .path = "/check-list", .operation_id = "checkList", .dispatch = check_list,
	  .body = APIC_BODY_REQUIRED },
};

static const struct apic_api api = {
	.abi_version = APIC_ABI_VERSION,
	.title = "descriptors",
	.version = "1",
	.basepath = "",
	.routes = routes,
	.nroutes = sizeof routes / sizeof routes[0],
	.patterns = patterns,
	.npatterns = 1,
};

/* ---- requests ------------------------------------------------------------------- */

static struct apic_tester *T;

static void expect(const char *method, const char *target, const char *const *headers, const char *body,
		   int status, const char *want, const char *what)
{
	struct apic_test_response rs;
	if (!ok(apic_tester_call(T, method, target, headers, body, &rs) == 0, "%s: ran", what))
		return;
	is_int(rs.status, status, "%s: status", what);
	is_str(rs.body ? rs.body : "", want, "%s: body", what);
	apic_test_response_free(&rs);
}

#define VIOL(n) "{\"type\":\"about:blank\",\"title\":\"Unprocessable Content\",\"status\":422," \
		"\"detail\":\"" n " in the request\",\"errors\":["
#define AT(ptr, code, msg) "{\"location\":\"body\",\"pointer\":\"" ptr "\",\"code\":\"" code "\",\"message\":\"" msg "\"}"
#define IN(w, name, code, msg) "{\"location\":\"" w "\",\"name\":\"" name "\",\"code\":\"" code "\",\"message\":\"" msg "\"}"

static void test_requests(void)
{
	static const char *const full_h[] = { "X-Flag", "true", "Cookie", "sid=blue", NULL };
	expect("POST", "/things/7?limit=5&tag=ab&tag=c", full_h,
	       "{\"name\":\"abc\",\"count\":-5,\"ratio\":1.5,\"color\":\"red\",\"tags\":[\"x\",\"yz\"],"
	       "\"inner\":{\"n\":3},\"dict\":{\"a\":1,\"b\":100},\"nick\":null,\"secret\":\"a@b.co\","
	       "\"grid\":[[1,2],[]],\"objs\":[{\"n\":0}],\"note\":\"n\"}",
	       200,
	       "{\"id\":7,\"limit\":5,\"tag\":[\"ab\",\"c\"],\"flag\":true,\"sid\":\"blue\",\"body\":"
	       "{\"id\":0,\"name\":\"abc\",\"count\":-5,\"ratio\":1.5,\"color\":\"red\",\"tags\":[\"x\",\"yz\"],"
	       "\"inner\":{\"n\":3},\"dict\":{\"a\":1,\"b\":100},\"nick\":null,\"grid\":[[1,2],[]],"
	       "\"objs\":[{\"n\":0}],\"words\":[\"a\",\"b\"],\"note\":\"n\"}}",
	       "every member valid, writeonly not echoed, readonly left unset");
	expect("POST", "/things/1", NULL, "{\"name\":\"a\",\"note\":null}", 200,
	       "{\"id\":1,\"limit\":20,\"body\":{\"id\":0,\"name\":\"a\",\"count\":2,\"color\":\"green\","
	       "\"words\":[\"a\",\"b\"],\"note\":null}}",
	       "defaults of parameters and members, a null for a nullable");
	expect("POST", "/things/1", NULL, NULL, 200, "{\"id\":1,\"limit\":20}", "no body");
	expect("POST", "/things/1", NULL,
	       "{\"id\":5,\"name\":\"ABCDE\",\"count\":5,\"ratio\":0,\"color\":\"pink\","
	       "\"tags\":[\"x\",\"x\",\"long\"],\"inner\":{\"n\":10,\"m\":1},\"extra\":true}",
	       422,
	       VIOL("12 violations")
	       AT("/id", "read_only", "is read-only") ","
	       AT("/name", "too_long", "must be at most 4 characters, got 5") ","
	       AT("/name", "pattern_mismatch", "must match the pattern ^[a-z]+$") ","
	       AT("/count", "above_maximum", "must be less than 5, got 5") ","
	       AT("/ratio", "below_minimum", "must be greater than 0, got 0") ","
	       AT("/color", "not_in_enum", "must be one of: red, green, blue") ","
	       AT("/tags/2", "too_long", "must be at most 3 characters, got 4") ","
	       AT("/tags", "duplicate_items", "must not contain duplicates (items 0 and 1 are equal)") ","
	       AT("/inner/n", "above_maximum", "must be at most 9, got 10") ","
	       AT("/inner/m", "unknown_property", "is not a known property") ","
	       AT("/extra", "unknown_property", "is not a known property") ","
	       AT("/note", "missing", "is required") "]}",
	       "scalar violations in member order, missing after the members");
	expect("POST", "/things/1", NULL,
	       "{\"name\":\"\",\"tags\":[],\"dict\":{\"a\":101,\"b\":\"s\",\"c\":1},\"nick\":5,"
	       "\"secret\":\"nope\",\"grid\":[[1.5,4294967296],{}],\"objs\":[null,{}],\"note\":7,"
	       "\"inner\":null,\"ratio\":\"1\"}",
	       422,
	       VIOL("15 violations")
	       AT("/name", "too_short", "must be at least 1 character, got 0") ","
	       AT("/name", "pattern_mismatch", "must match the pattern ^[a-z]+$") ","
	       AT("/tags", "too_few_items", "must have at least 1 item, got 0") ","
	       AT("/dict", "too_many_properties", "must have at most 2 properties, got 3") ","
	       AT("/dict/a", "above_maximum", "must be at most 100, got 101") ","
	       AT("/dict/b", "wrong_type", "must be an integer, got string") ","
	       AT("/nick", "wrong_type", "must be a string, got number") ","
	       AT("/secret", "invalid_format", "must be an email address") ","
	       AT("/grid/0/0", "wrong_type", "must be an integer, got number") ","
	       AT("/grid/0/1", "out_of_range", "must fit in a 32-bit integer") ","
	       AT("/grid/1", "wrong_type", "must be an array, got object") ","
	       AT("/objs/0", "wrong_type", "must be an object, got null") ","
	       AT("/objs/1/n", "missing", "is required") ","
	       AT("/note", "wrong_type", "must be a string, got number") ","
	       AT("/ratio", "wrong_type", "must be a number, got string") "]}",
	       "containers: counts before items, nested pointers");
	expect("POST", "/things/1", NULL, "[1]", 422,
	       VIOL("1 violation") AT("", "wrong_type", "must be an object, got array") "]}",
	       "a body of the wrong type");
	static const char *const bad_h[] = { "X-Flag", "yes", "Cookie", "sid=pink", NULL };
	expect("POST", "/things/0?limit=0&limit=3&tag=abc&tag=x&tag=x&ratio=-1", bad_h, NULL, 422,
	       VIOL("8 violations")
	       IN("path", "id", "below_minimum", "must be at least 1, got 0") ","
	       IN("query", "limit", "repeated", "must be given once, got 2 values") ","
	       IN("query", "tag", "too_many_items", "must have at most 2 items, got 3") ","
	       IN("query", "tag", "too_long", "value 0: must be at most 2 characters, got 3") ","
	       IN("query", "tag", "duplicate_items", "values 1 and 2 are equal") ","
	       IN("header", "X-Flag", "invalid", "must be true or false") ","
	       IN("cookie", "sid", "not_in_enum", "must be one of: red, green, blue") ","
	       IN("query", "ratio", "below_minimum", "must be at least 0, got -1") "]}",
	       "parameters in the descriptor's order");
	expect("GET", "/items/2/1?q=-9223372036854775807", NULL, NULL, 200, "[1,2,-9223372036854775807]",
	       "path parameters by template place");
	expect("GET", "/items/x/99999999999", NULL, NULL, 422,
	       VIOL("3 violations")
	       IN("path", "b", "invalid", "must be an integer") ","
	       IN("path", "a", "out_of_range", "must fit in a 32-bit integer") ","
	       IN("query", "q", "missing", "is required") "]}",
	       "path parameters in template order, a required query parameter");
	expect("GET", "/items/1/1?q=-9223372036854775808", NULL, NULL, 422,
	       VIOL("1 violation") IN("query", "q", "out_of_range", "must fit in a 64-bit integer") "]}",
	       "INT64_MIN is out of range without a minimum");
	expect("GET", "/items/1/1?q=99999999999999999999", NULL, NULL, 422,
	       VIOL("1 violation") IN("query", "q", "out_of_range", "must fit in a 64-bit integer") "]}",
	       "too many digits is out of range");
}

static void test_checks(void)
{
	expect("POST", "/check", NULL, "{\"name\":\"a\",\"secret\":\"x\",\"id\":0,\"note\":null}", 422,
	       VIOL("2 violations")
	       AT("/secret", "unknown_property", "is not a known property") ","
	       AT("/id", "below_minimum", "must be at least 1, got 0") "]}",
	       "a reply: writeonly unknown, readonly checked");
	expect("POST", "/check", NULL, "{\"name\":\"a\"}", 422,
	       VIOL("2 violations")
	       AT("/id", "missing", "is required") ","
	       AT("/note", "missing", "is required") "]}",
	       "a reply: readonly required, no defaults needed");
	expect("POST", "/check", NULL, "{\"id\":3,\"name\":\"a\",\"note\":\"x\"}", 204, "", "a valid reply");
	expect("POST", "/check-list", NULL, "[{\"n\":1},5]", 422,
	       VIOL("1 violation") AT("/1", "wrong_type", "must be an object, got number") "]}",
	       "a reply array");
	expect("POST", "/check-list", NULL, "null", 422,
	       VIOL("1 violation") AT("", "wrong_type", "must be an array, got null") "]}",
	       "a null reply array");
}

/* ---- the encoder without a request ------------------------------------------------- */

static void is_json(struct apic_buf *b, const char *want, const char *what)
{
	ok(!b->oom, "%s: no error", what);
	apic_buf_put(b, "", 1);
	is_str(b->p, want, "%s", what);
	free(b->p);
	memset(b, 0, sizeof *b);
}

static void test_encoder(void)
{
	struct apic_buf b = { 0 };
	struct inner in[2] = { { 1 }, { 2 } };
	apic_encode_items(&b, &t_inner_value, in, 2);
	is_json(&b, "[{\"n\":1},{\"n\":2}]", "a reply array of models by value");
	struct dict_entry d[2] = { { { "a", 1 }, 1 }, { { "b\"", 2 }, -2 } };
	apic_encode_entries(&b, &t_dict, d, 2);
	is_json(&b, "{\"a\":1,\"b\\\"\":-2}", "a reply map, keys escaped");
	apic_encode_items(&b, &t_str, NULL, 0);
	is_json(&b, "[]", "an empty array");
	int64_t big = INT64_MIN;
	apic_encode(&b, &t_id, &big);
	is_json(&b, "-9223372036854775808", "a scalar");
	struct grid_item row = { (int32_t[]){ 4, 5 }, 2 };
	apic_encode(&b, &t_row, &row);
	is_json(&b, "[4,5]", "an array laid out as an array's item");

	struct thing t = { .id = 9, .name = { "x", 1 }, .nick_is_null = true, .note = { "q\n", 2 } };
	const struct thing *tp = &t;
	apic_encode(&b, &t_thing, &tp);
	is_json(&b, "{\"id\":9,\"name\":\"x\",\"nick\":null,\"note\":\"q\\n\"}", "optional members absent");
	t.inner_is_null = true;
	t.note_is_null = true;
	t.has_secret = true;
	apic_encode(&b, &t_thing, &tp);
	is_json(&b, "{\"id\":9,\"name\":\"x\",\"inner\":null,\"nick\":null,\"note\":null}",
		"nulls; writeonly never written");
	static const struct apic_field opt_fields[] = {
		{ KEY("inner"), .flags = APIC_F_OPTIONAL, OFF(inner), .type = &t_inner },
	};
	static const struct apic_model m_opt = { "Opt", sizeof(struct thing), opt_fields, 1, false, NULL };
	static const struct apic_type t_opt = { .kind = APIC_K_MODEL_VALUE, .model = &m_opt };
	apic_encode(&b, &t_opt, &t);
	is_json(&b, "{}", "no member at all");

	t.color = 4;
	t.has_color = true;
	apic_encode(&b, &t_thing, &tp);
	ok(b.oom, "an enum that is no member: an error");
	free(b.p);
	memset(&b, 0, sizeof b);
	t.color = COLOR_BLUE;
	const struct inner *objs[1] = { NULL };
	t.objs = objs;
	t.objs_count = 1;
	t.has_objs = true;
	apic_encode(&b, &t_thing, &tp);
	ok(b.oom, "a missing required model: an error");
	free(b.p);
	memset(&b, 0, sizeof b);
	tp = NULL;
	apic_encode(&b, &t_thing, &tp);
	ok(b.oom, "a NULL model pointer: an error");
	free(b.p);

	is_int(apic_enum_parse(&color_enum, "blue", 4), COLOR_BLUE, "apic_enum_parse: a member");
	is_int(apic_enum_parse(&color_enum, "blu", 3), 0, "apic_enum_parse: no member");
}

int main(void)
{
	T = apic_tester_new(&api);
	if (!ok(T != NULL, "a tester"))
		return tap_done();
	test_requests();
	test_checks();
	test_encoder();
	apic_tester_free(T);
	return tap_done();
}
