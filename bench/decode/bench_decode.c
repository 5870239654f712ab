/* Micro-benchmark: decode + validate + re-encode the petstore Pet body with
 * the generated code, against a hand-written json-c extraction of the same
 * body with no validation and a hand-written encoder, both through the same
 * in-process request pipeline (runtime/apic_test.h) on the same route. A third
 * variant answers a constant body: the pipeline's own cost (routing, strict
 * JSON parse, reply), subtracted to give the codec cost alone. Prints ns per request; not a
 * test (no timing is asserted anywhere).
 *
 *     bench/decode/bench_decode [ITERATIONS]      (default 200000) */
#include "petstore.h"
#include "apic_test.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char body[] = "{\"name\":\"Rex\",\"tag\":\"dog\",\"status\":\"pending\"}";

/* ---- the generated path: the handler echoes the decoded pet ------------------ */

int petstore_create_pet(struct apic_ctx *ctx, const struct petstore_create_pet__params *in)
{
	struct petstore_pet pet = *in->body;
	pet.id = 1;
	return petstore_create_pet__reply_201(ctx, &pet,
					      &(struct petstore_create_pet__reply_201_headers){
						      .location = { "/v1/pets/1", 10 } });
}

/* ---- the hand-written path: json-c getters, no validation at all ------------- */

struct hand_pet {
	struct apic_str name, tag, status;
};

static struct apic_str hand_str(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	struct apic_str s = { NULL, 0 };
	if (json_object_object_get_ex(o, key, &v)) {
		s.ptr = json_object_get_string(v);
		s.len = (size_t)json_object_get_string_len(v);
	}
	return s;
}

static int hand_dispatch(struct apic_ctx *ctx)
{
	struct json_object *j = NULL;
	apic_req_json(ctx, &j);
	struct hand_pet p = { hand_str(j, "name"), hand_str(j, "tag"), hand_str(j, "status") };
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "{\"id\":1,\"name\":");
	apic_buf_str(b, p.name.ptr, p.name.len);
	if (p.tag.ptr) {
		apic_buf_lit(b, ",\"tag\":");
		apic_buf_str(b, p.tag.ptr, p.tag.len);
	}
	apic_buf_lit(b, ",\"status\":");
	apic_buf_str(b, p.status.ptr ? p.status.ptr : "available", p.status.ptr ? p.status.len : 9);
	apic_buf_lit(b, "}");
	return apic_reply_json(ctx, 201);
}

/* The pipeline's own cost: the same request answered with a constant body. */
static int floor_dispatch(struct apic_ctx *ctx)
{
	struct apic_buf *b = apic_ctx_buf(ctx);
	apic_buf_lit(b, "{\"id\":1,\"name\":\"Rex\",\"tag\":\"dog\",\"status\":\"pending\"}");
	return apic_reply_json(ctx, 201);
}

/* petstore_api with createPet answered by `fn`: same routes, limits and
 * settings, so only the dispatch function differs. */
static struct apic_api with_dispatch(struct apic_route *routes, apic_dispatch_fn fn)
{
	struct apic_api api = petstore_api;
	for (size_t i = 0; i < api.nroutes; i++) {
		routes[i] = api.routes[i];
		if (!strcmp(routes[i].operation_id, "createPet"))
			routes[i].dispatch = fn, routes[i].call = NULL;
	}
	api.routes = routes;
	return api;
}

/* CPU time of this thread: other processes on the machine do not count. */
static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

struct variant {
	const char *label;
	struct apic_tester *t;
	double best;
};

static const char *const hdrs[] = { "Content-Type", "application/json", NULL };

static void check(struct variant *v, const char *want)
{
	struct apic_test_request rq = { "POST", "/v1/pets", hdrs, body, sizeof body - 1 };
	struct apic_test_response rs;
	memset(&rs, 0, sizeof rs);
	if (apic_tester_run(v->t, &rq, &rs) != 0 || rs.status != 201 || !rs.body ||
	    strcmp(rs.body, want) != 0) {
		fprintf(stderr, "bench_decode: %s answered %d %s\n", v->label, rs.status,
			rs.body ? rs.body : "");
		exit(1);
	}
	apic_test_response_free(&rs);
	v->best = 1e300;
}

/* One round of `n` requests; keeps the best ns per request over rounds
 * (the round least disturbed). Variants alternate round by round. */
static void round_of(struct variant *v, long n)
{
	struct apic_test_request rq = { "POST", "/v1/pets", hdrs, body, sizeof body - 1 };
	struct apic_test_response rs;
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		apic_tester_run(v->t, &rq, &rs);
		apic_test_response_free(&rs);
	}
	double per = (now_ns() - t0) / (double)n;
	if (per < v->best)
		v->best = per;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 200000;
	if (iters < 5)
		iters = 5;
	static struct apic_route hand_routes[16], floor_routes[16];
	if (petstore_api.nroutes > 16)
		return 1;
	struct apic_api hand_api = with_dispatch(hand_routes, hand_dispatch);
	struct apic_api floor_api = with_dispatch(floor_routes, floor_dispatch);
	struct apic_tester *gen = apic_tester_new(&petstore_api);
	struct apic_tester *hand = apic_tester_new(&hand_api);
	struct apic_tester *flr = apic_tester_new(&floor_api);
	if (!gen || !hand || !flr)
		return 1;
	const char *echo = "{\"id\":1,\"name\":\"Rex\",\"tag\":\"dog\",\"status\":\"pending\"}";
	struct variant v[3] = { { "generated", gen, 0 }, { "hand", hand, 0 }, { "floor", flr, 0 } };
	for (int i = 0; i < 3; i++)
		check(&v[i], echo);
	enum { ROUNDS = 20 };
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < 3; i++)
			round_of(&v[i], iters / ROUNDS > 0 ? iters / ROUNDS : 1);
	double g = v[0].best, h = v[1].best, f = v[2].best;
	printf("body: %s (%zu bytes), %ld requests per variant, best of %d rounds, thread CPU time\n",
	       body, sizeof body - 1, iters, ROUNDS);
	printf("pipeline floor (constant reply):            %8.0f ns/request\n", f);
	printf("generated decode+validate+encode:           %8.0f ns/request (codec %6.0f ns)\n", g, g - f);
	printf("hand-written json-c, no validation:         %8.0f ns/request (codec %6.0f ns)\n", h, h - f);
	printf("ratio generated/hand: whole request %.2fx, codec alone %.2fx\n", g / h,
	       (g - f) / (h - f > 1 ? h - f : 1));
	apic_tester_free(gen);
	apic_tester_free(hand);
	apic_tester_free(flr);
	return 0;
}
