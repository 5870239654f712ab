/* Unions in the C code: in NAME.h an enum of the branches and a tagged
 * struct (`kind`, then the branch's value in `u`); in NAME.c the branch
 * table libapic decodes, checks, encodes and copies them by
 * (struct apic_union_desc, docs/generated-code.md). */
#include "emit_c_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *branch_stem(struct ec *e, const struct ast_union *u, const struct ast_branch *b)
{
	return names_aux(e->n, c_union(e->n, u), c_branch(e->n, u, b));
}

static size_t union_index(const struct ec *e, const struct ast_union *u)
{
	size_t i = 0;
	for (const struct ast_union *x = e->s->unions; x && x != u; x = x->next)
		i++;
	return i;
}

/* One union's kinds and struct, after the unions it holds by value (the
 * checker has refused a cycle of them). */
static void union_type(struct ec *e, const struct ast_union *u, bool *done)
{
	struct names *n = e->n;
	size_t ui = union_index(e, u);
	if (done[ui])
		return;
	done[ui] = true;
	for (const struct ast_branch *b = u->branches; b; b = b->next)
		if (c_is_union(b->type))
			union_type(e, b->type->uni, done);
	const char *tag = c_union(n, u);
	ec_ln(e, 0, "enum %s_kind {", tag);
	ec_ln(e, 1, "%s = 0,", c_union_unset(n, u));
	unsigned v = 1;
	for (const struct ast_branch *b = u->branches; b; b = b->next)
		ec_ln(e, 1, "%s = %s,", c_branch_const(n, u, b), names_uint(n, v++));
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "%s", "");
	for (const struct ast_branch *b = u->branches; b; b = b->next)
		ec_aux_types(e, b->type, branch_stem(e, u, b), false);
	ec_ln(e, 0, "struct %s {", tag);
	ec_ln(e, 1, "enum %s_kind kind;", tag);
	ec_ln(e, 1, "union {");
	for (const struct ast_branch *b = u->branches; b; b = b->next) {
		const char *ct = emit_c_type(n, b->type, branch_stem(e, u, b));
		size_t len = strlen(ct);
		ec_ln(e, 2, "%s%s%s;", ct, ct[len - 1] == '*' ? "" : " ", c_branch(n, u, b));
	}
	ec_ln(e, 1, "} u;");
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "%s", "");
}

/* NAME.h: every union's kinds and struct, before the models that hold
 * them by value. A branch is laid out as an array's item would be. */
void ec_union_types(struct ec *e)
{
	bool *done = calloc(e->s->nunions + 1, sizeof *done);
	if (!done) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	for (const struct ast_union *u = e->s->unions; u; u = u->next)
		union_type(e, u, done);
	free(done);
}

/* The branch type as the schema spells it, for violations. */
static const char *spelled(struct names *n, const struct ast_type *t)
{
	switch (t->kind) {
	case TYPE_PRIM:
		switch (t->prim) {
		case PRIM_STRING: return "string";
		case PRIM_BOOL: return "bool";
		case PRIM_INT32: return "int32";
		case PRIM_INT64: return "int64";
		case PRIM_NUMBER: return "number";
		}
		break;
	case TYPE_NAMED: return t->name;
	case TYPE_ARRAY: return names_fmt(n, "[%s]", spelled(n, t->elem));
	case TYPE_MAP: return names_fmt(n, "map<%s>", spelled(n, t->elem));
	}
	return "?";
}

const char *ec_union_desc(struct ec *e, const struct ast_union *u)
{
	return names_fmt(e->n, "%s__union", c_union(e->n, u));
}

/* NAME.c (unit 0): the branch table and the descriptor. */
void ec_union_tables(struct ec *e, const struct ast_union *u)
{
	struct names *n = e->n;
	const char *tag = c_union(n, u);
	struct out_buf rows, list;
	out_init(&rows);
	out_init(&list);
	for (const struct ast_branch *b = u->branches; b; b = b->next) {
		const char *type = ec_type(e, b->type, branch_stem(e, u, b), false, false);
		const char *shown = b->value ? b->value : spelled(n, b->type);
		if (b->value)
			out_printf(&rows, "\t{ %s, %s, %s, &%s },\n", ec_str(e, b->value),
				   names_uint(n, strlen(b->value)), ec_str(e, shown), type);
		else
			out_printf(&rows, "\t{ NULL, 0, %s, &%s },\n", ec_str(e, shown), type);
		out_printf(&list, "%s%s", b == u->branches ? "" : ", ", shown);
	}
	const char *branches = names_fmt(n, "%s__branches", tag);
	ec_ln(e, 0, "static const struct apic_branch %s[] = {", branches);
	out_put(e->b, rows.p, rows.len);
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "const struct apic_union_desc %s = { %s, %s, %s, %s, %zu, %s, offsetof(struct %s, u) };",
	      ec_union_desc(e, u), ec_str(e, u->name), u->disc ? ec_str(e, u->disc) : "NULL",
	      names_uint(n, u->disc ? strlen(u->disc) : 0), branches, u->nbranches,
	      ec_lit(e, list.p ? list.p : "", list.len), tag);
	ec_ln(e, 0, "_Static_assert(sizeof(enum %s_kind) == sizeof(int), \"kinds are stored as int\");", tag);
	ec_ln(e, 0, "%s", "");
	out_free(&rows);
	out_free(&list);
}
