/* The allocators of the generated copy functions (apic.h, "keeping data
 * past the request"): the heap, or a request's arena. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *heap_alloc(void *cls, size_t size)
{
	(void)cls;
	return calloc(1, size ? size : 1);
}

const struct apic_allocator apic_heap_allocator = { heap_alloc, NULL, true };

static void *ctx_alloc(void *cls, size_t size)
{
	return apic_ctx_alloc(cls, size);
}

struct apic_allocator apic_ctx_allocator(struct apic_ctx *ctx)
{
	return (struct apic_allocator){ ctx_alloc, ctx, false };
}

void *apic_copy_mem(const void *src, size_t n, const struct apic_allocator *a)
{
	if (n == 0)
		return NULL;
	void *p = a->alloc(a->cls, n);
	if (p != NULL && src != NULL)
		memcpy(p, src, n);
	return p;
}

int apic_copy_str(struct apic_str *s, const struct apic_allocator *a)
{
	if (s->ptr == NULL)
		return 0;
	char *p = s->len < SIZE_MAX ? a->alloc(a->cls, s->len + 1) : NULL;
	if (p == NULL) {
		s->ptr = NULL;
		return -1;
	}
	memcpy(p, s->ptr, s->len);
	s->ptr = p;
	return 0;
}
