/* What the Conduit handlers (handlers.c, articles.c) share: who is calling,
 * store values copied into the request's arena, and the error replies. */
#ifndef CONDUIT_COMMON_H
#define CONDUIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "conduit.h"
#include "store.h"

/* Who is calling: set by the token verifier for authenticated requests. */
struct principal {
	int64_t uid;
	struct apic_str token; /* as presented, handed back by GET /user */
};

/* The caller's user id; 0 when anonymous. */
int64_t viewer_id(struct apic_ctx *ctx);

struct apic_str str_lit(const char *s);

/* Column `i` of the current row, copied into the request's arena (the row
 * is gone at the next step). Lengths are kept: text may hold U+0000. Out of
 * memory gives "", and the runtime answers 500 whatever the reply. */
struct apic_str col_str(struct apic_ctx *ctx, struct store_stmt *st, int i);
/* Binds `s`: it must live until the statement has run (store_bind_text). */
void bind_str(struct store_stmt *st, int i, struct apic_str s);
/* The time now as the API writes it (2024-01-31T12:00:00.000Z), in the
 * request's arena: the store keeps timestamps as this text. */
struct apic_str now_str(struct apic_ctx *ctx);

/* `arr` (`count` elements of `size` bytes, room for *cap) with room for one
 * more: itself, or a bigger copy in the arena; NULL when out of memory. */
void *grow(struct apic_ctx *ctx, void *arr, size_t count, size_t *cap, size_t size);

/* Logs what the database said (store_errmsg()) and answers without leaking
 * it to the client: 503 when the database is unreachable (store_last() is
 * STORE_DOWN), 422 for text it cannot hold, else 500. */
int reply_db_error(struct apic_ctx *ctx);
/* After a lookup that failed with store code `rc`: 404 `not_found` when
 * the row does not exist (STORE_DONE), else as reply_db_error(). `not_found` NULL: the row
 * cannot be missing (this request has just written or verified it, and
 * users are never deleted), so a missing one is a server error too. */
int reply_lookup_error(struct apic_ctx *ctx, int rc, const char *not_found);

#endif
