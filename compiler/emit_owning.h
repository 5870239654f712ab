/* The ownership helpers of the generated code (docs/generated-code.md,
 * "Keeping data past the request"): written into NAME.h by emit_c*.c. */
#ifndef APIC_EMIT_OWNING_H
#define APIC_EMIT_OWNING_H

#include "ast.h"
#include "names.h"
#include "out.h"

/* Static inline definitions, after the descriptors' declarations: per
 * model __copy, __dup, __copy_array, __free_members, __free, __free_array;
 * per enum __name and __parse. */
void emit_owning_decls(struct out_buf *b, struct names *n, const struct ast_schema *s);

#endif
