/* Handlers of the test API that answer with what was decoded, so a test
 * sees the decoders' output through the encoders. Shared by the decoder
 * table test and the decoder fuzz target. */
#include "testapi.h"

int testapi_echo_scalars(struct apic_ctx *ctx, const struct testapi_echo_scalars__params *in)
{
	return testapi_echo_scalars__reply_200(ctx, in->body);
}

int testapi_echo_modifiers(struct apic_ctx *ctx, const struct testapi_echo_modifiers__params *in)
{
	return testapi_echo_modifiers__reply_200(ctx, in->body);
}

int testapi_echo_collections(struct apic_ctx *ctx, const struct testapi_echo_collections__params *in)
{
	return testapi_echo_collections__reply_200(ctx, in->body);
}

int testapi_echo_node(struct apic_ctx *ctx, const struct testapi_echo_node__params *in)
{
	return testapi_echo_node__reply_200(ctx, in->body);
}

int testapi_echo_deep(struct apic_ctx *ctx, const struct testapi_echo_deep__params *in)
{
	return testapi_echo_deep__reply_200(ctx, in->body);
}

int testapi_echo_loose(struct apic_ctx *ctx, const struct testapi_echo_loose__params *in)
{
	if (!in->body)
		return testapi_echo_loose__reply_204(ctx);
	return testapi_echo_loose__reply_200(ctx, in->body);
}

int testapi_echo_list(struct apic_ctx *ctx, const struct testapi_echo_list__params *in)
{
	struct testapi_inner *items = apic_ctx_alloc(ctx, in->body_count * sizeof *items + 1);
	if (!items)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	for (size_t i = 0; i < in->body_count; i++)
		items[i] = *in->body[i];
	return testapi_echo_list__reply_200(ctx, items, in->body_count);
}

int testapi_echo_net_formats(struct apic_ctx *ctx, const struct testapi_echo_net_formats__params *in)
{
	return testapi_echo_net_formats__reply_200(ctx, in->body);
}

int testapi_echo_payment(struct apic_ctx *ctx, const struct testapi_echo_payment__params *in)
{
	return testapi_echo_payment__reply_200(ctx, in->body);
}

int testapi_echo_contact(struct apic_ctx *ctx, const struct testapi_echo_contact__params *in)
{
	return testapi_echo_contact__reply_200(ctx, in->body);
}

int testapi_echo_contacts(struct apic_ctx *ctx, const struct testapi_echo_contacts__params *in)
{
	return testapi_echo_contacts__reply_200(ctx, in->body, in->body_count);
}

int testapi_echo_order(struct apic_ctx *ctx, const struct testapi_echo_order__params *in)
{
	return testapi_echo_order__reply_200(ctx, in->body);
}

int testapi_union_mismatch(struct apic_ctx *ctx, const struct testapi_union_mismatch__params *in)
{
	(void)in;
	static const struct testapi_u_card card = { { "gift-card", 9 }, { "1234", 4 } };
	struct testapi_u_payment p = { .kind = TESTAPI_U_PAYMENT_CARD, .u.card = &card };
	return testapi_union_mismatch__reply_200(ctx, p);
}
