/* Raw replies: `-> 200 text as "text/csv" download "report.csv"`. The reply
 * function takes the handler's bytes as they are; the Content-Type is the
 * declared media type (text with charset=utf-8) and a download name
 * becomes Content-Disposition: attachment (ast_content_disposition()). */
#include "emit_c_int.h"

#include <string.h>

void ec_raw_reply(struct ec *e, const struct ast_response *r)
{
	if (r->download) {
		char cd[AST_DISPOSITION_MAX];
		ast_content_disposition(r->download, cd);
		ec_ln(e, 1, "if (apic_ctx_set_header(ctx, \"Content-Disposition\", %s) != 0)", ec_str(e, cd));
		ec_ln(e, 2, "return -1;");
	}
	const char *ct = r->raw == RAW_TEXT ? names_fmt(e->n, "%s; charset=utf-8", r->media) : r->media;
	ec_ln(e, 1, "return apic_ctx_reply_raw(ctx, %d, %s, p, n);", r->status, ec_str(e, ct));
}
