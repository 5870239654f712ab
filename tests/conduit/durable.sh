#!/bin/sh
# Both example servers (Conduit and the petstore) commit their SQLite writes
# durably by default: with --sqlite-sync full (the default) every
# acknowledged write has been synced to disk (fsync/fdatasync, as seen by
# strace in every server thread), with --sqlite-sync normal it has not
# (WAL syncs only at checkpoints). A bad value is a usage error (exit 2).
# Syncs per write = (syncs of a run with N writes - syncs of a run with
# none) / N, so start-up and shutdown syncs do not count.
set -u
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/conduit/lib.sh"

PETSTORE_BIN=$top_builddir/examples/petstore/petstore
N=10

if ! command -v strace >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - strace is not installed: run ./setup.sh deps"
	exit 1
fi

strace_pid=
# The server traced by strace: strace's pid is $strace_pid, the server's
# (its only child) $server_pid, so lib.sh's cleanup stops the server itself.
stop_traced() {
	stop_server
	[ -n "$strace_pid" ] && wait "$strace_pid" 2>/dev/null
	strace_pid=
}

# run_traced NAME WRITES PROGRAM ARGS...: starts PROGRAM under strace on a
# fresh database and a port the kernel picks, makes WRITES writes with
# NAME's writer (conduit_writes, petstore_writes), stops it, and sets
# $syncs to how many fsync/fdatasync calls it made; "" when it failed.
run_traced() {
	local name=$1 writes=$2 trace=$workdir/trace i seen
	shift 2
	syncs=
	rm -f "$workdir"/*.db* "$trace"
	touch "$workdir/server.log"
	seen=$(wc -l <"$workdir/server.log")
	strace -f -qq -e trace=fsync,fdatasync -e signal=none -o "$trace" \
		"$@" --bind 127.0.0.1 --port 0 >>"$workdir/server.log" 2>&1 &
	strace_pid=$!
	port=
	for i in $(seq 1 300); do
		server_pid=$(cat "/proc/$strace_pid/task/$strace_pid/children" 2>/dev/null | tr -d ' ')
		[ -n "$port" ] || port=$(tail -n +"$((seen + 1))" "$workdir/server.log" |
			sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' | head -n 1)
		[ -n "$port" ] && [ -n "$server_pid" ] &&
			curl -fsS -o /dev/null "http://127.0.0.1:$port/openapi.json" 2>/dev/null && break
		kill -0 "$strace_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$port" ] || [ -z "$server_pid" ]; then
		stop_traced
		diag "$name did not start:" "$(tail -n 20 "$workdir/server.log")"
		return 1
	fi
	"${name}_writes" "$writes" || { stop_traced; return 1; }
	stop_traced
	syncs=$(grep -cE '(fsync|fdatasync)\(' "$trace")
}

# One user, then WRITES articles, each acknowledged with 201.
conduit_writes() {
	local i tok
	base=http://127.0.0.1:$port/api
	req POST /users '{"user":{"username":"dur","email":"dur@example.org","password":"pw"}}'
	[ "$status" = 201 ] || { diag "conduit register: $status $body"; return 1; }
	tok=$(jb .user.token)
	for i in $(seq 1 "$1"); do
		req POST /articles "{\"article\":{\"title\":\"t$i\",\"description\":\"d\",\"body\":\"b\"}}" "$tok"
		[ "$status" = 201 ] || { diag "conduit article $i: $status $body"; return 1; }
	done
}

# WRITES pets, each acknowledged with 201.
petstore_writes() {
	local i code
	for i in $(seq 1 "$1"); do
		code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/pets" \
			-H 'Content-Type: application/json' --data-binary "{\"name\":\"pet$i\"}")
		[ "$code" = 201 ] || { diag "petstore pet $i: $code"; return 1; }
	done
}

# check NAME PROGRAM ARGS...: four TAP lines.
check() {
	local name=$1 base0 full normal0 normal per
	shift
	run_traced "$name" 0 "$@"; base0=$syncs
	run_traced "$name" "$N" "$@"; full=$syncs
	run_traced "$name" 0 "$@" --sqlite-sync normal; normal0=$syncs
	run_traced "$name" "$N" "$@" --sqlite-sync normal; normal=$syncs
	diag "$name: syncs with 0 and $N writes: $base0, $full by default; $normal0, $normal with normal"
	if [ -z "$base0" ] || [ -z "$full" ] || [ -z "$normal0" ] || [ -z "$normal" ]; then
		ok 1 "$name: the traced runs"
		return
	fi
	per=$(( (full - base0) / N ))
	[ "$per" -ge 1 ]
	ok $? "$name: by default each acknowledged write is synced ($per syncs per write)"
	[ $((normal - normal0)) -lt "$N" ]
	ok $? "$name: --sqlite-sync normal does not sync each write ($((normal - normal0)) syncs for $N)"
	timeout 20 "$@" --sqlite-sync sometimes --port 0 >"$workdir/usage.out" 2>&1
	is "$? $(grep -c 'sqlite-sync' "$workdir/usage.out")" "2 1" "$name: --sqlite-sync sometimes is a usage error (exit 2)"
	timeout 20 "$@" --help >"$workdir/help.out" 2>&1
	grep -q -- '--sqlite-sync full|normal' "$workdir/help.out"
	ok $? "$name: --help lists --sqlite-sync"
}

check conduit "$CONDUIT_BIN" --db "$workdir/conduit.db"
check petstore "$PETSTORE_BIN" --db "$workdir/petstore.db"
echo "1..$tap_n"
[ "$tap_failed" -eq 0 ]
