/* NAME.h / NAME.c emitter. */
#include "emit.h"

int emit_c(const struct ast_schema *s, const struct emit_opts *opts,
	   const char *openapi, struct diag_ctx *d)
{
	(void)s; (void)opts; (void)openapi;
	diag_fatal(d, "C code generation is not implemented yet");
	return -1;
}
