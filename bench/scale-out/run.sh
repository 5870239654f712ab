#!/usr/bin/env bash
# bench/scale-out/run.sh: Conduit on PostgreSQL through HAProxy with 1 and 2
# instances, and directly on SQLite, under wrk: the authenticated
# GET /api/articles (20 articles with tags) and POST
# /api/articles/{slug}/comments. Prints one table: requests/s, p99 latency
# and CPU time per request of the Conduit processes, PostgreSQL and HAProxy
# (utime+stime from /proc over the run).
# Usage, from a build directory: $top_srcdir/bench/scale-out/run.sh
# Environment: SECONDS_GET [8], SECONDS_POST [5], CONNS [32], THREADS [1]
# (--threads of each instance).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top_srcdir=$(cd "$here/../.." && pwd)
top_builddir=$PWD
SECONDS_GET=${SECONDS_GET:-8} SECONDS_POST=${SECONDS_POST:-5} CONNS=${CONNS:-32}
THREADS=${THREADS:-1}
export CONDUIT_JWT_SECRET=bench-secret
CONDUIT_BIN=$top_builddir/examples/conduit/conduit
workdir=$(mktemp -d "${TMPDIR:-/tmp}/conduit-scale-bench.XXXXXX")
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
. "$top_srcdir/tests/scale/lib.sh"
why=$(scale_missing)
[ -z "$why" ] || { echo "bench/scale-out/run.sh: $why" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/scale-out/run.sh: wrk not found" >&2; exit 1; }
INSTANCE_ARGS="--no-access-log --threads $THREADS --db-pool 4"

hz=$(getconf CLK_TCK)
cpu_ticks() { # PID...: utime+stime of each and of their children processes
	local p sum=0 kids
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] || continue
		sum=$((sum + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
		kids=$(cat /proc/"$p"/task/*/children 2>/dev/null)
		[ -z "$kids" ] || sum=$((sum + $(cpu_ticks $kids)))
	done
	echo "$sum"
}

# setup BASE: a user and 20 articles; sets $tok and $slug.
setup() {
	local base=$1 i
	tok=$(curl -fsS -X POST "$base/users" -H 'Content-Type: application/json' \
		-d '{"user":{"username":"bench'$RANDOM'","email":"bench'$RANDOM'@example.org","password":"pw"}}' |
		jq -r .user.token)
	for i in $(seq 20); do
		slug=$(curl -fsS -X POST "$base/articles" -H 'Content-Type: application/json' \
			-H "Authorization: Token $tok" \
			-d "{\"article\":{\"title\":\"Article $i $RANDOM\",\"description\":\"Description $i\",\"body\":\"The body of article $i.\",\"tagList\":[\"bench\",\"tag$i\"]}}" |
			jq -r .article.slug)
	done
}

cat >"$workdir/comment.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"comment":{"body":"a comment from wrk"}}'
LUA

rows=()
# measure NAME URL SECONDS [wrk args...]: one row.
measure() {
	local name=$1 url=$2 secs=$3 c0 p0 h0 out reqs rps p99 non2xx
	shift 3
	c0=$(cpu_ticks "${conduit_pids[@]}"); p0=$(cpu_ticks ${pg_pid:-}); h0=$(cpu_ticks ${haproxy_pid:-})
	out=$(wrk -t1 -c"$CONNS" -d"${secs}s" --latency -H "Authorization: Token $tok" "$@" "$url")
	local c=$(( $(cpu_ticks "${conduit_pids[@]}") - c0 )) p=$(( $(cpu_ticks ${pg_pid:-}) - p0 ))
	local h=$(( $(cpu_ticks ${haproxy_pid:-}) - h0 ))
	reqs=$(awk '/requests in/ {print $1}' <<<"$out")
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
	us() { awk -v t="$1" -v r="$reqs" -v hz="$hz" 'BEGIN { printf "%.0f", t / hz * 1e6 / r }'; }
	rows+=("$(printf '%-46s %9s %9s %11s %9s %9s %7s' "$name" "$rps" "$p99" "$(us "$c")" \
		"$( [ -n "${pg_pid:-}" ] && us "$p" || echo -)" "$( [ -n "${haproxy_pid:-}" ] && us "$h" || echo -)" \
		"${non2xx:-0}")")
}

run_both() { # LABEL BASE
	setup "$2"
	wrk -t1 -c"$CONNS" -d2s -H "Authorization: Token $tok" "$2/articles" >/dev/null
	measure "$1: GET /api/articles" "$2/articles" "$SECONDS_GET"
	measure "$1: POST .../comments" "$2/articles/$slug/comments" "$SECONDS_POST" -s "$workdir/comment.lua"
}

# SQLite, directly.
"$CONDUIT_BIN" --bind 127.0.0.1 --port 0 --db "$workdir/bench.db" $INSTANCE_ARGS >"$workdir/sqlite.log" 2>&1 &
sqlite_pid=$!
for _ in $(seq 100); do
	p=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$workdir/sqlite.log" | head -n 1)
	[ -n "$p" ] && curl -fs -o /dev/null "http://127.0.0.1:$p/readyz" && break
	sleep 0.1
done
conduit_pids=("$sqlite_pid")
run_both "SQLite, direct" "http://127.0.0.1:$p/api"
kill -TERM "$sqlite_pid"; wait "$sqlite_pid"

# PostgreSQL through HAProxy: 1 instance, then 2.
pg_start || exit 1
for n in 1 2; do
	inst_start "$n" || exit 1
	haproxy_stop
	haproxy_start "$n" || exit 1
	conduit_pids=("${inst_pid[@]}")
	run_both "PostgreSQL, HAProxy, $n inst." "$proxy/api"
done

echo "Conduit, wrk -t1 -c$CONNS, --threads $THREADS per instance; CPU: us per request (utime+stime)"
printf '%-46s %9s %9s %11s %9s %9s %7s\n' "" "req/s" "p99" "conduit us" "pg us" "proxy us" "non2xx"
printf '%s\n' "${rows[@]}"
