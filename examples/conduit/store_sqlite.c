/* The Conduit store on SQLite (store.h). The server answers on several
 * threads: each thread opens its own connection to the database file on
 * first use (WAL mode, so readers never wait for the writer) and keeps its
 * prepared statements; store_close() closes every connection once the
 * server has stopped. */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

/* Enough for every distinct SQL text in the handlers. */
#define DB_MAX_STMTS 64

struct db_thread {
	sqlite3 *conn;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} stmts[DB_MAX_STMTS];
	unsigned nstmts;
	struct db_thread *next;
};

static char *db_path;
/* The PRAGMA run on each connection: how commits reach the disk. */
static const char *db_pragmas;
/* Every thread's connection, so db_close() can reach them after the threads
 * are gone. */
static struct db_thread *db_threads;
static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct db_thread *db_self;

static const char db_schema[] =
	"CREATE TABLE IF NOT EXISTS users ("
	" id INTEGER PRIMARY KEY,"
	" username TEXT NOT NULL UNIQUE,"
	" email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" password_hash TEXT NOT NULL,"
	" bio TEXT NOT NULL DEFAULT '',"
	" image TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE IF NOT EXISTS follows ("
	" follower_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" followee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" PRIMARY KEY (follower_id, followee_id)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS articles ("
	" id INTEGER PRIMARY KEY,"
	" slug TEXT NOT NULL UNIQUE,"
	" title TEXT NOT NULL,"
	" description TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS articles_author ON articles(author_id);"
	"CREATE TABLE IF NOT EXISTS article_tags ("
	" article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	" tag TEXT NOT NULL,"
	" PRIMARY KEY (article_id, tag)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS article_tags_tag ON article_tags(tag);"
	"CREATE TABLE IF NOT EXISTS favorites ("
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	" PRIMARY KEY (user_id, article_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS favorites_article ON favorites(article_id);"
	"CREATE TABLE IF NOT EXISTS comments ("
	" id INTEGER PRIMARY KEY,"
	" article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	" author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" body TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS comments_article ON comments(article_id);";

static sqlite3 *db_connect(void)
{
	sqlite3 *conn = NULL;
	char *err = NULL;

	if (sqlite3_open_v2(db_path, &conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(conn, 5000) != SQLITE_OK ||
	    sqlite3_exec(conn, db_pragmas, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "conduit: %s: %s\n", db_path,
			err ? err : conn ? sqlite3_errmsg(conn) : "out of memory");
		sqlite3_free(err);
		sqlite3_close(conn);
		return NULL;
	}
	return conn;
}

static int lite_open(const char *path, const struct store_options *opt)
{
	bool sync_full = opt->sqlite_sync_full;
	sqlite3 *conn;
	char *err = NULL;
	int rc;

	/* FULL: in WAL mode each commit syncs the log before it returns, so an
	 * acknowledged write survives a power loss; NORMAL syncs only at
	 * checkpoints (the last commits may be lost, never the file). */
	db_pragmas = sync_full ? "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
			       : "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
	db_path = sqlite3_mprintf("%s", path);
	if (!db_path || !(conn = db_connect()))
		return -1;
	rc = sqlite3_exec(conn, "PRAGMA journal_mode = WAL;", NULL, NULL, &err);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(conn, db_schema, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "conduit: %s: %s\n", path, err ? err : sqlite3_errstr(rc));
	sqlite3_free(err);
	sqlite3_close(conn);
	return rc == SQLITE_OK ? 0 : -1;
}

static void lite_close(void)
{
	struct db_thread *t, *next;

	pthread_mutex_lock(&db_lock);
	for (t = db_threads; t; t = next) {
		next = t->next;
		for (unsigned i = 0; i < t->nstmts; i++)
			sqlite3_finalize(t->stmts[i].st);
		sqlite3_close(t->conn);
		free(t);
	}
	db_threads = NULL;
	pthread_mutex_unlock(&db_lock);
	sqlite3_free(db_path);
	db_path = NULL;
}

static sqlite3 *db_conn(void)
{
	struct db_thread *t = db_self;

	if (t)
		return t->conn;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->conn = db_connect();
	if (!t->conn) {
		free(t);
		return NULL;
	}
	pthread_mutex_lock(&db_lock);
	t->next = db_threads;
	db_threads = t;
	pthread_mutex_unlock(&db_lock);
	db_self = t;
	return t->conn;
}

static struct store_stmt *lite_stmt(const char *sql)
{
	sqlite3 *conn = db_conn();
	struct db_thread *t = db_self;
	sqlite3_stmt *st;

	if (!conn) {
		store_fail(STORE_ERROR);
		return NULL;
	}
	for (unsigned i = 0; i < t->nstmts; i++)
		if (t->stmts[i].sql == sql)
			return (struct store_stmt *)t->stmts[i].st;
	store_fail(STORE_ERROR);
	if (t->nstmts == DB_MAX_STMTS) {
		fprintf(stderr, "conduit: more than %d statements: raise DB_MAX_STMTS\n",
			DB_MAX_STMTS);
		return NULL;
	}
	if (sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "conduit: prepare: %s\n", sqlite3_errmsg(conn));
		return NULL;
	}
	t->stmts[t->nstmts].sql = sql;
	t->stmts[t->nstmts++].st = st;
	return (struct store_stmt *)st;
}

/* A store_stmt is the sqlite3_stmt itself. */
#define ST(s) ((sqlite3_stmt *)(void *)(s))

static void lite_bind_int64(struct store_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(ST(st), i, v);
}

static void lite_bind_text(struct store_stmt *st, int i, const char *s, size_t len)
{
	sqlite3_bind_text(ST(st), i, s, (int)len, SQLITE_STATIC);
}

static enum store_rc lite_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_ROW: return STORE_ROW;
	case SQLITE_DONE: case SQLITE_OK: return STORE_DONE;
	case SQLITE_CONSTRAINT: return STORE_CONSTRAINT;
	case SQLITE_NOMEM: return STORE_NOMEM;
	default: return STORE_ERROR;
	}
}

static enum store_rc lite_step(struct store_stmt *st)
{
	return lite_rc(sqlite3_step(ST(st)));
}

static int64_t lite_col_int64(struct store_stmt *st, int i)
{
	return sqlite3_column_int64(ST(st), i);
}

static const char *lite_col_text(struct store_stmt *st, int i, size_t *len)
{
	const unsigned char *p = sqlite3_column_text(ST(st), i);

	*len = p ? (size_t)sqlite3_column_bytes(ST(st), i) : 0;
	return p ? (const char *)p : "";
}

static void lite_done(struct store_stmt *st)
{
	sqlite3_reset(ST(st));
	sqlite3_clear_bindings(ST(st));
}

static const char sql_begin[] = "BEGIN IMMEDIATE", sql_commit[] = "COMMIT",
		  sql_rollback[] = "ROLLBACK";

static enum store_rc lite_exec(const char *what)
{
	/* The cache is keyed by address: one literal per command. */
	const char *sql = what[0] == 'B' ? sql_begin : what[0] == 'C' ? sql_commit : sql_rollback;
	struct store_stmt *st = lite_stmt(sql);
	enum store_rc rc;

	if (!st)
		return STORE_ERROR;
	rc = lite_step(st);
	lite_done(st);
	return rc;
}

static const char *lite_errmsg(void)
{
	sqlite3 *conn = db_self ? db_self->conn : NULL;

	return conn ? sqlite3_errmsg(conn) : "cannot open the database";
}

/* One connection per thread, always there once opened. */
static bool lite_ready(void)
{
	return db_conn() != NULL;
}

static void lite_release(void)
{
}

const struct store_ops store_sqlite_ops = {
	.open = lite_open,
	.close = lite_close,
	.ready = lite_ready,
	.release = lite_release,
	.stmt = lite_stmt,
	.bind_int64 = lite_bind_int64,
	.bind_text = lite_bind_text,
	.step = lite_step,
	.col_int64 = lite_col_int64,
	.col_text = lite_col_text,
	.done = lite_done,
	.exec = lite_exec,
	.errmsg = lite_errmsg,
};
