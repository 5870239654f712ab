#!/usr/bin/env bash
# bench/gateway/check.sh: what each gateway of the benchmark answers, not
# how fast: the Dashboard, a bad limit, and the failure modes of
# examples/gateway/README.md, against the upstream stub. Prints TAP.
#
#   bench/gateway/check.sh [--apic BIN | --apic-cmd CMD] [--only fastify|fastapi|apic]
#
# Cases, for every gateway: the Dashboard (200, `limit` pets and articles,
# the upstream credentials nowhere in the answer), a limit of 0 (422, the
# detail or the listed violations naming `limit`), the
# pet store down (502), the stub slower than UPSTREAM_TIMEOUT_MS (504),
# answers off their contract (502 naming it), an upstream error status
# (502), a stub that expects other credentials (502 naming the 401). Every
# error is application/problem+json with its own status in `status`.
# Each case starts its own stub and gateway, on free ports; all are
# stopped by PID on any exit. --apic and --apic-cmd as in run.sh.
#
# Environment: BUILD_DIR [<top>/_build-bench-gateway], OUT_DIR
# [$BUILD_DIR/check/<time>], FASTAPI_PYTHON (see run.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$top/_build-bench-gateway}
out=${OUT_DIR:-$build/check/$(date -u +%Y%m%dT%H%M%SZ)}
# shellcheck disable=SC2034 # used by lib.sh
prog=bench/gateway/check.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
usage() {
	sed -n '6p' "${BASH_SOURCE[0]}" | sed 's/^#   /usage: /' >&2
	exit 2
}

apic_cmd='' only=''
while [ $# -gt 0 ]; do
	case $1 in
	--apic)
		[ $# -ge 2 ] || usage
		[ -x "$2" ] || die "--apic $2: not an executable file"
		apic_cmd="$(printf '%q' "$2") --per-ip-connections 0 --no-access-log"
		shift
		;;
	--apic-cmd) [ $# -ge 2 ] || usage; apic_cmd=$2; shift ;;
	--only)
		[ $# -ge 2 ] || usage
		case $2 in fastify | fastapi | apic) only=$2 ;; *) usage ;; esac
		shift
		;;
	-h | --help) usage ;;
	*) usage ;;
	esac
	shift
done
[ "$only" != apic ] || [ -n "$apic_cmd" ] || die "--only apic needs --apic BIN or --apic-cmd CMD"
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

mkdir -p "$build" "$out"
need_tools curl # (the common ones only)
want fastapi && find_fastapi_python
want fastify && npm_ci
build_upstream

up_pid='' pid=''
cleanup() {
	[ -z "$pid" ] || stop_pid "$pid"
	[ -z "$up_pid" ] || stop_pid "$up_pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PETSTORE_TOKEN=check-petstore-token CONDUIT_TOKEN=check.conduit.jwt UPSTREAM_TIMEOUT_MS=300
export UPSTREAM_CONNECTIONS=16

# one_case GATEWAY NAME STUB-FLAGS QUERY STATUS DETAIL-RE: starts a stub
# with STUB-FLAGS ("down": none, the pet store's port closed) and the
# gateway, GET /dashboard?QUERY, checks the status and, for an error, that
# the problem's detail matches DETAIL-RE.
n=0 failed=0
one_case() {
	local gw=$1 name=$2 flags=$3 query=$4 want_status=$5 want_detail=$6 up_port gw_port
	local tag=$gw-${name// /-} verdict
	n=$((n + 1))
	up_port=$(free_port)
	# shellcheck disable=SC2086
	"$build/upstream" --port "$up_port" --token "$PETSTORE_TOKEN" --jwt "$CONDUIT_TOKEN" \
		${flags/down/} >"$out/$tag.upstream.log" 2>&1 &
	up_pid=$!
	wait_listening upstream "$up_pid" "$up_port" "$out/$tag.upstream.log"
	PETSTORE_URL=http://127.0.0.1:$up_port/v1 CONDUIT_URL=http://127.0.0.1:$up_port/api
	[ "$flags" != down ] || PETSTORE_URL=http://127.0.0.1:$(free_port)/v1
	export PETSTORE_URL CONDUIT_URL
	gw_port=$(free_port)
	start_gateway "$gw" "$gw_port" "$out/$tag.log"
	curl -s -D "$out/$tag.headers" -o "$out/$tag.body" --max-time 10 \
		"http://127.0.0.1:$gw_port/dashboard${query:+?$query}" || true
	verdict=$(python3 - "$out/$tag.headers" "$out/$tag.body" "$want_status" "$want_detail" \
		"$PETSTORE_TOKEN" "$CONDUIT_TOKEN" "$query" <<'EOF'
import json, re, sys
headers, body, want, detail_re, token, jwt, query = sys.argv[1:]
try:
    head = open(headers).read()
    text = open(body).read()
except OSError:
    print("no answer"); sys.exit()
m = re.match(r"HTTP/\S+ (\d+)", head)
status = int(m.group(1)) if m else 0
ctype = re.search(r"(?im)^content-type:\s*([^;\r\n]+)", head)
ctype = ctype.group(1).strip().lower() if ctype else ""
if token in head + text or jwt in head + text:
    print("an upstream credential is in the answer"); sys.exit()
if status != int(want):
    print(f"status {status}, not {want}: {text[:300]}"); sys.exit()
try:
    doc = json.loads(text)
except ValueError:
    print(f"the body is not JSON: {text[:200]}"); sys.exit()
if status == 200:
    n = int(query.split("=")[1]) if query else 5
    if len(doc.get("pets", [])) != n or len(doc.get("articles", [])) != n or not doc.get("tags"):
        print(f"not {n} pets, {n} articles and tags: {text[:300]}"); sys.exit()
    a = doc["articles"][0]
    if set(a) != {"slug", "title", "description", "tagList", "createdAt", "favoritesCount", "author"} \
            or not isinstance(a["author"], str):
        print(f"an article is not an ArticleSummary: {a}"); sys.exit()
else:
    if ctype != "application/problem+json":
        print(f"content type {ctype!r}, not application/problem+json"); sys.exit()
    if doc.get("status") != status:
        print(f"problem status {doc.get('status')!r}, not {status}"); sys.exit()
    # The detail, or the violations apic's 422 lists beside it.
    hay = str(doc.get("detail", "")) + " " + json.dumps(doc.get("errors", ""))
    if not re.search(detail_re, hay, re.I):
        print(f"detail {doc.get('detail')!r} does not match /{detail_re}/"); sys.exit()
print("ok")
EOF
	)
	if [ "$verdict" = ok ]; then
		echo "ok $n - $gw: $name"
	else
		echo "not ok $n - $gw: $name: $verdict"
		failed=$((failed + 1))
	fi
	stop_pid "$pid"
	pid=''
	stop_pid "$up_pid"
	up_pid=''
}

gateways=()
[ -z "$apic_cmd" ] || ! want apic || gateways+=(apic)
want fastify && gateways+=(fastify)
want fastapi && gateways+=(fastapi)
echo "1..$((7 * ${#gateways[@]}))"
for gw in "${gateways[@]}"; do
	one_case "$gw" "the dashboard" "" "limit=3" 200 ""
	one_case "$gw" "a limit of 0" "" "limit=0" 422 "limit"
	one_case "$gw" "the pet store down" down "" 502 "petstore"
	one_case "$gw" "an upstream too slow" "--delay-ms 1000" "" 504 ""
	one_case "$gw" "answers off contract" "--off-contract" "" 502 "contract|name|favoritesCount|status"
	one_case "$gw" "an upstream error status" "--status 500" "" 502 "500"
	one_case "$gw" "other credentials expected" "--token other --jwt other" "" 502 "401"
done
log "logs in $out"
[ "$failed" = 0 ] || die "$failed of $n cases failed"
