/* The petstore's SQLite storage: one database file, pets in one table.
 *
 * Threads: the server calls handlers from several threads at once. Each call
 * here takes a connection from a small pool (a connection is used by one
 * thread at a time, as SQLite requires) and gives it back before returning,
 * so handlers never hold a connection across a reply. The file is in WAL mode
 * with a busy timeout, so concurrent writers wait for each other instead of
 * failing; by default a write is synced to disk before it is acknowledged.
 * Every statement is prepared with bound parameters.
 *
 * Ownership: strings in the pets these functions return are copied into the
 * request's arena (apic_ctx_strndup) and live as long as the request. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "petstore.h"

struct store;

enum store_result {
	STORE_OK,
	STORE_NOT_FOUND,
	STORE_CONFLICT, /* another pet already has this name */
	STORE_ERROR,    /* SQLite failed; the message went to the request's log */
};

/* Opens (creating it and its table when missing) the database at `path`;
 * commits run with synchronous = FULL (`sync_full`: a write is on disk when
 * it returns) or NORMAL (faster; the last writes before a power loss may be
 * lost). NULL after printing why to stderr. */
struct store *store_open(const char *path, bool sync_full);
void store_close(struct store *st);

/* The pets matching the filters (tag and status, when given), ordered by id,
 * `limit` of them from `offset`; `*total` counts every match. */
enum store_result store_list(struct store *st, struct apic_ctx *ctx,
			     const struct petstore_list_pets__params *in,
			     struct petstore_pet **pets, size_t *count, int64_t *total);
enum store_result store_get(struct store *st, struct apic_ctx *ctx, int64_t id,
			    struct petstore_pet *pet);
/* Inserts `pet` (its id is ignored) and sets `*id` to the new pet's id. */
enum store_result store_insert(struct store *st, struct apic_ctx *ctx,
			       const struct petstore_pet *pet, int64_t *id);
/* Replaces name, tag and status of pet `id`. */
enum store_result store_update(struct store *st, struct apic_ctx *ctx, int64_t id,
			       const struct petstore_pet *pet);
enum store_result store_delete(struct store *st, struct apic_ctx *ctx, int64_t id);

#endif
