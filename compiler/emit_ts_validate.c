/* The TypeScript client's checks (`validate: true`): one function per
 * model's response view and per enum, and the runtime's Problem, calling
 * the helpers of ts_runtime.ts's "check" section. They check what the
 * document's response schemas say (openapi_schema.c): types, required and
 * unknown properties (writeonly ones are unknown in a reply), enums,
 * bounds (the integer types' own range included), lengths in code points,
 * patterns (as ECMA-262 with the u flag, when this JavaScript compiles
 * them), formats (loosely), items, uniqueness and map sizes. */
#include <stdio.h>
#include <string.h>

#include "apic_gen.h"
#include "emit_ts_int.h"

/* Trailing "undefined" arguments are left out. */
struct ts_args {
	const char *v[8];
	size_t n;
};

static void ts_arg(struct ts_args *a, const char *s)
{
	a->v[a->n++] = s;
}

static void ts_args_out(struct out_buf *b, struct ts_args *a)
{
	while (a->n && strcmp(a->v[a->n - 1], "undefined") == 0)
		a->n--;
	for (size_t i = 0; i < a->n; i++) {
		out_puts(b, ", ");
		out_puts(b, a->v[i]);
	}
	out_puts(b, ")");
}

static const char *ts_count(struct ts *t, const struct ast_count *c)
{
	return c->set ? arena_printf(t->a, "%llu", (unsigned long long)c->n) : "undefined";
}

static const char *ts_pattern(struct ts *t, const char *src)
{
	const char *name;

	if (!src)
		return "undefined";
	name = strmap_get(t->patterns, src);
	if (name)
		return name;
	t->helpers |= TS_H_RE;
	name = arena_printf(t->a, "$r%zu", t->npatterns++);
	strmap_put(t->patterns, src, (void *)name);
	out_printf(&t->pattern_decls, "const %s = $re(", name);
	ts_str(&t->pattern_decls, src, strlen(src));
	out_puts(&t->pattern_decls, ");\n");
	return name;
}

static void ts_check_call(struct ts *t, struct out_buf *b, const struct ast_type *ty, const char *v,
			  const char *p);

/* The check of an array's items or a map's values: a model's or an enum's
 * function, else an arrow. */
static void ts_item_check(struct ts *t, struct out_buf *b, const struct ast_type *ty)
{
	if (ty->kind == TYPE_NAMED) {
		out_puts(b, ts_need(t, ty->name));
		return;
	}
	out_puts(b, "(x, q, e) => ");
	ts_check_call(t, b, ty, "x", "q");
}

/* The call that checks value `v` at pointer `p` (expressions), issues into e. */
static void ts_check_call(struct ts *t, struct out_buf *b, const struct ast_type *ty, const char *v,
			  const char *p)
{
	const struct ast_constraints *c = &ty->c;
	struct ts_args a = { .n = 0 };

	switch (ty->kind) {
	case TYPE_NAMED:
		out_printf(b, "%s(%s, %s, e)", ts_need(t, ty->name), v, p);
		return;
	case TYPE_ARRAY:
		t->helpers |= TS_H_ARR;
		out_printf(b, "$arr(%s, %s, e, ", v, p);
		ts_item_check(t, b, ty->elem);
		ts_arg(&a, ts_count(t, &c->minitems));
		ts_arg(&a, ts_count(t, &c->maxitems));
		ts_arg(&a, c->unique ? "true" : "undefined");
		ts_args_out(b, &a);
		return;
	case TYPE_MAP:
		t->helpers |= TS_H_MAP;
		out_printf(b, "$map(%s, %s, e, ", v, p);
		ts_item_check(t, b, ty->elem);
		ts_arg(&a, ts_count(t, &c->minprops));
		ts_arg(&a, ts_count(t, &c->maxprops));
		ts_args_out(b, &a);
		return;
	case TYPE_PRIM:
		break;
	}
	switch (ty->prim) {
	case PRIM_BOOL:
		t->helpers |= TS_H_BOOL;
		out_printf(b, "$bool(%s, %s, e)", v, p);
		return;
	case PRIM_STRING: {
		static const char *const formats[] = { "undefined", "1", "2", "3", "4", "5", "undefined",
							       "6", "7", "8", "9", "undefined" };

		t->helpers |= TS_H_STR;
		out_printf(b, "$str(%s, %s, e", v, p);
		ts_arg(&a, ts_count(t, &c->minlen));
		ts_arg(&a, ts_count(t, &c->maxlen));
		ts_arg(&a, ts_pattern(t, c->pattern));
		ts_arg(&a, formats[c->format]);
		ts_args_out(b, &a);
		return;
	}
	case PRIM_INT32:
	case PRIM_INT64:
	case PRIM_NUMBER: {
		const struct ast_bound *lo = &c->min, *hi = &c->max;

		t->helpers |= TS_H_NUM;
		out_printf(b, "$num(%s, %s, e", v, p);
		ts_arg(&a, ty->prim == PRIM_INT32 ? "32" : ty->prim == PRIM_INT64 ? "64" : "0");
		ts_arg(&a, lo->set && !lo->exclusive ? lo->num.text : "undefined");
		ts_arg(&a, hi->set && !hi->exclusive ? hi->num.text : "undefined");
		ts_arg(&a, lo->set && lo->exclusive ? lo->num.text : "undefined");
		ts_arg(&a, hi->set && hi->exclusive ? hi->num.text : "undefined");
		ts_args_out(b, &a);
		return;
	}
	}
}

const char *ts_need(struct ts *t, const char *name)
{
	struct ts_named *n = strmap_get(t->named, name);

	if (!n->needed) {
		n->needed = true;
		t->queue[t->nqueue++] = n;
	}
	return n->check;
}

void ts_check_expr(struct ts *t, struct out_buf *b, const struct ast_type *ty)
{
	if (ty->kind == TYPE_NAMED) {
		out_puts(b, ts_need(t, ty->name));
		return;
	}
	out_puts(b, "(v, p, e) => ");
	ts_check_call(t, b, ty, "v", "p");
}

static void ts_names_array(struct ts *t, const struct ast_model *m, bool required)
{
	bool first = true;

	out_puts(t->b, "[");
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		if (f->writeonly || (required && f->optional))
			continue;
		out_puts(t->b, first ? "" : ", ");
		ts_str(t->b, f->name, strlen(f->name));
		first = false;
	}
	out_puts(t->b, "]");
}

static void ts_model_check(struct ts *t, const struct ast_model *m)
{
	struct out_buf *b = t->b, v, p;
	bool any = false;

	for (const struct ast_field *f = m->fields; f; f = f->next)
		any |= !f->writeonly;
	out_printf(b, "function %s(v: unknown, p: string, e: $Issue[]): void {\n\t",
		   ts_named(t, m->name)->check);
	if (any)
		out_puts(b, "const o = ");
	out_puts(b, "$obj(v, p, e, ");
	ts_names_array(t, m, true);
	out_puts(b, ", ");
	if (m->open)
		out_puts(b, "null");
	else
		ts_names_array(t, m, false);
	out_puts(b, ");\n");
	if (any)
		out_puts(b, "\tif (!o)\n\t\treturn;\n");
	out_init(&v);
	out_init(&p);
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		if (f->writeonly)
			continue;
		v.len = p.len = 0;
		out_puts(&v, "o[");
		ts_str(&v, f->name, strlen(f->name));
		out_puts(&v, "]");
		out_puts(&p, "$key(p, ");
		ts_str(&p, f->name, strlen(f->name));
		out_puts(&p, ")");
		out_printf(b, "\tif (%s !== undefined%s%s%s)\n\t\t", v.p, f->nullable ? " && " : "",
			   f->nullable ? v.p : "", f->nullable ? " !== null" : "");
		ts_check_call(t, b, f->type, v.p, p.p);
		out_puts(b, ";\n");
	}
	out_puts(b, "}\n\n");
	out_free(&v);
	out_free(&p);
}

/* A union's check: the discriminator picks the branch's check; without
 * one, exactly one branch's check must pass. Checks run in the response
 * direction only, so one view's check serves both. */
static void ts_union_check(struct ts *t, const struct ast_union *u)
{
	struct out_buf *b = t->b;

	t->helpers |= TS_H_UNION;
	out_printf(b, "function %s(v: unknown, p: string, e: $Issue[]): void {\n\t%s(v, p, e, ",
		   ts_named(t, u->name)->check, u->disc ? "$disc" : "$oneOf");
	if (u->disc) {
		ts_str(b, u->disc, strlen(u->disc));
		out_puts(b, ", ");
	}
	out_puts(b, "[");
	for (const struct ast_branch *br = u->branches; br; br = br->next) {
		const char *label = br->value;
		out_puts(b, br == u->branches ? "" : ", ");
		if (!label) {
			struct out_buf l;
			out_init(&l);
			ts_type(t, &l, br->type, OA_RESPONSE);
			if (l.oom)
				ts_oom();
			ts_str(b, l.p, l.len);
			out_free(&l);
		} else
			ts_str(b, label, strlen(label));
	}
	out_puts(b, "], [");
	for (const struct ast_branch *br = u->branches; br; br = br->next) {
		out_puts(b, br == u->branches ? "" : ", ");
		ts_check_expr(t, b, br->type);
	}
	out_puts(b, "]);\n}\n\n");
}

static void ts_enum_check(struct ts *t, const struct ast_enum *e)
{
	struct out_buf *b = t->b;

	t->helpers |= TS_H_ENUM;
	out_printf(b, "function %s(v: unknown, p: string, e: $Issue[]): void {\n\t$enum(v, p, e, [",
		   ts_named(t, e->name)->check);
	for (const struct ast_enum_member *m = e->members; m; m = m->next) {
		out_puts(b, m == e->members ? "" : ", ");
		ts_str(b, m->name, strlen(m->name));
	}
	out_puts(b, "]);\n}\n\n");
}

/* The runtime's Problem and Violation, as oa_problem and oa_violation
 * describe them (open objects: the document has no additionalProperties). */
static void ts_problem_checks(struct ts *t)
{
	static const char *const codes[] = {
		APIC_V_MISSING, APIC_V_UNKNOWN_PROPERTY, APIC_V_WRONG_TYPE,
		APIC_V_OUT_OF_RANGE, APIC_V_BELOW_MINIMUM, APIC_V_ABOVE_MAXIMUM,
		APIC_V_TOO_SHORT, APIC_V_TOO_LONG, APIC_V_PATTERN, APIC_V_FORMAT,
		APIC_V_ENUM, APIC_V_TOO_FEW_ITEMS, APIC_V_TOO_MANY_ITEMS,
		APIC_V_DUPLICATE_ITEMS, APIC_V_TOO_FEW_PROPERTIES,
		APIC_V_TOO_MANY_PROPERTIES, APIC_V_INVALID, APIC_V_READ_ONLY, APIC_V_REPEATED,
	};
	struct out_buf *b = t->b;

	t->helpers |= TS_H_STR | TS_H_NUM | TS_H_ARR | TS_H_ENUM;
	out_printf(b, "function %s(v: unknown, p: string, e: $Issue[]): void {\n"
		   "\tconst o = $obj(v, p, e, [\"type\", \"title\", \"status\", \"detail\"], null);\n"
		   "\tif (!o)\n\t\treturn;\n"
		   "\tfor (const k of [\"type\", \"title\", \"detail\"])\n"
		   "\t\tif (o[k] !== undefined)\n\t\t\t$str(o[k], $key(p, k), e);\n"
		   "\tif (o[\"status\"] !== undefined)\n\t\t$num(o[\"status\"], $key(p, \"status\"), e, 1, 400, 599);\n"
		   "\tif (o[\"offset\"] !== undefined)\n\t\t$num(o[\"offset\"], $key(p, \"offset\"), e, 1, 0);\n"
		   "\tif (o[\"errors\"] !== undefined)\n\t\t$arr(o[\"errors\"], $key(p, \"errors\"), e, %s);\n"
		   "}\n\n", t->problem_check, t->violation_check);
	out_printf(b, "function %s(v: unknown, p: string, e: $Issue[]): void {\n"
		   "\tconst o = $obj(v, p, e, [\"location\", \"code\", \"message\"], null);\n"
		   "\tif (!o)\n\t\treturn;\n"
		   "\tif (o[\"location\"] !== undefined)\n"
		   "\t\t$enum(o[\"location\"], $key(p, \"location\"), e, [\"body\", \"path\", \"query\", \"header\", \"cookie\"]);\n"
		   "\tfor (const k of [\"pointer\", \"name\", \"message\"])\n"
		   "\t\tif (o[k] !== undefined)\n\t\t\t$str(o[k], $key(p, k), e);\n"
		   "\tif (o[\"code\"] !== undefined)\n\t\t$enum(o[\"code\"], $key(p, \"code\"), e, [",
		   t->violation_check);
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		out_printf(b, "%s\"%s\"", i ? ", " : "", codes[i]);
	out_puts(b, "]);\n}\n\n");
}

void ts_checks(struct ts *t)
{
	out_puts(t->b, "/* ---- the checks of validate: true ------------------------------------------ */\n\n");
	/* the queue grows while models are written: their fields' types */
	for (size_t i = 0; i < t->nqueue; i++) {
		if (t->queue[i]->enm)
			ts_enum_check(t, t->queue[i]->enm);
		else if (t->queue[i]->uni)
			ts_union_check(t, t->queue[i]->uni);
		else
			ts_model_check(t, t->queue[i]->model);
	}
	if (t->problem && t->problem_needed)
		ts_problem_checks(t);
}

void ts_pattern_decls(struct ts *t)
{
	if (!t->pattern_decls.len)
		return;
	out_puts(t->b, "/* the patterns, as ECMA-262 with the u flag (null: not checked here) */\n");
	out_put(t->b, t->pattern_decls.p, t->pattern_decls.len);
	out_puts(t->b, "\n");
}
