/* apic diff: the service, the security schemes and the operations of two
 * schemas; types and models are compared by diff_types.c. Operations are
 * matched by method and path template, path parameters by position (a
 * renamed path parameter is the same operation), other parameters by
 * where they are and their name. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff_int.h"

static const char *const method_names[] = {
	[METHOD_GET] = "GET", [METHOD_PUT] = "PUT", [METHOD_POST] = "POST",
	[METHOD_DELETE] = "DELETE", [METHOD_PATCH] = "PATCH", [METHOD_HEAD] = "HEAD",
	[METHOD_OPTIONS] = "OPTIONS",
};
static const char *const in_names[] = {
	[IN_PATH] = "path", [IN_QUERY] = "query", [IN_HEADER] = "header", [IN_COOKIE] = "cookie",
};

void diff_add(struct diff *d, enum diff_kind k, bool in_old, struct apic_loc loc,
	      const char *code, const char *subject, const char *fmt, ...)
{
	struct diff_result *r = d->r;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->v = realloc(r->v, r->cap * sizeof *r->v);
		if (!r->v)
			arena_oom_handler();
	}
	va_list ap;
	va_start(ap, fmt);
	r->v[r->n++] = (struct diff_change){
		.kind = k, .code = code, .subject = subject, .in_old = in_old, .loc = loc,
		.message = arena_vprintf(d->a, fmt, ap),
	};
	va_end(ap);
}

enum diff_kind diff_kind_for(unsigned dirs, bool breaks_req, bool breaks_resp)
{
	if (((dirs & DIR_REQ) && breaks_req) || ((dirs & DIR_RESP) && breaks_resp))
		return DIFF_BREAKING;
	return DIFF_COMPATIBLE;
}

bool diff_text_differs(const char *a, const char *b)
{
	return !a != !b || (a && strcmp(a, b) != 0);
}

void diff_result_free(struct diff_result *r)
{
	free(r->v);
	*r = (struct diff_result){ 0 };
}

/* ---- the service and its security schemes ---- */

static const char *basepath(const struct ast_service *s)
{
	const char *b = s->basepath ? s->basepath : "";
	return strcmp(b, "/") == 0 ? "" : b;
}

static void service(struct diff *d)
{
	const struct ast_service *o = d->os->service, *n = d->ns->service;
	if (strcmp(basepath(o), basepath(n)) != 0)
		diff_add(d, DIFF_BREAKING, false, n->basepath ? n->basepath_loc : n->loc,
			 "basepath-changed", "basepath", "basepath changed: \"%s\" -> \"%s\": every path moved",
			 basepath(o), basepath(n));
	if (strcmp(o->title, n->title) != 0 || diff_text_differs(o->description, n->description) ||
	    diff_text_differs(o->doc, n->doc))
		diff_add(d, DIFF_DOCS, false, n->loc, "doc-changed", "service",
			 "the service's title or description changed");
	if (strcmp(o->version, n->version) != 0)
		diff_add(d, DIFF_DOCS, false, n->loc, "version-changed", "service",
			 "version \"%s\" -> \"%s\"", o->version, n->version);
	const struct ast_server *os = o->servers, *ns = n->servers;
	for (; os && ns; os = os->next, ns = ns->next)
		if (strcmp(os->url, ns->url) != 0 || diff_text_differs(os->description, ns->description))
			break;
	if (os || ns)
		diff_add(d, DIFF_DOCS, false, n->loc, "servers-changed", "service",
			 "the list of servers changed");
	const char *oe = o->error_model ? o->error_model->name : NULL;
	const char *ne = n->error_model ? n->error_model->name : NULL;
	if (diff_text_differs(oe, ne) || diff_text_differs(o->error_pointer, n->error_pointer))
		diff_add(d, DIFF_BREAKING, false, n->error_model ? n->error_loc : n->loc,
			 "errors-changed", "errors",
			 "the error shape changed: %s%s%s -> %s%s%s", oe ? oe : "problem details",
			 oe ? " at " : "", oe ? o->error_pointer : "", ne ? ne : "problem details",
			 ne ? " at " : "", ne ? n->error_pointer : "");
	if (diff_text_differs(o->prefix, n->prefix))
		diff_add(d, DIFF_COMPATIBLE, false, n->loc, "cprefix-changed", "cprefix",
			 "cprefix changed: the generated C names change, not the API");
}

static bool key_differs(enum ast_param_in in, const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return in == IN_HEADER ? strcasecmp(a, b) != 0 : strcmp(a, b) != 0;
}

static void securities(struct diff *d)
{
	for (const struct ast_security *o = d->os->securities; o; o = o->next) {
		const struct ast_security *n = d->ns->securities;
		while (n && strcmp(n->name, o->name) != 0)
			n = n->next;
		if (!n) {
			diff_add(d, DIFF_COMPATIBLE, true, o->loc, "security-removed", o->name,
				 "security scheme %s was removed", o->name);
			continue;
		}
		if (o->kind != n->kind || (o->kind == SEC_APIKEY &&
		    (o->in != n->in || key_differs(o->in, o->key, n->key) ||
		     diff_text_differs(o->prefix, n->prefix))))
			diff_add(d, o->used || n->used ? DIFF_BREAKING : DIFF_COMPATIBLE, false, n->loc,
				 "security-changed", n->name,
				 "security scheme %s changed: old credentials are no longer accepted", n->name);
		if (diff_text_differs(o->doc, n->doc) || diff_text_differs(o->bearer_format, n->bearer_format))
			diff_add(d, DIFF_DOCS, false, n->loc, "doc-changed", n->name,
				 "the documentation of security scheme %s changed", n->name);
	}
	for (const struct ast_security *n = d->ns->securities; n; n = n->next) {
		const struct ast_security *o = d->os->securities;
		while (o && strcmp(n->name, o->name) != 0)
			o = o->next;
		if (!o)
			diff_add(d, DIFF_COMPATIBLE, false, n->loc, "security-added", n->name,
				 "security scheme %s was added", n->name);
	}
}

/* ---- operations ---- */

/* "GET /pets/{}": the method and the path template without parameter names. */
static const char *op_key(struct diff *d, const struct ast_op *op)
{
	size_t n = strlen(op->path);
	char *k = arena_alloc(d->a, n + 16), *w = k;
	w += strlen(strcpy(w, method_names[op->method]));
	*w++ = ' ';
	for (const char *p = op->path; *p; p++) {
		*w++ = *p;
		if (*p == '{') {
			while (p[1] && p[1] != '}')
				p++;
		}
	}
	*w = 0;
	return k;
}

static const char *op_name(struct diff *d, const struct ast_op *op)
{
	return arena_printf(d->a, "%s %s", method_names[op->method], op->path);
}

/* One parameter or response header in both schemas; `dir` is DIR_REQ for
 * a parameter, DIR_RESP for a response header. */
static void param_pair(struct diff *d, unsigned dir, const char *s, const struct ast_param *o,
		       const struct ast_param *n)
{
	if (o->optional && !n->optional)
		diff_add(d, diff_kind_for(dir, true, false), false, n->loc,
			 dir == DIR_REQ ? "parameter-required" : "header-required", s,
			 "%s became required", s);
	if (!o->optional && n->optional)
		diff_add(d, diff_kind_for(dir, false, true), false, n->loc,
			 dir == DIR_REQ ? "parameter-optional" : "header-optional", s,
			 "%s became optional", s);
	if (o->def && !diff_value_eq(o->def, n->def))
		diff_add(d, diff_kind_for(dir, true, false), false, n->loc, "default-changed", s,
			 "the default of %s %s: a request without it means something else",
			 s, n->def ? "changed" : "was removed");
	else if (!o->def && n->def)
		diff_add(d, DIFF_COMPATIBLE, false, n->loc, "default-added", s, "%s got a default", s);
	diff_type(d, dir, s, o->type, n->type);
	if (diff_text_differs(o->doc, n->doc) || o->deprecated != n->deprecated ||
	    !diff_value_eq(o->example, n->example))
		diff_add(d, DIFF_DOCS, false, n->loc, "doc-changed", s,
			 "the documentation, example or deprecation of %s changed", s);
}

static const struct ast_param *path_param(const struct ast_op *op, size_t i)
{
	for (const struct ast_segment *g = op->segments; g; g = g->next)
		if (g->is_param && i-- == 0)
			return g->param;
	return NULL;
}

static size_t path_index(const struct ast_op *op, const struct ast_param *p)
{
	size_t i = 0;
	for (const struct ast_segment *g = op->segments; g; g = g->next)
		if (g->is_param) {
			if (g->param == p)
				return i;
			i++;
		}
	return (size_t)-1;
}

/* The parameter (or header) of `list` that matches `p`, in `op` for path ones. */
static const struct ast_param *find_param(const struct ast_param *list, const struct ast_op *po,
					  const struct ast_op *op, const struct ast_param *p)
{
	if (p->in == IN_PATH)
		return op ? path_param(op, path_index(po, p)) : NULL;
	for (; list; list = list->next)
		if (list->in == p->in && !key_differs(p->in, list->name, p->name))
			return list;
	return NULL;
}

static const char *param_subject(struct diff *d, const char *prefix, const struct ast_param *p)
{
	return arena_printf(d->a, "%s %s %s", prefix, in_names[p->in], p->name);
}

/* The parameters of an operation, or the headers of a response (ops NULL). */
static void params(struct diff *d, unsigned dir, const char *prefix,
		   const struct ast_param *ol, const struct ast_param *nl,
		   const struct ast_op *oop, const struct ast_op *nop)
{
	for (const struct ast_param *o = ol; o; o = o->next) {
		const struct ast_param *n = find_param(nl, oop, nop, o);
		if (!n) {
			diff_add(d, DIFF_BREAKING, true, o->loc, dir == DIR_REQ ? "parameter-removed"
				 : "header-removed", param_subject(d, prefix, o), "%s was removed",
				 param_subject(d, prefix, o));
			continue;
		}
		const char *s = param_subject(d, prefix, n);
		if (o->in == IN_PATH && strcmp(o->name, n->name) != 0)
			diff_add(d, DIFF_COMPATIBLE, false, n->loc, "path-parameter-renamed", s,
				 "path parameter '%s' is now '%s' (the same position)", o->name, n->name);
		param_pair(d, dir, s, o, n);
	}
	for (const struct ast_param *n = nl; n; n = n->next) {
		if (find_param(ol, nop, oop, n))
			continue;
		const char *s = param_subject(d, prefix, n);
		bool needed = dir == DIR_REQ && !n->optional;
		diff_add(d, needed ? DIFF_BREAKING : DIFF_COMPATIBLE, false, n->loc,
			 dir == DIR_REQ ? "parameter-added" : "header-added", s,
			 needed ? "required %s was added: old requests lack it" : "%s was added", s);
	}
}

/* The scheme an operation requires, NULL for anonymous access. */
static const char *auth_name(const struct ast_auth *a)
{
	return a->set && !a->none ? a->name : NULL;
}

static void auth(struct diff *d, const char *s, const struct ast_op *o, const struct ast_op *n)
{
	const char *oa = auth_name(&o->eff_auth), *na = auth_name(&n->eff_auth);
	bool oopt = !oa || o->eff_auth.optional, nopt = !na || n->eff_auth.optional;
	if (!diff_text_differs(oa, na) && oopt == nopt)
		return;
	/* an old request keeps working if it needs no credentials now, or the
	 * same ones it had to send */
	bool breaks = !nopt && (oopt || diff_text_differs(oa, na));
	diff_add(d, breaks ? DIFF_BREAKING : DIFF_COMPATIBLE, false, n->loc,
		 !oa ? "auth-added" : !na ? "auth-removed" : "auth-changed", s,
		 "%s: authentication %s%s -> %s%s", s, oa && oopt ? "optional " : "", oa ? oa : "none",
		 na && nopt ? "optional " : "", na ? na : "none");
}

static const struct ast_response *find_response(const struct ast_response *r, int status)
{
	while (r && r->status != status)
		r = r->next;
	return r;
}

static void response_pair(struct diff *d, const char *s, const struct ast_response *o,
			  const struct ast_response *n)
{
	bool oe = ast_response_is_error(o), ne = ast_response_is_error(n);
	const char *ob = o->raw ? arena_printf(d->a, "%s as \"%s\"", o->raw == RAW_TEXT ? "text" : "bytes", o->media)
		: o->type ? diff_type_str(d, o->type) : oe ? "the error shape" : "no body";
	const char *nb = n->raw ? arena_printf(d->a, "%s as \"%s\"", n->raw == RAW_TEXT ? "text" : "bytes", n->media)
		: n->type ? diff_type_str(d, n->type) : ne ? "the error shape" : "no body";
	/* a raw body's kind or media type is what clients read it as */
	bool raw_changed = o->raw != n->raw || (o->raw && strcmp(o->media, n->media) != 0);
	if (o->stream != n->stream || oe != ne || (o->type && !n->type) || raw_changed)
		diff_add(d, DIFF_BREAKING, false, n->loc, "response-body-changed", s,
			 "the body of %s changed: %s%s -> %s%s", s, o->stream ? "stream " : "", ob,
			 n->stream ? "stream " : "", nb);
	else if (o->raw)
		; /* the same raw body */
	else if (!o->type && n->type)
		diff_add(d, DIFF_COMPATIBLE, false, n->loc, "response-body-added", s,
			 "%s now has a body (%s)", s, nb);
	else
		diff_type(d, DIR_RESP, arena_printf(d->a, "%s body", s), o->type, n->type);
	params(d, DIR_RESP, arena_printf(d->a, "%s", s), o->headers, n->headers, NULL, NULL);
	if (diff_text_differs(o->description, n->description))
		diff_add(d, DIFF_DOCS, false, n->loc, "doc-changed", s,
			 "the description of %s changed", s);
}

static void responses(struct diff *d, const char *s, const struct ast_op *o, const struct ast_op *n)
{
	for (const struct ast_response *r = o->responses; r; r = r->next) {
		const char *rs = arena_printf(d->a, "%s -> %d", s, r->status);
		const struct ast_response *nr = find_response(n->responses, r->status);
		if (nr)
			response_pair(d, rs, r, nr);
		else
			diff_add(d, DIFF_BREAKING, true, r->loc, "response-removed", rs,
				 "response %d of %s was removed", r->status, s);
	}
	for (const struct ast_response *r = n->responses; r; r = r->next)
		if (!find_response(o->responses, r->status))
			diff_add(d, DIFF_COMPATIBLE, false, r->loc, "response-added",
				 arena_printf(d->a, "%s -> %d", s, r->status),
				 "response %d was added to %s", r->status, s);
}

static void body(struct diff *d, const char *s, const struct ast_op *o, const struct ast_op *n)
{
	const char *bs = arena_printf(d->a, "%s body", s);
	if (!o->body && n->body)
		diff_add(d, n->body_optional ? DIFF_COMPATIBLE : DIFF_BREAKING, false, n->body_loc,
			 "body-added", bs, n->body_optional ? "%s: an optional body was added"
			 : "%s: a required body was added: old requests lack it", s);
	else if (o->body && !n->body)
		diff_add(d, DIFF_BREAKING, true, o->body_loc, "body-removed", bs,
			 "%s no longer takes a body", s);
	else if (o->body) {
		if (o->body_optional && !n->body_optional)
			diff_add(d, DIFF_BREAKING, false, n->body_loc, "body-required", bs,
				 "the body of %s became required", s);
		else if (!o->body_optional && n->body_optional)
			diff_add(d, DIFF_COMPATIBLE, false, n->body_loc, "body-optional", bs,
				 "the body of %s became optional", s);
		diff_type(d, DIR_REQ, bs, o->body, n->body);
	}
	/* 0 is the server's limit, which the schema does not know */
	if (o->max_body != n->max_body && n->max_body && (!o->max_body || n->max_body < o->max_body))
		diff_add(d, DIFF_BREAKING, false, n->loc, "maxbody-lowered", bs,
			 "%s: request bodies are now limited to %llu bytes", s,
			 (unsigned long long)n->max_body);
	else if (o->max_body != n->max_body)
		diff_add(d, DIFF_COMPATIBLE, false, n->loc, "maxbody-raised", bs,
			 "%s: the body limit was raised", s);
}

static void websocket(struct diff *d, const char *s, const struct ast_op *o, const struct ast_op *n)
{
	if (!o->ws_in != !n->ws_in) {
		diff_add(d, DIFF_BREAKING, false, n->loc, "websocket-changed", s,
			 "%s %s a WebSocket", s, n->ws_in ? "became" : "is no longer");
		return;
	}
	diff_type(d, DIR_REQ, arena_printf(d->a, "%s receive", s), o->ws_in, n->ws_in);
	diff_type(d, DIR_RESP, arena_printf(d->a, "%s send", s), o->ws_out, n->ws_out);
}

static void op_pair(struct diff *d, const struct ast_op *o, const struct ast_op *n)
{
	const char *s = op_name(d, n);
	if (strcmp(o->id, n->id) != 0)
		diff_add(d, DIFF_BREAKING, false, n->loc, "operation-id-changed", s,
			 "the operationId of %s changed: %s -> %s (generated clients name their "
			 "calls by it)", s, o->id, n->id);
	auth(d, s, o, n);
	params(d, DIR_REQ, s, o->params, n->params, o, n);
	body(d, s, o, n);
	websocket(d, s, o, n);
	responses(d, s, o, n);
	if (diff_text_differs(o->cache_control, n->cache_control) || o->etag != n->etag ||
	    o->async != n->async || o->deadline_ms != n->deadline_ms)
		diff_add(d, DIFF_COMPATIBLE, false, n->loc, "behaviour-changed", s,
			 "the caching, etag, async or deadline of %s changed", s);
	bool tags = false;
	const struct ast_tag_ref *ot = o->tags, *nt = n->tags;
	for (; ot && nt; ot = ot->next, nt = nt->next)
		tags |= strcmp(ot->name, nt->name) != 0;
	if (tags || ot || nt || diff_text_differs(o->summary, n->summary) ||
	    diff_text_differs(o->doc, n->doc))
		diff_add(d, DIFF_DOCS, false, n->loc, "doc-changed", s,
			 "the summary, description or tags of %s changed", s);
	if (o->deprecated != n->deprecated)
		diff_add(d, DIFF_DOCS, false, n->loc, "deprecated", s, "%s is %s deprecated", s,
			 n->deprecated ? "now" : "no longer");
}

static void operations(struct diff *d)
{
	struct strmap *nk = strmap_new(d->a), *ok = strmap_new(d->a);
	for (const struct ast_op *n = d->ns->ops; n; n = n->next)
		strmap_put(nk, op_key(d, n), (void *)n);
	for (const struct ast_op *o = d->os->ops; o; o = o->next) {
		strmap_put(ok, op_key(d, o), (void *)o);
		const struct ast_op *n = strmap_get(nk, op_key(d, o));
		if (n)
			op_pair(d, o, n);
		else
			diff_add(d, DIFF_BREAKING, true, o->loc, "operation-removed", op_name(d, o),
				 "operation %s (%s) was removed", op_name(d, o), o->id);
	}
	for (const struct ast_op *n = d->ns->ops; n; n = n->next)
		if (!strmap_get(ok, op_key(d, n)))
			diff_add(d, DIFF_COMPATIBLE, false, n->loc, "operation-added", op_name(d, n),
				 "operation %s (%s) was added", op_name(d, n), n->id);
}

void schema_diff(struct arena *a, const struct ast_schema *old_s,
		 const struct ast_schema *new_s, struct diff_result *r)
{
	struct diff d = { .a = a, .os = old_s, .ns = new_s, .r = r, .pairs = strmap_new(a) };
	diff_usage(&d);
	service(&d);
	securities(&d);
	diff_models(&d);
	diff_unions(&d);
	operations(&d);
}
