/* Unit test of examples/conduit/auth.c: tokens against a vector made by an
 * independent HS256 implementation (node's crypto), forged, altered and
 * expired tokens, and password hashes. TAP. */
#include <stdio.h>
#include <string.h>

#include "auth.h"

static int test_n, test_failed;

static void ok(bool cond, const char *what)
{
	test_n++;
	if (!cond)
		test_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", test_n, what);
}

/* HS256 with key "secret" of {"sub":"42","iat":1700000000,"exp":1702592000},
 * made with node: crypto.createHmac("sha256", "secret"). */
static const char vector[] =
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	"eyJzdWIiOiI0MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAyNTkyMDAwfQ."
	"MFLzqCnB4aAS2ahxqHF2cIYwR8z1LJdbt-hvEmtL2n4";

static const int64_t t0 = 1700000000;

static bool verify(const char *tok, int64_t now, int64_t *uid)
{
	return auth_token_verify(tok, strlen(tok), now, uid);
}

int main(void)
{
	char tok[AUTH_TOKEN_MAX], bad[2 * AUTH_TOKEN_MAX];
	char hash[crypto_pwhash_STRBYTES];
	int64_t uid = 0;

	printf("1..17\n");
	ok(auth_init("secret") == 0, "auth_init with a secret");
	auth_token_issue(tok, 42, t0);
	ok(strcmp(tok, vector) == 0, "issued token equals the independent HS256 vector");
	ok(verify(vector, t0 + 1, &uid) && uid == 42, "the vector verifies and names user 42");
	ok(!verify(vector, 1702592000, &uid), "expired at exp");

	strcpy(bad, vector);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'A' ? 'B' : 'A';
	ok(!verify(bad, t0, &uid), "altered signature");
	strcpy(bad, vector);
	bad[40] = bad[40] == 'A' ? 'B' : 'A';
	ok(!verify(bad, t0, &uid), "altered payload");
	snprintf(bad, sizeof bad, "%s.x", vector);
	ok(!verify(bad, t0, &uid), "four parts");
	memcpy(bad, vector, sizeof vector);
	*strrchr(bad, '.') = '\0';
	ok(!verify(bad, t0, &uid), "two parts");
	ok(!verify("", t0, &uid) && !verify("..", t0, &uid) && !verify("a.b.c", t0, &uid),
	   "empty and garbage tokens");
	/* {"alg":"none"} with the vector's payload and no signature. */
	ok(!verify("eyJhbGciOiJub25lIn0."
		   "eyJzdWIiOiI0MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAyNTkyMDAwfQ.", t0, &uid),
	   "alg none");
	/* The vector's header with padding '=' (not base64url without padding). */
	ok(!verify("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9=."
		   "eyJzdWIiOiI0MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAyNTkyMDAwfQ."
		   "MFLzqCnB4aAS2ahxqHF2cIYwR8z1LJdbt-hvEmtL2n4", t0, &uid),
	   "padded base64");

	ok(auth_init("another secret") == 0 && !verify(vector, t0, &uid),
	   "another key rejects the token");
	ok(auth_init(NULL) == 0 && (auth_token_issue(tok, 7, t0), verify(tok, t0, &uid)) &&
	   uid == 7 && !verify(vector, t0, &uid),
	   "random key: own tokens verify, others do not");

	ok(auth_password_hash(hash, "pa'ss\0word", 10) == 0 && strncmp(hash, "$argon2id$", 10) == 0,
	   "password hash is Argon2id");
	ok(auth_password_verify(hash, "pa'ss\0word", 10), "the right password verifies");
	ok(!auth_password_verify(hash, "pa'ss", 5) && !auth_password_verify(hash, "", 0),
	   "a prefix and the empty password do not");
	ok(!auth_password_verify(NULL, "pa'ss\0word", 10), "no stored hash (no such user): false");
	return test_failed != 0;
}
