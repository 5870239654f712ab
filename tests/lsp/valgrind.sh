#!/bin/sh
# tests/lsp/run.sh again with the server under valgrind (memcheck; definite
# and indirect leaks are errors): every answer the same, every exit status
# the expected one, not valgrind's 99.
. "$top_srcdir/tests/http/valgrind-env.sh"
valgrind_or_skip "${APIC:?}"
LSP_VALGRIND=1 exec sh "$top_srcdir/tests/lsp/run.sh"
