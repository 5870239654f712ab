/* NAME.h: the structs of models, parameters and replies, the enums and
 * every prototype the handlers see (docs/generated-code.md). */
#include "emit_c_int.h"

#include <string.h>

/* Members for a value of type t called `name` (arrays and maps take two). */
void ec_member(struct ec *e, int ind, const struct ast_type *t,
			const char *stem, const char *name)
{
	struct names *n = e->n;
	if (t->kind == TYPE_ARRAY) {
		const char *et = emit_c_type(n, t->elem, names_aux(n, stem, "item"));
		ec_ln(e, ind, "%s;", c_ptr_decl(n, et, name));
		ec_ln(e, ind, "size_t %s_count;", name);
	} else if (t->kind == TYPE_MAP) {
		ec_ln(e, ind, "struct %s *%s;", names_aux(n, stem, "entry"), name);
		ec_ln(e, ind, "size_t %s_count;", name);
	} else {
		const char *ct = emit_c_type(n, t, stem);
		size_t len = strlen(ct);
		ec_ln(e, ind, "%s%s%s;", ct, ct[len - 1] == '*' ? "" : " ", name);
	}
}

/* The structs an array or map needs, innermost first; a top-level array or
 * map (a field, a parameter, a body) has its members inline instead. */
static void emit_aux_types(struct ec *e, const struct ast_type *t, const char *stem, bool top)
{
	struct names *n = e->n;
	if (t->kind == TYPE_ARRAY) {
		const char *item = names_aux(n, stem, "item");
		emit_aux_types(e, t->elem, item, false);
		if (!top) {
			ec_ln(e, 0, "struct %s {", stem);
			ec_ln(e, 1, "%s;", c_ptr_decl(n, emit_c_type(n, t->elem, item), "items"));
			ec_ln(e, 1, "size_t count;");
			ec_ln(e, 0, "};");
			ec_ln(e, 0, "%s", "");
		}
	} else if (t->kind == TYPE_MAP) {
		const char *value = names_aux(n, stem, "value");
		const char *entry = names_aux(n, stem, "entry");
		emit_aux_types(e, t->elem, value, false);
		ec_ln(e, 0, "struct %s {", entry);
		ec_ln(e, 1, "struct apic_str key;");
		ec_member(e, 1, t->elem, value, "value");
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
		if (!top) {
			ec_ln(e, 0, "struct %s {", stem);
			ec_ln(e, 1, "struct %s *entries;", entry);
			ec_ln(e, 1, "size_t count;");
			ec_ln(e, 0, "};");
			ec_ln(e, 0, "%s", "");
		}
	}
}

void ec_aux_types(struct ec *e, const struct ast_type *t, const char *stem, bool top)
{
	emit_aux_types(e, t, stem, top);
}

/* ---- operations -------------------------------------------------------------------- */

bool ec_body_has_flag(const struct ast_op *op)
{
	return op->body && op->body_optional && !c_is_model(op->body);
}

static void emit_params_struct(struct ec *e, const struct ast_op *op)
{
	struct names *n = e->n;
	const char *params = names_op_fn(n, op, "params");
	for (const struct ast_param *p = op->params; p; p = p->next)
		emit_aux_types(e, p->type, names_aux(n, params, names_param(n, p)), true);
	if (op->body)
		emit_aux_types(e, op->body, names_aux(n, params, "body"), true);
	ec_ln(e, 0, "struct %s {", params);
	bool any = false;
	for (const struct ast_param *p = op->params; p; p = p->next) {
		const char *mem = names_param(n, p);
		ec_member(e, 1, p->type, names_aux(n, params, mem), mem);
		if (p->optional)
			ec_ln(e, 1, "bool has_%s;", mem);
		any = true;
	}
	if (op->body) {
		ec_member(e, 1, op->body, names_aux(n, params, "body"), "body");
		if (ec_body_has_flag(op))
			ec_ln(e, 1, "bool has_body;");
		any = true;
	}
	if (!any)
		ec_ln(e, 1, "char unused; /* no parameters: C forbids an empty struct */");
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "%s", "");
}

static void emit_reply_headers_struct(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	struct names *n = e->n;
	const char *tag = c_reply_headers(n, op, r);
	ec_ln(e, 0, "struct %s {", tag);
	for (const struct ast_param *h = r->headers; h; h = h->next) {
		const char *mem = names_param(n, h);
		ec_member(e, 1, h->type, names_aux(n, tag, mem), mem);
		if (h->optional)
			ec_ln(e, 1, "bool has_%s;", mem);
	}
	ec_ln(e, 0, "};");
}

/* The replies NAME.h defines: the application's code alone calls them. */
static void emit_inline_replies(struct ec *e, const struct ast_op *op)
{
	struct names *n = e->n;
	ec_ln(e, 0, "#ifndef %s", ec_unit_macro(e));
	for (const struct ast_response *r = op->responses; r; r = r->next) {
		if (!ec_reply_inline(r))
			continue;
		const char *type = r->type ? ec_reply_type(e, op, r) : NULL;
		if (type)
			ec_ln(e, 0, "extern const struct apic_type %s;", type);
		out_puts(e->b, "static inline ");
		emit_c_reply_proto(e->b, n, op, r);
		ec_ln(e, 0, "%s", "");
		ec_ln(e, 0, "{");
		ec_reply_body(e, r, type);
		ec_ln(e, 0, "}");
	}
	ec_ln(e, 0, "#endif");
}

void emit_header(struct ec *e)
{
	struct names *n = e->n;
	const char *guard = names_fmt(n, "%s_H", names_upper_prefix(n));
	ec_banner(e);
	ec_ln(e, 0, "#ifndef %s", guard);
	ec_ln(e, 0, "#define %s", guard);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#include <apic_gen.h>");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#include <stdbool.h>");
	ec_ln(e, 0, "#include <stddef.h>");
	ec_ln(e, 0, "#include <stdint.h>");
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#ifdef __cplusplus");
	ec_ln(e, 0, "extern \"C\" {");
	ec_ln(e, 0, "#endif");
	ec_ln(e, 0, "%s", "");
	for (const struct ast_enum *en = e->s->enums; en; en = en->next) {
		ec_ln(e, 0, "enum %s {", names_enum(n, en));
		ec_ln(e, 1, "%s = 0,", names_enum_unset(n, en));
		unsigned v = 1;
		for (const struct ast_enum_member *m = en->members; m; m = m->next)
			ec_ln(e, 1, "%s = %s,", names_enum_const(n, en, m), names_uint(n, v++));
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
	}
	for (const struct ast_model *m = e->s->models; m; m = m->next)
		ec_ln(e, 0, "struct %s;", names_model(n, m));
	if (e->s->models)
		ec_ln(e, 0, "%s", "");
	ec_union_types(e);
	for (const struct ast_model *m = e->s->models; m; m = m->next) {
		for (const struct ast_field *f = m->fields; f; f = f->next)
			emit_aux_types(e, f->type, names_field_stem(n, m, f), true);
		ec_ln(e, 0, "struct %s {", names_model(n, m));
		for (const struct ast_field *f = m->fields; f; f = f->next) {
			const char *mem = names_field(n, f);
			ec_member(e, 1, f->type, names_field_stem(n, m, f), mem);
			if (f->optional && !c_is_model(f->type))
				ec_ln(e, 1, "bool has_%s;", mem);
			if (f->nullable)
				ec_ln(e, 1, "bool %s_is_null;", mem);
		}
		if (!m->fields)
			ec_ln(e, 1, "char unused; /* no fields: C forbids an empty struct */");
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
	}
	ec_desc_decls(e);
	if (e->s->enums || e->s->models) {
		ec_ln(e, 0, "#ifndef %s", ec_unit_macro(e));
		emit_owning_decls(e->b, n, e->s);
		ec_ln(e, 0, "#endif");
		ec_ln(e, 0, "%s", "");
	}
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		emit_params_struct(e, op);
	for (const struct ast_op *op = e->s->ops; op; op = op->next) {
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			if (r->type && (r->type->kind == TYPE_ARRAY || r->type->kind == TYPE_MAP))
				emit_aux_types(e, r->type, c_reply_stem(n, op, r), true);
			if (r->headers) {
				emit_reply_headers_struct(e, op, r);
				ec_ln(e, 0, "%s", "");
			}
		}
		ec_ln(e, 0, "/* %s %s */", ec_method_enum(op->method) + 5, names_fmt(n, "%s", op->path));
		ec_ln(e, 0, "int %s(struct apic_ctx *ctx, const struct %s *in);", names_op(n, op),
		   names_op_fn(n, op, "params"));
		bool inl = false;
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			inl |= ec_reply_inline(r);
			if (ec_reply_inline(r))
				continue;
			emit_c_reply_proto(e->b, n, op, r);
			ec_ln(e, 0, ";");
			if (r->stream) {
				emit_c_publish_proto(e->b, n, op, r);
				ec_ln(e, 0, ";");
			}
		}
		if (inl)
			emit_inline_replies(e, op);
		if (op->ws_in && op->ws_out) {
			emit_c_ws_socket(e->b, n, op);
			for (int w = 0; w < 2; w++) {
				emit_c_ws_protos(e->b, n, op, w);
				ec_ln(e, 0, ";");
			}
		}
		ec_ln(e, 0, "%s", "");
	}
	ec_ln(e, 0, "extern const struct apic_api %s_api;", names_prefix(n));
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#ifdef __cplusplus");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "#endif");
	ec_ln(e, 0, "#endif");
}

