#!/usr/bin/env bash
# Instructions per request of the petstore-lite server (bench/petstore-lite)
# for the workload of ../shared/bench/WORKLOAD.md, counted by callgrind, for
# one or more builds side by side: a build of the commit before a change
# against a build with it. Not a test: it prints, it asserts nothing.
#
#   bench/callgrind-requests.sh BUILD_DIR [BUILD_DIR...]
#   N=200 bench/callgrind-requests.sh /tmp/b-base /tmp/b-new
#
# Each case runs the server under callgrind twice, with N and 2N requests on
# one keep-alive connection; (Ir(2N) - Ir(N)) / N is the cost of one request
# with start-up and shutdown cancelled out. One line per case and build, and
# the ratio to the first build.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,13p' "$0"; exit 2; }
N=${N:-200}
work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# The client: COUNT requests of one case on one connection.
cat >"$work/client.py" <<'EOF'
import http.client, sys
port, case, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port)
req = {
    "post_valid": ("POST", "/pets", '{"name":"rex","tag":"dog","age":3}'),
    "post_invalid": ("POST", "/pets", '{"name":"rex","tag":"dog","age":99}'),
    "list_100": ("GET", "/pets?limit=100", None),
    "get_one": ("GET", "/pets/7", None),
}[case]
for _ in range(count):
    h = {"Content-Type": "application/json"} if req[2] else {}
    c.request(req[0], req[1], body=req[2], headers=h)
    r = c.getresponse()
    r.read()
    if r.status >= 500:
        sys.exit("status %d" % r.status)
EOF

port_of() { # the port the server printed, or empty
	sed -n 's|.*listening on http://[^/]*:\([0-9]*\)/.*|\1|p' "$1" | head -n1
}

# Total instructions of one server run answering COUNT requests of CASE.
run() {
	local server=$1 case=$2 count=$3 out=$work/cg.out log=$work/server.log
	rm -f "$out"
	valgrind --tool=callgrind --callgrind-out-file="$out" "$server" --port 0 --threads 1 \
		--no-access-log >"$log" 2>&1 &
	pid=$!
	local port=
	for _ in $(seq 600); do
		port=$(port_of "$log")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { cat "$log" >&2; echo "callgrind-requests: the server did not start" >&2; exit 1; }
	python3 "$work/client.py" "$port" "$case" "$count"
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
	sed -n 's/^summary: *//p; s/^totals: *//p' "$out" | head -n1
}

cases=${CASES:-"post_valid post_invalid list_100 get_one"}
declare -A first
for case in $cases; do
	for build in "$@"; do
		server=$build/bench/petstore-lite
		[ -x "$server" ] || { echo "callgrind-requests: no $server" >&2; exit 1; }
		a=$(run "$server" "$case" "$N")
		b=$(run "$server" "$case" $((2 * N)))
		per=$(( (b - a) / N ))
		ratio=
		if [ -z "${first[$case]:-}" ]; then
			first[$case]=$per
		else
			ratio=$(python3 -c "print('x%.3f' % ($per / ${first[$case]}))")
		fi
		printf '%-13s %-28s %8d instr/request %s\n' "$case" "$build" "$per" "$ratio"
	done
done
