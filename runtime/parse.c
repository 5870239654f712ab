/* Strict text parsing of path, query, header and cookie values: the whole
 * text must be one value spelled as JSON spells it (no blanks, no '+', no
 * leading zeros, no hex, no "inf"/"nan"), so every value has exactly one
 * accepted spelling. */
#include "apic_gen.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Digits of a JSON integer: "0" or [1-9][0-9]*. Returns the count, 0 if none. */
static size_t parse_int_digits(const char *s, size_t n)
{
	if (n == 0 || s[0] < '0' || s[0] > '9')
		return 0;
	if (s[0] == '0')
		return 1;
	size_t i = 1;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

int apic_parse_integer(const char *s, size_t n, int64_t *out)
{
	bool neg = n > 0 && s[0] == '-';
	size_t i = neg;
	size_t nd = parse_int_digits(s + i, n - i);
	if (nd == 0 || i + nd != n)
		return 0;
	/* Accumulate negatively: |INT64_MIN| does not fit in int64_t. */
	int64_t v = 0;
	for (; i < n; i++) {
		int d = s[i] - '0';
		if (v < (INT64_MIN + d) / 10)
			return -1;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == INT64_MIN)
			return -1;
		v = -v;
	}
	*out = v;
	return 1;
}

bool apic_parse_int64(const char *s, size_t n, int64_t *out)
{
	return apic_parse_integer(s, n, out) == 1;
}

bool apic_parse_int32(const char *s, size_t n, int32_t *out)
{
	int64_t v;
	if (!apic_parse_int64(s, n, &v) || v < INT32_MIN || v > INT32_MAX)
		return false;
	*out = (int32_t)v;
	return true;
}

static locale_t parse_c_locale;
static pthread_once_t parse_c_locale_once = PTHREAD_ONCE_INIT;

static void parse_c_locale_init(void)
{
	parse_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Longest number text accepted; longer spellings are rejected rather than
 * copied to the heap (no real client sends them). */
#define PARSE_MAX_NUMBER 320

bool apic_parse_double(const char *s, size_t n, double *out)
{
	/* JSON number grammar: -?int(.digits)?([eE][+-]?digits)? */
	size_t i = n > 0 && s[0] == '-';
	size_t nd = parse_int_digits(s + i, n - i);
	if (nd == 0)
		return false;
	i += nd;
	if (i < n && s[i] == '.') {
		size_t j = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == j)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t j = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == j)
			return false;
	}
	if (i != n || n > PARSE_MAX_NUMBER)
		return false;
	char buf[PARSE_MAX_NUMBER + 1];
	memcpy(buf, s, n);
	buf[n] = '\0';
	pthread_once(&parse_c_locale_once, parse_c_locale_init);
	double v = parse_c_locale ? strtod_l(buf, NULL, parse_c_locale) : strtod(buf, NULL);
	if (!isfinite(v))
		return false;
	*out = v;
	return true;
}

bool apic_parse_bool(const char *s, size_t n, bool *out)
{
	if (n == 4 && memcmp(s, "true", 4) == 0)
		*out = true;
	else if (n == 5 && memcmp(s, "false", 5) == 0)
		*out = false;
	else
		return false;
	return true;
}
