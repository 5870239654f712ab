/* The generated C client against the test server of schemas/testapi.apic
 * (tests/http/testapi-impl.c): parameters of every kind and place (the
 * server's decoder says whether they arrived as sent), every kind of
 * credential, declared response headers of every kind, scalar bodies.
 * Usage: test-testapi URL */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "testapi.client.h"

#define S(lit) ((struct apic_str){ lit, sizeof lit - 1 })

static bool str_is(struct apic_str s, const char *want)
{
	return s.ptr && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static void params(struct apic_client *c)
{
	struct apic_str tags[] = { S("x y"), S("a+b"), S("&=") };
	struct testapi_get_item__params in = {
		.id = 7, .color = TESTAPI_COLOR_BLUE, .limit = 13, .has_limit = true,
		.q = S("a b&c=d"), .has_q = true, .ratio = 0.5, .has_ratio = true, .flag = true, .has_flag = true,
		.level = TESTAPI_LEVEL_VERY_HIGH, .has_level = true, .tag = tags, .tag_count = 3, .has_tag = true,
		.when = S("2024-02-29"), .has_when = true, .since = -5, .has_since = true,
		.x_trace_id = S("123e4567-e89b-12d3-a456-426614174000"), .has_x_trace_id = true,
		.x_count = 3, .has_x_count = true, .session = S("s1"), .has_session = true,
	};
	struct testapi_get_item__result r;
	testapi_client_get_item(c, &in, &r);
	ok(r.call.error == APIC_CALL_OK && r.call.status == 200, "getItem: every kind of parameter, path to cookie, accepted (%d %s)",
	   r.call.status, r.call.message);
	ok(r.body_200 && r.body_200->i32 == 13 % 5 && r.body_200->color == TESTAPI_COLOR_BLUE,
	   "the path's enum and the query's limit arrived as sent");
	if (r.call.status == 422 && r.problem)
		for (size_t i = 0; i < r.problem->nerrors; i++)
			printf("#   %.*s: %.*s\n", (int)r.problem->errors[i].name.len, r.problem->errors[i].name.ptr,
			       (int)r.problem->errors[i].message.len, r.problem->errors[i].message.ptr);
	testapi_get_item__result_free(&r);

	/* off-contract values are sent as they are: the server refuses them */
	struct apic_str four[] = { S("a"), S("b"), S("c"), S("toolong") };
	in.tag = four;
	in.tag_count = 4;
	in.x_count = -1;
	in.session = S("a;b");
	testapi_client_get_item(c, &in, &r);
	ok(r.call.error == APIC_CALL_REQUEST, "a cookie value with ';' cannot be sent: a request error");
	testapi_get_item__result_free(&r);
	in.session = S("s1");
	testapi_client_get_item(c, &in, &r);
	bool tag_many = false, tag_long = false, count = false;
	for (size_t i = 0; r.problem && i < r.problem->nerrors; i++) {
		const struct apic_problem_error *e = &r.problem->errors[i];
		tag_many |= str_is(e->name, "tag") && str_is(e->code, "too_many_items");
		tag_long |= str_is(e->name, "tag") && str_is(e->code, "too_long");
		count |= str_is(e->name, "X-Count") && str_is(e->location, "header") && str_is(e->code, "below_minimum");
	}
	ok(r.call.status == 422 && tag_many && tag_long && count,
	   "four tags, one too long, X-Count -1: the server's 422 names each (the client does not validate)");
	testapi_get_item__result_free(&r);
	testapi_client_get_item(c, &(struct testapi_get_item__params){ .id = 404, .color = TESTAPI_COLOR_RED }, &r);
	ok(r.call.status == 404 && r.body_404 && str_is(r.body_404->message, "no such item"), "getItem 404: its typed Error body");
	testapi_get_item__result_free(&r);
}

/* Bodies: readonly members left out of a request, writeonly ones sent,
 * nulls; an optional body not given; an array body. */
static void bodies(struct apic_client *c)
{
	struct testapi_modifiers m = { .id = 99, .name = S("n"), .has_nick = true, .nick_is_null = true,
				       .secret = S("s"), .has_secret = true, .count = 3, .has_count = true };
	struct testapi_echo_modifiers__result r;
	testapi_client_echo_modifiers(c, &(struct testapi_echo_modifiers__params){ &m }, &r);
	const struct testapi_modifiers *b = r.body_200;
	ok(r.call.error == APIC_CALL_OK && r.call.status == 200 && b, "a model with readonly, writeonly and null members: 200 (%s)",
	   r.call.message);
	ok(b && b->id == 1 && b->nick_is_null && b->count == 3 && !b->has_secret &&
	   b->color == TESTAPI_COLOR_GREEN && b->has_color, "the reply: its id, the null, the server's defaults, no secret");
	testapi_echo_modifiers__result_free(&r);

	struct testapi_echo_loose__result l;
	testapi_client_echo_loose(c, &(struct testapi_echo_loose__params){ NULL }, &l);
	ok(l.call.error == APIC_CALL_OK && l.call.status == 501, "an optional body not given: sent without one (no handler: 501)");
	testapi_echo_loose__result_free(&l);

	struct testapi_inner i1 = { .n = 1 }, i2 = { .n = 2, .label = S("two"), .has_label = true };
	const struct testapi_inner *items[] = { &i1, &i2 };
	struct testapi_echo_list__result el;
	testapi_client_echo_list(c, &(struct testapi_echo_list__params){ items, 2 }, &el);
	ok(el.call.status == 501 || (el.call.status == 200 && el.body_200_count == 2),
	   "an array body: the server takes it (%d)", el.call.status);
	testapi_echo_list__result_free(&el);
	struct testapi_inner bad = { .n = 10 };
	const struct testapi_inner *five[] = { &bad, &bad, &bad, &bad, &bad };
	testapi_client_echo_list(c, &(struct testapi_echo_list__params){ five, 5 }, &el);
	ok(el.call.status == 422 && el.problem && el.problem->nerrors >= 2, "five items with n 10: the server's 422 (%zu violations)",
	   el.problem ? el.problem->nerrors : 0);
	testapi_echo_list__result_free(&el);
}

static void auth(const char *url)
{
	struct apic_client *c = testapi_client_new(url);
	struct testapi_get_secure__result s;
	testapi_client_get_secure(c, NULL, &s);
	ok(s.call.status == 401, "bearer: none set, 401");
	testapi_get_secure__result_free(&s);
	apic_client_set_token(c, "Bearer", "good");
	testapi_client_get_secure(c, NULL, &s);
	ok(s.call.status == 200 && s.body_200->n == 1, "bearer: 200, a principal");
	testapi_get_secure__result_free(&s);

	struct testapi_get_maybe__result m;
	testapi_client_get_maybe(c, NULL, &m);
	ok(m.call.status == 200 && m.body_200->n == 0, "optional API key: anonymous without it");
	testapi_get_maybe__result_free(&m);
	apic_client_set_token(c, "Token", "good");
	testapi_client_get_maybe(c, NULL, &m);
	ok(m.call.status == 200 && m.body_200->n == 1, "API key in a header with its prefix ('Token '): a principal");
	testapi_get_maybe__result_free(&m);

	struct testapi_get_keyed__result k;
	testapi_client_get_keyed(c, NULL, &k);
	ok(k.call.status == 401, "API key in the query: none set, 401");
	testapi_get_keyed__result_free(&k);
	apic_client_set_token(c, "Key", "good");
	testapi_client_get_keyed(c, NULL, &k);
	ok(k.call.status == 200 && k.body_200 == 42, "API key in the query: 200, a scalar int64 body");
	testapi_get_keyed__result_free(&k);

	struct testapi_get_session__result se;
	apic_client_set_token(c, "Session", "good");
	testapi_client_get_session(c, NULL, &se);
	ok(se.call.status == 200 && str_is(se.body_200, "ok"), "API key in a cookie: 200, a string body");
	testapi_get_session__result_free(&se);

	struct testapi_get_login__result l;
	ok(apic_client_set_token(c, "Login", "x") != 0, "a token for a basic scheme: refused");
	apic_client_set_basic(c, "Login", "alice", "wrong");
	testapi_client_get_login(c, NULL, &l);
	ok(l.call.status == 401, "basic: a wrong password, 401");
	testapi_get_login__result_free(&l);
	apic_client_set_basic(c, "Login", "alice", "pw");
	testapi_client_get_login(c, NULL, &l);
	ok(l.call.status == 200 && l.body_200_count == 1 && str_is(l.body_200[0], "alice"), "basic: 200, [\"alice\"]");
	testapi_get_login__result_free(&l);
	apic_client_free(c);
}

static void headers(struct apic_client *c)
{
	struct testapi_get_headers__result h;
	testapi_client_get_headers(c, &(struct testapi_get_headers__params){ 0 }, &h);
	const struct testapi_get_headers__reply_200_headers *x = &h.headers_200;
	ok(h.call.error == APIC_CALL_OK && x->x_count == INT64_MAX && x->has_x_ratio && x->x_ratio == 0.1 &&
	   x->has_x_flag && !x->x_flag && x->has_x_level && x->x_level == TESTAPI_LEVEL_VERY_HIGH &&
	   x->has_x_note && str_is(x->x_note, "hello, world"), "every kind of response header, decoded (%s)", h.call.message);
	testapi_get_headers__result_free(&h);
	testapi_client_get_headers(c, &(struct testapi_get_headers__params){ 1 }, &h);
	ok(h.call.error == APIC_CALL_OK && h.headers_200.x_count == -7 && !h.headers_200.has_x_ratio &&
	   !h.headers_200.has_x_note, "the optional ones absent: their has_ flags false");
	testapi_get_headers__result_free(&h);
	testapi_client_get_headers(c, &(struct testapi_get_headers__params){ 7 }, &h);
	ok(h.call.status == 429 && h.headers_429.retry_after == 30 && h.problem && str_is(h.problem->detail, "try again later"),
	   "429: its Retry-After and its problem details");
	testapi_get_headers__result_free(&h);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-testapi URL\n");
		return 2;
	}
	struct apic_client *c = testapi_client_new(argv[1]);
	params(c);
	headers(c);
	bodies(c);
	apic_client_free(c);
	auth(argv[1]);
	return tap_done();
}
