/* The language server's features on a document's latest analysis:
 * definition, references, hover, rename, document symbols and formatting.
 * They look declarations up by name in the (possibly partial) AST, so they
 * work without the "check:" fields of a schema that did not check.
 * Completion is in lsp_complete.c. */
#include "lsp_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "format.h"
#include "lexer.h"
#include "lsp_feat.h"
#include "source.h"

struct ast_model *lsp_find_model(const struct ast_schema *s, const char *name)
{
	for (struct ast_model *m = s->models; m && name; m = m->next)
		if (m->name && strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

struct ast_enum *lsp_find_enum(const struct ast_schema *s, const char *name)
{
	for (struct ast_enum *e = s->enums; e && name; e = e->next)
		if (e->name && strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static struct ast_union *find_union(const struct ast_schema *s, const char *name)
{
	for (struct ast_union *u = s->unions; u && name; u = u->next)
		if (u->name && strcmp(u->name, name) == 0)
			return u;
	return NULL;
}

static struct ast_security *find_security(const struct ast_schema *s, const char *name)
{
	for (struct ast_security *x = s->securities; x && name; x = x->next)
		if (x->name && strcmp(x->name, name) == 0)
			return x;
	return NULL;
}

/* ---- occurrences: every declaration and every use of a name ---- */

struct walk {
	const struct ast_schema *s;
	void (*fn)(struct walk *w, const struct occ *o);
	void *ctx;
};

static void emit(struct walk *w, enum occ_kind k, bool decl, struct apic_loc loc, const char *name,
		 const void *node, const struct ast_model *owner)
{
	if (!name || loc.len == 0)
		return;
	struct occ o = { .kind = k, .decl = decl, .loc = loc, .name = name, .node = node,
			 .owner = owner };
	w->fn(w, &o);
}

static void walk_type(struct walk *w, const struct ast_type *t)
{
	for (; t; t = t->elem) {
		if (t->kind != TYPE_NAMED || !t->name)
			continue;
		const struct ast_model *m = lsp_find_model(w->s, t->name);
		const struct ast_enum *e = m ? NULL : lsp_find_enum(w->s, t->name);
		const struct ast_union *u = m || e ? NULL : find_union(w->s, t->name);
		if (m)
			emit(w, OCC_MODEL, false, t->loc, t->name, m, NULL);
		else if (e)
			emit(w, OCC_ENUM, false, t->loc, t->name, e, NULL);
		else if (u)
			emit(w, OCC_UNION, false, t->loc, t->name, u, NULL);
	}
}

/* The enum a type names (at its innermost level), or NULL. */
const struct ast_enum *lsp_type_enum(const struct ast_schema *s, const struct ast_type *t)
{
	while (t && (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP))
		t = t->elem;
	return t && t->kind == TYPE_NAMED ? lsp_find_enum(s, t->name) : NULL;
}

static void walk_default(struct walk *w, const struct ast_value *v, const struct ast_type *t)
{
	const struct ast_enum *e = lsp_type_enum(w->s, t);
	if (!e || !v)
		return;
	const struct ast_value *vals = v->kind == VAL_ARRAY ? v->items : v;
	for (const struct ast_value *x = vals; x; x = v->kind == VAL_ARRAY ? x->next : NULL)
		if (x->kind == VAL_IDENT)
			for (const struct ast_enum_member *m = e->members; m; m = m->next)
				if (m->name && x->str && strcmp(m->name, x->str) == 0)
					emit(w, OCC_MEMBER, false, x->loc, x->str, m, NULL);
}

static void walk_auth(struct walk *w, const struct ast_auth *a)
{
	const struct ast_security *x = a->set && !a->none ? find_security(w->s, a->name) : NULL;
	if (x)
		emit(w, OCC_SECURITY, false, a->loc, a->name, x, NULL);
}

static void walk_params(struct walk *w, const struct ast_param *p)
{
	for (; p; p = p->next) {
		emit(w, OCC_PARAM, true, p->loc, p->name, p, NULL);
		walk_type(w, p->type);
		walk_default(w, p->def, p->type);
	}
}

void lsp_walk(const struct ast_schema *s, void (*fn)(struct walk *, const struct occ *), void *ctx)
{
	struct walk w = { .s = s, .fn = fn, .ctx = ctx };
	for (const struct ast_import *im = s->imports; im; im = im->next)
		emit(&w, OCC_IMPORT, false, im->loc, im->path, im, NULL);
	for (const struct ast_model *m = s->models; m; m = m->next) {
		emit(&w, OCC_MODEL, true, m->loc, m->name, m, NULL);
		for (const struct ast_spread *sp = m->spreads; sp; sp = sp->next)
			walk_type(&w, sp->type); /* `...Name` refers to Name */
		for (const struct ast_field *f = m->fields; f; f = f->next) {
			if (f->from.len)
				continue; /* a spread's copy: its declaration is the source model's */
			emit(&w, OCC_FIELD, true, f->loc, f->name, f, m);
			walk_type(&w, f->type);
			walk_default(&w, f->def, f->type);
		}
	}
	for (const struct ast_enum *e = s->enums; e; e = e->next) {
		emit(&w, OCC_ENUM, true, e->loc, e->name, e, NULL);
		for (const struct ast_enum_member *m = e->members; m; m = m->next)
			emit(&w, OCC_MEMBER, true, m->loc, m->name, m, NULL);
	}
	for (const struct ast_union *u = s->unions; u; u = u->next) {
		emit(&w, OCC_UNION, true, u->loc, u->name, u, NULL);
		for (const struct ast_branch *b = u->branches; b; b = b->next)
			walk_type(&w, b->type);
	}
	for (const struct ast_security *x = s->securities; x; x = x->next)
		emit(&w, OCC_SECURITY, true, x->loc, x->name, x, NULL);
	if (s->service) {
		walk_auth(&w, &s->service->auth);
		const struct ast_model *em = lsp_find_model(s, s->service->error_model_name);
		if (em)
			emit(&w, OCC_MODEL, false, s->service->error_loc, em->name, em, NULL);
	}
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		walk_auth(&w, &op->auth);
		walk_params(&w, op->params);
		walk_type(&w, op->body);
		walk_type(&w, op->ws_in);
		walk_type(&w, op->ws_out);
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			walk_type(&w, r->type);
			walk_params(&w, r->headers);
		}
	}
}

/* The occurrence under the cursor: the innermost in file 0 whose range
 * holds the offset (its end included: the cursor just after a name). */
struct find {
	size_t off;
	bool found;
	struct occ best;
};

static void find_fn(struct walk *w, const struct occ *o)
{
	struct find *f = w->ctx;
	if (o->loc.file != 0 || f->off < o->loc.off || f->off > (size_t)o->loc.off + o->loc.len)
		return;
	if (!f->found || o->loc.len < f->best.loc.len) {
		f->best = *o;
		f->found = true;
	}
}

/* The declaration an occurrence names (itself for a declaration). */
static struct apic_loc decl_loc(const struct occ *o)
{
	switch (o->kind) {
	case OCC_MODEL: return ((const struct ast_model *)o->node)->loc;
	case OCC_ENUM: return ((const struct ast_enum *)o->node)->loc;
	case OCC_UNION: return ((const struct ast_union *)o->node)->loc;
	case OCC_SECURITY: return ((const struct ast_security *)o->node)->loc;
	case OCC_MEMBER: return ((const struct ast_enum_member *)o->node)->loc;
	default: return o->loc;
	}
}

bool lsp_at(struct lsp_server *s, json_object *params, struct lsp_at *at)
{
	const char *uri = lsp_str(lsp_get(params, "textDocument"), "uri");
	int64_t line, ch;
	at->doc = uri ? lsp_doc_find(s, uri) : NULL;
	if (!at->doc || !at->doc->an)
		return false;
	at->an = at->doc->an;
	at->lines = lsp_file_lines(at->an, 0);
	at->off = 0;
	if (lsp_get_pos(lsp_get(params, "position"), &line, &ch))
		at->off = lsp_pos_to_off(at->lines, line, ch, s->utf8);
	return true;
}

static bool occ_at(struct lsp_at *at, struct occ *o)
{
	struct find f = { .off = at->off };
	lsp_walk(at->an->schema, find_fn, &f);
	*o = f.best;
	return f.found;
}

/* A Location of a range in file `id` of the analysis. */
static json_object *location(struct lsp_server *s, struct lsp_at *at, struct apic_loc l)
{
	json_object *o = json_object_new_object();
	bool open;
	char *uri = lsp_uri_of(s, at->doc, l.file, &open);
	const struct lsp_lines *lines = lsp_file_lines(at->an, l.file);
	size_t len = lines->len;
	size_t off = l.off > len ? len : l.off, n = off + l.len > len ? len - off : l.len;
	json_object_object_add(o, "uri", json_object_new_string(uri));
	json_object_object_add(o, "range", lsp_json_range(lines, off, n, s->utf8));
	free(uri);
	return o;
}

json_object *lsp_definition(struct lsp_server *s, json_object *params)
{
	struct lsp_at at;
	if (!lsp_at(s, params, &at))
		return NULL;
	struct occ o;
	json_object *r = NULL;
	if (occ_at(&at, &o)) {
		if (o.kind == OCC_IMPORT) {
			const struct ast_import *im = o.node;
			if (im->file != 0 && im->file < src_count(at.an->src))
				r = location(s, &at, (struct apic_loc){ im->file, 0, 0 });
		} else {
			r = location(s, &at, decl_loc(&o));
		}
	}
	return r;
}

struct refs {
	struct occ target;
	bool with_decl;
	void (*add)(struct refs *, const struct occ *);
	struct lsp_server *s;
	struct lsp_at *at;
	json_object *out;
	const char *new_name;
};

static void refs_fn(struct walk *w, const struct occ *o)
{
	struct refs *r = w->ctx;
	if (o->kind != r->target.kind || o->node != r->target.node || (o->decl && !r->with_decl))
		return;
	r->add(r, o);
}

static void add_location(struct refs *r, const struct occ *o)
{
	json_object_array_add(r->out, location(r->s, r->at, o->loc));
}

/* The occurrence under the cursor as a target: the declaration it names. */
static bool target_at(struct lsp_at *at, struct occ *o)
{
	if (!occ_at(at, o) || o->kind == OCC_IMPORT)
		return false;
	return true;
}

json_object *lsp_references(struct lsp_server *s, json_object *params)
{
	struct lsp_at at;
	if (!lsp_at(s, params, &at))
		return NULL;
	json_object *incl = lsp_get(lsp_get(params, "context"), "includeDeclaration");
	struct refs r = { .with_decl = incl ? json_object_get_boolean(incl) : true, .add = add_location,
			  .s = s, .at = &at };
	json_object *res = NULL;
	if (target_at(&at, &r.target)) {
		r.out = res = json_object_new_array();
		lsp_walk(at.an->schema, refs_fn, &r);
	}
	return res;
}

/* ---- hover ---- */

static const char *const prim_name[] = { "string", "bool", "int32", "int64", "number" };
static const char *const format_name[] = { "", "email", "uuid", "date", "date-time", "uri", "password",
					     "ipv4", "ipv6", "hostname", "uri-reference", "binary" };

static void put_quoted(struct lsp_buf *b, const char *s)
{
	lsp_buf_put(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			lsp_buf_printf(b, "\\%c", *s);
		else if (*s == '\n')
			lsp_buf_put(b, "\\n");
		else
			lsp_buf_printf(b, "%c", *s);
	}
	lsp_buf_put(b, "\"");
}

static void put_constraints(struct lsp_buf *b, const struct ast_constraints *c)
{
	bool first = true;
#define SEP() (lsp_buf_put(b, first ? " (" : ", "), first = false)
	if (c->min.set) { SEP(); lsp_buf_printf(b, "%s %s", c->min.exclusive ? "xmin" : "min", c->min.num.text ? c->min.num.text : "?"); }
	if (c->max.set) { SEP(); lsp_buf_printf(b, "%s %s", c->max.exclusive ? "xmax" : "max", c->max.num.text ? c->max.num.text : "?"); }
	if (c->minlen.set) { SEP(); lsp_buf_printf(b, "minlen %llu", (unsigned long long)c->minlen.n); }
	if (c->maxlen.set) { SEP(); lsp_buf_printf(b, "maxlen %llu", (unsigned long long)c->maxlen.n); }
	if (c->pattern) { SEP(); lsp_buf_put(b, "pattern "); put_quoted(b, c->pattern); }
	if (c->format != FMT_NONE && (size_t)c->format < sizeof format_name / sizeof *format_name) {
		SEP(); lsp_buf_printf(b, "format %s", format_name[c->format]);
	}
	if (c->minitems.set) { SEP(); lsp_buf_printf(b, "minitems %llu", (unsigned long long)c->minitems.n); }
	if (c->maxitems.set) { SEP(); lsp_buf_printf(b, "maxitems %llu", (unsigned long long)c->maxitems.n); }
	if (c->unique) { SEP(); lsp_buf_put(b, "unique"); }
	if (c->minprops.set) { SEP(); lsp_buf_printf(b, "minprops %llu", (unsigned long long)c->minprops.n); }
	if (c->maxprops.set) { SEP(); lsp_buf_printf(b, "maxprops %llu", (unsigned long long)c->maxprops.n); }
	if (!first)
		lsp_buf_put(b, ")");
#undef SEP
}

void lsp_put_type(struct lsp_buf *b, const struct ast_type *t)
{
	if (!t)
		return;
	switch (t->kind) {
	case TYPE_PRIM:
		lsp_buf_put(b, (size_t)t->prim < 5 ? prim_name[t->prim] : "?");
		break;
	case TYPE_NAMED:
		lsp_buf_put(b, t->name ? t->name : "?");
		break;
	case TYPE_ARRAY:
		lsp_buf_put(b, "[");
		lsp_put_type(b, t->elem);
		lsp_buf_put(b, "]");
		break;
	case TYPE_MAP:
		lsp_buf_put(b, "map<");
		lsp_put_type(b, t->elem);
		lsp_buf_put(b, ">");
		break;
	}
	put_constraints(b, &t->c);
}

static void put_value(struct lsp_buf *b, const struct ast_value *v)
{
	switch (v->kind) {
	case VAL_NULL: lsp_buf_put(b, "null"); break;
	case VAL_BOOL: lsp_buf_put(b, v->b ? "true" : "false"); break;
	case VAL_NUMBER: lsp_buf_put(b, v->num.text ? v->num.text : "0"); break;
	case VAL_STRING: put_quoted(b, v->str ? v->str : ""); break;
	case VAL_IDENT: lsp_buf_put(b, v->str ? v->str : ""); break;
	case VAL_ARRAY:
		lsp_buf_put(b, "[");
		for (const struct ast_value *x = v->items; x; x = x->next) {
			put_value(b, x);
			if (x->next)
				lsp_buf_put(b, ", ");
		}
		lsp_buf_put(b, "]");
		break;
	case VAL_OBJECT:
		lsp_buf_put(b, "{ ... }");
		break;
	}
}

static const char *const in_name[] = { "path", "query", "header", "cookie" };

static void hover_text(struct lsp_buf *b, const struct occ *o)
{
	const char *doc = NULL;
	lsp_buf_put(b, "```apic\n");
	switch (o->kind) {
	case OCC_MODEL: {
		const struct ast_model *m = o->node;
		lsp_buf_printf(b, "model %s%s", m->name, m->open ? " open" : "");
		doc = m->doc;
		break;
	}
	case OCC_ENUM: {
		const struct ast_enum *e = o->node;
		lsp_buf_printf(b, "enum %s {", e->name);
		for (const struct ast_enum_member *m = e->members; m; m = m->next)
			if (m->name)
				lsp_buf_printf(b, " %s", m->name);
		lsp_buf_put(b, " }");
		doc = e->doc;
		break;
	}
	case OCC_UNION: {
		const struct ast_union *u = o->node;
		lsp_buf_printf(b, "union %s", u->name);
		if (u->disc)
			lsp_buf_printf(b, " by \"%s\"", u->disc);
		lsp_buf_put(b, " {");
		for (const struct ast_branch *br = u->branches; br; br = br->next)
			if (br->type && br->type->name)
				lsp_buf_printf(b, " %s%s%s", br->value ? br->value : "", br->value ? ": " : "",
					       br->type->name);
		lsp_buf_put(b, " }");
		doc = u->doc;
		break;
	}
	case OCC_SECURITY: {
		const struct ast_security *x = o->node;
		static const char *const kinds[] = { "bearer", "apikey", "basic" };
		lsp_buf_printf(b, "security %s = %s", x->name, kinds[x->kind]);
		if (x->kind == SEC_APIKEY) {
			lsp_buf_printf(b, " %s ", in_name[x->in]);
			put_quoted(b, x->key ? x->key : "");
		}
		doc = x->doc;
		break;
	}
	case OCC_FIELD: {
		const struct ast_field *f = o->node;
		lsp_buf_printf(b, "%s%s: ", f->name, f->optional && !f->def ? "?" : "");
		lsp_put_type(b, f->type);
		if (f->nullable) lsp_buf_put(b, " nullable");
		if (f->readonly) lsp_buf_put(b, " readonly");
		if (f->writeonly) lsp_buf_put(b, " writeonly");
		if (f->deprecated) lsp_buf_put(b, " deprecated");
		if (f->def) {
			lsp_buf_put(b, " = ");
			put_value(b, f->def);
		}
		lsp_buf_printf(b, "\n```\nfield of model `%s`", o->owner ? o->owner->name : "?");
		doc = f->doc;
		goto doc;
	}
	case OCC_PARAM: {
		const struct ast_param *p = o->node;
		lsp_buf_printf(b, "%s %s%s: ", in_name[p->in], p->name, p->optional && !p->def ? "?" : "");
		lsp_put_type(b, p->type);
		if (p->deprecated) lsp_buf_put(b, " deprecated");
		if (p->def) {
			lsp_buf_put(b, " = ");
			put_value(b, p->def);
		}
		lsp_buf_printf(b, "\n```\n%s parameter", in_name[p->in]);
		doc = p->doc;
		goto doc;
	}
	case OCC_MEMBER: {
		const struct ast_enum_member *m = o->node;
		lsp_buf_printf(b, "%s", m->name);
		lsp_buf_put(b, "\n```\nenum member");
		doc = m->doc;
		goto doc;
	}
	case OCC_IMPORT:
		lsp_buf_printf(b, "import \"%s\"", o->name);
		break;
	}
	lsp_buf_put(b, "\n```");
doc:
	if (doc && *doc)
		lsp_buf_printf(b, "\n\n%s", doc);
}

json_object *lsp_hover(struct lsp_server *s, json_object *params)
{
	struct lsp_at at;
	if (!lsp_at(s, params, &at))
		return NULL;
	struct occ o;
	json_object *r = NULL;
	if (occ_at(&at, &o)) {
		struct lsp_buf b = { 0 };
		hover_text(&b, &o);
		r = json_object_new_object();
		json_object *c = json_object_new_object();
		json_object_object_add(c, "kind", json_object_new_string("markdown"));
		json_object_object_add(c, "value", json_object_new_string(b.p ? b.p : ""));
		json_object_object_add(r, "contents", c);
		json_object_object_add(r, "range", lsp_json_range(at.lines, o.loc.off, o.loc.len, s->utf8));
		free(b.p);
	}
	return r;
}

/* ---- rename ---- */

static bool renamable(const struct occ *o)
{
	return o->kind == OCC_MODEL || o->kind == OCC_ENUM || o->kind == OCC_FIELD ||
	       o->kind == OCC_UNION;
}

json_object *lsp_prepare_rename(struct lsp_server *s, json_object *params, int *err, const char **msg)
{
	struct lsp_at at;
	if (!lsp_at(s, params, &at))
		return NULL;
	struct occ o;
	json_object *r = NULL;
	if (target_at(&at, &o) && renamable(&o)) {
		r = json_object_new_object();
		json_object_object_add(r, "range", lsp_json_range(at.lines, o.loc.off, o.loc.len, s->utf8));
		json_object_object_add(r, "placeholder", json_object_new_string(o.name));
	} else {
		*err = -32803;
		*msg = "only a model, an enum or a field can be renamed";
	}
	return r;
}

static bool is_ident(const char *n)
{
	if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || *n == '_'))
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
		      *n == '_'))
			return false;
	return true;
}

/* WorkspaceEdit.changes: uri -> [TextEdit] */
static void add_edit(struct refs *r, const struct occ *o)
{
	json_object *loc = location(r->s, r->at, o->loc), *uri, *range;
	json_object_object_get_ex(loc, "uri", &uri);
	json_object_object_get_ex(loc, "range", &range);
	const char *u = json_object_get_string(uri);
	json_object *list = lsp_get(r->out, u);
	if (!list) {
		list = json_object_new_array();
		json_object_object_add(r->out, u, list);
	}
	json_object *e = json_object_new_object();
	json_object_object_add(e, "range", json_object_get(range));
	json_object_object_add(e, "newText", json_object_new_string(r->new_name));
	json_object_array_add(list, e);
	json_object_put(loc);
}

/* A field of the error model renamed: the first step of the `errors MODEL
 * at "/pointer"` pointer names it too. */
static void rename_pointer(struct refs *r, const struct ast_schema *s)
{
	const struct ast_service *sv = s->service;
	if (r->target.kind != OCC_FIELD || !sv || !sv->error_model_name || !r->target.owner ||
	    strcmp(sv->error_model_name, r->target.owner->name) != 0 || !sv->error_pointer)
		return;
	size_t len;
	const char *t = lsp_file_text(r->at->an, sv->error_loc.file, &len);
	size_t i = (size_t)sv->error_loc.off + sv->error_loc.len;
	while (i < len && t[i] != '"' && t[i] != '\n')
		i++;
	if (i >= len || t[i] != '"' || t[i + 1] != '/')
		return;
	size_t start = i + 2, n = strlen(r->target.name);
	if (start + n <= len && strncmp(t + start, r->target.name, n) == 0 &&
	    (t[start + n] == '/' || t[start + n] == '"')) {
		struct occ o = r->target;
		o.loc = (struct apic_loc){ sv->error_loc.file, (uint32_t)start, (uint32_t)n };
		add_edit(r, &o);
	}
}

json_object *lsp_rename(struct lsp_server *s, json_object *params, int *err, const char **msg)
{
	const char *nn = lsp_str(params, "newName");
	struct lsp_at at;
	if (!nn || !is_ident(nn)) {
		*err = -32602;
		*msg = "the new name is not an identifier";
		return NULL;
	}
	if (!lsp_at(s, params, &at))
		return NULL;
	struct refs r = { .with_decl = true, .add = add_edit, .s = s, .at = &at, .new_name = nn };
	json_object *res = NULL;
	if (target_at(&at, &r.target) && renamable(&r.target)) {
		r.out = json_object_new_object();
		lsp_walk(at.an->schema, refs_fn, &r);
		rename_pointer(&r, at.an->schema);
		res = json_object_new_object();
		json_object_object_add(res, "changes", r.out);
	} else {
		*err = -32803;
		*msg = "only a model, an enum or a field can be renamed";
	}
	return res;
}

/* ---- document symbols ---- */

static json_object *symbol(struct lsp_server *s, const struct lsp_lines *l, const char *name, int kind,
			   struct apic_loc sel, size_t end, json_object *children)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "kind", json_object_new_int(kind));
	if (end < (size_t)sel.off + sel.len)
		end = (size_t)sel.off + sel.len;
	json_object_object_add(o, "range", lsp_json_range(l, sel.off, end - sel.off, s->utf8));
	json_object_object_add(o, "selectionRange", lsp_json_range(l, sel.off, sel.len, s->utf8));
	if (children)
		json_object_object_add(o, "children", children);
	return o;
}

json_object *lsp_symbols(struct lsp_server *s, json_object *params)
{
	struct lsp_at at;
	if (!lsp_at(s, params, &at))
		return NULL;
	const struct ast_schema *sc = at.an->schema;
	json_object *r = json_object_new_array();
	static const char *const methods[] = { "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS" };
	for (const struct ast_model *m = sc->models; m; m = m->next) {
		if (m->loc.file != 0 || !m->name)
			continue;
		json_object *ch = json_object_new_array();
		size_t end = 0;
		for (const struct ast_field *f = m->fields; f; f = f->next) {
			if (!f->name || f->from.len)
				continue; /* a spread's copy is declared in its own model */
			json_object_array_add(ch, symbol(s, at.lines, f->name, 8, f->loc, 0, NULL));
			end = (size_t)f->loc.off + f->loc.len;
		}
		json_object_array_add(r, symbol(s, at.lines, m->name, 23, m->loc, end, ch));
	}
	for (const struct ast_enum *e = sc->enums; e; e = e->next) {
		if (e->loc.file != 0 || !e->name)
			continue;
		json_object *ch = json_object_new_array();
		size_t end = 0;
		for (const struct ast_enum_member *m = e->members; m; m = m->next) {
			if (!m->name)
				continue;
			json_object_array_add(ch, symbol(s, at.lines, m->name, 22, m->loc, 0, NULL));
			end = (size_t)m->loc.off + m->loc.len;
		}
		json_object_array_add(r, symbol(s, at.lines, e->name, 10, e->loc, end, ch));
	}
	for (const struct ast_union *u = sc->unions; u; u = u->next)
		if (u->loc.file == 0 && u->name)
			json_object_array_add(r, symbol(s, at.lines, u->name, 11, u->loc, 0, NULL));
	for (const struct ast_security *x = sc->securities; x; x = x->next)
		if (x->loc.file == 0 && x->name)
			json_object_array_add(r, symbol(s, at.lines, x->name, 14, x->loc, 0, NULL));
	for (const struct ast_op *op = sc->ops; op; op = op->next) {
		if (op->loc.file != 0 || !op->path)
			continue;
		char *name;
		if (asprintf(&name, "%s %s", (size_t)op->method < 7 ? methods[op->method] : "?", op->path) < 0)
			arena_oom_handler();
		size_t end = (size_t)op->path_loc.off + op->path_loc.len;
		json_object_array_add(r, symbol(s, at.lines, name, 6, op->loc, end, NULL));
		free(name);
	}
	return r;
}

/* ---- formatting ---- */

json_object *lsp_formatting(struct lsp_server *s, json_object *params)
{
	const char *uri = lsp_str(lsp_get(params, "textDocument"), "uri");
	struct lsp_doc *d = uri ? lsp_doc_find(s, uri) : NULL;
	if (!d)
		return NULL;
	/* the formatter wants a file without syntax errors: parse it alone */
	struct arena *a = arena_new();
	struct source_table *src = src_new();
	struct diag_ctx *dg = diag_new(src, NULL);
	uint32_t id = src_add_mem(src, d->path, d->text, d->len);
	json_object *r = NULL;
	if (src_first_bad_byte(d->text, d->len) == d->len) {
		struct apic_parse ps = { .arena = a, .diag = dg, .src = src, .file = id };
		parse_run(&ps);
	} else {
		diag_error(dg, (struct apic_loc){ id, 0, 0 }, "not UTF-8");
	}
	char *out = NULL;
	size_t n = 0;
	if (diag_error_count(dg) == 0 && format_file(src, id, &out, &n) == 0) {
		r = json_object_new_array();
		if (n != d->len || memcmp(out, d->text, n) != 0) {
			struct lsp_lines l;
			lsp_lines_init(&l, d->text, d->len);
			json_object *e = json_object_new_object();
			json_object_object_add(e, "range", lsp_json_range(&l, 0, d->len, s->utf8));
			json_object_object_add(e, "newText", json_object_new_string_len(out, (int)n));
			json_object_array_add(r, e);
			lsp_lines_free(&l);
		}
	}
	free(out);
	diag_free(dg);
	src_free(src);
	arena_free(a);
	return r;
}
