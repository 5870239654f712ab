/* The OpenAPI document the generated code stores gzipped, in-process on the
 * hand-written API: the test client gets the stored bytes as they are when
 * it accepts gzip and the inflated text otherwise, each with its own ETag
 * and 304; a damaged stream (truncated, a flipped byte, bytes after it, a
 * wrong length, not gzip) stops a real server's start and the test
 * client's requests, with a log line saying so, before anything is served. */
#include "apic_test.h"
#include "../http/handapi.h"
#include "tap.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const gzip_ae[] = { "Accept-Encoding", "gzip", NULL };

static void on_good_api(void)
{
	struct apic_tester *t = apic_tester_new(&handapi_api);
	struct apic_test_response plain, gz, r;
	ok(apic_tester_call(t, "GET", "/openapi.json", NULL, NULL, &plain) == 0 && plain.status == 200,
	   "/openapi.json: 200");
	is_str(plain.body, handapi_openapi, "without Accept-Encoding: the inflated text");
	ok(apic_test_response_header(&plain, "Content-Encoding") == NULL, "with no Content-Encoding");
	ok(apic_tester_call(t, "GET", "/openapi.json", gzip_ae, NULL, &gz) == 0 && gz.status == 200,
	   "with Accept-Encoding: gzip: 200");
	ok(gz.body_len == handapi_api.openapi_gz_len &&
	   memcmp(gz.body, handapi_api.openapi_gz, gz.body_len) == 0, "the stored bytes as they are");
	is_str(apic_test_response_header(&gz, "Content-Encoding"), "gzip", "Content-Encoding: gzip");
	is_str(apic_test_response_header(&gz, "Vary"), "Accept-Encoding", "Vary: Accept-Encoding");
	char *tag = strdup(apic_test_response_header(&plain, "ETag"));
	char *gztag = strdup(apic_test_response_header(&gz, "ETag"));
	ok(strcmp(tag, gztag) != 0, "the two ETags differ (%s, %s)", tag, gztag);

	const char *const inm_plain[] = { "If-None-Match", tag, NULL };
	apic_tester_call(t, "GET", "/openapi.json", inm_plain, NULL, &r);
	ok(r.status == 304 && r.body_len == 0, "If-None-Match with the text's tag: 304");
	apic_test_response_free(&r);
	const char *const inm_gz[] = { "If-None-Match", gztag, "Accept-Encoding", "gzip", NULL };
	apic_tester_call(t, "GET", "/openapi.json", inm_gz, NULL, &r);
	ok(r.status == 304 && r.body_len == 0, "with the gzip tag and gzip accepted: 304");
	apic_test_response_free(&r);
	const char *const inm_other[] = { "If-None-Match", tag, "Accept-Encoding", "gzip", NULL };
	apic_tester_call(t, "GET", "/openapi.json", inm_other, NULL, &r);
	ok(r.status == 200 && r.body_len == gz.body_len, "the text's tag when gzip is sent: 200, gzipped");
	apic_test_response_free(&r);

	free(tag);
	free(gztag);
	apic_test_response_free(&plain);
	apic_test_response_free(&gz);
	apic_tester_free(t);
}

/* stderr goes to a file while fn runs; its text, malloc'd. */
static char *stderr_of(int (*fn)(const struct apic_api *), const struct apic_api *api, int *rc)
{
	char path[] = "/tmp/apic-openapi-gz.XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	unlink(path);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	*rc = fn(api);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	off_t n = lseek(fd, 0, SEEK_END);
	char *text = calloc(1, (size_t)n + 1);
	if (pread(fd, text, (size_t)n, 0) != n)
		text[0] = '\0';
	close(fd);
	return text;
}

/* The tester's first request: -1 when the document does not inflate. */
static int tester_request(const struct apic_api *api)
{
	struct apic_tester *t = apic_tester_new(api);
	struct apic_test_response r;
	int rc = apic_tester_call(t, "GET", "/healthz", NULL, NULL, &r);
	if (rc == 0)
		apic_test_response_free(&r);
	apic_tester_free(t);
	return rc;
}

/* A real server on a free port: 1 (did not serve) when it does not inflate. */
static int server_run(const struct apic_api *api)
{
	struct apic_server *srv = apic_server_new(api);
	char *argv[] = { "test", "--port", "0", "--bind", "127.0.0.1", NULL };
	int rc = apic_server_parse_args(srv, 5, argv) != 0 ? -2 : apic_server_run(srv);
	apic_server_free(srv);
	return rc;
}

static void refused(const char *what, const unsigned char *gz, size_t gzlen, size_t len)
{
	struct apic_api api = handapi_api;
	api.openapi_gz = gz;
	api.openapi_gz_len = gzlen;
	api.openapi_len = len;
	int rc;
	char *log = stderr_of(server_run, &api, &rc);
	ok(rc == 1 && strstr(log, "embedded in the generated code") && strstr(log, "damaged"),
	   "%s: the server refuses to start, saying why", what);
	printf("#   %s", log);
	free(log);
	log = stderr_of(tester_request, &api, &rc);
	ok(rc == -1 && strstr(log, "damaged"), "%s: the test client's request fails, saying why", what);
	free(log);
}

int main(void)
{
	on_good_api();

	const unsigned char *gz = handapi_api.openapi_gz;
	size_t gzlen = handapi_api.openapi_gz_len, len = handapi_api.openapi_len;
	unsigned char *copy = malloc(gzlen + 1);
	refused("truncated by one byte", gz, gzlen - 1, len);
	refused("truncated to half", gz, gzlen / 2, len);
	refused("empty", gz, 0, len);
	memcpy(copy, gz, gzlen);
	copy[gzlen / 2] ^= 0x10;
	refused("a flipped byte", copy, gzlen, len);
	memcpy(copy, gz, gzlen);
	copy[gzlen - 6] ^= 0x01; /* the trailer's CRC-32 */
	refused("a wrong CRC", copy, gzlen, len);
	memcpy(copy, gz, gzlen);
	copy[gzlen] = 0;
	refused("a byte after the stream", copy, gzlen + 1, len);
	refused("a length one short", gz, gzlen, len - 1);
	refused("a length one long", gz, gzlen, len + 1);
	refused("the text, not gzip", (const unsigned char *)handapi_openapi, len, len);
	free(copy);
	return tap_done();
}
