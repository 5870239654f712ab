/* Writing JSON text straight into a response buffer (struct apic_buf):
 * strings with RFC 8259 escaping plus U+2028/U+2029, invalid UTF-8 replaced
 * by U+FFFD, integers, and doubles in their shortest round-trip form. */
#include "internal.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The buffer lives in the request's arena (b->ctx): it grows in place while
 * it is the arena's latest block, else moves, and doubles to keep the waste
 * below 2x.
 * Without a ctx (tests, benchmarks) it is heap memory the owner frees. */
bool apic_buf_grow(struct apic_buf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->cap - b->len >= more)
		return true;
	if (more > SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return false;
	}
	size_t cap = b->cap < 256 ? 256 : b->cap;
	while (cap - b->len < more)
		cap *= 2;
	char *p = b->ctx ? apic__arena_realloc(&b->ctx->arena, b->p, b->len, cap)
			 : realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

/* Bytes 0x00-0x7F: 0 = copy as is, 1 = short escape, 2 = \u00XX. */
static const unsigned char jsonbuf_esc[128] = {
	2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
};

/* Length of the well-formed UTF-8 sequence at s (Unicode 15 table 3-7),
 * or 0 when it is ill-formed; *bad is then the maximal ill-formed prefix
 * to replace by one U+FFFD (the W3C/WHATWG "maximal subpart" practice). */
static size_t jsonbuf_utf8(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned c = s[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*bad = 1;
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return len;
}

void apic_buf_str(struct apic_buf *b, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;
	apic_buf_lit(b, "\"");
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80 && !jsonbuf_esc[c]) {
			i++;
			continue;
		}
		size_t bad = 0, len = 1;
		if (c >= 0x80) {
			len = jsonbuf_utf8(s + i, n - i, &bad);
			/* U+2028 and U+2029 break JavaScript string literals. */
			bool sep = len == 3 && c == 0xE2 && s[i + 1] == 0x80 &&
				   (s[i + 2] & 0xFE) == 0xA8;
			if (len && !sep) {
				i += len;
				continue;
			}
		}
		apic_buf_put(b, str + run, i - run);
		if (bad) {
			apic_buf_lit(b, "\xEF\xBF\xBD");
			i += bad;
		} else if (len == 3) {
			apic_buf_put(b, s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
			i += 3;
		} else if (jsonbuf_esc[c] == 1) {
			char e[2] = { '\\', (char)c };
			switch (c) {
			case '\b': e[1] = 'b'; break;
			case '\t': e[1] = 't'; break;
			case '\n': e[1] = 'n'; break;
			case '\f': e[1] = 'f'; break;
			case '\r': e[1] = 'r'; break;
			default: break; /* '"' and '\\' escape as themselves */
			}
			apic_buf_put(b, e, 2);
			i++;
		} else {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			apic_buf_put(b, e, 6);
			i++;
		}
		run = i;
	}
	apic_buf_put(b, str + run, n - run);
	apic_buf_lit(b, "\"");
}

void apic_buf_i64(struct apic_buf *b, int64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	/* Negative magnitudes: |INT64_MIN| does not fit in int64_t. */
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	apic_buf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

static locale_t jsonbuf_c_locale;
static pthread_once_t jsonbuf_c_locale_once = PTHREAD_ONCE_INIT;

static void jsonbuf_c_locale_init(void)
{
	jsonbuf_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The shortest of %.15g, %.16g and %.17g that reads back as v (%.17g always
 * does); the point is made '.' whatever the process locale. */
void apic_buf_f64(struct apic_buf *b, double v)
{
	if (!isfinite(v)) {
		b->oom = true;
		return;
	}
	if (v == 0) {
		if (signbit(v))
			apic_buf_lit(b, "-0");
		else
			apic_buf_lit(b, "0");
		return;
	}
	char tmp[32];
	int n = 0;
	pthread_once(&jsonbuf_c_locale_once, jsonbuf_c_locale_init);
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		for (int i = 0; i < n; i++)
			if (tmp[i] == ',')
				tmp[i] = '.';
		double back = jsonbuf_c_locale ? strtod_l(tmp, NULL, jsonbuf_c_locale)
					       : strtod(tmp, NULL);
		if (back == v)
			break;
	}
	apic_buf_put(b, tmp, (size_t)n);
}
