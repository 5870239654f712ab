#!/bin/sh
# tests/client/run.sh and async.sh again, the test program and the gateway
# under valgrind (memcheck; definite and indirect leaks are errors): every
# check must pass, and the gateway's "SIGTERM: exit 0" check becomes
# valgrind's verdict on the event-loop calls (cancelled ones included).
. "$top_srcdir/tests/http/valgrind-env.sh"
valgrind_or_skip "$top_builddir/tests/client/test-client"
vg=$VALGRIND
APIC_START_TRIES=600
CLIENT_TIMEOUT_MS=1500
export APIC_START_TRIES CLIENT_TIMEOUT_MS
n=0 fails=0
for t in tests/client/run.sh tests/client/testapi.sh tests/client/async.sh; do
	n=$((n + 1))
	name=$(echo "$t" | tr / _)
	# the C programs under valgrind, not node (run.sh: the test program;
	# async.sh: the gateways)
	case $t in
	*run.sh | *testapi.sh) APIC_CLIENT_WRAP=$vg APIC_SERVER_WRAP= ;;
	*) APIC_CLIENT_WRAP= APIC_SERVER_WRAP=$vg ;;
	esac
	export APIC_CLIENT_WRAP APIC_SERVER_WRAP
	sh "$top_srcdir/$t" >"$top_builddir/tests/client/valgrind-$name.tap" 2>&1
	rc=$?
	bad=$(grep -c '^not ok' "$top_builddir/tests/client/valgrind-$name.tap")
	if [ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]; then
		echo "ok $n - $t under valgrind"
	else
		fails=$((fails + 1))
		echo "not ok $n - $t under valgrind (exit $rc, $bad failed)"
		sed 's/^/# /' "$top_builddir/tests/client/valgrind-$name.tap"
	fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
