# Shared by the petstore end-to-end tests: TAP output, a server on a free
# loopback port, HTTP requests with curl. Sourced, not run.
# Needs top_builddir (set by `make check`).

tap_n=0
tap_failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"; shift
	for line in "$@"; do printf '#   %s\n' "$line"; done
}
# is GOT EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:      $1" "expected: $2"; fi
}
# like GOT EXTENDED-REGEX DESCRIPTION
like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3" "got:      $1" "expected to match: $2"; fi
}
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
bail() { echo "Bail out! $*"; exit 1; }

# Scratch space in the build tree; kept when a test failed, for a look.
mkdir -p "$top_builddir/tests/e2e-petstore" || bail "mkdir"
tmp=$(mktemp -d "$top_builddir/tests/e2e-petstore/$(basename "$0" .sh).XXXXXX") || bail "mktemp"
server_pid=
cleanup() {
	stop_server
	if [ "$tap_failed" -eq 0 ]; then rm -rf "$tmp"; else echo "# kept $tmp"; fi
}
trap cleanup EXIT

# start_server PROGRAM ARGS...: starts it on a port the kernel picks
# (--port 0: a port chosen here could be taken by a parallel test, and with
# SO_REUSEPORT both servers would share it), reads the port from its
# "listening on" line, sets $port, $base and $server_pid, and waits until
# /openapi.json answers.
start_server() {
	local i seen
	seen=$(wc -l <"$tmp/server.log" 2>/dev/null || echo 0)
	"$@" --bind 127.0.0.1 --port 0 >>"$tmp/server.log" 2>&1 &
	server_pid=$!
	port=
	for i in $(seq 400); do
		if ! kill -0 "$server_pid" 2>/dev/null; then
			wait "$server_pid" 2>/dev/null
			server_pid=
			break
		fi
		[ -n "$port" ] || port=$(tail -n +"$((seen + 1))" "$tmp/server.log" |
			sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' | head -n 1)
		base="http://127.0.0.1:$port"
		[ -n "$port" ] && curl -s -o /dev/null --max-time 2 "$base/openapi.json" && return 0
		sleep 0.05
	done
	stop_server
	sed 's/^/# server: /' "$tmp/server.log"
	bail "the server did not start: $*"
}

# stop_server: SIGTERM and wait; its exit status ends up in $server_status.
stop_server() {
	server_status=
	[ -n "$server_pid" ] || return 0
	kill -TERM "$server_pid" 2>/dev/null
	wait "$server_pid"
	server_status=$?
	server_pid=
}

# req METHOD PATH [BODY [CURL ARGS...]]: sets $status, $ctype, $body and
# $headers (lower-cased names). A BODY of "-" sends none; a body is sent as
# application/json unless the CURL ARGS set another Content-Type.
req() {
	local method=$1 path=$2 data=${3--}
	shift 2; [ $# -gt 0 ] && shift
	local args=(-s -X "$method" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code} %{content_type}' --max-time 10)
	if [ "$data" != - ]; then
		args+=(--data-binary "$data")
		case "$*" in
		*[Cc]ontent-[Tt]ype:*) ;;
		*) args+=(-H 'Content-Type: application/json') ;;
		esac
	fi
	read -r status ctype < <(curl "${args[@]}" "$@" "$base$path"; echo)
	body=$(cat "$tmp/body" 2>/dev/null)
	headers=$(tr -d '\r' <"$tmp/headers" | awk 'BEGIN { FS = OFS = ": " } { $1 = tolower($1); print }')
}

# header NAME: the value of response header NAME (lower case) of the last req.
header() { printf '%s\n' "$headers" | sed -n "s/^$1: //p" | head -n 1; }

# json FILTER: jq over the last body, compact with sorted keys.
json() { printf '%s' "$body" | jq -cS "$1" 2>/dev/null; }
