/* Shared between the NAME.h/NAME.c emitter (emit_c.c) and the handler stub
 * emitter (emit_stubs.c): C spellings of schema types and signatures. */
#ifndef APIC_EMIT_STUBS_H
#define APIC_EMIT_STUBS_H

#include "emit.h"
#include "names.h"
#include "out.h"

/* The C type of one value of `t` ("int64_t", "const struct P_pet *",
 * "struct P_pet_tags_item" for an array inside an array); `stem` names the
 * auxiliary struct an array or map needs below the top level. */
const char *emit_c_type(struct names *n, const struct ast_type *t, const char *stem);

/* Appends "int P_op__reply_200(struct apic_ctx *ctx, ...)" (no ';'). */
void emit_c_reply_proto(struct out_buf *b, struct names *n, const struct ast_op *op,
			const struct ast_response *r);

/* Writes NAME_handlers.c when absent (emit_stubs_file()); an existing one
 * is left alone. Returns 0, or -1 after reporting. */
int emit_stubs(const struct ast_schema *s, const struct emit_opts *opts,
	       struct names *n, struct diag_ctx *d);
/* The stub of one operation: a comment with its parameters and replies,
 * and a body answering 501. */
void emit_stub(struct out_buf *b, struct names *n, const struct ast_op *op);
/* The whole handlers file: a banner, the include, every stub and (unless
 * opts->no_main) main(). */
void emit_stubs_file(struct out_buf *b, const struct ast_schema *s, const struct emit_opts *opts,
		     struct names *n);

#endif
