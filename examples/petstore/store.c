/* See store.h. */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

/* Connections kept open between requests; more may exist while more
 * threads are busy, the extra ones are closed when given back. */
#define STORE_POOL 32
/* How long a writer waits for another one before giving up (ms). */
#define STORE_BUSY_MS 10000

struct store {
	char *path;
	const char *sync_pragma; /* how commits reach the disk, run on each connection */
	pthread_mutex_t lock;
	sqlite3 *idle[STORE_POOL];
	size_t nidle;
};

/* The status column holds the enum member's name as the API spells it. */
static const char *const status_names[] = {
	[PETSTORE_PET_STATUS_AVAILABLE] = "available",
	[PETSTORE_PET_STATUS_PENDING] = "pending",
	[PETSTORE_PET_STATUS_SOLD] = "sold",
};
#define NSTATUS (sizeof status_names / sizeof status_names[0])

static const char *status_name(enum petstore_pet_status s)
{
	if ((size_t)s >= NSTATUS || status_names[s] == NULL)
		return status_names[PETSTORE_PET_STATUS_AVAILABLE]; /* unset: the default */
	return status_names[s];
}

static enum petstore_pet_status status_parse(const unsigned char *text)
{
	for (size_t i = 0; i < NSTATUS; i++)
		if (status_names[i] != NULL && text != NULL &&
		    strcmp(status_names[i], (const char *)text) == 0)
			return (enum petstore_pet_status)i;
	return PETSTORE_PET_STATUS_AVAILABLE;
}

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS pets ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" name TEXT NOT NULL UNIQUE,"
	" tag TEXT,"
	" status TEXT NOT NULL DEFAULT 'available');"
	"CREATE INDEX IF NOT EXISTS pets_tag ON pets(tag);"
	"CREATE INDEX IF NOT EXISTS pets_status ON pets(status);";

static sqlite3 *conn_open(const char *path, const char *sync_pragma, char **why)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_NOMUTEX, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(db, STORE_BUSY_MS);
	/* WAL (set once, in store_open): readers never block the writer. */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sync_pragma, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		*why = sqlite3_mprintf("%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static sqlite3 *conn_get(struct store *st, struct apic_ctx *ctx)
{
	sqlite3 *db = NULL;
	char *why = NULL;

	pthread_mutex_lock(&st->lock);
	if (st->nidle > 0)
		db = st->idle[--st->nidle];
	pthread_mutex_unlock(&st->lock);
	if (db != NULL)
		return db;
	db = conn_open(st->path, st->sync_pragma, &why);
	if (db == NULL) {
		apic_ctx_log(ctx, "sqlite: cannot open %s: %s", st->path, why);
		sqlite3_free(why);
	}
	return db;
}

static void conn_put(struct store *st, sqlite3 *db)
{
	pthread_mutex_lock(&st->lock);
	if (st->nidle < STORE_POOL) {
		st->idle[st->nidle++] = db;
		db = NULL;
	}
	pthread_mutex_unlock(&st->lock);
	sqlite3_close(db); /* a no-op for NULL */
}

struct store *store_open(const char *path, bool sync_full)
{
	struct store *st = calloc(1, sizeof *st);
	char *why = NULL;
	sqlite3 *db;

	if (st == NULL || (st->path = strdup(path)) == NULL) {
		fprintf(stderr, "petstore: out of memory\n");
		free(st);
		return NULL;
	}
	pthread_mutex_init(&st->lock, NULL);
	/* FULL: in WAL mode each commit syncs the log before it returns, so an
	 * acknowledged write survives a power loss; NORMAL syncs only at
	 * checkpoints (the last commits may be lost, never the file). */
	st->sync_pragma = sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
	db = conn_open(path, st->sync_pragma, &why);
	if (db != NULL && (sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, &why) != SQLITE_OK ||
			   sqlite3_exec(db, schema_sql, NULL, NULL, &why) != SQLITE_OK)) {
		sqlite3_close(db);
		db = NULL;
	}
	if (db == NULL) {
		fprintf(stderr, "petstore: %s: %s\n", path, why ? why : "cannot open");
		sqlite3_free(why);
		store_close(st);
		return NULL;
	}
	st->idle[st->nidle++] = db;
	return st;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	while (st->nidle > 0)
		sqlite3_close(st->idle[--st->nidle]);
	pthread_mutex_destroy(&st->lock);
	free(st->path);
	free(st);
}

/* Logs SQLite's message for a failed call on `db` and returns STORE_ERROR. */
static enum store_result fail(struct apic_ctx *ctx, sqlite3 *db, const char *what)
{
	apic_ctx_log(ctx, "sqlite: %s: %s", what, sqlite3_errmsg(db));
	return STORE_ERROR;
}

static struct apic_str column_str(struct apic_ctx *ctx, sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	size_t len = (size_t)sqlite3_column_bytes(stmt, col);
	const char *copy = apic_ctx_strndup(ctx, text ? text : "", len);

	return (struct apic_str){ copy ? copy : "", copy ? len : 0 };
}

/* Fills `pet` from a row of (id, name, tag, status). */
static void row_to_pet(struct apic_ctx *ctx, sqlite3_stmt *stmt, struct petstore_pet *pet)
{
	memset(pet, 0, sizeof *pet);
	pet->id = sqlite3_column_int64(stmt, 0);
	pet->name = column_str(ctx, stmt, 1);
	pet->has_tag = sqlite3_column_type(stmt, 2) != SQLITE_NULL;
	if (pet->has_tag)
		pet->tag = column_str(ctx, stmt, 2);
	pet->status = status_parse(sqlite3_column_text(stmt, 3));
	pet->has_status = true;
}

static int bind_pet(sqlite3_stmt *stmt, const struct petstore_pet *pet)
{
	int rc = sqlite3_bind_text(stmt, 1, pet->name.ptr, (int)pet->name.len, SQLITE_STATIC);

	if (rc == SQLITE_OK)
		rc = pet->has_tag ? sqlite3_bind_text(stmt, 2, pet->tag.ptr, (int)pet->tag.len, SQLITE_STATIC)
				  : sqlite3_bind_null(stmt, 2);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 3, status_name(pet->status), -1, SQLITE_STATIC);
	return rc;
}

#define LIST_WHERE " FROM pets WHERE (?1 IS NULL OR tag = ?1) AND (?2 IS NULL OR status = ?2)"

static int bind_filters(sqlite3_stmt *stmt, const struct petstore_list_pets__params *in)
{
	int rc = in->has_tag ? sqlite3_bind_text(stmt, 1, in->tag.ptr, (int)in->tag.len, SQLITE_STATIC)
			     : sqlite3_bind_null(stmt, 1);

	if (rc == SQLITE_OK)
		rc = in->has_status ? sqlite3_bind_text(stmt, 2, status_name(in->status), -1, SQLITE_STATIC)
				    : sqlite3_bind_null(stmt, 2);
	return rc;
}

static enum store_result list_in(sqlite3 *db, struct apic_ctx *ctx,
				 const struct petstore_list_pets__params *in,
				 struct petstore_pet **pets, size_t *count, int64_t *total)
{
	sqlite3_stmt *stmt = NULL;
	struct petstore_pet *out;
	size_t n = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT count(*)" LIST_WHERE, -1, &stmt, NULL) != SQLITE_OK)
		return fail(ctx, db, "count pets");
	rc = bind_filters(stmt, in);
	if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		*total = sqlite3_column_int64(stmt, 0);
	else
		rc = SQLITE_ERROR;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK)
		return fail(ctx, db, "count pets");

	out = apic_ctx_alloc(ctx, (size_t)in->limit * sizeof *out + 1);
	if (out == NULL)
		return STORE_ERROR;
	if (sqlite3_prepare_v2(db, "SELECT id, name, tag, status" LIST_WHERE
			       " ORDER BY id LIMIT ?3 OFFSET ?4", -1, &stmt, NULL) != SQLITE_OK)
		return fail(ctx, db, "list pets");
	rc = bind_filters(stmt, in);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 3, in->limit);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 4, in->offset);
	while (rc == SQLITE_OK && n < (size_t)in->limit && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row_to_pet(ctx, stmt, &out[n++]);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		return fail(ctx, db, "list pets");
	*pets = out;
	*count = n;
	return STORE_OK;
}

enum store_result store_list(struct store *st, struct apic_ctx *ctx,
			     const struct petstore_list_pets__params *in,
			     struct petstore_pet **pets, size_t *count, int64_t *total)
{
	sqlite3 *db = conn_get(st, ctx);
	enum store_result r;

	if (db == NULL)
		return STORE_ERROR;
	/* One read transaction: the count and the page see the same data. */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		r = fail(ctx, db, "begin");
	} else {
		r = list_in(db, ctx, in, pets, count, total);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	conn_put(st, db);
	return r;
}

enum store_result store_get(struct store *st, struct apic_ctx *ctx, int64_t id,
			    struct petstore_pet *pet)
{
	sqlite3 *db = conn_get(st, ctx);
	sqlite3_stmt *stmt = NULL;
	enum store_result r = STORE_ERROR;
	int rc;

	if (db == NULL)
		return STORE_ERROR;
	if (sqlite3_prepare_v2(db, "SELECT id, name, tag, status FROM pets WHERE id = ?1",
			       -1, &stmt, NULL) != SQLITE_OK) {
		r = fail(ctx, db, "get pet");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		row_to_pet(ctx, stmt, pet);
		r = STORE_OK;
	} else if (rc == SQLITE_DONE) {
		r = STORE_NOT_FOUND;
	} else {
		r = fail(ctx, db, "get pet");
	}
	sqlite3_finalize(stmt);
out:
	conn_put(st, db);
	return r;
}

/* Runs a statement that writes one pet; maps a UNIQUE violation to
 * STORE_CONFLICT and "no row changed" to STORE_NOT_FOUND. */
static enum store_result write_pet(struct store *st, struct apic_ctx *ctx, const char *sql,
				   const struct petstore_pet *pet, int64_t id, int64_t *new_id)
{
	sqlite3 *db = conn_get(st, ctx);
	sqlite3_stmt *stmt = NULL;
	enum store_result r;
	int rc;

	if (db == NULL)
		return STORE_ERROR;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		r = fail(ctx, db, "prepare");
		conn_put(st, db);
		return r;
	}
	rc = pet ? bind_pet(stmt, pet) : SQLITE_OK;
	if (rc == SQLITE_OK && id > 0)
		rc = sqlite3_bind_int64(stmt, 4, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE && sqlite3_changes(db) == 0)
		r = STORE_NOT_FOUND;
	else if (rc == SQLITE_DONE)
		r = STORE_OK;
	else if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE)
		r = STORE_CONFLICT;
	else
		r = fail(ctx, db, "write pet");
	if (r == STORE_OK && new_id != NULL)
		*new_id = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(stmt);
	conn_put(st, db);
	return r;
}

enum store_result store_insert(struct store *st, struct apic_ctx *ctx,
			       const struct petstore_pet *pet, int64_t *id)
{
	return write_pet(st, ctx, "INSERT INTO pets (name, tag, status) VALUES (?1, ?2, ?3)",
			 pet, 0, id);
}

enum store_result store_update(struct store *st, struct apic_ctx *ctx, int64_t id,
			       const struct petstore_pet *pet)
{
	return write_pet(st, ctx, "UPDATE pets SET name = ?1, tag = ?2, status = ?3 WHERE id = ?4",
			 pet, id, NULL);
}

enum store_result store_delete(struct store *st, struct apic_ctx *ctx, int64_t id)
{
	return write_pet(st, ctx, "DELETE FROM pets WHERE id = ?4", NULL, id, NULL);
}
