/* C spellings of schema types and of the generated signatures (c_names.h). */
#include "c_names.h"

#include <string.h>

const char *emit_c_type(struct names *n, const struct ast_type *t, const char *stem)
{
	switch (t->kind) {
	case TYPE_PRIM:
		switch (t->prim) {
		case PRIM_STRING: return "struct apic_str";
		case PRIM_BOOL: return "bool";
		case PRIM_INT32: return "int32_t";
		case PRIM_INT64: return "int64_t";
		case PRIM_NUMBER: return "double";
		}
		break;
	case TYPE_NAMED:
		if (t->model)
			return names_fmt(n, "const struct %s *", names_model(n, t->model));
		if (t->uni)
			return names_fmt(n, "struct %s", c_union(n, t->uni));
		return names_fmt(n, "enum %s", names_enum(n, t->enm));
	case TYPE_ARRAY:
	case TYPE_MAP:
		return names_fmt(n, "struct %s", stem);
	}
	return "void";
}

const char *c_ptr_decl(struct names *n, const char *type, const char *name)
{
	size_t len = strlen(type);
	return names_fmt(n, "%s%s*%s", type, len && type[len - 1] == '*' ? "" : " ", name);
}

const char *c_reply_stem(struct names *n, const struct ast_op *op, const struct ast_response *r)
{
	return names_op_fn(n, op, names_fmt(n, "reply_%s", names_uint(n, (size_t)r->status)));
}

const char *c_reply_headers(struct names *n, const struct ast_op *op, const struct ast_response *r)
{
	return names_aux(n, c_reply_stem(n, op, r), "headers");
}

void emit_c_publish_proto(struct out_buf *b, struct names *n, const struct ast_op *op,
			  const struct ast_response *r)
{
	out_printf(b, "int %s(struct apic_channel *channel, const struct %s *event)",
		   names_op_fn(n, op, "publish"), names_model(n, r->type->model));
}

void emit_c_ws_socket(struct out_buf *b, struct names *n, const struct ast_op *op)
{
	out_printf(b, "/* The callbacks of a %s WebSocket (loop thread): its start, each message\n"
		   " * decoded, its end with the close code (1006: none). */\n", op->id);
	out_printf(b, "struct %s {\n", names_op_fn(n, op, "socket"));
	out_puts(b, "\tvoid (*opened)(struct apic_ws *ws, void *cls);\n");
	out_printf(b, "\tint (*message)(struct apic_ws *ws, const struct %s *msg, void *cls);\n",
		   names_model(n, op->ws_in->model));
	out_puts(b, "\tvoid (*closed)(struct apic_ws *ws, int code, void *cls);\n};\n");
}

void emit_c_ws_protos(struct out_buf *b, struct names *n, const struct ast_op *op, int which)
{
	if (which == 0)
		out_printf(b, "int %s(struct apic_ctx *ctx, const struct %s *on, void *cls)",
			   names_op_fn(n, op, "accept"), names_op_fn(n, op, "socket"));
	else
		out_printf(b, "int %s(struct apic_ws *ws, const struct %s *msg)", names_op_fn(n, op, "send"),
			   names_model(n, op->ws_out->model));
}

void emit_c_reply_proto(struct out_buf *b, struct names *n, const struct ast_op *op,
			const struct ast_response *r)
{
	const char *fn = c_reply_stem(n, op, r);
	const struct ast_type *t = r->type;
	out_printf(b, "int %s(struct apic_ctx *ctx", fn);
	if (r->stream) {
		out_puts(b, ", struct apic_channel *channel)");
		return;
	}
	if (r->raw) {
		out_puts(b, ", const char *p, size_t n");
	} else if (ast_response_is_error(r)) {
		out_puts(b, ", const char *detail");
	} else if (!t) {
	} else if (t->kind == TYPE_ARRAY) {
		const char *et = c_is_model(t->elem)
			? names_fmt(n, "struct %s", names_model(n, t->elem->model))
			: emit_c_type(n, t->elem, names_aux(n, fn, "item"));
		out_printf(b, ", const %s, size_t count", c_ptr_decl(n, et, "items"));
	} else if (t->kind == TYPE_MAP) {
		out_printf(b, ", const struct %s *entries, size_t count", names_aux(n, fn, "entry"));
	} else {
		const char *ct = emit_c_type(n, t, fn);
		out_printf(b, ", %s%sbody", ct, ct[strlen(ct) - 1] == '*' ? "" : " ");
	}
	if (r->headers)
		out_printf(b, ", const struct %s *headers", c_reply_headers(n, op, r));
	out_puts(b, ")");
}


/* ---- unions ------------------------------------------------------------------ */

const char *c_union(struct names *n, const struct ast_union *u)
{
	return names_fmt(n, "%s_%s", names_prefix(n), names_snake(n, u->name));
}

/* The branch's word before any suffix. */
static const char *branch_word(struct names *n, const struct ast_branch *b)
{
	const struct ast_type *t = b->type;
	if (b->value)
		return names_snake(n, b->value);
	switch (t->kind) {
	case TYPE_PRIM:
		switch (t->prim) {
		case PRIM_STRING: return "string";
		case PRIM_BOOL: return "boolean";
		case PRIM_INT32: return "int32";
		case PRIM_INT64: return "int64";
		case PRIM_NUMBER: return "number";
		}
		break;
	case TYPE_NAMED:
		return names_snake(n, t->name);
	case TYPE_ARRAY: return "array";
	case TYPE_MAP: return "map";
	}
	return "value";
}

const char *c_branch(struct names *n, const struct ast_union *u, const struct ast_branch *b)
{
	const char *w = branch_word(n, b);
	unsigned same = 1;
	for (const struct ast_branch *x = u->branches; x && x != b; x = x->next)
		if (!strcmp(branch_word(n, x), w))
			same++;
	return same == 1 ? w : names_fmt(n, "%s_%u", w, same);
}

const char *c_branch_const(struct names *n, const struct ast_union *u, const struct ast_branch *b)
{
	return names_fmt(n, "%s_%s_%s", names_upper_prefix(n), names_upper(n, u->name),
			 names_upper(n, c_branch(n, u, b)));
}

const char *c_union_unset(struct names *n, const struct ast_union *u)
{
	return names_fmt(n, "%s_%s__UNSET", names_upper_prefix(n), names_upper(n, u->name));
}
