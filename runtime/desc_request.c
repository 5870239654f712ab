/* An operation's request into its params struct, as its descriptor
 * (struct apic_request, apic_gen.h) lists it: path, query, header and
 * cookie text parsed and checked, defaults applied, then the JSON body.
 * Every violation of the request is recorded before it is answered. */
#include "desc.h"

#include <json-c/json.h>
#include <string.h>

/* Text `s` into `dst` as scalar type t: one handler per kind, out of line;
 * parse_text(), their switch, inlined where a parameter is read. */
#define LEAF static __attribute__((noinline)) void

LEAF text_string(const struct apic__site *site, const struct apic_type *t, struct apic_str s, char *dst)
{
	*(struct apic_str *)(void *)dst = s;
	if ((t->flags & (APIC_T_NMIN | APIC_T_NMAX | APIC_T_FORMAT)) || t->pattern)
		apic__check_string(site, t, s.ptr, s.len);
}

LEAF text_bool(const struct apic__site *site, struct apic_str s, char *dst)
{
	if (!apic_parse_bool(s.ptr, s.len, (bool *)dst))
		apic__vio(site, APIC_V_INVALID, "must be true or false");
}

LEAF text_int(const struct apic__site *site, const struct apic_type *t, struct apic_str s, char *dst)
{
	bool i32 = t->kind == APIC_K_INT32;
	int64_t x;
	/* Too many digits is out_of_range, as for a body's integer. */
	int r = apic_parse_integer(s.ptr, s.len, &x);
	if (r == 0) {
		apic__vio(site, APIC_V_INVALID, "must be an integer");
	} else if (r < 0 || (i32 && (x < INT32_MIN || x > INT32_MAX)) ||
		   /* the int64 range of bodies; a minimum reports it otherwise */
		   (!i32 && x == INT64_MIN && !(t->flags & APIC_T_MIN))) {
		apic__vio(site, APIC_V_OUT_OF_RANGE, "must fit in a %s-bit integer", i32 ? "32" : "64");
	} else {
		if (apic__int_below(t, x) || apic__int_above(t, x))
			apic__check_int(site, t, x);
		if (i32)
			*(int32_t *)(void *)dst = (int32_t)x;
		else
			*(int64_t *)(void *)dst = x;
	}
}

LEAF text_number(const struct apic__site *site, const struct apic_type *t, struct apic_str s, char *dst)
{
	double x;
	if (!apic_parse_double(s.ptr, s.len, &x)) {
		apic__vio(site, APIC_V_INVALID, "must be a number");
	} else {
		if (apic__num_below(t, x) || apic__num_above(t, x))
			apic__check_number(site, t, x);
		*(double *)(void *)dst = x;
	}
}

LEAF text_enum(const struct apic__site *site, const struct apic_type *t, struct apic_str s, char *dst)
{
	if (!(*(int *)(void *)dst = apic_enum_parse(t->enm, s.ptr, s.len)))
		apic__vio(site, APIC_V_ENUM, "must be one of: %s", t->enm->list);
}

static inline __attribute__((always_inline)) void
parse_text(const struct apic__site *site, const struct apic_type *t, struct apic_str s, char *dst)
{
	switch ((enum apic_kind)t->kind) {
	case APIC_K_STRING: text_string(site, t, s, dst); return;
	case APIC_K_BOOL: text_bool(site, s, dst); return;
	case APIC_K_INT32:
	case APIC_K_INT64: text_int(site, t, s, dst); return;
	case APIC_K_NUMBER: text_number(site, t, s, dst); return;
	case APIC_K_ENUM: text_enum(site, t, s, dst); return;
	case APIC_K_MODEL:
	case APIC_K_MODEL_VALUE:
	case APIC_K_ARRAY:
	case APIC_K_MAP:
	case APIC_K_UNION:
		return; /* not a parameter's type */
	}
}

static void set_has(const struct apic_param *p, char *in)
{
	if (p->flags & APIC_F_HAS)
		*(bool *)(in + p->has_off) = true;
}

/* A parameter not given: required, defaulted, or left unset. */
static void absent(const struct apic__site *site, const struct apic_param *p, char *in)
{
	if (!(p->flags & APIC_F_OPTIONAL)) {
		apic__vio(site, APIC_V_MISSING, "is required");
	} else if (p->def) {
		apic__set_default(p->type, p->def, in + p->off, (size_t *)(void *)(in + p->count_off));
		set_has(p, in);
	}
}

/* ?tag=a&tag=b: the count checks, each value, then no two the same text. */
static int query_array(struct apic__site *site, const struct apic_param *p, char *in)
{
	const struct apic_type *t = p->type, *e = t->elem;
	struct apic_str *q = NULL;
	size_t n = apic_req_query_all(site->ctx, p->name, &q);
	if (n == 0) {
		absent(site, p, in);
		return 0;
	}
	if (apic__count_bad(t, n))
		apic__check_count(site, t, n, false);
	char *a = apic_ctx_alloc(site->ctx, n * e->size);
	if (!a)
		return -1;
	site->indexed = true;
	for (size_t i = 0; i < n; i++) {
		site->index = i;
		parse_text(site, e, q[i], a + i * e->size);
	}
	site->indexed = false;
	if (t->flags & APIC_T_UNIQUE)
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (q[i].len == q[j].len && memcmp(q[i].ptr, q[j].ptr, q[i].len) == 0)
					apic__vio(site, APIC_V_DUPLICATE_ITEMS, "values %zu and %zu are equal", j, i);
	*(void **)(void *)(in + p->off) = a;
	*(size_t *)(void *)(in + p->count_off) = n;
	set_has(p, in);
	return 0;
}

static int param(struct apic__site *site, const struct apic_param *p, char *in)
{
	struct apic_ctx *ctx = site->ctx;
	struct apic_str s;
	size_t c;
	bool given;
	switch (p->in) {
	case APIC_IN_PATH:
		parse_text(site, p->type, apic_req_path(ctx, p->path_idx), in + p->off);
		return 0;
	case APIC_IN_QUERY:
		if (p->type->kind == APIC_K_ARRAY)
			return query_array(site, p, in);
		/* ?limit=1&limit=2 is ambiguous: refused, not first or last wins. */
		c = apic_req_query_first(ctx, p->name, &s);
		if (c > 1) {
			apic__vio(site, APIC_V_REPEATED, "must be given once, got %zu values", c);
			return 0;
		}
		given = c == 1;
		break;
	case APIC_IN_HEADER:
		given = apic_req_header(ctx, p->name, &s);
		break;
	case APIC_IN_COOKIE:
		given = apic_req_cookie(ctx, p->name, &s);
		break;
	case APIC_IN_BODY:
	default:
		return 0; /* the body is not a parameter */
	}
	if (given) {
		set_has(p, in);
		parse_text(site, p->type, s, in + p->off);
	} else {
		absent(site, p, in);
	}
	return 0;
}

/* The parameters in the descriptor's order, then the body. 0, or -1 when
 * out of memory. */
static int decode(struct apic_ctx *ctx, const struct apic_request *rq, char *in)
{
	struct apic__site site = { ctx, APIC_IN_BODY, NULL, NULL, false, 0 };
	for (size_t i = 0; i < rq->nparams; i++) {
		const struct apic_param *p = &rq->params[i];
		site.where = p->in;
		site.name = p->name;
		if (param(&site, p, in) != 0)
			return -1;
	}
	struct json_object *body = NULL;
	if (rq->body && apic_req_json(ctx, &body)) {
		if (rq->body_has)
			*(bool *)(in + rq->body_has_off) = true;
		return apic__decode(ctx, false, rq->body, body, NULL, in + rq->body_off,
				    (size_t *)(void *)(in + rq->body_count_off));
	}
	return 0;
}

bool apic_request_decode(struct apic_ctx *ctx, const struct apic_request *rq, void **in, int *reply)
{
	char *p = apic_ctx_alloc(ctx, rq->size);
	if (!p || decode(ctx, rq, p) != 0) {
		*reply = apic_ctx_reply_error(ctx, 500, "out of memory");
		return false;
	}
	if (apic_violation_count(ctx) != 0) {
		*reply = apic_reply_violations(ctx);
		return false;
	}
	*in = p;
	return true;
}
