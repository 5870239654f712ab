# automake fragment: front-end tests. Diagnostics goldens (tests/diag/*.apic
# + .err), every schema checks clean, the AST dump golden, the command line,
# the man pages, apic diff's cases, apic fmt's, apic import's, and the fuzz target replaying
# its corpus.
TESTS += tests/diag/run.sh tests/diag/schemas.sh tests/diag/usage.sh \
	tests/diag/manlint.sh tests/diag/stress.sh tests/diag/agree.sh tests/ast/run.sh \
	tests/schema-diff/run.sh tests/fmt/run.sh tests/editors/run.sh tests/lsp/run.sh \
	tests/lsp/valgrind.sh tests/import/run.sh
EXTRA_DIST += tests/diag tests/ast tests/fuzz/corpus tests/fuzz/apic.dict tests/schema-diff tests/fmt \
	tests/editors tests/lsp tests/import
CLEANFILES += tests/diag/*.stdout tests/diag/*.stderr tests/diag/man-example.apic \
	tests/ast/all.dump.out tests/ast/all.stderr
CLEANDIRS += tests/diag/usage tests/diag/stress tests/diag/agree tests/schema-diff/work tests/fmt/work \
	tests/editors/work tests/lsp/work tests/lsp/work-valgrind tests/import/work

tests_fuzz_fuzz_parse_SOURCES = tests/fuzz/fuzz_parse.c tests/fuzz/replay.h \
	$(apic_emit_openapi_sources) $(apic_emit_c_sources) compiler/out.c
tests_fuzz_fuzz_parse_CFLAGS = $(AM_CFLAGS) $(APIC_FUZZ_CFLAGS) $(ZLIB_CFLAGS)
tests_fuzz_fuzz_parse_LDADD = compiler/libapicfront.la $(JSONC_LIBS) $(PCRE2_LIBS) $(ZLIB_LIBS)
if ENABLE_FUZZING
# configure --enable-fuzzing CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address'
noinst_PROGRAMS += tests/fuzz/fuzz_parse
APIC_FUZZ_CFLAGS = -DAPIC_LIBFUZZER
tests_fuzz_fuzz_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
else
APIC_FUZZ_CFLAGS =
check_PROGRAMS += tests/fuzz/fuzz_parse
TESTS += tests/fuzz/fuzz_parse
tests_fuzz_fuzz_parse_SOURCES += tests/fuzz/replay.c
endif
