/* "Did you mean": the one candidate close enough to a misspelt name.
 * Feed the candidates of the right namespace one by one; the result is
 * NULL unless exactly one candidate is nearest and within max(1, len/3)
 * edits (case-insensitive; a match differing only in case wins). */
#ifndef APIC_SUGGEST_H
#define APIC_SUGGEST_H

#include <stddef.h>

struct suggest {
	const char *word;
	size_t len;
	unsigned max;
	const char *best;
	unsigned best_d;
	unsigned nbest;
};

void suggest_init(struct suggest *s, const char *word);
void suggest_add(struct suggest *s, const char *candidate);
const char *suggest_result(const struct suggest *s);
/* Edit distance (Levenshtein with adjacent transpositions, ASCII case
 * folded), capped at limit + 1. */
unsigned suggest_distance(const char *a, const char *b, unsigned limit);

#endif
