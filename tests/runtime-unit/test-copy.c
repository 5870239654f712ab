/* The generated ownership helpers (P_model__copy / __dup / __free, enum
 * __name / __parse) on the test API's models: every shape (strings, arrays
 * of scalars, of strings, of models, of arrays, maps of scalars and of
 * models, nested and recursive models). The source lives in malloc'd
 * buffers that are scribbled over and freed before the copy is read, so a
 * copy that still points into its source fails here (and under ASan and
 * valgrind); copies made with an allocator that runs out after k blocks
 * must fail cleanly for every k, leaving nothing to leak or double-free. */
#include "testapi.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static char *heap_str(const char *s)
{
	return strdup(s);
}

static void *heap_copy(const void *p, size_t n)
{
	void *d = malloc(n);
	memcpy(d, p, n);
	return d;
}

static struct testapi_inner *new_inner(int32_t n, const char *label)
{
	struct testapi_inner *in = calloc(1, sizeof *in);
	in->n = n;
	in->label = (struct apic_str){ heap_str(label), strlen(label) };
	in->has_label = true;
	return in;
}

static void free_inner(const struct testapi_inner *in)
{
	memset((void *)in->label.ptr, 'X', in->label.len);
	free((void *)in->label.ptr);
	free((void *)in);
}

/* A Collections value with every member set, all of it on the heap. */
static struct testapi_collections *new_collections(void)
{
	struct testapi_collections *c = calloc(1, sizeof *c);
	int32_t ints[] = { 1, 2, 3 };
	c->ints = heap_copy(ints, sizeof ints), c->ints_count = 3, c->has_ints = true;
	c->uniq = calloc(2, sizeof *c->uniq), c->uniq_count = 2, c->has_uniq = true;
	c->uniq[0] = (struct apic_str){ heap_str("alpha"), 5 };
	c->uniq[1] = (struct apic_str){ heap_str("be\0ta"), 5 }; /* strdup stops at NUL: "be" + len 5 */
	free((void *)c->uniq[1].ptr);
	c->uniq[1].ptr = heap_copy("be\0ta", 6);
	c->objs = calloc(2, sizeof *c->objs), c->objs_count = 2, c->has_objs = true;
	c->objs[0] = new_inner(4, "four");
	c->objs[1] = new_inner(5, "five");
	c->nested = calloc(2, sizeof *c->nested), c->nested_count = 2, c->has_nested = true;
	int32_t a[] = { 7, 8 }, b[] = { 9 };
	c->nested[0] = (struct testapi_collections_nested_item){ heap_copy(a, sizeof a), 2 };
	c->nested[1] = (struct testapi_collections_nested_item){ heap_copy(b, sizeof b), 1 };
	c->dict = calloc(1, sizeof *c->dict), c->dict_count = 1, c->has_dict = true;
	c->dict[0] = (struct testapi_collections_dict_entry){ { heap_str("k"), 1 }, 42 };
	c->models = calloc(1, sizeof *c->models), c->models_count = 1, c->has_models = true;
	c->models[0] = (struct testapi_collections_models_entry){ { heap_str("m"), 1 }, new_inner(6, "six") };
	enum testapi_color colors[] = { TESTAPI_COLOR_BLUE };
	c->colors = heap_copy(colors, sizeof colors), c->colors_count = 1, c->has_colors = true;
	return c;
}

/* Scribbles over the source and frees it, as the end of a request does. */
static void free_collections(struct testapi_collections *c)
{
	memset(c->ints, 0, c->ints_count * sizeof *c->ints);
	free(c->ints);
	for (size_t i = 0; i < c->uniq_count; i++)
		free((void *)c->uniq[i].ptr);
	free(c->uniq);
	for (size_t i = 0; i < c->objs_count; i++)
		free_inner(c->objs[i]);
	free(c->objs);
	for (size_t i = 0; i < c->nested_count; i++)
		free(c->nested[i].items);
	free(c->nested);
	free((void *)c->dict[0].key.ptr);
	free(c->dict);
	free((void *)c->models[0].key.ptr);
	free_inner(c->models[0].value);
	free(c->models);
	free(c->colors);
	memset(c, 0, sizeof *c);
	free(c);
}

static bool str_is(struct apic_str s, const char *want, size_t len)
{
	return s.ptr && s.len == len && memcmp(s.ptr, want, len) == 0 && s.ptr[len] == '\0';
}

static bool collections_ok(const struct testapi_collections *c)
{
	return c->ints_count == 3 && c->ints[2] == 3 && c->has_ints && c->uniq_count == 2 &&
	       str_is(c->uniq[0], "alpha", 5) && str_is(c->uniq[1], "be\0ta", 5) && c->objs_count == 2 &&
	       c->objs[1]->n == 5 && str_is(c->objs[1]->label, "five", 4) && c->nested_count == 2 &&
	       c->nested[0].count == 2 && c->nested[0].items[1] == 8 && c->nested[1].items[0] == 9 &&
	       c->dict_count == 1 && str_is(c->dict[0].key, "k", 1) && c->dict[0].value == 42 &&
	       c->models_count == 1 && str_is(c->models[0].key, "m", 1) && c->models[0].value->n == 6 &&
	       str_is(c->models[0].value->label, "six", 3) && c->colors_count == 1 &&
	       c->colors[0] == TESTAPI_COLOR_BLUE && c->minmax == NULL && c->minmax_count == 0;
}

/* A heap allocator that refuses after `budget` blocks. */
static long budget;

static void *tight_alloc(void *cls, size_t size)
{
	(void)cls;
	if (budget-- <= 0)
		return NULL;
	return calloc(1, size);
}

/* A bump allocator over a static block: never freed one by one. */
static _Alignas(max_align_t) char pool[1 << 16];
static size_t used;

static void *bump_alloc(void *cls, size_t size)
{
	(void)cls;
	size = (size + 15) & ~(size_t)15;
	if (used + size > sizeof pool)
		return NULL;
	void *p = pool + used;
	used += size;
	memset(p, 0, size);
	return p;
}

static struct testapi_node *node(int32_t v, size_t nchildren)
{
	struct testapi_node *n = calloc(1, sizeof *n);
	n->value = v;
	if (nchildren) {
		n->children = calloc(nchildren, sizeof *n->children);
		n->children_count = nchildren;
		n->has_children = true;
	}
	return n;
}

static void free_node(const struct testapi_node *n)
{
	for (size_t i = 0; i < n->children_count; i++)
		free_node(n->children[i]);
	free((void *)n->children);
	memset((void *)n, 0xAB, sizeof *n);
	free((void *)n);
}

/* Unions: a model branch in a field, a string and an array branch as map values. */
static struct testapi_u_order *new_order(void)
{
	struct testapi_u_order *o = calloc(1, sizeof *o);
	struct testapi_u_card *card = calloc(1, sizeof *card);
	card->kind = (struct apic_str){ heap_str("card"), 4 };
	card->number = (struct apic_str){ heap_str("1234"), 4 };
	o->pay = (struct testapi_u_payment){ .kind = TESTAPI_U_PAYMENT_CARD, .u.card = card };
	o->has_pay = true;
	o->contacts = calloc(2, sizeof *o->contacts);
	o->contacts_count = 2;
	o->contacts[0].key = (struct apic_str){ heap_str("a"), 1 };
	o->contacts[0].value.kind = TESTAPI_U_CONTACT_STRING;
	o->contacts[0].value.u.string = (struct apic_str){ heap_str("a@b.co"), 6 };
	int32_t nums[] = { 1, 2, 3 };
	o->contacts[1].key = (struct apic_str){ heap_str("b"), 1 };
	o->contacts[1].value.kind = TESTAPI_U_CONTACT_ARRAY;
	o->contacts[1].value.u.array = (struct testapi_u_contact_array){ heap_copy(nums, sizeof nums), 3 };
	return o;
}

static bool order_ok(const struct testapi_u_order *o)
{
	const struct testapi_u_contact *a = &o->contacts[0].value, *b = &o->contacts[1].value;
	return o->has_pay && o->pay.kind == TESTAPI_U_PAYMENT_CARD && o->pay.u.card &&
	       o->pay.u.card->number.len == 4 && !memcmp(o->pay.u.card->number.ptr, "1234", 4) &&
	       o->contacts_count == 2 && a->kind == TESTAPI_U_CONTACT_STRING && a->u.string.len == 6 &&
	       !memcmp(a->u.string.ptr, "a@b.co", 6) && b->kind == TESTAPI_U_CONTACT_ARRAY &&
	       b->u.array.count == 3 && b->u.array.items[2] == 3;
}

static void scribble_order(struct testapi_u_order *o)
{
	struct testapi_u_card *card = (struct testapi_u_card *)o->pay.u.card;
	memset((void *)card->number.ptr, 'X', card->number.len);
	memset((void *)o->contacts[0].value.u.string.ptr, 'X', 6);
	o->contacts[1].value.u.array.items[2] = -1;
	testapi_u_order__free(o);
}

int main(void)
{
	/* A heap copy outlives its source. */
	struct testapi_collections *src = new_collections();
	ok(collections_ok(src), "the source is what the checks expect");
	struct testapi_collections *copy = testapi_collections__dup(src, &apic_heap_allocator);
	free_collections(src);
	ok(copy && collections_ok(copy), "a heap copy of every shape survives its source");
	testapi_collections__free(copy);

	/* Out of memory at every step: -1 or NULL, nothing leaked, the source intact. */
	src = new_collections();
	int failures = 0, successes = 0;
	bool source_intact = true;
	struct apic_allocator tight = { tight_alloc, NULL, true };
	for (long k = 0; k < 40; k++) {
		budget = k;
		struct testapi_collections c;
		if (testapi_collections__copy(&c, src, &tight) == 0) {
			successes += collections_ok(&c);
			testapi_collections__free_members(&c);
		} else {
			failures++;
			struct testapi_collections zero = { 0 };
			source_intact &= memcmp(&c, &zero, sizeof c) == 0;
		}
		source_intact &= collections_ok(src);
	}
	ok(failures > 10 && successes > 0, "copies fail cleanly when memory runs out (%d failed, %d made)",
	   failures, successes);
	ok(source_intact, "a failed copy is left empty and the source untouched");

	/* Arrays of models, as reply bodies take them. */
	struct testapi_collections *arr = NULL;
	ok(testapi_collections__copy_array(&arr, src, 1, &apic_heap_allocator) == 0 && arr &&
		   collections_ok(&arr[0]),
	   "__copy_array copies an array of models");
	free_collections(src);
	ok(arr && collections_ok(&arr[0]), "which outlives its source too");
	testapi_collections__free_array(arr, 1);
	ok(testapi_collections__copy_array(&arr, NULL, 0, &apic_heap_allocator) == 0 && arr == NULL,
	   "an empty array copies to NULL");

	/* A recursive model, into an allocator that is not the heap. */
	struct testapi_node *root = node(1, 2);
	root->children[0] = node(2, 1);
	((struct testapi_node *)root->children[0])->children[0] = node(3, 0);
	root->children[1] = node(4, 0);
	struct apic_allocator bump = { bump_alloc, NULL, false };
	struct testapi_node *tree = testapi_node__dup(root, &bump);
	free_node(root);
	ok(tree && tree->value == 1 && tree->children_count == 2 && tree->children[0]->value == 2 &&
		   tree->children[0]->children[0]->value == 3 && tree->children[1]->value == 4 &&
		   (char *)tree >= pool && (char *)tree < pool + sizeof pool,
	   "a recursive model copies into a caller's allocator");

	/* Unions follow the branch they hold. */
	struct testapi_u_order *order = new_order();
	ok(order_ok(order), "the union source is what the checks expect");
	struct testapi_u_order *ocopy = testapi_u_order__dup(order, &apic_heap_allocator);
	scribble_order(order);
	ok(ocopy && order_ok(ocopy), "a copy of union members (model, string, array branches) survives its source");
	testapi_u_order__free(ocopy);
	order = new_order();
	failures = successes = 0;
	for (long k = 0; k < 20; k++) {
		budget = k;
		struct testapi_u_order c;
		if (testapi_u_order__copy(&c, order, &tight) == 0) {
			successes += order_ok(&c);
			testapi_u_order__free_members(&c);
		} else {
			failures++;
		}
	}
	ok(failures > 3 && successes > 0 && order_ok(order),
	   "union copies fail cleanly when memory runs out (%d failed, %d made)", failures, successes);
	testapi_u_order__free(order);

	/* Enum names. */
	is_str(testapi_color__name(TESTAPI_COLOR_GREEN), "green", "__name gives the member's name");
	ok(testapi_color__name(TESTAPI_COLOR__UNSET) == NULL, "__name of __UNSET is NULL");
	is_int(testapi_color__parse("blue", 4), TESTAPI_COLOR_BLUE, "__parse finds a member");
	is_int(testapi_color__parse("bluex", 4), TESTAPI_COLOR_BLUE, "by length, not by NUL");
	is_int(testapi_color__parse("mauve", 5), TESTAPI_COLOR__UNSET, "__parse of a non-member is __UNSET");
	return tap_done();
}
