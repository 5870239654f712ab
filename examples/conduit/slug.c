/* See slug.h. */
#include "slug.h"

#include <stdbool.h>
#include <string.h>

#include <sodium.h>

/* A suffix: '-' and 16 hex digits of randomness. */
#define SUFFIX_LEN (1 + 16)
/* Suffixes tried before giving up on routing (one is enough in practice:
 * no literal route has the shape "WORD-0123456789abcdef"). */
#define ROUTE_ATTEMPTS 8

/* True when GET of the article's URL would reach GetArticle, as the
 * server's own router decides (no second copy of the routing rules). */
static bool slug_routes(struct apic_ctx *ctx, const char *slug)
{
	char *path = apic_ctx_printf(ctx, "%s/articles/%s", conduit_api.basepath, slug);
	const char *op = path ? apic_ctx_route_operation(ctx, "GET", path) : NULL;

	return op && strcmp(op, "GetArticle") == 0;
}

static void suffix(char *slug, size_t base_len)
{
	unsigned char r[(SUFFIX_LEN - 1) / 2];

	randombytes_buf(r, sizeof r);
	slug[base_len] = '-';
	sodium_bin2hex(slug + base_len + 1, SUFFIX_LEN, r, sizeof r);
}

char *slug_new(struct apic_ctx *ctx, struct apic_str title, size_t *base_len)
{
	size_t max = title.len < 80 ? title.len : 80, n = 0;
	char *s = apic_ctx_alloc(ctx, (max > 7 ? max : 7) + SUFFIX_LEN + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < title.len && n < max; i++) {
		unsigned char c = (unsigned char)title.ptr[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			s[n++] = (char)c;
		else if (c >= 'A' && c <= 'Z')
			s[n++] = (char)(c - 'A' + 'a');
		else if (n > 0 && s[n - 1] != '-')
			s[n++] = '-';
	}
	while (n > 0 && s[n - 1] == '-')
		n--;
	if (n == 0)
		memcpy(s, "article", n = sizeof "article" - 1);
	s[n] = '\0';
	*base_len = n;
	for (int i = 0; i < ROUTE_ATTEMPTS && !slug_routes(ctx, s); i++)
		suffix(s, n);
	return s;
}

void slug_retry(struct apic_ctx *ctx, char *slug, size_t base_len)
{
	int i = 0;

	do
		suffix(slug, base_len);
	while (++i < ROUTE_ATTEMPTS && !slug_routes(ctx, slug));
}
