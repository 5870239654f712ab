#!/bin/sh
# The official RealWorld Postman collection (tests/conduit/realworld/, a
# verbatim copy of ../shared/realworld) run with newman against the Conduit example:
# first on a fresh database, then again on the same, now non-empty, database
# with new user names. Every request must be executed and every assertion
# must hold. TAP: per run, one line for the run and one for its assertions;
# then the document checks of lib.sh (the runs go through Prism) and the
# clean exit.
set -u
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/conduit/lib.sh"

collection=$top_srcdir/tests/conduit/realworld/Conduit.postman_collection.json
newman=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}/.bin/newman
# Requests in the collection: each must have been executed.
nrequests=$(jq '[.. | objects | select(has("request"))] | length' "$collection")

echo "1..7"
if [ ! -x "$newman" ]; then
	for i in 1 2 3 4 5 6 7; do
		echo "not ok $i - newman is not installed: run ./setup.sh deps (npm ci in tests/npm)"
	done
	exit 1
fi
# Through Prism without --errors: the collection sends a body to Follow
# Profile, which the document declares none for, and Prism would refuse the
# request (lib.sh, ok_clean_exit, says more); its log still holds every
# violation of a reply, and of a request.
prism_mode=
if ! start_server; then
	for i in 1 2 3 4 5 6 7; do echo "not ok $i - the Conduit server did not start"; done
	exit 1
fi

run_newman() { # RUN-NUMBER USER-NAME
	local report=$workdir/newman-$1.json rc
	"$newman" run "$collection" --color off \
		--reporters cli,json --reporter-json-export "$report" \
		--global-var "APIURL=$api" \
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
	ok $? "newman run $1 ($2): exit status $rc, $executed of $nrequests requests executed, ${failed_requests:-?} failed"
	[ "$rc" -eq 0 ] && [ "$failed_assertions" = 0 ] && [ "${assertions:-0}" -gt 0 ]
	ok $? "newman run $1: ${assertions:-?} assertions, ${failed_assertions:-?} failed"
	if [ "$rc" -ne 0 ] || [ "$failed_assertions" != 0 ]; then
		diag "$(jq -r '.run.failures[]? | "\(.source.name // "?"): \(.error.test // .error.message)"' \
			"$report" 2>/dev/null | head -n 40)"
		diag "$(tail -n 60 "$workdir/newman-$1.out")"
	fi
}

# Names unique to this test run, and different between the two runs.
stamp=$$$(date +%s)
run_newman 1 "first$stamp"
run_newman 2 "second$stamp"
ok_clean_exit
[ "$tap_failed" -eq 0 ]
