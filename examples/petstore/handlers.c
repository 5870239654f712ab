/* The petstore example: the handlers of schemas/petstore.apic over a SQLite
 * file (store.c), and main() with the example's own flags:
 *   --db FILE      the database (default petstore.db; created on first start)
 *   --token TOKEN  the bearer token that deletePet requires (or APIC_TOKEN)
 *   --sqlite-sync full|normal  full (default): a write is on disk before it
 *                  is acknowledged; normal: faster, a power loss may undo
 *                  the last writes (store.h)
 * The runtime adds --port, --threads, --docs and the rest (libapic(3)).
 * Every change is published on the event channel GET /pets/events streams. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "petstore.h"
#include "store.h"

struct app {
	struct store *store;
	const char *token; /* NULL: no token configured, deletePet always 401 */
	/* Tokens are compared by their hashes, in constant time: neither the
	 * bytes nor the length of the real token show in the timing. */
	unsigned char token_hash[crypto_generichash_BYTES];
	struct apic_channel *events; /* GET /pets/events */
};

static struct store *app_store(struct apic_ctx *ctx)
{
	return ((struct app *)apic_ctx_user_data(ctx))->store;
}

/* After the change is stored: a failed publish (out of memory) is logged,
 * the change itself stands. */
static void publish(struct apic_ctx *ctx, enum petstore_pet_event_type type, const struct petstore_pet *pet)
{
	struct petstore_pet_event ev = { .type = type, .pet = pet };

	if (petstore_pet_events__publish(((struct app *)apic_ctx_user_data(ctx))->events, &ev) != 0)
		apic_ctx_log(ctx, "the change of pet %" PRId64 " was not published: out of memory", pet->id);
}

int petstore_pet_events(struct apic_ctx *ctx, const struct petstore_pet_events__params *in)
{
	(void)in;
	return petstore_pet_events__reply_200(ctx, ((struct app *)apic_ctx_user_data(ctx))->events);
}

/* The reply for a store failure that is not the caller's fault. */
static int reply_store_error(struct apic_ctx *ctx)
{
	return apic_ctx_reply_error(ctx, 500, "the database failed; see the server log");
}

/* The messages of the declared 404 and 409 replies (`-> 404 "No such pet"`):
 * their reply functions send them in the API's error shape, as the OpenAPI
 * document declares. */
static const char *not_found(struct apic_ctx *ctx, int64_t id)
{
	return apic_ctx_printf(ctx, "no pet with id %" PRId64, id);
}

static const char *conflict(struct apic_ctx *ctx, const struct petstore_pet *pet)
{
	return apic_ctx_printf(ctx, "a pet named '%.*s' already exists", (int)pet->name.len,
			       pet->name.ptr);
}

int petstore_list_pets(struct apic_ctx *ctx, const struct petstore_list_pets__params *in)
{
	struct petstore_pet *pets = NULL;
	size_t count = 0;
	int64_t total = 0;

	if (store_list(app_store(ctx), ctx, in, &pets, &count, &total) != STORE_OK)
		return reply_store_error(ctx);
	/* The page is limit/offset; the total lets a client compute the rest. */
	return petstore_list_pets__reply_200(ctx, pets, count,
					     &(struct petstore_list_pets__reply_200_headers){
						     .x_total_count = total });
}

/* The decoder has applied the schema's defaults (status: available), so the
 * body is the pet as it will be stored, but for its id. */
int petstore_create_pet(struct apic_ctx *ctx, const struct petstore_create_pet__params *in)
{
	struct petstore_pet pet = *in->body;

	switch (store_insert(app_store(ctx), ctx, &pet, &pet.id)) {
	case STORE_OK:
		break;
	case STORE_CONFLICT:
		return petstore_create_pet__reply_409(ctx, conflict(ctx, &pet));
	default:
		return reply_store_error(ctx);
	}
	publish(ctx, PETSTORE_PET_EVENT_TYPE_CREATED, &pet);
	const char *url = apic_ctx_printf(ctx, "%s/pets/%" PRId64, petstore_api.basepath, pet.id);
	return petstore_create_pet__reply_201(ctx, &pet,
					      &(struct petstore_create_pet__reply_201_headers){
						      .location = { url, url ? strlen(url) : 0 } });
}

int petstore_get_pet(struct apic_ctx *ctx, const struct petstore_get_pet__params *in)
{
	struct petstore_pet pet;

	switch (store_get(app_store(ctx), ctx, in->pet_id, &pet)) {
	case STORE_OK:
		return petstore_get_pet__reply_200(ctx, &pet);
	case STORE_NOT_FOUND:
		return petstore_get_pet__reply_404(ctx, not_found(ctx, in->pet_id));
	default:
		return reply_store_error(ctx);
	}
}

int petstore_update_pet(struct apic_ctx *ctx, const struct petstore_update_pet__params *in)
{
	struct petstore_pet pet = *in->body;

	pet.id = in->pet_id;
	switch (store_update(app_store(ctx), ctx, in->pet_id, &pet)) {
	case STORE_OK:
		publish(ctx, PETSTORE_PET_EVENT_TYPE_UPDATED, &pet);
		return petstore_update_pet__reply_200(ctx, &pet);
	case STORE_NOT_FOUND:
		return petstore_update_pet__reply_404(ctx, not_found(ctx, in->pet_id));
	case STORE_CONFLICT:
		return petstore_update_pet__reply_409(ctx, conflict(ctx, &pet));
	default:
		return reply_store_error(ctx);
	}
}

int petstore_delete_pet(struct apic_ctx *ctx, const struct petstore_delete_pet__params *in)
{
	struct petstore_pet pet;
	enum store_result got = store_get(app_store(ctx), ctx, in->pet_id, &pet);

	if (got != STORE_OK && got != STORE_NOT_FOUND)
		return reply_store_error(ctx);
	switch (got == STORE_OK ? store_delete(app_store(ctx), ctx, in->pet_id) : STORE_NOT_FOUND) {
	case STORE_OK:
		publish(ctx, PETSTORE_PET_EVENT_TYPE_DELETED, &pet);
		return petstore_delete_pet__reply_204(ctx);
	case STORE_NOT_FOUND:
		return petstore_delete_pet__reply_404(ctx, not_found(ctx, in->pet_id));
	default:
		return reply_store_error(ctx);
	}
}

/* The Bearer scheme: one shared token. */
static enum apic_auth_result verify_token(struct apic_ctx *ctx, const struct apic_credential *cred,
					  void *cls, void **principal)
{
	const struct app *app = cls;
	unsigned char hash[crypto_generichash_BYTES];

	(void)ctx;
	if (app->token == NULL)
		return APIC_AUTH_INVALID;
	crypto_generichash(hash, sizeof hash, (const unsigned char *)cred->token.ptr,
			   cred->token.len, NULL, 0);
	if (sodium_memcmp(hash, app->token_hash, sizeof hash) != 0)
		return APIC_AUTH_INVALID;
	*principal = (void *)"admin";
	return APIC_AUTH_OK;
}

int main(int argc, char **argv)
{
	struct app app = { 0 };
	const char *db = "petstore.db", *sync = "full";
	struct apic_server *srv;
	int status;

	if (sodium_init() < 0) {
		fprintf(stderr, "petstore: libsodium failed to initialise\n");
		return 1;
	}
	srv = apic_server_new(&petstore_api);
	if (srv == NULL) {
		fprintf(stderr, "petstore: out of memory\n");
		return 1;
	}
	apic_server_add_option(srv, "db", "FILE",
			       "SQLite database file, created on first start (default petstore.db)", &db);
	apic_server_add_option(srv, "token", "TOKEN",
			       "bearer token that DELETE /pets/{petId} requires", &app.token);
	apic_server_add_option(srv, "sqlite-sync", "full|normal",
			       "full: a write is on disk before it is acknowledged (default);"
			       " normal: faster, a power loss may undo the last writes", &sync);
	status = apic_server_parse_args(srv, argc, argv);
	if (status == 0 && strcmp(sync, "full") != 0 && strcmp(sync, "normal") != 0) {
		fprintf(stderr, "petstore: --sqlite-sync: expected full or normal, got '%s'\n", sync);
		status = 2;
	}
	if (status != 0) {
		apic_server_free(srv);
		return status == APIC_ARGS_EXIT ? 0 : status;
	}
	if (apic_server_set_verifier(srv, "Bearer", verify_token, &app) != 0) {
		fprintf(stderr, "petstore: the schema has no security scheme 'Bearer'\n");
		apic_server_free(srv);
		return 1;
	}
	if (app.token != NULL && app.token[0] == '\0')
		app.token = NULL;
	if (app.token == NULL)
		fprintf(stderr, "petstore: no --token (or APIC_TOKEN) given: DELETE answers 401\n");
	else
		crypto_generichash(app.token_hash, sizeof app.token_hash,
				   (const unsigned char *)app.token, strlen(app.token), NULL, 0);
	app.store = store_open(db, strcmp(sync, "full") == 0);
	app.events = apic_channel_new(srv, 1024);
	if (app.store == NULL || app.events == NULL) {
		apic_server_free(srv);
		apic_channel_free(app.events);
		if (app.store)
			store_close(app.store);
		return 1;
	}
	apic_server_set_user_data(srv, &app);
	status = apic_server_run(srv);
	apic_server_free(srv);
	apic_channel_free(app.events);
	store_close(app.store);
	return status;
}
