/* C spellings of schema types and of the generated signatures, shared by
 * every emitter of C: NAME.h/NAME.c (emit_c*.c), the handler stubs
 * (emit_stubs.c) and the ownership helpers (emit_owning.c). */
#ifndef APIC_C_NAMES_H
#define APIC_C_NAMES_H

#include <stdbool.h>

#include "ast.h"
#include "names.h"
#include "out.h"

static inline bool c_is_model(const struct ast_type *t)
{
	return t->kind == TYPE_NAMED && t->model;
}

static inline bool c_is_enum(const struct ast_type *t)
{
	return t->kind == TYPE_NAMED && t->enm;
}

static inline bool c_is_union(const struct ast_type *t)
{
	return t->kind == TYPE_NAMED && t->uni;
}

/* A union's struct tag (P_payment), the member of a branch in its `u`
 * (the discriminator value or the branch type, in snake_case: card,
 * gift_card, email, string, array; a repeated one gets _2, _3...) and the
 * constant of its kind (P_PAYMENT_CARD; P_PAYMENT__UNSET is 0). */
const char *c_union(struct names *n, const struct ast_union *u);
const char *c_branch(struct names *n, const struct ast_union *u, const struct ast_branch *b);
const char *c_branch_const(struct names *n, const struct ast_union *u, const struct ast_branch *b);
const char *c_union_unset(struct names *n, const struct ast_union *u);

/* The C type of one value of `t` ("int64_t", "const struct P_pet *",
 * "struct P_pet_tags_item" for an array inside an array); `stem` names the
 * auxiliary struct an array or map needs below the top level. */
const char *emit_c_type(struct names *n, const struct ast_type *t, const char *stem);

/* "T *name" without a blank between '*'s. */
const char *c_ptr_decl(struct names *n, const char *type, const char *name);

/* P_op__reply_200: the reply function, and the stem of its body's aux types. */
const char *c_reply_stem(struct names *n, const struct ast_op *op, const struct ast_response *r);
/* The struct of the headers a response declares. */
const char *c_reply_headers(struct names *n, const struct ast_op *op, const struct ast_response *r);

/* Appends "int P_op__reply_200(struct apic_ctx *ctx, ...)" (no ';'). */
void emit_c_reply_proto(struct out_buf *b, struct names *n, const struct ast_op *op,
			const struct ast_response *r);
/* A WebSocket operation's callbacks struct, and its accept (which 0) and
 * send (1) functions' prototypes. */
void emit_c_ws_socket(struct out_buf *b, struct names *n, const struct ast_op *op);
void emit_c_ws_protos(struct out_buf *b, struct names *n, const struct ast_op *op, int which);
/* A stream's publish function: `int P_OP__publish(channel, event)`. */
void emit_c_publish_proto(struct out_buf *b, struct names *n, const struct ast_op *op,
			  const struct ast_response *r);

#endif
