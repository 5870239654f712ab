# Sourced (POSIX sh) by the end-to-end tests: a server's traffic through
# Prism (@stoplight/prism-cli from tests/npm) in proxy mode, a validator
# from outside the project of every request and reply against the
# document the server itself serves.
#
# Only requests the document allows reach the server through it: with
# --errors Prism answers a request it finds invalid itself. A test that
# sends one (expecting the server to refuse it with a 4xx) sends it to the
# server directly: itself (the http tests), or after Prism refused it
# (prism_verdict, the petstore and Conduit suites). A violation in a reply
# is never ignored.
#
# start_prism DOC UPSTREAM LOG: runs `prism proxy DOC UPSTREAM $prism_mode`
# (--errors unless the test empties it) on a port the kernel picks (-p 0,
# read from its "listening on" line); sets $prism_pid and $prism_url (""
# when it did not come up within 60 s).
# Returns 1 without starting anything when Prism is not installed.
# prism_missing N: the TAP line number N for a run without Prism: a skip,
# but in CI (CI=true), where the npm tools are required, a failure
# (returns 1).
# stop_prism: SIGTERM to $prism_pid and wait for it (its log is complete).
# prism_violations LOG: prints the lines of LOG that report a violation or
# an error, of a request or a reply (nothing when there is none).
# prism_reply_violations LOG: only those about replies.
# prism_verdict STATUS HEAD BODY: what became of a request sent through
# Prism, from the reply's status, head (as curl -D wrote it) and body:
#   ok         forwarded, and the reply is the document's
#   bad: WHY   the reply breaks the document (Prism's sl-violations)
#   refused    Prism answered itself: the document does not allow the request
#   unknown    the path is not in the document (the server's /openapi.json)
# The server marks every reply of its own with X-Request-Id.

prism_bin=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}/.bin/prism
prism_pid=
prism_url=
prism_mode=--errors

start_prism() {
	prism_url=
	[ -x "$prism_bin" ] && command -v node >/dev/null || return 1
	_prism_seen=$( (wc -l <"$3") 2>/dev/null || echo 0)
	"$prism_bin" proxy "$1" "$2" $prism_mode --host 127.0.0.1 -p 0 >>"$3" 2>&1 &
	prism_pid=$!
	for _ in $(seq 600); do
		prism_url=$(tail -n +"$((_prism_seen + 1))" "$3" |
			sed -n 's|.*Prism is listening on \(http://127\.0\.0\.1:[0-9][0-9]*\).*|\1|p' | head -n 1)
		[ -n "$prism_url" ] && return 0
		kill -0 "$prism_pid" 2>/dev/null || break
		sleep 0.1
	done
	stop_prism
	return 0
}

prism_missing() {
	if [ "${CI:-}" = true ]; then
		echo "not ok $1 - traffic through Prism: @stoplight/prism-cli or node is missing (CI=true: required)"
		return 1
	fi
	echo "ok $1 - traffic through Prism # SKIP @stoplight/prism-cli or node is missing (./setup.sh deps)"
}

stop_prism() {
	[ -n "$prism_pid" ] || return 0
	kill -TERM "$prism_pid" 2>/dev/null
	wait "$prism_pid" 2>/dev/null
	prism_pid=
}

# Prism's levels: "info" for traffic, "warning" for a violation it lets
# through (an undeclared status), "error" for one it answers itself (a
# response or request that does not validate).
prism_violations() {
	grep -E '[[:space:]](warning|error|fatal)[[:space:]]' "$1" 2>/dev/null
}

prism_reply_violations() {
	grep -E 'Violation: response|prism/errors#VIOLATIONS' "$1" 2>/dev/null
}

prism_verdict() {
	_v=$(tr -d '\r' <"$2" | sed -n 's/^[Ss][Ll]-[Vv][Ii][Oo][Ll][Aa][Tt][Ii][Oo][Nn][Ss]: *//p' | head -n 1)
	if [ -n "$_v" ]; then
		_v=$(printf '%s' "$_v" | jq -r '[.[] | select(.location[0] == "response") |
			((.location | join(".")) + ": " + .message)] | join("; ")' 2>/dev/null)
		[ -n "$_v" ] && { echo "bad: $_v"; return; }
	fi
	if tr -d '\r' <"$2" | grep -qi '^x-request-id:'; then
		echo ok
	elif grep -q 'prism/errors#NO_PATH_MATCHED_ERROR' "$3" 2>/dev/null; then
		echo unknown
	else
		echo refused
	fi
}
