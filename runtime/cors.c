/* CORS (Fetch standard): off unless --cors-origin is given. An allowed
 * Origin gets Access-Control-Allow-Origin (the origin itself, or "*" for a
 * wildcard without credentials) and Vary: Origin on every response, errors
 * included; a preflight (OPTIONS + Access-Control-Request-Method) gets the
 * allowed methods, headers and max age. */
#include "internal.h"

#include <string.h>
#include <strings.h>

static bool origin_allowed(const struct apic_server *srv, const struct apic__hdr *o)
{
	if (srv->cors_any)
		return true;
	for (size_t i = 0; i < srv->ncors_origins; i++)
		if (strlen(srv->cors_origins[i]) == o->vlen &&
		    strncasecmp(srv->cors_origins[i], o->value, o->vlen) == 0)
			return true;
	return false;
}

void apic__cors_headers(struct apic_ctx *ctx)
{
	const struct apic_server *srv = ctx->srv;
	if (srv->ncors_origins == 0 && !srv->cors_any)
		return;
	apic__add_rhdr(ctx, "Vary", "Origin");
	const struct apic__hdr *o = apic__req_find_header(ctx, "Origin");
	if (o == NULL || !origin_allowed(srv, o))
		return;
	if (srv->cors_any && !srv->cors_credentials)
		apic__add_rhdr(ctx, "Access-Control-Allow-Origin", "*");
	else
		apic__add_rhdr(ctx, "Access-Control-Allow-Origin", o->value);
	if (srv->cors_credentials)
		apic__add_rhdr(ctx, "Access-Control-Allow-Credentials", "true");
	if (srv->cors_expose && srv->cors_expose[0])
		apic__add_rhdr(ctx, "Access-Control-Expose-Headers", srv->cors_expose);
}

void apic__cors_options(struct apic_ctx *ctx, const char *allow)
{
	const struct apic_server *srv = ctx->srv;
	const struct apic__hdr *o = apic__req_find_header(ctx, "Origin");
	const struct apic__hdr *m = apic__req_find_header(ctx, "Access-Control-Request-Method");
	if (o != NULL && m != NULL && (srv->ncors_origins || srv->cors_any) && origin_allowed(srv, o)) {
		apic__add_rhdr(ctx, "Access-Control-Allow-Methods", allow);
		apic__add_rhdr(ctx, "Access-Control-Allow-Headers", srv->cors_headers);
		char *age = apic_ctx_printf(ctx, "%u", srv->cors_max_age);
		if (age != NULL)
			apic__add_rhdr(ctx, "Access-Control-Max-Age", age);
	}
	apic_ctx_reply_empty(ctx, 204);
}
