# Shared by the petstore end-to-end tests: TAP output, a server on a free
# loopback port (with --strict-responses), HTTP requests with curl, through
# Prism once use_prism was called. Sourced, not run.
# Needs top_builddir (set by `make check`).
. "$top_srcdir/tests/e2e-petstore/prism.sh"

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
done_testing() { final_checks; echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
bail() { echo "Bail out! $*"; exit 1; }

# Scratch space in the build tree; kept when a test failed, for a look.
mkdir -p "$top_builddir/tests/e2e-petstore" || bail "mkdir"
tmp=$(mktemp -d "$top_builddir/tests/e2e-petstore/$(basename "$0" .sh).XXXXXX") || bail "mktemp"
server_pid=
cleanup() {
	stop_prism
	stop_server
	if [ "$tap_failed" -eq 0 ]; then rm -rf "$tmp"; else echo "# kept $tmp"; fi
}
trap cleanup EXIT

# install_staged: `make install DESTDIR=$tmp/root` of this tree, as a
# packager would do it, with PATH, PKG_CONFIG_PATH and LD_LIBRARY_PATH set
# so that a project made by `apic new` builds against it (3 checks); sets
# $cc and $san, the compiler and sanitizer flags of this tree (an
# ASan-instrumented libapic links only into code built the same way).
install_staged() {
	# MAKEFLAGS would tie this make to the jobserver of the `make check`
	# that runs us.
	unset MAKEFLAGS MFLAGS MAKELEVEL
	dest=$tmp/root
	if ! make -s -C "$top_builddir" install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then
		sed 's/^/# /' "$tmp/install.log"
		bail "make install failed"
	fi
	prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
	is "$(test -x "$dest$prefix/bin/apic" && test -f "$dest$prefix/include/apic.h" &&
		echo yes)" yes "make install DESTDIR: apic and apic.h installed"
	pcdir=$(dirname "$(find "$dest" -name libapic.pc | head -n 1)")
	is "$(test -f "$pcdir/libapic.pc" && echo yes)" yes "libapic.pc installed"
	export PATH="$dest$prefix/bin:$PATH"
	export PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$dest
	# A shared libapic (configure --enable-shared) is found through LD_LIBRARY_PATH.
	so=$(find "$dest" -name 'libapic.so' | head -n 1)
	[ -z "$so" ] || export LD_LIBRARY_PATH=$(dirname "$so")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	is "$(command -v apic)" "$dest$prefix/bin/apic" "the installed apic is on PATH"
	cc=$(sed -n 's/^CC = //p' "$top_builddir/Makefile")
	san=$(sed -n 's/^APIC_SAN_FLAGS = //p' "$top_builddir/Makefile")
}

# start_server PROGRAM ARGS...: starts it on a port the kernel picks
# (--port 0: a port chosen here could be taken by a parallel test, and with
# SO_REUSEPORT both servers would share it), reads the port from its
# "listening on" line, sets $port, $base and $server_pid, and waits until
# /openapi.json answers. Its replies are held to its document
# (--strict-responses); done_testing checks the log for a mismatch.
start_server() {
	local i seen
	seen=$(wc -l <"$tmp/server.log" 2>/dev/null || echo 0)
	"$@" --bind 127.0.0.1 --port 0 --strict-responses >>"$tmp/server.log" 2>&1 &
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
# Prism, which proxies to it, stops first.
stop_server() {
	server_status=
	stop_prism
	[ -n "$server_pid" ] || return 0
	kill -TERM "$server_pid" 2>/dev/null
	wait "$server_pid"
	server_status=$?
	server_pid=
}

# use_prism BASEPATH: from now until the server stops, req goes through
# Prism (tests/e2e-petstore/prism.sh), started on the server's own
# /openapi.json with the server's BASEPATH as upstream; the paths given to
# req keep BASEPATH (Prism matches the document's paths, which have none).
# Without Prism installed, one skipped TAP line and req stays direct.
prism_strip=
prism_runs=0
prism_bad=()
prism_refused=0
use_prism() {
	curl -s -o "$tmp/openapi.prism.json" --max-time 10 "$base/openapi.json" || bail "GET /openapi.json"
	if ! start_prism "$tmp/openapi.prism.json" "$base$1" "$tmp/prism.log"; then
		if [ "$prism_runs" -eq 0 ]; then
			tap_n=$((tap_n + 1))
			prism_missing "$tap_n" || tap_failed=$((tap_failed + 1))
		fi
		prism_runs=-1
		return 0
	fi
	[ -n "$prism_url" ] || bail "Prism did not start: $(tail -n 5 "$tmp/prism.log")"
	prism_strip=$1
	prism_runs=$((prism_runs + 1))
}

# final_checks (done_testing): no reply of the server broke its document
# (no strict-responses line in its log), and Prism found no reply that
# does, nor a request it refuses that the server accepted.
final_checks() {
	local lines
	if [ -f "$tmp/server.log" ]; then
		lines=$(grep 'strict-responses:' "$tmp/server.log")
		if [ -z "$lines" ]; then ok "the server's replies match its document (--strict-responses)"
		else not_ok "the server's replies match its document (--strict-responses)" "$lines"; fi
	fi
	if [ "$prism_runs" -gt 0 ]; then
		stop_prism
		lines=$(prism_reply_violations "$tmp/prism.log")
		[ -z "$lines" ] || prism_bad+=("$lines")
		local checked what
		checked=$(grep -c 'Received forward response' "$tmp/prism.log")
		what="Prism: the $checked replies it checked match the document; the server refused the $prism_refused requests Prism refuses"
		if [ ${#prism_bad[@]} -eq 0 ] && [ "$checked" -gt 0 ]; then ok "$what"
		else not_ok "$what" "${prism_bad[@]}"; fi
	fi
}

# req METHOD PATH [BODY [CURL ARGS...]]: sets $status, $ctype, $body and
# $headers (lower-cased names). A BODY of "-" sends none; a body is sent as
# application/json unless the CURL ARGS set another Content-Type. Through
# Prism when it runs: a request Prism refuses (the document does not allow
# it) goes to the server directly then, which must refuse it too (4xx).
req() {
	local method=$1 path=$2 data=${3--} verdict
	shift 2; [ $# -gt 0 ] && shift
	local args=(-s -X "$method" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code} %{content_type}' --max-time 10)
	if [ "$data" != - ]; then
		args+=(--data-binary "$data")
		case "$*" in
		*[Cc]ontent-[Tt]ype:*) ;;
		*) args+=(-H 'Content-Type: application/json') ;;
		esac
	fi
	if [ -n "$prism_pid" ] && [ -n "$prism_url" ]; then
		read -r status ctype < <(curl "${args[@]}" "$@" "$prism_url${path#"$prism_strip"}"; echo)
		verdict=$(prism_verdict "$status" "$tmp/headers" "$tmp/body")
		case $verdict in
		bad:*) prism_bad+=("$method $path: ${verdict#bad: }") ;;
		refused | unknown)
			cp "$tmp/body" "$tmp/prism.body"
			read -r status ctype < <(curl "${args[@]}" "$@" "$base$path"; echo)
			if [ "$verdict" = refused ]; then
				prism_refused=$((prism_refused + 1))
				[ "$status" -ge 400 ] 2>/dev/null ||
					prism_bad+=("$method $path: the server answered $status to a request Prism refuses: $(head -c 400 "$tmp/prism.body")")
			fi
			;;
		esac
	else
		read -r status ctype < <(curl "${args[@]}" "$@" "$base$path"; echo)
	fi
	body=$(cat "$tmp/body" 2>/dev/null)
	headers=$(tr -d '\r' <"$tmp/headers" | awk 'BEGIN { FS = OFS = ": " } { $1 = tolower($1); print }')
}

# header NAME: the value of response header NAME (lower case) of the last req.
header() { printf '%s\n' "$headers" | sed -n "s/^$1: //p" | head -n 1; }

# json FILTER: jq over the last body, compact with sorted keys.
json() { printf '%s' "$body" | jq -cS "$1" 2>/dev/null; }
