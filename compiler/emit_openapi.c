/* OpenAPI 3.1 emitter. */
#include "emit.h"

char *emit_openapi(const struct ast_schema *s, struct diag_ctx *d)
{
	(void)s;
	diag_fatal(d, "OpenAPI emission is not implemented yet");
	return NULL;
}
