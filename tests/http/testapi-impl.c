/* Handlers and main() for the server generated from schemas/testapi.apic
 * (tests/http/test-gen.sh). Operations not defined here keep the
 * generated weak default (501). Verifiers accept the credential "good"
 * and basic alice:pw. */
#include "testapi.h"

#include <string.h>

int testapi_echo_scalars(struct apic_ctx *ctx, const struct testapi_echo_scalars__params *in)
{
	return testapi_echo_scalars__reply_200(ctx, in->body);
}

int testapi_get_item(struct apic_ctx *ctx, const struct testapi_get_item__params *in)
{
	if (in->id == 404) {
		struct testapi_error e = { .message = { "no such item", 12 } };
		return testapi_get_item__reply_404(ctx, &e);
	}
	struct testapi_scalars s = { .i32 = (int32_t)(in->limit % 5), .color = in->color, .has_color = true };
	return testapi_get_item__reply_200(ctx, &s);
}

/* 409 and 410 are declared without a type: their replies send problem+json,
 * with the message given or (NULL) the reason phrase. */
int testapi_delete_item(struct apic_ctx *ctx, const struct testapi_delete_item__params *in)
{
	if (in->id == 409)
		return testapi_delete_item__reply_409(ctx, "item 409 is in use");
	if (in->id == 410)
		return testapi_delete_item__reply_410(ctx, NULL);
	return testapi_delete_item__reply_204(ctx);
}

static int32_t who(struct apic_ctx *ctx)
{
	return apic_ctx_principal(ctx) ? 1 : 0;
}

int testapi_get_secure(struct apic_ctx *ctx, const struct testapi_get_secure__params *in)
{
	(void)in;
	struct testapi_inner r = { .n = who(ctx) };
	return testapi_get_secure__reply_200(ctx, &r);
}

int testapi_get_maybe(struct apic_ctx *ctx, const struct testapi_get_maybe__params *in)
{
	(void)in;
	struct testapi_inner r = { .n = who(ctx) };
	return testapi_get_maybe__reply_200(ctx, &r);
}

int testapi_get_keyed(struct apic_ctx *ctx, const struct testapi_get_keyed__params *in)
{
	(void)in;
	return testapi_get_keyed__reply_200(ctx, 42);
}

int testapi_get_session(struct apic_ctx *ctx, const struct testapi_get_session__params *in)
{
	(void)in;
	struct apic_str s = { "ok", 2 };
	return testapi_get_session__reply_200(ctx, s);
}

int testapi_get_login(struct apic_ctx *ctx, const struct testapi_get_login__params *in)
{
	(void)in;
	const char *user = apic_ctx_principal(ctx);
	struct apic_str items[1] = { { user, strlen(user) } };
	return testapi_get_login__reply_200(ctx, items, 1);
}

static enum apic_auth_result verify(struct apic_ctx *ctx, const struct apic_credential *cred,
				    void *cls, void **principal)
{
	(void)cls;
	if (cred->kind == APIC_AUTH_BASIC) {
		if (cred->user.len == 5 && memcmp(cred->user.ptr, "alice", 5) == 0 &&
		    cred->password.len == 2 && memcmp(cred->password.ptr, "pw", 2) == 0) {
			*principal = apic_ctx_strndup(ctx, "alice", 5);
			return APIC_AUTH_OK;
		}
		return APIC_AUTH_INVALID;
	}
	if (cred->token.len == 4 && memcmp(cred->token.ptr, "good", 4) == 0) {
		*principal = apic_ctx_strndup(ctx, cred->scheme, strlen(cred->scheme));
		return APIC_AUTH_OK;
	}
	return APIC_AUTH_INVALID;
}

int main(int argc, char **argv)
{
	struct apic_server *srv = apic_server_new(&testapi_api);
	if (srv == NULL)
		return 1;
	static const char *const schemes[] = { "Bearer", "Token", "Key", "Session", "Login" };
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (apic_server_set_verifier(srv, schemes[i], verify, NULL) != 0)
			return 1;
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0)
		rc = apic_server_run(srv);
	else if (rc == APIC_ARGS_EXIT)
		rc = 0;
	apic_server_free(srv);
	return rc;
}
