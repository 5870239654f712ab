#!/usr/bin/env bash
# bench/async/run.sh: the async benchmarks (SSE fan-out, WebSocket echo and
# broadcast, a 50 ms wait under 1,000 connections) of the peer servers in
# bench/async/peers and, when given, of apic's servers, side by side in one
# run. See README.md beside this script.
#
#   bench/async/run.sh [sse|ws|wait|all] [--apic BIN] [--apic-sse CMD] [--apic-ws CMD] [--apic-wait CMD]
#
# Each server is started on a free port picked by the kernel, on 127.0.0.1;
# an apic command gets "--port N" appended (it is run by bash: quote it as
# one argument). The server is stopped by its PID after its load, and on
# any exit. --apic BIN runs BIN, bench/async/apic-server of a build, for
# all three (2 workers, no per-address limit, room for 10,000 streams).
# Prints one table per benchmark; with an apic command, each
# figure of a peer is followed by its ratio to apic's (peer / apic).
#
# Environment (defaults in brackets):
#   BUILD_DIR [<top>/_build-bench-async]  the load tools are built there
#   OUT_DIR   [$BUILD_DIR/out/<time>]     logs and raw key=value results
#   SSE_CLIENTS [10000] SSE_WARMUP [2] SSE_SECONDS [10] SSE_CONNECT_TIMEOUT [60]
#   SSE_THREADS [1]                       client threads of sse-load
#   WS_CONNS [100] WS_INFLIGHT [8]        echo: connections x messages in flight
#   WS_BCAST_CONNS [100] WS_BCAST_SENDERS [10] WS_BCAST_INFLIGHT [4]
#   WS_SIZE [32] WS_WARMUP [2] WS_SECONDS [10] WS_THREADS [1]
#   WAIT_CONNS [1000] WAIT_THREADS [2] WAIT_WARMUP [3] WAIT_SECONDS [10]
#   ROUNDS [1]                            run every server this many times,
#                                         alternating; the tables show medians
#   FASTAPI_PYTHON                        a python3 that imports fastapi and
#                                         uvicorn (default: the first of
#                                         python3, /usr/bin/python3 that does)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$top/_build-bench-async}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${OUT_DIR:-$build/out/$stamp}

SSE_CLIENTS=${SSE_CLIENTS:-10000} SSE_WARMUP=${SSE_WARMUP:-2} SSE_SECONDS=${SSE_SECONDS:-10}
SSE_CONNECT_TIMEOUT=${SSE_CONNECT_TIMEOUT:-60} SSE_THREADS=${SSE_THREADS:-1}
WS_CONNS=${WS_CONNS:-100} WS_INFLIGHT=${WS_INFLIGHT:-8}
WS_BCAST_CONNS=${WS_BCAST_CONNS:-100} WS_BCAST_SENDERS=${WS_BCAST_SENDERS:-10}
WS_BCAST_INFLIGHT=${WS_BCAST_INFLIGHT:-4} WS_SIZE=${WS_SIZE:-32}
WS_WARMUP=${WS_WARMUP:-2} WS_SECONDS=${WS_SECONDS:-10} WS_THREADS=${WS_THREADS:-1}
WAIT_CONNS=${WAIT_CONNS:-1000} WAIT_THREADS=${WAIT_THREADS:-2}
WAIT_WARMUP=${WAIT_WARMUP:-3} WAIT_SECONDS=${WAIT_SECONDS:-10}
ROUNDS=${ROUNDS:-1}

die() { echo "bench/async/run.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
usage() {
	sed -n '7p' "${BASH_SOURCE[0]}" | sed 's/^#   /usage: /' >&2
	exit 2
}

which=all apic_sse='' apic_ws='' apic_wait=''
while [ $# -gt 0 ]; do
	case $1 in
	sse | ws | wait | all) which=$1 ;;
	--apic)
		[ $# -ge 2 ] || usage
		apic_sse="$2 --threads 2 --per-ip-connections 0 --max-connections 20000 --max-streams 20000"
		apic_ws="$2 --threads 2 --per-ip-connections 0" apic_wait=$apic_ws
		shift
		;;
	--apic-sse) [ $# -ge 2 ] || usage; apic_sse=$2; shift ;;
	--apic-ws) [ $# -ge 2 ] || usage; apic_ws=$2; shift ;;
	--apic-wait) [ $# -ge 2 ] || usage; apic_wait=$2; shift ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
	shift
done
want() { [ "$which" = all ] || [ "$which" = "$1" ]; }

for t in node npm gcc wrk python3 curl; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done
mkdir -p "$build" "$out"

# ---- the servers' and the load tools' files
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.bench-lock" 2>/dev/null; then
	log "npm ci in bench/async"
	(cd "$here" && npm ci --no-audit --no-fund >"$out/npm-ci.log" 2>&1) ||
		{ tail -n 20 "$out/npm-ci.log" >&2; die "npm ci failed"; }
	cp "$here/package-lock.json" "$here/node_modules/.bench-lock"
fi
cflags="-std=c11 -Wall -Wextra -Werror -O2 -pthread"
build_tool() { # NAME LIBS...
	local name=$1
	shift
	if [ ! -x "$build/$name" ] || [ "$here/$name.c" -nt "$build/$name" ] ||
		[ "$here/bench-common.h" -nt "$build/$name" ]; then
		log "building $name"
		# shellcheck disable=SC2086
		gcc $cflags -o "$build/$name" "$here/$name.c" "$@" || die "cannot build $name"
	fi
}
want sse && build_tool sse-load
want ws && build_tool ws-load -lwslay

fastapi_py=
if want wait; then
	for py in ${FASTAPI_PYTHON:-python3 /usr/bin/python3}; do
		if "$py" -c 'import fastapi, uvicorn' 2>/dev/null; then
			fastapi_py=$py
			break
		fi
	done
	[ -n "$fastapi_py" ] ||
		die "no python3 imports fastapi and uvicorn (apt-get install -y python3-fastapi python3-uvicorn)"
fi

# Enough descriptors for 10,000 sockets in the load tool and in the server
# (the tools raise their own limit too; uvicorn and wrk do not).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- starting and stopping servers
# One server runs at a time: $pid, empty when none.
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server LABEL CMD...: starts CMD (which listens on $port), sets pid,
# waits until the port accepts; output goes to $out/LABEL.log.
start_server() {
	local label=$1
	shift
	"$@" >"$out/$label.log" 2>&1 &
	pid=$!
	local _
	for _ in $(seq 200); do
		kill -0 "$pid" 2>/dev/null ||
			{ tail -n 20 "$out/$label.log" >&2; die "$label exited at start (see $out/$label.log)"; }
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	die "$label did not listen on port $port within 20 s"
}

stop_server() {
	kill "$pid" 2>/dev/null || true
	local _
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
}

# run_server LABEL KIND: starts a peer (fastify, ws, fastapi) or apic
# (apic:CMD) on a free port; sets port and pid.
run_server() {
	local label=$1 kind=$2
	port=$(free_port)
	case $kind in
	fastify) start_server "$label" node "$here/peers/fastify-server.js" "$port" ;;
	ws) start_server "$label" node "$here/peers/ws-server.js" "$port" ;;
	fastapi)
		start_server "$label" "$fastapi_py" -m uvicorn --app-dir "$here/peers" fastapi_app:app \
			--host 127.0.0.1 --port "$port" --workers 1 --loop asyncio \
			--log-level warning --no-access-log
		;;
	apic:*) start_server "$label" bash -c "exec ${kind#apic:} --port $port" ;;
	*) die "unknown server $kind" ;;
	esac
	log "$label: pid $pid, port $port"
}

sys_cpu() { # the machine's CPU ticks: total idle softirq steal
	awk 'NR == 1 { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $5 + $6, $8, $9; exit }' /proc/stat
}

proc_cpu_us() { # PID: utime+stime in microseconds
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000000 / hz) }' "/proc/$1/stat"
}

# ---- the benchmarks; each writes $out/BENCH-LABEL.kv (key=value lines)
bench_sse() { # LABEL KIND
	local label=$1 kv=$out/sse-$1.r$round.kv
	run_server "sse-$label" "$2"
	log "sse $label: $SSE_CLIENTS clients, ${SSE_SECONDS}s"
	{
		echo "server=$label"
		"$build/sse-load" --port "$port" --clients "$SSE_CLIENTS" --threads "$SSE_THREADS" \
			--warmup "$SSE_WARMUP" --duration "$SSE_SECONDS" \
			--connect-timeout "$SSE_CONNECT_TIMEOUT" --pid "$pid" 2>"$out/sse-$label.load.log" ||
			echo "failed=1"
	} >"$kv"
	stop_server
}

bench_ws() { # LABEL KIND
	local label=$1
	run_server "ws-$label" "$2"
	log "ws echo $label: $WS_CONNS x $WS_INFLIGHT, ${WS_SECONDS}s"
	{
		echo "server=$label"
		"$build/ws-load" --port "$port" --mode echo --conns "$WS_CONNS" --inflight "$WS_INFLIGHT" \
			--size "$WS_SIZE" --threads "$WS_THREADS" --warmup "$WS_WARMUP" \
			--duration "$WS_SECONDS" --pid "$pid" 2>"$out/ws-echo-$label.load.log" || echo "failed=1"
	} >"$out/ws-echo-$label.r$round.kv"
	log "ws broadcast $label: $WS_BCAST_CONNS conns, $WS_BCAST_SENDERS x $WS_BCAST_INFLIGHT sending"
	{
		echo "server=$label"
		"$build/ws-load" --port "$port" --mode broadcast --conns "$WS_BCAST_CONNS" \
			--senders "$WS_BCAST_SENDERS" --inflight "$WS_BCAST_INFLIGHT" --size "$WS_SIZE" \
			--threads "$WS_THREADS" --warmup "$WS_WARMUP" --duration "$WS_SECONDS" \
			--pid "$pid" 2>"$out/ws-broadcast-$label.load.log" || echo "failed=1"
	} >"$out/ws-broadcast-$label.r$round.kv"
	stop_server
}

bench_wait() { # LABEL KIND
	local label=$1 kv=$out/wait-$1.r$round.kv url
	run_server "wait-$label" "$2"
	url=http://127.0.0.1:$port/wait
	curl -sf -o /dev/null "$url" || die "wait $label: GET /wait failed"
	log "wait $label: wrk -t$WAIT_THREADS -c$WAIT_CONNS, ${WAIT_WARMUP}s warm-up, ${WAIT_SECONDS}s"
	wrk -t"$WAIT_THREADS" -c"$WAIT_CONNS" -d"${WAIT_WARMUP}s" "$url" >"$out/wait-$label.warmup.txt" 2>&1 || true
	# Threads and VmRSS sampled every 0.2 s during the measured run.
	(
		while kill -0 "$pid" 2>/dev/null; do
			awk '$1 == "Threads:" { t = $2 } $1 == "VmRSS:" { r = $2 } END { print t, r }' \
				"/proc/$pid/status" 2>/dev/null || true
			sleep 0.2
		done
	) >"$out/wait-$label.samples" &
	local sampler=$! cpu0 cpu1 sys0 sys1
	cpu0=$(proc_cpu_us "$pid")
	sys0=$(sys_cpu)
	wrk -t"$WAIT_THREADS" -c"$WAIT_CONNS" -d"${WAIT_SECONDS}s" --latency "$url" >"$out/wait-$label.wrk.txt" 2>&1 ||
		echo "wrk failed" >>"$out/wait-$label.wrk.txt"
	cpu1=$(proc_cpu_us "$pid")
	sys1=$(sys_cpu)
	kill "$sampler" 2>/dev/null || true
	wait "$sampler" 2>/dev/null || true
	{
		echo "server=$label"
		awk -v c0="$cpu0" -v c1="$cpu1" -v d="$WAIT_SECONDS" '
			function ms(v) {
				if (v ~ /us$/) return v / 1000
				if (v ~ /ms$/) return v + 0
				if (v ~ /[0-9]s$/) return v * 1000
				return v / 60000 # minutes: "1.00m"
			}
			/^Requests\/sec:/ { print "req_per_s=" $2 }
			$1 == "50%" { print "latency_p50_ms=" ms($2) }
			$1 == "99%" { print "latency_p99_ms=" ms($2) }
			/Socket errors:/ { gsub(/,/, ""); print "socket_errors=" $4 + $6 + $8 + $10; print "timeouts=" $10 }
			/Non-2xx or 3xx/ { print "non2xx=" $NF }
			/requests in/ { print "requests=" $1 }
			END { printf "server_cpu_pct=%.0f\n", (c1 - c0) / (d * 10000) }
		' "$out/wait-$label.wrk.txt"
		awk '$1 > t { t = $1 } $2 > r { r = $2 } END { print "server_threads_max=" t + 0; print "server_rss_max_kb=" r + 0 }' \
			"$out/wait-$label.samples"
		echo "$sys0 $sys1" | awk '{ t = $5 - $1; if (t > 0) {
			printf "machine_idle_pct=%.0f\nmachine_softirq_pct=%.0f\nmachine_steal_pct=%.0f\n",
				100 * ($6 - $2) / t, 100 * ($7 - $3) / t, 100 * ($8 - $4) / t } }'
	} >"$kv"
	stop_server
}

log "results in $out"
for round in $(seq "$ROUNDS"); do
	[ "$ROUNDS" = 1 ] || log "round $round of $ROUNDS"
	if want sse; then
		[ -z "$apic_sse" ] || bench_sse apic "apic:$apic_sse"
		bench_sse fastify fastify
	fi
	if want ws; then
		[ -z "$apic_ws" ] || bench_ws apic "apic:$apic_ws"
		bench_ws ws ws
	fi
	if want wait; then
		[ -z "$apic_wait" ] || bench_wait apic "apic:$apic_wait"
		bench_wait fastify fastify
		bench_wait fastapi fastapi
	fi
done

# ---- the tables
python3 - "$out" "$WAIT_CONNS" "$ROUNDS" <<'EOF'
import glob, os, statistics, sys

out, wait_conns = sys.argv[1], sys.argv[2]

def load(prefix):
    """One row per server: the median of each figure over the rounds."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(out, prefix + "-*.kv"))):
        kv = {}
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                kv[k] = v
        runs.setdefault(kv.get("server", "?"), []).append(kv)
    rows = []
    for server, rs in runs.items():
        row = {"server": server, "rounds": str(len(rs))}
        if any(r.get("failed") for r in rs):
            row["failed"] = "1"
        for k in {k for r in rs for k in r} - {"server", "failed"}:
            vals = [r[k] for r in rs if k in r]
            try:
                xs = sorted(float(v) for v in vals)
                row[k] = repr(statistics.median(xs))
            except ValueError:
                row[k] = vals[0]
        rows.append(row)
    rows.sort(key=lambda r: (r["server"] != "apic", r["server"]))
    return rows

def num(r, k):
    try:
        return float(r[k])
    except (KeyError, ValueError):
        return None

def fmt(v, digits):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"

def table(title, rows, cols, notes):
    # cols: (heading, key or function, digits, ratio?)
    if not rows:
        return
    apic = next((r for r in rows if r.get("server") == "apic"), None)
    head = ["server"] + [c[0] for c in cols]
    body = []
    for r in rows:
        line = [r.get("server", "?") + (" (FAILED)" if r.get("failed") else "")]
        for _, key, digits, ratio in cols:
            v = key(r) if callable(key) else num(r, key)
            cell = fmt(v, digits) if not isinstance(v, str) else v
            if ratio and apic is not None and r is not apic and isinstance(v, float):
                a = key(apic) if callable(key) else num(apic, key)
                if isinstance(a, float) and a:
                    cell += f" ({v / a:.2f}x)"
            line.append(cell)
        body.append(line)
    w = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(head)) + " |")
    print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for line in body:
        print("| " + " | ".join(c.ljust(w[0]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(line)) + " |")
    for n in notes:
        print(n)

def i(r, k):
    v = num(r, k)
    return "?" if v is None else str(int(v))

mb = lambda k: (lambda r: num(r, k) / 1024 if num(r, k) is not None else None)

sse = load("sse")
clients = lambda r: f"{i(r, 'clients_connected')}/{i(r, 'clients')}"
table("SSE fan-out: one event every 10 ms to every client",
      sse,
      [("clients", clients, 0, False),
       ("connect s", "connect_seconds", 1, False),
       ("ticks/s", "ticks_per_s", 1, True),
       ("events/s", "events_per_s", 0, True),
       ("missed", "missed_events", 0, False),
       ("p50 ms", "latency_p50_ms", 2, True),
       ("p99 ms", "latency_p99_ms", 2, True),
       ("RSS MB", mb("server_rss_kb"), 1, True),
       ("HWM MB", mb("server_hwm_kb"), 1, True),
       ("CPU us/event", "server_cpu_us_per_event", 2, True),
       ("srv CPU%", "server_cpu_pct", 0, False),
       ("load CPU%", "client_cpu_pct", 0, False),
       ("idle%", "machine_idle_pct", 0, False)],
      ["ticks/s: distinct events seen per second (100 when the server keeps up);",
       "events/s: deliveries counted by the client; missed: events skipped by single clients;",
       "latency: client receipt - sent_us;",
       "RSS: VmRSS at the end of the window, all clients connected; HWM: VmHWM;",
       "CPU us/event: server utime+stime / events delivered; idle%: the whole machine's.",
       "idle% near 0: the machine (much of it loopback TCP in softirq) is the limit."]
      if sse else [])

for mode, title in (("echo", "WebSocket echo: each connection keeps K messages in flight"),
                    ("broadcast", "WebSocket broadcast: M senders, every message to every connection")):
    rows = load("ws-" + mode)
    if mode == "echo":
        cols = [("conns x K", lambda r: f"{i(r, 'conns')} x {i(r, 'inflight')}", 0, False),
                ("msg/s", "received_per_s", 0, True),
                ("p50 ms", "latency_p50_ms", 2, True),
                ("p99 ms", "latency_p99_ms", 2, True),
                ("CPU us/msg", "server_cpu_us_per_received", 2, True),
                ("srv CPU%", "server_cpu_pct", 0, False),
                ("load CPU%", "client_cpu_pct", 0, False),
                ("idle%", "machine_idle_pct", 0, False),
                ("RSS MB", mb("server_rss_kb"), 1, True)]
        notes = ["msg/s: echoes back at the client; CPU us/msg: server utime+stime / messages."]
    else:
        cols = [("conns, M x K", lambda r: f"{i(r, 'conns')}, {i(r, 'senders')} x {i(r, 'inflight')}", 0, False),
                ("sent/s", "sent_per_s", 0, True),
                ("delivered/s", "received_per_s", 0, True),
                ("p50 ms", "latency_p50_ms", 2, True),
                ("p99 ms", "latency_p99_ms", 2, True),
                ("CPU us/delivery", "server_cpu_us_per_received", 2, True),
                ("srv CPU%", "server_cpu_pct", 0, False),
                ("load CPU%", "client_cpu_pct", 0, False),
                ("idle%", "machine_idle_pct", 0, False),
                ("RSS MB", mb("server_rss_kb"), 1, True)]
        notes = ["sent/s: messages back at their sender; delivered/s: receipts on all connections;",
                 "latency: send to each receipt; CPU us/delivery: server utime+stime / deliveries."]
    if rows:
        notes.append("load CPU% near 100: the load tool may be the limit (WS_THREADS=2); CPU per message still holds.")
    table(title, rows, cols, notes)

wait = load("wait")
errs = lambda r: float(int(num(r, "socket_errors") or 0) + int(num(r, "non2xx") or 0))
table(f"50 ms wait under {wait_conns} connections (wrk)",
      wait,
      [("req/s", "req_per_s", 0, True),
       ("p50 ms", "latency_p50_ms", 1, True),
       ("p99 ms", "latency_p99_ms", 1, True),
       ("errors", errs, 0, False),
       ("threads", "server_threads_max", 0, True),
       ("srv CPU%", "server_cpu_pct", 0, False),
       ("idle%", "machine_idle_pct", 0, False),
       ("RSS MB", mb("server_rss_max_kb"), 1, True)],
      ["req/s is at most connections / 50 ms (20,000 for 1,000); threads: the most seen in",
       "/proc/PID/status during the run; errors: wrk's socket errors and non-2xx replies."]
      if wait else [])
rounds = int(sys.argv[3])
print(("\nMedians of %d rounds" % rounds if rounds > 1 else "\nOne round") +
      " on a shared 2-core machine: compare rows, not runs.")
EOF
