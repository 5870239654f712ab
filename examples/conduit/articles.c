/* The Conduit articles (schemas/conduit.apic, "Articles" and "Favorites"):
 * lists and the feed with their tags, one article, creation with a slug
 * (slug.c) and tags, changes and deletion by the author, favourites. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conduit.h"

#include "common.h"
#include "slug.h"

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
static struct conduit_article_list_item *read_list_item(struct apic_ctx *ctx, struct store_stmt *st,
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
		*author_id = store_col_int64(st, 6);
	au->username = col_str(ctx, st, 7);
	au->bio = col_str(ctx, st, 8);
	au->image = col_str(ctx, st, 9);
	a->favorites_count = store_col_int64(st, 10);
	a->favorited = store_col_int64(st, 11);
	au->following = store_col_int64(st, 12);
	a->author = au;
	return a;
}

/* The whole article at the statement's current row (ARTICLE_COLUMNS),
 * without its tags; NULL when out of memory. */
static struct conduit_article *read_article(struct apic_ctx *ctx, struct store_stmt *st,
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
 * range of the key; a sparse one looks up its ids, given as a JSON array
 * (SQLite) or an array literal (PostgreSQL). */
static const char sql_tags_range[] =
	"SELECT article_id, tag FROM article_tags WHERE article_id BETWEEN ?1 AND ?2"
	" ORDER BY article_id, tag";
static const char sql_tags_of[] =
	"SELECT article_id, tag FROM article_tags"
	" WHERE article_id IN (SELECT value FROM json_each(?1))"
	" ORDER BY article_id, tag";
static const char sql_tags_of_pg[] =
	"SELECT article_id, tag FROM article_tags"
	" WHERE article_id = ANY (CAST(?1 AS bigint[]))"
	" ORDER BY article_id, tag";

/* An article of a page, whose tags load_tags() fills in: an article's or a
 * list item's tag_list and tag_list_count. */
struct tagged {
	int64_t id;
	struct apic_str **tags;
	size_t *count;
};

/* Binds the ids of a sparse page to sql_tags_of as "[id,id,...]", to
 * sql_tags_of_pg as "{id,id,...}". */
static int bind_ids(struct apic_ctx *ctx, struct store_stmt *st, const struct tagged *page, size_t n)
{
	/* At most 20 digits and a sign or separator per id. */
	char *json = apic_ctx_alloc(ctx, 22 * n + 3), *p = json;
	bool pg = store_kind() == STORE_PG;

	if (!json)
		return STORE_NOMEM;
	*p++ = pg ? '{' : '[';
	for (size_t k = 0; k < n; k++)
		p += sprintf(p, "%s%" PRId64, k ? "," : "", page[k].id);
	strcpy(p, pg ? "}" : "]");
	store_bind_text(st, 1, json, strlen(json));
	return STORE_DONE;
}

/* Fills in the tags of each article of `page` (ids in descending order), in
 * alphabetical order. Returns a store code, STORE_DONE on success. */
static int load_tags(struct apic_ctx *ctx, const struct tagged *page, size_t n)
{
	/* A range at most twice the page's size costs at most as much as the
	 * lookups (ids of deleted articles have no tags). */
	bool dense = n > 0 && (uint64_t)(page[0].id - page[n - 1].id) < 2 * (uint64_t)n;
	struct store_stmt *st = store_stmt(dense ? sql_tags_range
					   : store_kind() == STORE_PG ? sql_tags_of_pg : sql_tags_of);
	size_t i = n, cap = 0; /* rows come by ascending id: the page backwards */
	int rc;

	if (n == 0)
		return STORE_DONE;
	if (!st)
		return STORE_ERROR;
	if (dense) {
		store_bind_int64(st, 1, page[n - 1].id);
		store_bind_int64(st, 2, page[0].id);
	} else if ((rc = bind_ids(ctx, st, page, n)) != STORE_DONE) {
		store_done(st);
		return rc;
	}
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t id = store_col_int64(st, 0);
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
			rc = STORE_NOMEM;
			break;
		}
		*a->tags = more;
		(*a->tags)[(*a->count)++] = col_str(ctx, st, 1);
	}
	store_done(st);
	return rc;
}

static const char sql_article_by_slug[] = ARTICLE_COLUMNS " WHERE a.slug = ?2";

/* The article `slug` as the caller sees it. On failure NULL, and *rc is
 * STORE_DONE when there is no such article. */
static struct conduit_article *load_article(struct apic_ctx *ctx, struct apic_str slug,
					    int64_t *id, int64_t *author_id, int *rc)
{
	struct conduit_article *a = NULL;
	struct store_stmt *st = store_stmt(sql_article_by_slug);
	struct tagged t = { 0 };

	if (!st) {
		*rc = STORE_ERROR;
		return NULL;
	}
	store_bind_int64(st, 1, viewer_id(ctx));
	bind_str(st, 2, slug);
	*rc = store_step(st);
	if (*rc == STORE_ROW && (a = read_article(ctx, st, author_id)))
		t = (struct tagged){ store_col_int64(st, 0), &a->tag_list, &a->tag_list_count };
	store_done(st);
	if (*rc != STORE_ROW)
		return NULL;
	*rc = a ? load_tags(ctx, &t, 1) : STORE_NOMEM;
	if (*rc != STORE_DONE)
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
	" WHERE (CAST(?2 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM article_tags t" \
	"                              WHERE t.article_id = a.id AND t.tag = ?2))" \
	" AND (CAST(?3 AS TEXT) IS NULL OR u.username = ?3)" \
	" AND (CAST(?4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM favorites f JOIN users fu ON fu.id = f.user_id" \
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

static void bind_list(struct store_stmt *st, struct apic_ctx *ctx, const struct list_query *q)
{
	store_bind_int64(st, 1, viewer_id(ctx));
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
	struct store_stmt *st = store_stmt(q->feed ? sql_feed_count : sql_list_count);
	size_t cap = 0, page_cap = 0;
	int rc;

	if (!st)
		return reply_db_error(ctx);
	bind_list(st, ctx, q);
	rc = store_step(st);
	if (rc == STORE_ROW)
		resp.articles_count_ = store_col_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW)
		return reply_db_error(ctx);

	st = store_stmt(q->feed ? sql_feed : sql_list);
	if (!st)
		return reply_db_error(ctx);
	bind_list(st, ctx, q);
	store_bind_int64(st, 5, q->limit);
	store_bind_int64(st, 6, q->offset);
	while ((rc = store_step(st)) == STORE_ROW) {
		size_t n = resp.articles_count;
		struct conduit_article_list_item *a = read_list_item(ctx, st, NULL);
		void *more = grow(ctx, articles, n, &cap, sizeof *articles);
		void *more_page = grow(ctx, page, n, &page_cap, sizeof *page);

		if (!a || !more || !more_page) {
			rc = STORE_NOMEM;
			break;
		}
		articles = more;
		page = more_page;
		articles[n] = a;
		page[n] = (struct tagged){ store_col_int64(st, 0), &a->tag_list, &a->tag_list_count };
		resp.articles_count = n + 1;
	}
	store_done(st);
	if (rc == STORE_DONE)
		rc = load_tags(ctx, page, resp.articles_count);
	if (rc != STORE_DONE)
		return reply_lookup_error(ctx, rc, NULL);
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

/* A slug clash is retried with a new suffix; anything else ends the loop. */
#define SLUG_ATTEMPTS 8

static const char sql_article_insert[] =
	"INSERT INTO articles (slug, title, description, body, author_id, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (slug) DO NOTHING RETURNING id";
static const char sql_tag_insert[] =
	"INSERT INTO article_tags (article_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING";

/* Inserts the article and its tags in the open transaction; a store code.
 * A taken slug inserts nothing (no error: a failed statement would end a
 * PostgreSQL transaction) and is tried again with a new suffix. */
static int insert_article(struct apic_ctx *ctx, const struct conduit_new_article *na,
			  char *slug, size_t base_len)
{
	struct apic_str now = now_str(ctx);
	struct store_stmt *st;
	int64_t id = 0;
	int rc = STORE_DONE;

	for (int i = 0; i < SLUG_ATTEMPTS && rc == STORE_DONE; i++) {
		if (i > 0)
			slug_retry(ctx, slug, base_len);
		st = store_stmt(sql_article_insert);
		if (!st)
			return STORE_ERROR;
		store_bind_text(st, 1, slug, strlen(slug));
		bind_str(st, 2, na->title);
		bind_str(st, 3, na->description);
		bind_str(st, 4, na->body);
		store_bind_int64(st, 5, viewer_id(ctx));
		bind_str(st, 6, now);
		rc = store_step(st);
		if (rc == STORE_ROW)
			id = store_col_int64(st, 0);
		store_done(st);
	}
	if (rc == STORE_DONE)
		rc = STORE_CONSTRAINT; /* every slug was taken */
	if (rc != STORE_ROW)
		return rc;
	for (size_t i = 0; i < na->tag_list_count; i++) {
		st = store_stmt(sql_tag_insert);
		if (!st)
			return STORE_ERROR;
		store_bind_int64(st, 1, id);
		bind_str(st, 2, na->tag_list[i]);
		rc = store_step(st);
		store_done(st);
		if (rc != STORE_DONE)
			return rc;
	}
	return STORE_DONE;
}

int conduit_create_article(struct apic_ctx *ctx, const struct conduit_create_article__params *in)
{
	const struct conduit_new_article *na = in->body->article;
	size_t base_len;
	char *slug = slug_new(ctx, na->title, &base_len);
	int rc;
	struct conduit_single_article_response resp = { 0 };

	if (!slug)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	if (store_begin() != STORE_DONE)
		return reply_db_error(ctx);
	rc = insert_article(ctx, na, slug, base_len);
	/* Read back before the commit: nobody can rename or delete it yet. */
	if (rc == STORE_DONE)
		resp.article = load_article(ctx, str_lit(slug), NULL, NULL, &rc);
	if (!resp.article || store_commit() != STORE_DONE) {
		/* The reply first: it logs the database's message, which ROLLBACK resets. */
		int result = resp.article ? reply_db_error(ctx) : reply_lookup_error(ctx, rc, NULL);

		store_rollback();
		return result;
	}
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
	" updated_at = ?6 WHERE id = ?5";

int conduit_update_article(struct apic_ctx *ctx, const struct conduit_update_article__params *in)
{
	const struct conduit_update_article *ua = in->body->article;
	struct conduit_single_article_response resp = { 0 };
	struct conduit_article *a;
	char *slug = NULL;
	size_t base_len = 0;
	struct apic_str now = now_str(ctx);
	int64_t id;
	int rc = STORE_CONSTRAINT, result;

	a = load_own_article(ctx, in->slug, &id, &result);
	if (!a)
		return result;
	/* A new title makes a new slug (the old one is no longer found). */
	if (ua->has_title) {
		slug = slug_new(ctx, ua->title, &base_len);
		if (!slug)
			return apic_ctx_reply_error(ctx, 500, "out of memory");
	}
	for (int i = 0; i < SLUG_ATTEMPTS && rc == STORE_CONSTRAINT; i++) {
		struct store_stmt *st = store_stmt(sql_article_update);

		if (!st)
			return reply_db_error(ctx);
		if (slug && i > 0)
			slug_retry(ctx, slug, base_len);
		if (slug && !(a->slug.len == strlen(slug) && memcmp(a->slug.ptr, slug, a->slug.len) == 0))
			store_bind_text(st, 1, slug, strlen(slug));
		if (ua->has_title)
			bind_str(st, 2, ua->title);
		if (ua->has_description)
			bind_str(st, 3, ua->description);
		if (ua->has_body)
			bind_str(st, 4, ua->body);
		store_bind_int64(st, 5, id);
		bind_str(st, 6, now);
		rc = store_step(st);
		store_done(st);
	}
	if (rc != STORE_DONE)
		return reply_db_error(ctx);
	resp.article = load_article(ctx, slug ? str_lit(slug) : a->slug, NULL, NULL, &rc);
	if (!resp.article)
		return reply_lookup_error(ctx, rc, "article not found");
	return conduit_update_article__reply_200(ctx, &resp);
}

static const char sql_article_delete[] = "DELETE FROM articles WHERE id = ?";

int conduit_delete_article(struct apic_ctx *ctx, const struct conduit_delete_article__params *in)
{
	struct store_stmt *st;
	int64_t id;
	int rc, result;

	if (!load_own_article(ctx, in->slug, &id, &result))
		return result;
	st = store_stmt(sql_article_delete);
	if (!st)
		return reply_db_error(ctx);
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
		return reply_db_error(ctx);
	return conduit_delete_article__reply_204(ctx);
}

/* ---- favourites ------------------------------------------------------------ */

static const char sql_favorite[] =
	"INSERT INTO favorites (user_id, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char sql_unfavorite[] =
	"DELETE FROM favorites WHERE user_id = ? AND article_id = ?";

static int set_favorite(struct apic_ctx *ctx, struct apic_str slug, const char *sql)
{
	struct conduit_single_article_response resp = { 0 };
	struct store_stmt *st;
	int64_t id;
	int rc;

	if (!load_article(ctx, slug, &id, NULL, &rc))
		return reply_lookup_error(ctx, rc, "article not found");
	st = store_stmt(sql);
	if (!st)
		return reply_db_error(ctx);
	store_bind_int64(st, 1, viewer_id(ctx));
	store_bind_int64(st, 2, id);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
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
