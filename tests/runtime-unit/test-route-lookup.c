/* apic_ctx_route_operation(): from inside a handler, which operation a
 * method and path would be routed to, as the router itself decides (literal
 * segments before parameters, 405, HEAD, the basepath, built-in endpoints),
 * without disturbing the request that asks. */
#include "apic_test.h"
#include "tap.h"

static int reply_ok(struct apic_ctx *ctx)
{
	return apic_ctx_reply_empty(ctx, 204);
}

static const struct {
	const char *method, *path, *want; /* want NULL: no operation */
} probes[] = {
	{ "GET", "/api/articles/feed", "getFeed" },
	{ "GET", "/api/articles/feed-1", "getArticle" },
	{ "GET", "/api/articles/Feed", "getArticle" },
	{ "HEAD", "/api/articles/feed", "getFeed" },
	{ "PUT", "/api/articles/feed", "updateArticle" },
	{ "DELETE", "/api/articles/feed", NULL },
	{ "GET", "/api/articles/", NULL },
	{ "GET", "/api/articles//x", NULL },
	{ "GET", "/api/articles/a%2Fb", "getArticle" },
	{ "GET", "/api/articles/x?limit=1", "getArticle" },
	{ "GET", "/api/articles/feed/comments", "getComments" },
	{ "GET", "/articles/x", NULL },
	{ "GET", "/openapi.json", NULL },
	{ "BREW", "/api/articles/x", NULL },
	{ "GET", "api/articles/x", NULL },
	{ "GET", "", NULL },
};
#define NPROBES (sizeof probes / sizeof probes[0])

static const char *got[NPROBES];
static bool own_param_kept;
static const char *null_args[3];
static bool probed;

/* GET /api/probe/{x}: runs every probe, then reads its own parameter. */
static int probe(struct apic_ctx *ctx)
{
	for (size_t i = 0; i < NPROBES; i++)
		got[i] = apic_ctx_route_operation(ctx, probes[i].method, probes[i].path);
	null_args[0] = apic_ctx_route_operation(ctx, NULL, "/api/articles/x");
	null_args[1] = apic_ctx_route_operation(ctx, "GET", NULL);
	null_args[2] = apic_ctx_route_operation(NULL, "GET", "/api/articles/x");
	/* (the request's memory is gone once it has been answered) */
	struct apic_str own = apic_req_path(ctx, 0);
	own_param_kept = own.len == 6 && memcmp(own.ptr, "me too", 6) == 0;
	probed = true;
	return apic_violation_count(ctx) ? apic_reply_violations(ctx) : reply_ok(ctx);
}

static const struct apic_route routes[] = {
	{ .method = APIC_GET, .path = "/articles/feed", .operation_id = "getFeed", .dispatch = reply_ok },
	{ .method = APIC_GET, .path = "/articles/{slug}", .operation_id = "getArticle", .dispatch = reply_ok },
	{ .method = APIC_PUT, .path = "/articles/{slug}", .operation_id = "updateArticle", .dispatch = reply_ok },
	{ .method = APIC_GET, .path = "/articles/{slug}/comments", .operation_id = "getComments",
	  .dispatch = reply_ok },
	{ .method = APIC_GET, .path = "/probe/{x}", .operation_id = "probe", .dispatch = probe },
};

static const struct apic_api api = {
	.abi_version = APIC_ABI_VERSION,
	.title = "route lookup",
	.version = "1",
	.basepath = "/api",
	.routes = routes,
	.nroutes = sizeof routes / sizeof routes[0],
};

static int run(struct apic_tester *t, const char *method, const char *target)
{
	struct apic_test_request rq = { method, target, NULL, NULL, 0 };
	struct apic_test_response rs;
	if (apic_tester_run(t, &rq, &rs) != 0)
		return -1;
	int status = rs.status;
	apic_test_response_free(&rs);
	return status;
}

int main(void)
{
	struct apic_tester *t = apic_tester_new(&api);
	if (!ok(t != NULL, "a tester"))
		return tap_done();
	is_int(run(t, "GET", "/api/probe/me%20too"), 204, "the probing request succeeds");
	ok(probed, "the probe handler ran");
	for (size_t i = 0; i < NPROBES; i++) {
		if (probes[i].want)
			is_str(got[i], probes[i].want, "%s '%s' -> %s", probes[i].method, probes[i].path,
			       probes[i].want);
		else if (!ok(got[i] == NULL, "%s '%s' -> no operation", probes[i].method, probes[i].path))
			printf("#   got %s\n", got[i]);
	}
	ok(!null_args[0] && !null_args[1] && !null_args[2], "NULL method, path or context -> NULL");
	ok(own_param_kept, "the asking request keeps its own path parameter");
	/* The lookups left the server as it was: the same requests route alike. */
	is_int(run(t, "GET", "/api/articles/feed"), 204, "GET /api/articles/feed afterwards");
	is_int(run(t, "DELETE", "/api/articles/feed"), 405, "DELETE /api/articles/feed: 405");
	apic_tester_free(t);
	return tap_done();
}
