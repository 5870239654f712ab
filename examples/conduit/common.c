/* See common.h. */
#include "common.h"

#include <string.h>
#include <stdio.h>
#include <time.h>

int64_t viewer_id(struct apic_ctx *ctx)
{
	const struct principal *p = apic_ctx_principal(ctx);

	return p ? p->uid : 0;
}

struct apic_str str_lit(const char *s)
{
	return (struct apic_str){ s, strlen(s) };
}

struct apic_str col_str(struct apic_ctx *ctx, struct store_stmt *st, int i)
{
	size_t n;
	const char *p = store_col_text(st, i, &n);
	char *c = apic_ctx_alloc(ctx, n + 1);

	if (!c)
		return str_lit("");
	memcpy(c, p, n);
	c[n] = '\0';
	return (struct apic_str){ c, n };
}

void bind_str(struct store_stmt *st, int i, struct apic_str s)
{
	store_bind_text(st, i, s.ptr, s.len);
}

struct apic_str now_str(struct apic_ctx *ctx)
{
	struct timespec ts;
	struct tm tm;
	char *c = apic_ctx_alloc(ctx, 32);
	size_t n;

	if (!c)
		return str_lit("1970-01-01T00:00:00.000Z");
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(c, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(c + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
	return str_lit(c);
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
	enum store_rc rc = store_last();

	apic_ctx_log(ctx, "database: %s", store_errmsg());
	if (rc == STORE_DOWN)
		return apic_ctx_reply_error(ctx, 503, "the database is unavailable, try again");
	if (rc == STORE_INVALID)
		return apic_ctx_reply_error(ctx, 422, "text must not contain U+0000");
	if (rc == STORE_NOMEM)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	return apic_ctx_reply_error(ctx, 500, "database error");
}

int reply_lookup_error(struct apic_ctx *ctx, int rc, const char *not_found)
{
	if (rc == STORE_DONE && not_found)
		return apic_ctx_reply_error(ctx, 404, not_found);
	if (rc == STORE_NOMEM)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	if (rc == STORE_DONE) {
		apic_ctx_log(ctx, "database: a row this request relies on is missing");
		return apic_ctx_reply_error(ctx, 500, "database error");
	}
	return reply_db_error(ctx);
}
