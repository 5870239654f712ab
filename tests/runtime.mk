# Runtime tests (TAP): the in-process pipeline on a hand-written API, real
# servers on loopback driven by libcurl and raw sockets.
RT_HANDAPI = tests/http/handapi.c tests/http/handapi.h tests/runtime-unit/tap.h

check_PROGRAMS += tests/runtime-unit/test-pipeline
TESTS += tests/runtime-unit/test-pipeline
tests_runtime_unit_test_pipeline_SOURCES = tests/runtime-unit/test-pipeline.c $(RT_HANDAPI)
tests_runtime_unit_test_pipeline_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_runtime_unit_test_pipeline_LDADD = runtime/libapic.la $(JSONC_LIBS)

RT_PROC = tests/http/proc.c tests/http/proc.h

check_PROGRAMS += tests/http/test-server
tests_http_test_server_SOURCES = tests/http/test-server.c $(RT_HANDAPI)
tests_http_test_server_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_http_test_server_LDADD = runtime/libapic.la $(JSONC_LIBS)

if HAVE_CURL
check_PROGRAMS += tests/http/test-http
TESTS += tests/http/test-http
tests_http_test_http_SOURCES = tests/http/test-http.c $(RT_HANDAPI) $(RT_PROC)
tests_http_test_http_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) $(CURL_CFLAGS)
tests_http_test_http_LDADD = runtime/libapic.la $(JSONC_LIBS) $(CURL_LIBS) -lpthread
TESTS += tests/http/test-valgrind.sh
endif
CLEANDIRS += tests/http/test-http.d

check_PROGRAMS += tests/http/test-stop
TESTS += tests/http/test-stop
tests_http_test_stop_SOURCES = tests/http/test-stop.c $(RT_PROC) tests/runtime-unit/tap.h
tests_http_test_stop_LDADD = -lpthread
CLEANDIRS += tests/http/test-stop.d

check_PROGRAMS += tests/runtime-unit/test-deadline
TESTS += tests/runtime-unit/test-deadline
tests_runtime_unit_test_deadline_SOURCES = tests/runtime-unit/test-deadline.c tests/runtime-unit/tap.h
tests_runtime_unit_test_deadline_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/runtime
tests_runtime_unit_test_deadline_LDADD = -lpthread
TESTS += tests/http/test-docs.sh tests/http/test-caching.sh
EXTRA_DIST += tests/http/test-caching.sh
EXTRA_DIST += tests/http/test-valgrind.sh tests/http/valgrind-env.sh tests/http/test-docs.sh tests/http/valgrind.supp \
	tests/http/server.sh

# The OpenAPI document stored gzipped: in-process (damaged streams included)
# and on a generated server over HTTP.
check_PROGRAMS += tests/runtime-unit/test-openapi-gz
TESTS += tests/runtime-unit/test-openapi-gz
tests_runtime_unit_test_openapi_gz_SOURCES = tests/runtime-unit/test-openapi-gz.c $(RT_HANDAPI)
tests_runtime_unit_test_openapi_gz_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_runtime_unit_test_openapi_gz_LDADD = runtime/libapic.la $(JSONC_LIBS)
TESTS += tests/http/test-openapi-gz.sh
EXTRA_DIST += tests/http/test-openapi-gz.sh

# A server generated at build time from schemas/testapi.apic.
RT_GEN = tests/http/gen/testapi.h tests/http/gen/testapi.c tests/http/gen/testapi.openapi.json tests/http/gen/testapi.mk
$(RT_GEN): tests/http/gen/.stamp
tests/http/gen/.stamp: $(top_srcdir)/schemas/testapi.apic apic$(EXEEXT)
	@$(MKDIR_P) tests/http/gen
	$(AM_V_GEN)./apic$(EXEEXT) generate -q -o tests/http/gen --name testapi $(top_srcdir)/schemas/testapi.apic
	@touch $@
CLEANFILES += $(RT_GEN) tests/http/gen/testapi_handlers.c tests/http/gen/.stamp
check_PROGRAMS += tests/http/testapi-server
nodist_tests_http_testapi_server_SOURCES = tests/http/gen/testapi.c tests/http/gen/testapi.h
tests_http_testapi_server_SOURCES = tests/http/testapi-impl.c
tests_http_testapi_server_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/http/gen $(JSONC_CFLAGS)
tests_http_testapi_server_LDADD = runtime/libapic.la $(JSONC_LIBS)
$(tests_http_testapi_server_OBJECTS): tests/http/gen/.stamp
TESTS += tests/http/test-gen.sh tests/http/test-resp-headers.sh tests/http/test-raw.sh
EXTRA_DIST += tests/http/test-gen.sh tests/http/test-resp-headers.sh tests/http/test-raw.sh
# The same API generated in translation units (--unit-ops).
TESTS += tests/http/test-units.sh
EXTRA_DIST += tests/http/test-units.sh
# Also runs the petstore example when it is built (examples/local.mk).
TESTS += tests/http/test-hostile.sh
EXTRA_DIST += tests/http/test-hostile.sh tests/http/hostile.cjs
TESTS += tests/http/test-man.sh
EXTRA_DIST += tests/http/test-man.sh

check_PROGRAMS += tests/runtime-unit/test-arena
TESTS += tests/runtime-unit/test-arena
tests_runtime_unit_test_arena_SOURCES = tests/runtime-unit/test-arena.c tests/runtime-unit/tap.h

check_PROGRAMS += tests/runtime-unit/test-json-mutate
TESTS += tests/runtime-unit/test-json-mutate
tests_runtime_unit_test_json_mutate_SOURCES = tests/runtime-unit/test-json-mutate.c $(RT_HANDAPI)
tests_runtime_unit_test_json_mutate_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_runtime_unit_test_json_mutate_LDADD = runtime/libapic.la $(JSONC_LIBS)

check_PROGRAMS += tests/runtime-unit/test-hooks
TESTS += tests/runtime-unit/test-hooks
tests_runtime_unit_test_hooks_SOURCES = tests/runtime-unit/test-hooks.c $(RT_HANDAPI)
tests_runtime_unit_test_hooks_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_runtime_unit_test_hooks_LDADD = runtime/libapic.la $(JSONC_LIBS) -lpthread

check_PROGRAMS += tests/runtime-unit/test-copy
TESTS += tests/runtime-unit/test-copy
nodist_tests_runtime_unit_test_copy_SOURCES = tests/http/gen/testapi.c tests/http/gen/testapi.h
tests_runtime_unit_test_copy_SOURCES = tests/runtime-unit/test-copy.c tests/runtime-unit/tap.h
tests_runtime_unit_test_copy_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/http/gen $(JSONC_CFLAGS)
tests_runtime_unit_test_copy_LDADD = runtime/libapic.la $(JSONC_LIBS)
$(tests_runtime_unit_test_copy_OBJECTS): tests/http/gen/.stamp

check_PROGRAMS += tests/runtime-unit/test-shared-api
TESTS += tests/runtime-unit/test-shared-api
nodist_tests_runtime_unit_test_shared_api_SOURCES = tests/http/gen/testapi.c tests/http/gen/testapi.h
tests_runtime_unit_test_shared_api_SOURCES = tests/runtime-unit/test-shared-api.c tests/runtime-unit/tap.h
tests_runtime_unit_test_shared_api_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/http/gen $(JSONC_CFLAGS)
tests_runtime_unit_test_shared_api_LDADD = runtime/libapic.la $(JSONC_LIBS)
$(tests_runtime_unit_test_shared_api_OBJECTS): tests/http/gen/.stamp

check_PROGRAMS += tests/runtime-unit/test-route-lookup
TESTS += tests/runtime-unit/test-route-lookup
tests_runtime_unit_test_route_lookup_SOURCES = tests/runtime-unit/test-route-lookup.c tests/runtime-unit/tap.h
tests_runtime_unit_test_route_lookup_LDADD = runtime/libapic.la $(JSONC_LIBS)

check_PROGRAMS += tests/runtime-unit/test-desc
TESTS += tests/runtime-unit/test-desc
tests_runtime_unit_test_desc_SOURCES = tests/runtime-unit/test-desc.c tests/runtime-unit/tap.h
tests_runtime_unit_test_desc_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_runtime_unit_test_desc_LDADD = runtime/libapic.la $(JSONC_LIBS)

# Suspended replies, deadlines, cancellation, background work: a server
# generated from tests/async/async.apic (tests/async/run.sh).
AT_GEN = tests/async/gen/asy.h tests/async/gen/asy.c tests/async/gen/asy.openapi.json tests/async/gen/asy.mk
$(AT_GEN): tests/async/gen/.stamp
tests/async/gen/.stamp: $(top_srcdir)/tests/async/async.apic apic$(EXEEXT)
	@$(MKDIR_P) tests/async/gen
	$(AM_V_GEN)./apic$(EXEEXT) generate -q -o tests/async/gen --name asy $(top_srcdir)/tests/async/async.apic
	@touch $@
CLEANFILES += $(AT_GEN) tests/async/gen/asy_handlers.c tests/async/gen/.stamp
check_PROGRAMS += tests/async/async-server
nodist_tests_async_async_server_SOURCES = tests/async/gen/asy.c tests/async/gen/asy.h
tests_async_async_server_SOURCES = tests/async/async-impl.c
tests_async_async_server_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/async/gen $(JSONC_CFLAGS)
tests_async_async_server_LDADD = runtime/libapic.la $(JSONC_LIBS) -lpthread
$(tests_async_async_server_OBJECTS): tests/async/gen/.stamp
TESTS += tests/async/run.sh tests/async/sse.sh
EXTRA_DIST += tests/async/run.sh tests/async/sse.sh tests/async/async.apic
TESTS += tests/chat/run.sh
EXTRA_DIST += tests/chat/run.sh tests/chat/protocol.cjs
# The page at / in headless chromium (skipped without playwright-core or
# /usr/bin/chromium).
TESTS += tests/chat/browser.sh
EXTRA_DIST += tests/chat/browser.sh tests/chat/browser.mjs
CLEANFILES += tests/chat/browser-server.log tests/chat/browser.png
CLEANDIRS += tests/chat/browser.d
# After them: the async, stream and WebSocket tests with their servers under valgrind.
TESTS += tests/async/valgrind.sh
EXTRA_DIST += tests/async/valgrind.sh
