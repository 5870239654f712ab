/* The handler stubs: NAME_handlers.c for `apic generate` and `apic new`,
 * single stubs for `apic stubs`. */
#ifndef APIC_EMIT_STUBS_H
#define APIC_EMIT_STUBS_H

#include "emit.h"
#include "names.h"
#include "out.h"

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
