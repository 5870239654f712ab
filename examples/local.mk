# automake fragment: the petstore example (examples/petstore/petstore, SQLite),
# its end-to-end tests (tests/e2e-petstore/) and `make run-petstore`.
#
# Its C code is generated at build time from schemas/petstore.apic into
# examples/petstore/gen/ in the build tree (apic writes a handler stub file
# there too, which is not used: examples/petstore/handlers.c is the real one).
EXTRA_DIST += \
	examples/petstore/handlers.c \
	examples/petstore/store.c \
	examples/petstore/store.h \
	schemas/petstore.apic \
	tests/e2e-petstore/lib.sh \
	tests/e2e-petstore/prism.sh \
	tests/e2e-petstore/docs.mjs \
	$(NULL)

PETSTORE_SCHEMA = $(top_srcdir)/schemas/petstore.apic

if HAVE_SQLITE
if HAVE_SODIUM
noinst_PROGRAMS += examples/petstore/petstore
examples_petstore_petstore_SOURCES = \
	examples/petstore/handlers.c \
	examples/petstore/store.c \
	examples/petstore/store.h \
	$(NULL)
nodist_examples_petstore_petstore_SOURCES = \
	examples/petstore/gen/petstore.c \
	examples/petstore/gen/petstore.h \
	$(NULL)
examples_petstore_petstore_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_builddir)/examples/petstore/gen
examples_petstore_petstore_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) \
	$(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
examples_petstore_petstore_LDADD = runtime/libapic.la $(JSONC_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)
CLEANFILES += \
	examples/petstore/gen/petstore.c \
	examples/petstore/gen/petstore.h \
	examples/petstore/gen/petstore.openapi.json examples/petstore/gen/petstore.mk \
	examples/petstore/gen/petstore_handlers.c \
	examples/petstore/gen/petstore.d \
	$(NULL)

# One run of apic writes every output; the .c is touched last so it is never
# older than the .h (which would make it look stale forever).
examples/petstore/gen/petstore.h: $(PETSTORE_SCHEMA) apic$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) examples/petstore/gen && \
	./apic$(EXEEXT) generate --quiet --name petstore \
		-o examples/petstore/gen \
		--depfile examples/petstore/gen/petstore.d \
		$(PETSTORE_SCHEMA) && \
	touch examples/petstore/gen/petstore.h examples/petstore/gen/petstore.c
examples/petstore/gen/petstore.c: examples/petstore/gen/petstore.h
-include examples/petstore/gen/petstore.d
examples/petstore/petstore-handlers.$(OBJEXT) examples/petstore/petstore-store.$(OBJEXT): \
	examples/petstore/gen/petstore.h

# `./setup.sh run`: the example on http://127.0.0.1:8080 (docs at /docs),
# its database in the build directory.
PETSTORE_PORT = 8080
PETSTORE_TOKEN = secret-token
run-petstore: examples/petstore/petstore$(EXEEXT)
	@echo "petstore: http://127.0.0.1:$(PETSTORE_PORT)/docs  (DELETE needs: Authorization: Bearer $(PETSTORE_TOKEN))"
	./examples/petstore/petstore$(EXEEXT) --bind 127.0.0.1 --port $(PETSTORE_PORT) \
		--db petstore.db --token $(PETSTORE_TOKEN)
.PHONY: run-petstore

TESTS += \
	tests/e2e-petstore/api.sh \
	tests/e2e-petstore/concurrent.sh \
	tests/e2e-petstore/docs.sh \
	tests/e2e-petstore/linkage.sh \
	$(NULL)
endif
endif

EXTRA_DIST += \
	tests/e2e-petstore/api.sh \
	tests/e2e-petstore/concurrent.sh \
	tests/e2e-petstore/docs.sh \
	tests/e2e-petstore/linkage.sh \
	tests/e2e-petstore/scaffold.sh \
	tests/e2e-petstore/dev.sh \
	$(NULL)
TESTS += tests/e2e-petstore/scaffold.sh tests/e2e-petstore/dev.sh

# The chat example: rooms over WebSockets, a browser page at /
# (examples/chat; tests/chat).
noinst_PROGRAMS += examples/chat/chat
examples_chat_chat_SOURCES = examples/chat/chat.c examples/chat/page.h
nodist_examples_chat_chat_SOURCES = examples/chat/gen/chat.c examples/chat/gen/chat.h
examples_chat_chat_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/chat/gen $(JSONC_CFLAGS)
examples_chat_chat_LDADD = runtime/libapic.la $(JSONC_LIBS) -lpthread
CHAT_GEN = examples/chat/gen/chat.c examples/chat/gen/chat.h examples/chat/gen/chat.openapi.json examples/chat/gen/chat.mk
$(CHAT_GEN): examples/chat/gen/.stamp
examples/chat/gen/.stamp: $(top_srcdir)/examples/chat/chat.apic apic$(EXEEXT)
	@$(MKDIR_P) examples/chat/gen
	$(AM_V_GEN)./apic$(EXEEXT) generate -q -o examples/chat/gen --name chat $(top_srcdir)/examples/chat/chat.apic
	@touch $@
$(examples_chat_chat_OBJECTS): examples/chat/gen/.stamp
CLEANFILES += $(CHAT_GEN) examples/chat/gen/chat_handlers.c examples/chat/gen/.stamp
EXTRA_DIST += examples/chat/chat.apic

# The dashboard gateway (examples/gateway): the server of gateway.apic,
# whose handlers (gateway.c) call the pet store and Conduit through the
# C clients generated from their schemas into examples/gateway/gen/
# (--name petstore / --name conduit: their C names do not clash).
# tests/gateway/run.sh drives it against the real examples; bench/gateway
# measures it.
EXTRA_DIST += examples/gateway/gateway.apic examples/gateway/README.md
noinst_PROGRAMS += examples/gateway/gateway
examples_gateway_gateway_SOURCES = examples/gateway/gateway.c
GW_GEN = examples/gateway/gen/gateway.c examples/gateway/gen/gateway.h \
	examples/gateway/gen/petstore.c examples/gateway/gen/petstore.h \
	examples/gateway/gen/petstore.client.c examples/gateway/gen/petstore.client.h \
	examples/gateway/gen/conduit.c examples/gateway/gen/conduit.h \
	examples/gateway/gen/conduit.client.c examples/gateway/gen/conduit.client.h
nodist_examples_gateway_gateway_SOURCES = $(GW_GEN)
examples_gateway_gateway_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/gateway/gen $(JSONC_CFLAGS)
examples_gateway_gateway_LDADD = runtime/libapic.la $(JSONC_LIBS)
$(GW_GEN): examples/gateway/gen/.stamp
examples/gateway/gen/.stamp: $(top_srcdir)/examples/gateway/gateway.apic \
		$(top_srcdir)/schemas/petstore.apic $(top_srcdir)/schemas/conduit.apic apic$(EXEEXT)
	@$(MKDIR_P) examples/gateway/gen
	$(AM_V_GEN)for s in petstore conduit; do \
	  ./apic$(EXEEXT) generate -q -o examples/gateway/gen --name $$s $(top_srcdir)/schemas/$$s.apic && \
	  ./apic$(EXEEXT) generate --client c -o examples/gateway/gen --name $$s $(top_srcdir)/schemas/$$s.apic || exit 1; \
	done && ./apic$(EXEEXT) generate -q -o examples/gateway/gen --name gateway $(top_srcdir)/examples/gateway/gateway.apic
	@touch $@
$(examples_gateway_gateway_OBJECTS): examples/gateway/gen/.stamp
CLEANFILES += $(GW_GEN) examples/gateway/gen/.stamp examples/gateway/gen/*.openapi.json \
	examples/gateway/gen/*.mk examples/gateway/gen/*_handlers.c
EXTRA_DIST += tests/gateway/run.sh tests/gateway/valgrind.sh
if HAVE_SQLITE
if HAVE_SODIUM
TESTS += tests/gateway/run.sh
endif
endif
TESTS += tests/gateway/valgrind.sh
# after the other valgrind suites: at once they starve each other's timing
tests/gateway/valgrind.log: tests/client/valgrind.log
