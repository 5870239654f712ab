# automake fragment: the RealWorld "Conduit" example (examples/conduit/conduit,
# SQLite + libsodium), `make run-conduit`, and its end-to-end tests
# (tests/conduit/), kept together in one fragment.
#
# Its C code is generated at build time from schemas/conduit.apic into
# examples/conduit/gen/ in the build tree (apic writes a handler stub file
# there too, which is not used: examples/conduit/handlers.c is the real one).
EXTRA_DIST += \
	examples/conduit/README.md \
	examples/conduit/articles.c \
	examples/conduit/auth.c \
	examples/conduit/auth.h \
	examples/conduit/bench.sh \
	examples/conduit/common.c \
	examples/conduit/common.h \
	examples/conduit/handlers.c \
	examples/conduit/slug.c \
	examples/conduit/slug.h \
	examples/conduit/store.c \
	examples/conduit/store.h \
	examples/conduit/store_pg.c \
	examples/conduit/store_sqlite.c \
	schemas/conduit.apic \
	examples/deploy/haproxy.cfg.in \
	tests/scale/lib.sh \
	tests/scale/newman.sh \
	tests/scale/rolling.sh \
	tests/scale/kill9.sh \
	tests/scale/pgrestart.sh \
	tests/scale/socket.sh \
	tests/scale/load.mjs \
	examples/deploy/README.md \
	examples/deploy/local.sh \
	examples/deploy/conduit@.service \
	examples/deploy/conduit@.socket \
	tests/conduit/lib.sh \
	tests/conduit/newman.sh \
	tests/conduit/api.sh \
	tests/conduit/durable.sh \
	tests/conduit/test-auth.c \
	tests/conduit/realworld/Conduit.postman_collection.json \
	tests/conduit/realworld/LICENSE \
	tests/conduit/realworld/README.md \
	$(NULL)

if HAVE_CONDUIT
noinst_PROGRAMS += examples/conduit/conduit
examples_conduit_conduit_SOURCES = \
	examples/conduit/articles.c \
	examples/conduit/auth.c \
	examples/conduit/auth.h \
	examples/conduit/common.c \
	examples/conduit/common.h \
	examples/conduit/handlers.c \
	examples/conduit/slug.c \
	examples/conduit/slug.h \
	examples/conduit/store.c \
	examples/conduit/store.h \
	examples/conduit/store_pg.c \
	examples/conduit/store_sqlite.c \
	$(NULL)
nodist_examples_conduit_conduit_SOURCES = \
	examples/conduit/gen/conduit.c \
	examples/conduit/gen/conduit.h \
	$(NULL)
examples_conduit_conduit_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_builddir)/examples/conduit/gen
examples_conduit_conduit_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) \
	$(SQLITE_CFLAGS) $(SODIUM_CFLAGS) $(LIBPQ_CFLAGS)
examples_conduit_conduit_LDADD = runtime/libapic.la $(JSONC_LIBS) \
	$(SQLITE_LIBS) $(SODIUM_LIBS) $(LIBPQ_LIBS)
BUILT_SOURCES += examples/conduit/gen/conduit.h
CLEANFILES += \
	examples/conduit/gen/conduit.c \
	examples/conduit/gen/conduit.h \
	examples/conduit/gen/conduit.openapi.json examples/conduit/gen/conduit.mk \
	examples/conduit/gen/conduit_handlers.c \
	examples/conduit/gen/conduit.d \
	$(NULL)

# One run of apic writes every output; the .c is touched last so it is never
# older than the .h (which would make it look stale forever).
examples/conduit/gen/conduit.h: $(top_srcdir)/schemas/conduit.apic apic$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) examples/conduit/gen && \
	./apic$(EXEEXT) generate --quiet --name conduit \
		-o examples/conduit/gen \
		--depfile examples/conduit/gen/conduit.d \
		$(top_srcdir)/schemas/conduit.apic && \
	touch examples/conduit/gen/conduit.h examples/conduit/gen/conduit.c
examples/conduit/gen/conduit.c: examples/conduit/gen/conduit.h

# The server on http://127.0.0.1:3000/api (docs at /docs), its database in
# the build directory. Tokens survive restarts only with CONDUIT_JWT_SECRET.
run-conduit: examples/conduit/conduit$(EXEEXT)
	@echo "conduit: http://127.0.0.1:3000/api  (docs: http://127.0.0.1:3000/docs)"
	./examples/conduit/conduit$(EXEEXT) --bind 127.0.0.1 --port 3000 --db conduit.db
.PHONY: run-conduit

check_PROGRAMS += tests/conduit/test-auth
tests_conduit_test_auth_SOURCES = tests/conduit/test-auth.c \
	examples/conduit/auth.c examples/conduit/auth.h
tests_conduit_test_auth_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/examples/conduit
tests_conduit_test_auth_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(SODIUM_CFLAGS)
tests_conduit_test_auth_LDADD = runtime/libapic.la $(JSONC_LIBS) $(SODIUM_LIBS)

TESTS += \
	tests/conduit/test-auth \
	tests/conduit/newman.sh \
	tests/conduit/api.sh \
	tests/conduit/durable.sh \
	tests/scale/newman.sh \
	tests/scale/rolling.sh \
	tests/scale/kill9.sh \
	tests/scale/pgrestart.sh \
	tests/scale/socket.sh \
	tests/import/conduit.sh \
	$(NULL)
CLEANDIRS += tests/import/conduit
endif
