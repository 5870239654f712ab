/* What the Conduit handlers (handlers.c, articles.c) share: who is calling,
 * SQLite values copied into the request's arena, and the error replies. */
#ifndef CONDUIT_COMMON_H
#define CONDUIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "conduit.h"

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
struct apic_str col_str(struct apic_ctx *ctx, sqlite3_stmt *st, int i);
/* Binds `s` without a copy: it must outlive the statement's use. */
int bind_str(sqlite3_stmt *st, int i, struct apic_str s);

/* `arr` (`count` elements of `size` bytes, room for *cap) with room for one
 * more: itself, or a bigger copy in the arena; NULL when out of memory. */
void *grow(struct apic_ctx *ctx, void *arr, size_t count, size_t *cap, size_t size);

/* Logs what SQLite said and answers 500 without leaking it to the client. */
int reply_db_error(struct apic_ctx *ctx);
/* After a lookup that failed with SQLite code `rc`: 404 `not_found` when
 * the row does not exist (SQLITE_DONE), else 500. `not_found` NULL: the row
 * cannot be missing (this request has just written or verified it, and
 * users are never deleted), so a missing one is a server error too. */
int reply_lookup_error(struct apic_ctx *ctx, int rc, const char *not_found);

#endif
