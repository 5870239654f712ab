/* Routing on the raw (still percent-encoded) path.
 *
 * Templates are grouped into resources (one path shape, one route per
 * method). A request path is split at '/' before any decoding, so "%2F" stays
 * inside its segment; each segment is then percent-decoded once. Literal
 * segments win over parameters, position by position from the left
 * ("/pets/mine" beats "/pets/{id}"). Empty segments never match: "/pets/"
 * and "//pets" are 404 (no redirect; libapic(3), ROUTING). A segment that
 * does not decode (a malformed escape, not UTF-8, NUL) matches no literal;
 * in a parameter's place it is that parameter's violation (422), as in the
 * query. A path that
 * matches with another method answers 405 with Allow; HEAD runs the GET
 * route; OPTIONS without a declared route answers 204 with Allow (and the
 * CORS preflight headers). */
#include "codec.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SEGS 64

static const char *const method_names[] = {
	[APIC_GET] = "GET",       [APIC_PUT] = "PUT",   [APIC_POST] = "POST",
	[APIC_DELETE] = "DELETE", [APIC_PATCH] = "PATCH", [APIC_HEAD] = "HEAD",
	[APIC_OPTIONS] = "OPTIONS",
};

const char *apic__method_name(enum apic_method m)
{
	return method_names[m];
}

int apic__method_id(const char *method)
{
	for (int i = 0; i <= APIC_OPTIONS; i++)
		if (strcmp(method, method_names[i]) == 0)
			return i;
	return -1;
}

/* Allow: methods in a fixed order, HEAD implied by GET, OPTIONS always. */
static void format_allow(char *out, size_t cap, unsigned mask)
{
	static const enum apic_method order[] = { APIC_GET, APIC_HEAD, APIC_POST, APIC_PUT,
						  APIC_PATCH, APIC_DELETE, APIC_OPTIONS };
	if (mask & (1u << APIC_GET))
		mask |= 1u << APIC_HEAD;
	mask |= 1u << APIC_OPTIONS;
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (!(mask & (1u << order[i])))
			continue;
		int n = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", method_names[order[i]]);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
}

static unsigned resource_mask(const struct apic__resource *r)
{
	unsigned mask = 0;
	for (int m = 0; m <= APIC_OPTIONS; m++)
		if (r->by_method[m])
			mask |= 1u << m;
	return mask;
}

static size_t count_segs(const char *path)
{
	size_t n = 0;
	if (strcmp(path, "/") == 0)
		return 0;
	for (const char *p = path; *p; p++)
		n += *p == '/';
	return n;
}

static bool same_shape(const struct apic__seg *a, const struct apic__seg *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if ((a[i].lit == NULL) != (b[i].lit == NULL))
			return false;
		if (a[i].lit && (a[i].len != b[i].len || memcmp(a[i].lit, b[i].lit, a[i].len) != 0))
			return false;
	}
	return true;
}

int apic__router_build(struct apic_server *srv)
{
	const struct apic_api *api = srv->api;
	const char *base = api->basepath ? api->basepath : "";
	size_t base_len = strlen(base);
	while (base_len && base[base_len - 1] == '/')
		base_len--;
	size_t total = 0;
	for (size_t i = 0; i < api->nroutes; i++)
		total += count_segs(base) + count_segs(api->routes[i].path) + 1;
	srv->resources = calloc(api->nroutes ? api->nroutes : 1, sizeof *srv->resources);
	srv->segs = calloc(total ? total : 1, sizeof *srv->segs);
	if (srv->resources == NULL || srv->segs == NULL)
		return -1;
	size_t used = 0;
	for (size_t i = 0; i < api->nroutes; i++) {
		const struct apic_route *rt = &api->routes[i];
		struct apic__seg *segs = srv->segs + used;
		unsigned n = 0, nparams = 0;
		/* Segments of the basepath, then of the template. */
		for (int part = 0; part < 2; part++) {
			const char *s = part ? rt->path : base;
			size_t len = part ? strlen(rt->path) : base_len;
			if (part && len == 1 && s[0] == '/')
				continue;
			size_t pos = 0;
			while (pos < len) {
				if (s[pos] != '/' || n >= MAX_SEGS) {
					apic__log(srv, "error", "route %s: bad path template '%s'",
						  rt->operation_id, rt->path);
					return -1;
				}
				pos++;
				size_t e = pos;
				while (e < len && s[e] != '/')
					e++;
				if (e - pos >= 2 && s[pos] == '{' && s[e - 1] == '}') {
					segs[n].lit = NULL;
					nparams++;
				} else {
					segs[n].lit = s + pos;
					segs[n].len = e - pos;
				}
				n++;
				pos = e;
			}
		}
		struct apic__resource *r = NULL;
		for (size_t k = 0; k < srv->nresources; k++)
			if (srv->resources[k].nsegs == n && same_shape(srv->resources[k].segs, segs, n))
				r = &srv->resources[k];
		if (r == NULL) {
			r = &srv->resources[srv->nresources++];
			r->segs = segs;
			r->nsegs = n;
			r->nparams = nparams;
			used += n;
		}
		if (r->by_method[rt->method]) {
			apic__log(srv, "error", "routes %s and %s: same method and path",
				  r->by_method[rt->method]->operation_id, rt->operation_id);
			return -1;
		}
		r->by_method[rt->method] = rt;
	}
	return 0;
}

void apic__router_free(struct apic_server *srv)
{
	free(srv->resources);
	free(srv->segs);
	srv->resources = NULL;
	srv->segs = NULL;
	srv->nresources = 0;
}

/* 1 per parameter position, leftmost most significant: lower is better. */
static uint64_t rank(const struct apic__resource *r)
{
	uint64_t m = 0;
	for (unsigned i = 0; i < r->nsegs; i++)
		if (r->segs[i].lit == NULL)
			m |= (uint64_t)1 << (MAX_SEGS - 1 - i);
	return m;
}

/* The name of path parameter `idx` of the matched route, from its template
 * ("/pets/{petId}" -> "petId"; the basepath has none). */
static const char *param_name(struct apic_ctx *ctx, unsigned idx)
{
	const char *s = ctx->route->path;
	while (*s == '/') {
		size_t len = strcspn(++s, "/");
		/* a parameter segment, as apic__router_build tells them */
		if (len >= 2 && s[0] == '{' && s[len - 1] == '}' && idx-- == 0) {
			char *name = apic_ctx_strndup(ctx, s + 1, len - 2);
			return name ? name : "";
		}
		s += len;
	}
	return "";
}

bool apic__router_match(struct apic_ctx *ctx)
{
	struct apic_server *srv = ctx->srv;
	const char *path = ctx->path;
	size_t len = ctx->path_len;

	if (apic__docs_match(ctx, path, len))
		return true;

	/* Split and decode the segments; bad[i]: why segment i does not decode. */
	struct apic_str seg[MAX_SEGS];
	const char *bad[MAX_SEGS];
	unsigned n = 0;
	if (!(len == 1 && path[0] == '/')) {
		size_t pos = 0;
		while (pos < len) {
			if (n == MAX_SEGS) {
				apic__reply_problem(ctx, 404, "no such resource", NULL);
				return false;
			}
			pos++; /* the '/' */
			size_t e = pos;
			while (e < len && path[e] != '/')
				e++;
			seg[n].ptr = path + pos;
			seg[n].len = e - pos;
			bad[n] = NULL;
			if (memchr(path + pos, '%', e - pos)) {
				size_t dlen;
				char *d = apic__pct_decode(ctx, path + pos, e - pos, false, &dlen);
				if (ctx->oom) {
					apic__reply_problem(ctx, 500, "out of memory", NULL);
					return false;
				}
				if (d == NULL) {
					bad[n] = "malformed percent-encoding";
				} else if ((bad[n] = apic__param_text_problem(d, dlen)) == NULL) {
					seg[n].ptr = d;
					seg[n].len = dlen;
				}
			} else {
				/* raw bytes >= 0x80 in the request line: UTF-8 or nothing */
				bad[n] = apic__param_text_problem(seg[n].ptr, seg[n].len);
			}
			n++;
			pos = e;
		}
	}

	int m = ctx->method_id;
	int want = m == APIC_HEAD ? APIC_GET : m;
	const struct apic__resource *best = NULL, *best_any = NULL;
	uint64_t best_rank = UINT64_MAX, best_any_rank = UINT64_MAX;
	unsigned allow_mask = 0;
	for (size_t k = 0; k < srv->nresources; k++) {
		const struct apic__resource *r = &srv->resources[k];
		if (r->nsegs != n)
			continue;
		bool ok = true;
		for (unsigned i = 0; i < n && ok; i++) {
			if (r->segs[i].lit)
				ok = bad[i] == NULL && r->segs[i].len == seg[i].len &&
				     memcmp(r->segs[i].lit, seg[i].ptr, seg[i].len) == 0;
			else
				ok = seg[i].len > 0;
		}
		if (!ok)
			continue;
		uint64_t rk = rank(r);
		allow_mask |= resource_mask(r);
		if (rk < best_any_rank) {
			best_any = r;
			best_any_rank = rk;
		}
		bool has = want >= 0 && (r->by_method[want] ||
					 (m == APIC_HEAD && r->by_method[APIC_HEAD]));
		if (has && rk < best_rank) {
			best = r;
			best_rank = rk;
		}
	}
	if (best_any == NULL) {
		apic__reply_problem(ctx, 404, "no such resource", NULL);
		return false;
	}
	if (best == NULL) {
		char *allow = apic__arena_alloc(&ctx->arena, 64);
		if (allow == NULL) {
			ctx->oom = true;
			apic__reply_problem(ctx, 500, "out of memory", NULL);
			return false;
		}
		format_allow(allow, 64, allow_mask);
		ctx->allow = allow;
		if (m == APIC_OPTIONS) {
			apic__cors_options(ctx, allow);
			return false;
		}
		char *detail = apic_ctx_printf(ctx, "method %.16s not allowed here; allowed: %s",
					       ctx->method, allow);
		apic__reply_problem(ctx, 405, detail ? detail : "method not allowed", NULL);
		return false;
	}
	ctx->res = best;
	ctx->route = m == APIC_HEAD && best->by_method[APIC_HEAD] ? best->by_method[APIC_HEAD]
								  : best->by_method[want];
	if (best->nparams) {
		ctx->params = apic__arena_alloc(&ctx->arena, best->nparams * sizeof *ctx->params);
		if (ctx->params == NULL) {
			ctx->oom = true;
			apic__reply_problem(ctx, 500, "out of memory", NULL);
			return false;
		}
		unsigned p = 0;
		for (unsigned i = 0; i < n; i++) {
			if (best->segs[i].lit)
				continue;
			if (bad[i] != NULL) {
				/* The handler never sees the bytes; the decoder's own
				 * verdict on "" is not reported (violation.c). */
				apic__violation_text(ctx, APIC_IN_PATH, param_name(ctx, p), bad[i]);
				seg[i].ptr = "";
				seg[i].len = 0;
			} else if (seg[i].ptr >= ctx->target && seg[i].ptr < ctx->target + ctx->target_len) {
				/* NUL-terminate raw segments by copying (decoded ones already are). */
				seg[i].ptr = apic_ctx_strndup(ctx, seg[i].ptr, seg[i].len);
			}
			ctx->params[p++] = seg[i];
		}
	}
	return true;
}

struct apic_str apic_req_path(struct apic_ctx *ctx, unsigned idx)
{
	if (ctx->res == NULL || idx >= ctx->res->nparams || ctx->params == NULL) {
		struct apic_str none = { "", 0 };
		return none;
	}
	return ctx->params[idx];
}

/* The router itself decides, on a scratch request with its own arena: the
 * caller's request keeps its route, parameters and violations, and no
 * second matcher can disagree with the one that serves requests. */
const char *apic_ctx_route_operation(struct apic_ctx *ctx, const char *method, const char *path)
{
	if (ctx == NULL || method == NULL || path == NULL || apic__method_id(method) < 0)
		return NULL;
	struct apic_ctx *probe = apic__ctx_new(ctx->srv);
	if (probe == NULL)
		return NULL;
	const char *op = NULL;
	probe->method = method;
	probe->method_id = apic__method_id(method);
	probe->is_head = probe->method_id == APIC_HEAD;
	if (apic__req_set_target(probe, path, strlen(path)) == 0 && probe->target_status == 0 &&
	    apic__router_match(probe) && probe->route != NULL)
		op = probe->route->operation_id;
	apic__ctx_free(probe);
	return op;
}
