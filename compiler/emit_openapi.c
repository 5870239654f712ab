/* OpenAPI 3.1 emitter: the checked AST as one JSON document, written in one
 * pass through a streaming writer (json_writer.h): the document, its paths
 * and operations here, their responses in openapi_responses.c, schemas in
 * openapi_schema.c.
 *
 * Determinism: the output order is the order of the code below: paths in
 * order of first declaration (the operations of a path in declaration
 * order), properties in declaration order, responses by status, component
 * maps sorted by name. What the text needs before it is written (the tags in
 * use, the shared error responses in use, which statuses each operation
 * lists, which models have two views) is computed first, in passes linear
 * in the schema's size. */
#include <stdlib.h>
#include <string.h>

#include "openapi_int.h"

const char *const oa_in_names[4] = { "path", "query", "header", "cookie" };

/* ---- operations ---------------------------------------------------------- */

/* A security requirement list: [{"X": []}], with {} first when optional. */
static void oa_requirement(struct oa *oa, const struct ast_auth *a)
{
	struct json_writer *w = &oa->w;

	jw_arr(w);
	if (!a->none && a->name) {
		if (a->optional) {
			jw_obj(w);
			jw_obj_end(w);
		}
		jw_obj(w);
		jw_key(w, a->name);
		jw_arr(w);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void oa_if_none_match(struct oa *oa)
{
	struct json_writer *w = &oa->w;

	jw_obj(w);
	jw_kstr(w, "name", "If-None-Match");
	jw_kstr(w, "in", "header");
	jw_kstr(w, "description", "Entity tags of replies the client has; the current one gives 304.");
	jw_key(w, "schema");
	jw_obj(w);
	jw_kstr(w, "type", "string");
	jw_obj_end(w);
	jw_obj_end(w);
}

/* The parameters, then If-None-Match for `etag` (a header parameter, so
 * that clients can send it). */
static void oa_params(struct oa *oa, const struct ast_op *op)
{
	struct json_writer *w = &oa->w;

	jw_key(w, "parameters");
	jw_arr(w);
	for (const struct ast_param *p = op->params; p; p = p->next) {
		jw_obj(w);
		jw_kstr(w, "name", p->name);
		jw_kstr(w, "in", oa_in_names[p->in]);
		oa_param_fields(oa, p, OA_REQUEST);
		jw_obj_end(w);
	}
	if (op->etag)
		oa_if_none_match(oa);
	jw_arr_end(w);
}

static void oa_operation(struct oa *oa, const struct ast_op *op, size_t i)
{
	struct json_writer *w = &oa->w;

	jw_obj(w);
	if (op->tags) {
		jw_key(w, "tags");
		jw_arr(w);
		for (const struct ast_tag_ref *t = op->tags; t; t = t->next)
			jw_str(w, t->name);
		jw_arr_end(w);
	}
	jw_kstr(w, "summary", op->summary || !op->id ? op->summary : oa_summary_of_id(oa, op->id));
	jw_kstr(w, "description", op->doc);
	jw_kstr(w, "operationId", op->id);
	if (op->deprecated)
		jw_kbool(w, "deprecated", true);
	if (op->ws_in && op->ws_out) {
		jw_key(w, "x-apic-websocket");
		jw_obj(w);
		jw_key(w, "receive");
		oa_type(oa, op->ws_in, OA_REQUEST);
		jw_key(w, "send");
		oa_type(oa, op->ws_out, OA_RESPONSE);
		jw_obj_end(w);
	}
	if (op->async)
		jw_kbool(w, "x-apic-async", true);
	if (op->deadline_ms)
		jw_kint(w, "x-apic-deadline-ms", op->deadline_ms);
	if (op->params || op->etag)
		oa_params(oa, op);
	if (op->body) {
		jw_key(w, "requestBody");
		jw_obj(w);
		jw_kbool(w, "required", !op->body_optional);
		oa_content(oa, "application/json");
		oa_type(oa, op->body, OA_REQUEST);
		oa_content_end(oa);
		jw_obj_end(w);
	}
	oa_responses(oa, op, i);
	if (op->auth.set) {
		jw_key(w, "security");
		oa_requirement(oa, &op->auth);
	}
	jw_obj_end(w);
}

static const char *oa_method_name(enum ast_method m)
{
	static const char *const names[] = {
		"get", "put", "post", "delete", "patch", "head", "options",
	};

	return names[m];
}

struct oa_opref {
	const struct ast_op *op;
	size_t idx;               /* in schema order */
};

static int oa_opref_cmp(const void *a, const void *b)
{
	const struct oa_opref *x = a, *y = b;
	int c = strcmp(x->op->path, y->op->path);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* "paths": each path where it is first declared, holding all its
 * operations: sorted by path then declaration, so that a path's operations
 * are adjacent, starting with the first. */
static void oa_paths(struct oa *oa)
{
	struct json_writer *w = &oa->w;
	size_t n = 0, i = 0;
	struct oa_opref *v;
	size_t *at;             /* op idx -> its place in v */

	for (const struct ast_op *op = oa->s->ops; op; op = op->next)
		n++;
	v = oa_calloc(n, sizeof *v);
	at = oa_calloc(n, sizeof *at);
	for (const struct ast_op *op = oa->s->ops; op; op = op->next, i++)
		v[i] = (struct oa_opref){ op, i };
	qsort(v, n, sizeof *v, oa_opref_cmp);
	for (i = 0; i < n; i++)
		at[v[i].idx] = i;
	jw_obj(w);
	for (i = 0; i < n; i++) {
		size_t k = at[i];

		if (k > 0 && strcmp(v[k - 1].op->path, v[k].op->path) == 0)
			continue; /* written with the first of its path */
		jw_key(w, v[k].op->path);
		jw_obj(w);
		do {
			jw_key(w, oa_method_name(v[k].op->method));
			oa_operation(oa, v[k].op, v[k].idx);
			k++;
		} while (k < n && strcmp(v[k - 1].op->path, v[k].op->path) == 0);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	free(v);
	free(at);
}

/* ---- the document ---------------------------------------------------------- */

struct oa_tag {
	const char *name;
	size_t order;             /* of the reference among all operations' */
};

static int oa_tag_name_cmp(const void *a, const void *b)
{
	const struct oa_tag *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int oa_tag_order_cmp(const void *a, const void *b)
{
	const struct oa_tag *x = a, *y = b;

	return (x->order > y->order) - (x->order < y->order);
}

/* The top-level tags: each name the operations use, in order of first use. */
static void oa_tags(struct oa *oa)
{
	struct json_writer *w = &oa->w;
	size_t n = 0, kept = 0;
	struct oa_tag *v;

	for (const struct ast_op *op = oa->s->ops; op; op = op->next)
		for (const struct ast_tag_ref *t = op->tags; t; t = t->next)
			n++;
	if (!n)
		return;
	v = oa_calloc(n, sizeof *v);
	n = 0;
	for (const struct ast_op *op = oa->s->ops; op; op = op->next)
		for (const struct ast_tag_ref *t = op->tags; t; t = t->next, n++)
			v[n] = (struct oa_tag){ t->name, n };
	qsort(v, n, sizeof *v, oa_tag_name_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i - 1].name, v[i].name) != 0)
			v[kept++] = v[i];
	qsort(v, kept, sizeof *v, oa_tag_order_cmp);
	jw_key(w, "tags");
	jw_arr(w);
	for (size_t i = 0; i < kept; i++) {
		jw_obj(w);
		jw_kstr(w, "name", v[i].name);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	free(v);
}

/* The servers: the declared ones, after a relative URL when none is
 * relative. The document is served by the server it describes, and "Try it
 * out" must reach that server whatever host and port it runs on (an
 * absolute http://127.0.0.1:8080 is wrong as soon as it runs elsewhere). */
static void oa_servers(struct oa *oa, const struct ast_service *svc)
{
	struct json_writer *w = &oa->w;
	const char *base = svc->basepath ? svc->basepath : "";
	bool relative = false;

	for (const struct ast_server *srv = svc->servers; srv; srv = srv->next)
		relative |= strstr(srv->url, "://") == NULL && strncmp(srv->url, "//", 2) != 0;
	jw_key(w, "servers");
	jw_arr(w);
	if (!relative) {
		jw_obj(w);
		jw_kstr(w, "url", base[0] ? base : "/");
		jw_kstr(w, "description", "the server that serves this document");
		jw_obj_end(w);
	}
	for (const struct ast_server *srv = svc->servers; srv; srv = srv->next) {
		struct out_buf *b = &oa->scratch;
		size_t n = strlen(srv->url);

		b->len = 0;
		out_put(b, srv->url, n);
		/* "http://h/" + "/api" must not become "http://h//api" */
		out_puts(b, n && srv->url[n - 1] == '/' && base[0] == '/' ? base + 1 : base);
		if (b->oom)
			oa_oom();
		jw_obj(w);
		jw_key(w, "url");
		jw_str_len(w, b->p, b->len);
		jw_kstr(w, "description", srv->description);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* A type name that the user did not take, for the runtime's own schemas. */
static const char *oa_free_name(const struct ast_schema *s, const char *want,
				const char *fallback)
{
	for (const struct ast_model *m = s->models; m; m = m->next)
		if (strcmp(m->name, want) == 0)
			return fallback;
	for (const struct ast_enum *e = s->enums; e; e = e->next)
		if (strcmp(e->name, want) == 0)
			return fallback;
	return want;
}

/* What the server answers before an operation is known cannot be listed
 * under an operation: it is said once, after the service's description. */
static const char oa_any_path_note[] =
	"**Errors on any path.** Before it knows the operation, the server answers by itself, "
	"in the shape of the errors listed under each operation: 400 for a malformed request "
	"(broken framing; a repeated Host, Authorization or Content-Type header; a target that "
	"is not a path), 404 when no route matches the path, 405 (with `Allow`) for a method "
	"the path does not have, 414 for a request target that is too long, 431 for too many "
	"header fields. The HTTP library may answer 400, 413, 414, 431, 500 or 505 with an HTML "
	"page of its own before the request reaches the server. **Parameter text** is "
	"percent-decoded once: a malformed escape, text that is not UTF-8, and NUL (`%00`) are "
	"a 422 violation of that parameter (in a literal path segment: 404).";

static void oa_info(struct oa *oa, const struct ast_service *svc)
{
	struct json_writer *w = &oa->w;
	const char *own = svc->description ? svc->description : svc->doc;
	struct out_buf *b = &oa->scratch;

	b->len = 0;
	if (own) {
		out_puts(b, own);
		out_puts(b, "\n\n");
	}
	out_puts(b, oa_any_path_note);
	if (b->oom)
		oa_oom();
	jw_key(w, "info");
	jw_obj(w);
	jw_kstr(w, "title", svc->title);
	jw_kstr(w, "version", svc->version);
	jw_key(w, "description");
	jw_str_len(w, b->p, b->len);
	jw_obj_end(w);
}

void oa_security_scheme(struct oa *oa, const struct ast_security *sec, const char *apikey_type)
{
	struct json_writer *w = &oa->w;

	jw_obj(w);
	switch (sec->kind) {
	case SEC_BEARER:
		jw_kstr(w, "type", "http");
		jw_kstr(w, "scheme", "bearer");
		jw_kstr(w, "bearerFormat", sec->bearer_format);
		jw_kstr(w, "description", sec->doc);
		break;
	case SEC_BASIC:
		jw_kstr(w, "type", "http");
		jw_kstr(w, "scheme", "basic");
		jw_kstr(w, "description", sec->doc);
		break;
	case SEC_APIKEY:
		jw_kstr(w, "type", apikey_type);
		jw_kstr(w, "name", sec->key);
		jw_kstr(w, "in", oa_in_names[sec->in]);
		if (sec->prefix) {
			/* neither OpenAPI nor AsyncAPI has a field for a value prefix */
			struct out_buf *b = &oa->scratch;

			b->len = 0;
			if (sec->doc)
				out_printf(b, "%s\n\n", sec->doc);
			out_printf(b, "The value carries the prefix \"%s\": `%s<key>`.",
				   sec->prefix, sec->prefix);
			if (b->oom)
				oa_oom();
			jw_key(w, "description");
			jw_str_len(w, b->p, b->len);
		} else {
			jw_kstr(w, "description", sec->doc);
		}
		break;
	}
	jw_obj_end(w);
}

static int oa_security_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct ast_security *const *)a)->name,
		      (*(const struct ast_security *const *)b)->name);
}

static void oa_security_schemes(struct oa *oa)
{
	size_t n = 0;
	const struct ast_security **v;

	for (const struct ast_security *sec = oa->s->securities; sec; sec = sec->next)
		n++;
	v = oa_calloc(n, sizeof *v);
	n = 0;
	for (const struct ast_security *sec = oa->s->securities; sec; sec = sec->next)
		v[n++] = sec;
	qsort(v, n, sizeof *v, oa_security_cmp);
	jw_key(&oa->w, "securitySchemes");
	jw_obj(&oa->w);
	for (size_t i = 0; i < n; i++) {
		jw_key(&oa->w, v[i]->name);
		oa_security_scheme(oa, v[i], "apiKey");
	}
	jw_obj_end(&oa->w);
	free(v);
}

bool emit_openapi(const struct ast_schema *s, struct diag_ctx *d, struct openapi_doc *doc)
{
	struct oa st = { .s = s }, *oa = &st;
	struct json_writer *w = &oa->w;
	const struct ast_service *svc = s->service;
	struct out_buf text;
	size_t nops = 0;

	memset(doc, 0, sizeof *doc);
	if (!svc) {
		diag_fatal(d, "the schema declares no service");
		return false;
	}
	oa->problem = oa_free_name(s, "Problem", "apic.Problem");
	oa->violation = oa_free_name(s, "Violation", "apic.Violation");
	oa_views(oa);
	oa_plan_replies(oa);
	out_init(&text);
	out_init(&oa->scratch);
	jw_init(w, &text);

	jw_obj(w);
	jw_kstr(w, "openapi", "3.1.0");
	oa_info(oa, svc);
	oa_servers(oa, svc);
	/* always written: [] says "no auth unless an operation asks for it" */
	jw_key(w, "security");
	oa_requirement(oa, &svc->auth);
	oa_tags(oa);
	jw_key(w, "paths");
	oa_paths(oa);
	jw_key(w, "components");
	jw_obj(w);
	jw_key(w, "schemas");
	oa_schemas(oa);
	oa_error_responses(oa);
	if (s->securities)
		oa_security_schemes(oa);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_finish(w);
	out_put(&text, "\n", 1);
	if (text.oom)
		oa_oom();

	for (const struct ast_op *op = s->ops; op; op = op->next)
		nops++;
	doc->text = text.p;
	doc->len = text.len;
	doc->responses = oa->rec;
	doc->nops = nops;
	doc->ops = oa_calloc(nops, sizeof *doc->ops);
	for (size_t i = 0; i < nops; i++)
		doc->ops[i] = (struct openapi_op_responses){
			oa->rec + oa->first[i], oa->first[i + 1] - oa->first[i],
		};
	oa_replies_free(oa);
	out_free(&oa->scratch);
	oa_views_free(oa);
	return true;
}

void openapi_doc_free(struct openapi_doc *doc)
{
	free(doc->text);
	free(doc->ops);
	free(doc->responses);
	memset(doc, 0, sizeof *doc);
}
