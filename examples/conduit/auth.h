/* Passwords and tokens of the Conduit example, on libsodium: Argon2id
 * password hashes (crypto_pwhash_str) and JWTs signed with HMAC-SHA-256
 * (HS256). The signing key is process-wide, set once by auth_init(). */
#ifndef CONDUIT_AUTH_H
#define CONDUIT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

/* How long an issued token stays valid. */
#define AUTH_TOKEN_LIFETIME (30 * 24 * 3600)

/* Initialises libsodium and the signing key: `secret` (any length, at least
 * one byte), or 32 random bytes when it is NULL or empty, in which case
 * tokens do not survive a restart. Returns 0, or -1 after printing why. */
int auth_init(const char *secret);

/* Hashes a password into `out`. Returns 0, or -1 when out of memory. */
int auth_password_hash(char out[crypto_pwhash_STRBYTES], const char *pw, size_t len);
/* True when `pw` matches the stored hash. With `hash` NULL (no such user)
 * it checks against a decoy and returns false, taking as long as a real
 * check: a login's timing does not tell which emails are registered. */
bool auth_password_verify(const char *hash, const char *pw, size_t len);

/* Longest token auth_token_issue() writes, NUL included. */
#define AUTH_TOKEN_MAX 256

/* Writes a signed token naming user `uid`, valid from `now` for
 * AUTH_TOKEN_LIFETIME seconds, into `out`. */
void auth_token_issue(char out[AUTH_TOKEN_MAX], int64_t uid, int64_t now);
/* Checks a token's form, signature and expiry at `now`; on success sets *uid
 * to the user it names and returns true. The header must be exactly the one
 * auth_token_issue() writes, which pins the algorithm to HS256. */
bool auth_token_verify(const char *tok, size_t len, int64_t now, int64_t *uid);

#endif
