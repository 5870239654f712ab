#!/bin/sh
# The generated C client's asynchronous calls from suspended handlers
# (tests/client/gateway.apic, gateway-impl.c) on libapic's event loop: three
# calls in parallel and joined (the upstream sees all three in flight at
# once), X-Request-Id carried on (a call started in a handler, and one
# started in another call's callback), an upstream off its contract -> 502
# naming the violation, a timeout -> 504, the real petstore, 50 requests at
# once, SIGTERM with calls in flight.
b="$top_builddir/tests/client"
d="$b/async.d"
rm -rf "$d"
mkdir -p "$d"
. "$top_srcdir/tests/http/server.sh"
if ! command -v node >/dev/null 2>&1; then
	echo "1..0 # SKIP node is not installed (tests/client/upstream.cjs)"
	exit 0
fi
out="$d/out"
# Under valgrind (tests/client/valgrind.sh) the C servers are slow: the
# timeout checked gets room, what is checked stays the same.
tmo=${CLIENT_TIMEOUT_MS:-300}
# node itself never runs under the wrapper
wrap=${APIC_SERVER_WRAP:-}
APIC_SERVER_WRAP=
start_server "$d/upstream.log" node "$top_srcdir/tests/client/upstream.cjs"
APIC_SERVER_WRAP=$wrap
up=$port; pids=$pid
start_server "$d/gw.log" "$b/gateway" --upstream "http://127.0.0.1:$up" --upstream-timeout "$tmo"
gw=$port; pids="$pids $pid"; gwpid=$pid
trap 'kill $pids 2>/dev/null' EXIT
if [ -z "$up" ] || [ -z "$gw" ]; then
	echo "not ok 1 - the servers start"; tail -5 "$d"/*.log | sed 's/^/# /'; echo "1..1"; exit 1
fi
u="http://127.0.0.1:$gw"

# In parallel: the upstream saw the three in flight at once (not a wall
# clock limit, which a loaded machine or valgrind would break); joined:
# the reply came after all three (each takes 200 ms).
overlap() {
	curl -s -X POST -o /dev/null "http://127.0.0.1:$up/v1/reset" || return 1
	t=$(curl -s -o "$out" -w '%{time_total}' "$u/trio?a=9&b=9&c=9") || return 1
	most=$(curl -s "http://127.0.0.1:$up/v1/attempts" | jq .slowMax)
	echo "# three 200 ms calls: $t s, the handler saw $(jq .elapsed_ms "$out") ms, $most in flight at once"
	jq -e '.names == ["Rex","Rex","Rex"] and .elapsed_ms >= 190' "$out" >/dev/null && [ "$most" = 3 ]
}
check "three calls in parallel (all three in flight at once at the upstream), joined: the reply once all are back" overlap
check "X-Request-Id: the request's id on each of the three calls" sh -c \
	"curl -s -H 'X-Request-Id: rid-trio-1' '$u/trio?a=8&b=8&c=8' | jq -e '.tags == [\"rid-trio-1\",\"rid-trio-1\",\"rid-trio-1\"]' >/dev/null"
check "a call started in a callback (on the loop) carries the id on too" sh -c \
	"curl -s -H 'X-Request-Id: rid-chain' '$u/chain/8' | jq -e '.tags == [\"rid-chain\",\"rid-chain\"]' >/dev/null"
check "an upstream body off its contract -> 502" req 502 "$u/trio?a=9&b=1&c=9"
check "the 502 names the violation" jqeq '[.detail, .upstream_error, .upstream_status, .upstream_violations[0].pointer, .upstream_violations[0].code]' \
	'["petstore: GET 200 of getPet: /name: must be a string, got number","body",200,"/name","wrong_type"]'
check "an undeclared upstream status -> 502" req 502 "$u/trio?a=3&b=9&c=9"
check "naming it" jqeq '[.upstream_error, .upstream_status]' '["status",418]'
timeout_504() {
	t=$(curl -s -o "$out" -w '%{http_code} %{time_total}' "$u/trio?a=9&b=6&c=9")
	echo "# $t"
	[ "${t% *}" = 504 ] && awk "BEGIN { exit !(${t#* } * 1000 < $tmo + 1200) }"
}
check "an upstream that never answers -> 504 after the $tmo ms timeout" timeout_504
check "naming the timeout" jqeq '[.status, .upstream_error]' '[504,"timeout"]'
check "a call refused by the chain's first upstream reply -> 502" req 502 "$u/chain/2"
reuse() {
	req 200 "$u/trio?a=20&b=21&c=22" || return 1
	before=$(curl -s "http://127.0.0.1:$up/v1/attempts" | jq .conns)
	for i in 3 4 5; do
		req 200 "$u/trio?a=${i}0&b=${i}1&c=${i}2" || return 1
	done
	after=$(curl -s "http://127.0.0.1:$up/v1/attempts" | jq .conns)
	# (the second count's own connection is in `after`)
	echo "# $((after - before - 1)) new upstream connections for nine more calls"
	[ $((after - before - 1)) -le 1 ]
}
check "the loop's calls reuse their connections (nine calls after three: at most one new)" reuse
impatient() {
	req 504 "$u/impatient?a=6" || return 1
	sleep $(( (tmo + 400) / 1000 )).$(( (tmo + 400) % 1000 / 100 ))
	# the call's timeout has passed: its result was dropped, the server is fine
	req 200 "$u/trio?a=9&b=9&c=9"
}
check "a request released (on_cancel replied) before its joined call is back: no callback, no leak" impatient
many() {
	start_server "$d/gw4.log" "$b/gateway" --upstream "http://127.0.0.1:$up" --per-ip-connections 100
	[ -n "$port" ] || return 1
	pids="$pids $pid"
	t0=$(date +%s%N)
	curl -s --parallel --parallel-immediate --parallel-max 50 -o /dev/null -w '%{http_code}\n' \
		"http://127.0.0.1:$port/trio?a=9&b=9&c=9&n=[1-50]" >"$d/codes" 2>/dev/null
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "# $(grep -cx 200 "$d/codes") of 50 answered 200 in $ms ms"
	[ "$(grep -cx 200 "$d/codes")" = 50 ]
}
check "50 gateway requests at once (150 upstream calls): all 200" many

# The real petstore, when the example is built.
pet="$top_builddir/examples/petstore/petstore"
if [ -x "$pet" ]; then
	start_server "$d/petstore.log" "$pet" --db "$d/pets.db"
	pp=$port; pids="$pids $pid"
	start_server "$d/gw2.log" "$b/gateway" --upstream "http://127.0.0.1:$pp"
	g2=$port; pids="$pids $pid"
	for name in Ada Bob Cy; do
		curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"name\":\"$name\"}" "http://127.0.0.1:$pp/v1/pets"
	done
	check "the real petstore: three pets at once" sh -c \
		"curl -s 'http://127.0.0.1:$g2/trio?a=3&b=1&c=2' | jq -e '.names == [\"Cy\",\"Ada\",\"Bob\"]' >/dev/null"
	check "the real petstore's 404 -> the gateway's 502" req 502 "http://127.0.0.1:$g2/trio?a=1&b=2&c=99"
	check "naming the status" jqeq .detail '"petstore: getPet answered 404"'
fi

# SIGTERM while calls are in flight: the client cancels them when the
# server stops, the handler still replies, the server exits 0.
stop() {
	start_server "$d/gw3.log" "$b/gateway" --upstream "http://127.0.0.1:$up" --upstream-timeout 20000 \
		--shutdown-timeout 1
	[ -n "$port" ] || return 1
	g3=$pid
	curl -s -o "$d/stop.out" -w '%{http_code}' "http://127.0.0.1:$port/trio?a=6&b=6&c=9" >"$d/stop.code" &
	cpid=$!
	sleep 0.5
	kill -TERM "$g3"
	wait "$g3"; rc=$?
	wait "$cpid"
	echo "# exit $rc, the request got $(cat "$d/stop.code")"
	[ "$rc" = 0 ] && [ "$(cat "$d/stop.code")" = 504 ]
}
check "SIGTERM with upstream calls in flight: the request gets 504, exit 0" stop
check "no reply was written twice" sh -c "! grep -q 'second reply' '$d'/gw*.log"

kill $pids 2>/dev/null
echo "1..$n"
[ "$fails" -eq 0 ]
