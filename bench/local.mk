# automake fragment: bench/petstore-lite, the generated server that
# bench/run.sh measures against the reference servers in ../shared/bench.
# Its C code is generated at build time from bench/petstore-lite.apic into
# bench/petstore-lite-gen/ in the build tree; the depfile written by apic
# makes an edit of the schema (or of anything it imports) regenerate it.
noinst_PROGRAMS += bench/petstore-lite
bench_petstore_lite_SOURCES = bench/petstore-lite-handlers.c
nodist_bench_petstore_lite_SOURCES = \
	bench/petstore-lite-gen/petstore_lite.c \
	bench/petstore-lite-gen/petstore_lite.h \
	$(NULL)
bench_petstore_lite_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_builddir)/bench/petstore-lite-gen
bench_petstore_lite_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
bench_petstore_lite_LDADD = runtime/libapic.la $(JSONC_LIBS)
EXTRA_DIST += bench/petstore-lite.apic bench/run.sh bench/gen-schema.py bench/sqlite-sync.sh bench/callgrind-requests.sh \
	bench/schema-scale.sh bench/schema-scale-apic.py bench/lsp-latency.sh bench/lsp-latency.js
EXTRA_DIST += bench/async/README.md bench/async/run.sh bench/async/sse-load.c bench/async/ws-load.c bench/async/bench-common.h bench/async/package.json bench/async/package-lock.json bench/async/peers/fastify-server.js bench/async/peers/ws-server.js bench/async/peers/fastapi_app.py
CLEANFILES += \
	bench/petstore-lite-gen/petstore_lite.c \
	bench/petstore-lite-gen/petstore_lite.h \
	bench/petstore-lite-gen/petstore_lite.openapi.json bench/petstore-lite-gen/petstore_lite.mk \
	bench/petstore-lite-gen/petstore_lite_handlers.c \
	bench/petstore-lite-gen/petstore_lite.d \
	$(NULL)

# One run of apic writes every output; the .c is touched last so it is never
# older than the .h (which would make it look stale forever).
bench/petstore-lite-gen/petstore_lite.h: $(top_srcdir)/bench/petstore-lite.apic apic$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) bench/petstore-lite-gen && \
	./apic$(EXEEXT) generate --quiet --name petstore_lite \
		-o bench/petstore-lite-gen \
		--depfile bench/petstore-lite-gen/petstore_lite.d \
		$(top_srcdir)/bench/petstore-lite.apic && \
	touch bench/petstore-lite-gen/petstore_lite.h bench/petstore-lite-gen/petstore_lite.c
bench/petstore-lite-gen/petstore_lite.c: bench/petstore-lite-gen/petstore_lite.h
bench/petstore_lite-petstore-lite-handlers.$(OBJEXT): bench/petstore-lite-gen/petstore_lite.h
# The schema's imports, as apic listed them (absent before the first build).
-include bench/petstore-lite-gen/petstore_lite.d

# bench/async: the apic server of the async benchmarks (run.sh --apic; peers in
# bench/async/peers): a suspended /wait, an event stream, WebSockets.
noinst_PROGRAMS += bench/async/apic-server
bench_async_apic_server_SOURCES = bench/async/apic-server.c
nodist_bench_async_apic_server_SOURCES = bench/async/gen/ab.c bench/async/gen/ab.h
bench_async_apic_server_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/bench/async/gen $(JSONC_CFLAGS)
bench_async_apic_server_LDADD = runtime/libapic.la $(JSONC_LIBS)
AB_GEN = bench/async/gen/ab.c bench/async/gen/ab.h bench/async/gen/ab.openapi.json bench/async/gen/ab.mk
$(AB_GEN): bench/async/gen/.stamp
bench/async/gen/.stamp: $(top_srcdir)/bench/async/async-bench.apic apic$(EXEEXT)
	@$(MKDIR_P) bench/async/gen
	$(AM_V_GEN)./apic$(EXEEXT) generate -q -o bench/async/gen --name ab $(top_srcdir)/bench/async/async-bench.apic
	@touch $@
$(bench_async_apic_server_OBJECTS): bench/async/gen/.stamp
CLEANFILES += $(AB_GEN) bench/async/gen/ab_handlers.c bench/async/gen/.stamp
EXTRA_DIST += bench/async/async-bench.apic

# bench/gateway: the dashboard gateway benchmark (run.sh; the gateways'
# failure cases: check.sh). Its upstream stub is built for make check too,
# where tests/gateway/upstream.sh checks what it answers (no timing: the
# benchmark itself is never a test).
check_PROGRAMS += bench/gateway/upstream
bench_gateway_upstream_SOURCES = bench/gateway/upstream.c
bench_gateway_upstream_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS)
bench_gateway_upstream_LDADD = $(MHD_LIBS) -lpthread
TESTS += tests/gateway/upstream.sh
EXTRA_DIST += tests/gateway/upstream.sh \
	bench/gateway/README.md bench/gateway/run.sh bench/gateway/check.sh bench/gateway/lib.sh \
	bench/gateway/package.json bench/gateway/package-lock.json \
	bench/gateway/peers/fastify-gateway.js bench/gateway/peers/fastapi_gateway.py \
	$(NULL)
CLEANDIRS += tests/gateway/upstream.d
