/* The Conduit example's store: one interface over SQLite (store_sqlite.c)
 * and PostgreSQL (store_pg.c), chosen once at start by store_open(). The
 * handlers write one SQL text per statement, in the dialect both accept:
 * parameters as `?` or `?N` (store_pg.c turns them into `$N`), bound
 * timestamps instead of SQL clocks, `ON CONFLICT DO NOTHING`, `RETURNING id`.
 * Where the dialects part, store_kind() says which one runs.
 *
 * Each calling thread has at most one connection at a time: SQLite keeps one
 * per thread; PostgreSQL takes one from a bounded pool on first use and
 * gives it back in store_release(), which the server calls after each
 * request. Statements are prepared once per connection and cached, keyed by
 * the address of their SQL text (a string literal). */
#ifndef CONDUIT_STORE_H
#define CONDUIT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum store_kind { STORE_SQLITE, STORE_PG };

/* What store_step() and the transaction calls return. */
enum store_rc {
	STORE_ROW = 1,    /* a row is ready: read it with store_col_*() */
	STORE_DONE,       /* no (more) rows: the statement is complete */
	STORE_CONSTRAINT, /* a UNIQUE, foreign key or NOT NULL violation */
	STORE_INVALID,    /* a value the database cannot hold (U+0000 in PostgreSQL text) */
	STORE_NOMEM,
	STORE_DOWN,       /* no connection to the database: answer 503 */
	STORE_ERROR,      /* anything else: store_errmsg() says what */
};

struct store_options {
	bool sqlite_sync_full;       /* SQLite: synchronous = FULL (else NORMAL) */
	unsigned pool_size;          /* PostgreSQL: connections per process (> 0) */
	unsigned connect_timeout;    /* PostgreSQL: seconds (libpq connect_timeout) */
	unsigned statement_timeout;  /* PostgreSQL: milliseconds (statement_timeout) */
};

/* `target` is a libpq URI (postgresql:// or postgres://) or else a SQLite
 * file. Opens it and creates the tables when missing (on PostgreSQL under
 * an advisory lock, so instances may start together). Returns 0, or -1
 * after printing why to stderr. */
int store_open(const char *target, const struct store_options *opt);
/* Closes every connection; the server has stopped. */
void store_close(void);
enum store_kind store_kind(void);

/* Whether the database answers now (the readiness check). */
bool store_ready(void);
/* Gives the calling thread's connection back to the pool (PostgreSQL),
 * rolling back a transaction left open. No-op for SQLite. */
void store_release(void);

struct store_stmt;
/* The prepared statement for `sql` (a string literal) on the calling
 * thread's connection; NULL on error, then store_last() says which. Hand it
 * back with store_done() before asking for the same SQL again. */
struct store_stmt *store_stmt(const char *sql);
/* Parameters count from 1; one left unbound is NULL. Text is not copied by
 * SQLite, copied by PostgreSQL: it must live until store_step(). */
void store_bind_int64(struct store_stmt *st, int i, int64_t v);
void store_bind_text(struct store_stmt *st, int i, const char *s, size_t len);
/* Runs the statement (first call) or moves to the next row. */
enum store_rc store_step(struct store_stmt *st);
/* Column `i` (from 0) of the current row. Booleans read as 0 or 1. Text
 * is valid until the next step or store_done(); NULL reads as "". */
int64_t store_col_int64(struct store_stmt *st, int i);
const char *store_col_text(struct store_stmt *st, int i, size_t *len);
/* Resets the statement and clears its bindings; NULL is allowed. */
void store_done(struct store_stmt *st);

enum store_rc store_begin(void);
enum store_rc store_commit(void);
void store_rollback(void);

/* The last failure on the calling thread: its code and the database's
 * message (for the log, never for the client). */
enum store_rc store_last(void);
const char *store_errmsg(void);

/* The backends' table, for store.c. */
struct store_ops {
	int (*open)(const char *target, const struct store_options *opt);
	void (*close)(void);
	bool (*ready)(void);
	void (*release)(void);
	struct store_stmt *(*stmt)(const char *sql);
	void (*bind_int64)(struct store_stmt *st, int i, int64_t v);
	void (*bind_text)(struct store_stmt *st, int i, const char *s, size_t len);
	enum store_rc (*step)(struct store_stmt *st);
	int64_t (*col_int64)(struct store_stmt *st, int i);
	const char *(*col_text)(struct store_stmt *st, int i, size_t *len);
	void (*done)(struct store_stmt *st);
	enum store_rc (*exec)(const char *sql); /* BEGIN, COMMIT, ROLLBACK */
	const char *(*errmsg)(void);
};
extern const struct store_ops store_sqlite_ops, store_pg_ops;

/* Set by the backends on failure, read by store_last()/store_errmsg(). */
void store_fail(enum store_rc rc);

#endif
