/* The Conduit store on PostgreSQL (store.h), with libpq.
 *
 * A bounded pool of connections per process: a thread takes one on its
 * first statement of a request and gives it back in store_release() (the
 * server calls it after every request), so a transaction stays on one
 * connection. Calls block the worker thread; every wait is bounded: a free
 * connection by connect_timeout, a connection attempt by libpq's
 * connect_timeout, a statement by the server's statement_timeout. A
 * connection that fails (the database restarted, the network went away) is
 * dropped and made again on next use, its statements prepared again; until
 * then the request gets STORE_DOWN (503). */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

/* Enough for every distinct SQL text and every parameter in the handlers. */
#define PG_MAX_STMTS 64
#define PG_MAX_PARAMS 8
/* Any 64-bit key: every Conduit instance serialises its schema setup on it. */
#define PG_SCHEMA_LOCK "4358756542"
/* pg_type.oid of text (catalog/pg_type_d.h: TEXTOID). */
#define PG_TEXT_OID 25

struct pg_conn;

struct store_stmt {
	struct pg_conn *c;
	char name[8];
	int nparams;
	const char *vals[PG_MAX_PARAMS];
	char *owned[PG_MAX_PARAMS];
	char ints[PG_MAX_PARAMS][24];
	bool invalid; /* a text parameter holds U+0000 */
	PGresult *res;
	int row, nrows;
	enum store_rc failed; /* 0, or what the execution returned */
};

struct pg_conn {
	PGconn *pq;
	bool busy;   /* taken by a thread */
	bool broken; /* failed: made again on next use */
	bool in_tx;
	unsigned nstmts;
	const char *sqls[PG_MAX_STMTS];
	struct store_stmt stmts[PG_MAX_STMTS];
};

static char *pg_uri;
static struct store_options pg_opt;
static struct pg_conn *pool;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_free = PTHREAD_COND_INITIALIZER;
static _Thread_local struct pg_conn *self;
static _Thread_local char pg_err[512];

static const char pg_schema[] =
	"SET client_min_messages = warning;" /* no NOTICE per existing table */
	"CREATE EXTENSION IF NOT EXISTS citext;"
	"CREATE TABLE IF NOT EXISTS users ("
	" id bigserial PRIMARY KEY,"
	" username text NOT NULL UNIQUE,"
	" email citext NOT NULL UNIQUE,"
	" password_hash text NOT NULL,"
	" bio text NOT NULL DEFAULT '',"
	" image text NOT NULL DEFAULT '');"
	"CREATE TABLE IF NOT EXISTS follows ("
	" follower_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" followee_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" PRIMARY KEY (follower_id, followee_id));"
	"CREATE TABLE IF NOT EXISTS articles ("
	" id bigserial PRIMARY KEY,"
	" slug text NOT NULL UNIQUE,"
	" title text NOT NULL,"
	" description text NOT NULL,"
	" body text NOT NULL,"
	" author_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" created_at text NOT NULL,"
	" updated_at text NOT NULL);"
	"CREATE INDEX IF NOT EXISTS articles_author ON articles(author_id);"
	/* Byte order, as SQLite sorts them, whatever the database's locale. */
	"CREATE TABLE IF NOT EXISTS article_tags ("
	" article_id bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	" tag text COLLATE \"C\" NOT NULL,"
	" PRIMARY KEY (article_id, tag));"
	"CREATE INDEX IF NOT EXISTS article_tags_tag ON article_tags(tag);"
	"CREATE TABLE IF NOT EXISTS favorites ("
	" user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" article_id bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	" PRIMARY KEY (user_id, article_id));"
	"CREATE INDEX IF NOT EXISTS favorites_article ON favorites(article_id);"
	"CREATE TABLE IF NOT EXISTS comments ("
	" id bigserial PRIMARY KEY,"
	" article_id bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	" author_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" body text NOT NULL,"
	" created_at text NOT NULL,"
	" updated_at text NOT NULL);"
	"CREATE INDEX IF NOT EXISTS comments_article ON comments(article_id);";

static void set_err(const char *msg)
{
	size_t n;

	snprintf(pg_err, sizeof pg_err, "%s", msg ? msg : "unknown error");
	n = strlen(pg_err);
	while (n > 0 && (pg_err[n - 1] == '\n' || pg_err[n - 1] == ' '))
		pg_err[--n] = '\0';
}

/* A new connection to pg_uri, with our defaults; the URI's own parameters
 * win (they come after). NULL when it fails (pg_err says why). */
static PGconn *pg_connect(void)
{
	char timeout[16], options[64];
	const char *keys[] = { "connect_timeout", "options", "application_name", "dbname", NULL };
	const char *vals[] = { timeout, options, "conduit", pg_uri, NULL };
	PGconn *pq;

	snprintf(timeout, sizeof timeout, "%u", pg_opt.connect_timeout);
	snprintf(options, sizeof options, "-c statement_timeout=%u", pg_opt.statement_timeout);
	pq = PQconnectdbParams(keys, vals, 1);
	if (pq && PQstatus(pq) == CONNECTION_OK)
		return pq;
	set_err(pq ? PQerrorMessage(pq) : "out of memory");
	PQfinish(pq);
	return NULL;
}

/* What a failed result (or none: the connection is gone) means. A lost
 * connection, a server shutting down or a statement timeout is STORE_DOWN
 * and the connection is made again on next use. */
static enum store_rc pg_fail(struct pg_conn *c, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	set_err(r ? PQresultErrorMessage(r) : PQerrorMessage(c->pq));
	if (PQstatus(c->pq) != CONNECTION_OK || !state || strncmp(state, "08", 2) == 0 ||
	    strncmp(state, "57P", 3) == 0 || strcmp(state, "57014") == 0) {
		c->broken = true;
		return STORE_DOWN;
	}
	if (strncmp(state, "23", 2) == 0)
		return STORE_CONSTRAINT;
	if (strcmp(state, "22021") == 0)
		return STORE_INVALID;
	return STORE_ERROR;
}

static void conn_reset(struct pg_conn *c)
{
	for (unsigned i = 0; i < c->nstmts; i++)
		store_pg_ops.done(&c->stmts[i]);
	c->nstmts = 0;
	PQfinish(c->pq);
	c->pq = NULL;
	c->broken = false;
	c->in_tx = false;
}

static void pg_release(void);

static void deadline_in(struct timespec *ts, unsigned seconds)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += seconds;
}

/* The calling thread's connection: its own, or one from the pool, made
 * when needed. NULL after store_fail(). */
static struct pg_conn *acquire(void)
{
	struct pg_conn *c = NULL;
	struct timespec until;

	if (self)
		return self;
	deadline_in(&until, pg_opt.connect_timeout);
	pthread_mutex_lock(&pool_lock);
	for (;;) {
		for (unsigned i = 0; i < pg_opt.pool_size && !c; i++)
			if (!pool[i].busy)
				c = &pool[i];
		if (c || pthread_cond_timedwait(&pool_free, &pool_lock, &until) != 0)
			break;
	}
	if (c)
		c->busy = true;
	pthread_mutex_unlock(&pool_lock);
	if (!c) {
		set_err("every database connection is busy");
		store_fail(STORE_DOWN);
		return NULL;
	}
	self = c;
	if (c->broken || (c->pq && PQstatus(c->pq) != CONNECTION_OK))
		conn_reset(c);
	if (!c->pq && !(c->pq = pg_connect())) {
		store_fail(STORE_DOWN);
		pg_release();
		return NULL;
	}
	return c;
}

static void pg_release(void)
{
	struct pg_conn *c = self;

	if (!c)
		return;
	if (c->in_tx && !c->broken) {
		PQclear(PQexec(c->pq, "ROLLBACK"));
		c->in_tx = false;
	}
	if (c->broken)
		conn_reset(c);
	self = NULL;
	pthread_mutex_lock(&pool_lock);
	c->busy = false;
	pthread_cond_signal(&pool_free);
	pthread_mutex_unlock(&pool_lock);
}

/* `sql` with SQLite's `?` and `?N` as `$N` (outside quotes); the number of
 * parameters in *n, and used[k] set for each $k+1 the text refers to (a
 * parameter bound but not used, as the viewer in a count, must be given a
 * type). NULL when out of memory. */
static char *translate(const char *sql, int *n, bool used[PG_MAX_PARAMS])
{
	char *out = malloc(2 * strlen(sql) + 1), *o = out;
	bool quoted = false;
	int max = 0;

	if (!out)
		return NULL;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p != '?' || quoted) {
			*o++ = *p;
			continue;
		}
		int k;

		if (p[1] >= '0' && p[1] <= '9') {
			char *end;

			k = (int)strtol(p + 1, &end, 10);

			p = end - 1;
			max = k > max ? k : max;
			o += sprintf(o, "$%d", k);
		} else {
			k = ++max;
			o += sprintf(o, "$%d", k);
		}
		if (k >= 1 && k <= PG_MAX_PARAMS)
			used[k - 1] = true;
	}
	*o = '\0';
	*n = max;
	return out;
}

static struct store_stmt *pg_stmt(const char *sql)
{
	struct pg_conn *c = acquire();
	struct store_stmt *st;
	bool used[PG_MAX_PARAMS] = { false };
	Oid types[PG_MAX_PARAMS] = { 0 };
	PGresult *r;
	char *text;
	int n;

	if (!c)
		return NULL;
	for (unsigned i = 0; i < c->nstmts; i++)
		if (c->sqls[i] == sql)
			return &c->stmts[i];
	store_fail(STORE_ERROR);
	if (c->nstmts == PG_MAX_STMTS) {
		set_err("more than PG_MAX_STMTS statements");
		return NULL;
	}
	if (!(text = translate(sql, &n, used))) {
		store_fail(STORE_NOMEM);
		return NULL;
	}
	st = &c->stmts[c->nstmts];
	memset(st, 0, sizeof *st);
	st->c = c;
	st->nparams = n;
	snprintf(st->name, sizeof st->name, "s%u", c->nstmts);
	for (int i = 0; i < n && i < PG_MAX_PARAMS; i++)
		types[i] = used[i] ? 0 : PG_TEXT_OID; /* 0: PostgreSQL infers it */
	r = PQprepare(c->pq, st->name, text, n > PG_MAX_PARAMS ? 0 : n, types);
	free(text);
	if (n > PG_MAX_PARAMS || PQresultStatus(r) != PGRES_COMMAND_OK) {
		store_fail(n > PG_MAX_PARAMS ? STORE_ERROR : pg_fail(c, r));
		PQclear(r);
		return NULL;
	}
	PQclear(r);
	c->sqls[c->nstmts++] = sql;
	return st;
}

static void pg_bind_int64(struct store_stmt *st, int i, int64_t v)
{
	if (i < 1 || i > st->nparams)
		return;
	snprintf(st->ints[i - 1], sizeof st->ints[i - 1], "%lld", (long long)v);
	st->vals[i - 1] = st->ints[i - 1];
}

/* Copied: libpq wants text parameters NUL-terminated. */
static void pg_bind_text(struct store_stmt *st, int i, const char *s, size_t len)
{
	char *copy;

	if (i < 1 || i > st->nparams)
		return;
	if (memchr(s, '\0', len)) {
		st->invalid = true;
		return;
	}
	copy = malloc(len + 1);
	if (!copy) {
		st->failed = STORE_NOMEM;
		return;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	free(st->owned[i - 1]);
	st->owned[i - 1] = copy;
	st->vals[i - 1] = copy;
}

static enum store_rc pg_step(struct store_stmt *st)
{
	PGresult *r;
	ExecStatusType s;

	if (st->failed)
		return st->failed;
	if (st->res)
		return ++st->row < st->nrows ? STORE_ROW : STORE_DONE;
	if (st->invalid) {
		set_err("text holds U+0000, which PostgreSQL text cannot");
		return st->failed = STORE_INVALID;
	}
	r = PQexecPrepared(st->c->pq, st->name, st->nparams, st->vals, NULL, NULL, 0);
	s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		st->failed = pg_fail(st->c, r);
		PQclear(r);
		return st->failed;
	}
	st->res = r;
	st->row = 0;
	st->nrows = PQntuples(r);
	return st->nrows > 0 ? STORE_ROW : STORE_DONE;
}

static int64_t pg_col_int64(struct store_stmt *st, int i)
{
	const char *v = PQgetvalue(st->res, st->row, i);

	if (v[0] == 't')
		return 1;
	if (v[0] == 'f')
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct store_stmt *st, int i, size_t *len)
{
	*len = (size_t)PQgetlength(st->res, st->row, i);
	return PQgetvalue(st->res, st->row, i);
}

static void pg_done(struct store_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	for (int i = 0; i < PG_MAX_PARAMS; i++) {
		free(st->owned[i]);
		st->owned[i] = NULL;
		st->vals[i] = NULL;
	}
	st->invalid = false;
	st->failed = 0;
}

static enum store_rc pg_exec(const char *sql)
{
	struct pg_conn *c = acquire();
	enum store_rc rc = STORE_DONE;
	PGresult *r;

	if (!c)
		return store_last();
	r = PQexec(c->pq, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_fail(c, r);
	/* COMMIT of a failed transaction answers ROLLBACK. */
	else if (sql[0] == 'C' && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		set_err("the transaction was rolled back");
		rc = STORE_ERROR;
	}
	PQclear(r);
	c->in_tx = sql[0] == 'B' && rc == STORE_DONE;
	return rc;
}

static const char *pg_errmsg(void)
{
	return pg_err[0] ? pg_err : "no error";
}

static bool pg_ready(void)
{
	bool had = self != NULL, ok = false;
	struct pg_conn *c = acquire();
	PGresult *r;

	if (c) {
		r = PQexec(c->pq, "SELECT 1");
		ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		if (!ok)
			pg_fail(c, r);
		PQclear(r);
	}
	if (!had)
		pg_release();
	return ok;
}

/* The tables, created by whichever instance takes the lock first. */
static int pg_setup(PGconn *pq)
{
	static const char *const steps[] = {
		"SELECT pg_advisory_lock(" PG_SCHEMA_LOCK ")", pg_schema,
		"SELECT pg_advisory_unlock(" PG_SCHEMA_LOCK ")",
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof steps / sizeof *steps && rc == 0; i++) {
		PGresult *r = PQexec(pq, steps[i]);
		ExecStatusType s = PQresultStatus(r);

		if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
			fprintf(stderr, "conduit: database setup: %s", PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
	}
	return rc;
}

static int pg_open(const char *target, const struct store_options *opt)
{
	PGconn *pq;

	pg_opt = *opt;
	pg_uri = strdup(target);
	pool = calloc(opt->pool_size, sizeof *pool);
	if (!pg_uri || !pool) {
		fprintf(stderr, "conduit: out of memory\n");
		return -1;
	}
	if (!(pq = pg_connect())) {
		fprintf(stderr, "conduit: database: %s\n", pg_err);
		return -1;
	}
	if (pg_setup(pq) != 0) {
		PQfinish(pq);
		return -1;
	}
	pool[0].pq = pq;
	return 0;
}

static void pg_close(void)
{
	for (unsigned i = 0; pool && i < pg_opt.pool_size; i++)
		conn_reset(&pool[i]);
	free(pool);
	pool = NULL;
	free(pg_uri);
	pg_uri = NULL;
}

const struct store_ops store_pg_ops = {
	.open = pg_open,
	.close = pg_close,
	.ready = pg_ready,
	.release = pg_release,
	.stmt = pg_stmt,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.step = pg_step,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.done = pg_done,
	.exec = pg_exec,
	.errmsg = pg_errmsg,
};
