/* The per-request arena (runtime/arena.c, included): alignment, the inline
 * first chunk, growth, in-place realloc, defer order, reuse after release. */
#include "../../runtime/arena.c"
#include "tap.h"

#include <stdint.h>

static char order[16];
static size_t norder;
static struct apic__arena *A;

static void mark(void *arg)
{
	order[norder++] = *(const char *)arg;
}

static void mark_and_defer(void *arg)
{
	mark(arg);
	/* A hook may defer more work while the arena is being released. */
	static const char late = 'z';
	apic__arena_defer(A, mark, (void *)&late);
}

int main(void)
{
	static alignas(max_align_t) char first[4096];
	struct apic__arena a;
	A = &a;
	apic__arena_init(&a, first, sizeof first);

	char *p1 = apic__arena_alloc(&a, 1);
	char *p2 = apic__arena_alloc(&a, 3);
	ok(p1 == first, "the first allocation is in the inline chunk");
	ok((uintptr_t)p2 % alignof(max_align_t) == 0, "allocations are aligned for any type");
	ok(a.chunks == NULL, "no heap chunk for small requests");
	char *big = apic__arena_alloc(&a, 5000);
	ok(big != NULL && a.chunks != NULL, "a request past the inline chunk takes a heap chunk");
	memset(big, 'x', 5000);
	char *huge = apic__arena_alloc(&a, 100000);
	ok(huge != NULL && a.chunks->size >= 100000, "a large request gets a chunk of its own size");
	memset(huge, 'y', 100000);

	char *r = apic__arena_alloc(&a, 16);
	memcpy(r, "0123456789abcdef", 16);
	char *r2 = apic__arena_realloc(&a, r, 16, 64);
	ok(r2 == r, "the latest allocation grows in place");
	ok(memcmp(r2, "0123456789abcdef", 16) == 0, "and keeps its bytes");
	(void)apic__arena_alloc(&a, 8);
	char *r3 = apic__arena_realloc(&a, r2, 64, 128);
	ok(r3 != r2 && memcmp(r3, "0123456789abcdef", 16) == 0, "an older allocation is copied");
	ok(apic__arena_alloc(&a, SIZE_MAX - 4) == NULL, "an impossible size fails cleanly");

	char longfmt[600];
	memset(longfmt, 'q', sizeof longfmt - 1);
	longfmt[sizeof longfmt - 1] = '\0';
	struct apic_ctx *ctx = calloc(1, sizeof *ctx);
	ctx->arena = a;
	char *s = apic_ctx_printf(ctx, "%s-%d", longfmt, 42);
	ok(s && strlen(s) == 599 + 3 && strcmp(s + 599, "-42") == 0, "printf longer than the stack buffer");
	int *z = apic_ctx_alloc(ctx, 64 * sizeof *z);
	int zero = 1;
	for (int i = 0; i < 64; i++)
		zero &= z[i] == 0;
	ok(zero, "apic_ctx_alloc zeroes");
	char *d = apic_ctx_strndup(ctx, "abcdef", 3);
	is_str(d, "abc", "strndup terminates");

	static const char c1 = 'a', c2 = 'b', c3 = 'c';
	apic_ctx_defer(ctx, mark, (void *)&c1);
	apic_ctx_defer(ctx, mark_and_defer, (void *)&c2);
	apic_ctx_defer(ctx, mark, (void *)&c3);
	A = &ctx->arena;
	apic__arena_release(&ctx->arena);
	order[norder] = '\0';
	is_str(order, "cbza", "defer hooks run newest first, including ones added while releasing");
	ok(ctx->arena.chunks == NULL && ctx->arena.cur == first, "released: back to the inline chunk");
	char *again = apic__arena_alloc(&ctx->arena, 10);
	ok(again == first, "the arena is reusable");
	apic__arena_release(&ctx->arena);
	ok(!ctx->oom, "no allocation failure recorded");
	free(ctx);
	return tap_done();
}
