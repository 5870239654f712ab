/* Tests of the bookshop's API, run in-process by libapic's test client
 * (libapic(3), TESTING): `make check`. The server is set up as main()
 * does, with --strict-responses, so every reply is also held to the API
 * document; a test double replaces the ApiKey verifier. TAP output. */
#include "app.h"

#include <apic_test.h>
#include <stdio.h>
#include <string.h>

static int n, failed;
static struct apic_tester *t;
static struct apic_test_response r;

static void check(int ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n, what);
	if (!ok)
		printf("#   got %d %s\n", r.status, r.body != NULL ? r.body : "(no body)");
	failed += !ok;
}

static const char *const with_key[] = { "X-Api-Key", "test-key", NULL };
static const char *const wrong_key[] = { "X-Api-Key", "nope", NULL };

/* One request; its response stays in `r` until the next. */
static void call(const char *method, const char *target, const char *const *headers, const char *body)
{
	apic_test_response_free(&r);
	memset(&r, 0, sizeof r);
	if (apic_tester_call(t, method, target, headers, body, &r) != 0)
		r.status = -1;
}

static int body_is(const char *want)
{
	return r.body != NULL && strcmp(r.body, want) == 0;
}

static int body_has(const char *part)
{
	return r.body != NULL && strstr(r.body, part) != NULL;
}

static int header_is(const char *name, const char *want)
{
	const char *v = apic_test_response_header(&r, name);
	return v != NULL && strcmp(v, want) == 0;
}

/* The test double: the key "test-key" is anybody's. */
static enum apic_auth_result test_key(struct apic_ctx *ctx, const struct apic_credential *cred, void *cls,
				      void **principal)
{
	(void)ctx;
	(void)cls;
	if (cred->token.len != 8 || memcmp(cred->token.ptr, "test-key", 8) != 0)
		return APIC_AUTH_INVALID;
	*principal = "tester";
	return APIC_AUTH_OK;
}

#define DUNE "{\"title\":\"The Dispossessed\",\"genre\":\"fiction\",\"isbn\":\"9780061054884\"," \
	     "\"year\":1974,\"price\":{\"amount\":1250,\"currency\":\"GBP\"},\"tags\":[\"sf\",\"anarchy\"]," \
	     "\"translations\":{\"de\":\"Planet der Habenichtse\",\"fr\":\"Les D\\u00e9poss\\u00e9d\\u00e9s\"}," \
	     "\"note\":null}"
#define DUNE_OUT "{\"id\":1,\"authorId\":1,\"title\":\"The Dispossessed\",\"genre\":\"fiction\"," \
		 "\"isbn\":\"9780061054884\",\"year\":1974,\"price\":{\"amount\":1250,\"currency\":\"GBP\"}," \
		 "\"tags\":[\"sf\",\"anarchy\"],\"translations\":{\"de\":\"Planet der Habenichtse\"," \
		 "\"fr\":\"Les D\xc3\xa9poss\xc3\xa9" "d\xc3\xa9s\"},\"note\":null}"

static void authors(void)
{
	call("POST", "/v1/authors", NULL, "{\"name\":\"Ursula K. Le Guin\"}");
	check(r.status == 401, "creating an author without a key: 401");
	check(apic_test_response_header(&r, "WWW-Authenticate") != NULL, "with WWW-Authenticate");
	call("POST", "/v1/authors", wrong_key, "{\"name\":\"Ursula K. Le Guin\"}");
	check(r.status == 401, "a key the server was not given: 401");

	/* from here on the test double verifies the key */
	apic_server_set_verifier(apic_tester_server(t), "ApiKey", test_key, NULL);
	call("POST", "/v1/authors", wrong_key, "{\"name\":\"Ursula K. Le Guin\"}");
	check(r.status == 401, "the test double refuses another key: 401");
	call("POST", "/v1/authors", with_key, "{\"name\":\"Ursula K. Le Guin\",\"born\":1929}");
	check(r.status == 201, "creating an author with the key: 201");
	check(body_is("{\"id\":1,\"name\":\"Ursula K. Le Guin\",\"born\":1929}"), "the body has the new id");
	check(header_is("Location", "/v1/authors/1"), "Location: /v1/authors/1");
	call("POST", "/v1/authors", with_key, "{\"name\":\"Octavia E. Butler\",\"bio\":null}");
	check(r.status == 201 && header_is("Location", "/v1/authors/2"), "a second author: 201, /v1/authors/2");
	call("POST", "/v1/authors", with_key, "{\"name\":\"Ursula K. Le Guin\"}");
	check(r.status == 409 && body_has("\"detail\":\"an author named 'Ursula K. Le Guin' exists\""),
	      "the same name again: 409 saying why");
	check(apic_test_response_header(&r, "Location") == NULL, "a 409 has no Location");

	call("POST", "/v1/authors", with_key, "{\"id\":7,\"name\":\"\",\"age\":3}");
	check(r.status == 422, "bad author: 422");
	check(body_has("\"pointer\":\"/id\",\"code\":\"read_only\""), "an id is the server's (read_only)");
	check(body_has("\"pointer\":\"/name\",\"code\":\"too_short\""), "an empty name is too_short");
	check(body_has("\"pointer\":\"/age\",\"code\":\"unknown_property\""), "an unknown property is refused");
	call("POST", "/v1/authors", with_key, "{\"name\":");
	check(r.status == 400, "malformed JSON: 400");

	call("GET", "/v1/authors/1", NULL, NULL);
	check(r.status == 200 && body_is("{\"id\":1,\"name\":\"Ursula K. Le Guin\",\"born\":1929}"),
	      "GET the Location: the author as created");
	call("GET", "/v1/authors/2", NULL, NULL);
	check(body_is("{\"id\":2,\"name\":\"Octavia E. Butler\",\"bio\":null}"), "a null bio is kept as null");
	call("GET", "/v1/authors/99", NULL, NULL);
	check(r.status == 404 && body_has("no author with id 99"), "an unknown author: 404");
	call("GET", "/v1/authors/0", NULL, NULL);
	check(r.status == 422 && body_has("\"location\":\"path\",\"name\":\"authorId\""), "authorId 0: 422");

	call("GET", "/v1/authors", NULL, NULL);
	check(r.status == 200 && header_is("X-Total-Count", "2") && body_has("Le Guin") && body_has("Butler"),
	      "list: both, X-Total-Count 2");
	call("GET", "/v1/authors?name=Butler", NULL, NULL);
	check(header_is("X-Total-Count", "1") && body_is("[{\"id\":2,\"name\":\"Octavia E. Butler\",\"bio\":null}]"),
	      "filtered by name");
	call("GET", "/v1/authors?limit=1&offset=1", NULL, NULL);
	check(header_is("X-Total-Count", "2") && body_has("\"id\":2") && !body_has("\"id\":1"),
	      "limit=1&offset=1: the second page of one");
	call("GET", "/v1/authors?offset=5", NULL, NULL);
	check(r.status == 200 && body_is("[]") && header_is("X-Total-Count", "2"), "past the end: [] (total 2)");
	call("GET", "/v1/authors?limit=0&offset=-1", NULL, NULL);
	check(r.status == 422 && body_has("\"name\":\"limit\",\"code\":\"below_minimum\"") &&
		      body_has("\"name\":\"offset\",\"code\":\"below_minimum\""),
	      "limit=0&offset=-1: 422 naming both");
	call("GET", "/v1/authors?limit=abc", NULL, NULL);
	check(r.status == 422 && body_has("\"code\":\"invalid\""), "limit=abc: 422 invalid");
}

static void books(void)
{
	call("POST", "/v1/authors/1/books", NULL, DUNE);
	check(r.status == 401, "creating a book without a key: 401");
	call("POST", "/v1/authors/1/books", with_key, DUNE);
	check(r.status == 201 && header_is("Location", "/v1/authors/1/books/1"), "a book: 201, its Location");
	check(body_is(DUNE_OUT), "with every field, ids set by the server");
	call("POST", "/v1/authors/1/books", with_key,
	     "{\"title\":\"The Left Hand of Darkness\",\"genre\":\"fiction\",\"isbn\":\"9780441478125\","
	     "\"price\":{\"amount\":999},\"tags\":[\"sf\"]}");
	check(r.status == 201 && body_has("\"currency\":\"EUR\""), "a second book; the currency's default applied");
	call("POST", "/v1/authors/1/books", with_key,
	     "{\"title\":\"Wild Angels\",\"genre\":\"poetry\",\"price\":{\"amount\":500}}");
	check(r.status == 201 && body_has("\"id\":3") && body_has("\"tags\":[]"), "a third book; tags default to []");
	call("POST", "/v1/authors/2/books", with_key,
	     "{\"title\":\"Kindred\",\"genre\":\"fiction\",\"price\":{\"amount\":800}}");
	check(r.status == 201 && header_is("Location", "/v1/authors/2/books/4"), "a book of the second author");

	/* the requests since have reused the first one's memory: the store's
	 * copy must not point into it */
	call("GET", "/v1/authors/1/books/1", NULL, NULL);
	check(r.status == 200 && body_is(DUNE_OUT), "the first book, unchanged, from the store's own copy");

	call("POST", "/v1/authors/1/books", with_key, DUNE);
	check(r.status == 409 && body_has("a book with ISBN 9780061054884 exists"), "an ISBN twice: 409");
	call("POST", "/v1/authors/99/books", with_key, DUNE);
	check(r.status == 404, "a book for an unknown author: 404");
	call("POST", "/v1/authors/1/books", with_key,
	     "{\"title\":\" x\",\"genre\":\"novel\",\"isbn\":\"12\",\"price\":{\"amount\":-1},\"tags\":[\"a\",\"a\"]}");
	check(r.status == 422, "a bad book: 422");
	check(body_has("\"pointer\":\"/title\",\"code\":\"pattern_mismatch\""), "a title starting with a space");
	check(body_has("\"pointer\":\"/genre\",\"code\":\"not_in_enum\""), "a genre not in the enum");
	check(body_has("\"pointer\":\"/isbn\",\"code\":\"pattern_mismatch\""), "an ISBN that is none");
	check(body_has("\"pointer\":\"/price/amount\",\"code\":\"below_minimum\""), "a negative price");
	check(body_has("\"pointer\":\"/tags\",\"code\":\"duplicate_items\""), "a tag twice");
	call("POST", "/v1/authors/1/books", with_key, "{\"title\":\"x\",\"genre\":\"poetry\"}");
	check(r.status == 422 && body_has("\"pointer\":\"/price\",\"code\":\"missing\""), "no price: 422 missing");

	call("GET", "/v1/authors/1/books", NULL, NULL);
	check(r.status == 200 && header_is("X-Total-Count", "3"), "the first author's 3 books");
	call("GET", "/v1/authors/1/books?genre=poetry", NULL, NULL);
	check(header_is("X-Total-Count", "1") && body_has("Wild Angels") && !body_has("Dispossessed"),
	      "filtered by genre");
	call("GET", "/v1/authors/1/books?genre=novel", NULL, NULL);
	check(r.status == 422 && body_has("\"name\":\"genre\",\"code\":\"not_in_enum\""), "genre=novel: 422");
	call("GET", "/v1/authors/1/books?maxPrice=999", NULL, NULL);
	check(header_is("X-Total-Count", "2") && !body_has("Dispossessed"), "maxPrice=999: the two cheaper ones");
	call("GET", "/v1/authors/1/books?tag=sf&genre=fiction&limit=1", NULL, NULL);
	check(header_is("X-Total-Count", "2") && body_has("\"id\":1,") && !body_has("\"id\":2,"),
	      "tag=sf&genre=fiction&limit=1: the first of two");
	call("GET", "/v1/authors/1/books?tag=sf&limit=1&offset=1", NULL, NULL);
	check(body_has("\"id\":2,") && !body_has("\"id\":1,"), "and offset=1: the second");
	call("GET", "/v1/authors/1/books?limit=101", NULL, NULL);
	check(r.status == 422 && body_has("\"name\":\"limit\",\"code\":\"above_maximum\""), "limit=101: 422");
	call("GET", "/v1/authors/99/books", NULL, NULL);
	check(r.status == 404, "the books of an unknown author: 404");
	call("GET", "/v1/authors/2/books/1", NULL, NULL);
	check(r.status == 404 && body_has("author 2 has no book with id 1"), "a book under another author: 404");
}

static void updates(void)
{
	const char *edit = "{\"title\":\"The Dispossessed: An Ambiguous Utopia\",\"genre\":\"fiction\","
			   "\"isbn\":\"9780061054884\",\"price\":{\"amount\":1100}}";

	call("PUT", "/v1/authors/1/books/1", NULL, edit);
	check(r.status == 401, "PUT without a key: 401");
	call("PUT", "/v1/authors/1/books/1", with_key, edit);
	check(r.status == 200 && body_is("{\"id\":1,\"authorId\":1,\"title\":\"The Dispossessed: An Ambiguous "
					 "Utopia\",\"genre\":\"fiction\",\"isbn\":\"9780061054884\",\"price\":"
					 "{\"amount\":1100,\"currency\":\"EUR\"},\"tags\":[]}"),
	      "PUT replaces the book (its old tags and translations gone)");
	call("GET", "/v1/authors/1/books/1", NULL, NULL);
	check(body_has("An Ambiguous Utopia") && !body_has("anarchy"), "GET shows the new version");
	call("PUT", "/v1/authors/1/books/2", with_key, edit);
	check(r.status == 409 && body_has("another book has ISBN 9780061054884"), "PUT taking another's ISBN: 409");
	call("GET", "/v1/authors/1/books/2", NULL, NULL);
	check(body_has("The Left Hand of Darkness"), "and the book is unchanged");
	call("PUT", "/v1/authors/2/books/1", with_key, edit);
	check(r.status == 404, "PUT of a book under another author: 404");
	call("PUT", "/v1/authors/1/books/1", with_key, "{\"id\":1,\"title\":\"x\",\"genre\":\"poetry\",\"price\":{\"amount\":1}}");
	check(r.status == 422 && body_has("\"pointer\":\"/id\",\"code\":\"read_only\""), "PUT with an id: 422");

	call("DELETE", "/v1/authors/1", with_key, NULL);
	check(r.status == 409, "deleting an author who has books: 409");
	call("DELETE", "/v1/authors/1/books/3", NULL, NULL);
	check(r.status == 401, "DELETE without a key: 401");
	call("DELETE", "/v1/authors/1/books/3", with_key, NULL);
	check(r.status == 204 && r.body_len == 0, "DELETE a book: 204, no body");
	call("DELETE", "/v1/authors/1/books/3", with_key, NULL);
	check(r.status == 404, "again: 404");
	call("GET", "/v1/authors/1/books/3", NULL, NULL);
	check(r.status == 404, "and GET: 404");
	call("DELETE", "/v1/authors/1/books/1", with_key, NULL);
	call("DELETE", "/v1/authors/1/books/2", with_key, NULL);
	call("GET", "/v1/authors/1/books", NULL, NULL);
	check(r.status == 200 && body_is("[]") && header_is("X-Total-Count", "0"), "no books left: []");
	call("DELETE", "/v1/authors/1", with_key, NULL);
	check(r.status == 204, "then the author goes: 204");
	call("GET", "/v1/authors/1", NULL, NULL);
	check(r.status == 404, "GET: 404");
	call("GET", "/v1/authors/2/books/4", NULL, NULL);
	check(r.status == 200 && body_has("Kindred"), "the other author's book stays");
	call("POST", "/v1/authors/1/books", with_key, "{\"title\":\"x\",\"genre\":\"poetry\",\"price\":{\"amount\":1}}");
	check(r.status == 404, "a book for the deleted author: 404");
}

int main(void)
{
	struct app app = { .api_key = NULL };
	char *args[] = { "test_bookshop", "--strict-responses", NULL };

	setvbuf(stdout, NULL, _IOLBF, 0); /* what passed is seen even after a crash */
	t = apic_tester_new(&bookshop_api);
	if (t == NULL || app_setup(apic_tester_server(t), &app) != 0)
		return 1;
	if (apic_server_parse_args(apic_tester_server(t), 2, args) != 0)
		return 1;
	authors();
	books();
	updates();
	apic_test_response_free(&r);
	apic_tester_free(t);
	app_teardown(&app);
	printf("1..%d\n", n);
	return failed != 0;
}
