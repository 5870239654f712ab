/* The OpenAPI schemas of unions: `oneOf` of the branches and, for a union
 * discriminated by a property, `discriminator { propertyName, mapping }`.
 * A union has two views, like a model, when a branch does (a readonly or
 * writeonly field somewhere below it): NAME and NAME-Input. */
#include <stdlib.h>
#include <string.h>

#include "openapi_int.h"

static size_t oa_union_index(const struct oa *oa, const struct ast_union *u)
{
	for (size_t i = 0; i < oa->nunions; i++)
		if (oa->unions[i] == u)
			return i;
	return (size_t)-1;
}

/* Whether values of `t` reach a model with two views, through arrays, maps
 * and unions; `depth` stops a union that contains itself through an array. */
static bool oa_reaches_split(const struct oa *oa, const struct ast_type *t, size_t depth)
{
	while (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP)
		t = t->elem;
	if (t->kind != TYPE_NAMED)
		return false;
	if (t->model)
		return oa_model_split(oa, t->model);
	if (!t->uni || depth > oa->nunions)
		return false;
	for (const struct ast_branch *b = t->uni->branches; b; b = b->next)
		if (oa_reaches_split(oa, b->type, depth + 1))
			return true;
	return false;
}

bool oa_union_split(const struct oa *oa, const struct ast_union *u)
{
	size_t i = oa_union_index(oa, u);

	return i != (size_t)-1 && oa->uni_split[i];
}

void oa_union_views(struct oa *oa)
{
	size_t n = 0;
	bool changed = true;

	for (const struct ast_union *u = oa->s->unions; u; u = u->next)
		n++;
	oa->unions = oa_calloc(n + 1, sizeof *oa->unions);
	oa->uni_split = oa_calloc(n + 1, sizeof *oa->uni_split);
	oa->uni_input = oa_calloc(n + 1, sizeof *oa->uni_input);
	n = 0;
	for (const struct ast_union *u = oa->s->unions; u; u = u->next)
		oa->unions[n++] = u;
	oa->nunions = n;
	/* a model with a field of a split union is split too: to a fixed point */
	while (changed && n) {
		changed = false;
		for (size_t i = 0; i < oa->nunions; i++) {
			struct ast_type t = { .kind = TYPE_NAMED, .uni = (struct ast_union *)oa->unions[i] };

			if (!oa->uni_split[i] && oa_reaches_split(oa, &t, 0))
				oa->uni_split[i] = changed = true;
		}
		for (size_t i = 0; i < oa->nmodels; i++) {
			if (oa->split[i])
				continue;
			for (const struct ast_field *f = oa->models[i]->fields; f; f = f->next) {
				const struct ast_type *t = f->type;

				while (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP)
					t = t->elem;
				if (t->kind == TYPE_NAMED && t->uni && oa_union_split(oa, t->uni)) {
					oa->split[i] = changed = true;
					break;
				}
			}
		}
	}
}

void oa_union_mark_input(struct oa *oa, const struct ast_union *u,
			 void (*mark)(struct oa *, const struct ast_type *))
{
	size_t i = oa_union_index(oa, u);

	if (i == (size_t)-1 || !oa->uni_split[i] || oa->uni_input[i])
		return;
	oa->uni_input[i] = true;
	for (const struct ast_branch *b = u->branches; b; b = b->next)
		mark(oa, b->type);
}

bool oa_union_input_used(const struct oa *oa, const struct ast_union *u)
{
	size_t i = oa_union_index(oa, u);

	return i != (size_t)-1 && oa->uni_input[i];
}

void oa_union_ref_member(struct oa *oa, const struct ast_union *u, enum oa_view view)
{
	struct out_buf *b = &oa->scratch;

	b->len = 0;
	out_puts(b, "#/components/schemas/");
	out_puts(b, u->name);
	if (view == OA_REQUEST && oa_union_split(oa, u))
		out_puts(b, "-Input");
	if (b->oom)
		oa_oom();
	jw_key(&oa->w, "$ref");
	jw_str_len(&oa->w, b->p, b->len);
}

static bool oa_first_of_model(const struct ast_union *u, const struct ast_branch *b)
{
	for (const struct ast_branch *o = u->branches; o != b; o = o->next)
		if (o->type->model == b->type->model)
			return false;
	return true;
}

/* A discriminated branch pins the property to its values, so that the
 * oneOf alone (a validator that ignores "discriminator") accepts exactly
 * what the server does: a model named by two values is listed once. */
static void oa_disc_branch(struct oa *oa, const struct ast_union *u, const struct ast_branch *b,
			   enum oa_view view)
{
	struct json_writer *w = &oa->w;
	size_t n = 0;

	if (!oa_first_of_model(u, b))
		return;
	for (const struct ast_branch *o = b; o; o = o->next)
		n += o->type->model == b->type->model;
	jw_obj(w);
	oa_ref_member(oa, b->type->name, b->type->model, view);
	jw_key(w, "properties");
	jw_obj(w);
	jw_key(w, u->disc);
	jw_obj(w);
	if (n == 1)
		jw_kstr(w, "const", b->value);
	else {
		jw_key(w, "enum");
		jw_arr(w);
		for (const struct ast_branch *o = b; o; o = o->next)
			if (o->type->model == b->type->model)
				jw_str(w, o->value);
		jw_arr_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

void oa_union(struct oa *oa, const struct ast_union *u, enum oa_view view)
{
	struct json_writer *w = &oa->w;

	jw_obj(w);
	jw_kstr(w, "description", u->doc);
	if (u->deprecated)
		jw_kbool(w, "deprecated", true);
	jw_key(w, "oneOf");
	jw_arr(w);
	for (const struct ast_branch *b = u->branches; b; b = b->next)
		if (u->disc)
			oa_disc_branch(oa, u, b, view);
		else
			oa_type(oa, b->type, view);
	jw_arr_end(w);
	if (u->disc && oa->asyncapi) {
		jw_kstr(w, "discriminator", u->disc);
	} else if (u->disc) {
		jw_key(w, "discriminator");
		jw_obj(w);
		jw_kstr(w, "propertyName", u->disc);
		jw_key(w, "mapping");
		jw_obj(w);
		for (const struct ast_branch *b = u->branches; b; b = b->next) {
			struct out_buf *s = &oa->scratch;

			s->len = 0;
			out_puts(s, "#/components/schemas/");
			out_puts(s, b->type->name);
			if (view == OA_REQUEST && oa_model_split(oa, b->type->model))
				out_puts(s, "-Input");
			if (s->oom)
				oa_oom();
			jw_key(w, b->value);
			jw_str_len(w, s->p, s->len);
		}
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}
