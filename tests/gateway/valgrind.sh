#!/bin/sh
# The dashboard gateway (examples/gateway/gateway) under valgrind
# (memcheck; definite and indirect leaks are errors), against
# bench/gateway/upstream playing both upstreams: dashboards, a 422, then
# the upstream gone (502: the failure path, the calls' results freed) and
# SIGTERM, whose exit status is valgrind's verdict.
gw="$top_builddir/examples/gateway/gateway"
. "$top_srcdir/tests/http/valgrind-env.sh"
valgrind_or_skip "$gw"
d="$top_builddir/tests/gateway/valgrind.d"
rm -rf "$d"
mkdir -p "$d"
. "$top_srcdir/tests/http/server.sh"
out="$d/body"

"$top_builddir/bench/gateway/upstream" --port 0 --delay-ms 5 --token vg-pet --jwt vg.jwt >"$d/stub.log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null' EXIT
sport=
for _ in $(seq 100); do
	sport=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$d/stub.log")
	[ -n "$sport" ] && break
	sleep 0.1
done
PETSTORE_URL=http://127.0.0.1:$sport/v1 CONDUIT_URL=http://127.0.0.1:$sport/api
PETSTORE_TOKEN=vg-pet CONDUIT_TOKEN=vg.jwt UPSTREAM_TIMEOUT_MS=3000
export PETSTORE_URL CONDUIT_URL PETSTORE_TOKEN CONDUIT_TOKEN UPSTREAM_TIMEOUT_MS
APIC_START_TRIES=600
APIC_SERVER_WRAP=$VALGRIND
start_server "$d/gw.log" "$gw"
trap 'kill $spid $pid 2>/dev/null' EXIT
u="http://127.0.0.1:$port"
check "the gateway starts under valgrind" test -n "$port"

ok5() {
	for i in 1 2 3 4 5; do
		req 200 --max-time 20 "$u/dashboard?limit=$i" || return 1
		[ "$(jq '.pets | length' "$out")" = "$i" ] || return 1
	done
}
check "five dashboards" ok5
check "limit=0: 422" req 422 --max-time 20 "$u/dashboard?limit=0"
kill "$spid"; wait "$spid" 2>/dev/null
check "the upstream gone: 502" req 502 --max-time 20 "$u/dashboard"
kill -TERM "$pid"
wait "$pid"
rc=$?
check "SIGTERM: exit 0, valgrind found no error or leak (exit $rc)" test "$rc" = 0
[ "$rc" = 0 ] || sed 's/^/# /' "$d/gw.log" | tail -40
echo "1..$n"
[ "$fails" = 0 ]
