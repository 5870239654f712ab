# automake fragment: code generation tests (TAP). Decoder cases through the
# in-process pipeline, codec unit tests, golden files, every schema compiles
# (gcc and clang, -pedantic) and links, regeneration keeps user code, and
# the decoder fuzz target replaying its corpus.
EXTRA_DIST += tests/decode/cases.txt tests/golden tests/regen tests/fuzz/decode-corpus \
	tests/fuzz/decode.dict docs/generated-code.md \
	tests/codec/tap.h schemas/testapi.apic

# Test-only settings the shell tests need to compile generated code.
AM_TESTS_ENVIRONMENT += CG_SAN_FLAGS='$(APIC_SAN_FLAGS)'; export CG_SAN_FLAGS; \
	CG_JSONC_CFLAGS='$(JSONC_CFLAGS)'; export CG_JSONC_CFLAGS; \
	CG_LIBS='$(JSONC_LIBS) $(LIBS)'; export CG_LIBS; \
	CG_CC='$(CC)'; export CG_CC;

# The test API's generated code, made by the apic just built.
CG_TESTAPI = tests/decode/testapi.c tests/decode/testapi.h
$(CG_TESTAPI): tests/decode/testapi.stamp
	@:
tests/decode/testapi.stamp: $(top_srcdir)/schemas/testapi.apic apic$(EXEEXT)
	@$(MKDIR_P) tests/decode
	$(AM_V_GEN)./apic generate -q -o tests/decode --name testapi $(top_srcdir)/schemas/testapi.apic
	@touch $@
CLEANFILES += tests/decode/testapi.stamp tests/decode/testapi.c tests/decode/testapi.h \
	tests/decode/testapi.openapi.json tests/decode/testapi.mk tests/decode/testapi_handlers.c

CG_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/decode $(JSONC_CFLAGS)

check_PROGRAMS += tests/decode/decode_test
TESTS += tests/decode/decode_test
tests_decode_decode_test_SOURCES = tests/decode/decode_test.c tests/decode/echo_handlers.c
nodist_tests_decode_decode_test_SOURCES = $(CG_TESTAPI)
tests_decode_decode_test_CPPFLAGS = $(CG_TEST_CPPFLAGS)
tests_decode_decode_test_LDADD = runtime/libapic.la $(JSONC_LIBS)
tests/decode/decode_test-decode_test.$(OBJEXT): tests/decode/testapi.h

# Codec unit tests: the runtime files under test are compiled in.
check_PROGRAMS += tests/codec/test-codec
TESTS += tests/codec/test-codec
tests_codec_test_codec_SOURCES = tests/codec/test-codec.c tests/codec/tap.h \
	runtime/parse.c runtime/validate.c runtime/jsonbuf.c runtime/arena.c
tests_codec_test_codec_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) $(PCRE2_CFLAGS)
tests_codec_test_codec_LDADD = $(JSONC_LIBS) $(PCRE2_LIBS) -lpthread

# Names: snake_case, keywords, collisions.
check_PROGRAMS += tests/codec/test-names
TESTS += tests/codec/test-names
tests_codec_test_names_SOURCES = tests/codec/test-names.c tests/codec/tap.h compiler/names.c compiler/out.c
tests_codec_test_names_LDADD = compiler/libapicfront.la $(JSONC_LIBS) $(PCRE2_LIBS)

TESTS += tests/golden/run.sh tests/golden/banner.sh tests/golden/compile.sh tests/regen/run.sh

# Formats against ajv-formats itself (node, tests/npm).
check_PROGRAMS += tests/codec/format-check
tests_codec_format_check_SOURCES = tests/codec/format-check.c
tests_codec_format_check_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_codec_format_check_LDADD = runtime/libapic.la $(JSONC_LIBS)
TESTS += tests/codec/formats.sh
EXTRA_DIST += tests/codec/formats.sh tests/codec/formats.cjs

# Patterns against ECMA-262 itself (node).
check_PROGRAMS += tests/codec/pattern-check
tests_codec_pattern_check_SOURCES = tests/codec/pattern-check.c runtime/validate.c
tests_codec_pattern_check_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) $(PCRE2_CFLAGS)
tests_codec_pattern_check_LDADD = $(JSONC_LIBS) $(PCRE2_LIBS) -lpthread
TESTS += tests/codec/patterns.sh
EXTRA_DIST += tests/codec/patterns.sh tests/codec/patterns.cjs

# The decoder fuzz target (libFuzzer with --enable-fuzzing, else a replay
# of tests/fuzz/decode-corpus in make check).
tests_fuzz_fuzz_decode_SOURCES = tests/fuzz/fuzz_decode.c tests/decode/echo_handlers.c \
	tests/fuzz/replay.h
nodist_tests_fuzz_fuzz_decode_SOURCES = $(CG_TESTAPI)
tests_fuzz_fuzz_decode_LDADD = runtime/libapic.la $(JSONC_LIBS)
tests/fuzz/fuzz_decode-fuzz_decode.$(OBJEXT): tests/decode/testapi.h
tests/decode/decode_test-echo_handlers.$(OBJEXT) tests/decode/fuzz_fuzz_decode-echo_handlers.$(OBJEXT): \
	tests/decode/testapi.h
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_decode
tests_fuzz_fuzz_decode_CPPFLAGS = $(CG_TEST_CPPFLAGS) -DAPIC_LIBFUZZER
tests_fuzz_fuzz_decode_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
else
check_PROGRAMS += tests/fuzz/fuzz_decode
TESTS += tests/fuzz/fuzz_decode
tests_fuzz_fuzz_decode_SOURCES += tests/fuzz/replay.c
tests_fuzz_fuzz_decode_CPPFLAGS = $(CG_TEST_CPPFLAGS)
endif

# bench/decode: the decoder micro-benchmark (built with the tree so it cannot
# rot; run by hand, never a
# timed test): bench/decode/bench_decode [ITERATIONS].
noinst_PROGRAMS += bench/decode/bench_decode
bench_decode_bench_decode_SOURCES = bench/decode/bench_decode.c
nodist_bench_decode_bench_decode_SOURCES = bench/decode/petstore.c bench/decode/petstore.h
bench_decode_bench_decode_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/bench/decode $(JSONC_CFLAGS)
bench_decode_bench_decode_LDADD = runtime/libapic.la $(JSONC_LIBS)
bench/decode/bench_decode-bench_decode.$(OBJEXT): bench/decode/petstore.h
bench/decode/petstore.c bench/decode/petstore.h: bench/decode/petstore.stamp
	@:
bench/decode/petstore.stamp: $(top_srcdir)/schemas/petstore.apic apic$(EXEEXT)
	@$(MKDIR_P) bench/decode
	$(AM_V_GEN)./apic generate -q -o bench/decode --name petstore $(top_srcdir)/schemas/petstore.apic
	@touch $@
CLEANFILES += bench/decode/bench_decode bench/decode/petstore.stamp bench/decode/petstore.c \
	bench/decode/petstore.h bench/decode/petstore.openapi.json bench/decode/petstore.mk bench/decode/petstore_handlers.c
CLEANDIRS += tests/golden/banner.out
