/* Article slugs: an article's name in its URL, made from its title. A slug
 * is always one that GET /articles/SLUG routes to GetArticle: the title
 * "Feed" would make "feed", and /articles/feed is the feed (a literal
 * segment beats the {slug} parameter), so that article could never be read.
 * Such a slug gets a random suffix, as one that clashes with another
 * article's does. */
#ifndef CONDUIT_SLUG_H
#define CONDUIT_SLUG_H

#include <stddef.h>

#include "conduit.h"

/* The slug of `title`: ASCII letters and digits in lower case, every other
 * run of bytes one '-', at most 80 bytes before a suffix; "article" when
 * nothing is left; with a suffix already when it would not route to
 * GetArticle. *base_len is the length before any suffix. Arena memory with
 * room for a suffix; NULL when out of memory. */
char *slug_new(struct apic_ctx *ctx, struct apic_str title, size_t *base_len);

/* Gives `slug` (from slug_new) another random suffix after a clash; the
 * result routes to GetArticle too. */
void slug_retry(struct apic_ctx *ctx, char *slug, size_t base_len);

#endif
