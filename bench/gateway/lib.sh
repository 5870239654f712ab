# bench/gateway/lib.sh: what run.sh and check.sh share. Sourced; expects
# $prog (the script's name for messages), $here (this directory), $build
# (where the stub is built) and $out (logs); start_gateway also $apic_cmd.
# shellcheck shell=bash disable=SC2154

die() { echo "$prog: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# need_tools TOOL...: the tools every script needs, and these.
need_tools() {
	local t
	for t in node npm gcc pkg-config curl python3 "$@"; do
		command -v "$t" >/dev/null || die "missing tool: $t"
	done
	pkg-config --exists libmicrohttpd ||
		die "missing libmicrohttpd's pkg-config file (apt-get install -y libmicrohttpd-dev)"
}

# find_fastapi_python: sets fastapi_py to a python3 with what the FastAPI
# peer imports.
fastapi_py=
find_fastapi_python() {
	local py
	for py in ${FASTAPI_PYTHON:-python3 /usr/bin/python3}; do
		if "$py" -c 'import fastapi, uvicorn, httpx' 2>/dev/null; then
			fastapi_py=$py
			return 0
		fi
	done
	die "no python3 imports fastapi, uvicorn and httpx (apt-get install -y python3-fastapi python3-uvicorn python3-httpx)"
}

# npm_ci: the Fastify peer's packages, when package-lock.json changed.
npm_ci() {
	cmp -s "$here/package-lock.json" "$here/node_modules/.bench-lock" 2>/dev/null && return 0
	log "npm ci in bench/gateway"
	(cd "$here" && npm ci --no-audit --no-fund >"$out/npm-ci.log" 2>&1) ||
		{ tail -n 20 "$out/npm-ci.log" >&2; die "npm ci failed (see $out/npm-ci.log)"; }
	cp "$here/package-lock.json" "$here/node_modules/.bench-lock"
}

# build_upstream: $build/upstream from upstream.c, when older.
build_upstream() {
	if [ ! -x "$build/upstream" ] || [ "$here/upstream.c" -nt "$build/upstream" ]; then
		log "building upstream"
		# shellcheck disable=SC2046
		gcc -std=c11 -Wall -Wextra -Werror -O2 -pthread -o "$build/upstream" "$here/upstream.c" \
			$(pkg-config --cflags --libs libmicrohttpd) || die "cannot build upstream"
	fi
}

stop_pid() { # PID: TERM, up to 5 s, then KILL
	local p=$1 _
	kill "$p" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
}
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_listening LABEL PID PORT LOG: until PORT accepts (20 s at most).
wait_listening() {
	local _
	for _ in $(seq 200); do
		kill -0 "$2" 2>/dev/null ||
			{ tail -n 20 "$4" >&2; die "$1 exited at start (see $4)"; }
		if (exec 3<>"/dev/tcp/127.0.0.1/$3") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	die "$1 did not listen on port $3 within 20 s"
}

# start_gateway LABEL PORT LOG: starts gateway LABEL (fastify, fastapi,
# apic) on PORT with the environment as it is (PETSTORE_URL...), sets pid,
# waits until it listens.
start_gateway() {
	local label=$1 port=$2 logf=$3
	case $label in
	fastify) node "$here/peers/fastify-gateway.js" --port "$port" >"$logf" 2>&1 & ;;
	fastapi)
		"$fastapi_py" -m uvicorn --app-dir "$here/peers" fastapi_gateway:app \
			--host 127.0.0.1 --port "$port" --workers 1 --loop asyncio \
			--log-level warning --no-access-log --backlog 1024 >"$logf" 2>&1 &
		;;
	apic) bash -c "exec $apic_cmd --port $port" >"$logf" 2>&1 & ;;
	*) die "unknown gateway $label" ;;
	esac
	pid=$!
	wait_listening "$label" "$pid" "$port" "$logf"
}
