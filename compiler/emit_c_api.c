/* The API description of NAME.c: security schemes, the route table, the
 * embedded OpenAPI text, struct apic_api; the static helpers. */
#include "emit_c_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the API description -------------------------------------------------------------- */

const char *ec_method_enum(enum ast_method m)
{
	static const char *const v[] = { "APIC_GET", "APIC_PUT", "APIC_POST", "APIC_DELETE",
					 "APIC_PATCH", "APIC_HEAD", "APIC_OPTIONS" };
	return v[m];
}

/* Containers nested in a body of type t; -1 when unbounded (recursive or
 * open models). */
static int type_depth(const struct ast_type *t, const struct ast_model **stack, int depth)
{
	if (depth > 64)
		return -1;
	switch (t->kind) {
	case TYPE_PRIM:
		return 0;
	case TYPE_ARRAY:
	case TYPE_MAP: {
		int d = type_depth(t->elem, stack, depth);
		return d < 0 ? -1 : d + 1;
	}
	case TYPE_NAMED:
		break;
	}
	if (!t->model)
		return 0;
	if (t->model->open)
		return -1;
	for (int i = 0; i < depth; i++)
		if (stack[i] == t->model)
			return -1;
	stack[depth] = t->model;
	int max = 0;
	for (const struct ast_field *f = t->model->fields; f; f = f->next) {
		if (f->readonly)
			continue;
		int d = type_depth(f->type, stack, depth + 1);
		if (d < 0)
			return -1;
		if (d > max)
			max = d;
	}
	return max + 1;
}

static unsigned json_depth(const struct ast_op *op)
{
	if (!op->body)
		return 0;
	const struct ast_model *stack[66];
	int d = type_depth(op->body, stack, 0);
	/* +1: json-c counts the top level; +1: a container where the schema has
	 * a scalar is reported as a wrong type (422), not as too deep (400). */
	return d < 0 ? 0 : (unsigned)d + 2;
}

static const char *security_name(struct ec *e, const struct ast_security *sec)
{
	return names_fmt(e->n, "%s__security_%s", names_prefix(e->n), names_snake(e->n, sec->name));
}

/* Case-insensitive, then byte order: a total order, so the output does not
 * depend on qsort's handling of equal elements. */
static int header_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int c = strcasecmp(x, y);
	return c ? c : strcmp(x, y);
}

/* X-Request-Id and every declared response header once, sorted: what a
 * browser script may read when CORS is on. */
/* A ", "-separated literal of header names, sorted, each once (any case). */
static const char *header_list(struct ec *e, struct out_buf *names)
{
	struct out_buf b;
	out_init(&b);
	if (names->oom) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	const char **v = (const char **)(void *)names->p;
	size_t nv = names->len / sizeof *v;
	qsort(v, nv, sizeof *v, header_cmp);
	for (size_t i = 0; i < nv; i++)
		if (i == 0 || strcasecmp(v[i], v[i - 1]) != 0)
			out_printf(&b, "%s%s", b.len ? ", " : "", v[i]);
	const char *lit = ec_lit(e, b.p, b.len);
	out_free(names);
	out_free(&b);
	return lit;
}

static void add_name(struct out_buf *names, const char *name)
{
	out_put(names, (const char *)&name, sizeof name);
}

/* The default of --cors-expose: X-Request-Id and every declared response header. */
static const char *cors_expose(struct ec *e)
{
	struct out_buf names; /* an array of pointers */
	out_init(&names);
	add_name(&names, "X-Request-Id");
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		for (const struct ast_response *r = op->responses; r; r = r->next)
			for (const struct ast_param *h = r->headers; h; h = h->next)
				add_name(&names, h->name);
	return header_list(e, &names);
}

/* The default of --cors-headers: what a browser must be allowed to send,
 * Authorization, Content-Type, X-Request-Id, every header parameter and
 * every API key sent in a header. */
static const char *cors_headers(struct ec *e)
{
	struct out_buf names;
	out_init(&names);
	add_name(&names, "Authorization");
	add_name(&names, "Content-Type");
	add_name(&names, "X-Request-Id");
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		for (const struct ast_param *p = op->params; p; p = p->next)
			if (p->in == IN_HEADER)
				add_name(&names, p->name);
	for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next)
		if (sec->kind == SEC_APIKEY && sec->in == IN_HEADER)
			add_name(&names, sec->key);
	return header_list(e, &names);
}

void emit_api(struct ec *e, const char *openapi)
{
	struct names *n = e->n;
	const char *P = names_prefix(n);
	const struct ast_service *svc = e->s->service;
	size_t nsec = 0;
	for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next) {
		static const char *const kind[] = { "APIC_AUTH_BEARER", "APIC_AUTH_APIKEY", "APIC_AUTH_BASIC" };
		bool apikey = sec->kind == SEC_APIKEY;
		ec_ln(e, 0, "static const struct apic_security %s = {", security_name(e, sec));
		ec_ln(e, 1, "%s, %s, %s, %s, %s", ec_str(e, sec->name), kind[sec->kind],
		   apikey ? ec_where_enum(sec->in) : "APIC_IN_HEADER",
		   apikey && sec->key ? ec_str(e, sec->key) : "NULL",
		   apikey && sec->prefix ? ec_str(e, sec->prefix) : "NULL");
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
		nsec++;
	}
	if (nsec) {
		ec_ln(e, 0, "static const struct apic_security *const %s__schemes[] = {", P);
		for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next)
			ec_ln(e, 1, "&%s,", security_name(e, sec));
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
	}
	if (e->s->ops) {
		ec_ln(e, 0, "static const struct apic_route %s__routes[] = {", P);
		size_t i = 0;
		for (const struct ast_op *op = e->s->ops; op; op = op->next, i++) {
			const struct ast_auth *a = &op->eff_auth;
			bool auth = a->set && !a->none && a->scheme;
			const char *body = !op->body ? "APIC_BODY_NONE"
				: op->body_optional ? "APIC_BODY_OPTIONAL" : "APIC_BODY_REQUIRED";
			size_t nreplies = e->tables[i].n;
			ec_ln(e, 1, "{ %s, %s, %s, %s, %s, %" PRIu64 ", %u, %s%s, %s, %s, %zu, %s, %s },",
			   ec_method_enum(op->method), ec_str(e, op->path), ec_str(e, op->id),
			   names_op_fn(n, op, "dispatch"), body, op->max_body, json_depth(op), auth ? "&" : "",
			   auth ? security_name(e, a->scheme) : "NULL",
			   auth && a->optional ? "true" : "false",
			   nreplies ? names_op_fn(n, op, "responses") : "NULL", nreplies,
			   op->cache_control ? ec_str(e, op->cache_control) : "NULL", op->etag ? "true" : "false");
		}
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
	}
	if (e->npats) {
		ec_ln(e, 0, "static struct apic_pattern *const %s__patterns[] = {", P);
		for (size_t i = 0; i < e->npats; i++)
			ec_ln(e, 1, "&%s,", ec_pattern_name(e, i));
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
	}

	/* The OpenAPI text: one struct of char arrays, each initialised by a
	 * literal that fits C11's translation limits, laid out back to back. */
	size_t len = openapi ? strlen(openapi) : 0;
	size_t nchunks = len / EC_CHUNK + 1;
	ec_ln(e, 0, "#if defined(__GNUC__) && !defined(__clang__)");
	ec_ln(e, 0, "#define %s__NONSTRING __attribute__((nonstring))", names_upper_prefix(n));
	ec_ln(e, 0, "#else");
	ec_ln(e, 0, "#define %s__NONSTRING", names_upper_prefix(n));
	ec_ln(e, 0, "#endif");
	ec_ln(e, 0, "static const struct {");
	for (size_t i = 0; i + 1 < nchunks; i++)
		ec_ln(e, 1, "char c%zu[%d] %s__NONSTRING;", i, EC_CHUNK, names_upper_prefix(n));
	ec_ln(e, 1, "char last[%zu];", len - (nchunks - 1) * EC_CHUNK + 1);
	ec_ln(e, 0, "} %s__openapi = {", P);
	for (size_t i = 0; i < nchunks; i++) {
		size_t off = i * EC_CHUNK;
		size_t cl = i + 1 < nchunks ? EC_CHUNK : len - off;
		out_puts(e->b, "\t\"");
		ec_escape(e->b, openapi + off, cl);
		out_puts(e->b, "\",\n");
	}
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "_Static_assert(sizeof %s__openapi == %zu, \"the OpenAPI chunks are contiguous\");", P, len + 1);
	ec_ln(e, 0, "%s", "");

	ec_ln(e, 0, "const struct apic_api %s_api = {", P);
	ec_ln(e, 1, "APIC_ABI_VERSION,");
	ec_ln(e, 1, "%s,", ec_str(e, svc && svc->title ? svc->title : ""));
	ec_ln(e, 1, "%s,", ec_str(e, svc && svc->version ? svc->version : ""));
	ec_ln(e, 1, "%s,", ec_str(e, svc && svc->basepath ? svc->basepath : ""));
	if (e->s->ops)
		ec_ln(e, 1, "%s__routes, sizeof %s__routes / sizeof %s__routes[0],", P, P, P);
	else
		ec_ln(e, 1, "NULL, 0,");
	if (nsec)
		ec_ln(e, 1, "%s__schemes, %zu,", P, nsec);
	else
		ec_ln(e, 1, "NULL, 0,");
	if (e->npats)
		ec_ln(e, 1, "%s__patterns, %zu,", P, e->npats);
	else
		ec_ln(e, 1, "NULL, 0,");
	ec_ln(e, 1, "(const char *)&%s__openapi, %zu,", P, len);
	ec_ln(e, 1, "%s,", svc && svc->error_pointer ? ec_str(e, svc->error_pointer) : "NULL");
	ec_ln(e, 1, "%s,", cors_expose(e));
	ec_ln(e, 1, "%s,", cors_headers(e));
	ec_ln(e, 0, "};");
}

/* ---- static helpers of NAME.c -------------------------------------------------------- */

void emit_helpers(struct ec *e)
{
	const char *P = names_prefix(e->n);
	if (e->need_jtype) {
		ec_ln(e, 0, "static const char *%s__jtype(struct json_object *v)", P);
		ec_ln(e, 0, "{");
		ec_ln(e, 1, "switch (json_object_get_type(v)) {");
		ec_ln(e, 1, "case json_type_null: return \"null\";");
		ec_ln(e, 1, "case json_type_boolean: return \"boolean\";");
		ec_ln(e, 1, "case json_type_int:");
		ec_ln(e, 1, "case json_type_double: return \"number\";");
		ec_ln(e, 1, "case json_type_string: return \"string\";");
		ec_ln(e, 1, "case json_type_array: return \"array\";");
		ec_ln(e, 1, "case json_type_object: return \"object\";");
		ec_ln(e, 1, "}");
		ec_ln(e, 1, "return \"value\";");
		ec_ln(e, 0, "}");
		ec_ln(e, 0, "%s", "");
	}
	if (e->need_int) {
		ec_ln(e, 0, "/* A JSON integer: 0; not one (a fraction, another type): 1; beyond int64: 2.");
		ec_ln(e, 0, " * json-c keeps integers up to UINT64_MAX exactly (libapic hands it larger");
		ec_ln(e, 0, " * ones as doubles). The range is INT64_MIN + 1 .. INT64_MAX in every spelling:");
		ec_ln(e, 0, " * the double -2^63 also stands for integers below INT64_MIN. 1.0 is an");
		ec_ln(e, 0, " * integer, as in JSON Schema. */");
		ec_ln(e, 0, "static int %s__int(struct json_object *v, int64_t *out)", P);
		ec_ln(e, 0, "{");
		ec_ln(e, 1, "if (json_object_is_type(v, json_type_int)) {");
		ec_ln(e, 2, "int64_t i = json_object_get_int64(v);");
		ec_ln(e, 2, "if (i == INT64_MIN || (i == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX))");
		ec_ln(e, 3, "return 2;");
		ec_ln(e, 2, "*out = i;");
		ec_ln(e, 2, "return 0;");
		ec_ln(e, 1, "}");
		ec_ln(e, 1, "if (!json_object_is_type(v, json_type_double))");
		ec_ln(e, 2, "return 1;");
		ec_ln(e, 1, "double d = json_object_get_double(v);");
		ec_ln(e, 1, "if (!(d > -0x1p63 && d < 0x1p63))");
		ec_ln(e, 2, "return 2;");
		ec_ln(e, 1, "if (d != (double)(int64_t)d)");
		ec_ln(e, 2, "return 1;");
		ec_ln(e, 1, "*out = (int64_t)d;");
		ec_ln(e, 1, "return 0;");
		ec_ln(e, 0, "}");
		ec_ln(e, 0, "%s", "");
	}
	if (e->need_unique) {
		ec_ln(e, 0, "static void %s__unique(struct apic_ctx *ctx, struct json_object *a, const struct apic_jptr *at)", P);
		ec_ln(e, 0, "{");
		ec_ln(e, 1, "size_t n = json_object_array_length(a);");
		ec_ln(e, 1, "for (size_t i = 1; i < n; i++)");
		ec_ln(e, 2, "for (size_t j = 0; j < i; j++)");
		ec_ln(e, 3, "if (apic_json_equal(json_object_array_get_idx(a, j), json_object_array_get_idx(a, i))) {");
		ec_ln(e, 4, "apic_violation_body(ctx, at, APIC_V_DUPLICATE_ITEMS, \"must not contain duplicates (items %%zu and %%zu are equal)\", j, i);");
		ec_ln(e, 4, "return;");
		ec_ln(e, 3, "}");
		ec_ln(e, 0, "}");
		ec_ln(e, 0, "%s", "");
	}
}

