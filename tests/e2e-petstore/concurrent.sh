#!/usr/bin/env bash
# Concurrent writers: 8 clients create 500 pets each at the same time, on
# keep-alive connections, against a server with 4 threads and one SQLite
# file. Every create must answer 201 and all 4000 pets must be there, each
# with its own id.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/e2e-petstore/lib.sh"

clients=8
per_client=500
start_server "$top_builddir/examples/petstore/petstore" --db "$tmp/pets.db" --threads 4

# One curl process per client, its 500 requests in a config file.
for c in $(seq "$clients"); do
	for i in $(seq "$per_client"); do
		[ "$i" -gt 1 ] && echo next
		printf 'url = "%s/v1/pets"\nrequest = "POST"\nheader = "Content-Type: application/json"\n' "$base"
		printf 'data = "{\\"name\\":\\"c%d-%d\\",\\"tag\\":\\"t%d\\"}"\n' "$c" "$i" "$c"
		printf 'silent\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n'
	done >"$tmp/client$c.cfg"
done
for c in $(seq "$clients"); do
	curl -K "$tmp/client$c.cfg" >"$tmp/client$c.out" 2>"$tmp/client$c.err" &
done
wait_ok=0
for job in $(jobs -p); do
	[ "$job" = "$server_pid" ] && continue
	wait "$job" || wait_ok=$?
done
is "$wait_ok" 0 "every curl client exited 0"
is "$(cat "$tmp"/client*.out | grep -c '^201$')" $((clients * per_client)) "all $((clients * per_client)) creates answered 201"
is "$(cat "$tmp"/client*.out | grep -vc '^201$')" 0 "no other status"

req GET '/v1/pets?limit=1'
is "$(header x-total-count)" $((clients * per_client)) "the store holds $((clients * per_client)) pets"
for c in 1 "$clients"; do
	req GET "/v1/pets?tag=t$c&limit=1"
	is "$(header x-total-count)" "$per_client" "client $c's $per_client pets are all there"
done
# Ids are 1..4000 with no gap and no duplicate: the last page ends at 4000.
req GET "/v1/pets?limit=100&offset=$((clients * per_client - 100))"
is "$(json '[.[0].id, .[-1].id, length]')" "[$((clients * per_client - 99)),$((clients * per_client)),100]" "ids run up to $((clients * per_client))"

stop_server
is "$server_status" 0 "the server stops cleanly"
done_testing
