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
