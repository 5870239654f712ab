#!/usr/bin/env bash
# A handler that waits 50 ms (a timer standing in for an upstream call)
# under 1,000 connections: requests/s, latency and thread count of the apic
# server (bench/async/apic-server, GET /wait suspended on the event loop)
# side by side with Fastify and FastAPI (async, uvicorn, one worker) doing
# the same wait, in one run. Not a test: it prints figures.
#
#   bench/async/wait.sh BUILD_DIR [SECONDS]
#
# Installs what it needs: Debian's python3-fastapi and python3-uvicorn,
# the pinned Node packages of bench/async/package.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: bench/async/wait.sh BUILD_DIR [SECONDS]}
secs=${2:-8}
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
if ! /usr/bin/python3 -c 'import fastapi, uvicorn' 2>/dev/null; then
	sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		python3-fastapi python3-uvicorn >/dev/null
fi
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/wait" >/dev/null && return 0; sleep 0.1; done; return 1; }
ulimit -n 8192 2>/dev/null || true
printf '%-10s %12s %10s %10s %8s %10s\n' server 'requests/s' 'mean ms' 'stdev ms' threads 'peak RSS'
run() { # NAME PORT
	wait_up "$2" || { echo "$1 did not start" >&2; return 1; }
	local pid out
	pid=$(ss -ltnpH "sport = :$2" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
	out=$(wrk -t2 -c1000 -d"${secs}s" "http://127.0.0.1:$2/wait")
	printf '%-10s %12s %10s %10s %8s %10s\n' "$1" \
		"$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
		"$(awk '/Latency/ {print $2}' <<<"$out")" "$(awk '/Latency/ {print $3}' <<<"$out")" \
		"$(awk '/^Threads/ {print $2}' "/proc/$pid/status")" \
		"$(awk '/^VmHWM/ {print $2 $3}' "/proc/$pid/status")"
}
p=$(free_port)
"$build/bench/async/apic-server" --port "$p" --threads 2 --max-connections 5000 --per-ip-connections 5000 \
	--access-log=false >/dev/null 2>&1 &
pids+=($!)
run apic "$p"
p=$(free_port)
NODE_PATH="$here/node_modules" node "$here/peers/fastify-wait.cjs" "$p" &
pids+=($!)
run fastify "$p"
p=$(free_port)
(cd "$here/peers" && exec /usr/bin/python3 -m uvicorn --port "$p" --log-level warning fastapi_wait:app) &
pids+=($!)
run fastapi "$p"
