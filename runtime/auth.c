/* Security: extract the credential of the route's scheme, call the
 * application's verifier, answer 401/403/500 when the request may not go on.
 *
 * bearer: "Authorization: Bearer TOKEN" (scheme word case-insensitive).
 * apikey: the header / query parameter / cookie named by the scheme, with
 *         its declared prefix ("Token ") removed; a value without the prefix
 *         is invalid.
 * basic:  "Authorization: Basic BASE64(user:password)", strict base64, split
 *         at the first ':'.
 * Missing or invalid credential: 401 with WWW-Authenticate. On an optional
 * route a missing credential is anonymous (principal NULL), but a credential
 * that is sent and does not verify is still 401: a client that believes it is
 * logged in must learn it is not. No verifier installed: 500. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 4648 base64 with padding; rejects anything else. Returns the length. */
static bool b64_decode(const char *s, size_t n, char *out, size_t *outlen)
{
	if (n % 4 != 0)
		return false;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		unsigned v = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			char c = s[i + k];
			unsigned d;
			if (c >= 'A' && c <= 'Z')
				d = (unsigned)(c - 'A');
			else if (c >= 'a' && c <= 'z')
				d = (unsigned)(c - 'a' + 26);
			else if (c >= '0' && c <= '9')
				d = (unsigned)(c - '0' + 52);
			else if (c == '+')
				d = 62;
			else if (c == '/')
				d = 63;
			else if (c == '=' && i + 4 == n && k >= 2) {
				d = 0;
				pad++;
			} else
				return false;
			if (pad && c != '=')
				return false;
			v = v << 6 | d;
		}
		out[o++] = (char)(v >> 16);
		if (pad < 2)
			out[o++] = (char)(v >> 8 & 0xff);
		if (pad < 1)
			out[o++] = (char)(v & 0xff);
	}
	*outlen = o;
	return true;
}

static const struct apic__verifier *find_verifier(const struct apic_server *srv,
						  const struct apic_security *sec)
{
	for (size_t i = 0; i < srv->nverifiers; i++)
		if (srv->verifiers[i].scheme == sec || strcmp(srv->verifiers[i].scheme->name, sec->name) == 0)
			return &srv->verifiers[i];
	return NULL;
}

static const char *challenge(struct apic_ctx *ctx, const struct apic_security *sec)
{
	const char *realm = ctx->srv->api->title ? ctx->srv->api->title : "api";
	switch (sec->kind) {
	case APIC_AUTH_BEARER:
		return apic_ctx_printf(ctx, "Bearer realm=\"%s\"", realm);
	case APIC_AUTH_BASIC:
		return apic_ctx_printf(ctx, "Basic realm=\"%s\", charset=\"UTF-8\"", realm);
	case APIC_AUTH_APIKEY:
		if (sec->prefix && sec->prefix[0]) {
			size_t n = strcspn(sec->prefix, " ");
			return apic_ctx_printf(ctx, "%.*s realm=\"%s\"", (int)n, sec->prefix, realm);
		}
		return apic_ctx_printf(ctx, "ApiKey realm=\"%s\"", realm);
	}
	return NULL;
}

static bool deny(struct apic_ctx *ctx, const struct apic_security *sec, const char *detail)
{
	const char *ch = challenge(ctx, sec);
	if (ch != NULL)
		apic__add_rhdr(ctx, "WWW-Authenticate", ch);
	apic__reply_problem(ctx, 401, detail, NULL);
	return false;
}

/* Finds the credential. Returns 0 absent, 1 present, -1 malformed. */
static int extract(struct apic_ctx *ctx, const struct apic_security *sec, struct apic_credential *cred)
{
	struct apic_str v;
	memset(cred, 0, sizeof *cred);
	cred->scheme = sec->name;
	cred->kind = sec->kind;
	switch (sec->kind) {
	case APIC_AUTH_BEARER:
	case APIC_AUTH_BASIC: {
		if (!apic_req_header(ctx, "Authorization", &v))
			return 0;
		const char *word = sec->kind == APIC_AUTH_BEARER ? "Bearer" : "Basic";
		size_t wl = strlen(word);
		if (v.len <= wl + 1 || strncasecmp(v.ptr, word, wl) != 0 || v.ptr[wl] != ' ')
			return -1;
		const char *p = v.ptr + wl;
		size_t n = v.len - wl;
		while (n && *p == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n == 0)
			return -1;
		if (sec->kind == APIC_AUTH_BEARER) {
			cred->token.ptr = p;
			cred->token.len = n;
			return 1;
		}
		char *dec = apic__arena_alloc(&ctx->arena, n + 1);
		size_t dl;
		if (dec == NULL || !b64_decode(p, n, dec, &dl))
			return -1;
		dec[dl] = '\0';
		char *colon = memchr(dec, ':', dl);
		if (colon == NULL || memchr(dec, '\0', dl) != NULL)
			return -1;
		*colon = '\0';
		cred->user.ptr = dec;
		cred->user.len = (size_t)(colon - dec);
		cred->password.ptr = colon + 1;
		cred->password.len = dl - cred->user.len - 1;
		return 1;
	}
	case APIC_AUTH_APIKEY: {
		bool found = false;
		if (sec->in == APIC_IN_QUERY)
			found = apic_req_query(ctx, sec->key, &v);
		else if (sec->in == APIC_IN_COOKIE)
			found = apic_req_cookie(ctx, sec->key, &v);
		else
			found = apic_req_header(ctx, sec->key, &v);
		if (!found)
			return 0;
		if (sec->prefix && sec->prefix[0]) {
			size_t pl = strlen(sec->prefix);
			if (v.len < pl || strncasecmp(v.ptr, sec->prefix, pl) != 0)
				return -1;
			v.ptr += pl;
			v.len -= pl;
		}
		if (v.len == 0)
			return -1;
		cred->token = v;
		return 1;
	}
	}
	return -1;
}

bool apic__auth_check(struct apic_ctx *ctx)
{
	const struct apic_route *rt = ctx->route;
	const struct apic_security *sec = rt->security;
	if (sec == NULL)
		return true;
	const struct apic__verifier *ver = find_verifier(ctx->srv, sec);
	if (ver == NULL) {
		apic_ctx_log(ctx, "no verifier installed for security scheme '%s'", sec->name);
		apic__reply_problem(ctx, 500, "authentication is not configured", NULL);
		return false;
	}
	struct apic_credential cred;
	int found = extract(ctx, sec, &cred);
	if (found == 0) {
		if (rt->auth_optional)
			return true;
		return deny(ctx, sec, "authentication required");
	}
	if (found < 0)
		return deny(ctx, sec, "malformed credentials");
	void *principal = NULL;
	switch (ver->fn(ctx, &cred, ver->cls, &principal)) {
	case APIC_AUTH_OK:
		ctx->principal = principal;
		return true;
	case APIC_AUTH_FORBIDDEN:
		apic__reply_problem(ctx, 403, "not allowed", NULL);
		return false;
	case APIC_AUTH_INVALID:
		return deny(ctx, sec, "invalid credentials");
	case APIC_AUTH_UNAVAILABLE:
		apic__reply_problem(ctx, 503, "authentication is unavailable, try again", NULL);
		return false;
	case APIC_AUTH_ERROR:
	default:
		apic__reply_problem(ctx, 500, "authentication failed", NULL);
		return false;
	}
}

int apic_server_set_verifier(struct apic_server *srv, const char *scheme,
			     apic_verify_fn verify, void *cls)
{
	const struct apic_api *api = srv->api;
	for (size_t i = 0; i < api->nschemes; i++) {
		const struct apic_security *sec = api->schemes[i];
		if (strcmp(sec->name, scheme) != 0)
			continue;
		for (size_t k = 0; k < srv->nverifiers; k++)
			if (srv->verifiers[k].scheme == sec) {
				srv->verifiers[k].fn = verify;
				srv->verifiers[k].cls = cls;
				return 0;
			}
		struct apic__verifier *v = realloc(srv->verifiers, (srv->nverifiers + 1) * sizeof *v);
		if (v == NULL)
			return -1;
		srv->verifiers = v;
		v[srv->nverifiers].scheme = sec;
		v[srv->nverifiers].fn = verify;
		v[srv->nverifiers].cls = cls;
		srv->nverifiers++;
		return 0;
	}
	return -1;
}
