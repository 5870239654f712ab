/* Edit-distance suggestions (see suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void suggest_init(struct suggest *s, const char *word)
{
	memset(s, 0, sizeof *s);
	s->word = word;
	s->len = strlen(word);
	s->max = s->len / 3 > 1 ? (unsigned)(s->len / 3) : 1;
	s->best_d = s->max + 1;
}

unsigned suggest_distance(const char *a, const char *b, unsigned limit)
{
	size_t n = strlen(a), m = strlen(b);
	if ((n > m ? n - m : m - n) > limit || m > 256)
		return limit + 1;
	/* optimal string alignment: Levenshtein plus adjacent transpositions */
	unsigned rows[3][257], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		unsigned lo;
		cur[0] = lo = (unsigned)i;
		for (size_t j = 1; j <= m; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			unsigned v = prev[j - 1] + (ca != cb);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < lo)
				lo = v;
		}
		if (lo > limit)
			return limit + 1;
		unsigned *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[m] > limit ? limit + 1 : prev[m];
}

void suggest_add(struct suggest *s, const char *c)
{
	if (strcmp(c, s->word) == 0)
		return;
	unsigned d;
	if (strcasecmp(c, s->word) == 0)
		d = 0; /* differs in case only: the best possible */
	else {
		d = suggest_distance(s->word, c, s->max);
		if (d == 0)
			d = 1;
		if (d > s->max)
			return;
	}
	if (d < s->best_d) {
		s->best_d = d;
		s->best = c;
		s->nbest = 1;
	} else if (d == s->best_d && strcmp(c, s->best) != 0)
		s->nbest++;
}

const char *suggest_result(const struct suggest *s)
{
	return s->nbest == 1 ? s->best : NULL;
}
