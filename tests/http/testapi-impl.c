/* Handlers and main() for the server generated from schemas/testapi.apic
 * (tests/http/test-gen.sh). Operations not defined here keep the
 * generated weak default (501). Verifiers accept the credential "good"
 * and basic alice:pw. */
#include "testapi.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int testapi_echo_scalars(struct apic_ctx *ctx, const struct testapi_echo_scalars__params *in)
{
	return testapi_echo_scalars__reply_200(ctx, in->body);
}

/* Replies the document does not allow (tests/http/test-gen.sh, with and
 * without --strict-responses); 0 for the other ids. */
static int wrong_item(struct apic_ctx *ctx, int64_t id)
{
	static const char extra[] = "{\"i32\":1,\"extra\":true}";
	struct testapi_scalars bad = {
		.i32 = 99, .s = { "x", 1 }, .has_s = true, .email = { "nobody", 6 }, .has_email = true,
		.pat = { "ABC", 3 }, .has_pat = true,
	};
	switch (id) {
	case 600: /* a status getItem does not declare */
		return apic_ctx_reply_error(ctx, 418, "short and stout");
	case 601: /* a model breaking its constraints */
		return testapi_get_item__reply_200(ctx, &bad);
	case 602: /* raw JSON with an unknown property */
		return apic_ctx_reply_raw(ctx, 200, "application/json", extra, sizeof extra - 1);
	case 603: /* another content type */
		return apic_ctx_reply_raw(ctx, 200, "text/plain", "hi", 2);
	case 604: /* an Error without its required message */
		return apic_ctx_reply_raw(ctx, 404, "application/json", "{\"msg\":\"gone\"}", 14);
	case 605: /* no body where 200 declares one */
		return apic_ctx_reply_empty(ctx, 200);
	}
	return 0;
}

int testapi_get_item(struct apic_ctx *ctx, const struct testapi_get_item__params *in)
{
	if (in->id >= 600 && in->id <= 605)
		return wrong_item(ctx, in->id);
	if (in->id == 404) {
		struct testapi_error e = { .message = { "no such item", 12 } };
		return testapi_get_item__reply_404(ctx, &e);
	}
	struct testapi_scalars s = { .i32 = (int32_t)(in->limit % 5), .color = in->color, .has_color = true };
	return testapi_get_item__reply_200(ctx, &s);
}

/* A reply with the readonly id (allowed in a reply) and without the
 * writeonly secret. */
int testapi_echo_modifiers(struct apic_ctx *ctx, const struct testapi_echo_modifiers__params *in)
{
	struct testapi_modifiers m = *in->body;
	m.id = 1;
	return testapi_echo_modifiers__reply_200(ctx, &m);
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

/* One case per declared-header outcome: 0 every header, 1 the required one
 * only, 2..6 and 8 values that cannot be sent (-> 500), 7 the 429 with its
 * own, 9 tabs (allowed) and what apic_ctx_set_header() refuses (counted in
 * the body's n). */
int testapi_get_headers(struct apic_ctx *ctx, const struct testapi_get_headers__params *in)
{
	struct testapi_inner body = { .n = 1 };
	struct testapi_get_headers__reply_200_headers h = { .x_count = -7 };
	apic_ctx_set_header(ctx, "X-Undeclared", "kept"); /* dropped with a 500 */
	switch (in->case_) {
	case 0:
		h = (struct testapi_get_headers__reply_200_headers){
			.x_count = INT64_MAX, .x_ratio = 0.1, .has_x_ratio = true, .x_flag = false,
			.has_x_flag = true, .x_level = TESTAPI_LEVEL_VERY_HIGH, .has_x_level = true,
			.x_note = { "hello, world", 12 }, .has_x_note = true
		};
		break;
	case 1:
		break;
	case 2: /* response splitting */
		h.x_note = (struct apic_str){ "a\r\nX-Evil: 1", 13 };
		h.has_x_note = true;
		break;
	case 3: /* headers NULL, one required */
		return testapi_get_headers__reply_200(ctx, &body, NULL);
	case 4:
		h.x_ratio = 1.0 / 0.0;
		h.has_x_ratio = true;
		break;
	case 5: /* an enum never set */
		h.has_x_level = true;
		break;
	case 6: /* a NUL inside */
		h.x_note = (struct apic_str){ "a\0b", 3 };
		h.has_x_note = true;
		break;
	case 7:
		return testapi_get_headers__reply_429(
			ctx, "try again later", &(struct testapi_get_headers__reply_429_headers){ .retry_after = 30 });
	case 8: /* a control character strict clients refuse */
		h.x_note = (struct apic_str){ "a\x1b[0m", 5 };
		h.has_x_note = true;
		break;
	case 9: {
		static const char *const refused[][2] = {
			{ "X-A", "a\rb" }, { "X-A", "a\nb" }, { "X-A", "a\x01b" }, { "X-A", "a\x7f" },
			{ "Bad Name", "v" }, { "Content-Length", "1" },
		};
		body.n = 0;
		for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
			body.n += apic_ctx_set_header(ctx, refused[i][0], refused[i][1]) == -1;
		if (apic_ctx_set_header(ctx, "X-Tab", "a\tb") != 0)
			body.n = -1;
		h.x_note = (struct apic_str){ "tab\there", 8 };
		h.has_x_note = true;
		break;
	}
	}
	return testapi_get_headers__reply_200(ctx, &body, &h);
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

/* getCached: a reply that changes only with the id (?v=N changes it too,
 * as an update would): its ETag is the same until it does. */
int testapi_get_cached(struct apic_ctx *ctx, const struct testapi_get_cached__params *in)
{
	if (in->id > 100)
		return testapi_get_cached__reply_404(ctx, "no such thing");
	const char *v = apic_ctx_header(ctx, "X-Version");
	struct testapi_inner inner = { .n = in->id % 10, .label = { v ? v : "one", v ? strlen(v) : 3 },
				       .has_label = true };
	return testapi_get_cached__reply_200(ctx, &inner);
}

/* getReportCsv: a raw text reply with a download name; the id goes into it. */
int testapi_get_report_csv(struct apic_ctx *ctx, const struct testapi_get_report_csv__params *in)
{
	if (in->id > 100)
		return testapi_get_report_csv__reply_404(ctx, "no such report");
	char csv[64];
	int n = snprintf(csv, sizeof csv, "id,name\n%d,caf\xc3\xa9\n", in->id);
	return testapi_get_report_csv__reply_200(ctx, csv, (size_t)n);
}

/* getImage: raw bytes, NULs included: the PNG signature and the id. */
int testapi_get_image(struct apic_ctx *ctx, const struct testapi_get_image__params *in)
{
	if (in->id > 100)
		return testapi_get_image__reply_404(ctx, "no such image");
	const char png[] = { '\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n', 0, 0, (char)in->id };
	return testapi_get_image__reply_200(ctx, png, sizeof png);
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
