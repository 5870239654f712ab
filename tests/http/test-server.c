/* The hand-written API as a real server: what tests/http/test-http starts
 * on loopback. `--custom-errors` serves the API's own error shape. */
#include "handapi.h"

#include <string.h>

int main(int argc, char **argv)
{
	bool custom = argc > 1 && strcmp(argv[1], "--custom-errors") == 0;
	if (custom) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	struct apic_server *srv = apic_server_new(custom ? &handapi_api_custom : &handapi_api);
	if (srv == NULL || handapi_setup(srv) != 0)
		return 1;
	const char *greeting = "hello";
	apic_server_add_option(srv, "greeting", "TEXT", "an application option", &greeting);
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0)
		rc = apic_server_run(srv);
	else if (rc == APIC_ARGS_EXIT)
		rc = 0;
	apic_server_free(srv);
	return rc;
}
