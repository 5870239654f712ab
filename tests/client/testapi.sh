#!/bin/sh
# The generated C client against the server of schemas/testapi.apic
# (tests/client/test-testapi.c): parameters, credentials and response
# headers of every kind. APIC_CLIENT_WRAP as in tests/client/run.sh.
b="$top_builddir/tests/client"
d="$b/testapi.d"
rm -rf "$d"
mkdir -p "$d"
. "$top_srcdir/tests/http/server.sh"
start_server "$d/server.log" "$top_builddir/tests/http/testapi-server"
if [ -z "$port" ]; then
	echo "not ok 1 - the server starts"; tail -5 "$d/server.log" | sed 's/^/# /'; echo "1..1"; exit 1
fi
${APIC_CLIENT_WRAP:-} "$b/test-testapi" "http://127.0.0.1:$port"
rc=$?
kill "$pid" 2>/dev/null
exit $rc
