/* Value checks used by generated decoders: code point counts, the formats
 * (same verdicts as ajv-formats 3 in "full" mode), `pattern` matching with
 * PCRE2, and JSON Schema equality for uniqueItems. */
#include "codec.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <json-c/json.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t apic_utf8_count(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xC0) != 0x80;
	return count;
}

size_t apic__utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* UTF-16 surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* beyond U+10FFFF */
	} else
		return 0;
	if (left < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

bool apic__utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t len = apic__utf8_seq(u + i, n - i);
		if (len == 0)
			return false;
		i += len;
	}
	return true;
}

/* ---- match data: one per thread, freed when the thread exits ------------ */

static pthread_key_t validate_md_key;
static pthread_once_t validate_md_once = PTHREAD_ONCE_INIT;
static bool validate_md_ok;

static void validate_md_free(void *md)
{
	pcre2_match_data_free(md);
}

static void validate_md_init(void)
{
	validate_md_ok = pthread_key_create(&validate_md_key, validate_md_free) == 0;
}

/* Only "matched or not" is needed, so one ovector pair suffices. */
static pcre2_match_data *validate_md(void)
{
	pthread_once(&validate_md_once, validate_md_init);
	if (!validate_md_ok)
		return NULL;
	pcre2_match_data *md = pthread_getspecific(validate_md_key);
	if (!md) {
		md = pcre2_match_data_create(1, NULL);
		if (md && pthread_setspecific(validate_md_key, md) != 0) {
			pcre2_match_data_free(md);
			md = NULL;
		}
	}
	return md;
}

static bool validate_match(const pcre2_code *code, const char *s, size_t n)
{
	pcre2_match_data *md = validate_md();
	if (!code || !md)
		return false;
	return pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
}

/* ---- patterns ------------------------------------------------------------ */

/* ECMA-262 regular expressions with the `u` flag, as ajv compiles them:
 * unanchored search, `$` only at the very end, \u escapes, `[]` and `[^]`.
 * PCRE2 agrees on the rest of the syntax ajv users write; the two classes
 * whose meaning differs are rewritten before compiling (ecma_rewrite). */
/* `shown` names the pattern in messages (the source before any rewriting). */
static pcre2_code *validate_compile(const char *src, const char *shown, uint32_t opts,
				    char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	if (!cc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
					 opts | PCRE2_DOLLAR_ENDONLY, &ec, &off, cc);
	pcre2_compile_context_free(cc);
	if (!code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof msg);
		snprintf(err, errlen, "pattern \"%s\": %s", shown, (const char *)msg);
		(void)off; /* an offset in the rewritten text would mislead */
		return NULL;
	}
	/* JIT is an optimisation: without it (no JIT support) matching still works. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

/* JavaScript's WhiteSpace and LineTerminator code points (`\s`). */
/* (PCRE2_ALT_BSUX: \x takes two hex digits, \uhhhh as in ECMA-262.) */
#define ECMA_SPACE "\\t\\n\\u000b\\u000c\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"

/* Where ECMA-262 and PCRE2 (without UCP, which would also widen \d and \w)
 * mean different things: `\s`/`\S` are Unicode-aware in JavaScript, and `.`
 * stops only at \n, \r, U+2028 and U+2029. Both become explicit classes;
 * everything else is copied. (`\S` inside a class stays ASCII.) malloc'd. */
static char *ecma_rewrite(const char *src)
{
	size_t n = strlen(src);
	/* worst case: every byte becomes the longest replacement */
	size_t cap = n * (sizeof "[^" ECMA_SPACE "]" + 1) + 1;
	char *out = malloc(cap), *o = out;
	if (!out)
		return NULL;
	bool in_class = false;
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		const char *rep = NULL;
		if (c == '\\' && i + 1 < n) {
			char e = src[++i];
			if (e == 's')
				rep = in_class ? ECMA_SPACE : "[" ECMA_SPACE "]";
			else if (e == 'S' && !in_class)
				rep = "[^" ECMA_SPACE "]";
			if (!rep) {
				*o++ = c;
				*o++ = e;
				continue;
			}
		} else if (c == '[' && !in_class) {
			in_class = true;
			*o++ = c;
			if (i + 1 < n && src[i + 1] == '^')
				*o++ = src[++i];
			continue;
		} else if (c == ']' && in_class) {
			in_class = false;
		} else if (c == '.' && !in_class) {
			rep = "[^\\n\\r\\u2028\\u2029]";
		}
		if (rep) {
			size_t len = strlen(rep);
			memcpy(o, rep, len);
			o += len;
		} else {
			*o++ = c;
		}
	}
	*o = '\0';
	return out;
}

int apic__patterns_compile(const struct apic_api *api, char *err, size_t errlen)
{
	for (size_t i = 0; i < api->npatterns; i++) {
		struct apic_pattern *p = api->patterns[i];
		if (p->code)
			continue;
		char *src = ecma_rewrite(p->source);
		if (!src) {
			snprintf(err, errlen, "out of memory");
			apic__patterns_free(api);
			return -1;
		}
		p->code = validate_compile(src, p->source,
					   PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS,
					   err, errlen);
		free(src);
		if (!p->code) {
			apic__patterns_free(api);
			return -1;
		}
	}
	return 0;
}

void apic__patterns_free(const struct apic_api *api)
{
	for (size_t i = 0; i < api->npatterns; i++) {
		pcre2_code_free(api->patterns[i]->code);
		api->patterns[i]->code = NULL;
	}
}

bool apic_pattern_match(const struct apic_pattern *pat, const char *s, size_t n)
{
	return validate_match(pat->code, s, n);
}

/* ---- formats ------------------------------------------------------------- */

/* ajv-formats' regular expressions for the formats that are one regex
 * (flag `i`, no `u`: ASCII only, so byte mode with caseless matching). */
static const char validate_email_re[] =
	"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
	"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$";
static const char validate_uuid_re[] =
	"^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$";
static const char validate_uri_re[] =
	"^(?:[a-z][a-z0-9+\\-.]*:)(?:\\/?\\/(?:(?:[a-z0-9\\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?"
	"(?:\\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}"
	"|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}"
	"|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}"
	"|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:"
	"|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}"
	"|(?:(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?))"
	"|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}"
	"|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\\.[a-z0-9\\-._~!$&'()*+,;=:]+)\\]"
	"|(?:(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)"
	"|(?:[a-z0-9\\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\\d*)?"
	"(?:\\/(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*"
	"|\\/(?:(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\\/(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?"
	"|(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\\/(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)"
	"(?:\\?(?:[a-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?"
	"(?:#(?:[a-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$";

/* Generated from ajv-formats' sources (tests/codec/formats.cjs checks them). */
static const char validate_hostname_re[] =
	"^(?=.{1,253}\\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[-0-9a-z]{0,61}"
	"[0-9a-z])?)*\\.?$";
static const char validate_uri_ref_re[] =
	"^(?:[a-z][a-z0-9+\\-.]*:)?(?:\\/?\\/(?:(?:[a-z0-9\\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?"
	":\\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-"
	"9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:"
	"(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){"
	"0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:["
	"0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]"
	"\\d|[01]?\\d\\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a"
	"-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\\.[a-z0-9\\-._~!$&'()*+,;=:]+)\\]|(?:(?"
	":25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)|(?:[a-z0-9\\-._~!$"
	"&'\"()*+,;=]|%[0-9a-f]{2})*)(?::\\d*)?(?:\\/(?:[a-z0-9\\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2}"
	")*)*|\\/(?:(?:[a-z0-9\\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})+(?:\\/(?:[a-z0-9\\-._~!$&'\"()*+"
	",;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})+(?:\\/(?:[a-z0"
	"-9\\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\\?(?:[a-z0-9\\-._~!$&'\"()*+,;=:@/?]|%[0-9"
	"a-f]{2})*)?(?:#(?:[a-z0-9\\-._~!$&'\"()*+,;=:@/?]|%[0-9a-f]{2})*)?$";

static pcre2_code *validate_fmt_code[5]; /* email, uuid, uri, hostname, uri-reference */
static pthread_once_t validate_fmt_once = PTHREAD_ONCE_INIT;

static void validate_fmt_init(void)
{
	char err[256];
	const char *src[5] = { validate_email_re, validate_uuid_re, validate_uri_re,
			       validate_hostname_re, validate_uri_ref_re };
	for (int i = 0; i < 5; i++)
		validate_fmt_code[i] = validate_compile(src[i], src[i], PCRE2_CASELESS, err, sizeof err);
}

static pcre2_code *validate_fmt(int which)
{
	pthread_once(&validate_fmt_once, validate_fmt_init);
	return validate_fmt_code[which];
}

static bool validate_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int validate_num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* full-date: ^(\d\d\d\d)-(\d\d)-(\d\d)$ with a real month and day. */
static bool validate_date(const char *s, size_t n)
{
	static const int days[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (n != 10 || s[4] != '-' || s[7] != '-' || !validate_digits(s, 4) ||
	    !validate_digits(s + 5, 2) || !validate_digits(s + 8, 2))
		return false;
	int year = validate_num2(s) * 100 + validate_num2(s + 2);
	int month = validate_num2(s + 5), day = validate_num2(s + 8);
	bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
	if (month < 1 || month > 12 || day < 1)
		return false;
	return day <= (month == 2 && leap ? 29 : days[month]);
}

/* ajv-formats' time with a mandatory zone:
 * ^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$  (i),
 * hour <= 23, minute <= 59, second < 60, or a leap second at 23:59 UTC. */
static bool validate_time(const char *s, size_t n)
{
	if (n < 8 || s[2] != ':' || s[5] != ':' || !validate_digits(s, 2) ||
	    !validate_digits(s + 3, 2) || !validate_digits(s + 6, 2))
		return false;
	int hr = validate_num2(s), min = validate_num2(s + 3), sec = validate_num2(s + 6);
	size_t i = 8;
	if (i < n && s[i] == '.') {
		size_t j = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == j)
			return false;
	}
	/* Fractions never move a whole second across 60 or 61. */
	int sign = 1, tzh = 0, tzm = 0;
	if (i == n)
		return false; /* the zone is mandatory in date-time */
	if (s[i] == 'z' || s[i] == 'Z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '-' ? -1 : 1;
		i++;
		if (n - i < 2 || !validate_digits(s + i, 2))
			return false;
		tzh = validate_num2(s + i);
		i += 2;
		if (i < n) {
			if (s[i] == ':')
				i++;
			if (n - i != 2 || !validate_digits(s + i, 2))
				return false;
			tzm = validate_num2(s + i);
			i += 2;
		}
	} else {
		return false;
	}
	if (i != n || tzh > 23 || tzm > 59)
		return false;
	if (hr <= 23 && min <= 59 && sec < 60)
		return true;
	int utc_min = min - tzm * sign;
	int utc_hr = hr - tzh * sign - (utc_min < 0 ? 1 : 0);
	return (utc_hr == 23 || utc_hr == -1) && (utc_min == 59 || utc_min == -1) && sec < 61;
}

/* Length of a JavaScript `\s` character at s (UTF-8), 0 if none. */
static size_t validate_js_space(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (n < 3)
		return 0;
	unsigned cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
	if ((s[0] & 0xF0) != 0xE0)
		return 0;
	if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF)
		return 3;
	return 0;
}

/* str.split(/t|\s/i) must give two parts: a date and a time with a zone.
 * A date is 10 ASCII bytes, so the only possible separator is at byte 10. */
static bool validate_date_time(const char *s, size_t n)
{
	if (n < 11 || !validate_date(s, 10))
		return false;
	size_t sep = (s[10] == 'T' || s[10] == 't') ? 1
		: validate_js_space((const unsigned char *)s + 10, n - 10);
	if (sep == 0)
		return false;
	return validate_time(s + 10 + sep, n - 10 - sep);
}

/* inet_pton wants a C string; its rules are JSON Schema's: a dotted quad
 * without leading zeros, no IPv6 zone id. */
static bool validate_inet(int af, const char *s, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned char addr[sizeof(struct in6_addr)];
	if (n >= sizeof buf || memchr(s, '\0', n))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(af, buf, addr) == 1;
}

bool apic_format_valid(enum apic_format fmt, const char *s, size_t n)
{
	switch (fmt) {
	case APIC_FMT_EMAIL:
		return validate_match(validate_fmt(0), s, n);
	case APIC_FMT_UUID:
		return validate_match(validate_fmt(1), s, n);
	case APIC_FMT_DATE:
		return validate_date(s, n);
	case APIC_FMT_DATE_TIME:
		return validate_date_time(s, n);
	case APIC_FMT_URI:
		/* ajv: NOT_URI_FRAGMENT (/\/|:/) must match too. */
		return (memchr(s, '/', n) || memchr(s, ':', n)) &&
		       validate_match(validate_fmt(2), s, n);
	case APIC_FMT_IPV4:
		return validate_inet(AF_INET, s, n);
	case APIC_FMT_IPV6:
		return validate_inet(AF_INET6, s, n);
	case APIC_FMT_HOSTNAME:
		return validate_match(validate_fmt(3), s, n);
	case APIC_FMT_URI_REFERENCE:
		return validate_match(validate_fmt(4), s, n);
	}
	return false;
}

/* ---- JSON equality --------------------------------------------------------- */

static bool validate_is_number(struct json_object *j)
{
	return json_object_is_type(j, json_type_int) || json_object_is_type(j, json_type_double);
}

/* An int as json-c holds it: int64, or uint64 above INT64_MAX. */
static bool validate_num_equal(struct json_object *a, struct json_object *b)
{
	bool ai = json_object_is_type(a, json_type_int), bi = json_object_is_type(b, json_type_int);
	if (ai && bi) {
		int64_t x = json_object_get_int64(a), y = json_object_get_int64(b);
		if (x != y)
			return false;
		return x != INT64_MAX || json_object_get_uint64(a) == json_object_get_uint64(b);
	}
	if (ai || bi) {
		struct json_object *i = ai ? a : b, *d = ai ? b : a;
		double dv = json_object_get_double(d);
		if (!(dv >= -0x1p63 && dv < 0x1p63) || dv != floor(dv))
			return false;
		return (int64_t)dv == json_object_get_int64(i) &&
		       (dv < 0x1p62 || json_object_get_uint64(i) == (uint64_t)dv);
	}
	return json_object_get_double(a) == json_object_get_double(b);
}

bool apic_json_equal(struct json_object *a, struct json_object *b)
{
	if (validate_is_number(a) && validate_is_number(b))
		return validate_num_equal(a, b);
	json_type t = json_object_get_type(a);
	if (t != json_object_get_type(b))
		return false;
	switch (t) {
	case json_type_null:
		return true;
	case json_type_boolean:
		return json_object_get_boolean(a) == json_object_get_boolean(b);
	case json_type_string: {
		int n = json_object_get_string_len(a);
		return n == json_object_get_string_len(b) &&
		       memcmp(json_object_get_string(a), json_object_get_string(b), (size_t)n) == 0;
	}
	case json_type_array: {
		size_t n = json_object_array_length(a);
		if (n != json_object_array_length(b))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!apic_json_equal(json_object_array_get_idx(a, i),
					     json_object_array_get_idx(b, i)))
				return false;
		return true;
	}
	case json_type_object: {
		if (json_object_object_length(a) != json_object_object_length(b))
			return false;
		json_object_object_foreach(a, key, va) {
			struct json_object *vb;
			if (!json_object_object_get_ex(b, key, &vb) || !apic_json_equal(va, vb))
				return false;
		}
		return true;
	}
	default:
		return false;
	}
}
