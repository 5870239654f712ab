# Runtime tests (TAP): the in-process pipeline on a hand-written API, real
# servers on loopback driven by libcurl and raw sockets.
RT_HANDAPI = tests/http/handapi.c tests/http/handapi.h tests/runtime-unit/tap.h

check_PROGRAMS += tests/runtime-unit/test-pipeline
TESTS += tests/runtime-unit/test-pipeline
tests_runtime_unit_test_pipeline_SOURCES = tests/runtime-unit/test-pipeline.c $(RT_HANDAPI)
tests_runtime_unit_test_pipeline_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_runtime_unit_test_pipeline_LDADD = runtime/libapic.la $(JSONC_LIBS)

check_PROGRAMS += tests/http/test-server
tests_http_test_server_SOURCES = tests/http/test-server.c $(RT_HANDAPI)
tests_http_test_server_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_http_test_server_LDADD = runtime/libapic.la $(JSONC_LIBS)
