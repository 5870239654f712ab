/* Unit tests of the runtime codec helpers: strict text parsing (parse.c),
 * formats, patterns, code points and JSON equality (validate.c), and JSON
 * writing (jsonbuf.c): the escaping table and the double round trip. */
#include "codec.h"
#include "tap.h"

#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>

static void test_parse(void)
{
	int64_t v = 0;
	int32_t w = 0;
	double d = 0;
	bool b = false;
	ok(apic_parse_int64("0", 1, &v) && v == 0, "int64 0");
	ok(apic_parse_int64("-0", 2, &v) && v == 0, "int64 -0");
	ok(apic_parse_int64("9223372036854775807", 19, &v) && v == INT64_MAX, "int64 max");
	ok(apic_parse_int64("-9223372036854775808", 20, &v) && v == INT64_MIN, "int64 min");
	ok(!apic_parse_int64("9223372036854775808", 19, &v), "int64 max+1 rejected");
	ok(!apic_parse_int64("-9223372036854775809", 20, &v), "int64 min-1 rejected");
	static const char *const bad[] = { "", " 1", "1 ", "12abc", "+1", "01", "-", "1.0",
					   "0x10", "1e3", "--1", "٣" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(!apic_parse_int64(bad[i], strlen(bad[i]), &v), "int64 rejects '%s'", bad[i]);
	ok(apic_parse_int64("12", 1, &v) && v == 1, "int64 reads only n bytes");
	ok(apic_parse_int32("2147483647", 10, &w) && w == INT32_MAX, "int32 max");
	ok(!apic_parse_int32("2147483648", 10, &w), "int32 max+1 rejected");
	ok(apic_parse_int32("-2147483648", 11, &w) && w == INT32_MIN, "int32 min");
	ok(apic_parse_double("1.5", 3, &d) && d == 1.5, "double 1.5");
	ok(apic_parse_double("-0", 2, &d) && d == 0 && signbit(d), "double -0");
	ok(apic_parse_double("1e2", 3, &d) && d == 100, "double 1e2");
	ok(apic_parse_double("1E-2", 4, &d) && d == 0.01, "double 1E-2");
	static const char *const dbad[] = { "", "1.", ".5", "1e", "1e+", "nan", "inf", "Infinity",
					    "+1", "01", "0x1p3", "1e400", " 1", "1,5" };
	for (size_t i = 0; i < sizeof dbad / sizeof *dbad; i++)
		ok(!apic_parse_double(dbad[i], strlen(dbad[i]), &d), "double rejects '%s'", dbad[i]);
	ok(apic_parse_bool("true", 4, &b) && b, "bool true");
	ok(apic_parse_bool("false", 5, &b) && !b, "bool false");
	ok(!apic_parse_bool("True", 4, &b) && !apic_parse_bool("1", 1, &b) &&
	   !apic_parse_bool("", 0, &b) && !apic_parse_bool("truex", 5, &b), "bool rejects others");
}

struct fcase {
	enum apic_format f;
	const char *s;
	bool valid;
};

static void test_formats(void)
{
	/* Verdicts of ajv-formats 3.0.1 ("full" mode), checked by hand against
	 * its source; tests/diff runs ajv itself against the generated decoders. */
	static const struct fcase c[] = {
		{ APIC_FMT_EMAIL, "a@b.co", true },
		{ APIC_FMT_EMAIL, "A.B+C@EXAMPLE.COM", true },
		{ APIC_FMT_EMAIL, "a@b", false },
		{ APIC_FMT_EMAIL, "a..b@c.de", false },
		{ APIC_FMT_EMAIL, "a@-b.de", false },
		{ APIC_FMT_EMAIL, "a@b.de\t", false },
		{ APIC_FMT_EMAIL, "\xc3\xa9@b.de", false },
		{ APIC_FMT_UUID, "123e4567-e89b-12d3-a456-426614174000", true },
		{ APIC_FMT_UUID, "URN:UUID:123E4567-E89B-12D3-A456-426614174000", true },
		{ APIC_FMT_UUID, "123e4567-e89b-12d3-a456-42661417400", false },
		{ APIC_FMT_UUID, "{123e4567-e89b-12d3-a456-426614174000}", false },
		{ APIC_FMT_DATE, "2024-02-29", true },
		{ APIC_FMT_DATE, "1900-02-29", false },
		{ APIC_FMT_DATE, "2000-02-29", true },
		{ APIC_FMT_DATE, "2024-04-31", false },
		{ APIC_FMT_DATE, "2024-00-10", false },
		{ APIC_FMT_DATE, "2024-1-10", false },
		{ APIC_FMT_DATE, "2024-01-10 ", false },
		{ APIC_FMT_DATE_TIME, "2024-01-01T00:00:00Z", true },
		{ APIC_FMT_DATE_TIME, "2024-01-01t00:00:00z", true },
		{ APIC_FMT_DATE_TIME, "2024-01-01 00:00:00+01:00", true },
		{ APIC_FMT_DATE_TIME, "2024-01-01T00:00:00.123456789-0130", true },
		{ APIC_FMT_DATE_TIME, "2024-01-01T00:00:00+01", true },
		{ APIC_FMT_DATE_TIME, "2024-01-01\xc2\xa0" "00:00:00Z", true },
		{ APIC_FMT_DATE_TIME, "2024-01-01T00:00:00", false },
		{ APIC_FMT_DATE_TIME, "2024-01-01T00:00:00.Z", false },
		{ APIC_FMT_DATE_TIME, "2024-01-01T00:00Z", false },
		{ APIC_FMT_DATE_TIME, "2024-01-01T23:59:60Z", true },
		{ APIC_FMT_DATE_TIME, "2024-01-01T22:59:60-01:00", true },
		{ APIC_FMT_DATE_TIME, "2024-01-01T23:59:60+01:00", false },
		{ APIC_FMT_DATE_TIME, "2024-01-01T23:59:61Z", false },
		{ APIC_FMT_DATE_TIME, "2024-01-01T00:00:00+24:00", false },
		{ APIC_FMT_DATE_TIME, "2024-01-01T00:00:00+01:60", false },
		{ APIC_FMT_DATE_TIME, "2024-01-01TT00:00:00Z", false },
		{ APIC_FMT_URI, "http://example.com", true },
		{ APIC_FMT_URI, "HTTP://EXAMPLE.COM/%7Efoo?x=1#top", true },
		{ APIC_FMT_URI, "mailto:a@b.c", true },
		{ APIC_FMT_URI, "urn:isbn:0451450523", true },
		{ APIC_FMT_URI, "http://[::1]:8080/", true },
		{ APIC_FMT_URI, "http://192.168.0.1/", true },
		{ APIC_FMT_URI, "example.com", false },
		{ APIC_FMT_URI, "/relative/path", false },
		{ APIC_FMT_URI, "http://exa mple.com", false },
		{ APIC_FMT_URI, "1http://x", false },
		{ APIC_FMT_URI, "http://x/%zz", false },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++)
		ok(apic_format_valid(c[i].f, c[i].s, strlen(c[i].s)) == c[i].valid,
		   "format %d: '%s' is %s", (int)c[i].f, c[i].s, c[i].valid ? "valid" : "invalid");
}

static void test_patterns(void)
{
	struct apic_pattern p1 = { "^[a-z]+$", NULL }, p2 = { "\\p{L}", NULL },
			    p3 = { "b.c", NULL }, p4 = { "^\\u00e9$", NULL }, bad = { "(", NULL };
	struct apic_pattern *list[] = { &p1, &p2, &p3, &p4 };
	struct apic_api api = { .patterns = list, .npatterns = 4 };
	char err[256] = "";
	ok(apic__patterns_compile(&api, err, sizeof err) == 0, "patterns compile (%s)", err);
	ok(apic_pattern_match(&p1, "abc", 3), "anchored match");
	ok(!apic_pattern_match(&p1, "abc\n", 4), "$ does not match before a final newline");
	ok(!apic_pattern_match(&p1, "ab1", 3), "anchored mismatch");
	ok(apic_pattern_match(&p1, "abcd", 3), "matches only n bytes");
	ok(apic_pattern_match(&p2, "1\xc3\xa9", 3), "unanchored search, Unicode property");
	ok(!apic_pattern_match(&p2, "123", 3), "no letter");
	ok(!apic_pattern_match(&p3, "b\nc", 3), ". does not match a line terminator");
	ok(!apic_pattern_match(&p3, "b\xe2\x80\xa8" "c", 5), ". does not match U+2028");
	ok(apic_pattern_match(&p4, "\xc3\xa9", 2), "\\u escapes as in ECMA-262");
	apic__patterns_free(&api);
	ok(p1.code == NULL, "freed patterns reset");
	struct apic_pattern *list2[] = { &p1, &bad };
	struct apic_api api2 = { .patterns = list2, .npatterns = 2 };
	ok(apic__patterns_compile(&api2, err, sizeof err) == -1 && strstr(err, "\"(\"") &&
	   p1.code == NULL, "a bad pattern is reported and nothing stays compiled: %s", err);
}

static void test_utf8_count(void)
{
	ok(apic_utf8_count("", 0) == 0, "count empty");
	ok(apic_utf8_count("abc", 3) == 3, "count ASCII");
	ok(apic_utf8_count("\xe2\x82\xac\xf0\x9f\x98\x80", 7) == 2, "count 3- and 4-byte");
}

static struct json_object *parse(const char *s)
{
	return json_tokener_parse(s);
}

static void test_json_equal(void)
{
	static const char *const eq[][2] = {
		{ "1", "1.0" }, { "0", "-0" }, { "[1,{\"a\":[true,null]}]", "[1.0,{\"a\":[true,null]}]" },
		{ "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}" }, { "\"x\"", "\"x\"" },
		{ "9223372036854775807", "9223372036854775807" }, { "1e2", "100" },
	};
	static const char *const ne[][2] = {
		{ "1", "\"1\"" }, { "true", "1" }, { "[1,2]", "[2,1]" }, { "{\"a\":1}", "{\"a\":1,\"b\":1}" },
		{ "null", "false" }, { "\"a\"", "\"A\"" }, { "[]", "{}" }, { "1.5", "1" },
		{ "9223372036854775807", "18446744073709551615" },
	};
	for (size_t i = 0; i < sizeof eq / sizeof *eq; i++) {
		struct json_object *a = parse(eq[i][0]), *b = parse(eq[i][1]);
		ok(apic_json_equal(a, b) && apic_json_equal(b, a), "%s == %s", eq[i][0], eq[i][1]);
		json_object_put(a);
		json_object_put(b);
	}
	for (size_t i = 0; i < sizeof ne / sizeof *ne; i++) {
		struct json_object *a = parse(ne[i][0]), *b = parse(ne[i][1]);
		ok(!apic_json_equal(a, b) && !apic_json_equal(b, a), "%s != %s", ne[i][0], ne[i][1]);
		json_object_put(a);
		json_object_put(b);
	}
}

static void test_buf_str(void)
{
	struct apic_buf b = { 0 };
	/* every byte 0x00..0x7F */
	char all[128];
	for (int i = 0; i < 128; i++)
		all[i] = (char)i;
	apic_buf_str(&b, all, 128);
	is_bytes(b.p, b.len,
		 "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
		 "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
		 " !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\u007f\"",
		 "escaping table of ASCII");
	static const struct {
		const char *in, *out, *name;
	} c[] = {
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "UTF-8 passes through" },
		{ "a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"", "U+2028 and U+2029 escaped" },
		{ "a\xff" "b", "\"a\xef\xbf\xbd" "b\"", "invalid byte -> U+FFFD" },
		{ "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"", "overlong: one U+FFFD per byte" },
		{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", "encoded surrogate rejected" },
		{ "\xe2\x82", "\"\xef\xbf\xbd\"", "truncated sequence: one U+FFFD" },
		{ "\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", "above U+10FFFF rejected" },
		{ "\xe2\x82x", "\"\xef\xbf\xbdx\"", "maximal subpart then ASCII" },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		b.len = 0;
		apic_buf_str(&b, c[i].in, strlen(c[i].in));
		is_bytes(b.p, b.len, c[i].out, c[i].name);
	}
	b.len = 0;
	apic_buf_str(&b, "a\0b", 3);
	is_bytes(b.p, b.len, "\"a\\u0000b\"", "NUL inside a string");
	free(b.p);
}

static void test_buf_numbers(void)
{
	struct apic_buf b = { 0 };
	static const struct {
		int64_t v;
		const char *s;
	} iv[] = { { 0, "0" }, { -1, "-1" }, { INT64_MAX, "9223372036854775807" },
		   { INT64_MIN, "-9223372036854775808" } };
	for (size_t i = 0; i < sizeof iv / sizeof *iv; i++) {
		b.len = 0;
		apic_buf_i64(&b, iv[i].v);
		is_bytes(b.p, b.len, iv[i].s, iv[i].s);
	}
	static const struct {
		double v;
		const char *s;
	} dv[] = { { 0.0, "0" }, { -0.0, "-0" }, { 0.1, "0.1" }, { 1.0 / 3, "0.3333333333333333" },
		   { 1e300, "1e+300" }, { 5e-324, "4.94065645841247e-324" }, { 100, "100" },
		   { 2.5, "2.5" }, { 9007199254740993.0, "9007199254740992" },
		   { 1.7976931348623157e308, "1.7976931348623157e+308" } };
	for (size_t i = 0; i < sizeof dv / sizeof *dv; i++) {
		b.len = 0;
		apic_buf_f64(&b, dv[i].v);
		is_bytes(b.p, b.len, dv[i].s, dv[i].s);
	}
	/* round trip of awkward doubles */
	unsigned long long seed = 88172645463325252ULL;
	int bad = 0;
	for (int i = 0; i < 20000; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		double d;
		memcpy(&d, &seed, sizeof d);
		if (!isfinite(d))
			continue;
		b.len = 0;
		apic_buf_f64(&b, d);
		apic_buf_put(&b, "", 1);
		if (strtod(b.p, NULL) != d)
			bad++;
	}
	ok(bad == 0, "20000 random doubles read back exactly (%d did not)", bad);
	b.len = 0;
	apic_buf_f64(&b, NAN);
	ok(b.oom, "NaN sets oom (the reply becomes a 500)");
	struct apic_buf c = { 0 };
	apic_buf_f64(&c, INFINITY);
	ok(c.oom && c.len == 0, "infinity sets oom");
	free(b.p);
	free(c.p);
}

int main(void)
{
	test_parse();
	test_formats();
	test_patterns();
	test_utf8_count();
	test_json_equal();
	test_buf_str();
	test_buf_numbers();
	return tap_done();
}
