/* The summary of an operation whose schema gives none (no /// doc comment,
 * no `summary`): its operationId in words, as FastAPI derives one from a
 * route's function name (name.replace("_", " ").title()), with camelCase
 * humps as word breaks too, since apic's operationIds are camelCase:
 * listPets -> "List Pets", getPetsByPetId -> "Get Pets By Pet Id",
 * getHTTPStatus -> "Get Http Status". Documentation tools list operations
 * by their summary, and redocly's recommended rules require one. */
#include <ctype.h>
#include <string.h>

#include "openapi_int.h"

static bool is_up(char c) { return isupper((unsigned char)c); }
static bool is_low(char c) { return islower((unsigned char)c); }
static bool is_alnum(char c) { return isalnum((unsigned char)c); }

/* A word starts at an upper-case letter after a lower-case one or a digit,
 * and at the last capital of a run followed by a lower-case letter
 * (HTTPStatus: HTTP Status). */
static bool hump(const char *id, size_t i)
{
	if (i == 0 || !is_up(id[i]))
		return false;
	return is_low(id[i - 1]) || isdigit((unsigned char)id[i - 1]) ||
	       (is_up(id[i - 1]) && is_low(id[i + 1]));
}

void op_summary_words(struct out_buf *b, const char *id)
{
	size_t start = b->len;
	bool letter_before = false;  /* str.title(): a letter after a letter is lower case */

	for (size_t i = 0; id[i]; i++) {
		char c = id[i];

		if (!is_alnum(c)) {  /* '_' and '-' separate words */
			if (b->len > start && b->p[b->len - 1] != ' ')
				out_put(b, " ", 1);
			letter_before = false;
			continue;
		}
		if (hump(id, i)) {
			if (b->len > start && b->p[b->len - 1] != ' ')
				out_put(b, " ", 1);
			letter_before = false;
		}
		if (isalpha((unsigned char)c)) {
			c = (char)(letter_before ? tolower((unsigned char)c) : toupper((unsigned char)c));
			letter_before = true;
		} else {
			letter_before = false;
		}
		out_put(b, &c, 1);
	}
	while (b->len > start && b->p[b->len - 1] == ' ')
		b->len--;
}

const char *oa_summary_of_id(struct oa *oa, const char *id)
{
	struct out_buf *b = &oa->scratch;

	b->len = 0;
	op_summary_words(b, id);
	out_put(b, "", 1);
	if (b->oom)
		oa_oom();
	return b->p;
}
