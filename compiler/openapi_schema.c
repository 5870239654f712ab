/* The OpenAPI document's schemas: of types, models, enums, and the
 * runtime's error shape (see openapi_int.h).
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
 * NAME-Input is emitted only when a request body (or a WebSocket's
 * `receive` message) reaches it. Other models are one schema used both
 * ways. '-' cannot occur in a schema name, so the view names never clash
 * with the user's.
 *
 * Integers: the decoder rejects values that do not fit int32/int64, so those
 * schemas carry the range as minimum/maximum on each side the user left open
 * (a validator then agrees with the decoder without knowing `format`). The
 * int64 range starts at INT64_MIN + 1: integers below INT64_MIN reach the
 * decoder as doubles, -2^63 among them, so it rejects that value too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apic_gen.h"
#include "openapi_int.h"

void oa_oom(void)
{
	fputs("apic: out of memory\n", stderr);
	exit(3);
}

void *oa_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		oa_oom();
	return p;
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

/* The model a field's values are made of, through arrays and maps. */
static const struct ast_model *oa_inner_model(const struct ast_type *t)
{
	while (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP)
		t = t->elem;
	return t->kind == TYPE_NAMED ? t->model : NULL;
}

/* A model's views differ when it has a readonly or writeonly field or uses a
 * model whose views differ: the models that reach a readonly or writeonly
 * field through the "is used by" edges, walked once each (models may cycle). */
static void oa_compute_split(struct oa *oa)
{
	size_t n = oa->nmodels, nedges = 0, top = 0;
	size_t *first = oa_calloc(n + 1, sizeof *first), *fill, *users, *stack;

	/* users[first[j] .. first[j + 1]): the models with a field of model j */
	for (size_t i = 0; i < n; i++)
		for (const struct ast_field *f = oa->models[i]->fields; f; f = f->next) {
			size_t j = oa_model_index(oa, oa_inner_model(f->type));

			if (j != (size_t)-1) {
				first[j + 1]++;
				nedges++;
			}
		}
	for (size_t j = 0; j < n; j++)
		first[j + 1] += first[j];
	fill = oa_calloc(n, sizeof *fill);
	users = oa_calloc(nedges, sizeof *users);
	stack = oa_calloc(n, sizeof *stack);
	for (size_t i = 0; i < n; i++)
		for (const struct ast_field *f = oa->models[i]->fields; f; f = f->next) {
			size_t j = oa_model_index(oa, oa_inner_model(f->type));

			if (j != (size_t)-1)
				users[first[j] + fill[j]++] = i;
		}

	for (size_t i = 0; i < n; i++)
		for (const struct ast_field *f = oa->models[i]->fields; f; f = f->next)
			if ((f->readonly || f->writeonly) && !oa->split[i]) {
				oa->split[i] = true;
				stack[top++] = i;
			}
	while (top) {
		size_t j = stack[--top];

		for (size_t k = first[j]; k < first[j + 1]; k++)
			if (!oa->split[users[k]]) {
				oa->split[users[k]] = true;
				stack[top++] = users[k];
			}
	}
	free(first);
	free(fill);
	free(users);
	free(stack);
}

/* Marks the request views a request body or a WebSocket's received message
 * reaches (both are decoded as requests: readonly fields are rejected), so
 * that only those are emitted (an unused NAME-Input would be noise). Only
 * split models have a request view, and a model that is not split uses no
 * split model. */
static void oa_mark_input(struct oa *oa, const struct ast_type *t)
{
	const struct ast_type *in = t;

	while (in->kind == TYPE_ARRAY || in->kind == TYPE_MAP)
		in = in->elem;
	if (in->kind == TYPE_NAMED && in->uni) {
		oa_union_mark_input(oa, in->uni, oa_mark_input);
		return;
	}
	const struct ast_model *m = oa_inner_model(t);
	size_t i = m ? oa_model_index(oa, m) : (size_t)-1;

	if (i == (size_t)-1 || !oa->split[i] || oa->input_used[i])
		return;
	oa->input_used[i] = true;
	for (const struct ast_field *f = m->fields; f; f = f->next)
		if (!f->readonly)
			oa_mark_input(oa, f->type);
}

void oa_views(struct oa *oa)
{
	size_t n = 0;

	for (const struct ast_model *m = oa->s->models; m; m = m->next)
		n++;
	oa->models = oa_calloc(n, sizeof *oa->models);
	oa->split = oa_calloc(n, sizeof *oa->split);
	oa->input_used = oa_calloc(n, sizeof *oa->input_used);
	n = 0;
	for (const struct ast_model *m = oa->s->models; m; m = m->next)
		oa->models[n++] = m;
	oa->nmodels = n;
	qsort(oa->models, n, sizeof *oa->models, oa_ptr_cmp);
	oa_compute_split(oa);
	oa_union_views(oa);
	for (const struct ast_op *op = oa->s->ops; op; op = op->next) {
		if (op->body)
			oa_mark_input(oa, op->body);
		if (op->ws_in)
			oa_mark_input(oa, op->ws_in);
	}
}

bool oa_model_split(const struct oa *oa, const struct ast_model *m)
{
	return oa_split(oa, m);
}

bool oa_model_input_used(const struct oa *oa, const struct ast_model *m)
{
	size_t i = oa_model_index(oa, m);

	return i != (size_t)-1 && oa->input_used[i];
}

void oa_views_free(struct oa *oa)
{
	free(oa->models);
	free(oa->split);
	free(oa->input_used);
	free(oa->unions);
	free(oa->uni_split);
	free(oa->uni_input);
}

void oa_ref_member(struct oa *oa, const char *name, const struct ast_model *m,
		   enum oa_view view)
{
	struct out_buf *b = &oa->scratch;

	b->len = 0;
	out_puts(b, "#/components/schemas/");
	out_puts(b, name);
	if (m && view == OA_REQUEST && oa_split(oa, m))
		out_puts(b, "-Input");
	if (b->oom)
		oa_oom();
	jw_key(&oa->w, "$ref");
	jw_str_len(&oa->w, b->p, b->len);
}

void oa_ref(struct oa *oa, const char *name, const struct ast_model *m, enum oa_view view)
{
	jw_obj(&oa->w);
	oa_ref_member(oa, name, m, view);
	jw_obj_end(&oa->w);
}

/* ---- values, types and constraints --------------------------------------- */

/* A number literal as the user wrote it (the spelling survives in the
 * output: `1e3` stays `1e3`, `0.1` does not become 0.10000000000000001). */
static void oa_number(struct oa *oa, const struct ast_number *n)
{
	if (n->is_int)
		jw_int(&oa->w, n->i);
	else
		jw_raw(&oa->w, n->text);
}

void oa_value(struct oa *oa, const struct ast_value *v)
{
	switch (v->kind) {
	case VAL_NULL:
		jw_null(&oa->w);
		return;
	case VAL_BOOL:
		jw_bool(&oa->w, v->b);
		return;
	case VAL_NUMBER:
		oa_number(oa, &v->num);
		return;
	case VAL_STRING:
		jw_str_len(&oa->w, v->str, v->len);
		return;
	case VAL_IDENT:
		jw_str(&oa->w, v->member ? v->member->name : v->str);
		return;
	case VAL_ARRAY:
		jw_arr(&oa->w);
		for (const struct ast_value *e = v->items; e; e = e->next)
			oa_value(oa, e);
		jw_arr_end(&oa->w);
		return;
	case VAL_OBJECT:
		jw_obj(&oa->w);
		for (const struct ast_value *e = v->items; e; e = e->next) {
			jw_key(&oa->w, e->key);
			oa_value(oa, e);
		}
		jw_obj_end(&oa->w);
		return;
	}
}

static void oa_count(struct oa *oa, const char *key, const struct ast_count *c)
{
	if (c->set)
		jw_kint(&oa->w, key, (int64_t)c->n);
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
static void oa_bound(struct oa *oa, const struct ast_bound *b, bool is_max, enum ast_prim prim)
{
	bool isint = prim == PRIM_INT32 || prim == PRIM_INT64;
	int64_t lim = prim == PRIM_INT32 ? (is_max ? INT32_MAX : INT32_MIN)
					 : (is_max ? INT64_MAX : INT64_MIN + 1);

	if (b->set && (!isint || oa_within(&b->num, is_max, lim))) {
		if (b->exclusive)
			jw_key(&oa->w, is_max ? "exclusiveMaximum" : "exclusiveMinimum");
		else
			jw_key(&oa->w, is_max ? "maximum" : "minimum");
		oa_number(oa, &b->num);
	} else if (isint) {
		jw_kint(&oa->w, is_max ? "maximum" : "minimum", lim);
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
	case FMT_IPV4:
		return "ipv4";
	case FMT_IPV6:
		return "ipv6";
	case FMT_HOSTNAME:
		return "hostname";
	case FMT_URI_REFERENCE:
		return "uri-reference";
	case FMT_BINARY:
		return "binary";
	}
	return NULL;
}

/* "type" as a string, or ["T", "null"] when nullable. */
static void oa_type_name(struct oa *oa, const char *type, bool nullable)
{
	jw_key(&oa->w, "type");
	if (!nullable) {
		jw_str(&oa->w, type);
		return;
	}
	jw_arr(&oa->w);
	jw_str(&oa->w, type);
	jw_str(&oa->w, "null");
	jw_arr_end(&oa->w);
}

/* A $ref, or anyOf [$ref, null] when nullable, for models and enums. */
void oa_type_members(struct oa *oa, const struct ast_type *t, enum oa_view view,
		     bool nullable)
{
	const struct ast_constraints *c = &t->c;
	struct json_writer *w = &oa->w;

	switch (t->kind) {
	case TYPE_NAMED:
		if (!nullable) {
			if (t->uni)
				oa_union_ref_member(oa, t->uni, view);
			else
				oa_ref_member(oa, t->name, t->model, view);
			return;
		}
		jw_key(w, "anyOf");
		jw_arr(w);
		if (t->uni) {
			jw_obj(w);
			oa_union_ref_member(oa, t->uni, view);
			jw_obj_end(w);
		} else
			oa_ref(oa, t->name, t->model, view);
		jw_obj(w);
		jw_kstr(w, "type", "null");
		jw_obj_end(w);
		jw_arr_end(w);
		return;
	case TYPE_ARRAY:
		oa_type_name(oa, "array", nullable);
		jw_key(w, "items");
		oa_type(oa, t->elem, view);
		oa_count(oa, "minItems", &c->minitems);
		oa_count(oa, "maxItems", &c->maxitems);
		if (c->unique)
			jw_kbool(w, "uniqueItems", true);
		return;
	case TYPE_MAP:
		oa_type_name(oa, "object", nullable);
		jw_key(w, "additionalProperties");
		oa_type(oa, t->elem, view);
		oa_count(oa, "minProperties", &c->minprops);
		oa_count(oa, "maxProperties", &c->maxprops);
		return;
	case TYPE_PRIM:
		break;
	}
	switch (t->prim) {
	case PRIM_STRING:
		oa_type_name(oa, "string", nullable);
		oa_count(oa, "minLength", &c->minlen);
		oa_count(oa, "maxLength", &c->maxlen);
		jw_kstr(w, "pattern", c->pattern);
		jw_kstr(w, "format", oa_format_name(c->format));
		break;
	case PRIM_BOOL:
		oa_type_name(oa, "boolean", nullable);
		break;
	case PRIM_INT32:
	case PRIM_INT64:
		oa_type_name(oa, "integer", nullable);
		jw_kstr(w, "format", t->prim == PRIM_INT32 ? "int32" : "int64");
		oa_bound(oa, &c->min, false, t->prim);
		oa_bound(oa, &c->max, true, t->prim);
		break;
	case PRIM_NUMBER:
		oa_type_name(oa, "number", nullable);
		jw_kstr(w, "format", "double");
		oa_bound(oa, &c->min, false, t->prim);
		oa_bound(oa, &c->max, true, t->prim);
		break;
	}
}

void oa_type(struct oa *oa, const struct ast_type *t, enum oa_view view)
{
	jw_obj(&oa->w);
	oa_type_members(oa, t, view, false);
	jw_obj_end(&oa->w);
}

/* ---- models and enums ------------------------------------------------------ */

static void oa_examples(struct oa *oa, const struct ast_value *example)
{
	if (!example)
		return;
	jw_key(&oa->w, "examples");
	jw_arr(&oa->w);
	oa_value(oa, example);
	jw_arr_end(&oa->w);
}

static void oa_field(struct oa *oa, const struct ast_field *f, enum oa_view view)
{
	struct json_writer *w = &oa->w;

	jw_obj(w);
	jw_kstr(w, "description", f->doc);
	oa_type_members(oa, f->type, view, f->nullable);
	if (f->deprecated)
		jw_kbool(w, "deprecated", true);
	if (f->readonly)
		jw_kbool(w, "readOnly", true);
	if (f->writeonly)
		jw_kbool(w, "writeOnly", true);
	if (f->def) {
		jw_key(w, "default");
		oa_value(oa, f->def);
	}
	oa_examples(oa, f->example);
	jw_obj_end(w);
}

static bool oa_hidden(const struct ast_field *f, enum oa_view view)
{
	return view == OA_REQUEST ? f->readonly : f->writeonly;
}

static void oa_model(struct oa *oa, const struct ast_model *m, enum oa_view view)
{
	struct json_writer *w = &oa->w;
	bool props = false, required = false;

	for (const struct ast_field *f = m->fields; f; f = f->next) {
		bool hidden = oa_hidden(f, view);

		props |= !hidden || (m->open && view == OA_REQUEST);
		required |= !hidden && !f->optional;
	}
	jw_obj(w);
	jw_kstr(w, "type", "object");
	jw_kstr(w, "description", m->doc);
	if (m->deprecated)
		jw_kbool(w, "deprecated", true);
	if (props) {
		jw_key(w, "properties");
		jw_obj(w);
		for (const struct ast_field *f = m->fields; f; f = f->next) {
			if (!oa_hidden(f, view)) {
				jw_key(w, f->name);
				oa_field(oa, f, view);
			} else if (m->open && view == OA_REQUEST) {
				/* Unknown properties of an open model are
				 * allowed: say explicitly that this one is not. */
				jw_kbool(w, f->name, false);
			}
		}
		jw_obj_end(w);
	}
	if (required) {
		jw_key(w, "required");
		jw_arr(w);
		for (const struct ast_field *f = m->fields; f; f = f->next)
			if (!oa_hidden(f, view) && !f->optional)
				jw_str(w, f->name);
		jw_arr_end(w);
	}
	if (!m->open)
		jw_kbool(w, "additionalProperties", false);
	oa_examples(oa, m->example);
	jw_obj_end(w);
}

static void oa_enum(struct oa *oa, const struct ast_enum *e)
{
	struct out_buf *b = &oa->scratch;
	struct json_writer *w = &oa->w;
	bool member_docs = false;

	b->len = 0;
	if (e->doc)
		out_puts(b, e->doc);
	for (const struct ast_enum_member *m = e->members; m; m = m->next) {
		if (!m->doc)
			continue;
		/* member docs as a list after the enum's own doc */
		out_printf(b, "%s- `%s`: %s", b->len == 0 ? "" : member_docs ? "\n" : "\n\n",
			   m->name, m->doc);
		member_docs = true;
	}
	if (b->oom)
		oa_oom();
	jw_obj(w);
	jw_kstr(w, "type", "string");
	if (b->len) {
		jw_key(w, "description");
		jw_str_len(w, b->p, b->len);
	}
	jw_key(w, "enum");
	jw_arr(w);
	for (const struct ast_enum_member *m = e->members; m; m = m->next)
		jw_str(w, m->name);
	jw_arr_end(w);
	jw_obj_end(w);
}

/* ---- the runtime's error shape ------------------------------------------------ */

/* The start of a property {"type": T, "description": D} of the runtime's
 * error schemas; the caller adds to it and closes it. */
static void oa_prop(struct oa *oa, const char *name, const char *type, const char *doc)
{
	jw_key(&oa->w, name);
	jw_obj(&oa->w);
	jw_kstr(&oa->w, "type", type);
	jw_kstr(&oa->w, "description", doc);
}

static void oa_names(struct oa *oa, const char *key, const char *const *names, size_t n)
{
	jw_key(&oa->w, key);
	jw_arr(&oa->w);
	for (size_t i = 0; i < n; i++)
		jw_str(&oa->w, names[i]);
	jw_arr_end(&oa->w);
}

/* The runtime's RFC 9457 problem details, as runtime/violation.c renders
 * them, and the items of its "errors" (codes from apic_gen.h). */
static void oa_problem(struct oa *oa)
{
	static const char *const req[] = { "type", "title", "status", "detail" };
	struct json_writer *w = &oa->w;

	jw_obj(w);
	jw_kstr(w, "type", "object");
	jw_kstr(w, "description", "An error as RFC 9457 problem details (application/problem+json).");
	jw_key(w, "properties");
	jw_obj(w);
	oa_prop(oa, "type", "string", "Always \"about:blank\": the status says it all.");
	jw_obj_end(w);
	oa_prop(oa, "title", "string", "The reason phrase of the status.");
	jw_obj_end(w);
	oa_prop(oa, "status", "integer", "The HTTP status code.");
	jw_kint(w, "minimum", 400);
	jw_kint(w, "maximum", 599);
	jw_obj_end(w);
	oa_prop(oa, "detail", "string", "What went wrong with this request.");
	jw_obj_end(w);
	oa_prop(oa, "offset", "integer",
		"Malformed JSON (400): the byte of the body where parsing stopped.");
	jw_kint(w, "minimum", 0);
	jw_obj_end(w);
	oa_prop(oa, "errors", "array", "Every violation found in the request (422), possibly capped.");
	jw_key(w, "items");
	oa_ref(oa, oa->violation, NULL, OA_RESPONSE);
	jw_obj_end(w);
	jw_obj_end(w);
	oa_names(oa, "required", req, sizeof req / sizeof *req);
	jw_obj_end(w);
}

static void oa_violation(struct oa *oa)
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
	struct json_writer *w = &oa->w;

	jw_obj(w);
	jw_kstr(w, "type", "object");
	jw_kstr(w, "description", "One violation of the schema by the request.");
	jw_key(w, "properties");
	jw_obj(w);
	oa_prop(oa, "location", "string", "Where the value is.");
	oa_names(oa, "enum", where, sizeof where / sizeof *where);
	jw_obj_end(w);
	oa_prop(oa, "pointer", "string",
		"In the body: a JSON pointer to the value (\"\" for the body itself).");
	jw_obj_end(w);
	oa_prop(oa, "name", "string", "In a parameter: the parameter's name.");
	jw_obj_end(w);
	oa_prop(oa, "code", "string", "A stable machine code; see libapic(3).");
	oa_names(oa, "enum", codes, sizeof codes / sizeof *codes);
	jw_obj_end(w);
	oa_prop(oa, "message", "string", "A message for people.");
	jw_obj_end(w);
	jw_obj_end(w);
	oa_names(oa, "required", req, sizeof req / sizeof *req);
	jw_obj_end(w);
}

/* ---- components.schemas ---------------------------------------------------- */

enum oa_entry_kind {
	OA_ENUM,
	OA_MODEL,
	OA_MODEL_INPUT,
	OA_PROBLEM,
	OA_VIOLATION,
	OA_UNION,
	OA_UNION_INPUT,
};

struct oa_entry {
	const char *name, *suffix;  /* the component's name is both joined */
	enum oa_entry_kind kind;
	const void *node;
};

/* strcmp() of the joined names, without joining them. */
static int oa_entry_cmp(const void *a, const void *b)
{
	const struct oa_entry *x = a, *y = b;
	const char *p = x->name, *ps = x->suffix, *q = y->name, *qs = y->suffix;

	for (;; p++, q++) {
		if (!*p)
			p = ps, ps = "";
		if (!*q)
			q = qs, qs = "";
		if (*p != *q || !*p)
			return (unsigned char)*p < (unsigned char)*q ? -1 : *p != *q;
	}
}

void oa_schemas(struct oa *oa)
{
	size_t n = 2 * oa->nmodels + 2 * oa->nunions + 2;
	struct oa_entry *e;

	for (const struct ast_enum *en = oa->s->enums; en; en = en->next)
		n++;
	e = oa_calloc(n, sizeof *e);
	n = 0;
	for (const struct ast_enum *en = oa->s->enums; en; en = en->next)
		e[n++] = (struct oa_entry){ en->name, "", OA_ENUM, en };
	for (const struct ast_model *m = oa->s->models; m; m = m->next) {
		e[n++] = (struct oa_entry){ m->name, "", OA_MODEL, m };
		if (oa->input_used[oa_model_index(oa, m)])
			e[n++] = (struct oa_entry){ m->name, "-Input", OA_MODEL_INPUT, m };
	}
	for (size_t i = 0; i < oa->nunions; i++) {
		e[n++] = (struct oa_entry){ oa->unions[i]->name, "", OA_UNION, oa->unions[i] };
		if (oa->uni_input[i])
			e[n++] = (struct oa_entry){ oa->unions[i]->name, "-Input", OA_UNION_INPUT,
						    oa->unions[i] };
	}
	if (oa->problem_used) {
		e[n++] = (struct oa_entry){ oa->problem, "", OA_PROBLEM, NULL };
		e[n++] = (struct oa_entry){ oa->violation, "", OA_VIOLATION, NULL };
	}
	qsort(e, n, sizeof *e, oa_entry_cmp);
	jw_obj(&oa->w);
	for (size_t i = 0; i < n; i++) {
		struct out_buf *b = &oa->scratch;

		b->len = 0;
		out_puts(b, e[i].name);
		out_puts(b, e[i].suffix);
		if (b->oom)
			oa_oom();
		jw_key(&oa->w, b->p);
		switch (e[i].kind) {
		case OA_ENUM:
			oa_enum(oa, e[i].node);
			break;
		case OA_MODEL:
			oa_model(oa, e[i].node, OA_RESPONSE);
			break;
		case OA_MODEL_INPUT:
			oa_model(oa, e[i].node, OA_REQUEST);
			break;
		case OA_PROBLEM:
			oa_problem(oa);
			break;
		case OA_VIOLATION:
			oa_violation(oa);
			break;
		case OA_UNION:
			oa_union(oa, e[i].node, OA_RESPONSE);
			break;
		case OA_UNION_INPUT:
			oa_union(oa, e[i].node, OA_REQUEST);
			break;
		}
	}
	jw_obj_end(&oa->w);
	free(e);
}
