/* The generated C client, blocking calls (tests/client/run.sh starts the
 * servers): every petstore operation and every status it declares against
 * examples/petstore; Login, CreateUser, GetCurrentUser, CreateArticle,
 * GetArticles and GetTags against examples/conduit; then an upstream that
 * breaks the contract (tests/client/upstream.cjs), a port nobody listens
 * on, timeouts, retries, X-Request-Id.
 * Usage: test-client PETSTORE_URL TOKEN CONDUIT_URL UPSTREAM_URL DOWN_URL */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conduit.client.h"
#include "petstore.client.h"
#include "tap.h"

#define S(lit) ((struct apic_str){ lit, sizeof lit - 1 })

static bool str_is(struct apic_str s, const char *want)
{
	return s.ptr && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static bool contains(struct apic_str s, const char *part)
{
	char buf[512];
	size_t n = s.len < sizeof buf - 1 ? s.len : sizeof buf - 1;
	if (s.ptr == NULL)
		return false;
	memcpy(buf, s.ptr, n);
	buf[n] = '\0';
	return strstr(buf, part) != NULL;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- petstore ------------------------------------------------------------------- */

static int64_t create(struct apic_client *c, const char *name, int want_status)
{
	struct petstore_pet pet = { .name = { name, strlen(name) }, .tag = S("dog"), .has_tag = true };
	struct petstore_create_pet__result r;
	petstore_client_create_pet(c, &(struct petstore_create_pet__params){ &pet }, &r);
	int64_t id = r.call.status == 201 && r.body_201 ? r.body_201->id : 0;
	if (r.call.status != want_status)
		printf("# create '%s': %d %s\n", name, r.call.status, r.call.message);
	petstore_create_pet__result_free(&r);
	return id;
}

static void petstore(const char *url, const char *token)
{
	struct apic_client *c = petstore_client_new(url);
	ok(c != NULL, "petstore: a client");

	struct petstore_list_pets__result l;
	ok(petstore_client_list_pets(c, &(struct petstore_list_pets__params){ 0 }, &l) == 0, "listPets: ok");
	is_int(l.call.status, 200, "listPets: 200");
	is_int(l.body_200_count, 0, "listPets: an empty store");
	is_int(l.headers_200.x_total_count, 0, "listPets: its X-Total-Count header, decoded");
	petstore_list_pets__result_free(&l);

	struct petstore_pet rex = { .name = S("Rex"), .tag = S("dog"), .has_tag = true, .id = 99 };
	struct petstore_create_pet__result cr;
	ok(petstore_client_create_pet(c, &(struct petstore_create_pet__params){ &rex }, &cr) == 0,
	   "createPet: ok (the readonly id is not sent)");
	is_int(cr.call.status, 201, "createPet: 201");
	int64_t id = cr.body_201 ? cr.body_201->id : 0;
	ok(id >= 1 && cr.body_201 && str_is(cr.body_201->name, "Rex") && cr.body_201->status == PETSTORE_PET_STATUS_AVAILABLE,
	   "createPet: the new pet, id %" PRId64 ", the status defaulted by the server", id);
	char loc[64];
	snprintf(loc, sizeof loc, "/v1/pets/%" PRId64, id);
	ok(str_is(cr.headers_201.location, loc), "createPet: its Location header, decoded");
	petstore_create_pet__result_free(&cr);

	ok(petstore_client_create_pet(c, &(struct petstore_create_pet__params){ &rex }, &cr) == 0, "createPet again: ok");
	is_int(cr.call.status, 409, "createPet again: 409");
	ok(cr.problem && contains(cr.problem->detail, "already exists") && cr.problem->status == 409,
	   "createPet again: the problem details");
	petstore_create_pet__result_free(&cr);

	/* The client does not validate: the server does, and says so. */
	struct petstore_pet bad = { .name = S("<b>"), .tag = S(""), .has_tag = true };
	ok(petstore_client_create_pet(c, &(struct petstore_create_pet__params){ &bad }, &cr) == 0, "createPet invalid: ok");
	is_int(cr.call.status, 422, "createPet invalid: 422 from the server");
	ok(cr.problem && cr.problem->nerrors == 2 && str_is(cr.problem->errors[0].pointer, "/name") &&
	   str_is(cr.problem->errors[0].code, "pattern_mismatch") && str_is(cr.problem->errors[1].pointer, "/tag"),
	   "createPet invalid: its violations, /name and /tag");
	petstore_create_pet__result_free(&cr);
	struct petstore_create_pet__result none;
	ok(petstore_client_create_pet(c, &(struct petstore_create_pet__params){ NULL }, &none) != 0 &&
	   none.call.error == APIC_CALL_REQUEST, "createPet without a body: a request error, nothing sent");
	petstore_create_pet__result_free(&none);

	struct petstore_get_pet__result g;
	ok(petstore_client_get_pet(c, &(struct petstore_get_pet__params){ id }, &g) == 0, "getPet: ok");
	ok(g.call.status == 200 && g.body_200 && g.body_200->id == id && str_is(g.body_200->tag, "dog"),
	   "getPet: 200, the pet");
	petstore_get_pet__result_free(&g);
	ok(petstore_client_get_pet(c, &(struct petstore_get_pet__params){ 9999 }, &g) == 0, "getPet 9999: ok");
	ok(g.call.status == 404 && g.problem && contains(g.problem->detail, "no pet with id 9999"), "getPet 9999: 404 problem");
	petstore_get_pet__result_free(&g);
	ok(petstore_client_get_pet(c, &(struct petstore_get_pet__params){ 0 }, &g) == 0 && g.call.status == 422 &&
	   g.problem && g.problem->nerrors == 1 && str_is(g.problem->errors[0].name, "petId"),
	   "getPet 0: the server's 422 names the path parameter");
	petstore_get_pet__result_free(&g);

	int64_t id2 = create(c, "Tom & Jerry/100%", 201);
	ok(id2 > id, "createPet: a name needing escapes");
	struct petstore_list_pets__params lp = { .tag = S("dog"), .has_tag = true, .limit = 1, .has_limit = true,
						 .offset = 1, .has_offset = true };
	ok(petstore_client_list_pets(c, &lp, &l) == 0 && l.body_200_count == 1 && l.body_200[0]->id == id2 &&
	   str_is(l.body_200[0]->name, "Tom & Jerry/100%") && l.headers_200.x_total_count == 2,
	   "listPets: query parameters (tag, limit, offset) as the server reads them; X-Total-Count 2");
	petstore_list_pets__result_free(&l);
	struct petstore_list_pets__params lq = { .tag = S("a b+c&d=e"), .has_tag = true };
	ok(petstore_client_list_pets(c, &lq, &l) == 0 && l.body_200_count == 0, "listPets: a tag with '+', '&', '=' and a space");
	petstore_list_pets__result_free(&l);
	lp = (struct petstore_list_pets__params){ .limit = 1000, .has_limit = true, .status = PETSTORE_PET_STATUS_SOLD,
						  .has_status = true };
	ok(petstore_client_list_pets(c, &lp, &l) == 0 && l.call.status == 422 && l.problem && l.problem->nerrors == 1 &&
	   str_is(l.problem->errors[0].name, "limit") && str_is(l.problem->errors[0].code, "above_maximum"),
	   "listPets limit=1000: 422 naming the query parameter");
	petstore_list_pets__result_free(&l);

	struct petstore_pet upd = { .name = S("Rex II"), .status = PETSTORE_PET_STATUS_SOLD, .has_status = true };
	struct petstore_update_pet__result u;
	ok(petstore_client_update_pet(c, &(struct petstore_update_pet__params){ id, &upd }, &u) == 0 &&
	   u.call.status == 200 && u.body_200 && str_is(u.body_200->name, "Rex II") &&
	   u.body_200->status == PETSTORE_PET_STATUS_SOLD && !u.body_200->has_tag, "updatePet: 200, the pet as stored");
	petstore_update_pet__result_free(&u);
	ok(petstore_client_update_pet(c, &(struct petstore_update_pet__params){ 9999, &upd }, &u) == 0 &&
	   u.call.status == 404, "updatePet 9999: 404");
	petstore_update_pet__result_free(&u);
	struct petstore_pet clash = { .name = S("Tom & Jerry/100%") };
	ok(petstore_client_update_pet(c, &(struct petstore_update_pet__params){ id, &clash }, &u) == 0 &&
	   u.call.status == 409 && u.problem, "updatePet to a name taken: 409");
	petstore_update_pet__result_free(&u);

	struct petstore_delete_pet__result d;
	ok(petstore_client_delete_pet(c, &(struct petstore_delete_pet__params){ id }, &d) == 0 && d.call.status == 401 &&
	   d.problem && d.problem->status == 401, "deletePet without the token: 401");
	petstore_delete_pet__result_free(&d);
	ok(apic_client_set_token(c, "Bearer", "wrong") == 0, "set a wrong token");
	ok(petstore_client_delete_pet(c, &(struct petstore_delete_pet__params){ id }, &d) == 0 && d.call.status == 401,
	   "deletePet with a wrong token: 401");
	petstore_delete_pet__result_free(&d);
	ok(apic_client_set_token(c, "Nope", "x") != 0 && apic_client_set_token(c, "Bearer", "a\r\nb") != 0,
	   "an unknown scheme, a token with a line break: refused");
	apic_client_set_token(c, "Bearer", token);
	ok(petstore_client_delete_pet(c, &(struct petstore_delete_pet__params){ id }, &d) == 0 && d.call.status == 204,
	   "deletePet with the token: 204");
	petstore_delete_pet__result_free(&d);
	ok(petstore_client_delete_pet(c, &(struct petstore_delete_pet__params){ id }, &d) == 0 && d.call.status == 404,
	   "deletePet again: 404");
	petstore_delete_pet__result_free(&d);
	ok(petstore_client_get_pet(c, &(struct petstore_get_pet__params){ id }, &g) == 0 && g.call.status == 404,
	   "getPet after the delete: 404");
	petstore_get_pet__result_free(&g);
	apic_client_free(c);
}

/* ---- conduit --------------------------------------------------------------------- */

static void conduit(const char *url)
{
	struct apic_client *c = conduit_client_new(url);
	ok(c != NULL, "conduit: a client");
	struct conduit_new_user nu = { S("alice"), S("alice@example.com"), S("secret pw") };
	struct conduit_create_user__result cu;
	ok(conduit_client_create_user(c, &(struct conduit_create_user__params){ &(struct conduit_new_user_request){ &nu } }, &cu) == 0 &&
	   cu.call.status == 201 && cu.body_201 && str_is(cu.body_201->user->username, "alice"), "CreateUser: 201");
	conduit_create_user__result_free(&cu);
	ok(conduit_client_create_user(c, &(struct conduit_create_user__params){ &(struct conduit_new_user_request){ &nu } }, &cu) == 0 &&
	   cu.call.status == 422 && cu.body_422 && cu.body_422->errors && cu.body_422->errors->body_count >= 1,
	   "CreateUser again: 422 in Conduit's error shape");
	conduit_create_user__result_free(&cu);

	struct conduit_login_user lu = { S("alice@example.com"), S("wrong") };
	struct conduit_login__result li;
	ok(conduit_client_login(c, &(struct conduit_login__params){ &(struct conduit_login_user_request){ &lu } }, &li) == 0 &&
	   li.call.status == 401 && li.error && li.error->errors && li.error->errors->body_count == 1,
	   "Login with a wrong password: 401, {\"errors\":{\"body\":[...]}}");
	conduit_login__result_free(&li);
	lu.password = S("secret pw");
	ok(conduit_client_login(c, &(struct conduit_login__params){ &(struct conduit_login_user_request){ &lu } }, &li) == 0 &&
	   li.call.status == 200 && li.body_200 && li.body_200->user->token.len > 10, "Login: 200 and a token");
	char *token = li.body_200 ? strndup(li.body_200->user->token.ptr, li.body_200->user->token.len) : NULL;
	conduit_login__result_free(&li);

	struct conduit_get_current_user__result me;
	ok(conduit_client_get_current_user(c, &(struct conduit_get_current_user__params){ 0 }, &me) == 0 &&
	   me.call.status == 401, "GetCurrentUser without the token: 401");
	conduit_get_current_user__result_free(&me);
	ok(apic_client_set_token(c, "Token", token) == 0, "set the token (the scheme adds 'Token ')");
	ok(conduit_client_get_current_user(c, &(struct conduit_get_current_user__params){ 0 }, &me) == 0 &&
	   me.call.status == 200 && str_is(me.body_200->user->email, "alice@example.com"), "GetCurrentUser: 200");
	conduit_get_current_user__result_free(&me);
	free(token);

	struct apic_str tags[] = { S("zoo"), S("apic") };
	struct conduit_new_article na = { S("Hello client"), S("about"), S("text"), tags, 2, true };
	struct conduit_create_article__result ca;
	ok(conduit_client_create_article(c, &(struct conduit_create_article__params){ &(struct conduit_new_article_request){ &na } }, &ca) == 0 &&
	   ca.call.status == 201 && ca.body_201 && str_is(ca.body_201->article->slug, "hello-client"), "CreateArticle: 201");
	conduit_create_article__result_free(&ca);

	struct conduit_get_articles__result ga;
	ok(conduit_client_get_articles(c, &(struct conduit_get_articles__params){ .author = S("alice"), .has_author = true }, &ga) == 0 &&
	   ga.call.status == 200 && ga.body_200 && ga.body_200->articles_count == 1 && ga.body_200->articles_count_ == 1 &&
	   str_is(ga.body_200->articles[0]->author->username, "alice"), "GetArticles?author=alice: the article");
	conduit_get_articles__result_free(&ga);
	ok(conduit_client_get_articles(c, &(struct conduit_get_articles__params){ .limit = 0, .has_limit = true }, &ga) == 0 &&
	   ga.call.status == 422 && ga.body_422, "GetArticles?limit=0: 422");
	conduit_get_articles__result_free(&ga);

	struct conduit_get_tags__result gt;
	ok(conduit_client_get_tags(c, NULL, &gt) == 0 && gt.call.status == 200 && gt.body_200 &&
	   gt.body_200->tags_count == 2, "GetTags: both tags");
	conduit_get_tags__result_free(&gt);
	apic_client_free(c);
}

/* ---- an upstream off its contract ------------------------------------------------------ */

static struct petstore_get_pet__result get(struct apic_client *c, int64_t id)
{
	struct petstore_get_pet__result r;
	petstore_client_get_pet(c, &(struct petstore_get_pet__params){ id }, &r);
	return r;
}

static bool violation_is(const struct apic_call *call, size_t i, const char *ptr, const char *code, const char *msg)
{
	bool good = i < call->nviolations && strcmp(call->violations[i].pointer, ptr) == 0 &&
		    strcmp(call->violations[i].code, code) == 0 && strcmp(call->violations[i].message, msg) == 0;
	if (!good)
		printf("#   violation %zu: %s %s %s (message: %s)\n", i, i < call->nviolations ? call->violations[i].pointer : "-",
		       i < call->nviolations ? call->violations[i].code : "-",
		       i < call->nviolations ? call->violations[i].message : "-", call->message);
	return good;
}

static int attempts(const char *url, const char *which)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "curl -s %s/v1/attempts", url);
	FILE *p = popen(cmd, "r");
	char buf[256] = "";
	if (p) {
		if (!fgets(buf, sizeof buf, p))
			buf[0] = '\0';
		pclose(p);
	}
	const char *at = strstr(buf, which);
	return at ? atoi(at + strlen(which) + 2) : -1;
}

static void broken(const char *url, const char *down)
{
	struct apic_client *c = petstore_client_new(url);
	apic_client_set_retries(c, 0, 0);
	struct petstore_get_pet__result r = get(c, 1);
	ok(r.call.error == APIC_CALL_BODY && r.call.status == 200 && r.call.nviolations == 1 &&
	   violation_is(&r.call, 0, "/name", "wrong_type", "must be a string, got number"),
	   "a wrong field type: APIC_CALL_BODY, /name, the server decoder's message");
	is_str(r.call.message, "GET 200 of getPet: /name: must be a string, got number", "its message");
	is_int(apic_call_gateway_status(&r.call), 502, "a gateway answers 502");
	petstore_get_pet__result_free(&r);
	r = get(c, 2);
	ok(r.call.error == APIC_CALL_BODY && violation_is(&r.call, 0, "/name", "missing", "is required"),
	   "a missing required field: /name is required");
	petstore_get_pet__result_free(&r);
	r = get(c, 11);
	ok(r.call.error == APIC_CALL_BODY && r.call.violation_count == 2 &&
	   violation_is(&r.call, 0, "/id", "below_minimum", "must be at least 1, got 0") &&
	   violation_is(&r.call, 1, "/status", "not_in_enum", "must be one of: available, pending, sold"),
	   "two violations, both listed");
	petstore_get_pet__result_free(&r);
	r = get(c, 3);
	ok(r.call.error == APIC_CALL_STATUS && r.call.status == 418 && strstr(r.call.message, "status 418 is not a response of getPet"),
	   "an undeclared status: APIC_CALL_STATUS 418 (%s)", r.call.message);
	ok(r.call.body && strstr(r.call.body, "418"), "its body kept as received");
	petstore_get_pet__result_free(&r);
	r = get(c, 4);
	ok(r.call.error == APIC_CALL_BODY && strstr(r.call.message, "content type 'text/html'"),
	   "text/html: APIC_CALL_BODY, the content type named (%s)", r.call.message);
	petstore_get_pet__result_free(&r);
	r = get(c, 5);
	ok(r.call.error == APIC_CALL_BODY && strstr(r.call.message, "not JSON") && r.call.nviolations == 0,
	   "a body that is not JSON: APIC_CALL_BODY (%s)", r.call.message);
	petstore_get_pet__result_free(&r);
	r = get(c, 10);
	ok(r.call.error == APIC_CALL_BODY && r.call.status == 404 && violation_is(&r.call, 0, "/status", "wrong_type", "must be an integer"),
	   "a problem details body with a wrong member type");
	petstore_get_pet__result_free(&r);
	struct petstore_list_pets__result l;
	petstore_client_list_pets(c, &(struct petstore_list_pets__params){ 0 }, &l);
	ok(l.call.error == APIC_CALL_BODY && l.call.nviolations == 1 && l.call.violations[0].where == APIC_IN_HEADER &&
	   violation_is(&l.call, 0, "X-Total-Count", "missing", "is required"), "a declared response header missing: APIC_CALL_BODY");
	is_str(l.call.message, "GET 200 of listPets: header X-Total-Count: is required", "its message");
	petstore_list_pets__result_free(&l);
	petstore_client_list_pets(c, &(struct petstore_list_pets__params){ .tag = S("neg"), .has_tag = true }, &l);
	ok(l.call.error == APIC_CALL_BODY && violation_is(&l.call, 0, "X-Total-Count", "below_minimum", "must be at least 0, got -3"),
	   "a response header out of its range");
	petstore_list_pets__result_free(&l);
	r = get(c, 12);
	ok(r.call.error == APIC_CALL_TRANSPORT && strstr(r.call.message, "larger than"), "a 20 MB body: refused past the limit");
	petstore_get_pet__result_free(&r);

	/* hostile bodies: a valid pet with a few bytes replaced, 300 seeds */
	size_t counts[8] = { 0 };
	bool sane = true;
	for (int64_t seed = 1000; seed < 1300; seed++) {
		r = get(c, seed);
		counts[r.call.error]++;
		sane &= r.call.error == APIC_CALL_OK ? r.body_200 != NULL && r.body_200->name.ptr != NULL
			: r.call.error == APIC_CALL_BODY && r.call.message[0] != '\0';
		petstore_get_pet__result_free(&r);
	}
	printf("# 300 mangled bodies: %zu valid, %zu refused\n", counts[APIC_CALL_OK], counts[APIC_CALL_BODY]);
	ok(sane && counts[APIC_CALL_OK] + counts[APIC_CALL_BODY] == 300 && counts[APIC_CALL_BODY] > 100,
	   "300 mangled bodies: each one valid or refused with a message, nothing else");

	/* timeouts */
	apic_client_set_timeouts(c, 1000, 300);
	uint64_t t0 = now_ms();
	r = get(c, 6);
	uint64_t took = now_ms() - t0;
	ok(r.call.error == APIC_CALL_TIMEOUT && r.call.status == 0, "an upstream that never answers: APIC_CALL_TIMEOUT (%s)",
	   r.call.message);
	ok(took >= 250 && took < 1500, "within the configured 300 ms (%" PRIu64 " ms)", took);
	is_int(apic_call_gateway_status(&r.call), 504, "a gateway answers 504");
	petstore_get_pet__result_free(&r);
	apic_client_set_timeouts(c, 5000, 5000);

	/* retries: idempotent only */
	apic_client_set_retries(c, 2, 50);
	r = get(c, 7);
	ok(r.call.error == APIC_CALL_OK && r.call.status == 200 && r.call.attempts == 3, "GET: 503, 503, then 200 on attempt 3 (%u)",
	   r.call.attempts);
	is_int(attempts(url, "get7"), 3, "the upstream saw 3 GETs");
	petstore_get_pet__result_free(&r);
	struct petstore_pet p = { .name = S("Rex") };
	struct petstore_update_pet__result u;
	petstore_client_update_pet(c, &(struct petstore_update_pet__params){ 7, &p }, &u);
	ok(u.call.status == 200 && u.call.attempts == 3 && attempts(url, "put7") == 3, "PUT is retried too");
	petstore_update_pet__result_free(&u);
	struct petstore_create_pet__result cr;
	petstore_client_create_pet(c, &(struct petstore_create_pet__params){ &p }, &cr);
	ok(cr.call.error == APIC_CALL_STATUS && cr.call.status == 503 && cr.call.attempts == 1,
	   "POST: the 503 after 1 attempt (503 is not declared: %s)", cr.call.message);
	is_int(attempts(url, "post"), 1, "the upstream saw 1 POST");
	petstore_create_pet__result_free(&cr);

	/* connections are kept and reused */
	int before = attempts(url, "conns");
	bool all = true;
	for (int i = 0; i < 5; i++) {
		r = get(c, 20 + i);
		all &= r.call.error == APIC_CALL_OK;
		petstore_get_pet__result_free(&r);
	}
	int after = attempts(url, "conns");
	ok(all && after - before - 1 == 0, "5 calls in a row on the kept connection (%d new)", after - before - 1);

	/* X-Request-Id */
	r = get(c, 8);
	ok(r.call.error == APIC_CALL_OK && str_is(r.body_200->tag, "none"), "no X-Request-Id: none sent");
	petstore_get_pet__result_free(&r);
	apic_client_set_request_id(c, "req-42");
	r = get(c, 8);
	ok(r.call.error == APIC_CALL_OK && str_is(r.body_200->tag, "req-42"), "the client's X-Request-Id is passed on");
	petstore_get_pet__result_free(&r);
	apic_client_free(c);

	/* nobody listening: connect error, retried for GET */
	c = petstore_client_new(down);
	apic_client_set_retries(c, 1, 10);
	r = get(c, 1);
	ok(r.call.error == APIC_CALL_CONNECT && r.call.status == 0 && r.call.attempts == 2,
	   "a port nobody listens on: APIC_CALL_CONNECT after 2 attempts (%s)", r.call.message);
	is_int(apic_call_gateway_status(&r.call), 502, "a gateway answers 502");
	petstore_get_pet__result_free(&r);
	apic_client_free(c);
	ok(petstore_client_new("ftp://example.com") == NULL && petstore_client_new("") == NULL, "a base URL that is not http(s): refused");
}

/* ---- one client, blocking calls from several threads ------------------------------------- */

struct worker {
	struct apic_client *c;
	int good;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < 20; i++) {
		struct petstore_get_pet__result r = get(w->c, 100 + i);
		w->good += r.call.error == APIC_CALL_OK && r.body_200 && r.body_200->id == 100 + i;
		petstore_get_pet__result_free(&r);
	}
	return NULL;
}

static void threads(const char *url)
{
	struct apic_client *c = petstore_client_new(url);
	struct worker w[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ c, 0 };
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	int good = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		good += w[i].good;
	}
	is_int(good, 80, "one client, 4 threads, 20 blocking calls each: all 80 right");
	apic_client_free(c);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: test-client PETSTORE_URL TOKEN CONDUIT_URL UPSTREAM_URL DOWN_URL\n");
		return 2;
	}
	petstore(argv[1], argv[2]);
	conduit(argv[3]);
	broken(argv[4], argv[5]);
	threads(argv[4]);
	return tap_done();
}
