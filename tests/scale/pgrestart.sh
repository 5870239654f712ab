#!/bin/sh
# PostgreSQL stopped (fast shutdown) and started again under load (8
# clients through HAProxy in front of two instances): while it is down the
# clients get 503 and nothing else fails or hangs (slowest reply under
# 10 s); afterwards full service again with no instance gone, no more
# server connections than the two pools hold (pg_stat_activity), and every
# acknowledged write in the database; every reply, the 503s included, one
# the served document declares (--strict-responses).
set -u
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/conduit/lib.sh"
. "$top_srcdir/tests/scale/lib.sh"

scale_setup 9

load() { # STOPFILE OUT MAX [anon]
	"$NODE" "$top_srcdir/tests/scale/load.mjs" "$proxy" 8 "$1" "$2" "$3" ${4:-} >>"$workdir/load.out" 2>&1
}
# while PostgreSQL is down, unauthenticated reads too: their 503 is the
# handler's, declared by the schema (checked by --strict-responses)
load "$workdir/stop" "$workdir/load.json" "" anon &
load_pid=$!
sleep 2
pg_stop INT
sleep 4
pg_start || diag "PostgreSQL did not start again"
for i in $(seq 1 100); do haproxy_routes && break; sleep 0.1; done
sleep 1
touch "$workdir/stop"
wait "$load_pid"
load_status=$?

l=$workdir/load.json
requests=$(jq .requests "$l")
n503=$(jq '.byStatus["503"] // 0' "$l")
other=$(jq '[.failures[] | select(.status != 503)] | length' "$l")
[ "$load_status" = 0 ] && [ "${n503:-0}" -gt 0 ]
ok $? "while PostgreSQL was down the clients got 503 ($n503 of $requests requests)"
is "$other" 0 "no other failure (by status: $(jq -c .byStatus "$l"))"
[ "$other" = 0 ] || diag "$(jq -c '[.failures[] | select(.status != 503)][:10]' "$l")"
max=$(jq .maxMs "$l")
[ "${max:-99999}" -lt 10000 ]
ok $? "no request hung: slowest reply ${max} ms"
# Full service again: a second load of 200 requests (at most 60 s), with
# nothing failing.
(sleep 60; touch "$workdir/stop2") >/dev/null 2>&1 &
timer=$!
load "$workdir/stop2" "$workdir/load2.json" 200
pkill -P "$timer" sleep 2>/dev/null # the timer's sleep, then the timer
kill "$timer" 2>/dev/null
requests2=$(jq .requests "$workdir/load2.json")
failed2=$(jq .failed "$workdir/load2.json")
[ "${requests2:-0}" -ge 200 ] && [ "$failed2" = 0 ]
ok $? "after the restart: $requests2 requests, $failed2 failed"
kill -0 "${inst_pid[1]}" 2>/dev/null && kill -0 "${inst_pid[2]}" 2>/dev/null
ok $? "both instances are still running"
conns=$(pg_conduit_connections)
[ "${conns:-99}" -le 4 ]
ok $? "no leaked database connections: $conns from Conduit (2 instances x --db-pool 2)"
slugs=$(jq -r '.articles[]' "$l" "$workdir/load2.json")
na=$(jq -s '[.[].articles | length] | add' "$l" "$workdir/load2.json")
got=$(echo "SELECT count(*) FROM articles WHERE slug = ANY (string_to_array(:'list', E'\\n'))" |
	psql_ -v list="$slugs")
is "$got" "$na" "every acknowledged article is in the database ($got of $na)"
ids=$(jq -r '.comments[]' "$l" "$workdir/load2.json")
nc=$(jq -s '[.[].comments | length] | add' "$l" "$workdir/load2.json")
got=$(echo "SELECT count(*) FROM comments WHERE id::text = ANY (string_to_array(:'list', E'\\n'))" |
	psql_ -v list="$ids")
is "$got" "$nc" "every acknowledged comment is in the database ($got of $nc)"
# --strict-responses turns a reply the document does not declare (the
# 503 of a database that is down included) into a 500 and logs it.
off=$(cat "$workdir"/inst-*.log | grep -c 'strict-responses:')
is "$off" 0 "every reply, the 503s included, is one the document declares (--strict-responses)"
[ "$off" = 0 ] || diag "$(cat "$workdir"/inst-*.log | grep 'strict-responses:' | head -n 3)"
[ "$tap_failed" -eq 0 ]
