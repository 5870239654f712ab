#!/bin/sh
# Arena and leak check: thousands of mixed requests (arena growth, defer
# hooks, json-c trees, violations, auth) against the test server running
# under valgrind; the server's exit status is valgrind's verdict.
. "$top_srcdir/tests/http/valgrind-env.sh"
valgrind_or_skip "$top_builddir/tests/http/test-server"
# shellcheck disable=SC2086 # the command's words
exec "$top_builddir/tests/http/test-http" --hammer "${APIC_HAMMER:-2000}" $VALGRIND
