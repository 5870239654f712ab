/* The RealWorld "Conduit" API (schemas/conduit.apic) on SQLite: users with
 * Argon2id password hashes and HS256 tokens, profiles and follows, articles
 * with tags, favourites and comments. The generated code has validated every
 * request against the schema before a handler runs; what is left here is
 * what a schema cannot say (uniqueness, ownership, existence).
 * Every SQL text is a literal with bound parameters. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conduit.h"

#include "auth.h"
#include "db.h"

/* Who is calling: set by token_verify() for authenticated requests. */
struct principal {
	int64_t uid;
	struct apic_str token; /* as presented, handed back by GET /user */
};

static int64_t viewer_id(struct apic_ctx *ctx)
{
	const struct principal *p = apic_ctx_principal(ctx);

	return p ? p->uid : 0;
}

static struct apic_str str_lit(const char *s)
{
	return (struct apic_str){ s, strlen(s) };
}

/* Column `i` of the current row, copied into the request's arena (the row
 * is gone at the next step). Lengths are kept: text may hold U+0000. Out of
 * memory gives "", and the runtime answers 500 whatever the reply. */
static struct apic_str col_str(struct apic_ctx *ctx, sqlite3_stmt *st, int i)
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

static int bind_str(sqlite3_stmt *st, int i, struct apic_str s)
{
	return sqlite3_bind_text(st, i, s.ptr, (int)s.len, SQLITE_STATIC);
}

/* `arr` (`count` elements of `size` bytes, room for *cap) with room for one
 * more: itself, or a bigger copy in the arena; NULL when out of memory. */
static void *grow(struct apic_ctx *ctx, void *arr, size_t count, size_t *cap, size_t size)
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

/* Logs what SQLite said and answers 500 without leaking it to the client. */
static int reply_db_error(struct apic_ctx *ctx)
{
	sqlite3 *conn = db_conn();

	apic_ctx_log(ctx, "database: %s", conn ? sqlite3_errmsg(conn) : "cannot connect");
	return apic_ctx_reply_error(ctx, 500, "database error");
}

/* True when `s` is empty or only white space: not a name, title or body. */
static bool blank(struct apic_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] != ' ' && s.ptr[i] != '\t' && s.ptr[i] != '\n' && s.ptr[i] != '\r')
			return false;
	return true;
}

/* ---- authentication ------------------------------------------------------ */

static const char sql_user_exists[] = "SELECT 1 FROM users WHERE id = ?";

static enum apic_auth_result token_verify(struct apic_ctx *ctx,
					  const struct apic_credential *cred,
					  void *cls, void **principal)
{
	struct principal *p;
	sqlite3_stmt *st;
	int64_t uid;
	int rc;

	(void)cls;
	if (!auth_token_verify(cred->token.ptr, cred->token.len, (int64_t)time(NULL), &uid))
		return APIC_AUTH_INVALID;
	/* A valid signature for a user that no longer exists is no login. */
	st = db_stmt(sql_user_exists);
	if (!st)
		return APIC_AUTH_ERROR;
	sqlite3_bind_int64(st, 1, uid);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc == SQLITE_DONE)
		return APIC_AUTH_INVALID;
	if (rc != SQLITE_ROW)
		return APIC_AUTH_ERROR;
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
 * NULL, with *rc = SQLITE_DONE when there is no such user. */
static struct conduit_user *load_user(struct apic_ctx *ctx, int64_t uid,
				      const struct apic_str *token, int *rc)
{
	struct conduit_user *u = apic_ctx_alloc(ctx, sizeof *u);
	char *tok = token ? NULL : apic_ctx_alloc(ctx, AUTH_TOKEN_MAX);
	sqlite3_stmt *st = db_stmt(sql_user_by_id);

	*rc = SQLITE_NOMEM;
	if (!u || (!token && !tok))
		return NULL;
	*rc = SQLITE_ERROR;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, uid);
	*rc = sqlite3_step(st);
	if (*rc == SQLITE_ROW) {
		u->email = col_str(ctx, st, 0);
		u->username = col_str(ctx, st, 1);
		u->bio = col_str(ctx, st, 2);
		u->image = col_str(ctx, st, 3);
	}
	db_done(st);
	if (*rc != SQLITE_ROW)
		return NULL;
	if (token) {
		u->token = *token;
	} else {
		auth_token_issue(tok, uid, (int64_t)time(NULL));
		u->token = str_lit(tok);
	}
	return u;
}

static int reply_lookup_error(struct apic_ctx *ctx, int rc, const char *not_found)
{
	if (rc == SQLITE_DONE)
		return apic_ctx_reply_error(ctx, 404, not_found);
	if (rc == SQLITE_NOMEM)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	return reply_db_error(ctx);
}

static const char sql_taken[] =
	"SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1 AND id <> ?3),"
	" EXISTS (SELECT 1 FROM users WHERE email = ?2 AND id <> ?3)";

/* After a UNIQUE violation on users: says which value is taken (422). */
static int reply_taken(struct apic_ctx *ctx, struct apic_str username,
		       struct apic_str email, int64_t self)
{
	sqlite3_stmt *st = db_stmt(sql_taken);
	bool name_taken = false, email_taken = false;

	if (!st)
		return reply_db_error(ctx);
	bind_str(st, 1, username);
	bind_str(st, 2, email);
	sqlite3_bind_int64(st, 3, self);
	if (sqlite3_step(st) == SQLITE_ROW) {
		name_taken = sqlite3_column_int(st, 0);
		email_taken = sqlite3_column_int(st, 1);
	}
	db_done(st);
	if (name_taken && email_taken)
		return apic_ctx_reply_error(ctx, 422, "username and email have already been taken");
	if (email_taken)
		return apic_ctx_reply_error(ctx, 422, "email has already been taken");
	return apic_ctx_reply_error(ctx, 422, "username has already been taken");
}

static const char sql_user_insert[] =
	"INSERT INTO users (username, email, password_hash) VALUES (?, ?, ?)";

int conduit_create_user(struct apic_ctx *ctx, const struct conduit_create_user__params *in)
{
	const struct conduit_new_user *nu = in->body->user;
	struct conduit_user_response resp = { 0 };
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	int rc;

	if (blank(nu->username))
		return apic_ctx_reply_error(ctx, 422, "username can't be blank");
	if (blank(nu->email))
		return apic_ctx_reply_error(ctx, 422, "email can't be blank");
	if (nu->password.len == 0)
		return apic_ctx_reply_error(ctx, 422, "password can't be blank");
	if (auth_password_hash(hash, nu->password.ptr, nu->password.len) != 0)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	st = db_stmt(sql_user_insert);
	if (!st)
		return reply_db_error(ctx);
	bind_str(st, 1, nu->username);
	bind_str(st, 2, nu->email);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc == SQLITE_CONSTRAINT)
		return reply_taken(ctx, nu->username, nu->email, 0);
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	resp.user = load_user(ctx, sqlite3_last_insert_rowid(db_conn()), NULL, &rc);
	if (!resp.user)
		return reply_lookup_error(ctx, rc, "user not found");
	return conduit_create_user__reply_201(ctx, &resp);
}

static const char sql_login[] = "SELECT id, password_hash FROM users WHERE email = ?";

int conduit_login(struct apic_ctx *ctx, const struct conduit_login__params *in)
{
	const struct conduit_login_user *lu = in->body->user;
	struct conduit_user_response resp = { 0 };
	sqlite3_stmt *st = db_stmt(sql_login);
	struct apic_str hash = { NULL, 0 };
	int64_t uid = 0;
	int rc;

	if (!st)
		return reply_db_error(ctx);
	bind_str(st, 1, lu->email);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		uid = sqlite3_column_int64(st, 0);
		hash = col_str(ctx, st, 1);
	}
	/* Closed before the (slow) check: no read transaction stays open. */
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return reply_db_error(ctx);
	if (!auth_password_verify(hash.ptr, lu->password.ptr, lu->password.len))
		return conduit_login__reply_401(ctx, "email or password is invalid");
	resp.user = load_user(ctx, uid, NULL, &rc);
	if (!resp.user)
		return reply_lookup_error(ctx, rc, "user not found");
	return conduit_login__reply_200(ctx, &resp);
}

int conduit_get_current_user(struct apic_ctx *ctx, const struct conduit_get_current_user__params *in)
{
	const struct principal *p = apic_ctx_principal(ctx);
	int rc;
	struct conduit_user_response resp = { .user = load_user(ctx, p->uid, &p->token, &rc) };

	(void)in;
	if (!resp.user)
		return reply_lookup_error(ctx, rc, "user not found");
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
	sqlite3_stmt *st;
	int rc;

	if (uu->has_username && blank(uu->username))
		return apic_ctx_reply_error(ctx, 422, "username can't be blank");
	if (uu->has_email && blank(uu->email))
		return apic_ctx_reply_error(ctx, 422, "email can't be blank");
	if (uu->has_password && uu->password.len == 0)
		return apic_ctx_reply_error(ctx, 422, "password can't be blank");
	if (uu->has_password &&
	    auth_password_hash(hash, uu->password.ptr, uu->password.len) != 0)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	st = db_stmt(sql_user_update);
	if (!st)
		return reply_db_error(ctx);
	if (uu->has_email)
		bind_str(st, 1, uu->email);
	if (uu->has_username)
		bind_str(st, 2, uu->username);
	if (uu->has_password)
		sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	if (uu->has_bio)
		bind_str(st, 4, uu->bio);
	if (uu->has_image)
		bind_str(st, 5, uu->image);
	sqlite3_bind_int64(st, 6, p->uid);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc == SQLITE_CONSTRAINT)
		return reply_taken(ctx, uu->has_username ? uu->username : str_lit(""),
				   uu->has_email ? uu->email : str_lit(""), p->uid);
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	resp.user = load_user(ctx, p->uid, &p->token, &rc);
	if (!resp.user)
		return reply_lookup_error(ctx, rc, "user not found");
	return conduit_update_current_user__reply_200(ctx, &resp);
}

/* ---- profiles -------------------------------------------------------------- */

static const char sql_profile[] =
	"SELECT id, username, bio, image,"
	" EXISTS (SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = users.id)"
	" FROM users WHERE username = ?2";

/* The profile of `username` as `viewer` sees it; NULL with *rc = SQLITE_DONE
 * when there is no such user, or another SQLite code on error. */
static struct conduit_profile *load_profile(struct apic_ctx *ctx, int64_t viewer,
					    struct apic_str username, int64_t *uid, int *rc)
{
	struct conduit_profile *pr = NULL;
	sqlite3_stmt *st = db_stmt(sql_profile);

	if (!st) {
		*rc = SQLITE_ERROR;
		return NULL;
	}
	sqlite3_bind_int64(st, 1, viewer);
	bind_str(st, 2, username);
	*rc = sqlite3_step(st);
	if (*rc == SQLITE_ROW && (pr = apic_ctx_alloc(ctx, sizeof *pr))) {
		*uid = sqlite3_column_int64(st, 0);
		pr->username = col_str(ctx, st, 1);
		pr->bio = col_str(ctx, st, 2);
		pr->image = col_str(ctx, st, 3);
		pr->following = sqlite3_column_int(st, 4);
	}
	db_done(st);
	if (*rc == SQLITE_ROW && !pr)
		*rc = SQLITE_NOMEM;
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
	"INSERT OR IGNORE INTO follows (follower_id, followee_id) VALUES (?, ?)";
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
	sqlite3_stmt *st;

	if (!pr)
		return reply_lookup_error(ctx, rc, "profile not found");
	if (uid == me && sql == sql_follow)
		return apic_ctx_reply_error(ctx, 422, "you cannot follow yourself");
	st = db_stmt(sql);
	if (!st)
		return reply_db_error(ctx);
	sqlite3_bind_int64(st, 1, me);
	sqlite3_bind_int64(st, 2, uid);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
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

/* ---- articles -------------------------------------------------------------- */

/* The columns read_list_item() expects, then `more`; ?1 is the viewer (0:
 * anonymous). Lists leave the body out (the spec's list items have none):
 * it is usually most of an article's bytes. */
#define ARTICLE_SELECT(more) \
	"SELECT a.id, a.slug, a.title, a.description, a.created_at, a.updated_at," \
	" a.author_id, u.username, u.bio, u.image," \
	" (SELECT count(*) FROM favorites f WHERE f.article_id = a.id)," \
	" EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = ?1)," \
	" EXISTS (SELECT 1 FROM follows w WHERE w.follower_id = ?1 AND w.followee_id = a.author_id)" \
	more " FROM articles a JOIN users u ON u.id = a.author_id"
#define LIST_ITEM_COLUMNS ARTICLE_SELECT("")
/* read_article(): those and the body. */
#define ARTICLE_COLUMNS ARTICLE_SELECT(", a.body")
#define ARTICLE_BODY_COLUMN 13

/* The list item at the statement's current row, without its tags (see
 * load_tags()); NULL when out of memory. */
static struct conduit_article_list_item *read_list_item(struct apic_ctx *ctx, sqlite3_stmt *st,
							int64_t *author_id)
{
	struct conduit_article_list_item *a = apic_ctx_alloc(ctx, sizeof *a);
	struct conduit_profile *au = apic_ctx_alloc(ctx, sizeof *au);

	if (!a || !au)
		return NULL;
	a->slug = col_str(ctx, st, 1);
	a->title = col_str(ctx, st, 2);
	a->description = col_str(ctx, st, 3);
	a->created_at = col_str(ctx, st, 4);
	a->updated_at = col_str(ctx, st, 5);
	if (author_id)
		*author_id = sqlite3_column_int64(st, 6);
	au->username = col_str(ctx, st, 7);
	au->bio = col_str(ctx, st, 8);
	au->image = col_str(ctx, st, 9);
	a->favorites_count = sqlite3_column_int64(st, 10);
	a->favorited = sqlite3_column_int(st, 11);
	au->following = sqlite3_column_int(st, 12);
	a->author = au;
	return a;
}

/* The whole article at the statement's current row (ARTICLE_COLUMNS),
 * without its tags; NULL when out of memory. */
static struct conduit_article *read_article(struct apic_ctx *ctx, sqlite3_stmt *st,
					    int64_t *author_id)
{
	const struct conduit_article_list_item *li = read_list_item(ctx, st, author_id);
	struct conduit_article *a = apic_ctx_alloc(ctx, sizeof *a);

	if (!li || !a)
		return NULL;
	*a = (struct conduit_article){
		.slug = li->slug,
		.title = li->title,
		.description = li->description,
		.body = col_str(ctx, st, ARTICLE_BODY_COLUMN),
		.created_at = li->created_at,
		.updated_at = li->updated_at,
		.favorited = li->favorited,
		.favorites_count = li->favorites_count,
		.author = li->author,
	};
	return a;
}

/* The tags of a page of articles in one query, in primary key order (no
 * sort). A dense page (the unfiltered list: ids next to each other) is one
 * range of the key; a sparse one looks up its ids, given as a JSON array. */
static const char sql_tags_range[] =
	"SELECT article_id, tag FROM article_tags WHERE article_id BETWEEN ?1 AND ?2"
	" ORDER BY article_id, tag";
static const char sql_tags_of[] =
	"SELECT article_id, tag FROM article_tags"
	" WHERE article_id IN (SELECT value FROM json_each(?1))"
	" ORDER BY article_id, tag";

/* An article of a page, whose tags load_tags() fills in: an article's or a
 * list item's tag_list and tag_list_count. */
struct tagged {
	int64_t id;
	struct apic_str **tags;
	size_t *count;
};

/* Binds the ids of a sparse page to sql_tags_of as "[id,id,...]". */
static int bind_ids(struct apic_ctx *ctx, sqlite3_stmt *st, const struct tagged *page, size_t n)
{
	/* At most 20 digits and a sign or separator per id. */
	char *json = apic_ctx_alloc(ctx, 22 * n + 3), *p = json;

	if (!json)
		return SQLITE_NOMEM;
	*p++ = '[';
	for (size_t k = 0; k < n; k++)
		p += sprintf(p, "%s%" PRId64, k ? "," : "", page[k].id);
	strcpy(p, "]");
	return sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
}

/* Fills in the tags of each article of `page` (ids in descending order), in
 * alphabetical order. Returns an SQLite code, SQLITE_DONE on success. */
static int load_tags(struct apic_ctx *ctx, const struct tagged *page, size_t n)
{
	/* A range at most twice the page's size costs at most as much as the
	 * lookups (ids of deleted articles have no tags). */
	bool dense = n > 0 && (uint64_t)(page[0].id - page[n - 1].id) < 2 * (uint64_t)n;
	sqlite3_stmt *st = db_stmt(dense ? sql_tags_range : sql_tags_of);
	size_t i = n, cap = 0; /* rows come by ascending id: the page backwards */
	int rc;

	if (n == 0)
		return SQLITE_DONE;
	if (!st)
		return SQLITE_ERROR;
	if (dense) {
		sqlite3_bind_int64(st, 1, page[n - 1].id);
		sqlite3_bind_int64(st, 2, page[0].id);
	} else if ((rc = bind_ids(ctx, st, page, n)) != SQLITE_OK) {
		db_done(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const struct tagged *a;
		void *more;

		while (i > 0 && page[i - 1].id < id) {
			i--;
			cap = 0;
		}
		if (i == 0 || page[i - 1].id != id)
			continue;
		a = &page[i - 1];
		more = grow(ctx, *a->tags, *a->count, &cap, sizeof **a->tags);
		if (!more) {
			rc = SQLITE_NOMEM;
			break;
		}
		*a->tags = more;
		(*a->tags)[(*a->count)++] = col_str(ctx, st, 1);
	}
	db_done(st);
	return rc;
}

static const char sql_article_by_slug[] = ARTICLE_COLUMNS " WHERE a.slug = ?2";

/* The article `slug` as the caller sees it. On failure NULL, and *rc is
 * SQLITE_DONE when there is no such article. */
static struct conduit_article *load_article(struct apic_ctx *ctx, struct apic_str slug,
					    int64_t *id, int64_t *author_id, int *rc)
{
	struct conduit_article *a = NULL;
	sqlite3_stmt *st = db_stmt(sql_article_by_slug);
	struct tagged t = { 0 };

	if (!st) {
		*rc = SQLITE_ERROR;
		return NULL;
	}
	sqlite3_bind_int64(st, 1, viewer_id(ctx));
	bind_str(st, 2, slug);
	*rc = sqlite3_step(st);
	if (*rc == SQLITE_ROW && (a = read_article(ctx, st, author_id)))
		t = (struct tagged){ sqlite3_column_int64(st, 0), &a->tag_list, &a->tag_list_count };
	db_done(st);
	if (*rc != SQLITE_ROW)
		return NULL;
	*rc = a ? load_tags(ctx, &t, 1) : SQLITE_NOMEM;
	if (*rc != SQLITE_DONE)
		return NULL;
	if (id)
		*id = t.id;
	return a;
}

int conduit_get_article(struct apic_ctx *ctx, const struct conduit_get_article__params *in)
{
	int rc;
	struct conduit_single_article_response resp = {
		.article = load_article(ctx, in->slug, NULL, NULL, &rc),
	};

	if (!resp.article)
		return reply_lookup_error(ctx, rc, "article not found");
	return conduit_get_article__reply_200(ctx, &resp);
}

/* Filters of the article list: each applies only when its parameter is bound
 * (?2 tag, ?3 author, ?4 favorited by); ?1 is the viewer. */
#define ARTICLE_FILTER \
	" WHERE (?2 IS NULL OR EXISTS (SELECT 1 FROM article_tags t" \
	"                              WHERE t.article_id = a.id AND t.tag = ?2))" \
	" AND (?3 IS NULL OR u.username = ?3)" \
	" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM favorites f JOIN users fu ON fu.id = f.user_id" \
	"                            WHERE f.article_id = a.id AND fu.username = ?4))"
#define FEED_FILTER \
	" WHERE a.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1)"

static const char sql_list[] = LIST_ITEM_COLUMNS ARTICLE_FILTER
	" ORDER BY a.id DESC LIMIT ?5 OFFSET ?6";
static const char sql_list_count[] =
	"SELECT count(*) FROM articles a JOIN users u ON u.id = a.author_id" ARTICLE_FILTER;
static const char sql_feed[] = LIST_ITEM_COLUMNS FEED_FILTER
	" ORDER BY a.id DESC LIMIT ?5 OFFSET ?6";
static const char sql_feed_count[] = "SELECT count(*) FROM articles a" FEED_FILTER;

struct list_query {
	bool feed;
	const struct apic_str *tag, *author, *favorited; /* NULL: no filter */
	int64_t limit, offset;
};

static void bind_list(sqlite3_stmt *st, struct apic_ctx *ctx, const struct list_query *q)
{
	sqlite3_bind_int64(st, 1, viewer_id(ctx));
	if (q->feed)
		return;
	if (q->tag)
		bind_str(st, 2, *q->tag);
	if (q->author)
		bind_str(st, 3, *q->author);
	if (q->favorited)
		bind_str(st, 4, *q->favorited);
}

static int reply_list(struct apic_ctx *ctx, const struct list_query *q)
{
	struct conduit_multiple_articles_response resp = { 0 };
	const struct conduit_article_list_item **articles = NULL;
	struct tagged *page = NULL;
	sqlite3_stmt *st = db_stmt(q->feed ? sql_feed_count : sql_list_count);
	size_t cap = 0, page_cap = 0;
	int rc;

	if (!st)
		return reply_db_error(ctx);
	bind_list(st, ctx, q);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		resp.articles_count_ = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW)
		return reply_db_error(ctx);

	st = db_stmt(q->feed ? sql_feed : sql_list);
	if (!st)
		return reply_db_error(ctx);
	bind_list(st, ctx, q);
	sqlite3_bind_int64(st, 5, q->limit);
	sqlite3_bind_int64(st, 6, q->offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t n = resp.articles_count;
		struct conduit_article_list_item *a = read_list_item(ctx, st, NULL);
		void *more = grow(ctx, articles, n, &cap, sizeof *articles);
		void *more_page = grow(ctx, page, n, &page_cap, sizeof *page);

		if (!a || !more || !more_page) {
			rc = SQLITE_NOMEM;
			break;
		}
		articles = more;
		page = more_page;
		articles[n] = a;
		page[n] = (struct tagged){ sqlite3_column_int64(st, 0), &a->tag_list, &a->tag_list_count };
		resp.articles_count = n + 1;
	}
	db_done(st);
	if (rc == SQLITE_DONE)
		rc = load_tags(ctx, page, resp.articles_count);
	if (rc != SQLITE_DONE)
		return reply_lookup_error(ctx, rc, "");
	resp.articles = articles;
	if (q->feed)
		return conduit_get_articles_feed__reply_200(ctx, &resp);
	return conduit_get_articles__reply_200(ctx, &resp);
}

int conduit_get_articles(struct apic_ctx *ctx, const struct conduit_get_articles__params *in)
{
	struct list_query q = {
		.tag = in->has_tag ? &in->tag : NULL,
		.author = in->has_author ? &in->author : NULL,
		.favorited = in->has_favorited ? &in->favorited : NULL,
		.limit = in->limit,
		.offset = in->has_offset ? in->offset : 0,
	};

	return reply_list(ctx, &q);
}

int conduit_get_articles_feed(struct apic_ctx *ctx,
			      const struct conduit_get_articles_feed__params *in)
{
	struct list_query q = {
		.feed = true,
		.limit = in->limit,
		.offset = in->has_offset ? in->offset : 0,
	};

	return reply_list(ctx, &q);
}

/* The slug of a title: ASCII letters and digits in lower case, every other
 * run of bytes one '-'; "article" when nothing is left. Arena memory. */
static char *slugify(struct apic_ctx *ctx, struct apic_str title)
{
	size_t max = title.len < 80 ? title.len : 80, n = 0;
	char *s = apic_ctx_alloc(ctx, max + sizeof "article-0123456789abcdef");

	if (!s)
		return NULL;
	for (size_t i = 0; i < title.len && n < max; i++) {
		unsigned char c = (unsigned char)title.ptr[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			s[n++] = (char)c;
		else if (c >= 'A' && c <= 'Z')
			s[n++] = (char)(c - 'A' + 'a');
		else if (n > 0 && s[n - 1] != '-')
			s[n++] = '-';
	}
	while (n > 0 && s[n - 1] == '-')
		n--;
	if (n == 0)
		memcpy(s, "article", n = sizeof "article" - 1);
	s[n] = '\0';
	return s;
}

/* Makes `slug` (from slugify) unique after a clash: appends random hex. */
static void slug_disambiguate(char *slug, size_t base_len)
{
	unsigned char r[8];

	randombytes_buf(r, sizeof r);
	slug[base_len] = '-';
	sodium_bin2hex(slug + base_len + 1, 2 * sizeof r + 1, r, sizeof r);
}

/* A slug clash is retried with a new suffix; anything else ends the loop. */
#define SLUG_ATTEMPTS 8

static const char sql_article_insert[] =
	"INSERT INTO articles (slug, title, description, body, author_id, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),"
	" strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
static const char sql_tag_insert[] =
	"INSERT OR IGNORE INTO article_tags (article_id, tag) VALUES (?, ?)";

/* Inserts the article and its tags in the open transaction; SQLite code. */
static int insert_article(struct apic_ctx *ctx, const struct conduit_new_article *na,
			  char *slug)
{
	size_t base_len = strlen(slug);
	sqlite3_stmt *st;
	int64_t id;
	int rc = SQLITE_CONSTRAINT;

	for (int i = 0; i < SLUG_ATTEMPTS && rc == SQLITE_CONSTRAINT; i++) {
		if (i > 0)
			slug_disambiguate(slug, base_len);
		st = db_stmt(sql_article_insert);
		if (!st)
			return SQLITE_ERROR;
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		bind_str(st, 2, na->title);
		bind_str(st, 3, na->description);
		bind_str(st, 4, na->body);
		sqlite3_bind_int64(st, 5, viewer_id(ctx));
		rc = sqlite3_step(st);
		db_done(st);
	}
	if (rc != SQLITE_DONE)
		return rc;
	id = sqlite3_last_insert_rowid(db_conn());
	for (size_t i = 0; i < na->tag_list_count; i++) {
		st = db_stmt(sql_tag_insert);
		if (!st)
			return SQLITE_ERROR;
		sqlite3_bind_int64(st, 1, id);
		bind_str(st, 2, na->tag_list[i]);
		rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE)
			return rc;
	}
	return SQLITE_DONE;
}

int conduit_create_article(struct apic_ctx *ctx, const struct conduit_create_article__params *in)
{
	const struct conduit_new_article *na = in->body->article;
	char *slug;
	int rc;
	struct conduit_single_article_response resp = { 0 };

	if (blank(na->title))
		return apic_ctx_reply_error(ctx, 422, "title can't be blank");
	if (blank(na->description))
		return apic_ctx_reply_error(ctx, 422, "description can't be blank");
	if (blank(na->body))
		return apic_ctx_reply_error(ctx, 422, "body can't be blank");
	for (size_t i = 0; i < na->tag_list_count; i++)
		if (blank(na->tag_list[i]))
			return apic_ctx_reply_error(ctx, 422, "tags can't be blank");
	slug = slugify(ctx, na->title);
	if (!slug)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	if (db_begin() != SQLITE_OK)
		return reply_db_error(ctx);
	rc = insert_article(ctx, na, slug);
	if (rc != SQLITE_DONE || db_commit() != SQLITE_OK) {
		db_rollback();
		return reply_db_error(ctx);
	}
	resp.article = load_article(ctx, str_lit(slug), NULL, NULL, &rc);
	if (!resp.article)
		return reply_lookup_error(ctx, rc, "article not found");
	return conduit_create_article__reply_201(ctx, &resp);
}

/* Loads `slug` for a change by its author: on failure the reply (404, 403)
 * has been made and NULL is returned with *result set to its result. */
static struct conduit_article *load_own_article(struct apic_ctx *ctx, struct apic_str slug,
						int64_t *id, int *result)
{
	int64_t author_id;
	int rc;
	struct conduit_article *a = load_article(ctx, slug, id, &author_id, &rc);

	if (!a)
		*result = reply_lookup_error(ctx, rc, "article not found");
	else if (author_id != viewer_id(ctx))
		*result = apic_ctx_reply_error(ctx, 403, "only the author may change this article");
	else
		return a;
	return NULL;
}

static const char sql_article_update[] =
	"UPDATE articles SET slug = coalesce(?1, slug), title = coalesce(?2, title),"
	" description = coalesce(?3, description), body = coalesce(?4, body),"
	" updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?5";

int conduit_update_article(struct apic_ctx *ctx, const struct conduit_update_article__params *in)
{
	const struct conduit_update_article *ua = in->body->article;
	struct conduit_single_article_response resp = { 0 };
	struct conduit_article *a;
	char *slug = NULL;
	size_t base_len = 0;
	int64_t id;
	int rc = SQLITE_CONSTRAINT, result;

	if ((ua->has_title && blank(ua->title)) ||
	    (ua->has_description && blank(ua->description)) ||
	    (ua->has_body && blank(ua->body)))
		return apic_ctx_reply_error(ctx, 422, "title, description and body can't be blank");
	a = load_own_article(ctx, in->slug, &id, &result);
	if (!a)
		return result;
	/* A new title makes a new slug (the old one is no longer found). */
	if (ua->has_title) {
		slug = slugify(ctx, ua->title);
		if (!slug)
			return apic_ctx_reply_error(ctx, 500, "out of memory");
		base_len = strlen(slug);
	}
	for (int i = 0; i < SLUG_ATTEMPTS && rc == SQLITE_CONSTRAINT; i++) {
		sqlite3_stmt *st = db_stmt(sql_article_update);

		if (!st)
			return reply_db_error(ctx);
		if (slug && i > 0)
			slug_disambiguate(slug, base_len);
		if (slug && !(a->slug.len == strlen(slug) && memcmp(a->slug.ptr, slug, a->slug.len) == 0))
			sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		if (ua->has_title)
			bind_str(st, 2, ua->title);
		if (ua->has_description)
			bind_str(st, 3, ua->description);
		if (ua->has_body)
			bind_str(st, 4, ua->body);
		sqlite3_bind_int64(st, 5, id);
		rc = sqlite3_step(st);
		db_done(st);
	}
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	resp.article = load_article(ctx, slug ? str_lit(slug) : a->slug, NULL, NULL, &rc);
	if (!resp.article)
		return reply_lookup_error(ctx, rc, "article not found");
	return conduit_update_article__reply_200(ctx, &resp);
}

static const char sql_article_delete[] = "DELETE FROM articles WHERE id = ?";

int conduit_delete_article(struct apic_ctx *ctx, const struct conduit_delete_article__params *in)
{
	sqlite3_stmt *st;
	int64_t id;
	int rc, result;

	if (!load_own_article(ctx, in->slug, &id, &result))
		return result;
	st = db_stmt(sql_article_delete);
	if (!st)
		return reply_db_error(ctx);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	return conduit_delete_article__reply_204(ctx);
}

/* ---- favourites ------------------------------------------------------------ */

static const char sql_favorite[] =
	"INSERT OR IGNORE INTO favorites (user_id, article_id) VALUES (?, ?)";
static const char sql_unfavorite[] =
	"DELETE FROM favorites WHERE user_id = ? AND article_id = ?";

static int set_favorite(struct apic_ctx *ctx, struct apic_str slug, const char *sql)
{
	struct conduit_single_article_response resp = { 0 };
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	if (!load_article(ctx, slug, &id, NULL, &rc))
		return reply_lookup_error(ctx, rc, "article not found");
	st = db_stmt(sql);
	if (!st)
		return reply_db_error(ctx);
	sqlite3_bind_int64(st, 1, viewer_id(ctx));
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	/* Read again: the count includes everybody's concurrent changes. */
	resp.article = load_article(ctx, slug, NULL, NULL, &rc);
	if (!resp.article)
		return reply_lookup_error(ctx, rc, "article not found");
	if (sql == sql_favorite)
		return conduit_create_article_favorite__reply_200(ctx, &resp);
	return conduit_delete_article_favorite__reply_200(ctx, &resp);
}

int conduit_create_article_favorite(struct apic_ctx *ctx,
				    const struct conduit_create_article_favorite__params *in)
{
	return set_favorite(ctx, in->slug, sql_favorite);
}

int conduit_delete_article_favorite(struct apic_ctx *ctx,
				    const struct conduit_delete_article_favorite__params *in)
{
	return set_favorite(ctx, in->slug, sql_unfavorite);
}

/* ---- comments -------------------------------------------------------------- */

/* The columns read_comment() expects; ?1 is the viewer. */
#define COMMENT_COLUMNS \
	"SELECT c.id, c.created_at, c.updated_at, c.body, u.username, u.bio, u.image," \
	" EXISTS (SELECT 1 FROM follows w WHERE w.follower_id = ?1 AND w.followee_id = c.author_id)" \
	" FROM comments c JOIN users u ON u.id = c.author_id"

static bool read_comment(struct apic_ctx *ctx, sqlite3_stmt *st, struct conduit_comment *c)
{
	struct conduit_profile *au = apic_ctx_alloc(ctx, sizeof *au);

	if (!au)
		return false;
	c->id = sqlite3_column_int64(st, 0);
	c->created_at = col_str(ctx, st, 1);
	c->updated_at = col_str(ctx, st, 2);
	c->body = col_str(ctx, st, 3);
	au->username = col_str(ctx, st, 4);
	au->bio = col_str(ctx, st, 5);
	au->image = col_str(ctx, st, 6);
	au->following = sqlite3_column_int(st, 7);
	c->author = au;
	return true;
}

static const char sql_article_id[] = "SELECT id FROM articles WHERE slug = ?";

/* The id of article `slug`; 0 with *rc = SQLITE_DONE when there is none. */
static int64_t article_id(struct apic_str slug, int *rc)
{
	sqlite3_stmt *st = db_stmt(sql_article_id);
	int64_t id = 0;

	if (!st) {
		*rc = SQLITE_ERROR;
		return 0;
	}
	bind_str(st, 1, slug);
	*rc = sqlite3_step(st);
	if (*rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	db_done(st);
	return id;
}

static const char sql_comments[] = COMMENT_COLUMNS " WHERE c.article_id = ?2 ORDER BY c.id";

int conduit_get_article_comments(struct apic_ctx *ctx,
				 const struct conduit_get_article_comments__params *in)
{
	struct conduit_multiple_comments_response resp = { 0 };
	const struct conduit_comment **comments = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	int64_t id = article_id(in->slug, &rc);

	if (!id)
		return reply_lookup_error(ctx, rc, "article not found");
	st = db_stmt(sql_comments);
	if (!st)
		return reply_db_error(ctx);
	sqlite3_bind_int64(st, 1, viewer_id(ctx));
	sqlite3_bind_int64(st, 2, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct conduit_comment *c = apic_ctx_alloc(ctx, sizeof *c);
		void *more = grow(ctx, comments, resp.comments_count, &cap, sizeof *comments);

		if (!c || !more || !read_comment(ctx, st, c))
			break;
		comments = more;
		comments[resp.comments_count++] = c;
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	resp.comments = comments;
	return conduit_get_article_comments__reply_200(ctx, &resp);
}

static const char sql_comment_insert[] =
	"INSERT INTO comments (article_id, author_id, body, created_at, updated_at)"
	" VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),"
	" strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
static const char sql_comment_by_id[] = COMMENT_COLUMNS " WHERE c.id = ?2";

int conduit_create_article_comment(struct apic_ctx *ctx,
				   const struct conduit_create_article_comment__params *in)
{
	struct conduit_comment *c = apic_ctx_alloc(ctx, sizeof *c);
	struct conduit_single_comment_response resp = { .comment = c };
	sqlite3_stmt *st;
	int rc;
	int64_t id;

	if (!c)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	if (blank(in->body->comment->body))
		return apic_ctx_reply_error(ctx, 422, "body can't be blank");
	id = article_id(in->slug, &rc);
	if (!id)
		return reply_lookup_error(ctx, rc, "article not found");
	st = db_stmt(sql_comment_insert);
	if (!st)
		return reply_db_error(ctx);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, viewer_id(ctx));
	bind_str(st, 3, in->body->comment->body);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	id = sqlite3_last_insert_rowid(db_conn());
	st = db_stmt(sql_comment_by_id);
	if (!st)
		return reply_db_error(ctx);
	sqlite3_bind_int64(st, 1, viewer_id(ctx));
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && !read_comment(ctx, st, c))
		rc = SQLITE_NOMEM;
	db_done(st);
	if (rc != SQLITE_ROW)
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
	sqlite3_stmt *st = db_stmt(sql_comment_owner);
	int64_t author_id = 0;
	int rc;

	if (!st)
		return reply_db_error(ctx);
	sqlite3_bind_int64(st, 1, in->id);
	bind_str(st, 2, in->slug);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		author_id = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc == SQLITE_DONE)
		return apic_ctx_reply_error(ctx, 404, "comment not found");
	if (rc != SQLITE_ROW)
		return reply_db_error(ctx);
	if (author_id != viewer_id(ctx))
		return apic_ctx_reply_error(ctx, 403, "only the author may delete this comment");
	st = db_stmt(sql_comment_delete);
	if (!st)
		return reply_db_error(ctx);
	sqlite3_bind_int64(st, 1, in->id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	return conduit_delete_article_comment__reply_204(ctx);
}

/* ---- tags ------------------------------------------------------------------ */

static const char sql_tags[] = "SELECT DISTINCT tag FROM article_tags ORDER BY tag";

int conduit_get_tags(struct apic_ctx *ctx, const struct conduit_get_tags__params *in)
{
	struct conduit_tags_response resp = { 0 };
	sqlite3_stmt *st = db_stmt(sql_tags);
	size_t cap = 0;
	int rc;

	(void)in;
	if (!st)
		return reply_db_error(ctx);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		void *more = grow(ctx, resp.tags, resp.tags_count, &cap, sizeof *resp.tags);

		if (!more)
			break;
		resp.tags = more;
		resp.tags[resp.tags_count++] = col_str(ctx, st, 0);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return reply_db_error(ctx);
	return conduit_get_tags__reply_200(ctx, &resp);
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	const char *db_file = "conduit.db";
	struct apic_server *srv;
	int rc;

	if (auth_init(getenv("CONDUIT_JWT_SECRET")) != 0)
		return 1;
	srv = apic_server_new(&conduit_api);
	if (!srv) {
		fprintf(stderr, "conduit: out of memory\n");
		return 1;
	}
	apic_server_add_option(srv, "db", "FILE",
			       "SQLite database file, created on first start (default conduit.db)",
			       &db_file);
	/* Conduit servers listen on port 3000 by convention. */
	if (apic_server_set_default(srv, "port", "3000") != 0)
		rc = 1; /* out of memory: the value is valid */
	else
		rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0 && apic_server_set_verifier(srv, "Token", token_verify, NULL) != 0) {
		fprintf(stderr, "conduit: the schema has no security scheme 'Token'\n");
		rc = 1;
	}
	if (rc == 0 && db_open(db_file) != 0)
		rc = 1;
	if (rc == 0)
		rc = apic_server_run(srv) == 0 ? 0 : 1;
	apic_server_free(srv);
	db_close();
	return rc == APIC_ARGS_EXIT ? 0 : rc;
}
