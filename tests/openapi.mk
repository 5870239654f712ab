# automake fragment: tests of the OpenAPI and AsyncAPI emitters
# (tests/openapi/) and the differential validation of the generated decoders
# against ajv (tests/diff/).
# The npm tools come from tests/npm (`./setup.sh deps` runs npm ci there).
TESTS += \
	tests/openapi/golden.sh \
	tests/openapi/asyncapi-golden.sh \
	tests/openapi/asyncapi.sh \
	tests/openapi/testapi.sh \
	tests/openapi/lint.sh \
	tests/openapi/summary.sh \
	tests/openapi/conduit.sh \
	tests/openapi/unions.sh \
	tests/diff/diff.sh \
	$(NULL)
EXTRA_DIST += \
	tests/openapi/npm.sh \
	tests/openapi/golden.sh \
	tests/openapi/lint.sh \
	tests/openapi/conduit.sh \
	tests/openapi/testapi.sh \
	tests/openapi/testapi.cjs \
	tests/openapi/unions.sh \
	tests/openapi/unions.cjs \
	tests/openapi/unions.apic \
	tests/openapi/validate.cjs \
	tests/openapi/conduit.cjs \
	tests/openapi/redocly.yaml \
	tests/openapi/summary.sh \
	tests/openapi/summary.apic \
	tests/openapi/petstore.openapi.json \
	tests/openapi/async.apic \
	tests/openapi/asyncapi-golden.sh \
	tests/openapi/asyncapi.sh \
	tests/openapi/asyncapi.cjs \
	tests/openapi/chat.asyncapi.json \
	tests/openapi/petstore.asyncapi.json \
	tests/openapi/async.asyncapi.json \
	tests/diff/diff.sh \
	tests/diff/diff.cjs \
	tests/npm/package.json \
	tests/npm/package-lock.json \
	$(NULL)

CLEANDIRS += tests/openapi/summary.out tests/openapi/lint.out tests/openapi/conduit.out \
	tests/openapi/golden.out tests/openapi/testapi.out tests/diff/out \
	tests/openapi/asyncapi-golden.out tests/openapi/asyncapi.out tests/openapi/unions.out

# The C side of the differential test: the decoders generated from the
# three schemas, driven in-process through runtime/apic_test.h.
check_PROGRAMS += tests/diff/diff_driver
tests_diff_diff_driver_SOURCES = tests/diff/driver.c
nodist_tests_diff_diff_driver_SOURCES = \
	tests/diff/gen/testapi.c \
	tests/diff/gen/petstore.c \
	tests/diff/gen/conduit.c \
	$(NULL)
tests_diff_diff_driver_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/diff/gen $(JSONC_CFLAGS)
tests_diff_diff_driver_LDADD = runtime/libapic.la $(JSONC_LIBS)
CLEANFILES += \
	tests/diff/gen/testapi.c tests/diff/gen/testapi.h tests/diff/gen/testapi.openapi.json tests/diff/gen/testapi.mk \
	tests/diff/gen/testapi_handlers.c \
	tests/diff/gen/petstore.c tests/diff/gen/petstore.h tests/diff/gen/petstore.openapi.json tests/diff/gen/petstore.mk \
	tests/diff/gen/petstore_handlers.c \
	tests/diff/gen/conduit.c tests/diff/gen/conduit.h tests/diff/gen/conduit.openapi.json tests/diff/gen/conduit.mk \
	tests/diff/gen/conduit_handlers.c \
	$(NULL)
tests/diff/gen/testapi.c: $(top_srcdir)/schemas/testapi.apic apic$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) tests/diff/gen && \
	./apic$(EXEEXT) generate -q -o tests/diff/gen --name testapi $(top_srcdir)/schemas/testapi.apic
tests/diff/gen/petstore.c: $(top_srcdir)/schemas/petstore.apic apic$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) tests/diff/gen && \
	./apic$(EXEEXT) generate -q -o tests/diff/gen --name petstore $(top_srcdir)/schemas/petstore.apic
tests/diff/gen/conduit.c: $(top_srcdir)/schemas/conduit.apic apic$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) tests/diff/gen && \
	./apic$(EXEEXT) generate -q -o tests/diff/gen --name conduit $(top_srcdir)/schemas/conduit.apic
tests/diff/gen/testapi.h tests/diff/gen/testapi.openapi.json: tests/diff/gen/testapi.c
tests/diff/gen/petstore.h tests/diff/gen/petstore.openapi.json: tests/diff/gen/petstore.c
tests/diff/gen/conduit.h tests/diff/gen/conduit.openapi.json: tests/diff/gen/conduit.c
