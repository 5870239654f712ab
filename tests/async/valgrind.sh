#!/bin/sh
# The suspended-reply, event-stream and WebSocket tests again, with their servers under
# valgrind (memcheck, definite and indirect leaks are errors): every
# check of tests/async/run.sh, sse.sh and tests/chat/run.sh must pass, and so must
# their "SIGTERM: exit 0" checks, which valgrind's --error-exitcode turns
# into its verdict on the stream and WebSocket paths (suspended
# connections, cancelled requests, background jobs, upgraded sockets,
# channel history, lingering closes).
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind not installed"
	exit 0
fi
srv="$top_builddir/tests/async/.libs/async-server"
[ -f "$srv" ] || srv="$top_builddir/tests/async/async-server"
if grep -q __asan_init "$srv" 2>/dev/null; then
	echo "1..0 # SKIP sanitizer build (ASan and valgrind do not mix; ASan checks leaks there)"
	exit 0
fi
APIC_SERVER_WRAP="$top_builddir/libtool --mode=execute valgrind -q --error-exitcode=99 \
--leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
--suppressions=$top_srcdir/tests/http/valgrind.supp"
APIC_START_TRIES=600
export APIC_SERVER_WRAP APIC_START_TRIES
n=0 fails=0
for t in tests/async/run.sh tests/async/sse.sh tests/chat/run.sh; do
	n=$((n + 1))
	name=$(echo "$t" | tr / _)
	sh "$top_srcdir/$t" >"$top_builddir/tests/async/valgrind-$name.tap" 2>&1
	rc=$?
	bad=$(grep -c '^not ok' "$top_builddir/tests/async/valgrind-$name.tap")
	if [ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]; then
		echo "ok $n - $t with its server under valgrind"
	else
		fails=$((fails + 1))
		echo "not ok $n - $t with its server under valgrind (exit $rc, $bad failed)"
		sed 's/^/# /' "$top_builddir/tests/async/valgrind-$name.tap"
	fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
