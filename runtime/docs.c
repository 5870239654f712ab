/* Built-in endpoints outside the API's basepath: the OpenAPI document
 * (/openapi.json), Swagger UI (/docs, --no-docs turns both off), a health
 * check (/healthz -> {"status":"ok"}) and a readiness check (/readyz ->
 * {"status":"ready"}; 503 once a stop began or while the application's
 * check fails); paths are flags.
 *
 * The generated code stores the document gzipped; compress.c sends those
 * bytes to clients that accept gzip, the text inflated here to the others.
 *
 * Swagger UI comes from the npm package swagger-ui-dist (pinned by
 * runtime/swagger-ui/package-lock.json, installed by setup.sh); its bundle
 * and stylesheet are embedded into libapic (.incbin) and served under the
 * docs path, so /docs never loads anything from another host. A libapic
 * built --without-swagger-ui answers 404 there, saying why. */
#include "internal.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "swagger-config.h"

#ifdef APIC_SWAGGER_DIR
#define INCBIN(sym, file)                                                  \
	__asm__(".section .rodata\n"                                          \
		".balign 16\n"                                                \
		".hidden " #sym "\n"                                          \
		".hidden " #sym "_end\n"                                      \
		".global " #sym "\n"                                          \
		".global " #sym "_end\n" #sym ":\n"                           \
		".incbin \"" APIC_SWAGGER_DIR "/" file "\"\n" #sym "_end:\n" \
		".byte 0\n"                                                   \
		".previous\n")
INCBIN(apic__swagger_js, "swagger-ui-bundle.js");
INCBIN(apic__swagger_css, "swagger-ui.css");
extern const char apic__swagger_js[], apic__swagger_js_end[];
extern const char apic__swagger_css[], apic__swagger_css_end[];
#define ASSET_JS "/swagger-ui-bundle.js"
#define ASSET_CSS "/swagger-ui.css"
#endif

static const char health_body[] = "{\"status\":\"ok\"}";
static const char ready_body[] = "{\"status\":\"ready\"}";

#ifdef APIC_SWAGGER_DIR
/* The title goes into HTML text and a JS string: keep it to harmless bytes. */
static void html_safe(char *out, size_t cap, const char *s)
{
	size_t o = 0;
	for (; s && *s && o + 1 < cap; s++)
		out[o++] = strchr("<>&\"'\\", *s) || (unsigned char)*s < 0x20 ? ' ' : *s;
	out[o] = '\0';
}
#endif

/* The OpenAPI documents of the APIs served in this process, inflated once
 * each and kept for the process's life: the servers and testers of one API
 * share the text, and what a reply points to never goes away. */
struct stored_doc {
	const struct apic_api *api;
	struct apic__rep rep;
	struct stored_doc *next;
};
static struct stored_doc *stored_docs;
static pthread_mutex_t stored_mu = PTHREAD_MUTEX_INITIALIZER;

/* Why the stored stream is not one gzip member of exactly `len` bytes, or
 * NULL when it is and text[0..len) holds it. */
static const char *inflate_doc(const struct apic_api *api, char *text, size_t len)
{
	if (api->openapi_gz_len > UINT_MAX || len >= UINT_MAX)
		return "larger than 4 GB";
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return "out of memory";
	zs.next_in = (Bytef *)(uintptr_t)api->openapi_gz;
	zs.avail_in = (uInt)api->openapi_gz_len;
	zs.next_out = (Bytef *)text;
	zs.avail_out = (uInt)len + 1; /* room for one byte too many */
	int rc = inflate(&zs, Z_FINISH);
	const char *why = NULL;
	if (rc == Z_DATA_ERROR)
		why = zs.msg ? zs.msg : "invalid data";
	else if (rc == Z_MEM_ERROR)
		why = "out of memory";
	else if (zs.total_out > len || (rc != Z_STREAM_END && zs.avail_out == 0))
		why = "longer than recorded";
	else if (rc != Z_STREAM_END)
		why = "truncated";
	else if (zs.total_out < len)
		why = "shorter than recorded";
	else if (zs.avail_in != 0)
		why = "bytes after the stream";
	inflateEnd(&zs);
	return why;
}

/* The API's document, inflated by its first server; NULL after logging. */
static const struct apic__rep *stored_doc(const struct apic_server *srv)
{
	const struct apic_api *api = srv->api;
	pthread_mutex_lock(&stored_mu);
	struct stored_doc *d = stored_docs;
	while (d && d->api != api)
		d = d->next;
	if (d == NULL) {
		const char *why = "out of memory";
		char *text = malloc(api->openapi_len + 1);
		if ((d = calloc(1, sizeof *d)) != NULL && text != NULL &&
		    (why = inflate_doc(api, text, api->openapi_len)) == NULL) {
			text[api->openapi_len] = '\0';
			d->api = api;
			d->rep = (struct apic__rep){ .body = text, .len = api->openapi_len,
						     .gz = api->openapi_gz, .gzlen = api->openapi_gz_len };
			apic__rep_tag(&d->rep);
			d->next = stored_docs;
			stored_docs = d;
		} else {
			apic__log(srv, "error", "the OpenAPI document embedded in the generated code "
				  "(%zu bytes gzipped, %zu inflated) is damaged: %s; regenerate it",
				  api->openapi_gz_len, api->openapi_len, why);
			free(text);
			free(d);
			d = NULL;
		}
	}
	pthread_mutex_unlock(&stored_mu);
	return d ? &d->rep : NULL;
}

/* Inflates the OpenAPI document when the server starts rather than on the
 * first request: a damaged one stops the start, and no request waits. */
int apic__docs_init(struct apic_server *srv)
{
	if (srv->docs && srv->api->openapi_gz != NULL && srv->openapi == NULL &&
	    (srv->openapi = stored_doc(srv)) == NULL)
		return -1;
#ifdef APIC_SWAGGER_DIR
	if (srv->docs_html != NULL)
		return 0;
	char title[256];
	html_safe(title, sizeof title, srv->api->title ? srv->api->title : "API");
	char openapi[512], docs[512];
	html_safe(openapi, sizeof openapi, srv->openapi_path);
	html_safe(docs, sizeof docs, srv->docs_path);
	/* validatorUrl null: Swagger UI would otherwise send the document's URL
	 * to an online validator. */
	char *html = NULL;
	int n = asprintf(&html,
			 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			 "<title>%s - API documentation</title>\n"
			 "<link rel=\"stylesheet\" href=\"%s%s\">\n</head>\n<body>\n"
			 "<div id=\"swagger-ui\"></div>\n<script src=\"%s%s\"></script>\n"
			 "<script>\nwindow.onload = function () {\n"
			 "  window.ui = SwaggerUIBundle({ url: \"%s\", dom_id: \"#swagger-ui\",\n"
			 "    displayOperationId: true, deepLinking: true, docExpansion: \"list\",\n"
			 "    validatorUrl: null });\n"
			 "};\n</script>\n</body>\n</html>\n",
			 title, docs, ASSET_CSS, docs, ASSET_JS, openapi);
	if (n < 0)
		return -1;
	srv->docs_html = html;
	srv->docs_html_len = (size_t)n;
#else
	(void)srv;
#endif
	return 0;
}

static bool path_is(const char *path, size_t len, const char *want)
{
	return want && want[0] && strlen(want) == len && memcmp(path, want, len) == 0;
}

int apic_server_add_static(struct apic_server *srv, const char *path, const char *content_type,
			   const char *body, size_t len)
{
	struct apic__static *f = calloc(1, sizeof *f);
	if (f == NULL || path == NULL || path[0] != '/') {
		free(f);
		return -1;
	}
	*f = (struct apic__static){ srv->statics, path, content_type, body, len };
	srv->statics = f;
	return 0;
}

void apic__statics_free(struct apic_server *srv)
{
	while (srv->statics) {
		struct apic__static *f = srv->statics;
		srv->statics = f->next;
		free(f);
	}
}

int apic_server_set_ready_check(struct apic_server *srv, int (*fn)(void *cls), void *cls)
{
	srv->ready_fn = fn;
	srv->ready_cls = cls;
	return 0;
}

bool apic__docs_match(struct apic_ctx *ctx, const char *path, size_t len)
{
	const struct apic_server *srv = ctx->srv;
	enum apic__special sp = APIC__SP_NONE;
	if (path_is(path, len, srv->health_path))
		sp = APIC__SP_HEALTH;
	else if (path_is(path, len, srv->ready_path))
		sp = APIC__SP_READY;
	else if (srv->docs && path_is(path, len, srv->openapi_path) && srv->openapi)
		sp = APIC__SP_OPENAPI;
	else if (srv->docs && path_is(path, len, srv->docs_path))
		sp = APIC__SP_DOCS;
#ifdef APIC_SWAGGER_DIR
	else if (srv->docs && len > strlen(srv->docs_path) &&
		 memcmp(path, srv->docs_path, strlen(srv->docs_path)) == 0) {
		const char *rest = path + strlen(srv->docs_path);
		size_t rl = len - strlen(srv->docs_path);
		if (path_is(rest, rl, ASSET_JS) || path_is(rest, rl, ASSET_CSS)) {
			sp = APIC__SP_ASSET;
			ctx->asset = path_is(rest, rl, ASSET_JS) ? ASSET_JS : ASSET_CSS;
		}
	}
#endif
	for (const struct apic__static *f = srv->statics; f && sp == APIC__SP_NONE; f = f->next)
		if (path_is(path, len, f->path)) {
			sp = APIC__SP_STATIC;
			ctx->static_file = f;
		}
	if (sp == APIC__SP_NONE)
		return false;
	ctx->special = sp;
	if (ctx->method_id == APIC_GET || ctx->method_id == APIC_HEAD)
		return true;
	ctx->allow = "GET, HEAD, OPTIONS";
	if (ctx->method_id == APIC_OPTIONS)
		apic__cors_options(ctx, ctx->allow);
	else
		apic__reply_problem(ctx, 405, "only GET and HEAD are allowed here", NULL);
	return true;
}

void apic__docs_serve(struct apic_ctx *ctx)
{
	const struct apic_server *srv = ctx->srv;
	if (ctx->replied)
		return;
	switch (ctx->special) {
	case APIC__SP_HEALTH:
		apic__add_rhdr(ctx, "Cache-Control", "no-store");
		apic__reply(ctx, 200, "application/json", health_body, sizeof health_body - 1);
		break;
	case APIC__SP_READY:
		/* Not ready once a stop has begun, or while the application says
		 * so (its check runs here, on the worker thread). */
		apic__add_rhdr(ctx, "Cache-Control", "no-store");
		if (atomic_load(&ctx->srv->draining))
			apic__reply_problem(ctx, 503, "the server is stopping", NULL);
		else if (srv->ready_fn && srv->ready_fn(srv->ready_cls) != 0)
			apic__reply_problem(ctx, 503, "not ready", NULL);
		else
			apic__reply(ctx, 200, "application/json", ready_body, sizeof ready_body - 1);
		break;
	case APIC__SP_OPENAPI:
		apic__reply(ctx, 200, "application/json", srv->openapi->body, srv->openapi->len);
		break;
	case APIC__SP_STATIC:
		apic__add_rhdr(ctx, "Cache-Control", "no-cache");
		apic__reply(ctx, 200, ctx->static_file->ctype, ctx->static_file->body, ctx->static_file->len);
		break;
	case APIC__SP_DOCS:
#ifdef APIC_SWAGGER_DIR
		if (srv->docs_html == NULL) {
			apic__reply_problem(ctx, 500, "documentation page unavailable", NULL);
			break;
		}
		apic__reply(ctx, 200, "text/html; charset=utf-8", srv->docs_html, srv->docs_html_len);
#else
		apic__reply_problem(ctx, 404, "this server was built without Swagger UI (configure "
				    "--without-swagger-ui); the OpenAPI document is still served", NULL);
#endif
		break;
	case APIC__SP_ASSET:
#ifdef APIC_SWAGGER_DIR
		apic__add_rhdr(ctx, "Cache-Control", "public, max-age=86400");
		if (strcmp(ctx->asset, ASSET_JS) == 0)
			apic__reply(ctx, 200, "text/javascript; charset=utf-8", apic__swagger_js,
				    (size_t)(apic__swagger_js_end - apic__swagger_js));
		else
			apic__reply(ctx, 200, "text/css; charset=utf-8", apic__swagger_css,
				    (size_t)(apic__swagger_css_end - apic__swagger_css));
#endif
		break;
	case APIC__SP_NONE:
		break;
	}
}
