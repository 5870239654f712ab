/* The table-driven encoder: the JSON of a value laid out as its type
 * descriptor (apic_gen.h) says, straight into the response buffer. Members
 * in field order, writeonly ones never; an optional member only when it is
 * set (its has_ flag, or a non-NULL model) or null. A value that cannot be
 * written (a required model missing, an enum that is no member) sets
 * b->oom: the reply becomes a 500. apic__encode_request() is the other
 * direction, a client's request body (client.c). */
#include "internal.h"

#include <string.h>

static void enc_value(struct apic_buf *b, const struct apic_type *t, const char *v,
		      const size_t *count, bool req);
static void enc_items(struct apic_buf *b, const struct apic_type *item, const void *items,
		      size_t count, bool req);
static void enc_entries(struct apic_buf *b, const struct apic_type *map, const void *entries,
			size_t count, bool req);

/* `sep` then the key literal, with one room check. */
static inline __attribute__((always_inline)) void put_key(struct apic_buf *b, char sep, const struct apic_field *f)
{
	if (b->cap - b->len <= f->key_len && !apic_buf_grow(b, f->key_len + 1))
		return;
	b->p[b->len] = sep;
	memcpy(b->p + b->len + 1, f->key, f->key_len);
	b->len += f->key_len + 1;
}

static void put_enum(struct apic_buf *b, const struct apic_enum_desc *e, int v)
{
	if (v < 1 || (size_t)v > e->count) {
		b->oom = true;
		return;
	}
	const struct apic_str *s = &e->names[v - 1];
	if (b->cap - b->len < s->len + 2 && !apic_buf_grow(b, s->len + 2))
		return;
	char *p = b->p + b->len;
	p[0] = '"';
	memcpy(p + 1, s->ptr, s->len);
	p[s->len + 1] = '"';
	b->len += s->len + 2;
}

static bool flag(const char *v, size_t off)
{
	return *(const bool *)(v + off);
}

static bool no_model(const char *p)
{
	return *(const void *const *)(const void *)p == NULL;
}

/* req: the request direction (a client's body): readonly members never,
 * writeonly ones like any other; the generated fast path is the reply's. */
static void enc_model(struct apic_buf *b, const struct apic_model *m, const char *v, bool req)
{
	if (m->encode && !req) {
		m->encode(b, v);
		return;
	}
	unsigned skip = req ? APIC_F_READONLY : APIC_F_WRITEONLY;
	char sep = '{';
	const struct apic_field *f = m->fields, *end = f + m->nfields;
	for (; f < end; f++) {
		unsigned fl = f->flags;
		const char *p = v + f->off;
		if (fl & (APIC_F_OPTIONAL | APIC_F_NULLABLE | APIC_F_WRITEONLY | APIC_F_READONLY)) {
			if (fl & skip)
				continue;
			bool null = (fl & APIC_F_NULLABLE) && flag(v, f->null_off);
			bool model = f->type->kind == APIC_K_MODEL;
			if ((fl & APIC_F_OPTIONAL) && !null &&
			    !(fl & APIC_F_HAS ? flag(v, f->has_off) : !model || !no_model(p)))
				continue;
			if (null || ((fl & APIC_F_NULLABLE) && model && no_model(p))) {
				put_key(b, sep, f);
				sep = ',';
				apic_buf_lit(b, "null");
				continue;
			}
		}
		put_key(b, sep, f);
		sep = ',';
		enc_value(b, f->type, p, (const size_t *)(const void *)(v + f->count_off), req);
	}
	if (sep == '{')
		apic_buf_lit(b, "{");
	apic_buf_lit(b, "}");
}

static void enc_model_ptr(struct apic_buf *b, const struct apic_model *m, const void *v, bool req)
{
	if (!v) {
		b->oom = true; /* a required object is missing */
		return;
	}
	enc_model(b, m, v, req);
}

/* The branch's model carries the discriminator as its own field, set by the
 * handler: one that does not spell the chosen branch would make a document
 * that decodes as another, so it is refused like a missing required model. */
static bool disc_ok(const struct apic_union_desc *u, const struct apic_branch *br, const char *v)
{
	const struct apic_model *m = br->type->model;
	const char *mv = *(const char *const *)(const void *)v;
	if (mv == NULL || m == NULL)
		return true; /* enc_model_ptr() judges a missing model */
	for (size_t i = 0; i < m->nfields; i++) {
		const struct apic_field *f = &m->fields[i];
		if (f->len == u->disc_len && memcmp(f->name, u->disc, f->len) == 0) {
			const struct apic_str *s = (const struct apic_str *)(const void *)(mv + f->off);
			return s->len == br->len && (br->len == 0 || memcmp(s->ptr, br->value, br->len) == 0);
		}
	}
	return false;
}

/* The chosen branch's value; none (kind 0 or out of range) sets oom. */
static void enc_union(struct apic_buf *b, const struct apic_union_desc *u, const char *v, bool req)
{
	int k = *(const int *)(const void *)v;
	if (k < 1 || (size_t)k > u->count) {
		b->oom = true;
		return;
	}
	const struct apic_branch *br = &u->branches[k - 1];
	const char *bv = v + u->value_off;
	if (u->disc && !disc_ok(u, br, bv)) {
		b->oom = true;
		return;
	}
	enc_value(b, br->type, bv, (const size_t *)(const void *)(bv + br->type->count_off), req);
}

/* v: the value; for an array or a map, its pointer (the count at *count). */
static void enc_value(struct apic_buf *b, const struct apic_type *t, const char *v,
		      const size_t *count, bool req)
{
	switch ((enum apic_kind)t->kind) {
	case APIC_K_STRING: {
		const struct apic_str *s = (const struct apic_str *)(const void *)v;
		apic_buf_str(b, s->ptr, s->len);
		return;
	}
	case APIC_K_BOOL:
		apic_buf_bool(b, *(const bool *)v);
		return;
	case APIC_K_INT32:
		apic_buf_i64(b, *(const int32_t *)(const void *)v);
		return;
	case APIC_K_INT64:
		apic_buf_i64(b, *(const int64_t *)(const void *)v);
		return;
	case APIC_K_NUMBER:
		apic_buf_f64(b, *(const double *)(const void *)v);
		return;
	case APIC_K_ENUM:
		put_enum(b, t->enm, *(const int *)(const void *)v);
		return;
	case APIC_K_MODEL:
		enc_model_ptr(b, t->model, *(const void *const *)(const void *)v, req);
		return;
	case APIC_K_MODEL_VALUE:
		enc_model(b, t->model, v, req);
		return;
	case APIC_K_ARRAY:
		enc_items(b, t->elem, *(const void *const *)(const void *)v, *count, req);
		return;
	case APIC_K_MAP:
		enc_entries(b, t, *(const void *const *)(const void *)v, *count, req);
		return;
	case APIC_K_UNION:
		enc_union(b, t->uni, v, req);
		return;
	}
}

void apic_encode(struct apic_buf *b, const struct apic_type *t, const void *v)
{
	/* an array or a map at the top is laid out as an array's item */
	enc_value(b, t, v, (const size_t *)(const void *)((const char *)v + t->count_off), false);
}

static void enc_items(struct apic_buf *b, const struct apic_type *item, const void *items,
		      size_t count, bool req)
{
	const char *p = items;
	apic_buf_lit(b, "[");
	for (size_t i = 0; i < count; i++, p += item->size) {
		if (i)
			apic_buf_lit(b, ",");
		enc_value(b, item, p, (const size_t *)(const void *)(p + item->count_off), req);
	}
	apic_buf_lit(b, "]");
}

void apic_encode_items(struct apic_buf *b, const struct apic_type *item, const void *items, size_t count)
{
	enc_items(b, item, items, count, false);
}

static void enc_entries(struct apic_buf *b, const struct apic_type *map, const void *entries,
			size_t count, bool req)
{
	const char *e = entries;
	apic_buf_lit(b, "{");
	for (size_t i = 0; i < count; i++, e += map->entry_size) {
		const struct apic_str *key = (const struct apic_str *)(const void *)e;
		if (i)
			apic_buf_lit(b, ",");
		apic_buf_str(b, key->ptr, key->len);
		apic_buf_lit(b, ":");
		enc_value(b, map->elem, e + map->value_off,
			  (const size_t *)(const void *)(e + map->value_count_off), req);
	}
	apic_buf_lit(b, "}");
}

void apic_encode_entries(struct apic_buf *b, const struct apic_type *map, const void *entries, size_t count)
{
	enc_entries(b, map, entries, count, false);
}

void apic__encode_request(struct apic_buf *b, const struct apic_type *t, const void *v,
			  const size_t *count)
{
	enc_value(b, t, v, count, true);
}
