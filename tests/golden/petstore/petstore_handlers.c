/* Handlers of the API in schemas/petstore.apic, written once by apic 0.1.0.
 * This file is yours: `apic generate` never rewrites it. An operation
 * missing here still builds and answers 501 Not Implemented; `apic
 * stubs --append` adds the stubs of operations added to the schema.
 * Everything a handler gets lives until its reply is sent (libapic(3),
 * MEMORY). */
#include "petstore.h"

/* GET /pets (listPets)
 * Parameters, decoded and validated:
 *   in->limit  int32_t  (query "limit", default 20)
 *   in->offset  int32_t  (query "offset", default 0)
 *   in->tag  struct apic_str  (query "tag", optional: in->has_tag)
 *   in->status  enum petstore_pet_status  (query "status", optional: in->has_status)
 * Replies (return the result):
 *   int petstore_list_pets__reply_200(struct apic_ctx *ctx, const struct petstore_pet *items, size_t count, const struct petstore_list_pets__reply_200_headers *headers)
 *   apic_ctx_reply_error(ctx, status, "message")
 */
int petstore_list_pets(struct apic_ctx *ctx, const struct petstore_list_pets__params *in)
{
	(void)in;
	return apic_reply_not_implemented(ctx);
}

/* POST /pets (createPet)
 * Parameters, decoded and validated:
 *   in->body  const struct petstore_pet *  (request body)
 * Replies (return the result):
 *   int petstore_create_pet__reply_201(struct apic_ctx *ctx, const struct petstore_pet *body, const struct petstore_create_pet__reply_201_headers *headers)
 *   int petstore_create_pet__reply_409(struct apic_ctx *ctx, const char *detail)
 *     (the API's error body with `detail`, as apic_ctx_reply_error())
 *   apic_ctx_reply_error(ctx, status, "message")
 */
int petstore_create_pet(struct apic_ctx *ctx, const struct petstore_create_pet__params *in)
{
	(void)in;
	return apic_reply_not_implemented(ctx);
}

/* GET /pets/events (petEvents)
 * Replies (return the result):
 *   int petstore_pet_events__reply_200(struct apic_ctx *ctx, struct apic_channel *channel)
 *     (opens the event stream of `channel`; events come from
 *     int petstore_pet_events__publish(struct apic_channel *channel, const struct petstore_pet_event *event))
 *   apic_ctx_reply_error(ctx, status, "message")
 */
int petstore_pet_events(struct apic_ctx *ctx, const struct petstore_pet_events__params *in)
{
	(void)in;
	return apic_reply_not_implemented(ctx);
}

/* GET /pets/{petId} (getPet)
 * Parameters, decoded and validated:
 *   in->pet_id  int64_t  (path "petId")
 * Replies (return the result):
 *   int petstore_get_pet__reply_200(struct apic_ctx *ctx, const struct petstore_pet *body)
 *   int petstore_get_pet__reply_404(struct apic_ctx *ctx, const char *detail)
 *     (the API's error body with `detail`, as apic_ctx_reply_error())
 *   apic_ctx_reply_error(ctx, status, "message")
 */
int petstore_get_pet(struct apic_ctx *ctx, const struct petstore_get_pet__params *in)
{
	(void)in;
	return apic_reply_not_implemented(ctx);
}

/* PUT /pets/{petId} (updatePet)
 * Parameters, decoded and validated:
 *   in->pet_id  int64_t  (path "petId")
 *   in->body  const struct petstore_pet *  (request body)
 * Replies (return the result):
 *   int petstore_update_pet__reply_200(struct apic_ctx *ctx, const struct petstore_pet *body)
 *   int petstore_update_pet__reply_404(struct apic_ctx *ctx, const char *detail)
 *     (the API's error body with `detail`, as apic_ctx_reply_error())
 *   int petstore_update_pet__reply_409(struct apic_ctx *ctx, const char *detail)
 *     (the API's error body with `detail`, as apic_ctx_reply_error())
 *   apic_ctx_reply_error(ctx, status, "message")
 */
int petstore_update_pet(struct apic_ctx *ctx, const struct petstore_update_pet__params *in)
{
	(void)in;
	return apic_reply_not_implemented(ctx);
}

/* DELETE /pets/{petId} (deletePet)
 * Parameters, decoded and validated:
 *   in->pet_id  int64_t  (path "petId")
 * Replies (return the result):
 *   int petstore_delete_pet__reply_204(struct apic_ctx *ctx)
 *   int petstore_delete_pet__reply_404(struct apic_ctx *ctx, const char *detail)
 *     (the API's error body with `detail`, as apic_ctx_reply_error())
 *   apic_ctx_reply_error(ctx, status, "message")
 */
int petstore_delete_pet(struct apic_ctx *ctx, const struct petstore_delete_pet__params *in)
{
	(void)in;
	return apic_reply_not_implemented(ctx);
}

int main(int argc, char **argv)
{
	return apic_main(&petstore_api, argc, argv, NULL);
}
