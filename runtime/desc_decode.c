/* The table-driven decoder: a parsed JSON value into the struct its type
 * descriptor (apic_gen.h) lays out, every constraint checked and every
 * violation recorded, with the texts and in the order the checks are
 * listed. Two directions: a request (defaults applied, readonly members
 * refused) and a reply held to the document (--strict-responses: readonly
 * members decoded, writeonly ones unknown, no defaults). */
#include "desc.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- violations -------------------------------------------------------------- */

void apic__vio(const struct apic__site *s, const char *code, const char *fmt, ...)
{
	struct apic_ctx *ctx = s->ctx;
	char small[256];
	const char *msg = "";
	/* Past the cap a violation is only counted: nothing to format. */
	if (ctx->nviol_total < APIC__MAX_VIOLATIONS) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(small, sizeof small, fmt, ap);
		va_end(ap);
		msg = small;
		if (n >= (int)sizeof small) {
			char *big = apic_ctx_alloc(ctx, (size_t)n + 1);
			if (big != NULL) {
				va_start(ap, fmt);
				vsnprintf(big, (size_t)n + 1, fmt, ap);
				va_end(ap);
			}
			msg = big ? big : ""; /* out of memory: the reply is a 500 */
		}
	}
	if (s->where == APIC_IN_BODY)
		apic_violation_body(ctx, s->at, code, "%s", msg);
	else if (s->indexed)
		apic_violation_param(ctx, s->where, s->name, code, "value %zu: %s", s->index, msg);
	else
		apic_violation_param(ctx, s->where, s->name, code, "%s", msg);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static const char *format_word(unsigned f)
{
	switch (f) {
	case APIC_FMT_EMAIL: return "an email address";
	case APIC_FMT_UUID: return "a UUID";
	case APIC_FMT_DATE: return "a date (YYYY-MM-DD)";
	case APIC_FMT_DATE_TIME: return "a date-time (RFC 3339, with a time zone)";
	case APIC_FMT_URI: return "an absolute URI";
	case APIC_FMT_IPV4: return "an IPv4 address (dotted quad)";
	case APIC_FMT_IPV6: return "an IPv6 address";
	case APIC_FMT_HOSTNAME: return "a host name (RFC 1123)";
	case APIC_FMT_URI_REFERENCE: return "a URI reference";
	}
	return "";
}

void apic__vio_length(const struct apic__site *s, const struct apic_type *t, size_t cp)
{
	if ((t->flags & APIC_T_NMIN) && cp < t->nmin)
		apic__vio(s, APIC_V_TOO_SHORT, "must be at least %" PRIu64 " %s, got %zu", t->nmin,
			  plural(t->nmin, "character", "characters"), cp);
	if ((t->flags & APIC_T_NMAX) && cp > t->nmax)
		apic__vio(s, APIC_V_TOO_LONG, "must be at most %" PRIu64 " %s, got %zu", t->nmax,
			  plural(t->nmax, "character", "characters"), cp);
}

void apic__vio_format(const struct apic__site *s, const struct apic_type *t)
{
	apic__vio(s, APIC_V_FORMAT, "must be %s", format_word(t->format));
}

static const char *min_word(const struct apic_type *t)
{
	return t->flags & APIC_T_XMIN ? "greater than" : "at least";
}

static const char *max_word(const struct apic_type *t)
{
	return t->flags & APIC_T_XMAX ? "less than" : "at most";
}

static const char *text(const char *s)
{
	return s ? s : "?";
}

void apic__check_int(const struct apic__site *s, const struct apic_type *t, int64_t v)
{
	if (apic__int_below(t, v))
		apic__vio(s, APIC_V_BELOW_MINIMUM, "must be %s %s, got %" PRId64, min_word(t),
			  text(t->min_text), v);
	if (apic__int_above(t, v))
		apic__vio(s, APIC_V_ABOVE_MAXIMUM, "must be %s %s, got %" PRId64, max_word(t),
			  text(t->max_text), v);
}

void apic__check_number(const struct apic__site *s, const struct apic_type *t, double v)
{
	if (apic__num_below(t, v))
		apic__vio(s, APIC_V_BELOW_MINIMUM, "must be %s %s, got %.15g", min_word(t),
			  text(t->min_text), v);
	if (apic__num_above(t, v))
		apic__vio(s, APIC_V_ABOVE_MAXIMUM, "must be %s %s, got %.15g", max_word(t),
			  text(t->max_text), v);
}

void apic__check_count(const struct apic__site *s, const struct apic_type *t, size_t n, bool props)
{
	const char *one = props ? "property" : "item", *many = props ? "properties" : "items";
	if ((t->flags & APIC_T_NMIN) && t->nmin > 0 && n < t->nmin)
		apic__vio(s, props ? APIC_V_TOO_FEW_PROPERTIES : APIC_V_TOO_FEW_ITEMS,
			  "must have at least %" PRIu64 " %s, got %zu", t->nmin, plural(t->nmin, one, many), n);
	if ((t->flags & APIC_T_NMAX) && n > t->nmax)
		apic__vio(s, props ? APIC_V_TOO_MANY_PROPERTIES : APIC_V_TOO_MANY_ITEMS,
			  "must have at most %" PRIu64 " %s, got %zu", t->nmax, plural(t->nmax, one, many), n);
}

/* ---- defaults ------------------------------------------------------------------ */

void apic__set_default(const struct apic_type *t, const struct apic_default *def, void *dst,
		       size_t *count)
{
	switch ((enum apic_kind)t->kind) {
	case APIC_K_STRING:
		*(struct apic_str *)dst = def->s;
		return;
	case APIC_K_BOOL:
		*(bool *)dst = def->i != 0;
		return;
	case APIC_K_INT32:
		*(int32_t *)dst = (int32_t)def->i;
		return;
	case APIC_K_INT64:
		*(int64_t *)dst = def->i;
		return;
	case APIC_K_NUMBER:
		*(double *)dst = def->d;
		return;
	case APIC_K_ENUM:
		*(int *)dst = (int)def->i;
		return;
	case APIC_K_ARRAY:
		/* static data of the item type, never written through */
		if (def->count)
			*(const void **)dst = def->items;
		*count = def->count;
		return;
	case APIC_K_MODEL:
	case APIC_K_MODEL_VALUE:
	case APIC_K_MAP:
	case APIC_K_UNION:
		return; /* no default of these kinds is emitted */
	}
}

/* ---- values --------------------------------------------------------------------- */

struct dec {
	struct apic_ctx *ctx;
	bool resp;
};

static inline __attribute__((always_inline)) int
dec_value(const struct dec *d, const struct apic_type *t, struct json_object *j,
	  const struct apic_jptr *at, char *dst, size_t *count);

static const char *jtype(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "boolean";
	case json_type_int:
	case json_type_double: return "number";
	case json_type_string: return "string";
	case json_type_array: return "array";
	case json_type_object: return "object";
	}
	return "value";
}

static const char *type_word(const struct apic_type *t)
{
	switch ((enum apic_kind)t->kind) {
	case APIC_K_STRING:
	case APIC_K_ENUM: return "a string";
	case APIC_K_BOOL: return "a boolean";
	case APIC_K_INT32:
	case APIC_K_INT64: return "an integer";
	case APIC_K_NUMBER: return "a number";
	case APIC_K_ARRAY: return "an array";
	case APIC_K_MODEL:
	case APIC_K_MODEL_VALUE:
	case APIC_K_MAP: return "an object";
	case APIC_K_UNION: return t->uni->disc ? "an object" : "a value";
	}
	return "a value";
}

static struct apic__site body_site(struct apic_ctx *ctx, const struct apic_jptr *at)
{
	return (struct apic__site){ ctx, APIC_IN_BODY, at, NULL, false, 0 };
}

static void wrong_type(struct apic_ctx *ctx, const struct apic_jptr *at, const struct apic_type *t,
		       struct json_object *j)
{
	struct apic__site s = body_site(ctx, at);
	apic__vio(&s, APIC_V_WRONG_TYPE, "must be %s, got %s", type_word(t), jtype(j));
}

/* A JSON integer: 0; not one (a fraction, another type): 1; beyond int64: 2.
 * json-c keeps integers up to UINT64_MAX exactly (libapic hands it larger
 * ones as doubles). The range is INT64_MIN + 1 .. INT64_MAX in every
 * spelling: the double -2^63 also stands for integers below INT64_MIN. 1.0
 * is an integer, as in JSON Schema. */
static int json_int(struct json_object *v, int64_t *out)
{
	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);
		if (i == INT64_MIN || (i == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX))
			return 2;
		*out = i;
		return 0;
	}
	if (!json_object_is_type(v, json_type_double))
		return 1;
	double x = json_object_get_double(v);
	if (!(x > -0x1p63 && x < 0x1p63))
		return 2;
	if (x != (double)(int64_t)x)
		return 1;
	*out = (int64_t)x;
	return 0;
}

/* Bytes a[0..n) and b[0..n) equal. Names are short: word loads, the last
 * one overlapping, compare them without a call (none reads past n). */
static inline bool same(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		uint64_t x, y;
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		uint32_t a0, b0, a1, b1;
		memcpy(&a0, a, 4);
		memcpy(&b0, b, 4);
		memcpy(&a1, a + n - 4, 4);
		memcpy(&b1, b + n - 4, 4);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

/* One handler per kind, kept out of line; dec_value(), their switch, is
 * inlined where a value is decoded: a kind costs one jump. */
#define LEAF static __attribute__((noinline))

LEAF int dec_string(struct apic_ctx *ctx, const struct apic_type *t, struct json_object *j,
		    const struct apic_jptr *at, char *dst)
{
	if (!json_object_is_type(j, json_type_string)) {
		wrong_type(ctx, at, t, j);
		return 0;
	}
	struct apic_str *s = (struct apic_str *)(void *)dst;
	s->ptr = json_object_get_string(j);
	s->len = (size_t)json_object_get_string_len(j);
	if ((t->flags & (APIC_T_NMIN | APIC_T_NMAX | APIC_T_FORMAT)) || t->pattern) {
		struct apic__site site = body_site(ctx, at);
		apic__check_string(&site, t, s->ptr, s->len);
	}
	return 0;
}

LEAF int dec_bool(struct apic_ctx *ctx, const struct apic_type *t, struct json_object *j,
		  const struct apic_jptr *at, char *dst)
{
	if (!json_object_is_type(j, json_type_boolean))
		wrong_type(ctx, at, t, j);
	else
		*(bool *)dst = json_object_get_boolean(j) != 0;
	return 0;
}

LEAF int dec_int(struct apic_ctx *ctx, const struct apic_type *t, struct json_object *j,
		 const struct apic_jptr *at, char *dst)
{
	int64_t x = 0;
	int r = json_int(j, &x);
	if (r == 1) {
		wrong_type(ctx, at, t, j);
		return 0;
	}
	bool i32 = t->kind == APIC_K_INT32;
	if (r == 2 || (i32 && (x < INT32_MIN || x > INT32_MAX))) {
		struct apic__site s = body_site(ctx, at);
		apic__vio(&s, APIC_V_OUT_OF_RANGE, "must fit in a %s-bit integer", i32 ? "32" : "64");
		return 0;
	}
	if (apic__int_below(t, x) || apic__int_above(t, x)) {
		struct apic__site s = body_site(ctx, at);
		apic__check_int(&s, t, x);
	}
	if (i32)
		*(int32_t *)(void *)dst = (int32_t)x;
	else
		*(int64_t *)(void *)dst = x;
	return 0;
}

/* Any JSON number: integers beyond int64 included, as doubles. */
LEAF int dec_number(struct apic_ctx *ctx, const struct apic_type *t, struct json_object *j,
		    const struct apic_jptr *at, char *dst)
{
	if (!json_object_is_type(j, json_type_double) && !json_object_is_type(j, json_type_int)) {
		wrong_type(ctx, at, t, j);
		return 0;
	}
	double x = json_object_get_double(j);
	if (!isfinite(x)) {
		struct apic__site s = body_site(ctx, at);
		apic__vio(&s, APIC_V_OUT_OF_RANGE, "must be a finite number within the double range");
		return 0;
	}
	if (apic__num_below(t, x) || apic__num_above(t, x)) {
		struct apic__site s = body_site(ctx, at);
		apic__check_number(&s, t, x);
	}
	*(double *)(void *)dst = x;
	return 0;
}

LEAF int dec_enum(struct apic_ctx *ctx, const struct apic_type *t, struct json_object *j,
		  const struct apic_jptr *at, char *dst)
{
	if (!json_object_is_type(j, json_type_string)) {
		wrong_type(ctx, at, t, j);
		return 0;
	}
	int v = apic_enum_parse(t->enm, json_object_get_string(j), (size_t)json_object_get_string_len(j));
	*(int *)(void *)dst = v;
	if (v == 0) {
		struct apic__site s = body_site(ctx, at);
		apic__vio(&s, APIC_V_ENUM, "must be one of: %s", t->enm->list);
	}
	return 0;
}

int apic_enum_parse(const struct apic_enum_desc *e, const char *s, size_t n)
{
	for (size_t i = 0; i < e->count; i++)
		if (e->names[i].len == n && same(e->names[i].ptr, s, n))
			return (int)i + 1;
	return 0;
}

const char *apic_enum_name(const struct apic_enum_desc *e, int v)
{
	return v >= 1 && (size_t)v <= e->count ? e->names[v - 1].ptr : NULL;
}

/* uniqueItems: the first two equal items are reported. */
static void unique(struct apic_ctx *ctx, struct json_object *a, const struct apic_jptr *at)
{
	size_t n = json_object_array_length(a);
	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (apic_json_equal(json_object_array_get_idx(a, j), json_object_array_get_idx(a, i))) {
				struct apic__site s = body_site(ctx, at);
				apic__vio(&s, APIC_V_DUPLICATE_ITEMS,
					  "must not contain duplicates (items %zu and %zu are equal)", j, i);
				return;
			}
}

/* Items (allocated only when there are some) after the count checks,
 * uniqueness after the items. */
LEAF int dec_array(const struct dec *d, const struct apic_type *t, struct json_object *j,
		   const struct apic_jptr *at, char *dst, size_t *count)
{
	if (!json_object_is_type(j, json_type_array)) {
		wrong_type(d->ctx, at, t, j);
		return 0;
	}
	size_t n = json_object_array_length(j);
	if (apic__count_bad(t, n)) {
		struct apic__site s = body_site(d->ctx, at);
		apic__check_count(&s, t, n, false);
	}
	const struct apic_type *e = t->elem;
	char *a = NULL;
	if (n != 0 && !(a = apic_ctx_alloc(d->ctx, n * e->size)))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct apic_jptr p = { at, NULL, 0, i };
		char *item = a + i * e->size;
		if (dec_value(d, e, json_object_array_get_idx(j, i), &p, item,
			      (size_t *)(void *)(item + e->count_off)) != 0)
			return -1;
	}
	if (t->flags & APIC_T_UNIQUE)
		unique(d->ctx, j, at);
	*(void **)(void *)dst = a;
	*count = n;
	return 0;
}

/* Entries in the object's order: the key, then the value. */
LEAF int dec_map(const struct dec *d, const struct apic_type *t, struct json_object *j,
		 const struct apic_jptr *at, char *dst, size_t *count)
{
	if (!json_object_is_type(j, json_type_object)) {
		wrong_type(d->ctx, at, t, j);
		return 0;
	}
	size_t n = (size_t)json_object_object_length(j);
	if (apic__count_bad(t, n)) {
		struct apic__site s = body_site(d->ctx, at);
		apic__check_count(&s, t, n, true);
	}
	char *a = NULL;
	if (n != 0 && !(a = apic_ctx_alloc(d->ctx, n * t->entry_size)))
		return -1;
	char *e = a;
	json_object_object_foreach(j, k, v) {
		size_t kl = strlen(k);
		struct apic_jptr p = { at, k, kl, 0 };
		struct apic_str *key = (struct apic_str *)(void *)e;
		key->ptr = k;
		key->len = kl;
		if (dec_value(d, t->elem, v, &p, e + t->value_off,
			      (size_t *)(void *)(e + t->value_count_off)) != 0)
			return -1;
		e += t->entry_size;
	}
	*(void **)(void *)dst = a;
	*count = n;
	return 0;
}

/* ---- models ----------------------------------------------------------------------- */

/* Fields with a bit in `seen` on the stack; more take request memory. */
#define SEEN_WORDS 4

/* A field checked after the member loop: required or (in a request)
 * defaulted. A reply has the readonly fields and requires every field that
 * is not optional; a request has the writeonly ones and takes defaults. */
static bool checked_after(const struct dec *d, const struct apic_field *f)
{
	if (d->resp)
		return !(f->flags & (APIC_F_WRITEONLY | APIC_F_OPTIONAL));
	return !(f->flags & APIC_F_READONLY) && (!(f->flags & APIC_F_OPTIONAL) || f->def);
}

static void field_default(const struct apic_field *f, char *out)
{
	if (f->def->null && (f->flags & APIC_F_NULLABLE))
		*(bool *)(out + f->null_off) = true;
	else
		apic__set_default(f->type, f->def, out + f->off, (size_t *)(void *)(out + f->count_off));
	if (f->flags & APIC_F_HAS)
		*(bool *)(out + f->has_off) = true;
}

static bool field_is(const struct apic_field *f, const char *key, size_t klen)
{
	return f->len == klen && same(f->name, key, klen);
}

/* The field named key, or NULL. Members mostly come in declaration order:
 * the search starts after the field found last (*next) and wraps around. */
static const struct apic_field *find_field(const struct apic_model *m, const struct apic_field **next,
					   const char *key, size_t klen)
{
	const struct apic_field *f = *next, *end = m->fields + m->nfields;
	for (; f < end; f++)
		if (field_is(f, key, klen))
			goto found;
	for (f = m->fields; f < *next; f++)
		if (field_is(f, key, klen))
			goto found;
	return NULL;
found:
	*next = f + 1;
	return f;
}

/* After the members: the fields not seen, in field order. */
static void after_members(const struct dec *d, const struct apic_model *m, const uint64_t *seen,
			  const struct apic_jptr *at, char *out)
{
	for (size_t w = 0; w * 64 < m->nfields; w++) {
		uint64_t left = ~seen[w];
		if (m->nfields - w * 64 < 64)
			left &= (UINT64_C(1) << (m->nfields - w * 64)) - 1;
		for (; left; left &= left - 1) {
			const struct apic_field *f = &m->fields[w * 64 + (size_t)__builtin_ctzll(left)];
			if (!checked_after(d, f))
				continue;
			if (!d->resp && f->def) {
				field_default(f, out);
			} else {
				struct apic_jptr mat = { at, f->name, f->len, 0 };
				struct apic__site s = body_site(d->ctx, &mat);
				apic__vio(&s, APIC_V_MISSING, "is required");
			}
		}
	}
}

LEAF int dec_model(const struct dec *d, const struct apic_model *m, struct json_object *j,
		   const struct apic_jptr *at, char *out)
{
	struct apic_ctx *ctx = d->ctx;
	if (!json_object_is_type(j, json_type_object)) {
		struct apic__site s = body_site(ctx, at);
		apic__vio(&s, APIC_V_WRONG_TYPE, "must be an object, got %s", jtype(j));
		return 0;
	}
	uint64_t small[SEEN_WORDS] = { 0 }, *seen = small;
	if (m->nfields > 64 * SEEN_WORDS && !(seen = apic_ctx_alloc(ctx, (m->nfields + 63) / 64 * 8)))
		return -1;
	const struct apic_field *next = m->fields;
	json_object_object_foreach(j, key, val) {
		size_t klen = strlen(key);
		struct apic_jptr kat = { at, key, klen, 0 };
		const struct apic_field *f = find_field(m, &next, key, klen);
		if (!f || (d->resp && (f->flags & APIC_F_WRITEONLY))) {
			/* (a writeonly member is not in a reply) */
			if (!m->open) {
				struct apic__site s = body_site(ctx, &kat);
				apic__vio(&s, APIC_V_UNKNOWN_PROPERTY, "is not a known property");
			}
			continue;
		}
		size_t i = (size_t)(f - m->fields);
		seen[i / 64] |= UINT64_C(1) << (i % 64);
		unsigned fl = f->flags;
		if (fl & (APIC_F_READONLY | APIC_F_NULLABLE)) {
			if (!d->resp && (fl & APIC_F_READONLY)) {
				struct apic__site s = body_site(ctx, &kat);
				apic__vio(&s, APIC_V_READ_ONLY, "is read-only");
				continue;
			}
			if (!val && (fl & APIC_F_NULLABLE)) {
				*(bool *)(out + f->null_off) = true;
				continue;
			}
		}
		if (fl & APIC_F_HAS)
			*(bool *)(out + f->has_off) = true;
		if (dec_value(d, f->type, val, &kat, out + f->off, (size_t *)(void *)(out + f->count_off)) != 0)
			return -1;
	}
	after_members(d, m, seen, at, out);
	return 0;
}

LEAF int dec_model_ptr(const struct dec *d, const struct apic_type *t, struct json_object *j,
		       const struct apic_jptr *at, char *dst)
{
	char *m = apic_ctx_alloc(d->ctx, t->model->size);
	if (!m || dec_model(d, t->model, j, at, m) != 0)
		return -1;
	*(const void **)(void *)dst = m;
	return 0;
}

/* ---- unions ------------------------------------------------------------------------ */

/* The branch's value, decoded at the union's value_off (zeroed first: a
 * branch tried before may have left members there). */
static int dec_branch(const struct dec *d, const struct apic_union_desc *u, size_t size, size_t i,
		      struct json_object *j, const struct apic_jptr *at, char *dst)
{
	const struct apic_type *bt = u->branches[i].type;
	char *v = dst + u->value_off;
	memset(v, 0, size - u->value_off);
	*(int *)(void *)dst = (int)i + 1;
	return dec_value(d, bt, j, at, v, (size_t *)(void *)(v + bt->count_off));
}

/* `by "prop"`: the property names the branch, as an enum member would. */
static int dec_disc(const struct dec *d, const struct apic_type *t, struct json_object *j,
		    const struct apic_jptr *at, char *dst)
{
	const struct apic_union_desc *u = t->uni;
	if (!json_object_is_type(j, json_type_object)) {
		wrong_type(d->ctx, at, t, j);
		return 0;
	}
	struct json_object *p = NULL;
	struct apic_jptr pat = { at, u->disc, u->disc_len, 0 };
	struct apic__site s = body_site(d->ctx, &pat);
	if (!json_object_object_get_ex(j, u->disc, &p)) {
		apic__vio(&s, APIC_V_MISSING, "is required (one of: %s)", u->list);
		return 0;
	}
	if (json_object_is_type(p, json_type_string)) {
		const char *v = json_object_get_string(p);
		size_t n = (size_t)json_object_get_string_len(p);
		for (size_t i = 0; i < u->count; i++)
			if (u->branches[i].len == n && same(u->branches[i].value, v, n))
				return dec_branch(d, u, t->size, i, j, at, dst);
	}
	apic__vio(&s, APIC_V_ENUM, "must be one of: %s", u->list);
	return 0;
}

/* The length of the rendered pointer of `at` (violation.c's escapes). */
static size_t ptr_len(const struct apic_jptr *at)
{
	size_t n = 0;
	for (; at; at = at->up) {
		n++;
		if (!at->key) {
			char num[24];
			n += (size_t)snprintf(num, sizeof num, "%zu", at->index);
			continue;
		}
		for (size_t i = 0; i < at->keylen; i++)
			n += at->key[i] == '~' || at->key[i] == '/' ? 2 : 1;
	}
	return n;
}

/* Undiscriminated: each branch is tried with its violations taken back
 * (the first one kept, to say why it failed); exactly one must match. */
static int dec_oneof(const struct dec *d, const struct apic_type *t, struct json_object *j,
		     const struct apic_jptr *at, char *dst)
{
	struct apic_ctx *ctx = d->ctx;
	const struct apic_union_desc *u = t->uni;
	const size_t n0 = ctx->nviol, t0 = ctx->nviol_total;
	const char **why = apic_ctx_alloc(ctx, 2 * u->count * sizeof *why);
	if (!why)
		return -1;
	size_t matched = 0, first = 0;
	for (size_t i = 0; i < u->count; i++) {
		if (dec_branch(d, u, t->size, i, j, at, dst) != 0)
			return -1;
		why[2 * i] = why[2 * i + 1] = NULL;
		if (ctx->nviol > n0) {
			why[2 * i] = ctx->viol[n0].at;
			why[2 * i + 1] = ctx->viol[n0].message;
		}
		if (ctx->nviol_total == t0 && matched++ == 0)
			first = i;
		ctx->nviol = n0;
		ctx->nviol_total = t0;
	}
	struct apic__site s = body_site(ctx, at);
	if (matched == 1)
		return dec_branch(d, u, t->size, first, j, at, dst);
	*(int *)(void *)dst = 0;
	if (matched == 0) {
		/* each branch's first violation, its pointer relative to the union's */
		size_t own = ptr_len(at);
		for (size_t i = 0; i < u->count; i++) {
			const char *ptr = why[2 * i] ? why[2 * i] : "", *msg = why[2 * i + 1] ? why[2 * i + 1] : "";
			ptr += strlen(ptr) >= own ? own : strlen(ptr);
			apic__vio(&s, APIC_V_NO_MATCH, "is not %s: %s%s%s", u->branches[i].name, ptr,
				  *ptr ? " " : "", msg);
		}
		return 0;
	}
	/* several: name them (the tries are cheap to repeat; the value is dropped) */
	char names[256];
	size_t len = 0;
	names[0] = '\0';
	for (size_t i = 0; i < u->count; i++) {
		if (dec_branch(d, u, t->size, i, j, at, dst) != 0)
			return -1;
		bool ok = ctx->nviol_total == t0;
		ctx->nviol = n0;
		ctx->nviol_total = t0;
		if (ok && len < sizeof names) {
			int w = snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", u->branches[i].name);
			len += w > 0 ? (size_t)w : 0;
		}
	}
	*(int *)(void *)dst = 0;
	apic__vio(&s, APIC_V_AMBIGUOUS, "matches more than one of its types (%s), and must match exactly one", names);
	return 0;
}

LEAF int dec_union(const struct dec *d, const struct apic_type *t, struct json_object *j,
		   const struct apic_jptr *at, char *dst)
{
	return t->uni->disc ? dec_disc(d, t, j, at, dst) : dec_oneof(d, t, j, at, dst);
}

static inline __attribute__((always_inline)) int
dec_value(const struct dec *d, const struct apic_type *t, struct json_object *j,
	  const struct apic_jptr *at, char *dst, size_t *count)
{
	switch ((enum apic_kind)t->kind) {
	case APIC_K_STRING: return dec_string(d->ctx, t, j, at, dst);
	case APIC_K_BOOL: return dec_bool(d->ctx, t, j, at, dst);
	case APIC_K_INT32:
	case APIC_K_INT64: return dec_int(d->ctx, t, j, at, dst);
	case APIC_K_NUMBER: return dec_number(d->ctx, t, j, at, dst);
	case APIC_K_ENUM: return dec_enum(d->ctx, t, j, at, dst);
	case APIC_K_MODEL: return dec_model_ptr(d, t, j, at, dst);
	case APIC_K_MODEL_VALUE: return dec_model(d, t->model, j, at, dst);
	case APIC_K_ARRAY: return dec_array(d, t, j, at, dst, count);
	case APIC_K_MAP: return dec_map(d, t, j, at, dst, count);
	case APIC_K_UNION: return dec_union(d, t, j, at, dst);
	}
	return 0;
}

int apic__decode(struct apic_ctx *ctx, bool resp, const struct apic_type *t,
		 struct json_object *j, const struct apic_jptr *at, void *dst, size_t *count)
{
	struct dec d = { ctx, resp };
	return dec_value(&d, t, j, at, dst, count);
}

/* The value is decoded into scratch memory and dropped: only the
 * violations matter. */
int apic_type_check(struct apic_ctx *ctx, const struct apic_type *t, struct json_object *j)
{
	union {
		const void *p;
		int64_t i;
		double d;
		struct apic_str s;
	} v = { 0 };
	size_t count = 0;
	void *dst = &v;
	if (t->kind == APIC_K_MODEL_VALUE && !(dst = apic_ctx_alloc(ctx, t->model->size)))
		return -1;
	if (t->kind == APIC_K_UNION && !(dst = apic_ctx_alloc(ctx, t->size)))
		return -1;
	return apic__decode(ctx, true, t, j, NULL, dst, &count);
}
