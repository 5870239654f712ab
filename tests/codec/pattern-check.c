/* Reads [pattern, string, ECMA-262 verdict] lines (patterns.cjs) on stdin
 * and prints TAP: for each pattern, apic_pattern_match() agrees on every
 * string. validate.c is compiled in (apic__patterns_compile is internal). */
#include "codec.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char line[16384];
	char cur[1024] = "";
	struct apic_pattern pat = { NULL, NULL };
	struct apic_pattern *list[] = { &pat };
	struct apic_api api = { .patterns = list, .npatterns = 1 };
	int n = 0, failed = 0, agree = 0, differ = 0, matched = 0;
	bool have = false, bad = false;
	char err[512];
	for (;;) {
		bool more = fgets(line, sizeof line, stdin) != NULL;
		struct json_object *a = more ? json_tokener_parse(line) : NULL;
		const char *p = a ? json_object_get_string(json_object_array_get_idx(a, 0)) : NULL;
		if (have && (!more || strcmp(p, cur) != 0)) {
			bool ok = !bad && differ == 0;
			failed |= !ok;
			printf("%s %d - /%s/u: %d strings agree (%d match), %d differ%s%s\n",
			       ok ? "ok" : "not ok", ++n, cur, agree, matched, differ,
			       bad ? ": " : "", bad ? err : "");
			apic__patterns_free(&api);
			have = false;
		}
		if (!more)
			break;
		if (!have) {
			snprintf(cur, sizeof cur, "%s", p);
			pat.source = cur;
			bad = apic__patterns_compile(&api, err, sizeof err) != 0;
			agree = differ = matched = 0;
			have = true;
		}
		struct json_object *s = json_object_array_get_idx(a, 1);
		bool want = json_object_get_boolean(json_object_array_get_idx(a, 2));
		if (!bad) {
			bool got = apic_pattern_match(&pat, json_object_get_string(s),
						      (size_t)json_object_get_string_len(s));
			matched += want;
			if (got == want)
				agree++;
			else if (++differ <= 5)
				printf("# /%s/u on %s: ECMA-262 %s, apic %s\n", cur,
				       json_object_to_json_string(s), want ? "matches" : "does not match",
				       got ? "matches" : "does not match");
		}
		json_object_put(a);
	}
	printf("1..%d\n", n);
	return failed;
}
