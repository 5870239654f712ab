/* See store.h: picks the backend and forwards to it. */
#include "store.h"

#include <string.h>

static const struct store_ops *ops = &store_sqlite_ops;
static _Thread_local enum store_rc last_rc = STORE_DONE;

static bool is_pg_uri(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0;
}

int store_open(const char *target, const struct store_options *opt)
{
	ops = is_pg_uri(target) ? &store_pg_ops : &store_sqlite_ops;
	return ops->open(target, opt);
}

void store_close(void) { ops->close(); }
enum store_kind store_kind(void) { return ops == &store_pg_ops ? STORE_PG : STORE_SQLITE; }
bool store_ready(void) { return ops->ready(); }
void store_release(void) { ops->release(); }

struct store_stmt *store_stmt(const char *sql)
{
	return ops->stmt(sql);
}

void store_bind_int64(struct store_stmt *st, int i, int64_t v) { ops->bind_int64(st, i, v); }

void store_bind_text(struct store_stmt *st, int i, const char *s, size_t len)
{
	ops->bind_text(st, i, s, len);
}

enum store_rc store_step(struct store_stmt *st)
{
	enum store_rc rc = ops->step(st);

	if (rc != STORE_ROW && rc != STORE_DONE)
		last_rc = rc;
	return rc;
}

int64_t store_col_int64(struct store_stmt *st, int i) { return ops->col_int64(st, i); }

const char *store_col_text(struct store_stmt *st, int i, size_t *len)
{
	return ops->col_text(st, i, len);
}

void store_done(struct store_stmt *st)
{
	if (st)
		ops->done(st);
}

static enum store_rc exec_rc(const char *sql)
{
	enum store_rc rc = ops->exec(sql);

	if (rc != STORE_DONE)
		last_rc = rc;
	return rc;
}

enum store_rc store_begin(void) { return exec_rc("BEGIN"); }
enum store_rc store_commit(void) { return exec_rc("COMMIT"); }
void store_rollback(void) { ops->exec("ROLLBACK"); }

void store_fail(enum store_rc rc) { last_rc = rc; }
enum store_rc store_last(void) { return last_rc; }
const char *store_errmsg(void) { return ops->errmsg(); }
