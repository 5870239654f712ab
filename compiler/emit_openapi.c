/* OpenAPI 3.1 emitter: the checked AST as one JSON document, built as a
 * json-c tree and serialised once.
 *
 * Determinism: json-c objects keep insertion order, so the output order is
 * the order of the code below: paths, operations and properties in
 * declaration order, component maps sorted by name.
 *
 * Request and response views. OpenAPI 3.1 leaves readOnly/writeOnly to JSON
 * Schema, where they are annotations only: a validator such as ajv would
 * accept a request that carries a readonly property and reject one that
 * omits a required readonly property, while our decoder does the opposite
 * (docs/language.md). So a model that holds readonly or writeonly fields,
 * directly or through the models it uses, gets two schemas, as FastAPI does:
 *   NAME        what the server sends: readonly fields (readOnly: true, and
 *               required when required), no writeonly fields;
 *   NAME-Input  what the server accepts: writeonly fields (writeOnly: true,
 *               and required when required), no readonly fields (false
 *               schemas in an open model, so that they stay rejected).
 * NAME-Input is emitted only when a request body reaches it. Other models
 * are one schema used both ways. '-' cannot occur in a schema name, so the
 * view names never clash with the user's.
 *
 * Integers: the decoder rejects values that do not fit int32/int64, so those
 * schemas carry the range as minimum/maximum on each side the user left open
 * (a validator then agrees with the decoder without knowing `format`). The
 * int64 range starts at INT64_MIN + 1: integers below INT64_MIN reach the
 * decoder as doubles, -2^63 among them, so it rejects that value too. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apic_gen.h"
#include "emit.h"
#include "out.h"

enum oa_view {
	OA_RESPONSE,
	OA_REQUEST,
};

struct oa {
	const struct ast_schema *s;
	/* models sorted by address, with whether their views differ */
	const struct ast_model **models;
	bool *split;
	bool *input_used;        /* NAME-Input is referenced by a request body */
	size_t nmodels;
	const char *problem;     /* component names of the runtime's error shape */
	const char *violation;
	bool problem_used;
	bool error_used[9];      /* components.responses of oa_errors[] in use */
	json_object *tags;       /* top-level tags, in order of first use */
};

/* ---- json-c helpers: out of memory ends the compiler (exit 3) ----------- */

static void oa_oom(void)
{
	fputs("apic: out of memory\n", stderr);
	exit(3);
}

static json_object *oa_chk(json_object *o)
{
	if (!o)
		oa_oom();
	return o;
}

static json_object *oa_obj(void)
{
	return oa_chk(json_object_new_object());
}

static json_object *oa_arr(void)
{
	return oa_chk(json_object_new_array());
}

static json_object *oa_str(const char *s)
{
	return oa_chk(json_object_new_string(s));
}

/* Adds `val` (NULL: JSON null) to object `o` under `key`. */
static void oa_set(json_object *o, const char *key, json_object *val)
{
	if (json_object_object_add(o, key, val) != 0)
		oa_oom();
}

static void oa_set_str(json_object *o, const char *key, const char *s)
{
	if (s)
		oa_set(o, key, oa_str(s));
}

static void oa_set_bool(json_object *o, const char *key, bool b)
{
	oa_set(o, key, oa_chk(json_object_new_boolean(b)));
}

static void oa_push(json_object *a, json_object *val)
{
	if (json_object_array_add(a, val) != 0)
		oa_oom();
}

static char *oa_strcat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *p = malloc(na + nb + 1);

	if (!p)
		oa_oom();
	memcpy(p, a, na);
	memcpy(p + na, b, nb + 1);
	return p;
}

/* A number literal as the user wrote it (the spelling survives in the
 * output: `1e3` stays `1e3`, `0.1` does not become 0.10000000000000001). */
static json_object *oa_number(const struct ast_number *n)
{
	if (n->is_int)
		return oa_chk(json_object_new_int64(n->i));
	return oa_chk(json_object_new_double_s(n->d, n->text));
}

static json_object *oa_value(const struct ast_value *v)
{
	json_object *o;

	switch (v->kind) {
	case VAL_NULL:
		return NULL;
	case VAL_BOOL:
		return oa_chk(json_object_new_boolean(v->b));
	case VAL_NUMBER:
		return oa_number(&v->num);
	case VAL_STRING:
		return oa_chk(json_object_new_string_len(v->str, (int)v->len));
	case VAL_IDENT:
		return oa_str(v->member ? v->member->name : v->str);
	case VAL_ARRAY:
		o = oa_arr();
		for (const struct ast_value *e = v->items; e; e = e->next)
			oa_push(o, oa_value(e));
		return o;
	case VAL_OBJECT:
		o = oa_obj();
		for (const struct ast_value *e = v->items; e; e = e->next)
			oa_set(o, e->key, oa_value(e));
		return o;
	}
	return NULL;
}

/* ---- request/response views of models ------------------------------------- */

static int oa_ptr_cmp(const void *a, const void *b)
{
	const struct ast_model *x = *(const struct ast_model *const *)a;
	const struct ast_model *y = *(const struct ast_model *const *)b;

	return x < y ? -1 : x > y;
}

static size_t oa_model_index(const struct oa *oa, const struct ast_model *m)
{
	const struct ast_model **hit =
		bsearch(&m, oa->models, oa->nmodels, sizeof *oa->models, oa_ptr_cmp);

	return hit ? (size_t)(hit - oa->models) : (size_t)-1;
}

static bool oa_split(const struct oa *oa, const struct ast_model *m)
{
	size_t i = oa_model_index(oa, m);

	return i != (size_t)-1 && oa->split[i];
}

static bool oa_type_split(const struct oa *oa, const struct ast_type *t)
{
	while (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP)
		t = t->elem;
	return t->kind == TYPE_NAMED && t->model && oa_split(oa, t->model);
}

/* A model's views differ when it has a readonly or writeonly field or uses a
 * model whose views differ: propagated to a fixed point (models may cycle). */
static void oa_compute_split(struct oa *oa)
{
	size_t n = 0;
	bool changed = true;

	for (const struct ast_model *m = oa->s->models; m; m = m->next)
		n++;
	oa->models = calloc(n ? n : 1, sizeof *oa->models);
	oa->split = calloc(n ? n : 1, sizeof *oa->split);
	oa->input_used = calloc(n ? n : 1, sizeof *oa->input_used);
	if (!oa->models || !oa->split || !oa->input_used)
		oa_oom();
	n = 0;
	for (const struct ast_model *m = oa->s->models; m; m = m->next)
		oa->models[n++] = m;
	oa->nmodels = n;
	qsort(oa->models, n, sizeof *oa->models, oa_ptr_cmp);

	for (size_t i = 0; i < n; i++)
		for (const struct ast_field *f = oa->models[i]->fields; f; f = f->next)
			if (f->readonly || f->writeonly)
				oa->split[i] = true;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < n; i++) {
			if (oa->split[i])
				continue;
			for (const struct ast_field *f = oa->models[i]->fields; f; f = f->next)
				if (oa_type_split(oa, f->type)) {
					oa->split[i] = changed = true;
					break;
				}
		}
	}
}

/* Marks the request views a request body reaches, so that only those are
 * emitted (an unused NAME-Input would be noise). Only split models have a
 * request view, and a model that is not split uses no split model. */
static void oa_mark_input(struct oa *oa, const struct ast_type *t)
{
	size_t i;

	while (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP)
		t = t->elem;
	if (t->kind != TYPE_NAMED || !t->model)
		return;
	i = oa_model_index(oa, t->model);
	if (i == (size_t)-1 || !oa->split[i] || oa->input_used[i])
		return;
	oa->input_used[i] = true;
	for (const struct ast_field *f = t->model->fields; f; f = f->next)
		if (!f->readonly)
			oa_mark_input(oa, f->type);
}

/* Sets "$ref": "#/components/schemas/NAME" for a model or enum in a view. */
static void oa_ref_into(const struct oa *oa, json_object *o, const char *name,
			const struct ast_model *m, enum oa_view view)
{
	char *ref = oa_strcat("#/components/schemas/", name);

	if (m && view == OA_REQUEST && oa_split(oa, m)) {
		char *in = oa_strcat(ref, "-Input");

		free(ref);
		ref = in;
	}
	oa_set_str(o, "$ref", ref);
	free(ref);
}

static json_object *oa_ref(const struct oa *oa, const char *name,
			   const struct ast_model *m, enum oa_view view)
{
	json_object *o = oa_obj();

	oa_ref_into(oa, o, name, m, view);
	return o;
}

/* ---- types and constraints ------------------------------------------------ */

static void oa_count(json_object *o, const char *key, const struct ast_count *c)
{
	if (c->set)
		oa_set(o, key, oa_chk(json_object_new_int64((int64_t)c->n)));
}

/* Whether bound `n` is inside the integer type's limit `lim` on its side. */
static bool oa_within(const struct ast_number *n, bool is_max, int64_t lim)
{
	if (n->is_int)
		return is_max ? n->i <= lim : n->i >= lim;
	/* a fraction, or an integer beyond int64: compare as doubles, strictly,
	 * since (double)INT64_MAX rounds up to 2^63 */
	return is_max ? n->d < (double)lim : n->d > (double)lim;
}

/* One side of a numeric range: the user's bound, else the type's limit for
 * integers. A user bound looser than the type's range is replaced by it: the
 * decoder rejects what does not fit the C type whatever the schema says. */
static void oa_bound(json_object *o, const struct ast_bound *b, bool is_max,
		     enum ast_prim prim)
{
	bool isint = prim == PRIM_INT32 || prim == PRIM_INT64;
	int64_t lim = prim == PRIM_INT32 ? (is_max ? INT32_MAX : INT32_MIN)
					 : (is_max ? INT64_MAX : INT64_MIN + 1);
	const char *key;

	if (b->set && (!isint || oa_within(&b->num, is_max, lim))) {
		if (b->exclusive)
			key = is_max ? "exclusiveMaximum" : "exclusiveMinimum";
		else
			key = is_max ? "maximum" : "minimum";
		oa_set(o, key, oa_number(&b->num));
	} else if (isint) {
		oa_set(o, is_max ? "maximum" : "minimum",
		       oa_chk(json_object_new_int64(lim)));
	}
}

static const char *oa_format_name(enum ast_format f)
{
	switch (f) {
	case FMT_NONE:
		break;
	case FMT_EMAIL:
		return "email";
	case FMT_UUID:
		return "uuid";
	case FMT_DATE:
		return "date";
	case FMT_DATE_TIME:
		return "date-time";
	case FMT_URI:
		return "uri";
	case FMT_PASSWORD:
		return "password";
	}
	return NULL;
}

static json_object *oa_type(const struct oa *oa, const struct ast_type *t,
			    enum oa_view view);

/* "type" as a string, or ["T", "null"] when nullable. */
static void oa_set_type(json_object *o, const char *type, bool nullable)
{
	json_object *a;

	if (!nullable) {
		oa_set_str(o, "type", type);
		return;
	}
	a = oa_arr();
	oa_push(a, oa_str(type));
	oa_push(a, oa_str("null"));
	oa_set(o, "type", a);
}

/* Fills `o` with the schema of `t` (a $ref, or anyOf [$ref, null] when
 * nullable, for models and enums). */
static void oa_type_into(const struct oa *oa, json_object *o, const struct ast_type *t,
			 enum oa_view view, bool nullable)
{
	const struct ast_constraints *c = &t->c;
	json_object *any, *null;

	switch (t->kind) {
	case TYPE_NAMED:
		if (!nullable) {
			oa_ref_into(oa, o, t->name, t->model, view);
			return;
		}
		any = oa_arr();
		oa_push(any, oa_ref(oa, t->name, t->model, view));
		null = oa_obj();
		oa_set_str(null, "type", "null");
		oa_push(any, null);
		oa_set(o, "anyOf", any);
		return;
	case TYPE_ARRAY:
		oa_set_type(o, "array", nullable);
		oa_set(o, "items", oa_type(oa, t->elem, view));
		oa_count(o, "minItems", &c->minitems);
		oa_count(o, "maxItems", &c->maxitems);
		if (c->unique)
			oa_set_bool(o, "uniqueItems", true);
		return;
	case TYPE_MAP:
		oa_set_type(o, "object", nullable);
		oa_set(o, "additionalProperties", oa_type(oa, t->elem, view));
		oa_count(o, "minProperties", &c->minprops);
		oa_count(o, "maxProperties", &c->maxprops);
		return;
	case TYPE_PRIM:
		break;
	}
	switch (t->prim) {
	case PRIM_STRING:
		oa_set_type(o, "string", nullable);
		oa_count(o, "minLength", &c->minlen);
		oa_count(o, "maxLength", &c->maxlen);
		oa_set_str(o, "pattern", c->pattern);
		oa_set_str(o, "format", oa_format_name(c->format));
		break;
	case PRIM_BOOL:
		oa_set_type(o, "boolean", nullable);
		break;
	case PRIM_INT32:
	case PRIM_INT64:
		oa_set_type(o, "integer", nullable);
		oa_set_str(o, "format", t->prim == PRIM_INT32 ? "int32" : "int64");
		oa_bound(o, &c->min, false, t->prim);
		oa_bound(o, &c->max, true, t->prim);
		break;
	case PRIM_NUMBER:
		oa_set_type(o, "number", nullable);
		oa_set_str(o, "format", "double");
		oa_bound(o, &c->min, false, t->prim);
		oa_bound(o, &c->max, true, t->prim);
		break;
	}
}

static json_object *oa_type(const struct oa *oa, const struct ast_type *t, enum oa_view view)
{
	json_object *o = oa_obj();

	oa_type_into(oa, o, t, view, false);
	return o;
}

/* ---- components ---------------------------------------------------------- */

static json_object *oa_field(const struct oa *oa, const struct ast_field *f,
			     enum oa_view view)
{
	json_object *o = oa_obj();

	oa_set_str(o, "description", f->doc);
	oa_type_into(oa, o, f->type, view, f->nullable);
	if (f->deprecated)
		oa_set_bool(o, "deprecated", true);
	if (f->readonly)
		oa_set_bool(o, "readOnly", true);
	if (f->writeonly)
		oa_set_bool(o, "writeOnly", true);
	if (f->def)
		oa_set(o, "default", oa_value(f->def));
	if (f->example) {
		json_object *ex = oa_arr();

		oa_push(ex, oa_value(f->example));
		oa_set(o, "examples", ex);
	}
	return o;
}

static json_object *oa_model(const struct oa *oa, const struct ast_model *m,
			     enum oa_view view)
{
	json_object *o = oa_obj(), *props = oa_obj(), *req = oa_arr();

	oa_set_str(o, "type", "object");
	oa_set_str(o, "description", m->doc);
	if (m->deprecated)
		oa_set_bool(o, "deprecated", true);
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		bool hidden = view == OA_REQUEST ? f->readonly : f->writeonly;

		if (hidden) {
			/* Unknown properties of an open model are allowed:
			 * say explicitly that this one is not. */
			if (m->open && view == OA_REQUEST)
				oa_set(props, f->name, oa_chk(json_object_new_boolean(false)));
			continue;
		}
		oa_set(props, f->name, oa_field(oa, f, view));
		if (!f->optional)
			oa_push(req, oa_str(f->name));
	}
	if (json_object_object_length(props))
		oa_set(o, "properties", props);
	else
		json_object_put(props);
	if (json_object_array_length(req))
		oa_set(o, "required", req);
	else
		json_object_put(req);
	if (!m->open)
		oa_set_bool(o, "additionalProperties", false);
	if (m->example) {
		json_object *ex = oa_arr();

		oa_push(ex, oa_value(m->example));
		oa_set(o, "examples", ex);
	}
	return o;
}

static json_object *oa_enum(const struct ast_enum *e)
{
	json_object *o = oa_obj(), *vals = oa_arr();
	struct out_buf b;
	bool member_docs = false;

	out_init(&b);
	if (e->doc)
		out_puts(&b, e->doc);
	for (const struct ast_enum_member *m = e->members; m; m = m->next) {
		oa_push(vals, oa_str(m->name));
		if (!m->doc)
			continue;
		/* member docs as a list after the enum's own doc */
		out_printf(&b, "%s- `%s`: %s", b.len == 0 ? "" : member_docs ? "\n" : "\n\n",
			   m->name, m->doc);
		member_docs = true;
	}
	if (b.oom)
		oa_oom();
	oa_set_str(o, "type", "string");
	if (b.len)
		oa_set(o, "description", oa_chk(json_object_new_string_len(b.p, (int)b.len)));
	oa_set(o, "enum", vals);
	out_free(&b);
	return o;
}

/* A property {"type": T, "description": D} of the runtime's error schemas. */
static json_object *oa_prop(json_object *props, const char *name, const char *type,
			    const char *doc)
{
	json_object *p = oa_obj();

	oa_set_str(p, "type", type);
	oa_set_str(p, "description", doc);
	oa_set(props, name, p);
	return p;
}

static json_object *oa_names(const char *const *names, size_t n)
{
	json_object *a = oa_arr();

	for (size_t i = 0; i < n; i++)
		oa_push(a, oa_str(names[i]));
	return a;
}

/* The runtime's RFC 9457 problem details, as runtime/violation.c renders
 * them, and the items of its "errors" (codes from apic_gen.h). */
static json_object *oa_problem(const struct oa *oa)
{
	static const char *const req[] = { "type", "title", "status", "detail" };
	json_object *o = oa_obj(), *props = oa_obj(), *p;

	oa_set_str(o, "type", "object");
	oa_set_str(o, "description",
		   "An error as RFC 9457 problem details (application/problem+json).");
	oa_prop(props, "type", "string", "Always \"about:blank\": the status says it all.");
	oa_prop(props, "title", "string", "The reason phrase of the status.");
	p = oa_prop(props, "status", "integer", "The HTTP status code.");
	oa_set(p, "minimum", oa_chk(json_object_new_int(400)));
	oa_set(p, "maximum", oa_chk(json_object_new_int(599)));
	oa_prop(props, "detail", "string", "What went wrong with this request.");
	p = oa_prop(props, "offset", "integer",
		    "Malformed JSON (400): the byte of the body where parsing stopped.");
	oa_set(p, "minimum", oa_chk(json_object_new_int(0)));
	p = oa_prop(props, "errors", "array",
		    "Every violation found in the request (422), possibly capped.");
	oa_set(p, "items", oa_ref(oa, oa->violation, NULL, OA_RESPONSE));
	oa_set(o, "properties", props);
	oa_set(o, "required", oa_names(req, sizeof req / sizeof *req));
	return o;
}

static json_object *oa_violation(void)
{
	static const char *const where[] = { "body", "path", "query", "header", "cookie" };
	static const char *const codes[] = {
		APIC_V_MISSING, APIC_V_UNKNOWN_PROPERTY, APIC_V_WRONG_TYPE,
		APIC_V_OUT_OF_RANGE, APIC_V_BELOW_MINIMUM, APIC_V_ABOVE_MAXIMUM,
		APIC_V_TOO_SHORT, APIC_V_TOO_LONG, APIC_V_PATTERN, APIC_V_FORMAT,
		APIC_V_ENUM, APIC_V_TOO_FEW_ITEMS, APIC_V_TOO_MANY_ITEMS,
		APIC_V_DUPLICATE_ITEMS, APIC_V_TOO_FEW_PROPERTIES,
		APIC_V_TOO_MANY_PROPERTIES, APIC_V_INVALID, APIC_V_READ_ONLY, APIC_V_REPEATED,
	};
	static const char *const req[] = { "location", "code", "message" };
	json_object *o = oa_obj(), *props = oa_obj(), *p;

	oa_set_str(o, "type", "object");
	oa_set_str(o, "description", "One violation of the schema by the request.");
	p = oa_prop(props, "location", "string", "Where the value is.");
	oa_set(p, "enum", oa_names(where, sizeof where / sizeof *where));
	oa_prop(props, "pointer", "string",
		"In the body: a JSON pointer to the value (\"\" for the body itself).");
	oa_prop(props, "name", "string", "In a parameter: the parameter's name.");
	p = oa_prop(props, "code", "string", "A stable machine code; see libapic(3).");
	oa_set(p, "enum", oa_names(codes, sizeof codes / sizeof *codes));
	oa_prop(props, "message", "string", "A message for people.");
	oa_set(o, "properties", props);
	oa_set(o, "required", oa_names(req, sizeof req / sizeof *req));
	return o;
}

struct oa_entry {
	char *name;
	json_object *val;
};

static int oa_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct oa_entry *)a)->name, ((const struct oa_entry *)b)->name);
}

static json_object *oa_schemas(struct oa *oa)
{
	size_t cap = oa->nmodels * 2 + 2, n = 0;
	struct oa_entry *e;
	json_object *o = oa_obj();

	for (const struct ast_enum *en = oa->s->enums; en; en = en->next)
		cap++;
	e = calloc(cap, sizeof *e);
	if (!e)
		oa_oom();
	for (const struct ast_enum *en = oa->s->enums; en; en = en->next)
		e[n++] = (struct oa_entry){ oa_strcat(en->name, ""), oa_enum(en) };
	for (const struct ast_model *m = oa->s->models; m; m = m->next) {
		e[n++] = (struct oa_entry){ oa_strcat(m->name, ""),
					    oa_model(oa, m, OA_RESPONSE) };
		if (oa->input_used[oa_model_index(oa, m)])
			e[n++] = (struct oa_entry){ oa_strcat(m->name, "-Input"),
						    oa_model(oa, m, OA_REQUEST) };
	}
	if (oa->problem_used) {
		e[n++] = (struct oa_entry){ oa_strcat(oa->problem, ""), oa_problem(oa) };
		e[n++] = (struct oa_entry){ oa_strcat(oa->violation, ""), oa_violation() };
	}
	qsort(e, n, sizeof *e, oa_entry_cmp);
	for (size_t i = 0; i < n; i++) {
		oa_set(o, e[i].name, e[i].val);
		free(e[i].name);
	}
	free(e);
	return o;
}

static json_object *oa_security_scheme(const struct ast_security *sec)
{
	json_object *o = oa_obj();
	static const char *const in[] = { "path", "query", "header", "cookie" };

	switch (sec->kind) {
	case SEC_BEARER:
		oa_set_str(o, "type", "http");
		oa_set_str(o, "scheme", "bearer");
		oa_set_str(o, "bearerFormat", sec->bearer_format);
		oa_set_str(o, "description", sec->doc);
		break;
	case SEC_BASIC:
		oa_set_str(o, "type", "http");
		oa_set_str(o, "scheme", "basic");
		oa_set_str(o, "description", sec->doc);
		break;
	case SEC_APIKEY:
		oa_set_str(o, "type", "apiKey");
		oa_set_str(o, "name", sec->key);
		oa_set_str(o, "in", in[sec->in]);
		if (sec->prefix) {
			/* OpenAPI has no field for a value prefix */
			struct out_buf b;

			out_init(&b);
			if (sec->doc)
				out_printf(&b, "%s\n\n", sec->doc);
			out_printf(&b, "The value carries the prefix \"%s\": `%s<key>`.",
				   sec->prefix, sec->prefix);
			if (b.oom)
				oa_oom();
			oa_set(o, "description",
			       oa_chk(json_object_new_string_len(b.p, (int)b.len)));
			out_free(&b);
		} else {
			oa_set_str(o, "description", sec->doc);
		}
		break;
	}
	return o;
}

static json_object *oa_security_schemes(const struct oa *oa)
{
	size_t n = 0;
	struct oa_entry *e;
	json_object *o = oa_obj();

	for (const struct ast_security *sec = oa->s->securities; sec; sec = sec->next)
		n++;
	e = calloc(n + 1, sizeof *e);
	if (!e)
		oa_oom();
	n = 0;
	for (const struct ast_security *sec = oa->s->securities; sec; sec = sec->next)
		e[n++] = (struct oa_entry){ (char *)sec->name, oa_security_scheme(sec) };
	qsort(e, n, sizeof *e, oa_entry_cmp);
	for (size_t i = 0; i < n; i++)
		oa_set(o, e[i].name, e[i].val);
	free(e);
	return o;
}

/* A security requirement list: [{"X": []}], with {} first when optional. */
static json_object *oa_requirement(const struct ast_auth *a)
{
	json_object *o = oa_arr(), *r;

	if (a->none || !a->name)
		return o;
	if (a->optional)
		oa_push(o, oa_obj());
	r = oa_obj();
	oa_set(r, a->name, oa_arr());
	oa_push(o, r);
	return o;
}

/* ---- paths --------------------------------------------------------------- */

static const char *oa_reason(int status)
{
	static const struct {
		int status;
		const char *text;
	} reasons[] = {
		{ 100, "Continue" }, { 101, "Switching Protocols" },
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
		{ 203, "Non-Authoritative Information" }, { 204, "No Content" },
		{ 205, "Reset Content" }, { 206, "Partial Content" },
		{ 300, "Multiple Choices" }, { 301, "Moved Permanently" }, { 302, "Found" },
		{ 303, "See Other" }, { 304, "Not Modified" }, { 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 402, "Payment Required" },
		{ 403, "Forbidden" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
		{ 406, "Not Acceptable" }, { 408, "Request Timeout" }, { 409, "Conflict" },
		{ 410, "Gone" }, { 411, "Length Required" }, { 412, "Precondition Failed" },
		{ 413, "Content Too Large" }, { 414, "URI Too Long" },
		{ 415, "Unsupported Media Type" }, { 416, "Range Not Satisfiable" },
		{ 417, "Expectation Failed" }, { 421, "Misdirected Request" },
		{ 422, "Unprocessable Content" }, { 423, "Locked" }, { 424, "Failed Dependency" },
		{ 425, "Too Early" }, { 426, "Upgrade Required" }, { 428, "Precondition Required" },
		{ 429, "Too Many Requests" }, { 431, "Request Header Fields Too Large" },
		{ 451, "Unavailable For Legal Reasons" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" }, { 505, "HTTP Version Not Supported" },
	};

	for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++)
		if (reasons[i].status == status)
			return reasons[i].text;
	return "Response";
}

static const char *oa_method_name(enum ast_method m)
{
	static const char *const names[] = {
		"get", "put", "post", "delete", "patch", "head", "options",
	};

	return names[m];
}

/* What a parameter object and a header object share: description,
 * required, deprecated, schema, example. */
static void oa_param_fields(const struct oa *oa, json_object *o, const struct ast_param *p,
			    enum oa_view view)
{
	json_object *schema;

	oa_set_str(o, "description", p->doc);
	oa_set_bool(o, "required", p->in == IN_PATH || !p->optional);
	if (p->deprecated)
		oa_set_bool(o, "deprecated", true);
	if (p->type->kind == TYPE_ARRAY) {
		/* repeated: ?tag=a&tag=b */
		oa_set_str(o, "style", "form");
		oa_set_bool(o, "explode", true);
	}
	schema = oa_type(oa, p->type, view);
	if (p->def)
		oa_set(schema, "default", oa_value(p->def));
	oa_set(o, "schema", schema);
	if (p->example)
		oa_set(o, "example", oa_value(p->example));
}

static json_object *oa_param(const struct oa *oa, const struct ast_param *p)
{
	static const char *const in[] = { "path", "query", "header", "cookie" };
	json_object *o = oa_obj();

	oa_set_str(o, "name", p->name);
	oa_set_str(o, "in", in[p->in]);
	oa_param_fields(oa, o, p, OA_REQUEST);
	return o;
}

/* "headers" of a response object: the ones the response declares, by name. */
static void oa_response_headers(const struct oa *oa, json_object *ro, const struct ast_response *r)
{
	json_object *hs;

	if (!r->headers)
		return;
	hs = oa_obj();
	for (const struct ast_param *h = r->headers; h; h = h->next) {
		json_object *o = oa_obj();
		oa_param_fields(oa, o, h, OA_RESPONSE);
		oa_set(hs, h->name, o);
	}
	oa_set(ro, "headers", hs);
}

/* "content": {"MEDIA": {"schema": ...}} on a response or request body. */
static void oa_content(json_object *o, const char *media, json_object *schema)
{
	json_object *c = oa_obj(), *m = oa_obj();

	oa_set(m, "schema", schema);
	oa_set(c, media, m);
	oa_set(o, "content", c);
}

static const struct ast_response *oa_declared(const struct ast_op *op, int status)
{
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->status == status)
			return r;
	return NULL;
}

/* The errors the runtime answers by itself once a request is routed to an
 * operation, in the API's error shape: shared components.responses
 * referenced by every operation that can get them (oa_operation says
 * which; runtime/request.c has the pipeline that sends them). */
static const struct {
	int status;
	const char *name;
	const char *description;
} oa_errors[] = {
	{ 400, "MalformedJson", "The body is not valid JSON." },
	{ 401, "Unauthorized", "The credential is missing or not valid (optional auth: sent but not valid)." },
	{ 403, "Forbidden", "The credential is valid but not allowed here." },
	{ 404, "NoRoute", "No route matches the path: a path parameter is never empty." },
	{ 413, "ContentTooLarge", "The body is larger than the server's limit." },
	{ 415, "UnsupportedMediaType", "The body is not application/json." },
	{ 422, "ValidationFailed", "The request does not match the schema: every violation is listed." },
	{ 500, "ServerError", "The server failed (out of memory, or a reply that could not be sent)." },
	{ 501, "NotImplemented", "The server has no handler for this operation yet." },
};
_Static_assert(sizeof oa_errors / sizeof *oa_errors == sizeof ((struct oa *)0)->error_used,
	       "one error_used flag per runtime error");

/* An error's response object, a runtime error or a declared typeless error
 * status (ast_response_is_error): the API's error shape. */
static json_object *oa_error_response(struct oa *oa, const char *description)
{
	json_object *r = oa_obj();
	const struct ast_model *em = oa->s->service->error_model;

	oa_set_str(r, "description", description);
	if (em) {
		oa_content(r, "application/json", oa_ref(oa, em->name, em, OA_RESPONSE));
	} else {
		oa->problem_used = true;
		oa_content(r, "application/problem+json", oa_ref(oa, oa->problem, NULL, OA_RESPONSE));
	}
	return r;
}

/* A declared typed response `ro` whose status the runtime also answers: the
 * runtime's body is described next to the declared one, as another media
 * type (problem+json) or, when both are application/json, as anyOf. */
static void oa_merge_error(struct oa *oa, json_object *ro, const struct ast_response *r)
{
	const struct ast_model *em = oa->s->service->error_model;
	json_object *content, *media, *schema, *any;

	if (!json_object_object_get_ex(ro, "content", &content))
		return;
	if (!em) {
		json_object *m = oa_obj();

		oa->problem_used = true;
		oa_set(m, "schema", oa_ref(oa, oa->problem, NULL, OA_RESPONSE));
		oa_set(content, "application/problem+json", m);
		return;
	}
	if (r->type->kind == TYPE_NAMED && r->type->model == em)
		return;
	if (!json_object_object_get_ex(content, "application/json", &media) ||
	    !json_object_object_get_ex(media, "schema", &schema))
		return;
	any = oa_arr();
	oa_push(any, json_object_get(schema));
	oa_push(any, oa_ref(oa, em->name, em, OA_RESPONSE));
	schema = oa_obj();
	oa_set(schema, "anyOf", any);
	oa_set(media, "schema", schema);
}

/* Adds runtime error `status` to an operation's responses; a status the
 * schema declares keeps its declaration, with the runtime's body added when
 * it differs. A per-operation body limit is written out. */
static void oa_runtime_error(struct oa *oa, json_object *responses,
			     const struct ast_op *op, int status)
{
	char key[8], *ref;
	size_t i = 0;
	json_object *r;
	const struct ast_response *d = oa_declared(op, status);

	snprintf(key, sizeof key, "%d", status);
	if (d) {
		if (!ast_response_is_error(d) && json_object_object_get_ex(responses, key, &r))
			oa_merge_error(oa, r, d);
		return;
	}
	while (oa_errors[i].status != status)
		i++;
	if (status == 413 && op->max_body) {
		char why[96];

		snprintf(why, sizeof why, "The body is larger than %llu bytes.",
			 (unsigned long long)op->max_body);
		oa_set(responses, key, oa_error_response(oa, why));
		return;
	}
	oa->error_used[i] = true;
	r = oa_obj();
	ref = oa_strcat("#/components/responses/", oa_errors[i].name);
	oa_set_str(r, "$ref", ref);
	free(ref);
	oa_set(responses, key, r);
}

/* components.responses: the runtime errors in use, sorted by name. */
static json_object *oa_error_responses(struct oa *oa)
{
	size_t idx[sizeof oa_errors / sizeof *oa_errors], n = 0;
	json_object *o = oa_obj();

	for (size_t i = 0; i < sizeof oa_errors / sizeof *oa_errors; i++)
		if (oa->error_used[i])
			idx[n++] = i;
	for (size_t i = 1; i < n; i++) /* insertion sort of at most nine */
		for (size_t j = i; j > 0 && strcmp(oa_errors[idx[j - 1]].name,
						   oa_errors[idx[j]].name) > 0; j--) {
			size_t t = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		oa_set(o, oa_errors[idx[i]].name,
		       oa_error_response(oa, oa_errors[idx[i]].description));
	return o;
}

static int oa_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The members of `o` sorted by key (statuses: three digits each, so text
 * order is numeric order); `o` is released. */
static json_object *oa_sort_keys(json_object *o)
{
	size_t n = (size_t)json_object_object_length(o), i = 0;
	const char **keys = calloc(n ? n : 1, sizeof *keys);
	json_object *sorted = oa_obj();

	if (!keys)
		oa_oom();
	json_object_object_foreach(o, key, val) {
		(void)val;
		keys[i++] = key;
	}
	qsort(keys, n, sizeof *keys, oa_str_cmp);
	for (i = 0; i < n; i++) {
		json_object *member;

		json_object_object_get_ex(o, keys[i], &member);
		oa_set(sorted, keys[i], json_object_get(member));
	}
	free(keys);
	json_object_put(o);
	return sorted;
}

static void oa_add_tag(struct oa *oa, const char *name)
{
	json_object *t;
	size_t n = json_object_array_length(oa->tags);

	for (size_t i = 0; i < n; i++) {
		json_object *name_o;

		json_object_object_get_ex(json_object_array_get_idx(oa->tags, i), "name", &name_o);
		if (strcmp(json_object_get_string(name_o), name) == 0)
			return;
	}
	t = oa_obj();
	oa_set_str(t, "name", name);
	oa_push(oa->tags, t);
}

/* A header the runtime writes because of `cache` or `etag`. */
static void oa_caching_header(json_object *ro, const char *name, const char *description,
			      const char *value)
{
	json_object *hs, *h = oa_obj(), *schema = oa_obj();

	if (!json_object_object_get_ex(ro, "headers", &hs)) {
		hs = oa_obj();
		oa_set(ro, "headers", hs);
	}
	oa_set_str(h, "description", description);
	oa_set_str(schema, "type", "string");
	if (value)
		oa_set_str(schema, "const", value);
	oa_set(h, "schema", schema);
	oa_set_bool(h, "required", true);
	oa_set(hs, name, h);
}

/* `cache` and `etag`: Cache-Control on every 2xx reply, ETag on the 200, a
 * 304 for If-None-Match (a header parameter, so clients can send it). */
static void oa_caching(const struct ast_op *op, json_object *o, json_object *responses)
{
	json_object_object_foreach(responses, key, ro) {
		if (key[0] != '2')
			continue;
		if (op->cache_control)
			oa_caching_header(ro, "Cache-Control", "How caches may keep this reply.",
					  op->cache_control);
		if (op->etag && strcmp(key, "200") == 0)
			oa_caching_header(ro, "ETag", "The entity tag of this reply, for If-None-Match.", NULL);
	}
	if (!op->etag)
		return;
	json_object *nm = oa_obj();
	oa_set_str(nm, "description", "Not Modified: the reply would have the entity tag sent in If-None-Match.");
	oa_caching_header(nm, "ETag", "The entity tag of the current reply.", NULL);
	if (op->cache_control)
		oa_caching_header(nm, "Cache-Control", "How caches may keep this reply.", op->cache_control);
	oa_set(responses, "304", nm);
	json_object *params, *p = oa_obj(), *schema = oa_obj();
	if (!json_object_object_get_ex(o, "parameters", &params)) {
		params = oa_arr();
		oa_set(o, "parameters", params);
	}
	oa_set_str(p, "name", "If-None-Match");
	oa_set_str(p, "in", "header");
	oa_set_str(p, "description", "Entity tags of replies the client has; the current one gives 304.");
	oa_set_str(schema, "type", "string");
	oa_set(p, "schema", schema);
	oa_push(params, p);
}

static json_object *oa_operation(struct oa *oa, const struct ast_op *op)
{
	json_object *o = oa_obj(), *responses = oa_obj();
	const struct ast_auth *auth = &op->eff_auth;
	bool has_params = op->params != NULL, has_path = false;
	bool authed = auth->scheme && !auth->none;
	/* the runtime reads the query for the key: undecodable text there is 422 */
	bool query_key = authed && auth->scheme->kind == SEC_APIKEY && auth->scheme->in == IN_QUERY;

	for (const struct ast_param *p = op->params; p; p = p->next)
		has_path |= p->in == IN_PATH;

	if (op->tags) {
		json_object *tags = oa_arr();

		for (const struct ast_tag_ref *t = op->tags; t; t = t->next) {
			oa_push(tags, oa_str(t->name));
			oa_add_tag(oa, t->name);
		}
		oa_set(o, "tags", tags);
	}
	oa_set_str(o, "summary", op->summary);
	oa_set_str(o, "description", op->doc);
	oa_set_str(o, "operationId", op->id);
	if (op->deprecated)
		oa_set_bool(o, "deprecated", true);
	if (has_params) {
		json_object *params = oa_arr();

		for (const struct ast_param *p = op->params; p; p = p->next)
			oa_push(params, oa_param(oa, p));
		oa_set(o, "parameters", params);
	}
	if (op->body) {
		json_object *rb = oa_obj();

		oa_set_bool(rb, "required", !op->body_optional);
		oa_content(rb, "application/json", oa_type(oa, op->body, OA_REQUEST));
		oa_set(o, "requestBody", rb);
	}

	for (const struct ast_response *r = op->responses; r; r = r->next) {
		const char *why = r->description ? r->description : oa_reason(r->status);
		json_object *ro;
		char key[8];

		if (ast_response_is_error(r)) {
			/* its reply function sends the API's error shape */
			ro = oa_error_response(oa, why);
		} else {
			ro = oa_obj();
			oa_set_str(ro, "description", why);
			if (r->type)
				oa_content(ro, "application/json",
					   oa_type(oa, r->type, OA_RESPONSE));
		}
		oa_response_headers(oa, ro, r);
		snprintf(key, sizeof key, "%d", r->status);
		oa_set(responses, key, ro);
	}
	/* Every status the runtime itself can answer once a request is routed
	 * here (docs/openapi.md, "Errors the runtime sends"). */
	if (op->body) {
		oa_runtime_error(oa, responses, op, 400);
		oa_runtime_error(oa, responses, op, 415);
	}
	/* Content-Length is checked before the body is read, body or not. */
	oa_runtime_error(oa, responses, op, 413);
	if (has_params || op->body || query_key)
		oa_runtime_error(oa, responses, op, 422);
	if (authed) {
		oa_runtime_error(oa, responses, op, 401);
		oa_runtime_error(oa, responses, op, 403);
	}
	/* "/pets/" is no request for getPet: empty segments never match */
	if (has_path)
		oa_runtime_error(oa, responses, op, 404);
	oa_runtime_error(oa, responses, op, 500);
	oa_runtime_error(oa, responses, op, 501);
	oa_caching(op, o, responses);
	oa_set(o, "responses", oa_sort_keys(responses));

	if (op->auth.set)
		oa_set(o, "security", oa_requirement(&op->auth));
	return o;
}

static json_object *oa_paths(struct oa *oa)
{
	json_object *paths = oa_obj();

	for (const struct ast_op *op = oa->s->ops; op; op = op->next) {
		json_object *item;

		if (!json_object_object_get_ex(paths, op->path, &item)) {
			item = oa_obj();
			oa_set(paths, op->path, item);
		}
		oa_set(item, oa_method_name(op->method), oa_operation(oa, op));
	}
	return paths;
}

/* ---- the document ---------------------------------------------------------- */

/* The servers: the declared ones, after a relative URL when none is
 * relative. The document is served by the server it describes, and "Try it
 * out" must reach that server whatever host and port it runs on (an
 * absolute http://127.0.0.1:8080 is wrong as soon as it runs elsewhere). */
static json_object *oa_servers(const struct ast_service *svc)
{
	json_object *a = oa_arr(), *o;
	const char *base = svc->basepath ? svc->basepath : "";
	bool relative = false;

	for (const struct ast_server *srv = svc->servers; srv; srv = srv->next)
		relative |= strstr(srv->url, "://") == NULL && strncmp(srv->url, "//", 2) != 0;
	if (!relative) {
		o = oa_obj();
		oa_set_str(o, "url", base[0] ? base : "/");
		oa_set_str(o, "description", "the server that serves this document");
		oa_push(a, o);
	}
	for (const struct ast_server *srv = svc->servers; srv; srv = srv->next) {
		size_t n = strlen(srv->url);
		char *url;

		/* "http://h/" + "/api" must not become "http://h//api" */
		if (n && srv->url[n - 1] == '/' && base[0] == '/') {
			url = oa_strcat(srv->url, base + 1);
		} else {
			url = oa_strcat(srv->url, base);
		}
		o = oa_obj();
		oa_set_str(o, "url", url);
		oa_set_str(o, "description", srv->description);
		oa_push(a, o);
		free(url);
	}
	return a;
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

static json_object *oa_info_description(const struct ast_service *svc)
{
	const char *own = svc->description ? svc->description : svc->doc;
	char *text;
	json_object *o;

	if (!own)
		return oa_str(oa_any_path_note);
	text = malloc(strlen(own) + sizeof oa_any_path_note + 2);
	if (!text)
		oa_oom();
	sprintf(text, "%s\n\n%s", own, oa_any_path_note);
	o = oa_str(text);
	free(text);
	return o;
}

/* json-c prints an empty container over two lines ("[\n    ]"): make it
 * "[]". Strings never hold a raw newline (json-c escapes it), so a '[' or
 * '{' followed by a newline is always structural. Returns the new length. */
static size_t oa_collapse_empty(char *s, size_t n)
{
	size_t r = 0, w = 0;

	while (r < n) {
		char c = s[r++];

		s[w++] = c;
		if ((c == '[' || c == '{') && r < n && s[r] == '\n') {
			size_t k = r + 1;

			while (k < n && s[k] == ' ')
				k++;
			if (k < n && s[k] == (c == '[' ? ']' : '}')) {
				s[w++] = s[k];
				r = k + 1;
			}
		}
	}
	return w;
}

char *emit_openapi(const struct ast_schema *s, struct diag_ctx *d)
{
	struct oa oa = { .s = s };
	const struct ast_service *svc = s->service;
	json_object *root, *info, *components, *paths, *errors;
	const char *text;
	size_t len;
	char *out;

	if (!svc) {
		diag_fatal(d, "the schema declares no service");
		return NULL;
	}
	oa.problem = oa_free_name(s, "Problem", "apic.Problem");
	oa.violation = oa_free_name(s, "Violation", "apic.Violation");
	oa.tags = oa_arr();
	oa_compute_split(&oa);
	for (const struct ast_op *op = s->ops; op; op = op->next)
		if (op->body)
			oa_mark_input(&oa, op->body);

	root = oa_obj();
	oa_set_str(root, "openapi", "3.1.0");
	info = oa_obj();
	oa_set_str(info, "title", svc->title);
	oa_set_str(info, "version", svc->version);
	oa_set(info, "description", oa_info_description(svc));
	oa_set(root, "info", info);
	oa_set(root, "servers", oa_servers(svc));
	/* always written: [] says "no auth unless an operation asks for it" */
	oa_set(root, "security", oa_requirement(&svc->auth));
	paths = oa_paths(&oa);   /* before tags and components: it collects both */
	if (json_object_array_length(oa.tags))
		oa_set(root, "tags", oa.tags);
	else
		json_object_put(oa.tags);
	oa_set(root, "paths", paths);
	components = oa_obj();
	errors = oa_error_responses(&oa); /* before schemas: it may use Problem */
	oa_set(components, "schemas", oa_schemas(&oa));
	if (json_object_object_length(errors))
		oa_set(components, "responses", errors);
	else
		json_object_put(errors);
	if (s->securities)
		oa_set(components, "securitySchemes", oa_security_schemes(&oa));
	oa_set(root, "components", components);

	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		oa_oom();
	len = strlen(text);
	out = malloc(len + 2);
	if (!out)
		oa_oom();
	memcpy(out, text, len);
	len = oa_collapse_empty(out, len);
	out[len] = '\n';
	out[len + 1] = '\0';
	json_object_put(root);
	free(oa.models);
	free(oa.split);
	free(oa.input_used);
	return out;
}
