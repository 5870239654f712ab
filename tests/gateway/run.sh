#!/bin/sh
# The dashboard gateway (examples/gateway/gateway) against the REAL pet
# store and Conduit (examples/petstore, examples/conduit) on loopback:
# pets made through the pet store's API, a Conduit user with two tagged
# articles, then the Dashboard checked exactly, `limit`, 422, X-Request-Id
# reaching the upstream, a stopped upstream (504), a dead one (502), a
# wrong JWT (502); against bench/gateway/upstream: off contract, another
# bearer token, an error status, and the three calls in parallel (200 ms
# each, the dashboard under 500 ms). No upstream credential appears in any
# of the gateway's answers (headers or body). Then bench/gateway/check.sh
# --only apic when its tools are there. Every server on a port the kernel
# picked, killed by PID at the end.
b="$top_builddir"
d="$top_builddir/tests/gateway/run.d"
rm -rf "$d"
mkdir -p "$d"
. "$top_srcdir/tests/http/server.sh"
for t in jq curl; do
	command -v $t >/dev/null 2>&1 || { echo "1..0 # SKIP $t is not installed"; exit 0; }
done
pids=
trap 'kill $pids 2>/dev/null' EXIT
started() { pids="$pids $pid"; trap 'kill $pids 2>/dev/null' EXIT; }

PET_TOKEN=pet-s3cret-b34rer
start_server "$d/petstore.log" "$b/examples/petstore/petstore" --db "$d/pets.db" --token "$PET_TOKEN"
pets=$port pets_pid=$pid; started
CONDUIT_JWT_SECRET=gateway-test-secret; export CONDUIT_JWT_SECRET
start_server "$d/conduit.log" "$b/examples/conduit/conduit" --db "$d/conduit.db"
conduit=$port; started
if [ -z "$pets" ] || [ -z "$conduit" ]; then
	echo "not ok 1 - the upstreams start"; tail -5 "$d"/*.log | sed 's/^/# /'; echo "1..1"; exit 1
fi
P="http://127.0.0.1:$pets/v1" C="http://127.0.0.1:$conduit/api"

# ---- the upstreams' data, made through their APIs -----------------------------------
for p in '{"name":"Rex","tag":"dog"}' '{"name":"Tom","tag":"cat","status":"pending"}' \
	'{"name":"Nemo","status":"sold"}' '{"name":"Lassie","tag":"dog"}'; do
	curl -s -f -XPOST -H "Authorization: Bearer $PET_TOKEN" -H 'Content-Type: application/json' \
		-d "$p" "$P/pets" >>"$d/pets.jsonl" || echo "# cannot create pet $p"
done
curl -s -XPOST -H 'Content-Type: application/json' "$C/users" \
	-d '{"user":{"username":"jake","email":"jake@example.org","password":"jake-pw-1"}}' >"$d/user.json"
JWT=$(jq -r .user.token "$d/user.json")
art() { # TITLE TAG...: an article by jake, appended to articles.jsonl
	title=$1; shift
	jq -nc --arg t "$title" '{article: {title: $t, description: ("about " + $t), body: "b",
		tagList: $ARGS.positional}}' --args "$@" |
		curl -s -f -XPOST -H "Authorization: Token $JWT" -H 'Content-Type: application/json' \
			-d @- "$C/articles" | jq -c .article >>"$d/articles.jsonl"
	sleep 0.01 # distinct createdAt: most recent first is well defined
}
art "How to train your dragon" dragons training
art "Sleeping dogs" dogs training
curl -s "$C/tags" >"$d/tags.json"

# The Dashboard expected for LIMIT: the first LIMIT pets by id, the newest
# LIMIT articles cut down to ArticleSummary, Conduit's tags as it lists them.
expected() {
	jq -sc --argjson n "$1" --slurpfile arts "$d/articles.jsonl" --slurpfile tags "$d/tags.json" '{
		pets: .[:$n],
		articles: ($arts | reverse | .[:$n] | map({slug, title, description, tagList,
			createdAt, favoritesCount, author: .author.username})),
		tags: $tags[0].tags}' "$d/pets.jsonl"
}

# gateway LOG [VAR=VALUE...]: starts the gateway with the environment
# pointing at the real upstreams, changed by the VAR=VALUEs; sets $gw.
gateway() {
	log=$1; shift
	PETSTORE_URL=$P PETSTORE_TOKEN=$PET_TOKEN CONDUIT_URL=$C CONDUIT_TOKEN=$JWT
	UPSTREAM_TIMEOUT_MS=1000 UPSTREAM_CONNECTIONS=8
	CONDUIT_EMAIL='' CONDUIT_PASSWORD=''
	for kv in "$@"; do eval "${kv%%=*}=\${kv#*=}"; done
	export CONDUIT_EMAIL CONDUIT_PASSWORD PETSTORE_URL PETSTORE_TOKEN CONDUIT_URL CONDUIT_TOKEN UPSTREAM_TIMEOUT_MS UPSTREAM_CONNECTIONS
	start_server "$log" "$b/examples/gateway/gateway"
	gw="http://127.0.0.1:$port"; started
	[ -n "$port" ] || { echo "# the gateway did not start:"; tail -5 "$log" | sed 's/^/# /'; }
}
# stub LOG ARGS...: bench/gateway/upstream on a free port; sets $stub.
stub() {
	log=$1; shift
	"$b/bench/gateway/upstream" --port 0 --token "$PET_TOKEN" --jwt "$JWT" "$@" >"$log" 2>&1 &
	pid=$!; started
	sport=
	for _ in $(seq 100); do
		sport=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$log")
		[ -n "$sport" ] && break
		sleep 0.1
	done
	stub=http://127.0.0.1:$sport
}
# get NAME URL [CURL-ARGS...]: the answer's headers in $d/NAME.h, its body
# in $d/NAME.body (and $out), its status in $st.
get() {
	name=$1 url=$2; shift 2
	out="$d/r.$name.body"
	st=$(curl -s --max-time 10 -D "$d/r.$name.h" -o "$out" -w '%{http_code}' "$@" "$url")
}
is() { # STATUS DETAIL-RE: the last answer
	[ "$st" = "$1" ] || { echo "# status $st, not $1: $(head -c 300 "$out")"; return 1; }
	[ -z "$2" ] && return 0
	grep -qi '^content-type: application/problem+json' "$d/r.$name.h" ||
		{ echo "# not problem+json"; return 1; }
	jq -e --arg re "$2" --argjson s "$1" '.status == $s and (.detail | test($re))' "$out" >/dev/null ||
		{ echo "# detail: $(jq -c .detail "$out"), not /$2/"; return 1; }
}

gateway "$d/gw.log"
check "the gateway starts against the real pet store and Conduit" test -n "$port"
main_gw=$gw

get dash5 "$gw/dashboard"
check "the dashboard: 200" is 200 ""
check "the dashboard: the pets, articles and tags made upstream, exactly (limit 5)" \
	jqeq . "$(expected 5)"
get dash2 "$gw/dashboard?limit=2"
check "limit=2: two pets, the newest two articles" jqeq . "$(expected 2)"
get dash1 "$gw/dashboard?limit=1"
check "limit=1: one pet, the newest article" jqeq '[.pets[].name, .articles[].title]' '["Rex","Sleeping dogs"]'
get lim0 "$gw/dashboard?limit=0"
check "limit=0: 422 naming limit" sh -c "[ $st = 422 ] && grep -q limit '$out'"
get lim21 "$gw/dashboard?limit=21"
check "limit=21: 422" test "$st" = 422

# one client per upstream, its connection kept alive: after these
# dashboards one after the other, one connection to the pet store
conns() { ss -Htn state established "( dport = :$1 )" | wc -l; }
if command -v ss >/dev/null 2>&1; then
	check "sequential dashboards: one kept-alive connection to the pet store ($(conns "$pets"))" \
		test "$(conns "$pets")" = 1
else
	n=$((n + 1)); echo "ok $n # SKIP ss is not installed"
fi

# X-Request-Id: the gateway's request id is the one the upstreams log
get rid "$gw/dashboard"
rid=$(tr -d '\r' <"$d/r.rid.h" | sed -n 's/^[Xx]-[Rr]equest-[Ii]d: *//p')
check "the gateway answers its request id" test -n "$rid"
check "the pet store logged the gateway's request id" eventually grep -q "GET /v1/pets 200 .* id=$rid\$" "$d/petstore.log"
check "Conduit logged it on both calls" eventually sh -c "[ \$(grep -c ' id=$rid\$' '$d/conduit.log') = 2 ]"
get rid2 "$gw/dashboard" -H 'X-Request-Id: dash-client-id-42'
check "a client's X-Request-Id reaches the pet store" eventually grep -q "GET /v1/pets 200 .* id=dash-client-id-42\$" "$d/petstore.log"

# a stopped pet store: the call's timeout (UPSTREAM_TIMEOUT_MS=1000) -> 504
kill -STOP "$pets_pid"
stopped() { [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$pets_pid/stat" 2>/dev/null)" = T ]; }
[ -r "/proc/$pets_pid/stat" ] && { eventually stopped; sleep 0.2; }
get stopped "$gw/dashboard"
kill -CONT "$pets_pid"
check "the pet store stopped: 504 naming petstore listPets" is 504 '^petstore listPets: '
get again "$gw/dashboard"
check "the pet store back: the dashboard again" jqeq . "$(expected 5)"

# no CONDUIT_TOKEN: the gateway logs in with CONDUIT_EMAIL / CONDUIT_PASSWORD
# (a login hashes the password: slow in the sanitizer build, so a timeout of its own)
gateway "$d/gw-login.log" CONDUIT_TOKEN= CONDUIT_EMAIL=jake@example.org CONDUIT_PASSWORD=jake-pw-1 UPSTREAM_TIMEOUT_MS=5000
get login "$gw/dashboard"
check "no CONDUIT_TOKEN: logged in at start, the dashboard" jqeq . "$(expected 5)"
kill "$pid"

# a wrong JWT: Conduit answers 401 -> 502
gateway "$d/gw-jwt.log" CONDUIT_TOKEN=not.a.jwt
get badjwt "$gw/dashboard"
check "a wrong Conduit JWT: 502 naming GetArticles' 401" is 502 '^conduit GetArticles: answered 401'
kill "$pid"

# the stub in the pet store's and Conduit's place
stub "$d/stub-other.log" --token other-token
gateway "$d/gw-other.log" PETSTORE_URL="$stub/v1" CONDUIT_URL="$stub/api"
get badtoken "$gw/dashboard"
check "a pet store expecting another bearer token: 502 naming its 401" is 502 '^petstore listPets: answered 401'
kill "$pid"

stub "$d/stub-off.log" --off-contract
gateway "$d/gw-off.log" PETSTORE_URL="$stub/v1" CONDUIT_URL="$stub/api"
get off "$gw/dashboard"
check "answers off contract: 502 naming the violation" is 502 ': off contract at '"'"'/'
kill "$pid"

stub "$d/stub-500.log" --status 500
gateway "$d/gw-500.log" PETSTORE_URL="$stub/v1" CONDUIT_URL="$stub/api"
get s500 "$gw/dashboard"
check "an upstream answering 500: 502" is 502 ': answered 500'
kill "$pid"

stub "$d/stub-slow.log" --delay-ms 200
gateway "$d/gw-slow.log" PETSTORE_URL="$stub/v1" CONDUIT_URL="$stub/api"
get warm "$gw/dashboard"
t=$(curl -s -o "$d/r.par.body" -w '%{time_total}' "$gw/dashboard")
check "three 200 ms calls in parallel: the dashboard in $t s (< 0.5 s)" \
	sh -c "[ '$st' = 200 ] && awk 'BEGIN { exit !($t < 0.5) }'"
kill "$pid"

stub "$d/stub-late.log" --delay-ms 1500
gateway "$d/gw-late.log" PETSTORE_URL="$stub/v1" CONDUIT_URL="$stub/api" UPSTREAM_TIMEOUT_MS=300
get late "$gw/dashboard"
check "upstreams slower than UPSTREAM_TIMEOUT_MS: 504" is 504 ': no answer within 300 ms'
kill "$pid"

# the pet store gone: 502 unreachable, naming it
kill "$pets_pid"; wait "$pets_pid" 2>/dev/null
get down "$main_gw/dashboard"
check "the pet store down: 502 naming petstore listPets, unreachable" is 502 '^petstore listPets: unreachable'

# the start: a missing variable, no JWT nor login, a login refused
timeout 10 env -u PETSTORE_TOKEN "$b/examples/gateway/gateway" --port 0 >"$d/start1.log" 2>&1
check "no PETSTORE_TOKEN: the gateway stops at start naming it" \
	sh -c "[ $? != 0 ] && grep -q PETSTORE_TOKEN '$d/start1.log'"
timeout 10 env -u CONDUIT_TOKEN -u CONDUIT_EMAIL "$b/examples/gateway/gateway" --port 0 >"$d/start2.log" 2>&1
check "no CONDUIT_TOKEN nor login: stops at start naming them" grep -q 'CONDUIT_EMAIL' "$d/start2.log"

# a login timeout of its own: the answer, not the machine's load, is under test
timeout 10 env -u CONDUIT_TOKEN CONDUIT_URL="$C" CONDUIT_EMAIL=jake@example.org CONDUIT_PASSWORD=pw-not-right-77 UPSTREAM_TIMEOUT_MS=5000 \
	"$b/examples/gateway/gateway" --port 0 >"$d/start3.log" 2>&1
check "a login Conduit refuses: stops at start, the password in no message" \
	sh -c "[ $? != 0 ] && grep -q 'conduit login as jake@example.org: answered 401' '$d/start3.log' && ! grep -q pw-not-right-77 '$d/start3.log'"

# no credential in any answer, headers or body
check "no upstream credential in any of the gateway's answers" \
	sh -c "! grep -rlF -e '$PET_TOKEN' -e '$JWT' '$d'/r.*"
check "no upstream credential in the gateway's logs" \
	sh -c "! grep -lF -e '$PET_TOKEN' -e '$JWT' '$d'/gw*.log"

# bench/gateway/check.sh: its cases, against its stub, when its tools are here
if command -v node >/dev/null && command -v npm >/dev/null && command -v gcc >/dev/null &&
	command -v python3 >/dev/null && pkg-config --exists libmicrohttpd 2>/dev/null; then
	BUILD_DIR="$d/check" "$top_srcdir/bench/gateway/check.sh" --only apic \
		--apic "$b/examples/gateway/gateway" >"$d/check.tap" 2>"$d/check.log"
	check "bench/gateway/check.sh --only apic" sh -c "[ $? = 0 ] && ! grep -q '^not ok' '$d/check.tap'"
	grep '^not ok' "$d/check.tap" | sed 's/^/# /'
else
	n=$((n + 1)); echo "ok $n # SKIP bench/gateway/check.sh: node, npm, gcc or libmicrohttpd's pkg-config missing"
fi

echo "1..$n"
[ "$fails" = 0 ]
