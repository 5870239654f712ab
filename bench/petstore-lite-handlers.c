/* petstore-lite handlers: pets are computed from their id (no storage), so
 * the benchmark measures the generated decoders, encoders and the runtime.
 * The API is fixed by ../shared/bench/WORKLOAD.md. */
#include "petstore_lite.h"

#include <inttypes.h>
#include <stdio.h>

/* Every pet is pet <id>: name "pet-<id>", tag "dog", age 3. `name` must hold
 * 25 bytes ("pet-" + 20 digits + NUL). */
static void pet_fill(struct petstore_lite_pet *pet, int64_t id, char *name)
{
	int n = snprintf(name, 25, "pet-%" PRId64, id);

	pet->id = id;
	pet->name = (struct apic_str){ name, (size_t)n };
	pet->has_tag = true;
	pet->tag = (struct apic_str){ "dog", 3 };
	pet->age = 3;
}

int petstore_lite_get_pet(struct apic_ctx *ctx, const struct petstore_lite_get_pet__params *in)
{
	struct petstore_lite_pet pet = { 0 };
	char name[25];

	pet_fill(&pet, in->id, name);
	return petstore_lite_get_pet__reply_200(ctx, &pet);
}

int petstore_lite_list_pets(struct apic_ctx *ctx, const struct petstore_lite_list_pets__params *in)
{
	size_t n = (size_t)in->limit; /* 1..100: the decoder enforced it */
	struct petstore_lite_pet *pets = apic_ctx_alloc(ctx, n * sizeof *pets);
	char *names = apic_ctx_alloc(ctx, n * 25);

	if (pets == NULL || names == NULL)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	for (size_t i = 0; i < n; i++)
		pet_fill(&pets[i], (int64_t)i + 1, names + i * 25);
	return petstore_lite_list_pets__reply_200(ctx, pets, n);
}

int petstore_lite_create_pet(struct apic_ctx *ctx, const struct petstore_lite_create_pet__params *in)
{
	struct petstore_lite_pet pet = *in->body;

	pet.id = 1;
	return petstore_lite_create_pet__reply_201(ctx, &pet);
}

int main(int argc, char **argv)
{
	return apic_main(&petstore_lite_api, argc, argv, NULL);
}
