/* Handlers of the API in bookshop.apic: the store (store.h) does the work
 * under its lock; a handler maps its answer onto the declared replies.
 * Everything a handler gets lives until its reply is sent (libapic(3),
 * MEMORY): the store keeps its own heap copies, and what a reply sends is
 * the store's copy into the request's arena. */
#include "app.h"

#include <inttypes.h>
#include <string.h>

static struct store *store_of(struct apic_ctx *ctx)
{
	return &((struct app *)apic_ctx_user_data(ctx))->store;
}

static struct apic_str str_of(const char *s)
{
	return (struct apic_str){ s, s != NULL ? strlen(s) : 0 };
}

/* STORE_NO_MEMORY: a status no operation declares, the runtime's 500. */
static int reply_no_memory(struct apic_ctx *ctx)
{
	return apic_ctx_reply_error(ctx, 500, "out of memory");
}

static const char *no_author(struct apic_ctx *ctx, int64_t id)
{
	return apic_ctx_printf(ctx, "no author with id %" PRId64, id);
}

static const char *no_book(struct apic_ctx *ctx, int64_t author_id, int64_t id)
{
	return apic_ctx_printf(ctx, "author %" PRId64 " has no book with id %" PRId64, author_id, id);
}

/* GET /authors (listAuthors) */
int bookshop_list_authors(struct apic_ctx *ctx, const struct bookshop_list_authors__params *in)
{
	struct apic_allocator arena = apic_ctx_allocator(ctx);
	struct page pg = { .offset = (size_t)in->offset, .limit = (size_t)in->limit };
	struct bookshop_author *items;

	if (store_list_authors(store_of(ctx), in->has_name ? &in->name : NULL, &pg, &arena, &items) != STORE_OK)
		return reply_no_memory(ctx);
	return bookshop_list_authors__reply_200(ctx, items, pg.count,
						&(struct bookshop_list_authors__reply_200_headers){
							.x_total_count = (int64_t)pg.total });
}

/* POST /authors (createAuthor) */
int bookshop_create_author(struct apic_ctx *ctx, const struct bookshop_create_author__params *in)
{
	struct apic_allocator arena = apic_ctx_allocator(ctx);
	struct bookshop_author au;

	switch (store_add_author(store_of(ctx), in->body, &arena, &au)) {
	case STORE_OK:
		break;
	case STORE_CONFLICT:
		return bookshop_create_author__reply_409(
			ctx, apic_ctx_printf(ctx, "an author named '%s' exists", in->body->name.ptr));
	default:
		return reply_no_memory(ctx);
	}
	const char *where = apic_ctx_printf(ctx, "%s/authors/%" PRId64, bookshop_api.basepath, au.id);
	return bookshop_create_author__reply_201(ctx, &au,
						 &(struct bookshop_create_author__reply_201_headers){
							 .location = str_of(where) });
}

/* GET /authors/{authorId} (getAuthor) */
int bookshop_get_author(struct apic_ctx *ctx, const struct bookshop_get_author__params *in)
{
	struct apic_allocator arena = apic_ctx_allocator(ctx);
	struct bookshop_author au;

	switch (store_get_author(store_of(ctx), in->author_id, &arena, &au)) {
	case STORE_OK:
		return bookshop_get_author__reply_200(ctx, &au);
	case STORE_NOT_FOUND:
		return bookshop_get_author__reply_404(ctx, no_author(ctx, in->author_id));
	default:
		return reply_no_memory(ctx);
	}
}

/* DELETE /authors/{authorId} (deleteAuthor) */
int bookshop_delete_author(struct apic_ctx *ctx, const struct bookshop_delete_author__params *in)
{
	switch (store_delete_author(store_of(ctx), in->author_id)) {
	case STORE_OK:
		return bookshop_delete_author__reply_204(ctx);
	case STORE_NOT_FOUND:
		return bookshop_delete_author__reply_404(ctx, no_author(ctx, in->author_id));
	case STORE_CONFLICT:
		return bookshop_delete_author__reply_409(ctx, "delete the author's books first");
	default:
		return reply_no_memory(ctx);
	}
}

/* GET /authors/{authorId}/books (listBooks) */
int bookshop_list_books(struct apic_ctx *ctx, const struct bookshop_list_books__params *in)
{
	struct apic_allocator arena = apic_ctx_allocator(ctx);
	struct page pg = { .offset = (size_t)in->offset, .limit = (size_t)in->limit };
	struct book_filter f = {
		.genre = in->has_genre ? in->genre : BOOKSHOP_GENRE__UNSET,
		.max_price = in->has_max_price ? in->max_price : -1,
		.tag = in->has_tag ? &in->tag : NULL,
	};
	struct bookshop_book *items;

	switch (store_list_books(store_of(ctx), in->author_id, &f, &pg, &arena, &items)) {
	case STORE_OK:
		return bookshop_list_books__reply_200(ctx, items, pg.count,
						      &(struct bookshop_list_books__reply_200_headers){
							      .x_total_count = (int64_t)pg.total });
	case STORE_NOT_FOUND:
		return bookshop_list_books__reply_404(ctx, no_author(ctx, in->author_id));
	default:
		return reply_no_memory(ctx);
	}
}

/* POST /authors/{authorId}/books (createBook) */
int bookshop_create_book(struct apic_ctx *ctx, const struct bookshop_create_book__params *in)
{
	struct apic_allocator arena = apic_ctx_allocator(ctx);
	struct bookshop_book b;

	switch (store_add_book(store_of(ctx), in->author_id, in->body, &arena, &b)) {
	case STORE_OK:
		break;
	case STORE_NOT_FOUND:
		return bookshop_create_book__reply_404(ctx, no_author(ctx, in->author_id));
	case STORE_CONFLICT:
		return bookshop_create_book__reply_409(
			ctx, apic_ctx_printf(ctx, "a book with ISBN %s exists", in->body->isbn.ptr));
	default:
		return reply_no_memory(ctx);
	}
	const char *where = apic_ctx_printf(ctx, "%s/authors/%" PRId64 "/books/%" PRId64,
					    bookshop_api.basepath, b.author_id, b.id);
	return bookshop_create_book__reply_201(ctx, &b,
					       &(struct bookshop_create_book__reply_201_headers){
						       .location = str_of(where) });
}

/* GET /authors/{authorId}/books/{bookId} (getBook) */
int bookshop_get_book(struct apic_ctx *ctx, const struct bookshop_get_book__params *in)
{
	struct apic_allocator arena = apic_ctx_allocator(ctx);
	struct bookshop_book b;

	switch (store_get_book(store_of(ctx), in->author_id, in->book_id, &arena, &b)) {
	case STORE_OK:
		return bookshop_get_book__reply_200(ctx, &b);
	case STORE_NOT_FOUND:
		return bookshop_get_book__reply_404(ctx, no_book(ctx, in->author_id, in->book_id));
	default:
		return reply_no_memory(ctx);
	}
}

/* PUT /authors/{authorId}/books/{bookId} (updateBook) */
int bookshop_update_book(struct apic_ctx *ctx, const struct bookshop_update_book__params *in)
{
	struct apic_allocator arena = apic_ctx_allocator(ctx);
	struct bookshop_book b;

	switch (store_update_book(store_of(ctx), in->author_id, in->book_id, in->body, &arena, &b)) {
	case STORE_OK:
		return bookshop_update_book__reply_200(ctx, &b);
	case STORE_NOT_FOUND:
		return bookshop_update_book__reply_404(ctx, no_book(ctx, in->author_id, in->book_id));
	case STORE_CONFLICT:
		return bookshop_update_book__reply_409(
			ctx, apic_ctx_printf(ctx, "another book has ISBN %s", in->body->isbn.ptr));
	default:
		return reply_no_memory(ctx);
	}
}

/* DELETE /authors/{authorId}/books/{bookId} (deleteBook) */
int bookshop_delete_book(struct apic_ctx *ctx, const struct bookshop_delete_book__params *in)
{
	switch (store_delete_book(store_of(ctx), in->author_id, in->book_id)) {
	case STORE_OK:
		return bookshop_delete_book__reply_204(ctx);
	default:
		return bookshop_delete_book__reply_404(ctx, no_book(ctx, in->author_id, in->book_id));
	}
}
