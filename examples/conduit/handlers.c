/* The RealWorld "Conduit" API (schemas/conduit.apic) on SQLite or
 * PostgreSQL (store.h): users with
 * Argon2id password hashes and HS256 tokens, profiles and follows, comments,
 * tags and main(); the articles and favourites are in articles.c. The
 * generated code has validated every request against the schema (blank
 * names, titles and bodies included) before a handler runs; what is left
 * here is what a schema cannot say (uniqueness, ownership, existence).
 * Every SQL text is a literal with bound parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conduit.h"

#include "auth.h"
#include "common.h"

/* ---- authentication ------------------------------------------------------ */

static const char sql_user_exists[] = "SELECT 1 FROM users WHERE id = ?";

static enum apic_auth_result token_verify(struct apic_ctx *ctx,
					  const struct apic_credential *cred,
					  void *cls, void **principal)
{
	struct principal *p;
	struct store_stmt *st;
	int64_t uid;
	int rc;

	(void)cls;
	if (!auth_token_verify(cred->token.ptr, cred->token.len, (int64_t)time(NULL), &uid))
		return APIC_AUTH_INVALID;
	/* A valid signature for a user that no longer exists is no login. */
	st = store_stmt(sql_user_exists);
	if (st)
		store_bind_int64(st, 1, uid);
	rc = st ? store_step(st) : store_last();
	store_done(st);
	if (rc == STORE_DONE)
		return APIC_AUTH_INVALID;
	if (rc != STORE_ROW) {
		apic_ctx_log(ctx, "database: %s", store_errmsg());
		return rc == STORE_DOWN ? APIC_AUTH_UNAVAILABLE : APIC_AUTH_ERROR;
	}
	p = apic_ctx_alloc(ctx, sizeof *p);
	if (!p)
		return APIC_AUTH_ERROR;
	p->uid = uid;
	p->token.ptr = apic_ctx_strndup(ctx, cred->token.ptr, cred->token.len);
	p->token.len = cred->token.len;
	if (!p->token.ptr)
		return APIC_AUTH_ERROR;
	*principal = p;
	return APIC_AUTH_OK;
}

/* ---- users ---------------------------------------------------------------- */

static const char sql_user_by_id[] =
	"SELECT email, username, bio, image FROM users WHERE id = ?";

/* User `uid` with `token`, or a freshly issued token when NULL. On failure
 * NULL, with *rc = STORE_DONE when there is no such user. */
static struct conduit_user *load_user(struct apic_ctx *ctx, int64_t uid,
				      const struct apic_str *token, int *rc)
{
	struct conduit_user *u = apic_ctx_alloc(ctx, sizeof *u);
	char *tok = token ? NULL : apic_ctx_alloc(ctx, AUTH_TOKEN_MAX);
	struct store_stmt *st = store_stmt(sql_user_by_id);

	*rc = STORE_NOMEM;
	if (!u || (!token && !tok))
		return NULL;
	*rc = STORE_ERROR;
	if (!st)
		return NULL;
	store_bind_int64(st, 1, uid);
	*rc = store_step(st);
	if (*rc == STORE_ROW) {
		u->email = col_str(ctx, st, 0);
		u->username = col_str(ctx, st, 1);
		u->bio = col_str(ctx, st, 2);
		u->image = col_str(ctx, st, 3);
	}
	store_done(st);
	if (*rc != STORE_ROW)
		return NULL;
	if (token) {
		u->token = *token;
	} else {
		auth_token_issue(tok, uid, (int64_t)time(NULL));
		u->token = str_lit(tok);
	}
	return u;
}

static const char sql_taken[] =
	"SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1 AND id <> ?3),"
	" EXISTS (SELECT 1 FROM users WHERE email = ?2 AND id <> ?3)";

/* After a UNIQUE violation on users: says which value is taken (422). */
static int reply_taken(struct apic_ctx *ctx, struct apic_str username,
		       struct apic_str email, int64_t self)
{
	struct store_stmt *st = store_stmt(sql_taken);
	bool name_taken = false, email_taken = false;

	if (!st)
		return reply_db_error(ctx);
	bind_str(st, 1, username);
	bind_str(st, 2, email);
	store_bind_int64(st, 3, self);
	if (store_step(st) == STORE_ROW) {
		name_taken = store_col_int64(st, 0);
		email_taken = store_col_int64(st, 1);
	}
	store_done(st);
	if (name_taken && email_taken)
		return apic_ctx_reply_error(ctx, 422, "username and email have already been taken");
	if (email_taken)
		return apic_ctx_reply_error(ctx, 422, "email has already been taken");
	return apic_ctx_reply_error(ctx, 422, "username has already been taken");
}

static const char sql_user_insert[] =
	"INSERT INTO users (username, email, password_hash) VALUES (?, ?, ?) RETURNING id";

int conduit_create_user(struct apic_ctx *ctx, const struct conduit_create_user__params *in)
{
	const struct conduit_new_user *nu = in->body->user;
	struct conduit_user_response resp = { 0 };
	char hash[crypto_pwhash_STRBYTES];
	struct store_stmt *st;
	int64_t uid;
	int rc;

	if (auth_password_hash(hash, nu->password.ptr, nu->password.len) != 0)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	st = store_stmt(sql_user_insert);
	if (!st)
		return reply_db_error(ctx);
	bind_str(st, 1, nu->username);
	bind_str(st, 2, nu->email);
	store_bind_text(st, 3, hash, strlen(hash));
	rc = store_step(st);
	uid = rc == STORE_ROW ? store_col_int64(st, 0) : 0;
	store_done(st);
	if (rc == STORE_CONSTRAINT)
		return reply_taken(ctx, nu->username, nu->email, 0);
	if (rc != STORE_ROW)
		return reply_db_error(ctx);
	resp.user = load_user(ctx, uid, NULL, &rc);
	if (!resp.user)
		return reply_lookup_error(ctx, rc, NULL);
	return conduit_create_user__reply_201(ctx, &resp);
}

static const char sql_login[] = "SELECT id, password_hash FROM users WHERE email = ?";

int conduit_login(struct apic_ctx *ctx, const struct conduit_login__params *in)
{
	const struct conduit_login_user *lu = in->body->user;
	struct conduit_user_response resp = { 0 };
	struct store_stmt *st = store_stmt(sql_login);
	struct apic_str hash = { NULL, 0 };
	int64_t uid = 0;
	int rc;

	if (!st)
		return reply_db_error(ctx);
	bind_str(st, 1, lu->email);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		uid = store_col_int64(st, 0);
		hash = col_str(ctx, st, 1);
	}
	/* Closed before the (slow) check: no read transaction stays open. */
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return reply_db_error(ctx);
	if (!auth_password_verify(hash.ptr, lu->password.ptr, lu->password.len))
		return conduit_login__reply_401(ctx, "email or password is invalid");
	resp.user = load_user(ctx, uid, NULL, &rc);
	if (!resp.user)
		return reply_lookup_error(ctx, rc, NULL);
	return conduit_login__reply_200(ctx, &resp);
}

int conduit_get_current_user(struct apic_ctx *ctx, const struct conduit_get_current_user__params *in)
{
	const struct principal *p = apic_ctx_principal(ctx);
	int rc;
	struct conduit_user_response resp = { .user = load_user(ctx, p->uid, &p->token, &rc) };

	(void)in;
	if (!resp.user)
		return reply_lookup_error(ctx, rc, NULL);
	return conduit_get_current_user__reply_200(ctx, &resp);
}

/* Each column keeps its value when the parameter is NULL (not sent). */
static const char sql_user_update[] =
	"UPDATE users SET email = coalesce(?1, email), username = coalesce(?2, username),"
	" password_hash = coalesce(?3, password_hash), bio = coalesce(?4, bio),"
	" image = coalesce(?5, image) WHERE id = ?6";

int conduit_update_current_user(struct apic_ctx *ctx,
				const struct conduit_update_current_user__params *in)
{
	const struct principal *p = apic_ctx_principal(ctx);
	const struct conduit_update_user *uu = in->body->user;
	struct conduit_user_response resp = { 0 };
	char hash[crypto_pwhash_STRBYTES];
	struct store_stmt *st;
	int rc;

	if (uu->has_password &&
	    auth_password_hash(hash, uu->password.ptr, uu->password.len) != 0)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	st = store_stmt(sql_user_update);
	if (!st)
		return reply_db_error(ctx);
	if (uu->has_email)
		bind_str(st, 1, uu->email);
	if (uu->has_username)
		bind_str(st, 2, uu->username);
	if (uu->has_password)
		store_bind_text(st, 3, hash, strlen(hash));
	if (uu->has_bio)
		bind_str(st, 4, uu->bio);
	if (uu->has_image)
		bind_str(st, 5, uu->image);
	store_bind_int64(st, 6, p->uid);
	rc = store_step(st);
	store_done(st);
	if (rc == STORE_CONSTRAINT)
		return reply_taken(ctx, uu->has_username ? uu->username : str_lit(""),
				   uu->has_email ? uu->email : str_lit(""), p->uid);
	if (rc != STORE_DONE)
		return reply_db_error(ctx);
	resp.user = load_user(ctx, p->uid, &p->token, &rc);
	if (!resp.user)
		return reply_lookup_error(ctx, rc, NULL);
	return conduit_update_current_user__reply_200(ctx, &resp);
}

/* ---- profiles -------------------------------------------------------------- */

static const char sql_profile[] =
	"SELECT id, username, bio, image,"
	" EXISTS (SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = users.id)"
	" FROM users WHERE username = ?2";

/* The profile of `username` as `viewer` sees it; NULL with *rc = STORE_DONE
 * when there is no such user, or another store code on error. */
static struct conduit_profile *load_profile(struct apic_ctx *ctx, int64_t viewer,
					    struct apic_str username, int64_t *uid, int *rc)
{
	struct conduit_profile *pr = NULL;
	struct store_stmt *st = store_stmt(sql_profile);

	if (!st) {
		*rc = STORE_ERROR;
		return NULL;
	}
	store_bind_int64(st, 1, viewer);
	bind_str(st, 2, username);
	*rc = store_step(st);
	if (*rc == STORE_ROW && (pr = apic_ctx_alloc(ctx, sizeof *pr))) {
		*uid = store_col_int64(st, 0);
		pr->username = col_str(ctx, st, 1);
		pr->bio = col_str(ctx, st, 2);
		pr->image = col_str(ctx, st, 3);
		pr->following = store_col_int64(st, 4);
	}
	store_done(st);
	if (*rc == STORE_ROW && !pr)
		*rc = STORE_NOMEM;
	return pr;
}

int conduit_get_profile_by_username(struct apic_ctx *ctx,
				    const struct conduit_get_profile_by_username__params *in)
{
	int64_t uid;
	int rc;
	struct conduit_profile_response resp = {
		.profile = load_profile(ctx, viewer_id(ctx), in->username, &uid, &rc),
	};

	if (!resp.profile)
		return reply_lookup_error(ctx, rc, "profile not found");
	return conduit_get_profile_by_username__reply_200(ctx, &resp);
}

static const char sql_follow[] =
	"INSERT INTO follows (follower_id, followee_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char sql_unfollow[] =
	"DELETE FROM follows WHERE follower_id = ? AND followee_id = ?";

/* Follows (`sql` = sql_follow) or unfollows `username`, then answers with
 * the profile as it is now. */
static int set_follow(struct apic_ctx *ctx, struct apic_str username, const char *sql)
{
	int64_t me = viewer_id(ctx), uid;
	int rc;
	struct conduit_profile *pr = load_profile(ctx, me, username, &uid, &rc);
	struct conduit_profile_response resp = { .profile = pr };
	struct store_stmt *st;

	if (!pr)
		return reply_lookup_error(ctx, rc, "profile not found");
	if (uid == me && sql == sql_follow)
		return apic_ctx_reply_error(ctx, 422, "you cannot follow yourself");
	st = store_stmt(sql);
	if (!st)
		return reply_db_error(ctx);
	store_bind_int64(st, 1, me);
	store_bind_int64(st, 2, uid);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
		return reply_db_error(ctx);
	pr->following = sql == sql_follow;
	if (sql == sql_follow)
		return conduit_follow_user_by_username__reply_200(ctx, &resp);
	return conduit_unfollow_user_by_username__reply_200(ctx, &resp);
}

int conduit_follow_user_by_username(struct apic_ctx *ctx,
				    const struct conduit_follow_user_by_username__params *in)
{
	return set_follow(ctx, in->username, sql_follow);
}

int conduit_unfollow_user_by_username(struct apic_ctx *ctx,
				      const struct conduit_unfollow_user_by_username__params *in)
{
	return set_follow(ctx, in->username, sql_unfollow);
}

/* ---- comments -------------------------------------------------------------- */

/* The columns read_comment() expects; ?1 is the viewer. */
#define COMMENT_COLUMNS \
	"SELECT c.id, c.created_at, c.updated_at, c.body, u.username, u.bio, u.image," \
	" EXISTS (SELECT 1 FROM follows w WHERE w.follower_id = ?1 AND w.followee_id = c.author_id)" \
	" FROM comments c JOIN users u ON u.id = c.author_id"

static bool read_comment(struct apic_ctx *ctx, struct store_stmt *st, struct conduit_comment *c)
{
	struct conduit_profile *au = apic_ctx_alloc(ctx, sizeof *au);

	if (!au)
		return false;
	c->id = store_col_int64(st, 0);
	c->created_at = col_str(ctx, st, 1);
	c->updated_at = col_str(ctx, st, 2);
	c->body = col_str(ctx, st, 3);
	au->username = col_str(ctx, st, 4);
	au->bio = col_str(ctx, st, 5);
	au->image = col_str(ctx, st, 6);
	au->following = store_col_int64(st, 7);
	c->author = au;
	return true;
}

static const char sql_article_id[] = "SELECT id FROM articles WHERE slug = ?";

/* The id of article `slug`; 0 with *rc = STORE_DONE when there is none. */
static int64_t article_id(struct apic_str slug, int *rc)
{
	struct store_stmt *st = store_stmt(sql_article_id);
	int64_t id = 0;

	if (!st) {
		*rc = STORE_ERROR;
		return 0;
	}
	bind_str(st, 1, slug);
	*rc = store_step(st);
	if (*rc == STORE_ROW)
		id = store_col_int64(st, 0);
	store_done(st);
	return id;
}

static const char sql_comments[] = COMMENT_COLUMNS " WHERE c.article_id = ?2 ORDER BY c.id";

int conduit_get_article_comments(struct apic_ctx *ctx,
				 const struct conduit_get_article_comments__params *in)
{
	struct conduit_multiple_comments_response resp = { 0 };
	const struct conduit_comment **comments = NULL;
	struct store_stmt *st;
	size_t cap = 0;
	int rc;
	int64_t id = article_id(in->slug, &rc);

	if (!id)
		return reply_lookup_error(ctx, rc, "article not found");
	st = store_stmt(sql_comments);
	if (!st)
		return reply_db_error(ctx);
	store_bind_int64(st, 1, viewer_id(ctx));
	store_bind_int64(st, 2, id);
	while ((rc = store_step(st)) == STORE_ROW) {
		struct conduit_comment *c = apic_ctx_alloc(ctx, sizeof *c);
		void *more = grow(ctx, comments, resp.comments_count, &cap, sizeof *comments);

		if (!c || !more || !read_comment(ctx, st, c))
			break;
		comments = more;
		comments[resp.comments_count++] = c;
	}
	store_done(st);
	if (rc != STORE_DONE)
		return reply_db_error(ctx);
	resp.comments = comments;
	return conduit_get_article_comments__reply_200(ctx, &resp);
}

static const char sql_comment_insert[] =
	"INSERT INTO comments (article_id, author_id, body, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id";
static const char sql_comment_by_id[] = COMMENT_COLUMNS " WHERE c.id = ?2";

int conduit_create_article_comment(struct apic_ctx *ctx,
				   const struct conduit_create_article_comment__params *in)
{
	struct conduit_comment *c = apic_ctx_alloc(ctx, sizeof *c);
	struct conduit_single_comment_response resp = { .comment = c };
	struct apic_str now = now_str(ctx);
	struct store_stmt *st;
	int rc;
	int64_t id;

	if (!c)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	id = article_id(in->slug, &rc);
	if (!id)
		return reply_lookup_error(ctx, rc, "article not found");
	st = store_stmt(sql_comment_insert);
	if (!st)
		return reply_db_error(ctx);
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, viewer_id(ctx));
	bind_str(st, 3, in->body->comment->body);
	bind_str(st, 4, now);
	rc = store_step(st);
	id = rc == STORE_ROW ? store_col_int64(st, 0) : 0;
	store_done(st);
	if (rc != STORE_ROW)
		return reply_db_error(ctx);
	st = store_stmt(sql_comment_by_id);
	if (!st)
		return reply_db_error(ctx);
	store_bind_int64(st, 1, viewer_id(ctx));
	store_bind_int64(st, 2, id);
	rc = store_step(st);
	if (rc == STORE_ROW && !read_comment(ctx, st, c))
		rc = STORE_NOMEM;
	store_done(st);
	if (rc != STORE_ROW)
		return reply_db_error(ctx);
	return conduit_create_article_comment__reply_200(ctx, &resp);
}

static const char sql_comment_owner[] =
	"SELECT c.author_id FROM comments c JOIN articles a ON a.id = c.article_id"
	" WHERE c.id = ? AND a.slug = ?";
static const char sql_comment_delete[] = "DELETE FROM comments WHERE id = ?";

int conduit_delete_article_comment(struct apic_ctx *ctx,
				   const struct conduit_delete_article_comment__params *in)
{
	struct store_stmt *st = store_stmt(sql_comment_owner);
	int64_t author_id = 0;
	int rc;

	if (!st)
		return reply_db_error(ctx);
	store_bind_int64(st, 1, in->id);
	bind_str(st, 2, in->slug);
	rc = store_step(st);
	if (rc == STORE_ROW)
		author_id = store_col_int64(st, 0);
	store_done(st);
	if (rc == STORE_DONE)
		return apic_ctx_reply_error(ctx, 404, "comment not found");
	if (rc != STORE_ROW)
		return reply_db_error(ctx);
	if (author_id != viewer_id(ctx))
		return apic_ctx_reply_error(ctx, 403, "only the author may delete this comment");
	st = store_stmt(sql_comment_delete);
	if (!st)
		return reply_db_error(ctx);
	store_bind_int64(st, 1, in->id);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
		return reply_db_error(ctx);
	return conduit_delete_article_comment__reply_204(ctx);
}

/* ---- tags ------------------------------------------------------------------ */

static const char sql_tags[] = "SELECT DISTINCT tag FROM article_tags ORDER BY tag";

int conduit_get_tags(struct apic_ctx *ctx, const struct conduit_get_tags__params *in)
{
	struct conduit_tags_response resp = { 0 };
	struct store_stmt *st = store_stmt(sql_tags);
	size_t cap = 0;
	int rc;

	(void)in;
	if (!st)
		return reply_db_error(ctx);
	while ((rc = store_step(st)) == STORE_ROW) {
		void *more = grow(ctx, resp.tags, resp.tags_count, &cap, sizeof *resp.tags);

		if (!more)
			break;
		resp.tags = more;
		resp.tags[resp.tags_count++] = col_str(ctx, st, 0);
	}
	store_done(st);
	if (rc != STORE_DONE)
		return reply_db_error(ctx);
	return conduit_get_tags__reply_200(ctx, &resp);
}

/* ---- main ------------------------------------------------------------------ */

/* The connection a request used goes back to the pool (PostgreSQL). */
static void release_store(struct apic_ctx *ctx, int status, uint64_t duration_us, void *cls)
{
	(void)ctx, (void)status, (void)duration_us, (void)cls;
	store_release();
}

/* The readiness check (--ready-path): the database answers. */
static int store_check(void *cls)
{
	(void)cls;
	return store_ready() ? 0 : -1;
}

/* `*dest` from `value` in [1, max]; 0, or 2 after a message. */
static int parse_count(const char *flag, const char *value, unsigned max, unsigned *dest)
{
	char *end;
	unsigned long v = strtoul(value, &end, 10);

	if (*value == '\0' || *end != '\0' || v < 1 || v > max) {
		fprintf(stderr, "conduit: --%s: expected a number from 1 to %u, got '%s'\n", flag,
			max, value);
		return 2;
	}
	*dest = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	const char *db_file = "conduit.db", *sync = "full", *pool = NULL, *db_timeout = "5000";
	struct store_options opt = { .connect_timeout = 3 };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct apic_server *srv;
	int rc;

	if (auth_init(getenv("CONDUIT_JWT_SECRET")) != 0)
		return 1;
	srv = apic_server_new(&conduit_api);
	if (!srv) {
		fprintf(stderr, "conduit: out of memory\n");
		return 1;
	}
	apic_server_add_option(srv, "db", "FILE|URI",
			       "SQLite database file, created on first start (default conduit.db),"
			       " or a PostgreSQL URI postgresql://...", &db_file);
	apic_server_add_option(srv, "sqlite-sync", "full|normal",
			       "full: a write is on disk before it is acknowledged (default);"
			       " normal: faster, a power loss may undo the last writes", &sync);
	apic_server_add_option(srv, "db-pool", "N",
			       "PostgreSQL connections per process (default: online CPUs)", &pool);
	apic_server_add_option(srv, "db-timeout", "MS",
			       "PostgreSQL statement_timeout in milliseconds (default 5000)",
			       &db_timeout);
	/* Conduit servers listen on port 3000 by convention. */
	if (apic_server_set_default(srv, "port", "3000") != 0)
		rc = 1; /* out of memory: the value is valid */
	else
		rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0 && apic_server_set_verifier(srv, "Token", token_verify, NULL) != 0) {
		fprintf(stderr, "conduit: the schema has no security scheme 'Token'\n");
		rc = 1;
	}
	if (rc == 0 && strcmp(sync, "full") != 0 && strcmp(sync, "normal") != 0) {
		fprintf(stderr, "conduit: --sqlite-sync: expected full or normal, got '%s'\n", sync);
		rc = 2;
	}
	opt.sqlite_sync_full = strcmp(sync, "full") == 0;
	opt.pool_size = cpus > 0 ? (unsigned)cpus : 4;
	if (rc == 0 && pool)
		rc = parse_count("db-pool", pool, 1000, &opt.pool_size);
	if (rc == 0)
		rc = parse_count("db-timeout", db_timeout, 3600000, &opt.statement_timeout);
	if (rc == 0 && (apic_server_add_after(srv, release_store, NULL) != 0 ||
			apic_server_set_ready_check(srv, store_check, NULL) != 0))
		rc = 1;
	if (rc == 0 && store_open(db_file, &opt) != 0)
		rc = 1;
	if (rc == 0)
		rc = apic_server_run(srv) == 0 ? 0 : 1;
	apic_server_free(srv);
	store_close();
	return rc == APIC_ARGS_EXIT ? 0 : rc;
}
