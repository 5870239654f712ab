/* Deep copies and frees of generated models, read from their descriptors
 * (apic_gen.h): what P_m__copy, __dup, __copy_array, __free_members,
 * __free and __free_array do (docs/generated-code.md, "Keeping data past
 * the request").
 *
 * A copy first takes every member by assignment, then clears each owning
 * member (a string's pointer, a model pointer, an array) before filling it
 * in: when memory runs out half-way, every pointer of the copy is either
 * its own or NULL, so the heap copy can be freed and nothing of the source
 * is ever freed. */
#include "apic_gen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where an array's or a map's pointer and count are: inline in a parent
 * (a field, a map entry's value: `off`, `count_off`) or in the aux struct
 * of an item ({ pointer at 0, count at t->count_off }). */
struct seq {
	void **ptr;
	size_t *count;
};

static struct seq seq_at(char *base, size_t off, size_t count_off)
{
	return (struct seq){ (void **)(void *)(base + off), (size_t *)(void *)(base + count_off) };
}

static bool owns(const struct apic_type *t)
{
	switch (t->kind) {
	case APIC_K_STRING:
	case APIC_K_MODEL:
	case APIC_K_ARRAY:
	case APIC_K_MAP:
	case APIC_K_UNION:
		return true;
	default:
		return false;
	}
}

/* The sequence of an item of type t (an array or a map) at `v`. */
static struct seq item_seq(const struct apic_type *t, char *v)
{
	return seq_at(v, 0, t->count_off);
}

static void clear_value(const struct apic_type *t, char *v, struct seq s)
{
	switch (t->kind) {
	case APIC_K_STRING:
		((struct apic_str *)(void *)v)->ptr = NULL;
		break;
	case APIC_K_MODEL:
		*(const void **)(void *)v = NULL;
		break;
	case APIC_K_ARRAY:
	case APIC_K_MAP:
		*s.ptr = NULL;
		break;
	case APIC_K_UNION:
		*(int *)(void *)v = 0; /* nothing to release until filled */
		break;
	default:
		break;
	}
}

/* The branch of the union value at v, or NULL (kind 0 or out of range). */
static const struct apic_branch *branch_of(const struct apic_type *t, const char *v)
{
	int k = *(const int *)(const void *)v;
	return k >= 1 && (size_t)k <= t->uni->count ? &t->uni->branches[k - 1] : NULL;
}

static int fill_value(const struct apic_type *t, char *dst, const char *src, struct seq ds,
		      struct seq ss, const struct apic_allocator *a);

static int fill_seq(const struct apic_type *t, struct seq ds, struct seq ss,
		    const struct apic_allocator *a)
{
	size_t n = *ss.count;
	if (*ss.ptr == NULL || n == 0)
		return 0;
	bool map = t->kind == APIC_K_MAP;
	size_t size = map ? t->entry_size : t->elem->size;
	if (n > SIZE_MAX / size)
		return -1;
	char *v = a->alloc(a->cls, n * size);
	if (v == NULL)
		return -1;
	*ds.ptr = v;
	const char *s = *ss.ptr;
	if (!map && !owns(t->elem)) {
		memcpy(v, s, n * size);
		return 0;
	}
	const struct apic_type *et = t->elem;
	for (size_t i = 0; i < n; i++) {
		char *de = v + i * size;
		const char *se = s + i * size;
		memcpy(de, se, size);
		if (map) {
			struct apic_str *key = (struct apic_str *)(void *)de;
			struct seq dv = seq_at(de, t->value_off, t->value_count_off);
			struct seq sv = seq_at((char *)se, t->value_off, t->value_count_off);
			key->ptr = NULL;
			clear_value(et, de + t->value_off, dv);
			key->ptr = ((const struct apic_str *)(const void *)se)->ptr;
			if (apic_copy_str(key, a) != 0)
				return -1;
			if (fill_value(et, de + t->value_off, se + t->value_off, dv, sv, a) != 0)
				return -1;
		} else {
			struct seq dv = item_seq(et, de), sv = item_seq(et, (char *)se);
			clear_value(et, de, dv);
			if (fill_value(et, de, se, dv, sv, a) != 0)
				return -1;
		}
	}
	return 0;
}

/* Fills the cleared owning value at dst from the one at src. */
static int fill_value(const struct apic_type *t, char *dst, const char *src, struct seq ds,
		      struct seq ss, const struct apic_allocator *a)
{
	switch (t->kind) {
	case APIC_K_STRING: {
		struct apic_str *d = (struct apic_str *)(void *)dst;
		d->ptr = ((const struct apic_str *)(const void *)src)->ptr;
		return apic_copy_str(d, a);
	}
	case APIC_K_MODEL: {
		const void *s = *(const void *const *)(const void *)src;
		if (s == NULL)
			return 0;
		void *d = apic_model_dup(t->model, s, a);
		*(void **)(void *)dst = d;
		return d ? 0 : -1;
	}
	case APIC_K_ARRAY:
	case APIC_K_MAP:
		return fill_seq(t, ds, ss, a);
	case APIC_K_UNION: {
		const struct apic_branch *br = branch_of(t, src);
		if (br == NULL)
			return 0;
		const struct apic_type *bt = br->type;
		char *dv = dst + t->uni->value_off;
		const char *sv = src + t->uni->value_off;
		struct seq dq = item_seq(bt, dv), sq = item_seq(bt, (char *)sv);
		/* the branch's value, cleared, before the kind says it is there */
		clear_value(bt, dv, dq);
		*(int *)(void *)dst = *(const int *)(const void *)src;
		return owns(bt) ? fill_value(bt, dv, sv, dq, sq, a) : 0;
	}
	default:
		return 0;
	}
}

static int copy_members(const struct apic_model *m, char *dst, const char *src,
			const struct apic_allocator *a)
{
	memcpy(dst, src, m->size);
	for (size_t i = 0; i < m->nfields; i++) {
		const struct apic_field *f = &m->fields[i];
		clear_value(f->type, dst + f->off, seq_at(dst, f->off, f->count_off));
	}
	for (size_t i = 0; i < m->nfields; i++) {
		const struct apic_field *f = &m->fields[i];
		if (owns(f->type) &&
		    fill_value(f->type, dst + f->off, src + f->off, seq_at(dst, f->off, f->count_off),
			       seq_at((char *)src, f->off, f->count_off), a) != 0)
			return -1;
	}
	return 0;
}

int apic_model_copy(const struct apic_model *m, void *dst, const void *src,
		    const struct apic_allocator *a)
{
	if (copy_members(m, dst, src, a) == 0)
		return 0;
	if (a->heap)
		apic_model_free_members(m, dst);
	memset(dst, 0, m->size);
	return -1;
}

void *apic_model_dup(const struct apic_model *m, const void *src, const struct apic_allocator *a)
{
	void *d = a->alloc(a->cls, m->size);
	if (d != NULL && apic_model_copy(m, d, src, a) != 0) {
		if (a->heap)
			free(d);
		d = NULL;
	}
	return d;
}

int apic_model_copy_array(const struct apic_model *m, void **dst, const void *src, size_t count,
			  const struct apic_allocator *a)
{
	*dst = NULL;
	if (count == 0)
		return 0;
	if (count > SIZE_MAX / m->size)
		return -1;
	char *v = a->alloc(a->cls, count * m->size);
	if (v == NULL)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (apic_model_copy(m, v + i * m->size, (const char *)src + i * m->size, a) != 0) {
			if (a->heap)
				apic_model_free_array(m, v, i);
			return -1;
		}
	*dst = v;
	return 0;
}

static void release(const struct apic_type *t, char *v, struct seq s)
{
	switch (t->kind) {
	case APIC_K_STRING:
		free((void *)((struct apic_str *)(void *)v)->ptr);
		return;
	case APIC_K_MODEL:
		apic_model_free(t->model, *(void **)(void *)v);
		return;
	case APIC_K_ARRAY:
	case APIC_K_MAP:
		break;
	case APIC_K_UNION: {
		const struct apic_branch *br = branch_of(t, v);
		if (br != NULL) {
			char *bv = v + t->uni->value_off;
			release(br->type, bv, item_seq(br->type, bv));
		}
		return;
	}
	default:
		return;
	}
	char *p = *s.ptr;
	bool map = t->kind == APIC_K_MAP;
	size_t size = map ? t->entry_size : t->elem->size;
	for (size_t i = 0; p != NULL && i < *s.count && (map || owns(t->elem)); i++) {
		char *e = p + i * size;
		if (map) {
			free((void *)((struct apic_str *)(void *)e)->ptr);
			release(t->elem, e + t->value_off, seq_at(e, t->value_off, t->value_count_off));
		} else {
			release(t->elem, e, item_seq(t->elem, e));
		}
	}
	free(p);
}

void apic_model_free_members(const struct apic_model *m, void *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < m->nfields; i++) {
		const struct apic_field *f = &m->fields[i];
		release(f->type, (char *)v + f->off, seq_at(v, f->off, f->count_off));
	}
}

void apic_model_free(const struct apic_model *m, void *v)
{
	apic_model_free_members(m, v);
	free(v);
}

void apic_model_free_array(const struct apic_model *m, void *v, size_t count)
{
	for (size_t i = 0; v != NULL && i < count; i++)
		apic_model_free_members(m, (char *)v + i * m->size);
	free(v);
}
