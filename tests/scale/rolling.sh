#!/bin/sh
# Rolling restart: 8 clients create articles and comments through HAProxy
# while each of two Conduit instances in turn gets SIGTERM (readiness turns
# 503, --drain-delay 3 s, then the requests in flight finish) and is started
# again on its port. No request may fail, and every write the clients saw
# acknowledged must be in the database afterwards.
set -u
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/conduit/lib.sh"
. "$top_srcdir/tests/scale/lib.sh"

scale_setup 6

load_start
sleep 2
restarted=0
for k in 1 2; do
	inst_stop "$k" TERM
	[ "${inst_status[$k]}" = 0 ] && restarted=$((restarted + 1))
	inst_start "$k" || break
	# Back in HAProxy's rotation: two checks at 1 s (rise 2).
	sleep 3
done
sleep 1
touch "$workdir/stop"
wait "$load_pid"
load_status=$?

is "$restarted" 2 "both instances stopped with status 0 on SIGTERM and started again"
requests=$(jq .requests "$workdir/load.json")
failed=$(jq .failed "$workdir/load.json")
[ "$load_status" = 0 ] && [ "${requests:-0}" -gt 100 ] && [ "$failed" = 0 ]
ok $? "8 clients through the restarts: $requests requests, $failed failed (by status: $(jq -c .byStatus "$workdir/load.json"))"
[ "$failed" = 0 ] || diag "$(jq -c '.failures[:20], .errors' "$workdir/load.json")" "$(tail -n 5 "$workdir/load.out")"
for k in 1 2; do
	n=$(grep -c 'GET /readyz 503' "$workdir/inst-$k.log")
	[ "$n" -gt 0 ]
	ok $? "instance $k answered the readiness check 503 while draining ($n times)"
done
slugs=$(jq -r '.articles[]' "$workdir/load.json")
ids=$(jq -r '.comments[]' "$workdir/load.json")
na=$(jq '.articles | length' "$workdir/load.json")
nc=$(jq '.comments | length' "$workdir/load.json")
got=$(echo "SELECT count(*) FROM articles WHERE slug = ANY (string_to_array(:'list', E'\n'))" |
	psql_ -v list="$slugs")
is "$got" "$na" "every acknowledged article is in the database ($got of $na)"
got=$(echo "SELECT count(*) FROM comments WHERE id::text = ANY (string_to_array(:'list', E'\n'))" |
	psql_ -v list="$ids")
is "$got" "$nc" "every acknowledged comment is in the database ($got of $nc)"
[ "$tap_failed" -eq 0 ]
