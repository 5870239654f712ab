/* The bookshop's store: authors and books in memory, behind one mutex.
 * It keeps heap copies of what requests sent (the generated __copy with
 * apic_heap_allocator) and hands out copies into the caller's allocator
 * (the request's arena), made under the lock: a reply never reads an
 * entry that another request is replacing or deleting. */
#ifndef STORE_H
#define STORE_H

#include "bookshop.h"

#include <pthread.h>

enum store_result {
	STORE_OK,
	STORE_NOT_FOUND, /* no such author (or book) */
	STORE_CONFLICT,  /* a name or ISBN taken, an author with books */
	STORE_NO_MEMORY,
};

struct store {
	pthread_mutex_t lock;
	struct bookshop_author *authors; /* by id: ids only grow */
	size_t nauthors, authors_cap;
	struct bookshop_book *books; /* by id */
	size_t nbooks, books_cap;
	int64_t last_author_id, last_book_id;
};

/* What listBooks filters on; a NULL tag or a negative max_price: any. */
struct book_filter {
	enum bookshop_genre genre; /* __UNSET: any */
	int64_t max_price;
	const struct apic_str *tag;
};

/* A page of a list: the entries from offset, at most limit, copied into
 * `a`; total counts every match. */
struct page {
	size_t offset, limit;
	size_t count, total;
};

int store_init(struct store *s);
void store_fini(struct store *s);

/* Each copies the entry it added, found or changed into *out with `a`.
 * The body's readonly ids are the store's to set. */
enum store_result store_add_author(struct store *s, const struct bookshop_author *body,
				   const struct apic_allocator *a, struct bookshop_author *out);
enum store_result store_get_author(struct store *s, int64_t id, const struct apic_allocator *a,
				   struct bookshop_author *out);
enum store_result store_list_authors(struct store *s, const struct apic_str *name_part,
				     struct page *pg, const struct apic_allocator *a,
				     struct bookshop_author **items);
enum store_result store_delete_author(struct store *s, int64_t id);

enum store_result store_add_book(struct store *s, int64_t author_id, const struct bookshop_book *body,
				 const struct apic_allocator *a, struct bookshop_book *out);
enum store_result store_get_book(struct store *s, int64_t author_id, int64_t id,
				 const struct apic_allocator *a, struct bookshop_book *out);
enum store_result store_list_books(struct store *s, int64_t author_id, const struct book_filter *f,
				   struct page *pg, const struct apic_allocator *a,
				   struct bookshop_book **items);
enum store_result store_update_book(struct store *s, int64_t author_id, int64_t id,
				    const struct bookshop_book *body, const struct apic_allocator *a,
				    struct bookshop_book *out);
enum store_result store_delete_book(struct store *s, int64_t author_id, int64_t id);

#endif
