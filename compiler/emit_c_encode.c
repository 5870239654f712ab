/* Encoders of NAME.c writing JSON straight into the response buffer, and
 * the functions of enums. */
#include "emit_c_int.h"

#include <string.h>

/* ---- encoders -------------------------------------------------------------------- */

void ec_enc_value(struct ec *e, int ind, const struct ast_type *t, const char *v, bool top)
{
	struct names *n = e->n;
	const char *ptr, *count;
	unsigned k;
	switch (t->kind) {
	case TYPE_PRIM:
		switch (t->prim) {
		case PRIM_STRING: ec_ln(e, ind, "apic_buf_str(b, %s.ptr, %s.len);", v, v); return;
		case PRIM_BOOL: ec_ln(e, ind, "apic_buf_bool(b, %s);", v); return;
		case PRIM_INT32:
		case PRIM_INT64: ec_ln(e, ind, "apic_buf_i64(b, %s);", v); return;
		case PRIM_NUMBER: ec_ln(e, ind, "apic_buf_f64(b, %s);", v); return;
		}
		return;
	case TYPE_NAMED:
		if (t->model)
			ec_ln(e, ind, "%s(b, %s);", names_model_fn(n, t->model, "encode"), v);
		else
			ec_ln(e, ind, "%s(b, %s);", names_enum_fn(n, t->enm, "write"), v);
		return;
	case TYPE_ARRAY:
		ec_seq_exprs(e, t, v, top, &ptr, &count);
		k = ec_tmp(e);
		ec_ln(e, ind, "apic_buf_lit(b, \"[\");");
		ec_ln(e, ind, "for (size_t i%u = 0; i%u < %s; i%u++) {", k, k, count, k);
		ec_ln(e, ind + 1, "if (i%u)", k);
		ec_ln(e, ind + 2, "apic_buf_lit(b, \",\");");
		ec_enc_value(e, ind + 1, t->elem, names_fmt(n, "%s[i%u]", ptr, k), false);
		ec_ln(e, ind, "}");
		ec_ln(e, ind, "apic_buf_lit(b, \"]\");");
		return;
	case TYPE_MAP:
		ec_seq_exprs(e, t, v, top, &ptr, &count);
		k = ec_tmp(e);
		ec_ln(e, ind, "apic_buf_lit(b, \"{\");");
		ec_ln(e, ind, "for (size_t i%u = 0; i%u < %s; i%u++) {", k, k, count, k);
		ec_ln(e, ind + 1, "if (i%u)", k);
		ec_ln(e, ind + 2, "apic_buf_lit(b, \",\");");
		ec_ln(e, ind + 1, "apic_buf_str(b, %s[i%u].key.ptr, %s[i%u].key.len);", ptr, k, ptr, k);
		ec_ln(e, ind + 1, "apic_buf_lit(b, \":\");");
		ec_enc_value(e, ind + 1, t->elem, names_fmt(n, "%s[i%u].value", ptr, k), true);
		ec_ln(e, ind, "}");
		ec_ln(e, ind, "apic_buf_lit(b, \"}\");");
		return;
	}
}

void emit_model_encoder(struct ec *e, const struct ast_model *m)
{
	struct names *n = e->n;
	ec_ln(e, 0, "static void %s(struct apic_buf *b, const struct %s *v)",
	   names_model_fn(n, m, "encode"), names_model(n, m));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "if (!v) {");
	ec_ln(e, 2, "b->oom = true; /* a required object is missing: the reply becomes a 500 */");
	ec_ln(e, 2, "return;");
	ec_ln(e, 1, "}");
	bool any = false;
	for (const struct ast_field *f = m->fields; f; f = f->next)
		any |= !f->writeonly;
	if (!any) {
		ec_ln(e, 1, "apic_buf_lit(b, \"{}\");");
		ec_ln(e, 0, "}");
		ec_ln(e, 0, "%s", "");
		return;
	}
	/* Whether a member was surely written before each field is known at
	 * generation time until the first optional field: only from there on
	 * does the separator need a run-time variable. */
	enum { NONE_YET, SOME, UNKNOWN } state = NONE_YET;
	bool need_sep = false;
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		if (f->writeonly)
			continue;
		if (state != SOME && (f->optional || state == UNKNOWN))
			need_sep = true;
		state = f->optional ? (state == SOME ? SOME : UNKNOWN) : SOME;
	}
	if (need_sep)
		ec_ln(e, 1, "char sep = '{';");
	state = NONE_YET;
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		if (f->writeonly)
			continue;
		const char *mem = names_field(n, f);
		bool model = c_is_model(f->type);
		int ind = 1;
		if (f->optional) {
			if (model)
				ec_ln(e, 1, "if (v->%s%s) {", mem,
				   f->nullable ? names_fmt(n, " || v->%s_is_null", mem) : "");
			else
				ec_ln(e, 1, "if (v->has_%s%s) {", mem,
				   f->nullable ? names_fmt(n, " || v->%s_is_null", mem) : "");
			ind = 2;
		}
		const char *key = ec_json_key(e, f->name);
		if (state == SOME) {
			ec_ln(e, ind, "apic_buf_lit(b, \",\" %s);", key);
		} else if (state == NONE_YET && !f->optional) {
			ec_ln(e, ind, "apic_buf_lit(b, \"{\" %s);", key);
		} else {
			ec_ln(e, ind, "apic_buf_put(b, &sep, 1);");
			ec_ln(e, ind, "sep = ',';");
			ec_ln(e, ind, "apic_buf_lit(b, %s);", key);
		}
		state = f->optional ? (state == SOME ? SOME : UNKNOWN) : SOME;
		const char *val = names_fmt(n, "v->%s", mem);
		if (f->nullable) {
			if (model)
				ec_ln(e, ind, "if (v->%s_is_null || !v->%s)", mem, mem);
			else
				ec_ln(e, ind, "if (v->%s_is_null)", mem);
			ec_ln(e, ind + 1, "apic_buf_lit(b, \"null\");");
			ec_ln(e, ind, "else");
			if (f->type->kind == TYPE_ARRAY || f->type->kind == TYPE_MAP) {
				ec_ln(e, ind, "{");
				ec_enc_value(e, ind + 1, f->type, val, true);
				ec_ln(e, ind, "}");
			} else {
				ec_enc_value(e, ind + 1, f->type, val, true);
			}
		} else {
			ec_enc_value(e, ind, f->type, val, true);
		}
		if (f->optional)
			ec_ln(e, 1, "}");
	}
	if (state == UNKNOWN) {
		ec_ln(e, 1, "if (sep == '{')");
		ec_ln(e, 2, "apic_buf_lit(b, \"{\");");
	}
	ec_ln(e, 1, "apic_buf_lit(b, \"}\");");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
}

/* ---- enums -------------------------------------------------------------------------- */

void emit_enum_fns(struct ec *e, const struct ast_enum *en, size_t idx)
{
	struct names *n = e->n;
	/* P_enum__parse, public (NAME.h), is written with every enum. */
	ec_ln(e, 0, "enum %s %s(const char *s, size_t n)", names_enum(n, en), names_enum_fn(n, en, "parse"));
	ec_ln(e, 0, "{");
	for (const struct ast_enum_member *m = en->members; m; m = m->next) {
		ec_ln(e, 1, "if (n == %zu && memcmp(s, %s, %zu) == 0)", strlen(m->name),
		   ec_str(e, m->name), strlen(m->name));
		ec_ln(e, 2, "return %s;", names_enum_const(n, en, m));
	}
	ec_ln(e, 1, "return %s;", names_enum_unset(n, en));
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	if (e->enc_enum[idx]) {
		ec_ln(e, 0, "static void %s(struct apic_buf *b, enum %s v)", names_enum_fn(n, en, "write"),
		   names_enum(n, en));
		ec_ln(e, 0, "{");
		ec_ln(e, 1, "switch (v) {");
		for (const struct ast_enum_member *m = en->members; m; m = m->next) {
			ec_ln(e, 1, "case %s:", names_enum_const(n, en, m));
			struct out_buf j;
			out_init(&j);
			out_printf(&j, "\"%s\"", m->name);
			ec_ln(e, 2, "apic_buf_lit(b, %s);", ec_lit(e, j.p, j.len));
			out_free(&j);
			ec_ln(e, 2, "return;");
		}
		ec_ln(e, 1, "case %s:", names_enum_unset(n, en));
		ec_ln(e, 2, "break;");
		ec_ln(e, 1, "}");
		ec_ln(e, 1, "b->oom = true; /* not a member: the reply becomes a 500 */");
		ec_ln(e, 0, "}");
		ec_ln(e, 0, "%s", "");
	}
	if (e->hdr_enum[idx]) {
		ec_ln(e, 0, "static bool %s(struct apic_ctx *ctx, const char *name, enum %s v)",
		   names_enum_fn(n, en, "header"), names_enum(n, en));
		ec_ln(e, 0, "{");
		ec_ln(e, 1, "switch (v) {");
		for (const struct ast_enum_member *m = en->members; m; m = m->next) {
			ec_ln(e, 1, "case %s:", names_enum_const(n, en, m));
			ec_ln(e, 2, "return apic_header_str(ctx, name, %s, %zu);", ec_str(e, m->name), strlen(m->name));
		}
		ec_ln(e, 1, "case %s:", names_enum_unset(n, en));
		ec_ln(e, 2, "break;");
		ec_ln(e, 1, "}");
		ec_ln(e, 1, "return false; /* not a member: the reply becomes a 500 */");
		ec_ln(e, 0, "}");
		ec_ln(e, 0, "%s", "");
	}
}

