#!/usr/bin/env bash
# GET /api/articles (20 articles with tags, authenticated) under wrk, in the
# manner of ../shared/bench/WORKLOAD.md: wrk -t1 -c64 pinned to CPU 0, the
# server with one thread pinned to CPU 1, a warm-up, three 10 s runs; prints
# requests/s and the server's CPU time per request of each run.
# Usage (from the build directory): $top_srcdir/examples/conduit/bench.sh
set -euo pipefail
bin=${CONDUIT_BIN:-./examples/conduit/conduit}
port=${PORT:-18300}
dir=$(mktemp -d "${TMPDIR:-/tmp}/conduit-bench.XXXXXX")
export CONDUIT_JWT_SECRET=bench-secret
# The libtool wrapper would exec the real binary; pin that one.
real=$(dirname "$bin")/.libs/$(basename "$bin")
[ -x "$real" ] || real=$bin
if [ "$real" != "$bin" ]; then
	export LD_LIBRARY_PATH=$PWD/runtime/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
taskset -c 1 "$real" --db "$dir/bench.db" --port "$port" --threads 1 --no-access-log \
	>"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$port/api
for _ in $(seq 50); do curl -fs -o /dev/null "$base/tags" && break; sleep 0.1; done
tok=$(curl -fsS -X POST "$base/users" -H 'Content-Type: application/json' \
	-d '{"user":{"username":"bench","email":"bench@example.org","password":"bench-password"}}' |
	jq -r .user.token)
for i in $(seq 20); do
	curl -fsS -o /dev/null -X POST "$base/articles" -H 'Content-Type: application/json' \
		-H "Authorization: Token $tok" \
		-d "{\"article\":{\"title\":\"Article $i\",\"description\":\"Description of article $i\",\"body\":\"The body of article $i.\",\"tagList\":[\"bench\",\"tag$i\"]}}"
done
echo "response: $(curl -fsS -H "Authorization: Token $tok" "$base/articles" | wc -c) bytes," \
	"$(curl -fsS -H "Authorization: Token $tok" "$base/articles" | jq '.articles | length') articles"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
taskset -c 0 wrk -t1 -c64 -d3s -H "Authorization: Token $tok" "$base/articles" >/dev/null
for run in 1 2 3; do
	before=$(cpu)
	out=$(taskset -c 0 wrk -t1 -c64 -d10s -H "Authorization: Token $tok" "$base/articles")
	ticks=$(($(cpu) - before))
	reqs=$(awk '/requests in/ {print $1}' <<<"$out")
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
	echo "run $run: $rps requests/s, $reqs requests, non-2xx ${non2xx:-0}," \
		"server CPU $(awk -v t="$ticks" -v r="$reqs" -v hz="$(getconf CLK_TCK)" \
			'BEGIN {printf "%.1f", t / hz * 1e6 / r}') us/request"
done
