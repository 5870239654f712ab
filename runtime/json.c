/* Request bodies: a strict linear pre-scan, then json-c.
 *
 * json-c 0.16 in STRICT mode still takes NaN, Infinity, 1e999, "1.", "00",
 * single-quoted keys, raw control characters, overlong UTF-8, lone
 * surrogate escapes; it keeps the last of duplicate keys, cuts keys at
 * "\u0000" and saturates huge integers (../shared/HARDENING.md). The
 * pre-scan checks RFC 8259's grammar plus: at most APIC__MAX_VALUES values
 * (json-c trees cost up to 264x the text), nesting below the depth limit,
 * valid UTF-8 (no overlongs, no surrogates), paired surrogate escapes, no
 * "\u0000" in keys and numbers within the double range. It also counts
 * every object's members in document order; after json-c built the tree, an
 * object with fewer members than counted had a duplicate key.
 *
 * Numbers: json-c keeps an integer exactly within int64 and uint64 and
 * saturates beyond (a wrong value; an error in strict mode). Such an
 * integer is handed to json-c with "e0" appended, so it reads the double
 * it is, as its exponent spelling would give and as JSON Schema reads it: a
 * number field takes it, an integer field finds it out of range (422). */
#include "codec.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

struct objinfo {
	size_t members, start;
};

struct scan {
	const unsigned char *s;
	size_t n, pos;
	unsigned depth, max_depth;
	size_t values;
	const char *why;
	/* every object in pre-order: members counted, where it starts */
	struct objinfo *objs;
	size_t nobjects, cap;
	/* where each integer beyond int64/uint64 ends (read as a double) */
	size_t *wide;
	size_t nwide, wide_cap;
	struct apic_ctx *ctx;
};

#define FAIL(sc, msg)            \
	do {                     \
		(sc)->why = (msg); \
		return false;    \
	} while (0)

static void skip_ws(struct scan *sc)
{
	while (sc->pos < sc->n) {
		unsigned char c = sc->s[sc->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
}

static int hex4(const unsigned char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* One UTF-8 sequence starting at a byte >= 0x80. */
static bool utf8_seq(struct scan *sc)
{
	size_t len = apic__utf8_seq(sc->s + sc->pos, sc->n - sc->pos);
	if (len == 0)
		FAIL(sc, "invalid UTF-8");
	sc->pos += len;
	return true;
}

static bool scan_string(struct scan *sc, bool key)
{
	sc->pos++; /* the opening quote */
	while (sc->pos < sc->n) {
		unsigned char c = sc->s[sc->pos];
		if (c == '"') {
			sc->pos++;
			return true;
		}
		if (c == '\\') {
			if (sc->pos + 1 >= sc->n)
				break;
			unsigned char e = sc->s[sc->pos + 1];
			if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
				sc->pos += 2;
				continue;
			}
			if (e != 'u')
				FAIL(sc, "invalid escape in string");
			int u = sc->pos + 6 <= sc->n ? hex4(sc->s + sc->pos + 2) : -1;
			if (u < 0)
				FAIL(sc, "invalid \\u escape");
			if (u == 0 && key)
				FAIL(sc, "\\u0000 in an object key");
			if (u >= 0xDC00 && u <= 0xDFFF)
				FAIL(sc, "lone low surrogate escape");
			if (u >= 0xD800 && u <= 0xDBFF) {
				const unsigned char *p = sc->s + sc->pos + 6;
				int l = sc->pos + 12 <= sc->n && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
				if (l < 0xDC00 || l > 0xDFFF)
					FAIL(sc, "lone high surrogate escape");
				sc->pos += 6;
			}
			sc->pos += 6;
			continue;
		}
		if (c == 0)
			FAIL(sc, "NUL byte in string");
		if (c < 0x20)
			FAIL(sc, "raw control character in string");
		if (c >= 0x80) {
			if (!utf8_seq(sc))
				return false;
			continue;
		}
		sc->pos++;
	}
	FAIL(sc, "unterminated string");
}

/* Doubles an arena array of *cap elements of `size` bytes (`first` at
 * first); NULL when out of memory. */
static void *grow(struct scan *sc, void *arr, size_t *cap, size_t size, size_t first)
{
	size_t c = *cap ? *cap * 2 : first;
	void *p = apic__arena_realloc(&sc->ctx->arena, arr, *cap * size, c * size);
	if (p)
		*cap = c;
	return p;
}

/* "digits" compared as numbers of equal length. */
static bool above(const unsigned char *d, size_t n, const char *limit)
{
	size_t ln = strlen(limit);
	if (n != ln)
		return n > ln;
	return memcmp(d, limit, n) > 0;
}

static bool scan_number(struct scan *sc)
{
	const unsigned char *s = sc->s;
	size_t start = sc->pos, p = sc->pos;
	bool neg = false, integral = true;
	if (s[p] == '-') {
		neg = true;
		p++;
	}
	size_t ds = p;
	if (p < sc->n && s[p] == '0') {
		p++;
		if (p < sc->n && s[p] >= '0' && s[p] <= '9') {
			sc->pos = p;
			FAIL(sc, "leading zero in number");
		}
	} else if (p < sc->n && s[p] >= '1' && s[p] <= '9') {
		while (p < sc->n && s[p] >= '0' && s[p] <= '9')
			p++;
	} else {
		sc->pos = p;
		FAIL(sc, "invalid number");
	}
	size_t ndigits = p - ds;
	if (p < sc->n && s[p] == '.') {
		integral = false;
		p++;
		if (p >= sc->n || s[p] < '0' || s[p] > '9') {
			sc->pos = p;
			FAIL(sc, "digit expected after '.'");
		}
		while (p < sc->n && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	bool exp = false;
	if (p < sc->n && (s[p] == 'e' || s[p] == 'E')) {
		integral = false;
		exp = true;
		p++;
		if (p < sc->n && (s[p] == '+' || s[p] == '-'))
			p++;
		if (p >= sc->n || s[p] < '0' || s[p] > '9') {
			sc->pos = p;
			FAIL(sc, "digit expected in exponent");
		}
		while (p < sc->n && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	bool wide = integral && (neg ? above(s + ds, ndigits, "9223372036854775808")
				     : above(s + ds, ndigits, "18446744073709551615"));
	if (wide || exp || ndigits > 300) {
		/* The body is NUL-terminated and the token is grammatical, so
		 * strtod reads exactly this number. */
		double d = strtod((const char *)s + start, NULL);
		if (!isfinite(d)) {
			sc->pos = start;
			FAIL(sc, "number out of range");
		}
	}
	if (wide) {
		if (sc->nwide == sc->wide_cap) {
			size_t *w = grow(sc, sc->wide, &sc->wide_cap, sizeof *w, 8);
			if (w == NULL)
				FAIL(sc, "out of memory");
			sc->wide = w;
		}
		sc->wide[sc->nwide++] = p;
	}
	sc->pos = p;
	return true;
}

static bool literal(struct scan *sc, const char *lit)
{
	size_t n = strlen(lit);
	if (sc->n - sc->pos < n || memcmp(sc->s + sc->pos, lit, n) != 0)
		FAIL(sc, "unexpected character");
	sc->pos += n;
	return true;
}

static bool count_value(struct scan *sc)
{
	if (++sc->values > APIC__MAX_VALUES)
		FAIL(sc, "more than 10000 values");
	return true;
}

/* Container stack: 'o' object, 'a' array; the member counter of the open
 * object is members[index]. */
struct frame {
	char kind;
	size_t obj;
};

static bool push_object(struct scan *sc)
{
	if (sc->nobjects == sc->cap) {
		struct objinfo *o = grow(sc, sc->objs, &sc->cap, sizeof *o, 32);
		if (o == NULL)
			FAIL(sc, "out of memory");
		sc->objs = o;
	}
	sc->objs[sc->nobjects].members = 0;
	sc->objs[sc->nobjects].start = sc->pos;
	sc->nobjects++;
	return true;
}

static bool prescan(struct scan *sc)
{
	struct frame *stack = apic__arena_alloc(&sc->ctx->arena, (sc->max_depth + 1) * sizeof *stack);
	if (stack == NULL)
		FAIL(sc, "out of memory");
	unsigned top = 0;

value:
	skip_ws(sc);
	if (sc->pos >= sc->n)
		FAIL(sc, "unexpected end of input");
	if (!count_value(sc))
		return false;
	switch (sc->s[sc->pos]) {
	case '{':
	case '[': {
		bool obj = sc->s[sc->pos] == '{';
		if (top + 1 >= sc->max_depth)
			FAIL(sc, "nested too deeply");
		stack[top].kind = obj ? 'o' : 'a';
		stack[top].obj = sc->nobjects;
		if (obj && !push_object(sc))
			return false;
		top++;
		sc->pos++;
		skip_ws(sc);
		if (sc->pos < sc->n && sc->s[sc->pos] == (obj ? '}' : ']')) {
			sc->pos++;
			top--;
			goto after_value;
		}
		if (obj)
			goto key;
		goto value;
	}
	case '"':
		if (!scan_string(sc, false))
			return false;
		goto after_value;
	case 't':
		if (!literal(sc, "true"))
			return false;
		goto after_value;
	case 'f':
		if (!literal(sc, "false"))
			return false;
		goto after_value;
	case 'n':
		if (!literal(sc, "null"))
			return false;
		goto after_value;
	case '\0':
		FAIL(sc, "NUL byte");
	default:
		if (sc->s[sc->pos] == '-' || (sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')) {
			if (!scan_number(sc))
				return false;
			goto after_value;
		}
		FAIL(sc, "unexpected character");
	}

key:
	/* at the first byte of a member (whitespace skipped) */
	if (sc->pos >= sc->n)
		FAIL(sc, "unexpected end of input");
	if (sc->s[sc->pos] != '"')
		FAIL(sc, "object key must be a string in double quotes");
	if (!scan_string(sc, true))
		return false;
	sc->objs[stack[top - 1].obj].members++;
	skip_ws(sc);
	if (sc->pos >= sc->n || sc->s[sc->pos] != ':')
		FAIL(sc, "':' expected after object key");
	sc->pos++;
	goto value;

after_value:
	skip_ws(sc);
	if (top == 0) {
		if (sc->pos != sc->n)
			FAIL(sc, sc->s[sc->pos] == '\0' ? "NUL byte" : "data after the JSON value");
		return true;
	}
	if (sc->pos >= sc->n)
		FAIL(sc, "unexpected end of input");
	{
		char kind = stack[top - 1].kind;
		unsigned char c = sc->s[sc->pos];
		if (c == ',') {
			sc->pos++;
			skip_ws(sc);
			if (kind == 'o')
				goto key;
			goto value;
		}
		if (c == (kind == 'o' ? '}' : ']')) {
			sc->pos++;
			top--;
			goto after_value;
		}
		FAIL(sc, kind == 'o' ? "',' or '}' expected" : "',' or ']' expected");
	}
}

/* Pre-order walk comparing member counts: an object with fewer members
 * than the text had lost a duplicate key. False at the first such object,
 * *k then one past its index. */
static bool dup_check(struct json_object *o, const struct objinfo *objs, size_t *k)
{
	if (json_object_is_type(o, json_type_object)) {
		if ((size_t)json_object_object_length(o) != objs[(*k)++].members)
			return false;
		json_object_object_foreach(o, key, val)
		{
			(void)key;
			if (!dup_check(val, objs, k))
				return false;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n; i++)
			if (!dup_check(json_object_array_get_idx(o, i), objs, k))
				return false;
	}
	return true;
}

int apic__json_parse(struct apic_ctx *ctx, const char *s, size_t n, unsigned depth,
		     struct json_object **out, size_t *off, const char **why)
{
	struct scan sc = { .s = (const unsigned char *)s, .n = n, .max_depth = depth, .ctx = ctx };
	*out = NULL;
	if (n > INT32_MAX) {
		*off = 0;
		*why = "body too large";
		return -1;
	}
	if (!prescan(&sc)) {
		*off = sc.pos;
		*why = sc.why;
		return -1;
	}
	struct json_tokener *tok = json_tokener_new_ex((int)depth);
	if (tok == NULL) {
		*off = 0;
		*why = "out of memory";
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	if (sc.nwide) {
		/* The text with "e0" after each wide integer (see the top). */
		size_t m = n + 2 * sc.nwide, from = 0;
		char *t = apic__arena_alloc(&ctx->arena, m + 1), *w = t;
		if (t == NULL) {
			json_tokener_free(tok);
			*off = 0;
			*why = "out of memory";
			return -1;
		}
		for (size_t i = 0; i < sc.nwide; i++) {
			memcpy(w, s + from, sc.wide[i] - from);
			w += sc.wide[i] - from;
			*w++ = 'e';
			*w++ = '0';
			from = sc.wide[i];
		}
		memcpy(w, s + from, n - from);
		t[m] = '\0';
		s = t;
		n = m;
	}
	struct json_object *obj = json_tokener_parse_ex(tok, s, (int)n);
	enum json_tokener_error err = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	if (err == json_tokener_continue) {
		/* A bare scalar at the top ("12") ends at the terminating NUL. */
		obj = json_tokener_parse_ex(tok, "", 1);
		err = json_tokener_get_error(tok);
		end = n;
	}
	json_tokener_free(tok);
	if (err != json_tokener_success || end != n) {
		json_object_put(obj);
		*off = end;
		*why = err != json_tokener_success ? json_tokener_error_desc(err) : "data after the JSON value";
		return -1;
	}
	size_t k = 0;
	if (sc.nobjects && !dup_check(obj, sc.objs, &k)) {
		json_object_put(obj);
		*off = sc.objs[k - 1].start;
		*why = "duplicate key in the object starting here";
		return -1;
	}
	*out = obj;
	return 0;
}
