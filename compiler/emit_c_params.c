/* Parameters of NAME.c: path, query, header and cookie text parsed and
 * checked into the operation's params struct. */
#include "emit_c_int.h"

#include <string.h>

/* ---- parameters -------------------------------------------------------------------- */

const char *ec_where_enum(enum ast_param_in in)
{
	switch (in) {
	case IN_PATH: return "APIC_IN_PATH";
	case IN_QUERY: return "APIC_IN_QUERY";
	case IN_HEADER: return "APIC_IN_HEADER";
	case IN_COOKIE: return "APIC_IN_COOKIE";
	}
	return "APIC_IN_QUERY";
}

/* Parses text `str` (struct apic_str) into lvalue `dst` of scalar type t. */
static void parse_text(struct ec *e, int ind, const struct ast_type *t, const char *str,
		       const char *dst, const struct site *s)
{
	struct names *n = e->n;
	unsigned k;
	if (c_is_enum(t)) {
		ec_ln(e, ind, "if (!(%s = %s(%s.ptr, %s.len)))", dst, names_enum_fn(n, t->enm, "parse"), str, str);
		ec_vio(e, ind + 1, s, "APIC_V_ENUM", "must be one of: %s", names_fmt(n, ", %s", ec_enum_list(e, t->enm)));
		return;
	}
	switch (t->prim) {
	case PRIM_STRING:
		ec_ln(e, ind, "%s = %s;", dst, str);
		ec_check_string(e, ind, &t->c, str, s);
		return;
	case PRIM_BOOL:
		ec_ln(e, ind, "if (!apic_parse_bool(%s.ptr, %s.len, &%s))", str, str, dst);
		ec_vio(e, ind + 1, s, "APIC_V_INVALID", "must be true or false", "");
		return;
	case PRIM_INT32:
	case PRIM_INT64:
		k = ec_tmp(e);
		ec_ln(e, ind, "int64_t x%u;", k);
		/* Too many digits is out_of_range, as for a body's integer. */
		ec_ln(e, ind, "int r%u = apic_parse_integer(%s.ptr, %s.len, &x%u);", k, str, str, k);
		ec_ln(e, ind, "if (r%u == 0) {", k);
		ec_vio(e, ind + 1, s, "APIC_V_INVALID", "must be an integer", "");
		ec_ln(e, ind, "} else if (r%u < 0) {", k);
		if (t->prim == PRIM_INT32)
			ec_vio(e, ind + 1, s, "APIC_V_OUT_OF_RANGE", "must fit in a 32-bit integer", "");
		else
			ec_vio(e, ind + 1, s, "APIC_V_OUT_OF_RANGE", "must fit in a 64-bit integer", "");
		if (t->prim == PRIM_INT32) {
			ec_ln(e, ind, "} else if (x%u < INT32_MIN || x%u > INT32_MAX) {", k, k);
			ec_vio(e, ind + 1, s, "APIC_V_OUT_OF_RANGE", "must fit in a 32-bit integer", "");
		} else if (!t->c.min.set) {
			/* The int64 range of bodies (the int helper) and of the
			 * document; a minimum of the schema reports it otherwise. */
			ec_ln(e, ind, "} else if (x%u == INT64_MIN) {", k);
			ec_vio(e, ind + 1, s, "APIC_V_OUT_OF_RANGE", "must fit in a 64-bit integer", "");
		}
		ec_ln(e, ind, "} else {");
		ec_check_bounds(e, ind + 1, &t->c, names_fmt(n, "x%u", k), true, s);
		ec_ln(e, ind + 1, "%s = (%s)x%u;", dst, t->prim == PRIM_INT32 ? "int32_t" : "int64_t", k);
		ec_ln(e, ind, "}");
		return;
	case PRIM_NUMBER:
		k = ec_tmp(e);
		ec_ln(e, ind, "double d%u;", k);
		ec_ln(e, ind, "if (!apic_parse_double(%s.ptr, %s.len, &d%u)) {", str, str, k);
		ec_vio(e, ind + 1, s, "APIC_V_INVALID", "must be a number", "");
		ec_ln(e, ind, "} else {");
		ec_check_bounds(e, ind + 1, &t->c, names_fmt(n, "d%u", k), false, s);
		ec_ln(e, ind + 1, "%s = d%u;", dst, k);
		ec_ln(e, ind, "}");
		return;
	}
}

void ec_param(struct ec *e, const struct ast_op *op, const struct ast_param *p,
		       unsigned path_idx, const char *array_name)
{
	struct names *n = e->n;
	const char *mem = names_fmt(n, "in->%s", names_param(n, p));
	const char *name = ec_str(e, p->name);
	struct site s = { NULL, ec_where_enum(p->in), name, NULL };
	unsigned k = ec_tmp(e);
	(void)op;
	if (p->in == IN_PATH) {
		ec_ln(e, 1, "{");
		ec_ln(e, 2, "struct apic_str s%u = apic_req_path(ctx, %u);", k, path_idx);
		parse_text(e, 2, p->type, names_fmt(n, "s%u", k), mem, &s);
		ec_ln(e, 1, "}");
		return;
	}
	if (p->type->kind == TYPE_ARRAY && p->in != IN_QUERY) {
		diag_error(e->d, p->loc, "only query parameters can be arrays");
		e->failed = true;
		return;
	}
	if (p->type->kind == TYPE_ARRAY) {
		const struct ast_type *t = p->type;
		ec_ln(e, 1, "{");
		ec_ln(e, 2, "struct apic_str *q%u = NULL;", k);
		ec_ln(e, 2, "size_t n%u = apic_req_query_all(ctx, %s, &q%u);", k, name, k);
		ec_ln(e, 2, "if (n%u == 0) {", k);
		if (!p->optional)
			ec_vio(e, 3, &s, "APIC_V_MISSING", "is required", "");
		else if (p->def)
			ec_default(e, 3, t, p->def, mem, names_fmt(n, "in->has_%s", names_param(n, p)),
				     NULL, array_name);
		else
			ec_ln(e, 3, "(void)q%u;", k);
		ec_ln(e, 2, "} else {");
		ec_check_count(e, 3, &t->c.minitems, &t->c.maxitems, names_fmt(n, "n%u", k), false, &s);
		ec_ln(e, 3, "%s = apic_ctx_alloc(ctx, n%u * sizeof *a%u);",
		   c_ptr_decl(n, emit_c_type(n, t->elem, "?"), names_fmt(n, "a%u", k)), k, k);
		ec_ln(e, 3, "if (!a%u)", k);
		ec_ln(e, 4, "return -1;");
		ec_ln(e, 3, "for (size_t i%u = 0; i%u < n%u; i%u++) {", k, k, k, k);
		struct site es = s;
		es.index = names_fmt(n, "i%u", k);
		parse_text(e, 4, t->elem, names_fmt(n, "q%u[i%u]", k, k), names_fmt(n, "a%u[i%u]", k, k), &es);
		ec_ln(e, 3, "}");
		if (t->c.unique) {
			ec_ln(e, 3, "for (size_t i%u = 1; i%u < n%u; i%u++)", k, k, k, k);
			ec_ln(e, 4, "for (size_t j%u = 0; j%u < i%u; j%u++)", k, k, k, k);
			ec_ln(e, 5, "if (q%u[i%u].len == q%u[j%u].len && memcmp(q%u[i%u].ptr, q%u[j%u].ptr, q%u[i%u].len) == 0)",
			   k, k, k, k, k, k, k, k, k, k);
			ec_vio(e, 6, &s, "APIC_V_DUPLICATE_ITEMS", "values %zu and %zu are equal",
			    names_fmt(n, ", j%u, i%u", k, k));
		}
		ec_ln(e, 3, "%s = a%u;", mem, k);
		ec_ln(e, 3, "%s_count = n%u;", mem, k);
		if (p->optional)
			ec_ln(e, 3, "in->has_%s = true;", names_param(n, p));
		ec_ln(e, 2, "}");
		ec_ln(e, 1, "}");
		return;
	}
	ec_ln(e, 1, "{");
	ec_ln(e, 2, "struct apic_str s%u;", k);
	if (p->in == IN_QUERY) {
		/* ?limit=1&limit=2 is ambiguous: refused, not first or last wins. */
		ec_ln(e, 2, "size_t c%u = apic_req_query_first(ctx, %s, &s%u);", k, name, k);
		ec_ln(e, 2, "if (c%u > 1) {", k);
		ec_vio(e, 3, &s, "APIC_V_REPEATED", "must be given once, got %zu values", names_fmt(n, ", c%u", k));
		ec_ln(e, 2, "} else if (c%u == 1) {", k);
	} else {
		ec_ln(e, 2, "if (%s(ctx, %s, &s%u)) {", p->in == IN_HEADER ? "apic_req_header" : "apic_req_cookie",
		   name, k);
	}
	if (p->optional)
		ec_ln(e, 3, "in->has_%s = true;", names_param(n, p));
	parse_text(e, 3, p->type, names_fmt(n, "s%u", k), mem, &s);
	if (!p->optional) {
		ec_ln(e, 2, "} else {");
		ec_vio(e, 3, &s, "APIC_V_MISSING", "is required", "");
	} else if (p->def) {
		ec_ln(e, 2, "} else {");
		ec_default(e, 3, p->type, p->def, mem, names_fmt(n, "in->has_%s", names_param(n, p)),
			     NULL, array_name);
	}
	ec_ln(e, 2, "}");
	ec_ln(e, 1, "}");
}

