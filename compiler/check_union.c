/* The rules of `union` declarations (see apic(5)), checked once check.c has
 * resolved every name:
 *  - a union has at least one branch;
 *  - `union U by "kind" { value: Model }`: every branch is written
 *    `value: Model`, names a model, and the values are distinct; the model
 *    itself declares the property as a required string. The model declares
 *    it (rather than the union injecting it) so that the model is the same
 *    shape wherever it is used: its OpenAPI schema lists the property the
 *    discriminator reads, and the decoded C struct carries the value;
 *  - `union U { Type, Type }`: branches are bare types, none twice;
 *  - a union never contains itself through branches alone (a value of it
 *    could never be written down): an array, a map or a model field in
 *    between is the indirection that makes it finite. */
#include <string.h>

#include "arena.h"
#include "check.h"
#include "diag.h"

static const char *const prim_names[] = { "string", "bool", "int32", "int64", "number" };

static const char *branch_str(struct arena *a, const struct ast_type *t)
{
	switch (t->kind) {
	case TYPE_PRIM: return prim_names[t->prim];
	case TYPE_NAMED: return t->name;
	case TYPE_ARRAY: return arena_printf(a, "[%s]", branch_str(a, t->elem));
	case TYPE_MAP: return arena_printf(a, "map<%s>", branch_str(a, t->elem));
	}
	return "?";
}

/* "Card" -> "card": the suggested value in a diagnostic. */
static const char *lower_first(struct arena *a, const char *s)
{
	char *r = arena_strdup(a, s);
	if (r[0] >= 'A' && r[0] <= 'Z')
		r[0] = (char)(r[0] - 'A' + 'a');
	return r;
}

static const struct ast_field *find_field(const struct ast_model *m, const char *name)
{
	for (const struct ast_field *f = m->fields; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The branch model declares the discriminator as a required string. */
static void check_disc_field(struct diag_ctx *d, const struct ast_union *u,
			     const struct ast_branch *b)
{
	const struct ast_model *m = b->type->model;
	const struct ast_field *f = find_field(m, u->disc);
	if (!f) {
		diag_error(d, b->type->loc, "model '%s' has no field '%s', the discriminator of "
			   "union '%s'; declare '%s: string' in it", m->name, u->disc, u->name,
			   u->disc);
		diag_note(d, m->loc, "'%s' is declared here", m->name);
		return;
	}
	if (f->optional || f->nullable || f->type->kind != TYPE_PRIM ||
	    f->type->prim != PRIM_STRING) {
		diag_error(d, f->loc, "field '%s' of model '%s' is the discriminator of union '%s': "
			   "it must be a required, non-nullable 'string'", f->name, m->name,
			   u->name);
		diag_note(d, b->loc, "the union's branch is here");
	}
}

static void check_discriminated(struct arena *a, struct diag_ctx *d, const struct ast_union *u)
{
	for (const struct ast_branch *b = u->branches; b; b = b->next) {
		if (!b->value) {
			diag_error(d, b->loc, "the branches of union '%s' (discriminated by '%s') are "
				   "written 'value: Model', e.g. '%s: %s'", u->name, u->disc,
				   lower_first(a, branch_str(a, b->type)),
				   branch_str(a, b->type));
			continue;
		}
		if (!b->value[0])
			diag_error(d, b->loc, "a discriminator value is not empty");
		for (const struct ast_branch *o = u->branches; o != b; o = o->next)
			if (o->value && strcmp(o->value, b->value) == 0) {
				diag_error(d, b->loc, "duplicate discriminator value '%s' in union '%s'",
					   b->value, u->name);
				diag_note(d, o->loc, "'%s' was first used here", b->value);
				break;
			}
		if (b->type->kind == TYPE_NAMED && !b->type->model && !b->type->enm &&
		    !b->type->uni)
			continue; /* unknown: reported already */
		if (b->type->kind != TYPE_NAMED || !b->type->model) {
			diag_error(d, b->type->loc, "branch '%s' of union '%s' is '%s', but the branches "
				   "of a union discriminated by '%s' are models (objects with that "
				   "property)", b->value, u->name, branch_str(a, b->type), u->disc);
			continue;
		}
		check_disc_field(d, u, b);
	}
}

static void check_plain(struct arena *a, struct diag_ctx *d, const struct ast_union *u)
{
	for (const struct ast_branch *b = u->branches; b; b = b->next) {
		if (b->value) {
			diag_error(d, b->loc, "union '%s' has no discriminator, so its branches are bare "
				   "types ('%s'); to name them, write 'union %s by \"property\" { ... }'",
				   u->name, branch_str(a, b->type), u->name);
			continue;
		}
		const char *s = branch_str(a, b->type);
		for (const struct ast_branch *o = u->branches; o != b; o = o->next)
			if (!o->value && strcmp(branch_str(a, o->type), s) == 0) {
				diag_error(d, b->loc, "branch '%s' appears twice in union '%s'", s,
					   u->name);
				diag_note(d, o->loc, "first here");
				break;
			}
	}
}

/* Depth-first over branches that name a union directly; state 1 is on the
 * current path. Depth is bounded by the number of unions. */
static void find_cycle(struct arena *a, struct diag_ctx *d, struct ast_union *u, const char *path)
{
	u->state = 1;
	path = arena_printf(a, "%s%s", path, u->name);
	for (struct ast_branch *b = u->branches; b; b = b->next) {
		struct ast_union *v = b->type->kind == TYPE_NAMED ? b->type->uni : NULL;
		if (!v || v->state == 2)
			continue;
		if (v->state == 1)
			diag_error(d, b->loc, "union '%s' contains itself (%s -> %s); put an array, "
				   "a map or a model between them", v->name, path, v->name);
		else
			find_cycle(a, d, v, arena_printf(a, "%s -> ", path));
	}
	u->state = 2;
}

void check_unions(struct arena *a, struct diag_ctx *d, struct ast_schema *s)
{
	for (struct ast_union *u = s->unions; u && !diag_capped(d); u = u->next) {
		if (!u->branches) {
			diag_error(d, u->loc, "union '%s' has no branches", u->name);
			continue;
		}
		if (u->disc)
			check_discriminated(a, d, u);
		else
			check_plain(a, d, u);
	}
	for (struct ast_union *u = s->unions; u && !diag_capped(d); u = u->next)
		if (!u->state)
			find_cycle(a, d, u, "");
}

struct ast_model *check_union_pick(const struct ast_union *u, const struct ast_value *v)
{
	if (!u->disc || v->kind != VAL_OBJECT)
		return NULL;
	for (const struct ast_value *it = v->items; it; it = it->next) {
		if (strcmp(it->key, u->disc) != 0 || it->kind != VAL_STRING)
			continue;
		for (const struct ast_branch *b = u->branches; b; b = b->next)
			if (b->value && strcmp(b->value, it->str) == 0)
				return b->type->model;
	}
	return NULL;
}
