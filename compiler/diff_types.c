/* apic diff: types, constraints, models and enums. Each change is judged
 * by the directions its model or type travels in (diff_int.h): what
 * narrows a request breaks old clients, what widens a response does. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "diff_int.h"

/* ---- where models and enums travel ---- */

/* The map's values are pointers to unsigned, so they can be updated. */
static unsigned *use_box(struct arena *a, struct strmap *m, const char *name)
{
	unsigned *b = strmap_get(m, name);
	if (!b) {
		b = arena_alloc(a, sizeof *b);
		strmap_put(m, name, b);
	}
	return b;
}

struct use {
	struct arena *a;
	struct strmap *m;
};

static void use_walk(struct use *u, const struct ast_type *t, unsigned dir)
{
	for (; t; t = t->elem) {
		if (t->kind != TYPE_NAMED)
			continue;
		const char *name = t->model ? t->model->name : t->enm ? t->enm->name
				 : t->uni ? t->uni->name : NULL;
		if (!name)
			return;
		unsigned *b = use_box(u->a, u->m, name);
		if ((*b & dir) == dir)
			return;
		*b |= dir;
		if (t->uni)
			for (const struct ast_branch *br = t->uni->branches; br; br = br->next)
				use_walk(u, br->type, dir);
		if (t->model)
			for (const struct ast_field *f = t->model->fields; f; f = f->next) {
				/* readonly fields are never read, writeonly never sent */
				unsigned fd = dir & ((f->readonly ? 0u : DIR_REQ) | (f->writeonly ? 0u : DIR_RESP));
				if (fd)
					use_walk(u, f->type, fd);
			}
		return;
	}
}

static void use_schema(struct arena *a, struct strmap *m, const struct ast_schema *s)
{
	struct use u = { a, m };
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		for (const struct ast_param *p = op->params; p; p = p->next)
			use_walk(&u, p->type, DIR_REQ);
		use_walk(&u, op->body, DIR_REQ);
		use_walk(&u, op->ws_in, DIR_REQ);
		use_walk(&u, op->ws_out, DIR_RESP);
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			use_walk(&u, r->type, DIR_RESP);
			for (const struct ast_param *h = r->headers; h; h = h->next)
				use_walk(&u, h->type, DIR_RESP);
		}
	}
	if (s->service && s->service->error_model) {
		unsigned *b = use_box(a, m, s->service->error_model->name);
		if (!(*b & DIR_RESP)) {
			struct ast_type t = { .kind = TYPE_NAMED, .model = s->service->error_model };
			use_walk(&u, &t, DIR_RESP);
		}
	}
}

void diff_usage(struct diff *d)
{
	d->ouse = strmap_new(d->a);
	d->nuse = strmap_new(d->a);
	use_schema(d->a, d->ouse, d->os);
	use_schema(d->a, d->nuse, d->ns);
}

unsigned diff_dirs(const struct diff *d, const char *name)
{
	const unsigned *o = strmap_get(d->ouse, name), *n = strmap_get(d->nuse, name);
	return (o ? *o : 0) | (n ? *n : 0);
}

/* ---- spelling ---- */

static const char *const prim_names[] = {
	[PRIM_STRING] = "string", [PRIM_BOOL] = "bool", [PRIM_INT32] = "int32",
	[PRIM_INT64] = "int64", [PRIM_NUMBER] = "number",
};

const char *diff_type_str(struct diff *d, const struct ast_type *t)
{
	switch (t->kind) {
	case TYPE_PRIM: return prim_names[t->prim];
	case TYPE_NAMED: return t->name;
	case TYPE_ARRAY: return arena_printf(d->a, "[%s]", diff_type_str(d, t->elem));
	case TYPE_MAP: return arena_printf(d->a, "map<%s>", diff_type_str(d, t->elem));
	}
	return "?";
}

bool diff_value_eq(const struct ast_value *a, const struct ast_value *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case VAL_NULL: return true;
	case VAL_BOOL: return a->b == b->b;
	case VAL_NUMBER: return a->num.d == b->num.d && a->num.is_int == b->num.is_int &&
			 (!a->num.is_int || a->num.i == b->num.i);
	case VAL_STRING: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
	case VAL_IDENT: return strcmp(a->str, b->str) == 0;
	case VAL_ARRAY:
	case VAL_OBJECT:
		break;
	}
	const struct ast_value *x = a->items, *y = b->items;
	for (; x && y; x = x->next, y = y->next)
		if ((x->key || y->key) && (!x->key || !y->key || strcmp(x->key, y->key) != 0))
			return false;
		else if (!diff_value_eq(x, y))
			return false;
	return !x && !y;
}

/* ---- constraints ---- */

static int num_cmp(const struct ast_number *a, const struct ast_number *b)
{
	if (a->is_int && b->is_int)
		return (a->i > b->i) - (a->i < b->i);
	return (a->d > b->d) - (a->d < b->d);
}

static const char *bound_str(struct diff *d, const struct ast_bound *b)
{
	if (!b->set)
		return "none";
	return b->exclusive ? arena_printf(d->a, "%s (exclusive)", b->num.text) : b->num.text;
}

/* A change of one constraint: narrowed (the type admits less), widened,
 * or changed both ways. */
enum cchange { C_SAME, C_NARROWED, C_WIDENED, C_CHANGED };

static void constraint(struct diff *d, unsigned dirs, const char *subject, struct apic_loc loc,
		       const char *what, enum cchange c, const char *from, const char *to)
{
	static const char *const codes[] = {
		[C_NARROWED] = "constraint-narrowed", [C_WIDENED] = "constraint-widened",
		[C_CHANGED] = "constraint-changed",
	};
	static const char *const verbs[] = {
		[C_NARROWED] = "narrowed", [C_WIDENED] = "widened", [C_CHANGED] = "changed",
	};
	if (c == C_SAME)
		return;
	enum diff_kind k = diff_kind_for(dirs, c != C_WIDENED, c != C_NARROWED);
	diff_add(d, k, false, loc, codes[c], arena_printf(d->a, "%s %s", subject, what),
		 "%s of %s %s: %s -> %s", what, subject, verbs[c], from, to);
}

/* A lower bound (min) when `lower`, else an upper one (max). */
static void bound(struct diff *d, unsigned dirs, const char *subject, struct apic_loc loc,
		  const char *what, const struct ast_bound *o, const struct ast_bound *n, bool lower)
{
	enum cchange c = C_SAME;
	if (o->set != n->set)
		c = n->set ? C_NARROWED : C_WIDENED;
	else if (o->set) {
		int cmp = num_cmp(&n->num, &o->num) * (lower ? 1 : -1);
		if (cmp > 0 || (cmp == 0 && n->exclusive && !o->exclusive))
			c = C_NARROWED;
		else if (cmp < 0 || (cmp == 0 && !n->exclusive && o->exclusive))
			c = C_WIDENED;
	}
	constraint(d, dirs, subject, loc, what, c, bound_str(d, o), bound_str(d, n));
}

static void count(struct diff *d, unsigned dirs, const char *subject, struct apic_loc loc,
		  const char *what, const struct ast_count *o, const struct ast_count *n, bool lower)
{
	enum cchange c = C_SAME;
	/* an unset lower count is 0, an unset upper one is no limit */
	uint64_t on = o->set ? o->n : lower ? 0 : UINT64_MAX, nn = n->set ? n->n : lower ? 0 : UINT64_MAX;
	if (nn != on)
		c = (nn > on) == lower ? C_NARROWED : C_WIDENED;
	constraint(d, dirs, subject, loc, what, c,
		   o->set ? arena_printf(d->a, "%llu", (unsigned long long)o->n) : "none",
		   n->set ? arena_printf(d->a, "%llu", (unsigned long long)n->n) : "none");
}

static const char *const format_names[] = {
	[FMT_NONE] = "none", [FMT_EMAIL] = "email", [FMT_UUID] = "uuid", [FMT_DATE] = "date",
	[FMT_DATE_TIME] = "date-time", [FMT_URI] = "uri", [FMT_PASSWORD] = "password",
	[FMT_IPV4] = "ipv4", [FMT_IPV6] = "ipv6", [FMT_HOSTNAME] = "hostname",
	[FMT_URI_REFERENCE] = "uri-reference", [FMT_BINARY] = "binary",
};

static void constraints(struct diff *d, unsigned dirs, const char *subject, struct apic_loc loc,
			const struct ast_constraints *o, const struct ast_constraints *n)
{
	bound(d, dirs, subject, loc, "min", &o->min, &n->min, true);
	bound(d, dirs, subject, loc, "max", &o->max, &n->max, false);
	count(d, dirs, subject, loc, "minlen", &o->minlen, &n->minlen, true);
	count(d, dirs, subject, loc, "maxlen", &o->maxlen, &n->maxlen, false);
	count(d, dirs, subject, loc, "minitems", &o->minitems, &n->minitems, true);
	count(d, dirs, subject, loc, "maxitems", &o->maxitems, &n->maxitems, false);
	count(d, dirs, subject, loc, "minprops", &o->minprops, &n->minprops, true);
	count(d, dirs, subject, loc, "maxprops", &o->maxprops, &n->maxprops, false);
	if (!o->pattern != !n->pattern || (o->pattern && strcmp(o->pattern, n->pattern) != 0))
		constraint(d, dirs, subject, loc, "pattern",
			   !o->pattern ? C_NARROWED : !n->pattern ? C_WIDENED : C_CHANGED,
			   o->pattern ? arena_printf(d->a, "\"%s\"", o->pattern) : "none",
			   n->pattern ? arena_printf(d->a, "\"%s\"", n->pattern) : "none");
	/* password and binary are documentation: they validate nothing */
	enum ast_format of = o->format == FMT_PASSWORD || o->format == FMT_BINARY ? FMT_NONE : o->format;
	enum ast_format nf = n->format == FMT_PASSWORD || n->format == FMT_BINARY ? FMT_NONE : n->format;
	if (of != nf)
		constraint(d, dirs, subject, loc, "format",
			   of == FMT_NONE ? C_NARROWED : nf == FMT_NONE ? C_WIDENED : C_CHANGED,
			   format_names[of], format_names[nf]);
	else if (o->format != n->format)
		diff_add(d, DIFF_DOCS, false, loc, "format-doc", arena_printf(d->a, "%s format", subject),
			 "format of %s: %s -> %s (documentation only)", subject,
			 format_names[o->format], format_names[n->format]);
	if (o->unique != n->unique)
		constraint(d, dirs, subject, loc, "unique", n->unique ? C_NARROWED : C_WIDENED,
			   o->unique ? "unique" : "none", n->unique ? "unique" : "none");
}

/* ---- enums ---- */

static const struct ast_enum_member *member(const struct ast_enum *e, const char *name)
{
	for (const struct ast_enum_member *m = e->members; m; m = m->next)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

/* A removed member breaks requests that send it; an added one, clients
 * that read it in a response. */
static void enum_pair(struct diff *d, unsigned dirs, const struct ast_enum *o,
		      const struct ast_enum *n)
{
	for (const struct ast_enum_member *m = o->members; m; m = m->next) {
		const struct ast_enum_member *nm = member(n, m->name);
		const char *subj = arena_printf(d->a, "%s.%s", n->name, m->name);
		if (!nm)
			diff_add(d, diff_kind_for(dirs, true, false), true, m->loc, "enum-member-removed",
				 subj, "member '%s' of enum %s was removed", m->name, n->name);
		else if (!m->doc != !nm->doc || (m->doc && strcmp(m->doc, nm->doc) != 0))
			diff_add(d, DIFF_DOCS, false, nm->loc, "doc-changed", subj,
				 "the documentation of %s changed", subj);
	}
	for (const struct ast_enum_member *m = n->members; m; m = m->next)
		if (!member(o, m->name))
			diff_add(d, diff_kind_for(dirs, false, true), false, m->loc, "enum-member-added",
				 arena_printf(d->a, "%s.%s", n->name, m->name),
				 "member '%s' was added to enum %s", m->name, n->name);
}

/* ---- models ---- */

static const struct ast_field *field(const struct ast_model *m, const char *name)
{
	for (const struct ast_field *f = m->fields; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* What a field's marks say about it in each direction. */
static unsigned views(const struct ast_field *f)
{
	return (f->readonly ? 0u : DIR_REQ) | (f->writeonly ? 0u : DIR_RESP);
}

static void field_pair(struct diff *d, unsigned dirs, const struct ast_model *nm,
		       const struct ast_field *o, const struct ast_field *n)
{
	const char *s = arena_printf(d->a, "%s.%s", nm->name, n->name);
	unsigned both = dirs & views(o) & views(n);
	struct apic_loc at = n->loc;
	if (!o->readonly && n->readonly)
		diff_add(d, diff_kind_for(dirs, true, false), false, at, "field-readonly", s,
			 "%s became readonly: a request that sends it is refused", s);
	if (o->readonly && !n->readonly)
		diff_add(d, diff_kind_for(dirs, !n->optional, false), false, at, "field-not-readonly", s,
			 "%s is no longer readonly: requests %s it", s, n->optional ? "may send" : "must send");
	if (!o->writeonly && n->writeonly)
		diff_add(d, diff_kind_for(dirs, false, true), false, at, "field-writeonly", s,
			 "%s became writeonly: responses no longer have it", s);
	if (o->writeonly && !n->writeonly)
		diff_add(d, DIFF_COMPATIBLE, false, at, "field-not-writeonly", s,
			 "%s is no longer writeonly: responses have it", s);
	if (o->optional && !n->optional)
		diff_add(d, diff_kind_for(both, true, false), false, at, "field-required", s,
			 "%s became required", s);
	if (!o->optional && n->optional)
		diff_add(d, diff_kind_for(both, false, true), false, at, "field-optional", s,
			 "%s became optional: responses may leave it out", s);
	if (!o->nullable && n->nullable)
		diff_add(d, diff_kind_for(both, false, true), false, at, "field-nullable", s,
			 "%s became nullable", s);
	if (o->nullable && !n->nullable)
		diff_add(d, diff_kind_for(both, true, false), false, at, "field-not-nullable", s,
			 "%s is no longer nullable", s);
	if (o->def && !diff_value_eq(o->def, n->def))
		diff_add(d, diff_kind_for(both, true, false), false, at, "default-changed", s,
			 "the default of %s %s: a request without it means something else",
			 s, n->def ? "changed" : "was removed");
	else if (!o->def && n->def)
		diff_add(d, DIFF_COMPATIBLE, false, at, "default-added", s, "%s got a default", s);
	diff_type(d, both, s, o->type, n->type);
	if (diff_text_differs(o->doc, n->doc))
		diff_add(d, DIFF_DOCS, false, at, "doc-changed", s, "the documentation of %s changed", s);
	if (o->deprecated != n->deprecated)
		diff_add(d, DIFF_DOCS, false, at, "deprecated", s, "%s is %s deprecated", s,
			 n->deprecated ? "now" : "no longer");
	if (!diff_value_eq(o->example, n->example))
		diff_add(d, DIFF_DOCS, false, at, "example-changed", s, "the example of %s changed", s);
}

/* Two models by their fields, in the directions `dirs`; named by the new one. */
static void model_pair(struct diff *d, unsigned dirs, const struct ast_model *o,
		       const struct ast_model *n)
{
	if (!o->open && n->open)
		diff_add(d, DIFF_COMPATIBLE, false, n->loc, "model-opened", n->name,
			 "%s became open: requests may send properties it does not declare", n->name);
	if (o->open && !n->open)
		diff_add(d, diff_kind_for(dirs, true, false), false, n->loc, "model-closed", n->name,
			 "%s is no longer open: a request with a property it does not declare is refused",
			 n->name);
	for (const struct ast_field *f = o->fields; f; f = f->next) {
		const struct ast_field *nf = field(n, f->name);
		if (nf) {
			field_pair(d, dirs, n, f, nf);
			continue;
		}
		unsigned v = dirs & views(f);
		diff_add(d, diff_kind_for(v, !n->open, true), true, f->loc, "field-removed",
			 arena_printf(d->a, "%s.%s", n->name, f->name),
			 "field '%s' of %s was removed", f->name, n->name);
	}
	for (const struct ast_field *f = n->fields; f; f = f->next) {
		if (field(o, f->name))
			continue;
		bool needed = !f->optional && !f->readonly;
		diff_add(d, diff_kind_for(dirs, needed, false), false, f->loc, "field-added",
			 arena_printf(d->a, "%s.%s", n->name, f->name),
			 needed ? "required field '%s' was added to %s: old requests lack it"
				: "field '%s' was added to %s", f->name, n->name);
	}
}

/* ---- types at a use site ---- */

static bool is_int(const struct ast_type *t)
{
	return t->prim == PRIM_INT32 || t->prim == PRIM_INT64;
}

/* Models or enums of different names at the same place: compared by their
 * members, once per pair and directions. */
static bool pair_done(struct diff *d, const char *o, const char *n, unsigned dirs)
{
	const char *key = arena_printf(d->a, "%s\x1f%s", o, n);
	unsigned *b = strmap_get(d->pairs, key);
	if (!b) {
		b = arena_alloc(d->a, sizeof *b);
		strmap_put(d->pairs, key, b);
	}
	if ((*b & dirs) == dirs && *b)
		return true;
	*b |= dirs;
	return false;
}

void diff_type(struct diff *d, unsigned dirs, const char *subject,
	       const struct ast_type *o, const struct ast_type *n)
{
	if (!o || !n)
		return;
	const char *os = diff_type_str(d, o), *ns = diff_type_str(d, n);
	bool same_kind = o->kind == n->kind && (o->kind != TYPE_PRIM || o->prim == n->prim) &&
			 (o->kind != TYPE_NAMED || (!o->model == !n->model && !o->uni == !n->uni));
	if (!same_kind) {
		bool wider = o->kind == TYPE_PRIM && n->kind == TYPE_PRIM && is_int(o) &&
			     (n->prim == PRIM_NUMBER || (o->prim == PRIM_INT32 && n->prim == PRIM_INT64));
		bool narrower = o->kind == TYPE_PRIM && n->kind == TYPE_PRIM && is_int(n) &&
				(o->prim == PRIM_NUMBER || (n->prim == PRIM_INT32 && o->prim == PRIM_INT64));
		diff_add(d, diff_kind_for(dirs, !wider, !narrower), false, n->loc, "type-changed",
			 subject, "the type of %s changed: %s -> %s", subject, os, ns);
		return;
	}
	switch (o->kind) {
	case TYPE_PRIM:
		break;
	case TYPE_NAMED:
		if (strcmp(o->name, n->name) == 0)
			break; /* the same model or enum: diff_models() compares it */
		diff_add(d, DIFF_COMPATIBLE, false, n->loc, "type-renamed", subject,
			 "%s is now %s instead of %s (compared member by member)", subject, ns, os);
		if (!dirs || pair_done(d, o->name, n->name, dirs))
			break;
		if (o->model && n->model)
			model_pair(d, dirs, o->model, n->model);
		else if (o->enm && n->enm)
			enum_pair(d, dirs, o->enm, n->enm);
		else if (o->uni && n->uni)
			diff_union_pair(d, dirs, o->uni, n->uni);
		break;
	case TYPE_ARRAY:
		diff_type(d, dirs, arena_printf(d->a, "%s[]", subject), o->elem, n->elem);
		break;
	case TYPE_MAP:
		diff_type(d, dirs, arena_printf(d->a, "%s{}", subject), o->elem, n->elem);
		break;
	}
	constraints(d, dirs, subject, n->loc, &o->c, &n->c);
}

/* ---- the models and enums of both schemas ---- */

void diff_models(struct diff *d)
{
	struct strmap *nm = strmap_new(d->a), *ne = strmap_new(d->a);
	struct strmap *om = strmap_new(d->a), *oe = strmap_new(d->a);
	for (const struct ast_model *m = d->ns->models; m; m = m->next)
		strmap_put(nm, m->name, (void *)m);
	for (const struct ast_enum *e = d->ns->enums; e; e = e->next)
		strmap_put(ne, e->name, (void *)e);
	for (const struct ast_model *m = d->os->models; m; m = m->next) {
		strmap_put(om, m->name, (void *)m);
		const struct ast_model *n = strmap_get(nm, m->name);
		if (!n) {
			diff_add(d, DIFF_COMPATIBLE, true, m->loc, "model-removed", m->name,
				 "model %s was removed (its uses are listed where they changed)", m->name);
			continue;
		}
		model_pair(d, diff_dirs(d, m->name), m, n);
		if (diff_text_differs(m->doc, n->doc))
			diff_add(d, DIFF_DOCS, false, n->loc, "doc-changed", n->name,
				 "the documentation of %s changed", n->name);
		if (m->deprecated != n->deprecated)
			diff_add(d, DIFF_DOCS, false, n->loc, "deprecated", n->name, "%s is %s deprecated",
				 n->name, n->deprecated ? "now" : "no longer");
		if (!diff_value_eq(m->example, n->example))
			diff_add(d, DIFF_DOCS, false, n->loc, "example-changed", n->name,
				 "the example of %s changed", n->name);
	}
	for (const struct ast_enum *e = d->os->enums; e; e = e->next) {
		strmap_put(oe, e->name, (void *)e);
		const struct ast_enum *n = strmap_get(ne, e->name);
		if (!n) {
			diff_add(d, DIFF_COMPATIBLE, true, e->loc, "enum-removed", e->name,
				 "enum %s was removed (its uses are listed where they changed)", e->name);
			continue;
		}
		enum_pair(d, diff_dirs(d, e->name), e, n);
		if (diff_text_differs(e->doc, n->doc))
			diff_add(d, DIFF_DOCS, false, n->loc, "doc-changed", n->name,
				 "the documentation of %s changed", n->name);
	}
	for (const struct ast_model *m = d->ns->models; m; m = m->next)
		if (!strmap_get(om, m->name))
			diff_add(d, DIFF_COMPATIBLE, false, m->loc, "model-added", m->name,
				 "model %s was added", m->name);
	for (const struct ast_enum *e = d->ns->enums; e; e = e->next)
		if (!strmap_get(oe, e->name))
			diff_add(d, DIFF_COMPATIBLE, false, e->loc, "enum-added", e->name,
				 "enum %s was added", e->name);
}
