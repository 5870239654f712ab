/* The bookshop's set-up: options, shared state, verifiers (app.h). */
#include "app.h"

#include <string.h>

/* ApiKey: the X-Api-Key header must hold the key given with --api-key. */
static enum apic_auth_result verify_key(struct apic_ctx *ctx, const struct apic_credential *cred,
					void *cls, void **principal)
{
	const struct app *app = cls;
	unsigned char diff = 0;

	(void)ctx;
	if (app->api_key == NULL || strlen(app->api_key) != cred->token.len)
		return APIC_AUTH_INVALID;
	/* every byte compared: the time taken tells nothing about the key */
	for (size_t i = 0; i < cred->token.len; i++)
		diff |= (unsigned char)(app->api_key[i] ^ cred->token.ptr[i]);
	if (diff != 0)
		return APIC_AUTH_INVALID;
	*principal = (void *)app->api_key;
	return APIC_AUTH_OK;
}

int app_setup(struct apic_server *srv, struct app *app)
{
	if (store_init(&app->store) != 0)
		return -1;
	apic_server_add_option(srv, "api-key", "KEY", "the key (X-Api-Key) every write needs", &app->api_key);
	apic_server_set_user_data(srv, app);
	if (apic_server_set_verifier(srv, "ApiKey", verify_key, app) != 0) {
		store_fini(&app->store);
		return -1;
	}
	return 0;
}

void app_teardown(struct app *app)
{
	store_fini(&app->store);
}
