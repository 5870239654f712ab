#!/bin/sh
# Suspended replies on a real server (tests/async/async.apic): replies from
# a loop timer and from another thread; 1,000 concurrent requests that each
# wait 100 ms on a server with 2 worker threads; the operation's deadline
# (504, the cancel callback, a late reply dropped); the client leaving
# (cancel callback); background work after the reply; SIGTERM with a
# suspended request and queued work; the OpenAPI document's 504s.
b="$top_builddir/tests/async"
d="$b/run.d"
mkdir -p "$d"
. "$top_srcdir/tests/http/server.sh"
ulimit -n 8192 2>/dev/null || true
start_server "$d/server.log" "$b/async-server" --max-connections 4000 --per-ip-connections 4000
u="http://127.0.0.1:$port"
out="$d/out"
stat_is() { # FIELD VALUE: GET /stats
	req 200 "$u/stats" && jqeq ".$1" "$2"
}
if [ -z "$port" ]; then
	echo "not ok 1 - server starts"; cat "$d/server.log"; echo "1..1"; exit 1
fi
check "server starts" test -n "$port"

check "a reply from a loop timer" req 200 "$u/sleep?ms=50"
check "its body" jqeq . '{"waited_ms":50}'
check "a reply from another thread" req 200 "$u/thread?ms=20"
check "its body" jqeq . '{"waited_ms":20}'
check "two suspended requests on one keep-alive connection" sh -c \
	"curl -s '$u/sleep?ms=10' '$u/thread?ms=10' | grep -o waited_ms | wc -l | grep -qx 2"

# 1,000 requests at once, each waiting 100 ms, on 2 worker threads: one
# blocking worker per request would take 1,000 x 100 ms / 2 = 50 s.
concurrent() {
	t0=$(date +%s%N)
	curl -s --parallel --parallel-immediate --parallel-max 1000 -o /dev/null -w '%{http_code}\n' \
		"$u/sleep?ms=100&n=[1-1000]" >"$d/codes" 2>/dev/null
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	ok=$(grep -cx 200 "$d/codes")
	echo "# 1000 concurrent 100 ms requests: $ok answered 200 in $ms ms"
	[ "$ok" = 1000 ] && [ "$ms" -lt 10000 ]
}
check "1000 concurrent suspended requests, all 200, well under 50 s" concurrent

check "a request past its deadline -> 504" req 504 "$u/hang"
check "504 problem details naming the deadline" jqeq '[.status,.detail]' \
	'[504,"the operation did not answer within 200 ms"]'
check "504 is problem+json" sh -c "curl -s -o /dev/null -w '%{content_type}' '$u/hang' | grep -qx application/problem+json"
check "the cancel callback ran with the deadline reason" eventually stat_is deadline 2
check "a reply after the deadline -> 504" req 504 "$u/late"
check "the late reply returned -1 (dropped)" eventually stat_is late_dropped 1
check "a handler of an operation not declared async cannot suspend" req 200 "$u/not-async"
check "apic_ctx_suspend returned -1" jqeq .waited_ms -1

gone() {
	curl -s -o /dev/null --max-time 0.5 "$u/hang-long"
	[ $? = 28 ] || return 1
	eventually stat_is gone 1
}
check "a client that leaves cancels its request (callback, client-gone reason)" gone

job() {
	req 202 -X POST "$u/jobs?ms=300" || return 1
	stat_is jobs_run 0 || return 1
	eventually stat_is jobs_run 1 && stat_is jobs_after_reply 1
}
check "background work runs after the reply" job

check "the document lists 504 for async operations only" sh -c \
	"curl -s '$u/openapi.json' | jq -e '[.paths[][] | select(type==\"object\" and has(\"responses\")) | [.operationId, (.responses|has(\"504\")), (.\"x-apic-async\" // false)]] | all(.[1] == .[2]) and (map(select(.[1]))|length) == 5' >/dev/null"
check "x-apic-deadline-ms of /hang" sh -c "curl -s '$u/openapi.json' | jq -e '.paths[\"/hang\"].get[\"x-apic-deadline-ms\"] == 200' >/dev/null"
check "the 504 is the DeadlinePassed response" sh -c \
	"curl -s '$u/openapi.json' | jq -e '.paths[\"/sleep\"].get.responses[\"504\"][\"\$ref\"] == \"#/components/responses/DeadlinePassed\"' >/dev/null"
check "no reply was written twice" sh -c "! grep -q 'second reply\|not dropped' '$d/server.log'"

# SIGTERM with a suspended request and queued background work: the request
# gets its 504, the work is done, the server exits 0.
stop() {
	kill "$pid"; wait "$pid" 2>/dev/null
	rm -f "$d/jobs.log"
	start_server "$d/stop.log" "$b/async-server" --job-log "$d/jobs.log"
	[ -n "$port" ] || return 1
	u="http://127.0.0.1:$port"
	curl -s -o "$d/hang.out" -w '%{http_code}' "$u/hang-long" >"$d/hang.code" &
	cpid=$!
	req 202 -X POST "$u/jobs?ms=400" || return 1
	sleep 0.3
	kill -TERM "$pid"
	wait "$pid"; rc=$?
	wait "$cpid"
	echo "# exit $rc, suspended request got $(cat "$d/hang.code"), jobs: $(cat "$d/jobs.log" 2>/dev/null)"
	[ "$rc" = 0 ] && [ "$(cat "$d/hang.code")" = 504 ] && grep -q "job 400 ms done" "$d/jobs.log" &&
		grep -q "the server stops before its reply" "$d/stop.log"
}
check "SIGTERM: suspended request answered 504, queued work done, exit 0" stop

echo "1..$n"
[ "$fails" -eq 0 ]
