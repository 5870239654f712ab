#!/bin/sh
# tests/lsp/run.sh again with the server under valgrind (memcheck; definite
# and indirect leaks are errors): every answer the same, every exit status
# the expected one, not valgrind's 99.
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind not installed"
	exit 0
fi
if grep -q __asan_init "${APIC:?}" 2>/dev/null; then
	echo "1..0 # SKIP sanitizer build (ASan and valgrind do not mix; ASan checks leaks there)"
	exit 0
fi
LSP_VALGRIND=1 exec sh "$top_srcdir/tests/lsp/run.sh"
