/* What a handler or a hook can ask about its request (apic.h): method,
 * path, route template, operation id, and the client's address, which
 * behind a --trusted-proxy comes from X-Forwarded-For (the rightmost
 * address that is not a trusted proxy: the leftmost ones are the client's
 * to forge). */
#include "internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *apic_ctx_method(struct apic_ctx *ctx)
{
	return ctx->method;
}

struct apic_str apic_ctx_path(struct apic_ctx *ctx)
{
	return (struct apic_str){ ctx->path, ctx->path_len };
}

const char *apic_ctx_route(struct apic_ctx *ctx)
{
	return ctx->route ? ctx->route->path : NULL;
}

const char *apic_ctx_operation(struct apic_ctx *ctx)
{
	return ctx->route ? ctx->route->operation_id : NULL;
}

/* An address as 16 bytes (IPv4 mapped into IPv6); false when it is none. */
static bool parse_addr(const char *s, size_t n, unsigned char out[16])
{
	char buf[INET6_ADDRSTRLEN];
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	struct in_addr a4;
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return true;
	}
	return inet_pton(AF_INET6, buf, out) == 1;
}

/* Whether `addr` is in one of the --trusted-proxy entries: addresses, or
 * networks ADDR/BITS (IPv4 bits count in the IPv4 part). */
bool apic__trusted_proxy(const char *list, const unsigned char addr[16])
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		const char *e = p, *end = p + n;
		while (e < end && (*e == ' ' || *e == '\t'))
			e++;
		const char *slash = memchr(e, '/', (size_t)(end - e));
		const char *aend = slash ? slash : end;
		while (aend > e && (aend[-1] == ' ' || aend[-1] == '\t'))
			aend--;
		unsigned char net[16];
		if (parse_addr(e, (size_t)(aend - e), net)) {
			bool v4 = memchr(e, ':', (size_t)(aend - e)) == NULL;
			long bits = slash ? strtol(slash + 1, NULL, 10) : (v4 ? 32 : 128);
			if (v4)
				bits += 96;
			if (bits >= 0 && bits <= 128) {
				bool match = true;
				for (long i = 0; i < bits && match; i++)
					match = ((net[i / 8] ^ addr[i / 8]) & (0x80 >> (i % 8))) == 0;
				if (match)
					return true;
			}
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

bool apic__sa_bytes(const struct sockaddr_storage *ss, unsigned char out[16])
{
	if (ss->ss_family == AF_INET) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &((const struct sockaddr_in *)(const void *)ss)->sin_addr, 4);
		return true;
	}
	if (ss->ss_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr, 16);
		return true;
	}
	return false;
}

/* One X-Forwarded-For line, from the right: copies each address into
 * `peer` while they are trusted proxies. Returns whether to go on to the
 * line before (every address on this one was a trusted proxy). */
static bool xff_step(const char *list, const char *v, size_t end, char *peer)
{
	while (end > 0) {
		size_t start = end;
		while (start > 0 && v[start - 1] != ',')
			start--;
		size_t a = start, b = end;
		while (a < b && (v[a] == ' ' || v[a] == '\t'))
			a++;
		while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
			b--;
		unsigned char addr[16];
		if (!parse_addr(v + a, b - a, addr))
			return false; /* not an address: trust nothing further left */
		memcpy(peer, v + a, b - a);
		peer[b - a] = '\0';
		if (!apic__trusted_proxy(list, addr))
			return false;
		end = start ? start - 1 : 0;
	}
	return true;
}

const char *apic_ctx_peer(struct apic_ctx *ctx)
{
	if (ctx->peer[0])
		return ctx->peer;
	struct sockaddr_storage ss;
	memcpy(&ss, ctx->peer_sa, sizeof ss < sizeof ctx->peer_sa ? sizeof ss : sizeof ctx->peer_sa);
	unsigned char direct[16];
	if (!apic__sa_bytes(&ss, direct))
		return "-";
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)&ss)->sin_addr, ctx->peer,
			  sizeof ctx->peer);
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)&ss)->sin6_addr, ctx->peer,
			  sizeof ctx->peer);
	const char *list = ctx->srv->trusted_proxy;
	if (list == NULL || !apic__trusted_proxy(list, direct))
		return ctx->peer;
	/* Every X-Forwarded-For line makes one comma list, in order (RFC 9110
	 * 5.3): a proxy may add a line of its own rather than append to the
	 * client's (HAProxy's option forwardfor does), so the last line holds
	 * the rightmost addresses. From the right: the first address that is
	 * no trusted proxy. */
	for (size_t h = ctx->nhdrs; h-- > 0;) {
		const struct apic__hdr *xff = &ctx->hdrs[h];
		if (xff->nlen != 15 || strncasecmp(xff->name, "X-Forwarded-For", 15) != 0)
			continue;
		if (!xff_step(list, xff->value, xff->vlen, ctx->peer))
			break;
	}
	return ctx->peer;
}
