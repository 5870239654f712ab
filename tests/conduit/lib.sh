# Shared by the Conduit end-to-end tests: TAP helpers and a Conduit server on
# a fresh database on a free loopback port. Sourced; needs $top_builddir.

CONDUIT_BIN=$top_builddir/examples/conduit/conduit
# A fixed secret, so the tests can also make tokens of their own.
CONDUIT_JWT_SECRET=test-secret-for-make-check
export CONDUIT_JWT_SECRET

tap_n=0
tap_failed=0
ok() { # CONDITION-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# is GOT WANT DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:  $1" "want: $2"
	fi
}

workdir=$(mktemp -d "${TMPDIR:-/tmp}/conduit-test.XXXXXX")
server_pid=
server_status=
stop_server() {
	if [ -n "$server_pid" ]; then
		kill -TERM "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
		server_status=$?
		server_pid=
	fi
}
# One TAP line: the server stopped on SIGTERM with status 0 and logged no
# sanitizer report (ASan, LSan, UBSan builds) or crash.
ok_clean_exit() {
	stop_server
	! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$workdir/server.log"
	local clean=$?
	[ "$server_status" = 0 ] && [ $clean -eq 0 ]
	ok $? "the server stopped cleanly on SIGTERM (status $server_status)"
	[ $clean -eq 0 ] || diag "$(grep -A 20 -E 'Sanitizer|runtime error' "$workdir/server.log" | head -n 40)"
}
cleanup() {
	stop_server
	rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Starts the server on a fresh database in $workdir, on a port the kernel
# picks (--port 0: see tests/e2e-petstore/lib.sh), read from its "listening
# on" line; sets $port, $base. Returns 1 (after a diagnostic) when the server
# does not come up.
start_server() {
	local i seen
	rm -f "$workdir"/conduit.db*
	seen=$(wc -l <"$workdir/server.log" 2>/dev/null || echo 0)
	"$CONDUIT_BIN" --bind 127.0.0.1 --port 0 --db "$workdir/conduit.db" \
		>>"$workdir/server.log" 2>&1 &
	server_pid=$!
	port=
	for i in $(seq 1 200); do
		[ -n "$port" ] || port=$(tail -n +"$((seen + 1))" "$workdir/server.log" |
			sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' | head -n 1)
		base=http://127.0.0.1:$port/api
		if [ -n "$port" ] && curl -fsS -o /dev/null "$base/tags" 2>/dev/null; then
			return 0
		fi
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	stop_server
	diag "the server did not start:" "$(tail -n 20 "$workdir/server.log")"
	return 1
}

# req METHOD PATH [JSON] [TOKEN]: sets $status and $body.
req() {
	local args=(-sS -o "$workdir/body" -w '%{http_code}' -X "$1" "$base$2")
	[ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
	[ -n "${4:-}" ] && args+=(-H "Authorization: Token $4")
	status=$(curl "${args[@]}")
	body=$(cat "$workdir/body")
}
# The value of a jq filter on $body (raw output).
jb() { printf '%s' "$body" | jq -r "$1"; }
