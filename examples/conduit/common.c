/* See common.h. */
#include "common.h"

#include <string.h>

#include "db.h"

int64_t viewer_id(struct apic_ctx *ctx)
{
	const struct principal *p = apic_ctx_principal(ctx);

	return p ? p->uid : 0;
}

struct apic_str str_lit(const char *s)
{
	return (struct apic_str){ s, strlen(s) };
}

struct apic_str col_str(struct apic_ctx *ctx, sqlite3_stmt *st, int i)
{
	const unsigned char *p = sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	char *c = apic_ctx_alloc(ctx, n + 1);

	if (!c)
		return str_lit("");
	if (p)
		memcpy(c, p, n);
	return (struct apic_str){ c, n };
}

int bind_str(sqlite3_stmt *st, int i, struct apic_str s)
{
	return sqlite3_bind_text(st, i, s.ptr, (int)s.len, SQLITE_STATIC);
}

void *grow(struct apic_ctx *ctx, void *arr, size_t count, size_t *cap, size_t size)
{
	void *bigger;

	if (count < *cap)
		return arr;
	*cap = *cap ? 2 * *cap : 16;
	bigger = apic_ctx_alloc(ctx, *cap * size);
	if (bigger && count)
		memcpy(bigger, arr, count * size);
	return bigger;
}

int reply_db_error(struct apic_ctx *ctx)
{
	sqlite3 *conn = db_conn();

	apic_ctx_log(ctx, "database: %s", conn ? sqlite3_errmsg(conn) : "cannot connect");
	return apic_ctx_reply_error(ctx, 500, "database error");
}

int reply_lookup_error(struct apic_ctx *ctx, int rc, const char *not_found)
{
	if (rc == SQLITE_DONE && not_found)
		return apic_ctx_reply_error(ctx, 404, not_found);
	if (rc == SQLITE_NOMEM)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	if (rc == SQLITE_DONE) {
		apic_ctx_log(ctx, "database: a row this request relies on is missing");
		return apic_ctx_reply_error(ctx, 500, "database error");
	}
	return reply_db_error(ctx);
}
