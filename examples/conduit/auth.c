/* Passwords and tokens of the Conduit example (see auth.h). */
#include "auth.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "apic_gen.h"

/* The HMAC state right after keying: copied for every signature, so the key
 * is hashed once and never kept around in the clear. */
static crypto_auth_hmacsha256_state auth_keyed;

/* base64url of {"alg":"HS256","typ":"JWT"}: the only header we issue. */
static const char auth_header[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/* Longest header or payload we decode; ours are far shorter. */
#define AUTH_PART_MAX 512

int auth_init(const char *secret)
{
	unsigned char random_key[32];
	const unsigned char *key = (const unsigned char *)secret;
	size_t keylen = secret ? strlen(secret) : 0;

	if (sodium_init() < 0) {
		fprintf(stderr, "conduit: libsodium failed to initialise\n");
		return -1;
	}
	if (keylen == 0) {
		randombytes_buf(random_key, sizeof random_key);
		key = random_key;
		keylen = sizeof random_key;
	}
	crypto_auth_hmacsha256_init(&auth_keyed, key, keylen);
	sodium_memzero(random_key, sizeof random_key);
	return 0;
}

int auth_password_hash(char out[crypto_pwhash_STRBYTES], const char *pw, size_t len)
{
	return crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/* The hash of 32 random bytes nobody kept, with the parameters that
 * auth_password_hash() uses. */
static const char auth_decoy[crypto_pwhash_STRBYTES] =
	"$argon2id$v=19$m=65536,t=2,p=1$jPOm9uXbbXJ7MgNbPhCMGQ$"
	"n8uZRPL1Z+6nTLKEQy4mSN9nLsf1hQDXQZ2Lz9VVMIQ";

bool auth_password_verify(const char *hash, const char *pw, size_t len)
{
	/* libsodium takes the hash as a crypto_pwhash_STRBYTES array. */
	char stored[crypto_pwhash_STRBYTES] = { 0 };
	size_t n = hash ? strlen(hash) : 0;
	bool known = hash && n < sizeof stored;

	memcpy(stored, known ? hash : auth_decoy, known ? n : sizeof stored);
	return crypto_pwhash_str_verify(stored, pw, len) == 0 && known;
}

static void auth_mac(unsigned char mac[crypto_auth_hmacsha256_BYTES],
		     const char *signed_part, size_t len)
{
	crypto_auth_hmacsha256_state st = auth_keyed;

	crypto_auth_hmacsha256_update(&st, (const unsigned char *)signed_part, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof st);
}

static void auth_b64(char *out, size_t cap, const void *bin, size_t len)
{
	sodium_bin2base64(out, cap, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_token_issue(char out[AUTH_TOKEN_MAX], int64_t uid, int64_t now)
{
	char payload[128];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	size_t n;
	int plen;

	plen = snprintf(payload, sizeof payload,
			"{\"sub\":\"%" PRId64 "\",\"iat\":%" PRId64 ",\"exp\":%" PRId64 "}",
			uid, now, now + AUTH_TOKEN_LIFETIME);
	n = sizeof auth_header - 1;
	memcpy(out, auth_header, n);
	out[n++] = '.';
	auth_b64(out + n, AUTH_TOKEN_MAX - n, payload, (size_t)plen);
	n += strlen(out + n);
	auth_mac(mac, out, n);
	out[n++] = '.';
	auth_b64(out + n, AUTH_TOKEN_MAX - n, mac, sizeof mac);
}

/* Decodes one base64url part of a token and parses it as a JSON object;
 * NULL when it is not exactly that. The caller puts the result. */
static struct json_object *auth_part_json(const char *b64, size_t len)
{
	unsigned char bin[AUTH_PART_MAX];
	size_t binlen;
	struct json_tokener *tok;
	struct json_object *obj;

	if (sodium_base642bin(bin, sizeof bin, b64, len, NULL, &binlen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return NULL;
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, (const char *)bin, (int)binlen);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != binlen ||
	    !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

static bool auth_claims_ok(const char *b64, size_t len, int64_t now, int64_t *uid)
{
	struct json_object *claims = auth_part_json(b64, len), *sub, *exp;
	bool ok;

	ok = claims && json_object_object_get_ex(claims, "sub", &sub) &&
	     json_object_is_type(sub, json_type_string) &&
	     apic_parse_int64(json_object_get_string(sub),
			      (size_t)json_object_get_string_len(sub), uid) &&
	     *uid > 0 && json_object_object_get_ex(claims, "exp", &exp) &&
	     json_object_is_type(exp, json_type_int) &&
	     json_object_get_int64(exp) > now;
	json_object_put(claims);
	return ok;
}

bool auth_token_verify(const char *tok, size_t len, int64_t now, int64_t *uid)
{
	const char *dot1, *dot2, *end = tok + len;
	unsigned char mac[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES];
	size_t gotlen;

	if (len == 0 || len >= 2 * AUTH_PART_MAX)
		return false;
	dot1 = memchr(tok, '.', len);
	if (!dot1)
		return false;
	dot2 = memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1));
	if (!dot2 || memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1)))
		return false;
	/* The algorithm is pinned by accepting only the header we issue, byte for
	 * byte: a token cannot choose its own verification ("alg": "none"). */
	if ((size_t)(dot1 - tok) != sizeof auth_header - 1 ||
	    memcmp(tok, auth_header, sizeof auth_header - 1) != 0)
		return false;
	if (sodium_base642bin(got, sizeof got, dot2 + 1, (size_t)(end - dot2 - 1), NULL,
			      &gotlen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    gotlen != sizeof got)
		return false;
	auth_mac(mac, tok, (size_t)(dot2 - tok));
	if (sodium_memcmp(mac, got, sizeof mac) != 0)
		return false;
	return auth_claims_ok(dot1 + 1, (size_t)(dot2 - dot1 - 1), now, uid);
}
