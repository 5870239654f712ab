/* Reads [format, string, ajv's verdict] lines (formats.cjs) on stdin and
 * prints TAP: per format, apic_format_valid() must agree on every string. */
#include "apic_gen.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = { "email", "uuid", "date", "date-time", "uri",
				     "ipv4", "ipv6", "hostname", "uri-reference" };
static const enum apic_format fmts[] = { APIC_FMT_EMAIL, APIC_FMT_UUID, APIC_FMT_DATE,
					 APIC_FMT_DATE_TIME, APIC_FMT_URI, APIC_FMT_IPV4,
					 APIC_FMT_IPV6, APIC_FMT_HOSTNAME, APIC_FMT_URI_REFERENCE };
#define NFMT (int)(sizeof fmts / sizeof *fmts)

int main(void)
{
	char line[16384];
	int agree[NFMT] = { 0 }, differ[NFMT] = { 0 }, valid[NFMT] = { 0 };
	while (fgets(line, sizeof line, stdin)) {
		struct json_object *a = json_tokener_parse(line);
		if (!json_object_is_type(a, json_type_array) || json_object_array_length(a) != 3) {
			printf("Bail out! bad input line: %s", line);
			return 1;
		}
		const char *fmt = json_object_get_string(json_object_array_get_idx(a, 0));
		struct json_object *s = json_object_array_get_idx(a, 1);
		bool want = json_object_get_boolean(json_object_array_get_idx(a, 2));
		for (int i = 0; i < NFMT; i++) {
			if (strcmp(fmt, names[i]) != 0)
				continue;
			bool got = apic_format_valid(fmts[i], json_object_get_string(s),
						     (size_t)json_object_get_string_len(s));
			valid[i] += want;
			if (got == want) {
				agree[i]++;
			} else if (++differ[i] <= 10) {
				printf("# %s %s: ajv %s, apic %s\n", fmt, json_object_to_json_string(s),
				       want ? "valid" : "invalid", got ? "valid" : "invalid");
			}
		}
		json_object_put(a);
	}
	int failed = 0;
	printf("1..%d\n", NFMT);
	for (int i = 0; i < NFMT; i++) {
		bool ok = differ[i] == 0 && agree[i] > 0;
		failed |= !ok;
		printf("%s %d - format %s: %d strings agree with ajv-formats (%d valid), %d differ\n",
		       ok ? "ok" : "not ok", i + 1, names[i], agree[i], valid[i], differ[i]);
	}
	return failed;
}
