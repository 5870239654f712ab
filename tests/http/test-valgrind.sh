#!/bin/sh
# Arena and leak check: thousands of mixed requests (arena growth, defer
# hooks, json-c trees, violations, auth) against the test server running
# under valgrind; the server's exit status is valgrind's verdict.
bin="$top_builddir/tests/http/.libs/test-server"
[ -f "$bin" ] || bin="$top_builddir/tests/http/test-server"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind not installed"
	exit 0
fi
if grep -q __asan_init "$bin" 2>/dev/null; then
	echo "1..0 # SKIP sanitizer build (ASan and valgrind do not mix; ASan checks leaks there)"
	exit 0
fi
exec "$top_builddir/tests/http/test-http" --hammer "${APIC_HAMMER:-2000}" \
	"$top_builddir/libtool" --mode=execute \
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect --suppressions="$top_srcdir/tests/http/valgrind.supp"
