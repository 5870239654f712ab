#!/bin/sh
# The suspended-reply, event-stream and WebSocket tests again, with their servers under
# valgrind (memcheck, definite and indirect leaks are errors): every
# check of tests/async/run.sh, sse.sh and tests/chat/run.sh must pass, and so must
# their "SIGTERM: exit 0" checks, which valgrind's --error-exitcode turns
# into its verdict on the stream and WebSocket paths (suspended
# connections, cancelled requests, background jobs, upgraded sockets,
# channel history, lingering closes).
. "$top_srcdir/tests/http/valgrind-env.sh"
valgrind_or_skip "$top_builddir/tests/async/async-server"
APIC_SERVER_WRAP=$VALGRIND
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
