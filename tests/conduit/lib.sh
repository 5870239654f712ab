# Shared by the Conduit end-to-end tests: TAP helpers and a Conduit server on
# a fresh database on a free loopback port, with --strict-responses, behind
# Prism (tests/e2e-petstore/prism.sh) when it is installed. Sourced; needs
# $top_builddir.
. "$top_srcdir/tests/e2e-petstore/prism.sh"

CONDUIT_BIN=${CONDUIT_BIN:-$top_builddir/examples/conduit/conduit}
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

# The official RealWorld Postman collection (tests/conduit/realworld/) run
# with newman. newman_run RUN-NUMBER USER-NAME API-URL [WHERE]: runs it with
# new user names against API-URL; two TAP lines, every request executed and
# every assertion held, with newman's failures as diagnostics.
collection=$top_srcdir/tests/conduit/realworld/Conduit.postman_collection.json
newman=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}/.bin/newman
# Requests in the collection: each must have been executed.
nrequests=$(jq '[.. | objects | select(has("request"))] | length' "$collection")
newman_run() {
	local report=$workdir/newman-$1.json rc
	"$newman" run "$collection" --color off \
		--reporters cli,json --reporter-json-export "$report" \
		--global-var "APIURL=$3" \
		--global-var "USERNAME=$2" \
		--global-var "EMAIL=$2@mail.com" \
		--global-var "PASSWORD=password" \
		>"$workdir/newman-$1.out" 2>&1
	rc=$?
	local executed failed_requests assertions failed_assertions
	executed=$(jq '.run.executions | length' "$report" 2>/dev/null)
	failed_requests=$(jq '.run.stats.requests.failed' "$report" 2>/dev/null)
	assertions=$(jq '.run.stats.assertions.total' "$report" 2>/dev/null)
	failed_assertions=$(jq '.run.stats.assertions.failed' "$report" 2>/dev/null)
	[ "$rc" -eq 0 ] && [ "$executed" = "$nrequests" ] && [ "$failed_requests" = 0 ]
	ok $? "newman run $1${4:+ $4} ($2): exit status $rc, $executed of $nrequests requests executed, ${failed_requests:-?} failed"
	[ "$rc" -eq 0 ] && [ "$failed_assertions" = 0 ] && [ "${assertions:-0}" -gt 0 ]
	ok $? "newman run $1: ${assertions:-?} assertions, ${failed_assertions:-?} failed"
	if [ "$rc" -ne 0 ] || [ "$failed_assertions" != 0 ]; then
		diag "$(jq -r '.run.failures[]? | "\(.source.name // "?"): \(.error.test // .error.message)"' \
			"$report" 2>/dev/null | head -n 40)"
		diag "$(tail -n 60 "$workdir/newman-$1.out")"
	fi
}
server_pid=
server_status=
stop_server() {
	stop_prism
	if [ -n "$server_pid" ]; then
		kill -TERM "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
		server_status=$?
		server_pid=
	fi
}
# Three TAP lines: Prism found no reply that breaks the document nor a
# request it refuses that the server accepted (skipped without Prism); the
# server logged no reply that breaks it (--strict-responses); and it
# stopped on SIGTERM with status 0 and logged no sanitizer report (ASan,
# LSan, UBSan builds) or crash.
ok_clean_exit() {
	local lines
	if [ -n "$prism_pid" ]; then
		stop_prism
		lines=$(prism_reply_violations "$workdir/prism.log")
		[ -z "$lines" ] || prism_bad+=("$lines")
		# Without --errors (newman.sh) requests Prism refuses reach the
		# server; but for one reading of Prism's, they must not be sent.
		# Prism takes an operation without requestBody to forbid a body
		# ("No supported content types, but request included a non-empty
		# body"); OpenAPI 3.1 leaves such a body undescribed, the server
		# ignores it, and the RealWorld collection sends one (Follow Profile).
		[ -n "$prism_mode" ] || lines=$(grep 'Violation: request' "$workdir/prism.log" |
			grep -v 'No supported content types, but request included a non-empty body')
		[ -n "$prism_mode" ] || [ -z "$lines" ] || prism_bad+=("$lines")
		local checked what
		checked=$(grep -c 'Received forward response' "$workdir/prism.log")
		what="the server refused the $prism_refused requests Prism refuses"
		[ -n "$prism_mode" ] || what="no other request Prism finds invalid reached the server"
		[ ${#prism_bad[@]} -eq 0 ] && [ "$checked" -gt 0 ]
		ok $? "Prism: the $checked replies it checked match the document; $what"
		[ ${#prism_bad[@]} -eq 0 ] || diag "${prism_bad[@]}"
	else
		tap_n=$((tap_n + 1))
		prism_missing "$tap_n" || tap_failed=$((tap_failed + 1))
	fi
	lines=$(grep 'strict-responses:' "$workdir/server.log")
	[ -z "$lines" ]
	ok $? "the server's replies match its document (--strict-responses)"
	[ -z "$lines" ] || diag "$lines"
	stop_server
	! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$workdir/server.log"
	local clean=$?
	[ "$server_status" = 0 ] && [ $clean -eq 0 ]
	ok $? "the server stopped cleanly on SIGTERM (status $server_status)"
	[ $clean -eq 0 ] || diag "$(grep -A 20 -E 'Sanitizer|runtime error' "$workdir/server.log" | head -n 40)"
}
cleanup() {
	stop_prism
	stop_server
	rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Starts the server on a fresh database in $workdir, on a port the kernel
# picks (--port 0: see tests/e2e-petstore/lib.sh), read from its "listening
# on" line, then Prism on its /openapi.json; sets $port, $base (the server's
# API) and $api (the URL to test: Prism's, or $base without Prism). Returns
# 1 (after a diagnostic) when the server or Prism does not come up.
prism_bad=()
prism_refused=0
start_server() {
	local i seen
	rm -f "$workdir"/conduit.db*
	seen=$( (wc -l <"$workdir/server.log") 2>/dev/null || echo 0)
	"$CONDUIT_BIN" --bind 127.0.0.1 --port 0 --db "$workdir/conduit.db" --strict-responses \
		>>"$workdir/server.log" 2>&1 &
	server_pid=$!
	port=
	for i in $(seq 1 200); do
		[ -n "$port" ] || port=$(tail -n +"$((seen + 1))" "$workdir/server.log" |
			sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' | head -n 1)
		base=http://127.0.0.1:$port/api
		if [ -n "$port" ] && curl -fsS -o /dev/null "$base/tags" 2>/dev/null; then
			api=$base
			curl -fsS -o "$workdir/openapi.json" "http://127.0.0.1:$port/openapi.json" || return 1
			start_prism "$workdir/openapi.json" "$base" "$workdir/prism.log" || return 0
			[ -n "$prism_url" ] && api=$prism_url && return 0
			diag "Prism did not start:" "$(tail -n 20 "$workdir/prism.log")"
			return 1
		fi
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	stop_server
	diag "the server did not start:" "$(tail -n 20 "$workdir/server.log")"
	return 1
}

# req METHOD PATH [JSON] [TOKEN]: sets $status and $body. Through Prism when
# it runs: a request Prism refuses (the document does not allow it) goes to
# the server directly then, which must refuse it too (4xx). req_direct
# skips Prism.
req_direct() { local prism_pid=; req "$@"; }
req() {
	local args=(-sS -o "$workdir/body" -D "$workdir/head" -w '%{http_code}' -X "$1")
	[ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
	[ -n "${4:-}" ] && args+=(-H "Authorization: Token $4")
	if [ -n "$prism_pid" ]; then
		status=$(curl "${args[@]}" "$prism_url$2")
		local verdict
		verdict=$(prism_verdict "$status" "$workdir/head" "$workdir/body")
		case $verdict in
		bad:*) prism_bad+=("$1 $2: ${verdict#bad: }") ;;
		refused | unknown)
			cp "$workdir/body" "$workdir/prism.body"
			status=$(curl "${args[@]}" "$base$2")
			if [ "$verdict" = refused ]; then
				prism_refused=$((prism_refused + 1))
				[ "$status" -ge 400 ] 2>/dev/null ||
					prism_bad+=("$1 $2: the server answered $status to a request Prism refuses: $(head -c 400 "$workdir/prism.body")")
			fi
			;;
		esac
	else
		status=$(curl "${args[@]}" "$base$2")
	fi
	body=$(cat "$workdir/body")
}
# The value of a jq filter on $body (raw output).
jb() { printf '%s' "$body" | jq -r "$1"; }
