/* The in-memory store (store.h). Entries are heap copies made by the
 * generated bookshop_*__copy(); every answer is a copy too, into the
 * caller's allocator, taken while the lock is held. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

int store_init(struct store *s)
{
	memset(s, 0, sizeof *s);
	return pthread_mutex_init(&s->lock, NULL) == 0 ? 0 : -1;
}

void store_fini(struct store *s)
{
	for (size_t i = 0; i < s->nauthors; i++)
		bookshop_author__free_members(&s->authors[i]);
	for (size_t i = 0; i < s->nbooks; i++)
		bookshop_book__free_members(&s->books[i]);
	free(s->authors);
	free(s->books);
	pthread_mutex_destroy(&s->lock);
}

static bool str_eq(const struct apic_str *x, const struct apic_str *y)
{
	return x->len == y->len && memcmp(x->ptr, y->ptr, x->len) == 0;
}

/* Room for one more element: the (moved) array, or NULL with v untouched. */
static void *grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t ncap = *cap != 0 ? *cap * 2 : 16;
	void *p = realloc(v, ncap * size);
	if (p != NULL)
		*cap = ncap;
	return p;
}

static struct bookshop_author *find_author(struct store *s, int64_t id)
{
	for (size_t i = 0; i < s->nauthors; i++)
		if (s->authors[i].id == id)
			return &s->authors[i];
	return NULL;
}

static struct bookshop_book *find_book(struct store *s, int64_t author_id, int64_t id)
{
	for (size_t i = 0; i < s->nbooks; i++)
		if (s->books[i].id == id)
			return s->books[i].author_id == author_id ? &s->books[i] : NULL;
	return NULL;
}

/* Another book than `self` with the ISBN of `b`. */
static bool isbn_taken(struct store *s, const struct bookshop_book *b, const struct bookshop_book *self)
{
	if (!b->has_isbn)
		return false;
	for (size_t i = 0; i < s->nbooks; i++)
		if (&s->books[i] != self && s->books[i].has_isbn && str_eq(&s->books[i].isbn, &b->isbn))
			return true;
	return false;
}

/* The number of entries of a page once `total` are known to match. */
static size_t page_size(const struct page *pg)
{
	if (pg->total <= pg->offset)
		return 0;
	size_t left = pg->total - pg->offset;
	return left < pg->limit ? left : pg->limit;
}

enum store_result store_add_author(struct store *s, const struct bookshop_author *body,
				   const struct apic_allocator *a, struct bookshop_author *out)
{
	enum store_result r = STORE_CONFLICT;

	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nauthors; i++)
		if (str_eq(&s->authors[i].name, &body->name))
			goto out;
	r = STORE_NO_MEMORY;
	struct bookshop_author *v = grow(s->authors, s->nauthors, &s->authors_cap, sizeof *v);
	if (v == NULL)
		goto out;
	s->authors = v;
	if (bookshop_author__copy(&v[s->nauthors], body, &apic_heap_allocator) != 0)
		goto out;
	v[s->nauthors].id = ++s->last_author_id;
	if (bookshop_author__copy(out, &v[s->nauthors++], a) == 0)
		r = STORE_OK;
out:
	pthread_mutex_unlock(&s->lock);
	return r;
}

enum store_result store_get_author(struct store *s, int64_t id, const struct apic_allocator *a,
				   struct bookshop_author *out)
{
	enum store_result r = STORE_NOT_FOUND;

	pthread_mutex_lock(&s->lock);
	const struct bookshop_author *found = find_author(s, id);
	if (found != NULL)
		r = bookshop_author__copy(out, found, a) == 0 ? STORE_OK : STORE_NO_MEMORY;
	pthread_mutex_unlock(&s->lock);
	return r;
}

static bool author_matches(const struct bookshop_author *au, const struct apic_str *name_part)
{
	return name_part == NULL || memmem(au->name.ptr, au->name.len, name_part->ptr, name_part->len) != NULL;
}

enum store_result store_list_authors(struct store *s, const struct apic_str *name_part,
				     struct page *pg, const struct apic_allocator *a,
				     struct bookshop_author **items)
{
	enum store_result r = STORE_OK;

	*items = NULL;
	pg->count = pg->total = 0;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nauthors; i++)
		pg->total += author_matches(&s->authors[i], name_part);
	size_t n = page_size(pg), seen = 0;
	struct bookshop_author *v = n != 0 ? a->alloc(a->cls, n * sizeof *v) : NULL;
	if (n != 0 && v == NULL)
		r = STORE_NO_MEMORY;
	for (size_t i = 0; v != NULL && i < s->nauthors && pg->count < n; i++) {
		if (!author_matches(&s->authors[i], name_part) || seen++ < pg->offset)
			continue;
		if (bookshop_author__copy(&v[pg->count], &s->authors[i], a) != 0) {
			r = STORE_NO_MEMORY;
			break;
		}
		pg->count++;
	}
	pthread_mutex_unlock(&s->lock);
	if (r == STORE_OK)
		*items = v;
	else if (a->heap)
		bookshop_author__free_array(v, pg->count);
	return r;
}

enum store_result store_delete_author(struct store *s, int64_t id)
{
	enum store_result r = STORE_NOT_FOUND;

	pthread_mutex_lock(&s->lock);
	struct bookshop_author *au = find_author(s, id);
	if (au == NULL)
		goto out;
	r = STORE_CONFLICT;
	for (size_t i = 0; i < s->nbooks; i++)
		if (s->books[i].author_id == id)
			goto out;
	bookshop_author__free_members(au);
	size_t i = (size_t)(au - s->authors);
	memmove(au, au + 1, (--s->nauthors - i) * sizeof *au);
	r = STORE_OK;
out:
	pthread_mutex_unlock(&s->lock);
	return r;
}

enum store_result store_add_book(struct store *s, int64_t author_id, const struct bookshop_book *body,
				 const struct apic_allocator *a, struct bookshop_book *out)
{
	enum store_result r = STORE_NOT_FOUND;

	pthread_mutex_lock(&s->lock);
	if (find_author(s, author_id) == NULL)
		goto out;
	r = STORE_CONFLICT;
	if (isbn_taken(s, body, NULL))
		goto out;
	r = STORE_NO_MEMORY;
	struct bookshop_book *v = grow(s->books, s->nbooks, &s->books_cap, sizeof *v);
	if (v == NULL)
		goto out;
	s->books = v;
	struct bookshop_book *b = &v[s->nbooks];
	if (bookshop_book__copy(b, body, &apic_heap_allocator) != 0)
		goto out;
	b->id = ++s->last_book_id;
	b->author_id = author_id;
	s->nbooks++;
	if (bookshop_book__copy(out, b, a) == 0)
		r = STORE_OK;
out:
	pthread_mutex_unlock(&s->lock);
	return r;
}

enum store_result store_get_book(struct store *s, int64_t author_id, int64_t id,
				 const struct apic_allocator *a, struct bookshop_book *out)
{
	enum store_result r = STORE_NOT_FOUND;

	pthread_mutex_lock(&s->lock);
	const struct bookshop_book *b = find_book(s, author_id, id);
	if (b != NULL)
		r = bookshop_book__copy(out, b, a) == 0 ? STORE_OK : STORE_NO_MEMORY;
	pthread_mutex_unlock(&s->lock);
	return r;
}

static bool book_matches(const struct bookshop_book *b, int64_t author_id, const struct book_filter *f)
{
	if (b->author_id != author_id)
		return false;
	if (f->genre != BOOKSHOP_GENRE__UNSET && b->genre != f->genre)
		return false;
	if (f->max_price >= 0 && b->price->amount > f->max_price)
		return false;
	if (f->tag == NULL)
		return true;
	for (size_t i = 0; i < b->tags_count; i++)
		if (str_eq(&b->tags[i], f->tag))
			return true;
	return false;
}

enum store_result store_list_books(struct store *s, int64_t author_id, const struct book_filter *f,
				   struct page *pg, const struct apic_allocator *a,
				   struct bookshop_book **items)
{
	enum store_result r = STORE_NOT_FOUND;

	*items = NULL;
	pg->count = pg->total = 0;
	pthread_mutex_lock(&s->lock);
	if (find_author(s, author_id) == NULL) {
		pthread_mutex_unlock(&s->lock);
		return r;
	}
	r = STORE_OK;
	for (size_t i = 0; i < s->nbooks; i++)
		pg->total += book_matches(&s->books[i], author_id, f);
	size_t n = page_size(pg), seen = 0;
	struct bookshop_book *v = n != 0 ? a->alloc(a->cls, n * sizeof *v) : NULL;
	if (n != 0 && v == NULL)
		r = STORE_NO_MEMORY;
	for (size_t i = 0; v != NULL && i < s->nbooks && pg->count < n; i++) {
		if (!book_matches(&s->books[i], author_id, f) || seen++ < pg->offset)
			continue;
		if (bookshop_book__copy(&v[pg->count], &s->books[i], a) != 0) {
			r = STORE_NO_MEMORY;
			break;
		}
		pg->count++;
	}
	pthread_mutex_unlock(&s->lock);
	if (r == STORE_OK)
		*items = v;
	else if (a->heap)
		bookshop_book__free_array(v, pg->count);
	return r;
}

enum store_result store_update_book(struct store *s, int64_t author_id, int64_t id,
				    const struct bookshop_book *body, const struct apic_allocator *a,
				    struct bookshop_book *out)
{
	enum store_result r = STORE_NOT_FOUND;
	struct bookshop_book fresh;

	pthread_mutex_lock(&s->lock);
	struct bookshop_book *b = find_book(s, author_id, id);
	if (b == NULL)
		goto out;
	r = STORE_CONFLICT;
	if (isbn_taken(s, body, b))
		goto out;
	/* the new version first: out of memory leaves the old one in place */
	r = STORE_NO_MEMORY;
	if (bookshop_book__copy(&fresh, body, &apic_heap_allocator) != 0)
		goto out;
	fresh.id = id;
	fresh.author_id = author_id;
	bookshop_book__free_members(b);
	*b = fresh;
	if (bookshop_book__copy(out, b, a) == 0)
		r = STORE_OK;
out:
	pthread_mutex_unlock(&s->lock);
	return r;
}

enum store_result store_delete_book(struct store *s, int64_t author_id, int64_t id)
{
	enum store_result r = STORE_NOT_FOUND;

	pthread_mutex_lock(&s->lock);
	struct bookshop_book *b = find_book(s, author_id, id);
	if (b != NULL) {
		bookshop_book__free_members(b);
		size_t i = (size_t)(b - s->books);
		memmove(b, b + 1, (--s->nbooks - i) * sizeof *b);
		r = STORE_OK;
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}
