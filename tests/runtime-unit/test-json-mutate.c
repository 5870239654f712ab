/* Mutation smoke test of the strict JSON front end through the whole
 * pipeline: 20,000 deterministic mutations of valid documents (byte flips,
 * JSON-significant insertions, cuts). Every answer must be 200 or 400, and
 * what was accepted must be valid JSON that json-c re-reads to the same
 * text. Run under ASan/UBSan in the sanitizer build. */
#include "apic_test.h"
#include "../http/handapi.h"
#include "tap.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static const char *const seeds[] = {
	"{\"name\":\"rex\",\"tags\":[\"a\",\"b\"],\"n\":[1,-2.5e3,0,true,false,null]}",
	"[{\"a\":{\"b\":{\"c\":[]}}},\"\\u00e9\\ud83d\\ude00\",\"\xc3\xa9\xe2\x82\xac\"]",
	"  {\"k\\\"ey\":\"v\\n\\t\\/\",\"x\":18446744073709551615,\"y\":-9223372036854775808}  ",
	"12345",
	"\"just a string\"",
};

static const char *const inserts[] = {
	"\"", "\\", "{", "}", "[", "]", ",", ":", "-", "0", "1e", ".", "\\u", "\\ud800",
	"NaN", "Infinity", "\x00", "\x1f", "\xff", "\xc0\xaf", "\xed\xa0\x80", "'", " ", "1e999",
	"\"a\":1,\"a\":2", "00", "\\u0000",
};

int main(void)
{
	struct apic_tester *t = apic_tester_new(&handapi_api);
	if (!ok(t != NULL, "tester"))
		return tap_done();
	static const char *const ct[] = { "Content-Type", "application/json", NULL };
	unsigned bad_status = 0, bad_echo = 0, accepted = 0, rejected = 0;
	char doc[512];
	for (int i = 0; i < 20000; i++) {
		const char *seed = seeds[next() % (sizeof seeds / sizeof seeds[0])];
		size_t n = strlen(seed);
		memcpy(doc, seed, n);
		int edits = 1 + (int)(next() % 3);
		for (int e = 0; e < edits; e++) {
			size_t pos = n ? next() % (n + 1) : 0;
			switch (next() % 4) {
			case 0: /* flip a byte */
				if (pos < n)
					doc[pos] = (char)(next() & 0xff);
				break;
			case 1: { /* insert something JSON cares about */
				const char *ins = inserts[next() % (sizeof inserts / sizeof inserts[0])];
				size_t il = ins[0] ? strlen(ins) : 1;
				if (n + il < sizeof doc) {
					memmove(doc + pos + il, doc + pos, n - pos);
					memcpy(doc + pos, ins, il);
					n += il;
				}
				break;
			}
			case 2: /* cut */
				n = pos;
				break;
			default: /* delete one byte */
				if (pos < n) {
					memmove(doc + pos, doc + pos + 1, n - pos - 1);
					n--;
				}
			}
		}
		struct apic_test_request rq = { "PUT", "/api/echo", ct, doc, n };
		struct apic_test_response rs;
		if (apic_tester_run(t, &rq, &rs) != 0) {
			bad_status++;
			continue;
		}
		if (rs.status == 200) {
			accepted++;
			/* Accepted: json-c must re-read its own rendering strictly. */
			if (rs.body && strcmp(rs.body, "none") != 0) {
				struct json_tokener *tok = json_tokener_new();
				json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
				struct json_object *o = json_tokener_parse_ex(tok, rs.body, (int)rs.body_len + 1);
				if (o == NULL && rs.body_len && strcmp(rs.body, "null") != 0)
					bad_echo++;
				json_object_put(o);
				json_tokener_free(tok);
			}
		} else if (rs.status == 400) {
			rejected++;
			if (!rs.body || !strstr(rs.body, "malformed JSON at byte "))
				bad_status++;
		} else {
			bad_status++;
		}
		apic_test_response_free(&rs);
	}
	is_int(bad_status, 0, "every mutation answered 200 or 400 with an offset");
	is_int(bad_echo, 0, "everything accepted is valid JSON");
	ok(accepted > 100 && rejected > 1000, "both verdicts occur (%u accepted, %u rejected)", accepted, rejected);
	apic_tester_free(t);
	return tap_done();
}
