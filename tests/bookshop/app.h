/* The bookshop's application: what main() and the tests set up alike. */
#ifndef APP_H
#define APP_H

#include "bookshop.h"
#include "store.h"

/* The state the handlers share: apic_ctx_user_data(ctx). */
struct app {
	const char *api_key; /* --api-key: what the writes need; none: no write is allowed */
	struct store store;
};

/* Declares the application's options, opens the store, hands `app` to the
 * handlers and installs the ApiKey verifier. Before
 * apic_server_parse_args(). 0, or -1 (nothing to tear down then). */
int app_setup(struct apic_server *srv, struct app *app);

/* Frees the store, once the server is freed. */
void app_teardown(struct app *app);

#endif
