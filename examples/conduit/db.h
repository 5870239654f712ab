/* The Conduit example's SQLite store. The server answers on several threads:
 * each thread opens its own connection to the database file on first use
 * (WAL mode, so readers never wait for the writer) and keeps its prepared
 * statements, keyed by the address of their SQL text. db_close() closes
 * every connection once the server has stopped. */
#ifndef CONDUIT_DB_H
#define CONDUIT_DB_H

#include <stdbool.h>

#include <sqlite3.h>

/* Opens (creating if needed) the database at `path` and its tables; every
 * connection then runs with synchronous = FULL (`sync_full`: a commit is on
 * disk when it returns) or NORMAL (faster; the last commits before a power
 * loss may be lost). Returns 0, or -1 after printing why. */
int db_open(const char *path, bool sync_full);
void db_close(void);

/* The calling thread's connection; NULL when it cannot be opened (logged to
 * stderr). */
sqlite3 *db_conn(void);

/* The calling thread's prepared statement for `sql`, which must be a string
 * literal (its address is the cache key); NULL on error. Hand it back with
 * db_done() before preparing the same SQL again. */
sqlite3_stmt *db_stmt(const char *sql);
/* Resets a statement from db_stmt() and clears its bindings. */
void db_done(sqlite3_stmt *st);

/* Runs BEGIN IMMEDIATE / COMMIT / ROLLBACK on the thread's connection.
 * Return SQLite result codes. */
int db_begin(void);
int db_commit(void);
void db_rollback(void);

#endif
