/* Two servers of one generated API share its compiled patterns: freeing
 * one must leave the other's `pattern` checks working. */
#include "testapi.h"
#include "apic_test.h"
#include "tap.h"

static int run(struct apic_tester *t, const char *body)
{
	static const char *const ct[] = { "Content-Type", "application/json", NULL };
	struct apic_test_request rq = { "POST", "/t/scalars", ct, body, strlen(body) };
	struct apic_test_response rs;
	if (apic_tester_run(t, &rq, &rs) != 0)
		return -1;
	int status = rs.status;
	apic_test_response_free(&rs);
	return status;
}

int testapi_echo_scalars(struct apic_ctx *ctx, const struct testapi_echo_scalars__params *in)
{
	return testapi_echo_scalars__reply_200(ctx, in->body);
}

int main(void)
{
	struct apic_tester *a = apic_tester_new(&testapi_api);
	struct apic_tester *b = apic_tester_new(&testapi_api);
	if (!ok(a && b, "two testers of one API"))
		return tap_done();
	is_int(run(a, "{\"i32\":1,\"pat\":\"abc1\"}"), 200, "pattern match");
	is_int(run(a, "{\"i32\":1,\"pat\":\"1abc\"}"), 422, "pattern mismatch");
	apic_tester_free(a);
	is_int(run(b, "{\"i32\":1,\"pat\":\"abc1\"}"), 200, "after the first is freed: match");
	is_int(run(b, "{\"i32\":1,\"pat\":\"1abc\"}"), 422, "after the first is freed: mismatch");
	apic_tester_free(b);
	struct apic_tester *c = apic_tester_new(&testapi_api);
	is_int(c ? run(c, "{\"i32\":1,\"pat\":\"1abc\"}") : -1, 422, "compiled again for a new server");
	apic_tester_free(c);
	return tap_done();
}
