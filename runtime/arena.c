/* Per-request arena: bump allocation in an inline first chunk (part of the
 * reused request context, so a small request allocates nothing), then heap
 * chunks that double in size. Everything is released at once, after the
 * defer hooks ran (newest first), when the request completes. */
#include "internal.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SANITIZE_ADDRESS__
#define APIC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define APIC_ASAN 1
#endif
#endif
#ifdef APIC_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ALIGN alignof(max_align_t)
#define CHUNK_MIN 8192

struct apic__chunk {
	struct apic__chunk *next;
	size_t size;
	alignas(max_align_t) char data[];
};

struct apic__defer {
	struct apic__defer *next;
	void (*fn)(void *);
	void *arg;
};

void apic__arena_init(struct apic__arena *a, void *first, size_t size)
{
	memset(a, 0, sizeof *a);
	a->first = first;
	a->first_end = (char *)first + size;
	a->cur = a->first;
	a->end = a->first_end;
	POISON(a->first, size);
}

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

void *apic__arena_alloc(struct apic__arena *a, size_t size)
{
	size_t need = round_up(size ? size : 1);
	if (need < size)
		return NULL;
	if ((size_t)(a->end - a->cur) < need) {
		size_t prev = a->chunks ? a->chunks->size : CHUNK_MIN / 2;
		size_t csize = prev * 2;
		if (csize < need)
			csize = need;
		if (csize > SIZE_MAX - sizeof(struct apic__chunk))
			return NULL;
		struct apic__chunk *c = malloc(sizeof *c + csize);
		if (c == NULL)
			return NULL;
		c->size = csize;
		c->next = a->chunks;
		a->chunks = c;
		a->cur = c->data;
		a->end = c->data + csize;
		POISON(c->data, csize);
	}
	char *p = a->cur;
	a->cur += need;
	a->last = p;
	UNPOISON(p, size ? size : 1);
	return p;
}

void *apic__arena_realloc(struct apic__arena *a, void *old, size_t oldsize, size_t newsize)
{
	if (old != NULL && old == a->last) {
		size_t need = round_up(newsize);
		if (need >= newsize && (size_t)(a->end - a->last) >= need) {
			a->cur = a->last + need;
			UNPOISON(a->last, newsize);
			return old;
		}
	}
	void *p = apic__arena_alloc(a, newsize);
	if (p != NULL && old != NULL)
		memcpy(p, old, oldsize < newsize ? oldsize : newsize);
	return p;
}

int apic__arena_defer(struct apic__arena *a, void (*fn)(void *), void *arg)
{
	struct apic__defer *d = apic__arena_alloc(a, sizeof *d);
	if (d == NULL)
		return -1;
	d->fn = fn;
	d->arg = arg;
	d->next = a->defers;
	a->defers = d;
	return 0;
}

void apic__arena_release(struct apic__arena *a)
{
	/* A hook may allocate or defer more: drain until empty. */
	while (a->defers != NULL) {
		struct apic__defer *d = a->defers;
		a->defers = d->next;
		d->fn(d->arg);
	}
	struct apic__chunk *c = a->chunks;
	while (c != NULL) {
		struct apic__chunk *next = c->next;
		free(c);
		c = next;
	}
	a->chunks = NULL;
	a->cur = a->first;
	a->end = a->first_end;
	a->last = NULL;
	POISON(a->first, (size_t)(a->first_end - a->first));
}

char *apic__arena_vprintf(struct apic__arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *p = apic__arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	if ((size_t)n < sizeof small)
		memcpy(p, small, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

/* ---- the handler-facing helpers of apic.h ---------------------------------- */

void *apic_ctx_alloc(struct apic_ctx *ctx, size_t size)
{
	void *p = apic__arena_alloc(&ctx->arena, size);
	if (p == NULL) {
		ctx->oom = true;
		return NULL;
	}
	memset(p, 0, size);
	return p;
}

char *apic_ctx_strndup(struct apic_ctx *ctx, const char *s, size_t n)
{
	char *p = apic__arena_alloc(&ctx->arena, n + 1);
	if (p == NULL) {
		ctx->oom = true;
		return NULL;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *apic_ctx_printf(struct apic_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = apic__arena_vprintf(&ctx->arena, fmt, ap);
	va_end(ap);
	if (p == NULL)
		ctx->oom = true;
	return p;
}

int apic_ctx_defer(struct apic_ctx *ctx, void (*fn)(void *), void *arg)
{
	return apic__arena_defer(&ctx->arena, fn, arg);
}
