#!/bin/sh
# kill -9 of one of two Conduit instances under load (8 clients through
# HAProxy): only the requests in flight on it may fail (at most one per
# client, each a POST: HAProxy retries the idempotent ones), none after
# HAProxy's checks took it out (fall 2 at inter 1 s, plus a second), and
# every write the clients saw acknowledged is in the database.
set -u
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/conduit/lib.sh"
. "$top_srcdir/tests/scale/lib.sh"

scale_setup 6

load_start
sleep 2
killed_at=$(date +%s%3N)
inst_stop 1 KILL
sleep 6
touch "$workdir/stop"
wait "$load_pid"
load_status=$?

l=$workdir/load.json
requests=$(jq .requests "$l")
failed=$(jq .failed "$l")
[ "$load_status" = 0 ] && [ "${requests:-0}" -gt 100 ] && [ "$failed" -le 8 ]
ok $? "8 clients, one instance killed: $requests requests, $failed failed (at most one in flight per client)"
diag "failures: $(jq -c '[.failures[] | {ms: (.at - '"$killed_at"'), method, status}]' "$l")"
posts=$(jq '[.failures[] | select(.method != "POST")] | length' "$l")
is "$posts" 0 "only POSTs failed (HAProxy retried the GETs elsewhere)"
# In flight at the kill (it ended after it), or sent before HAProxy's
# checks took the instance out.
late=$(jq "[.failures[] | select(.at + .ms < $killed_at - 100 or .at > $killed_at + 3000)] | length" "$l")
is "$late" 0 "every failed request was in flight at the kill or sent within the 3 s after (HAProxy took the instance out)"
grep -q 'Server conduit/c1 is DOWN' "$workdir/haproxy.log"
ok $? "HAProxy marked the killed instance DOWN"
slugs=$(jq -r '.articles[]' "$l")
ids=$(jq -r '.comments[]' "$l")
na=$(jq '.articles | length' "$l")
nc=$(jq '.comments | length' "$l")
got=$(echo "SELECT count(*) FROM articles WHERE slug = ANY (string_to_array(:'list', E'\\n'))" |
	psql_ -v list="$slugs")
is "$got" "$na" "every acknowledged article is in the database ($got of $na)"
got=$(echo "SELECT count(*) FROM comments WHERE id::text = ANY (string_to_array(:'list', E'\\n'))" |
	psql_ -v list="$ids")
is "$got" "$nc" "every acknowledged comment is in the database ($got of $nc)"
[ "$tap_failed" -eq 0 ]
