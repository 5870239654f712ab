/* Private to the table-driven codec (desc_decode.c, desc_encode.c,
 * desc_request.c): what the request decoder shares with the body decoder.
 * The descriptors themselves are in apic_gen.h. */
#ifndef APIC_DESC_H
#define APIC_DESC_H

#include "internal.h"

struct json_object;

/* Where a value being checked came from: the body at `at`, or parameter
 * `name` (`indexed`: value `index` of a repeated query parameter, whose
 * messages start "value N: "). Only read when a violation is reported. */
struct apic__site {
	struct apic_ctx *ctx;
	enum apic_where where;
	const struct apic_jptr *at;
	const char *name;
	bool indexed;
	size_t index;
};

void apic__vio(const struct apic__site *s, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What a string breaks, reported: its length in code points `cp`, its
 * format. */
void apic__vio_length(const struct apic__site *s, const struct apic_type *t, size_t cp);
void apic__vio_format(const struct apic__site *s, const struct apic_type *t);

/* The constraints of `t` on string p[0..n), each mismatch reported.
 * Inline: the checks cost what their library calls cost. */
static inline void apic__check_string(const struct apic__site *s, const struct apic_type *t,
				      const char *p, size_t n)
{
	if (t->flags & (APIC_T_NMIN | APIC_T_NMAX)) {
		size_t cp = apic_utf8_count(p, n);
		if (((t->flags & APIC_T_NMIN) && cp < t->nmin) || ((t->flags & APIC_T_NMAX) && cp > t->nmax))
			apic__vio_length(s, t, cp);
	}
	if (t->pattern && !apic_pattern_match(t->pattern, p, n))
		apic__vio(s, APIC_V_PATTERN, "must match the pattern %s", t->pattern->source);
	if ((t->flags & APIC_T_FORMAT) && !apic_format_valid((enum apic_format)t->format, p, n))
		apic__vio_format(s, t);
}

/* Called when a bound below fails: reports which. */
void apic__check_int(const struct apic__site *s, const struct apic_type *t, int64_t v);
void apic__check_number(const struct apic__site *s, const struct apic_type *t, double v);
/* Item count of an array (props false) or property count of a map. */
void apic__check_count(const struct apic__site *s, const struct apic_type *t, size_t n,
		       bool props);

/* The bounds of `t` on an integer: as integers when the bound is one, else
 * as doubles. Inline: a value within them costs a compare or two. */
static inline bool apic__int_below(const struct apic_type *t, int64_t v)
{
	unsigned f = t->flags;
	if (!(f & APIC_T_MIN))
		return false;
	if (f & APIC_T_MIN_INT)
		return f & APIC_T_XMIN ? v <= t->imin : v < t->imin;
	return f & APIC_T_XMIN ? (double)v <= t->dmin : (double)v < t->dmin;
}

static inline bool apic__int_above(const struct apic_type *t, int64_t v)
{
	unsigned f = t->flags;
	if (!(f & APIC_T_MAX))
		return false;
	if (f & APIC_T_MAX_INT)
		return f & APIC_T_XMAX ? v >= t->imax : v > t->imax;
	return f & APIC_T_XMAX ? (double)v >= t->dmax : (double)v > t->dmax;
}

static inline bool apic__num_below(const struct apic_type *t, double v)
{
	unsigned f = t->flags;
	if (!(f & APIC_T_MIN))
		return false;
	double lo = f & APIC_T_MIN_INT ? (double)t->imin : t->dmin;
	return f & APIC_T_XMIN ? v <= lo : v < lo;
}

static inline bool apic__num_above(const struct apic_type *t, double v)
{
	unsigned f = t->flags;
	if (!(f & APIC_T_MAX))
		return false;
	double hi = f & APIC_T_MAX_INT ? (double)t->imax : t->dmax;
	return f & APIC_T_XMAX ? v >= hi : v > hi;
}

static inline bool apic__count_bad(const struct apic_type *t, size_t n)
{
	return ((t->flags & APIC_T_NMIN) && n < t->nmin) || ((t->flags & APIC_T_NMAX) && n > t->nmax);
}

/* Gives the value at `dst` (count at `count` for arrays) default `def`. */
void apic__set_default(const struct apic_type *t, const struct apic_default *def, void *dst,
		       size_t *count);

/* Decodes JSON `j` (NULL for null) of type `t` into `dst` (and, for an array
 * or map, its count into *count), in the request direction or (resp) the
 * response one. 0, or -1 when out of memory. */
int apic__decode(struct apic_ctx *ctx, bool resp, const struct apic_type *t,
		 struct json_object *j, const struct apic_jptr *at, void *dst, size_t *count);

#endif
