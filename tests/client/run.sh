#!/bin/sh
# The generated C client, blocking (tests/client/test-client.c): the real
# petstore and Conduit servers, then tests/client/upstream.cjs (an upstream
# off its contract) and a port nobody listens on. Every server on a port
# the kernel picked, killed at the end. APIC_CLIENT_WRAP: a command the
# test program runs under (valgrind, by tests/client/valgrind.sh).
b="$top_builddir/tests/client"
d="$b/run.d"
rm -rf "$d"
mkdir -p "$d"
. "$top_srcdir/tests/http/server.sh"
if ! command -v node >/dev/null 2>&1; then
	echo "1..0 # SKIP node is not installed (tests/client/upstream.cjs)"
	exit 0
fi
pids=
start_server "$d/petstore.log" "$top_builddir/examples/petstore/petstore" --db "$d/pets.db" --token s3cret
pets=$port; pids="$pids $pid"
CONDUIT_JWT_SECRET=client-test-secret; export CONDUIT_JWT_SECRET
start_server "$d/conduit.log" "$top_builddir/examples/conduit/conduit" --db "$d/conduit.db"
conduit=$port; pids="$pids $pid"
start_server "$d/upstream.log" node "$top_srcdir/tests/client/upstream.cjs"
upstream=$port; pids="$pids $pid"
trap 'kill $pids 2>/dev/null' EXIT
if [ -z "$pets" ] || [ -z "$conduit" ] || [ -z "$upstream" ]; then
	echo "not ok 1 - the servers start"; tail -5 "$d"/*.log | sed 's/^/# /'; echo "1..1"; exit 1
fi
${APIC_CLIENT_WRAP:-} "$b/test-client" "http://127.0.0.1:$pets" s3cret "http://127.0.0.1:$conduit" \
	"http://127.0.0.1:$upstream" "http://127.0.0.1:1"
rc=$?
kill $pids 2>/dev/null
exit $rc
