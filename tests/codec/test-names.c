/* names.c: the identifier rules of the naming contract and the collision
 * diagnostics (reported at both schema locations). */
#include "names.h"
#include "source.h"
#include "tap.h"

#include <stdlib.h>

static void snake(struct names *n, const char *in, const char *want)
{
	const char *got = names_snake(n, in);
	ok(strcmp(got, want) == 0, "snake '%s' -> '%s' (got '%s')", in, want, got);
}

int main(void)
{
	struct names *n = names_new("Pet-Store");
	ok(strcmp(names_prefix(n), "pet_store") == 0, "prefix lower-cased, '-' -> '_'");
	ok(strcmp(names_upper_prefix(n), "PET_STORE") == 0, "upper prefix");
	snake(n, "NewPet", "new_pet");
	snake(n, "petId", "pet_id");
	snake(n, "HTTPCode", "http_code");
	snake(n, "getPetsByPetIdToys", "get_pets_by_pet_id_toys");
	snake(n, "X-Trace-Id", "x_trace_id");
	snake(n, "int32", "int32");
	snake(n, "v2Name", "v2_name");
	snake(n, "a__b", "a_b");
	snake(n, "_x_", "x");
	snake(n, "default", "default_");
	snake(n, "errno", "errno_");
	snake(n, "Bool", "bool_");
	snake(n, "2nd", "n_2nd");
	snake(n, "caf\xc3\xa9", "caf");
	snake(n, "--", "x");
	ok(strcmp(names_upper(n, "veryHigh"), "VERY_HIGH") == 0, "upper veryHigh");
	names_free(n);

	struct names *d9 = names_new("9lives");
	ok(strcmp(names_prefix(d9), "x9lives") == 0, "a prefix never starts with a digit");
	names_free(d9);

	/* model Pet { petId: int32, pet_id?: string, hasX?: bool, x?: bool } */
	struct ast_type i32 = { .kind = TYPE_PRIM, .prim = PRIM_INT32 };
	struct ast_type str = { .kind = TYPE_PRIM, .prim = PRIM_STRING };
	struct ast_type bl = { .kind = TYPE_PRIM, .prim = PRIM_BOOL };
	struct ast_field f4 = { .name = "x", .type = &bl, .optional = true, .loc = { 0, 40, 1 } };
	struct ast_field f3 = { .next = &f4, .name = "hasX", .type = &bl, .loc = { 0, 30, 4 } };
	struct ast_field f2 = { .next = &f3, .name = "pet_id", .type = &str, .optional = true, .loc = { 0, 20, 6 } };
	struct ast_field f1 = { .next = &f2, .name = "petId", .type = &i32, .loc = { 0, 10, 5 } };
	struct ast_model pet = { .name = "Pet", .fields = &f1, .nfields = 4 };
	struct ast_model pet2 = { .next = NULL, .name = "pet", .loc = { 0, 50, 3 } };
	pet.next = &pet2;
	struct ast_schema s = { .models = &pet, .nmodels = 2 };
	struct source_table *src = src_new();
	static const char text[] = "model Pet { petId: int32 ... }\n";
	src_add_mem(src, "t.apic", text, sizeof text - 1);
	FILE *out = tmpfile();
	struct diag_ctx *d = diag_new(src, out);
	n = names_new("t");
	size_t errors = names_check(n, &s, d);
	ok(errors == 2, "two collisions: pet_id, struct t_pet (got %zu)", errors);
	diag_flush(d);
	rewind(out);
	char buf[8192];
	size_t len = fread(buf, 1, sizeof buf - 1, out);
	buf[len] = '\0';
	ok(strstr(buf, "field 'Pet.pet_id' and field 'Pet.petId' both become the C name 'pet_id'") != NULL,
	   "member collision named with both fields");
	ok(strstr(buf, "note: field 'Pet.petId' declared here") != NULL, "note at the first location");
	ok(strcmp(names_field(n, &f3), "has_x_") == 0,
	   "a field named like a generated member moves aside: has_x_");
	ok(strcmp(names_field(n, &f4), "x") == 0, "the generated member keeps its name");
	ok(strstr(buf, "model 'pet' and model 'Pet' both become the C name 't_pet'") != NULL,
	   "struct tag collision");
	if (tap_failed)
		printf("# diagnostics:\n# %s\n", buf);
	names_free(n);
	diag_free(d);
	fclose(out);

	/* get /pets { -> 204 { header "X-Next"?: string, "X_Next"?: string,
	 * "Has-X-Next"?: bool } }: the headers struct follows the same rules. */
	struct ast_param h3 = { .in = IN_HEADER, .name = "Has-X-Next", .type = &bl, .optional = true,
				.loc = { 0, 40, 10 } };
	struct ast_param h2 = { .next = &h3, .in = IN_HEADER, .name = "X_Next", .type = &str,
				.optional = true, .loc = { 0, 20, 6 } };
	struct ast_param h1 = { .next = &h2, .in = IN_HEADER, .name = "X-Next", .type = &str,
				.optional = true, .loc = { 0, 10, 6 } };
	struct ast_response r204 = { .status = 204, .headers = &h1 };
	struct ast_op op = { .id = "getPets", .path = "/pets", .responses = &r204 };
	struct ast_schema s2 = { .ops = &op, .nops = 1 };
	out = tmpfile();
	d = diag_new(src, out);
	n = names_new("t");
	errors = names_check(n, &s2, d);
	diag_flush(d);
	rewind(out);
	len = fread(buf, 1, sizeof buf - 1, out);
	buf[len] = '\0';
	ok(errors == 2, "response headers: X-Next and X_Next collide, twice (x_next, has_x_next; got %zu)",
	   errors);
	ok(strstr(buf, "response header 'X_Next' and response header 'X-Next' both become the C name 'x_next'") != NULL,
	   "header collision named with both headers");
	ok(strcmp(names_param(n, &h3), "has_x_next_") == 0,
	   "a header named like a generated member moves aside: has_x_next_");
	if (tap_failed)
		printf("# diagnostics:\n# %s\n", buf);
	names_free(n);
	diag_free(d);
	src_free(src);
	fclose(out);
	return tap_done();
}
