/* Chunked bump allocator; chunks grow geometrically so a large schema needs
 * few mallocs, and nothing is ever freed until the whole arena goes. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
	size_t next_size;
};

static void arena_default_oom(void)
{
	fputs("apic: out of memory\n", stderr);
	abort();
}

void (*arena_oom_handler)(void) = arena_default_oom;

static void *arena_xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		arena_oom_handler();
		abort(); /* the handler must not return */
	}
	return p;
}

struct arena *arena_new(void)
{
	struct arena *a = arena_xmalloc(sizeof *a);
	a->head = NULL;
	a->next_size = 64 * 1024;
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	if (n > SIZE_MAX / 2)
		arena_oom_handler();
	n = (n + align - 1) / align * align;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = a->next_size;
		if (size < n)
			size = n;
		else if (a->next_size < 4 * 1024 * 1024)
			a->next_size *= 2;
		c = arena_xmalloc(sizeof *c + size);
		c->used = 0;
		c->size = size;
		if (a->head && size == n) {
			/* an oversized block: keep the current chunk in front */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

struct strmap_slot {
	const char *key;
	void *value;
	uint32_t hash;
};

struct strmap {
	struct arena *arena;
	struct strmap_slot *slots;
	size_t cap, count;
};

static uint32_t strmap_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct strmap *strmap_new(struct arena *a)
{
	struct strmap *m = arena_alloc(a, sizeof *m);
	m->arena = a;
	m->cap = 16;
	m->slots = arena_alloc(a, m->cap * sizeof *m->slots);
	return m;
}

static struct strmap_slot *strmap_find(const struct strmap *m, const char *key, uint32_t h)
{
	size_t i = h & (m->cap - 1);
	for (;;) {
		struct strmap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

void *strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_slot *s = strmap_find(m, key, strmap_hash(key));
	return s->key ? s->value : NULL;
}

void *strmap_put(struct strmap *m, const char *key, void *value)
{
	uint32_t h = strmap_hash(key);
	struct strmap_slot *s = strmap_find(m, key, h);
	if (s->key)
		return s->value;
	if ((m->count + 1) * 4 > m->cap * 3) {
		/* grow; the old table stays in the arena until it is freed */
		struct strmap_slot *old = m->slots;
		size_t oldcap = m->cap;
		m->cap *= 2;
		m->slots = arena_alloc(m->arena, m->cap * sizeof *m->slots);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].key)
				*strmap_find(m, old[i].key, old[i].hash) = old[i];
		s = strmap_find(m, key, h);
	}
	s->key = key;
	s->value = value;
	s->hash = h;
	m->count++;
	return NULL;
}
