# automake fragment: the generated C client (apic generate --client c).
# tests/client/run.sh drives examples/petstore and examples/conduit with
# blocking calls (tests/client/test-client.c), then an upstream that breaks
# its contract (tests/client/upstream.cjs, node); tests/client/testapi.sh
# sends parameters, credentials and reads headers of every kind against the
# server of schemas/testapi.apic (tests/client/test-testapi.c); async.sh
# drives a gateway whose handlers call the upstream on the event loop
# (tests/client/gateway.apic, gateway-impl.c); tests/client/valgrind.sh
# runs both with their C programs under valgrind.
CL_GEN = tests/client/gen/petstore.h tests/client/gen/petstore.c \
	tests/client/gen/petstore.client.h tests/client/gen/petstore.client.c \
	tests/client/gen/conduit.h tests/client/gen/conduit.c \
	tests/client/gen/conduit.client.h tests/client/gen/conduit.client.c \
	tests/client/gen/gw.h tests/client/gen/gw.c \
	tests/client/gen/testapi.h tests/client/gen/testapi.c \
	tests/client/gen/testapi.client.h tests/client/gen/testapi.client.c
$(CL_GEN): tests/client/gen/.stamp
tests/client/gen/.stamp: $(top_srcdir)/schemas/petstore.apic $(top_srcdir)/schemas/conduit.apic \
		$(top_srcdir)/schemas/testapi.apic \
		$(top_srcdir)/tests/client/gateway.apic apic$(EXEEXT)
	@$(MKDIR_P) tests/client/gen
	$(AM_V_GEN)for s in petstore conduit testapi; do \
	  ./apic$(EXEEXT) generate -q -o tests/client/gen --name $$s $(top_srcdir)/schemas/$$s.apic && \
	  ./apic$(EXEEXT) generate --client c -o tests/client/gen --name $$s $(top_srcdir)/schemas/$$s.apic || exit 1; \
	done && ./apic$(EXEEXT) generate -q -o tests/client/gen --name gw $(top_srcdir)/tests/client/gateway.apic
	@touch $@
CLEANFILES += $(CL_GEN) tests/client/gen/.stamp tests/client/gen/*.openapi.json tests/client/gen/*.mk \
	tests/client/gen/*_handlers.c

check_PROGRAMS += tests/client/test-client
nodist_tests_client_test_client_SOURCES = tests/client/gen/petstore.c tests/client/gen/petstore.client.c \
	tests/client/gen/conduit.c tests/client/gen/conduit.client.c
tests_client_test_client_SOURCES = tests/client/test-client.c tests/runtime-unit/tap.h
tests_client_test_client_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/client/gen \
	-I$(top_srcdir)/tests/runtime-unit $(JSONC_CFLAGS)
tests_client_test_client_LDADD = runtime/libapic.la $(JSONC_LIBS) -lpthread
$(tests_client_test_client_OBJECTS): tests/client/gen/.stamp

check_PROGRAMS += tests/client/test-testapi
nodist_tests_client_test_testapi_SOURCES = tests/client/gen/testapi.c tests/client/gen/testapi.client.c
tests_client_test_testapi_SOURCES = tests/client/test-testapi.c tests/runtime-unit/tap.h
tests_client_test_testapi_CPPFLAGS = $(tests_client_test_client_CPPFLAGS)
tests_client_test_testapi_LDADD = runtime/libapic.la $(JSONC_LIBS)
$(tests_client_test_testapi_OBJECTS): tests/client/gen/.stamp

check_PROGRAMS += tests/client/gateway
nodist_tests_client_gateway_SOURCES = tests/client/gen/gw.c tests/client/gen/petstore.c \
	tests/client/gen/petstore.client.c
tests_client_gateway_SOURCES = tests/client/gateway-impl.c
tests_client_gateway_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/client/gen $(JSONC_CFLAGS)
tests_client_gateway_LDADD = runtime/libapic.la $(JSONC_LIBS)
$(tests_client_gateway_OBJECTS): tests/client/gen/.stamp

if HAVE_SQLITE
if HAVE_SODIUM
TESTS += tests/client/run.sh
endif
endif
TESTS += tests/client/testapi.sh tests/client/async.sh tests/client/valgrind.sh
EXTRA_DIST += tests/client/run.sh tests/client/testapi.sh tests/client/async.sh tests/client/valgrind.sh \
	tests/client/upstream.cjs tests/client/gateway.apic
# Two valgrind suites at once on a small machine starve each other's
# timing-sensitive checks (the event-stream ones): this one runs after the
# other.
tests/client/valgrind.log: tests/async/valgrind.log
