#!/usr/bin/env bash
# bench/sqlite-sync.sh: what durable writes cost. The petstore's POST /v1/pets
# (one INSERT, one commit) under wrk, with --sqlite-sync full (the default:
# the WAL is synced before each write is acknowledged) and with
# --sqlite-sync normal (synced at checkpoints only), in one run and in turns
# (full, normal, full, ...) so a noisy machine weighs on both alike.
#
#   bench/sqlite-sync.sh     from the build directory (after `make`)
#
# Each mode is measured with one connection (one write at a time: the
# per-request time is the latency of a write) and with CONNS connections
# (writers queue on SQLite's write lock). Prints requests/s, the time a
# request takes and the full/normal ratios. The database lives in DB_DIR (default: a
# fresh directory under the current one): a tmpfs would make syncs free.
#
# Environment: PETSTORE_BIN (default ./examples/petstore/petstore), DURATION
# (wrk -d, default 10s), RUNS (default 3), CONNS (default 16), DB_DIR.
set -euo pipefail

bin=${PETSTORE_BIN:-./examples/petstore/petstore}
duration=${DURATION:-10s}
runs=${RUNS:-3}
conns=${CONNS:-16}
die() { echo "bench/sqlite-sync.sh: $*" >&2; exit 1; }
for t in wrk curl awk; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done
[ -x "$bin" ] || die "$bin not found: run from the build directory after make, or set PETSTORE_BIN"
# The libtool wrapper would exec the real binary; run that one.
real=$(dirname "$bin")/.libs/$(basename "$bin")
[ -x "$real" ] || real=$bin
if [ "$real" != "$bin" ]; then
	export LD_LIBRARY_PATH=$PWD/runtime/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
dir=$(mktemp -d "${DB_DIR:-$PWD}/sqlite-sync-bench.XXXXXX")
pid=
stop() {
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
}
trap 'stop; rm -rf "$dir"' EXIT

# Every request creates a pet with a name of its own (names are unique):
# the wrk thread's counter, prefixed by the run so no two runs share names.
cat >"$dir/post.lua" <<'EOF'
local n = 0
request = function()
	n = n + 1
	return wrk.format("POST", "/v1/pets", { ["Content-Type"] = "application/json" },
		string.format('{"name":"%s-%d"}', os.getenv("RUN_TAG"), n))
end
EOF

# start MODE: the petstore on a fresh database and a port the kernel picks;
# sets $pid and $base.
start() {
	local port= i
	rm -f "$dir"/pets.db*
	: >"$dir/server.log"
	"$real" --db "$dir/pets.db" --sqlite-sync "$1" --bind 127.0.0.1 --port 0 \
		--no-access-log --per-ip-connections 0 >"$dir/server.log" 2>&1 &
	pid=$!
	for i in $(seq 100); do
		port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$dir/server.log" | head -n 1)
		[ -n "$port" ] && curl -fs -o /dev/null "http://127.0.0.1:$port/openapi.json" && break
		kill -0 "$pid" 2>/dev/null || die "the server did not start: $(cat "$dir/server.log")"
		sleep 0.05
	done
	[ -n "$port" ] || die "the server did not start: $(cat "$dir/server.log")"
	base=http://127.0.0.1:$port
}

# measure MODE CONNS RUN: one wrk run; prints "requests/s ms-per-request
# non-2xx". A connection has one request in flight at a time, so a request
# takes CONNS / (requests/s) (wrk's mean latency is skewed by checkpoints).
measure() {
	local out
	start "$1"
	out=$(RUN_TAG="$1-$2-$3" wrk -t1 -c"$2" -d"$duration" -s "$dir/post.lua" "$base/v1/pets")
	stop
	awk -v c="$2" '
		/Requests\/sec/ { rps = $2 }
		/Non-2xx/ { bad = $5 }
		END { printf "%s %.3f %d\n", rps, (rps > 0 ? c * 1000 / rps : 0), bad + 0 }' <<<"$out"
}

fs=$(stat -f -c %T "$dir")
echo "petstore POST /v1/pets: $runs runs of $duration per case, in turns; database on $fs ($dir)"
declare -A sum_rps sum_ms bad
for c in 1 "$conns"; do
	for mode in full normal; do sum_rps[$mode-$c]=0; sum_ms[$mode-$c]=0; bad[$mode-$c]=0; done
	for run in $(seq "$runs"); do
		for mode in full normal; do
			read -r rps ms nb < <(measure "$mode" "$c" "$run")
			printf '  %-6s %2s conn  run %d: %10.1f requests/s  %8.3f ms/request  non-2xx %d\n' \
				"$mode" "$c" "$run" "$rps" "$ms" "$nb"
			sum_rps[$mode-$c]=$(awk -v a="${sum_rps[$mode-$c]}" -v b="$rps" 'BEGIN { print a + b }')
			sum_ms[$mode-$c]=$(awk -v a="${sum_ms[$mode-$c]}" -v b="$ms" 'BEGIN { print a + b }')
			bad[$mode-$c]=$((bad[$mode-$c] + nb))
		done
	done
done
echo
printf '%-26s %14s %14s %16s %16s\n' "" "full req/s" "normal req/s" "full ms/req" "normal ms/req"
for c in 1 "$conns"; do
	awk -v c="$c" -v r="$runs" -v fr="${sum_rps[full-$c]}" -v nr="${sum_rps[normal-$c]}" \
		-v fm="${sum_ms[full-$c]}" -v nm="${sum_ms[normal-$c]}" 'BEGIN {
		printf "%-26s %14.1f %14.1f %16.3f %16.3f\n", c " connection(s), mean of " r, fr / r, nr / r, fm / r, nm / r
		printf "%-26s %14s %.2fx slower (full/normal requests/s = %.2f), +%.3f ms per write\n", "", "full:", nr / fr, fr / nr, (fm - nm) / r
	}'
done
total_bad=0
for k in "${!bad[@]}"; do total_bad=$((total_bad + bad[$k])); done
[ "$total_bad" -eq 0 ] || echo "warning: $total_bad non-2xx answers (see above)"
