/* Caching headers, entity tags and gzip for replies (zlib), shared by the
 * socket server and the test client; the last step of a request, after the
 * reply is made.
 *
 * - An operation's `cache "..."` is its 2xx replies' Cache-Control; with
 *   `etag`, its 200 replies carry a weak ETag of the body and an
 *   If-None-Match that lists it gets 304 without a body.
 * - The built-in documents (/openapi.json, /docs and its assets) carry a
 *   weak ETag, W/"LENGTH-CRC32" of the uncompressed body, W/"LENGTH-CRC32-gzip"
 *   when they go gzipped, and answer If-None-Match with 304 for the tag of
 *   the representation chosen. The OpenAPI document's gzip is the one stored
 *   in the generated code (docs.c); the others are compressed once and kept.
 * - A reply of a compressible type (JSON, problem+json, text, HTML, CSS,
 *   JavaScript) of --compress-min bytes or more goes out gzipped when the
 *   client's Accept-Encoding takes gzip: always for the built-in documents,
 *   for the API's replies with --compress. Vary: Accept-Encoding tells
 *   caches. A body gzip does not make smaller goes out as it is. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

/* Whether Accept-Encoding takes gzip: "gzip", "x-gzip" or "*" with no q=0. */
static bool accepts_gzip(const struct apic__hdr *h)
{
	if (h == NULL)
		return false;
	const char *p = h->value, *end = h->value + h->vlen;
	while (p < end) {
		const char *item = p;
		while (p < end && *p != ',')
			p++;
		const char *t = item, *te = item;
		while (t < p && (*t == ' ' || *t == '\t'))
			t++;
		te = t;
		while (te < p && *te != ';' && *te != ' ' && *te != '\t')
			te++;
		size_t n = (size_t)(te - t);
		bool named = (n == 4 && strncasecmp(t, "gzip", 4) == 0) ||
			     (n == 6 && strncasecmp(t, "x-gzip", 6) == 0) || (n == 1 && *t == '*');
		if (named) {
			/* q=0 (0.0, 0.00...) refuses it. */
			const char *q = te;
			while (q < p && (*q == ' ' || *q == '\t' || *q == ';'))
				q++;
			bool refused = false;
			if (p - q >= 3 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
				refused = true;
				for (const char *d = q + 2; d < p && *d != ' ' && *d != ';'; d++)
					if (*d != '0' && *d != '.')
						refused = false;
			}
			if (!refused)
				return true;
		}
		if (p < end)
			p++;
	}
	return false;
}

static bool compressible(const char *ctype)
{
	if (ctype == NULL)
		return false;
	static const char *const kinds[] = { "application/json", "application/problem+json", "text/",
					     "application/javascript" };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strncasecmp(ctype, kinds[i], strlen(kinds[i])) == 0)
			return true;
	return false;
}

/* gzip of body into out (room for `cap` bytes); its length, 0 when it
 * did not fit (not worth it) or zlib failed. */
static size_t gzip(const char *body, size_t len, unsigned char *out, size_t cap)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	zs.next_in = (Bytef *)(uintptr_t)body;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	int rc = deflate(&zs, Z_FINISH);
	size_t n = rc == Z_STREAM_END ? cap - zs.avail_out : 0;
	deflateEnd(&zs);
	return n;
}

/* W/"LENGTH-CRC32" of a body. */
static void etag_of(const char *body, size_t len, char *out, size_t cap)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	for (size_t off = 0; off < len;) {
		uInt n = len - off > UINT32_MAX ? UINT32_MAX : (uInt)(len - off);
		crc = crc32(crc, (const Bytef *)body + off, n);
		off += n;
	}
	snprintf(out, cap, "W/\"%zx-%08lx\"", len, crc);
}

/* The gzip one's is the text's with -gzip inside the quotes. */
void apic__rep_tag(struct apic__rep *r)
{
	char tag[sizeof r->etag];
	etag_of(r->body, r->len, tag, sizeof tag);
	memcpy(r->etag, tag, sizeof tag);
	snprintf(r->etag_gz, sizeof r->etag_gz, "%.*s-gzip\"", (int)strlen(tag) - 1, tag);
}

/* The other built-in documents (/docs and its assets), compressed and
 * tagged once: a few entries. */
static struct apic__rep kept[8];
static size_t nkept;
static pthread_mutex_t kept_mu = PTHREAD_MUTEX_INITIALIZER;

static const struct apic__rep *keep(const char *body, size_t len)
{
	pthread_mutex_lock(&kept_mu);
	struct apic__rep *k = NULL;
	for (size_t i = 0; i < nkept && k == NULL; i++)
		if (kept[i].body == body && kept[i].len == len)
			k = &kept[i];
	if (k == NULL && nkept < sizeof kept / sizeof kept[0] && len <= UINT32_MAX) {
		k = &kept[nkept];
		k->body = body;
		k->len = len;
		apic__rep_tag(k);
		size_t cap = len - len / 8; /* at least an eighth smaller, or not worth it */
		unsigned char *gz = cap ? malloc(cap) : NULL;
		if (gz && (k->gzlen = gzip(body, len, gz, cap)) == 0) {
			free(gz);
			gz = NULL;
		}
		k->gz = gz;
		nkept++;
	}
	pthread_mutex_unlock(&kept_mu);
	return k;
}

/* If-None-Match lists `etag` (weak comparison) or is "*". */
static bool matches(const struct apic__hdr *inm, const char *etag)
{
	const char *op = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
	size_t olen = strlen(op);
	const char *p = inm->value, *end = inm->value + inm->vlen;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p < end && *p == '*')
			return true;
		if (end - p >= 2 && p[0] == 'W' && p[1] == '/')
			p += 2;
		const char *q = p;
		while (q < end && *q != ',')
			q++;
		const char *qe = q;
		while (qe > p && (qe[-1] == ' ' || qe[-1] == '\t'))
			qe--;
		if ((size_t)(qe - p) == olen && memcmp(p, op, olen) == 0)
			return true;
		p = q;
	}
	return false;
}

/* An operation's own caching: Cache-Control, and ETag/304. Returns false
 * when the reply became a 304. */
static bool route_caching(struct apic_ctx *ctx)
{
	const struct apic_route *rt = ctx->route;
	if (rt == NULL || ctx->special != APIC__SP_NONE || ctx->status < 200 || ctx->status > 299)
		return true;
	if (rt->cache_control)
		apic__add_rhdr(ctx, "Cache-Control", rt->cache_control);
	if (!rt->etag || ctx->status != 200)
		return true;
	char *tag = apic__arena_alloc(&ctx->arena, 40);
	if (tag == NULL)
		return true;
	etag_of(ctx->rbody ? ctx->rbody : "", ctx->rlen, tag, 40);
	apic__add_rhdr(ctx, "ETag", tag);
	const struct apic__hdr *inm = apic__req_find_header(ctx, "If-None-Match");
	if (inm == NULL || !matches(inm, tag))
		return true;
	ctx->status = 304;
	ctx->rbody = NULL;
	ctx->rlen = 0;
	ctx->ctype = NULL;
	return false;
}

void apic__compress_reply(struct apic_ctx *ctx)
{
	const struct apic_server *srv = ctx->srv;
	if (!route_caching(ctx))
		return;
	bool builtin = ctx->special == APIC__SP_OPENAPI || ctx->special == APIC__SP_DOCS ||
		       ctx->special == APIC__SP_ASSET;
	if (ctx->status != 200 || ctx->rlen == 0 || (!builtin && !srv->compress) || !compressible(ctx->ctype))
		return;
	const struct apic__hdr *ae = apic__req_find_header(ctx, "Accept-Encoding");
	if (builtin) {
		/* The OpenAPI document's gzip is the one stored in the generated code. */
		const struct apic__rep *r = ctx->special == APIC__SP_OPENAPI ? srv->openapi
									  : keep(ctx->rbody, ctx->rlen);
		if (r == NULL)
			return;
		bool gz = r->gz && accepts_gzip(ae);
		const char *tag = gz ? r->etag_gz : r->etag;
		apic__add_rhdr(ctx, "ETag", tag);
		apic__add_rhdr(ctx, "Vary", "Accept-Encoding");
		const struct apic__hdr *inm = apic__req_find_header(ctx, "If-None-Match");
		if (inm != NULL && matches(inm, tag)) {
			ctx->status = 304;
			ctx->rbody = NULL;
			ctx->rlen = 0;
			ctx->ctype = NULL;
			return;
		}
		if (gz) {
			apic__add_rhdr(ctx, "Content-Encoding", "gzip");
			ctx->rbody = (const char *)r->gz;
			ctx->rlen = r->gzlen;
		}
		return;
	}
	if (ctx->rlen < srv->compress_min)
		return;
	apic__add_rhdr(ctx, "Vary", "Accept-Encoding");
	if (!accepts_gzip(ae) || ctx->rlen > UINT32_MAX)
		return;
	size_t cap = ctx->rlen - ctx->rlen / 8;
	unsigned char *out = apic__arena_alloc(&ctx->arena, cap);
	size_t n = out ? gzip(ctx->rbody, ctx->rlen, out, cap) : 0;
	if (n == 0)
		return;
	apic__add_rhdr(ctx, "Content-Encoding", "gzip");
	ctx->rbody = (const char *)out;
	ctx->rlen = n;
}
