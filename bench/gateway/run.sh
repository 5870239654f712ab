#!/usr/bin/env bash
# bench/gateway/run.sh: the dashboard gateway benchmark. GET /dashboard of
# each gateway (Fastify and FastAPI peers in bench/gateway/peers, apic's
# examples/gateway when given) under wrk, every dashboard three calls to
# the upstream stub (bench/gateway/upstream.c, each answer 20 ms late),
# side by side in one run. See README.md beside this script.
#
#   bench/gateway/run.sh [--apic BIN | --apic-cmd CMD] [--only fastify|fastapi|apic] [--no-upstream-check]
#
# The upstream stub starts first and serves every gateway in turn; each
# gateway is started on a free port picked by the kernel, on 127.0.0.1,
# with the upstreams and their credentials in its environment (README.md),
# and stopped by its PID after its load. Everything this script started is
# stopped by PID on any exit, Ctrl-C included. --apic BIN runs
# "BIN --threads 2 --per-ip-connections 0 --no-access-log --port N";
# --apic-cmd CMD runs CMD (by bash, quoted as one argument) with
# "--port N" appended. Without either the apic row is left out.
#
# Environment (defaults in brackets):
#   BUILD_DIR [<top>/_build-bench-gateway]  the upstream stub is built there
#   OUT_DIR   [$BUILD_DIR/out/<time>]       logs and raw key=value results
#   CONNS [256] WRK_THREADS [2] WARMUP [3] DURATION [10]  wrk on /dashboard (s)
#   WRK_TIMEOUT [10]           wrk's timeout (s): a slower answer counts as an error
#   LIMIT [5]                  the dashboard's ?limit= (pets and articles)
#   DELAY_MS [20]              the upstream stub's delay per answer
#   UPSTREAM_THREADS [2]       libmicrohttpd threads of the stub
#   UPSTREAM_CONNECTIONS [512] keep-alive connections per upstream, each gateway
#                              (2 x CONNS: Conduit gets 2 calls per dashboard)
#   UPSTREAM_TIMEOUT_MS [1000] the gateways' upstream timeout (then 504)
#   ROUNDS [1]                 every gateway this many times, alternating;
#                              the table shows medians
#   FASTAPI_PYTHON             a python3 that imports fastapi, uvicorn and
#                              httpx (default: the first of python3,
#                              /usr/bin/python3 that does)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$top/_build-bench-gateway}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${OUT_DIR:-$build/out/$stamp}

CONNS=${CONNS:-256} WRK_THREADS=${WRK_THREADS:-2} WARMUP=${WARMUP:-3} DURATION=${DURATION:-10}
LIMIT=${LIMIT:-5} DELAY_MS=${DELAY_MS:-20} UPSTREAM_THREADS=${UPSTREAM_THREADS:-2}
UPSTREAM_CONNECTIONS=${UPSTREAM_CONNECTIONS:-512} UPSTREAM_TIMEOUT_MS=${UPSTREAM_TIMEOUT_MS:-1000}
ROUNDS=${ROUNDS:-1} WRK_TIMEOUT=${WRK_TIMEOUT:-10}
PETSTORE_TOKEN=bench-petstore-token CONDUIT_TOKEN=bench.conduit.jwt

# shellcheck disable=SC2034 # used by lib.sh
prog=bench/gateway/run.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
usage() {
	sed -n '8p' "${BASH_SOURCE[0]}" | sed 's/^#   /usage: /' >&2
	exit 2
}

apic_cmd='' only='' upstream_check=1
while [ $# -gt 0 ]; do
	case $1 in
	--apic)
		[ $# -ge 2 ] || usage
		[ -x "$2" ] || die "--apic $2: not an executable file"
		apic_cmd="$(printf '%q' "$2") --threads 2 --per-ip-connections 0 --no-access-log"
		shift
		;;
	--apic-cmd) [ $# -ge 2 ] || usage; apic_cmd=$2; shift ;;
	--only)
		[ $# -ge 2 ] || usage
		case $2 in fastify | fastapi | apic) only=$2 ;; *) usage ;; esac
		shift
		;;
	--no-upstream-check) upstream_check=0 ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
	shift
done
[ "$only" != apic ] || [ -n "$apic_cmd" ] || die "--only apic needs --apic BIN or --apic-cmd CMD"
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

mkdir -p "$build" "$out"
need_tools wrk
want fastapi && find_fastapi_python
want fastify && npm_ci
build_upstream

# CONNS gateway connections, up to 2 x UPSTREAM_CONNECTIONS upstream ones
# in the gateway and as many in the stub, which also takes 3 x CONNS for its
# own check: more than the default 1,024 descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((3 * CONNS + 2 * UPSTREAM_CONNECTIONS + 64))
[ "$(ulimit -n)" -ge "$need" ] || die "ulimit -n is $(ulimit -n) (hard limit $(ulimit -Hn)); this run needs $need"

# ---- processes: the stub ($up_pid) and one gateway at a time ($pid)
up_pid='' pid='' sampler=''
cleanup() {
	[ -z "$sampler" ] || stop_pid "$sampler"
	[ -z "$pid" ] || stop_pid "$pid"
	[ -z "$up_pid" ] || stop_pid "$up_pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

proc_cpu_us() { # PID: utime+stime of all its threads, in microseconds
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000000 / hz) }' "/proc/$1/stat"
}
sys_cpu() { # the machine's CPU ticks: total idle
	awk 'NR == 1 { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $5 + $6; exit }' /proc/stat
}
stats() { curl -sf "http://127.0.0.1:$up_port/stats" || die "the upstream stub's /stats failed"; }

# wrk's report to key=value lines: req_per_s, latency_p50_ms, latency_p99_ms,
# requests, socket_errors, non2xx.
wrk_kv() {
	awk '
		function ms(v) {
			if (v ~ /us$/) return v / 1000
			if (v ~ /ms$/) return v + 0
			if (v ~ /[0-9]s$/) return v * 1000
			return v * 60000 # minutes: "1.00m"
		}
		/^Requests\/sec:/ { print "req_per_s=" $2 }
		$1 == "50%" { print "latency_p50_ms=" ms($2) }
		$1 == "99%" { print "latency_p99_ms=" ms($2) }
		/Socket errors:/ { gsub(/,/, ""); print "socket_errors=" $4 + $6 + $8 + $10 }
		/Non-2xx or 3xx/ { print "non2xx=" $NF }
		/requests in/ { print "requests=" $1 }
	' "$1"
}

# ---- the upstream stub
up_port=$(free_port)
"$build/upstream" --port "$up_port" --delay-ms "$DELAY_MS" --threads "$UPSTREAM_THREADS" \
	--token "$PETSTORE_TOKEN" --jwt "$CONDUIT_TOKEN" >"$out/upstream.log" 2>&1 &
up_pid=$!
wait_listening upstream "$up_pid" "$up_port" "$out/upstream.log"
log "upstream: pid $up_pid, port $up_port, ${DELAY_MS} ms per answer"
export PETSTORE_URL=http://127.0.0.1:$up_port/v1 CONDUIT_URL=http://127.0.0.1:$up_port/api
export PETSTORE_TOKEN CONDUIT_TOKEN UPSTREAM_TIMEOUT_MS UPSTREAM_CONNECTIONS
log "results in $out"

# The stub alone, at as many connections as the gateways can have in
# flight to it (3 per dashboard): what it serves must exceed three times the
# fastest gateway's dashboards/s, or the stub is the limit.
if [ "$upstream_check" = 1 ]; then
	printf 'wrk.headers["Authorization"] = "Token %s"\n' "$CONDUIT_TOKEN" >"$out/conduit-auth.lua"
	log "upstream alone: wrk -c$((3 * CONNS)) on /api/articles, ${DURATION}s"
	c0=$(proc_cpu_us "$up_pid")
	wrk -t"$WRK_THREADS" --timeout "${WRK_TIMEOUT}s" -c$((3 * CONNS)) -d"${DURATION}s" --latency -s "$out/conduit-auth.lua" \
		"$CONDUIT_URL/articles?limit=$LIMIT" >"$out/upstream-alone.wrk.txt" 2>&1 ||
		die "wrk on the upstream stub failed (see $out/upstream-alone.wrk.txt)"
	c1=$(proc_cpu_us "$up_pid")
	{
		echo "conns=$((3 * CONNS))"
		wrk_kv "$out/upstream-alone.wrk.txt"
		echo "cpu_us=$((c1 - c0))"
	} >"$out/upstream-alone.kv"
fi

# ---- one gateway: bench_gateway LABEL
bench_gateway() {
	local label=$1 port kv=$out/gw-$1.r$round.kv url body
	port=$(free_port)
	start_gateway "$label" "$port" "$out/$label.log"
	log "$label: pid $pid, port $port"
	url="http://127.0.0.1:$port/dashboard?limit=$LIMIT"
	body=$(curl -sf "$url") || die "$label: GET /dashboard failed (see $out/$label.log)"
	python3 -c '
import json, sys
d, n = json.loads(sys.argv[1]), int(sys.argv[2])
assert len(d["pets"]) == n and len(d["articles"]) == n and d["tags"], "wrong counts"
assert set(d["articles"][0]) == {"slug", "title", "description", "tagList", "createdAt",
                                 "favoritesCount", "author"}, "wrong article keys"
assert isinstance(d["articles"][0]["author"], str), "author is not the username"
' "$body" "$LIMIT" || die "$label: GET /dashboard answered a wrong Dashboard: $body"
	printf '%s\n' "$body" >"$out/$label.dashboard.json"

	log "$label: wrk -t$WRK_THREADS -c$CONNS, ${WARMUP}s warm-up, ${DURATION}s"
	wrk -t"$WRK_THREADS" --timeout "${WRK_TIMEOUT}s" -c"$CONNS" -d"${WARMUP}s" "$url" >"$out/$label.warmup.txt" 2>&1 || true
	(
		while kill -0 "$pid" 2>/dev/null; do
			awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null || true
			sleep 0.2
		done
	) >"$out/$label.rss" &
	sampler=$!
	local c0 c1 u0 u1 s0 s1 st0 st1
	st0=$(stats)
	c0=$(proc_cpu_us "$pid") u0=$(proc_cpu_us "$up_pid") s0=$(sys_cpu)
	wrk -t"$WRK_THREADS" --timeout "${WRK_TIMEOUT}s" -c"$CONNS" -d"${DURATION}s" --latency "$url" >"$out/$label.wrk.txt" 2>&1 ||
		echo "wrk failed" >>"$out/$label.wrk.txt"
	c1=$(proc_cpu_us "$pid") u1=$(proc_cpu_us "$up_pid") s1=$(sys_cpu)
	st1=$(stats)
	stop_pid "$sampler"
	sampler=''
	{
		echo "server=$label"
		wrk_kv "$out/$label.wrk.txt"
		echo "cpu_us=$((c1 - c0))"
		echo "upstream_cpu_us=$((u1 - u0))"
		echo "seconds=$DURATION"
		awk '$1 > r { r = $1 } END { print "rss_max_kb=" r + 0 }' "$out/$label.rss"
		echo "$s0 $s1" | awk '{ t = $3 - $1; if (t > 0) printf "machine_idle_pct=%.0f\n", 100 * ($4 - $2) / t }'
		python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for k in b:
    print("upstream_%s=%d" % (k, b[k] - a.get(k, 0)))
' "$st0" "$st1"
	} >"$kv"
	stop_pid "$pid"
	pid=''
}

for round in $(seq "$ROUNDS"); do
	[ "$ROUNDS" = 1 ] || log "round $round of $ROUNDS"
	if [ -n "$apic_cmd" ] && want apic; then bench_gateway apic; fi
	if want fastify; then bench_gateway fastify; fi
	if want fastapi; then bench_gateway fastapi; fi
done

# ---- the table
python3 - "$out" "$CONNS" "$LIMIT" "$DELAY_MS" "$ROUNDS" <<'EOF'
import glob, os, statistics, sys

out, conns, limit, delay, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

def kv(path):
    d = {}
    for line in open(path):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            d[k] = v
    return d

def f(d, k):
    try:
        return float(d[k])
    except (KeyError, ValueError):
        return None

runs = {}
for path in sorted(glob.glob(os.path.join(out, "gw-*.kv"))):
    d = kv(path)
    r = {}
    req = f(d, "requests")
    secs = f(d, "seconds")
    r["req_per_s"] = f(d, "req_per_s")
    r["p50"] = f(d, "latency_p50_ms")
    r["p99"] = f(d, "latency_p99_ms")
    r["errors"] = (f(d, "socket_errors") or 0) + (f(d, "non2xx") or 0)
    r["cpu_us_req"] = f(d, "cpu_us") / req if req else None
    r["cpu_pct"] = f(d, "cpu_us") / (secs * 1e4) if secs else None
    r["up_cpu_pct"] = f(d, "upstream_cpu_us") / (secs * 1e4) if secs else None
    calls = sum(f(d, "upstream_" + k) or 0 for k in ("pets", "articles", "tags"))
    r["calls_req"] = calls / req if req else None
    r["unauth"] = f(d, "upstream_unauthorized") or 0
    r["rss_mb"] = f(d, "rss_max_kb") / 1024 if f(d, "rss_max_kb") else None
    r["idle"] = f(d, "machine_idle_pct")
    runs.setdefault(d.get("server", "?"), []).append(r)

rows = []
for server, rs in runs.items():
    row = {"server": server}
    for k in rs[0]:
        vals = [x[k] for x in rs if x[k] is not None]
        row[k] = statistics.median(vals) if vals else None
    rows.append(row)
order = {"apic": 0, "fastify": 1, "fastapi": 2}
rows.sort(key=lambda r: order.get(r["server"], 9))
base = next((r for r in rows if r["server"] == "fastify"), None)

cols = [("req/s", "req_per_s", 0, True), ("p50 ms", "p50", 1, True), ("p99 ms", "p99", 1, True),
        ("errors", "errors", 0, False), ("CPU us/req", "cpu_us_req", 0, True),
        ("srv CPU%", "cpu_pct", 0, False), ("stub CPU%", "up_cpu_pct", 0, False),
        ("calls/req", "calls_req", 2, False), ("401s", "unauth", 0, False),
        ("RSS MB", "rss_mb", 1, True), ("idle%", "idle", 0, False)]
head = ["gateway"] + [c[0] for c in cols]
body = []
for r in rows:
    line = [r["server"]]
    for _, k, digits, ratio in cols:
        v = r[k]
        cell = "-" if v is None else f"{v:,.{digits}f}"
        if ratio and base is not None and r is not base and v is not None and base[k]:
            cell += f" ({v / base[k]:.2f}x)"
        line.append(cell)
    body.append(line)

print(f"\nGET /dashboard?limit={limit} under {conns} connections (wrk); every dashboard is 3 upstream calls, "
      f"each answered {delay} ms late")
if body:
    w = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    print("| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(head)) + " |")
    print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for line in body:
        print("| " + " | ".join(c.ljust(w[0]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(line)) + " |")
print("(Nx): the figure divided by Fastify's. CPU us/req: the gateway's utime+stime (all threads) / requests;")
print("srv and stub CPU%: of one core over the window; calls/req: upstream calls the stub counted per")
print("dashboard (3 when every dashboard made its three calls); 401s: upstream calls refused for missing")
print("credentials; errors: wrk's socket errors and non-2xx answers; RSS: the highest VmRSS sampled.")
alone = os.path.join(out, "upstream-alone.kv")
if os.path.exists(alone):
    d = kv(alone)
    rps, req = f(d, "req_per_s"), f(d, "requests")
    print(f"The stub alone: {rps:,.0f} req/s at {d['conns']} connections, p99 {f(d, 'latency_p99_ms'):.1f} ms, "
          f"{f(d, 'cpu_us') / req:.0f} us CPU per request" if req else "The stub alone: wrk failed")
    fastest = max((r["req_per_s"] or 0 for r in rows), default=0)
    if fastest and rps:
        verdict = "not the limit" if rps >= 3 * fastest else "POSSIBLY THE LIMIT"
        print(f"  = {rps / fastest:.1f} x the fastest gateway's dashboards/s (3 needed): the stub is {verdict}.")
print(("Medians of %d rounds" % rounds if rounds > 1 else "One round") +
      " on a shared 2-core machine: compare rows, not runs.")
EOF
