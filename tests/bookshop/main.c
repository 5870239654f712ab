/* The bookshop's main(): the server as its command line and environment ask
 * (./bookshop --help lists every flag with its default). */
#include "app.h"

int main(int argc, char **argv)
{
	struct app app = { .api_key = NULL };
	struct apic_server *srv = apic_server_new(&bookshop_api);

	if (srv == NULL)
		return 1;
	if (app_setup(srv, &app) != 0) {
		apic_server_free(srv);
		return 1;
	}
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0)
		rc = apic_server_run(srv);
	else if (rc == APIC_ARGS_EXIT)
		rc = 0;
	apic_server_free(srv);
	app_teardown(&app);
	return rc;
}
