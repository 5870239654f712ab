#!/usr/bin/env bash
# bench/run.sh: the petstore-lite benchmark (../shared/bench/WORKLOAD.md) of
# the generated server bench/petstore-lite against the reference servers, in
# one run so the ratios mean something on a shared, noisy machine.
#
#   bench/run.sh            from anywhere; about 15 minutes
#
# 1. builds an optimised tree (no sanitizers) in $BUILD_DIR;
# 2. runs ../shared/bench/run-peers.sh (a copy: the original is read-only)
#    with PEERS (default "mhd-1t fastify") plus the project's server on one
#    thread, then once more with mhd-pool2 and the project on two threads
#    (both on CPUs 0,1, sharing CPU 0 with wrk, as mhd-pool2 does);
# 3. measures the project server's RSS idle and after 1,000,000 requests
#    (the four cases in turn);
# 4. prints the table: requests/s, p99, server CPU us/request, ratio to
#    mhd-1t, RSS; and whether the targets are met (CPU per request at most
#    1.1x mhd-1t on get/post valid/post invalid, at most 0.5x on list_100).
#
# Environment: BUILD_DIR (default _build-bench at the top of the checkout),
# PEERS, OUT_DIR (default $BUILD_DIR/bench-out/<time>), SKIP_THREADS2=1,
# SKIP_MILLION=1, and run-peers.sh's own knobs (DURATION, RUNS, WARMUP,
# CONNS, ...), which are passed through.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$top/../shared/bench
build=${BUILD_DIR:-$top/_build-bench}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${OUT_DIR:-$build/bench-out/$stamp}
port=18099
peers=${PEERS:-mhd-1t fastify}

die() { echo "bench/run.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
[ -x "$shared/run-peers.sh" ] || die "$shared/run-peers.sh not found (../shared/bench next to the checkout)"
for t in wrk taskset curl jq gcc pkg-config ss python3; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done

# ---- 1. an optimised build
log "building in $build"
mkdir -p "$build" "$out"
if [ ! -f "$build/Makefile" ]; then
	[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi >/dev/null)
	# The default build: static libapic and libmicrohttpd without TLS.
	(cd "$build" && "$top/configure" -q CFLAGS='-O2 -g') ||
		die "configure failed"
fi
make -s -C "$build" -j"$(nproc)" apic bench/petstore-lite >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; die "build failed (see $out/build.log)"; }
server=$build/bench/petstore-lite
# As the peers: no access log; wrk's 64 connections all come from 127.0.0.1.
server_flags="--no-access-log --per-ip-connections 0"

# ---- 2. the peers, from a writable copy of ../shared/bench
peerdir=$build/bench-peers
mkdir -p "$peerdir"
(cd "$shared" && tar --exclude=./node_modules --exclude=./out --exclude=./build \
	--exclude=./nextjs/.next -cf - .) | (cd "$peerdir" && tar -xf - && chmod -R u+w .)

run_peers() { # OUT_SUBDIR PEERS PROJECT_ARGS PROJECT_CPUS LABEL
	log "run-peers.sh: $2 + project ($3)"
	OUT_DIR=$out/$1 PEERS=$2 PROJECT_PORT=$port PROJECT_DIR=$build PROJECT_CPUS=$4 \
		PROJECT_SERVER_CMD="exec $server --port $port $server_flags $3" PROJECT_LABEL=$5 \
		"$peerdir/run-peers.sh" >"$out/$1.md" 2>"$out/$1.log" ||
		die "run-peers.sh failed (see $out/$1.log)"
}
run_peers threads1 "$peers" "--threads 1" 1 "apic petstore-lite, generated, 1 thread"
[ "${SKIP_THREADS2:-0}" = 1 ] ||
	run_peers threads2 "mhd-pool2" "--threads 2" 0,1 "apic petstore-lite, generated, 2 threads, ALL CORES"

# ---- 3. RSS idle and after 1,000,000 requests
million() {
	local pid total=0 n f i=0 rss_idle rss_half= half_total rss_after hwm
	taskset -c 1 "$server" --port "$port" --threads 1 $server_flags >"$out/million-server.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/pets/1" && break; sleep 0.05; done
	rss_idle=$(awk '$1=="VmRSS:"{print $2}' "/proc/$pid/status")
	local targets=("/pets/7" "lua:wrk/post_valid.lua" "lua:wrk/post_invalid.lua" "/pets?limit=100")
	while [ "$total" -lt 1000000 ]; do
		local t=${targets[$((i % 4))]} args=(-t1 -c64 -d3s)
		if [[ $t == lua:* ]]; then args+=(-s "$peerdir/${t#lua:}" "http://127.0.0.1:$port")
		else args+=("http://127.0.0.1:$port$t"); fi
		f=$out/million.$i.txt
		taskset -c 0 wrk "${args[@]}" >"$f" 2>&1
		n=$(awk '/requests in/{print $1}' "$f")
		total=$((total + ${n:-0}))
		i=$((i + 1))
		[ "${n:-0}" -gt 0 ] || { kill "$pid"; die "wrk made no request (see $f)"; }
		if [ -z "$rss_half" ] && [ "$total" -ge 500000 ]; then
			rss_half=$(awk '$1=="VmRSS:"{print $2}' "/proc/$pid/status")
			half_total=$total
		fi
	done
	rss_after=$(awk '$1=="VmRSS:"{print $2}' "/proc/$pid/status")
	hwm=$(awk '$1=="VmHWM:"{print $2}' "/proc/$pid/status")
	kill -TERM "$pid"
	wait "$pid" || true
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rss_idle" "$half_total" "$rss_half" "$total" "$rss_after" "$hwm" >"$out/million.tsv"
}
if [ "${SKIP_MILLION:-0}" != 1 ]; then
	log "RSS after 1,000,000 requests"
	million
fi

# ---- 4. the table
python3 - "$out" <<'PY'
import csv, os, statistics, sys
out = sys.argv[1]
def rows(sub, name):
    p = os.path.join(out, sub, name)
    return list(csv.DictReader(open(p), delimiter="\t")) if os.path.exists(p) else []
cases = ["get_one", "post_valid", "post_invalid", "list_100"]
titles = {"get_one": "GET /pets/7", "post_valid": "POST valid", "post_invalid": "POST invalid",
          "list_100": "GET ?limit=100"}
def med(xs):
    xs = [float(x) for x in xs if x not in ("", "NA")]
    return statistics.median(xs) if xs else None
def table(sub, label):
    res, peers = rows(sub, "results.tsv"), rows(sub, "peers.tsv")
    if not res:
        return {}
    stats = {}
    for r in res:
        stats.setdefault((r["peer"], r["case"]), []).append(r)
    names = [p["peer"] for p in peers if p["status"] == "ok"]
    m = {}
    for (peer, case), rs in stats.items():
        m[peer, case] = (med(r["rps"] for r in rs), med(r["p99_ms"] for r in rs),
                         med(r["server_us_per_req"] for r in rs))
    base = "mhd-1t" if any(p == "mhd-1t" for p in names) else "mhd-pool2"
    print(f"\n### {label}\n")
    print(f"CPU/req: server CPU time per request, in brackets the multiple of {base}.\n")
    print("| peer | " + " | ".join(f"{titles[c]} req/s (p99 ms) | {titles[c]} CPU/req" for c in cases)
          + " | idle RSS MiB | peak RSS MiB | checks |")
    print("|---|" + "---|" * (2 * len(cases) + 3))
    for p in peers:
        if p["status"] != "ok":
            print(f"| {p['peer']} | skipped: {p['reason']} |")
            continue
        cells = []
        for c in cases:
            v = m.get((p["peer"], c))
            b = m.get((base, c))
            if not v or v[0] is None:
                cells.append("-"); continue
            ratio = f" (x{v[2] / b[2]:.2f})" if b and b[2] and v[2] else ""
            cells.append(f"{v[0] / 1000:.1f}k ({v[1]:.2f}) | {v[2]:.1f} us{ratio}")
        name = "project" if p["peer"] == "project" else p["peer"]
        rss = lambda k: f"{float(p[k]) / 1024:.1f}" if p[k] else "-"
        print(f"| {name} | " + " | ".join(cells) + f" | {rss('idle_rss_kb')} | {rss('peak_rss_kb')} | {p['checks']} |")
    return m
print("# apic petstore-lite benchmark\n")
print("wrk -t1 -c64, median of the runs; server pinned to CPU 1, wrk to CPU 0 (two-thread rows: server on CPUs 0,1).")
m1 = table("threads1", "One server thread (baseline mhd-1t)")
m2 = table("threads2", "Two server threads (baseline mhd-pool2)")
if m1:
    print("\n### Targets (server CPU per request, project / mhd-1t)\n")
    for c in cases:
        p, b = m1.get(("project", c)), m1.get(("mhd-1t", c))
        if not p or not b or not p[2] or not b[2]:
            print(f"- {titles[c]}: not measured"); continue
        r, goal = p[2] / b[2], 0.5 if c == "list_100" else 1.1
        print(f"- {titles[c]}: x{r:.2f} (target <= {goal}): {'met' if r <= goal else 'MISSED'}")
    if any(m1.get(("fastify", c)) for c in cases):
        print("\n### Against Fastify (target: at least 1.5x its throughput)\n")
        print("req/s is capped by wrk on one core for the C servers; server CPU per request is not.\n")
        for c in cases:
            p, f = m1.get(("project", c)), m1.get(("fastify", c))
            if not p or not f or not p[0] or not f[0] or not p[2] or not f[2]:
                print(f"- {titles[c]}: not measured"); continue
            r = p[0] / f[0]
            print(f"- {titles[c]}: req/s x{r:.2f} ({'met' if r >= 1.5 else 'MISSED'}); "
                  f"requests per CPU-second x{f[2] / p[2]:.2f}")
    if m2:
        print("\n### Threads 1 vs 2 (project req/s)\n")
        for c in cases:
            a, b = m1.get(("project", c)), m2.get(("project", c))
            if a and b and a[0] and b[0]:
                print(f"- {titles[c]}: {a[0] / 1000:.1f}k -> {b[0] / 1000:.1f}k (x{b[0] / a[0]:.2f})")
mp = os.path.join(out, "million.tsv")
if os.path.exists(mp):
    idle, half_total, half, total, after, hwm = open(mp).read().split()
    print(f"\n### Memory\n\nproject, 1 thread: idle RSS {int(idle) / 1024:.1f} MiB; after {int(half_total):,} requests "
          f"(the four cases in turn) {int(half) / 1024:.1f} MiB; after {int(total):,} {int(after) / 1024:.1f} MiB, "
          f"peak {int(hwm) / 1024:.1f} MiB.")
    print(f"Growth over the second half: {(int(after) - int(half)) / 1024:+.2f} MiB.")
    print(f"Idle RSS target < 4 MiB: {'met' if int(idle) < 4096 else 'MISSED'}.")
PY
