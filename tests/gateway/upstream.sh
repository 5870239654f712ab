#!/bin/sh
# The upstream stub of bench/gateway (bench/gateway/upstream.c), which the
# gateway benchmark and bench/gateway/check.sh rely on: the pet store's and
# Conduit's list answers in their shapes, 401 without the right credential
# (each upstream's own error shape), 422 for a bad limit, the delay without
# a thread held per request, --off-contract and --status, /stats, SIGTERM.
# A functional test only: nothing here is timed beyond "not serialised".
b="$top_builddir/bench/gateway"
d="$top_builddir/tests/gateway/upstream.d"
mkdir -p "$d"
. "$top_srcdir/tests/http/server.sh"
out="$d/body"

# stub LOG ARGS...: starts the stub on a free port; sets $pid, $port, $u.
stub() {
	log=$1; shift
	: >"$log"
	"$b/upstream" --port 0 "$@" >"$log" 2>&1 &
	pid=$!
	trap 'kill $pid 2>/dev/null' EXIT
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$log")
		[ -n "$port" ] && break
		sleep 0.1
	done
	u="http://127.0.0.1:$port"
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }

tok='Authorization: Bearer t0k'
jwt='Authorization: Token j.w.t'
stub "$d/a.log" --token t0k --jwt j.w.t --delay-ms 5
check "the stub starts and prints its port" test -n "$port"

check "pets: 200 with the bearer token" req 200 -H "$tok" "$u/v1/pets?limit=3"
check "pets: limit=3 gives 3 pets in the pet store's shape" jqeq \
	'[length, (.[0] | keys), (map(.status | IN("available","pending","sold")) | all)]' \
	'[3,["id","name","status","tag"],true]'
check "pets: X-Total-Count" sh -c "curl -s -D - -o /dev/null -H '$tok' '$u/v1/pets' | tr -d '\r' | grep -qi '^X-Total-Count: [0-9]'"
check "pets: the default limit is 20" sh -c "curl -s -H '$tok' '$u/v1/pets' | jq -e 'length == 20' >/dev/null"
check "pets: 401 without a token" req 401 "$u/v1/pets"
check "pets: the 401 is a problem, with WWW-Authenticate: Bearer" sh -c \
	"curl -s -D - -o /dev/null '$u/v1/pets' | tr -d '\r' | grep -qi '^WWW-Authenticate: Bearer' && \
	 curl -s -D - -o /dev/null '$u/v1/pets' | tr -d '\r' | grep -qi '^Content-Type: application/problem+json'"
check "pets: 401 with a wrong token" req 401 -H 'Authorization: Bearer nope' "$u/v1/pets"
check "pets: 401 with Conduit's scheme" req 401 -H 'Authorization: Token t0k' "$u/v1/pets"
check "pets: 422 for limit=0" req 422 -H "$tok" "$u/v1/pets?limit=0"
check "pets: 422 for limit=x" req 422 -H "$tok" "$u/v1/pets?limit=x"

check "articles: 200 with the JWT" req 200 -H "$jwt" "$u/api/articles?limit=2"
check "articles: Conduit's MultipleArticlesResponse" jqeq \
	'[(.articles | length), (.articles[0] | keys), (.articles[0].author | keys), (.articlesCount | type)]' \
	'[2,["author","createdAt","description","favorited","favoritesCount","slug","tagList","title","updatedAt"],["bio","following","image","username"],"number"]'
check "articles: newest first" jqeq '.articles[0].createdAt > .articles[1].createdAt' 'true'
check "articles: 401 without the JWT" req 401 "$u/api/articles"
check "articles: the 401 is Conduit's error shape" jqeq '.errors.body | length' '1'
check "articles: 401 with the bearer scheme" req 401 -H 'Authorization: Bearer j.w.t' "$u/api/articles"
check "tags: 200 without credentials" req 200 "$u/api/tags"
check "tags: Conduit's TagsResponse" jqeq '.tags | (length > 0) and (map(type == "string") | all)' 'true'
check "another path: 404" req 404 "$u/v1/pets/1"
check "another method: 405" req 405 -X POST "$u/api/tags"
check "/stats counts what was served" sh -c \
	"curl -s '$u/stats' | jq -e '.pets == 3 and .articles == 1 and .tags == 1 and .unauthorized == 7 and .bad_request == 2 and .not_found == 1' >/dev/null"
check "SIGTERM stops it" sh -c "kill $pid && for i in \$(seq 50); do kill -0 $pid 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
wait "$pid" 2>/dev/null

# 40 requests of 300 ms each on 2 threads: a thread held per request would
# take 6 s; the timer thread resumes them all at about the same time.
stub "$d/b.log" --delay-ms 300 --threads 2
delayed() {
	start=$(date +%s%N)
	curl -s -o /dev/null "$u/api/tags" || return 1
	[ $(( ($(date +%s%N) - start) / 1000000 )) -ge 290 ]
}
check "--delay-ms 300: an answer waits 300 ms" delayed
parallel() {
	start=$(date +%s%N)
	curls=
	for i in $(seq 40); do
		curl -s --max-time 10 -o "$d/p$i" -w '%{http_code}\n' "$u/api/tags" >"$d/s$i" &
		curls="$curls $!"
	done
	# shellcheck disable=SC2086 # the curls, not the stub (a bare wait would wait for it too)
	wait $curls
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "# 40 parallel requests: $ms ms"
	[ "$(cat "$d"/s* | sort -u)" = 200 ] && [ "$ms" -lt 3000 ]
}
check "--delay-ms 300: 40 requests at once are not served one after another" parallel
rm -f "$d"/p* "$d"/s*
stop

stub "$d/c.log" --delay-ms 0 --off-contract
check "--off-contract: a pet without a name, an unknown status" sh -c \
	"curl -s -H 'Authorization: Bearer bench-petstore-token' '$u/v1/pets?limit=2' | jq -e '.[0] | (has(\"name\") | not) and .status == \"lost\"' >/dev/null"
check "--off-contract: a favoritesCount that is a string" sh -c \
	"curl -s -H 'Authorization: Token bench.conduit.jwt' '$u/api/articles?limit=2' | jq -e '.articles[0].favoritesCount | type == \"string\"' >/dev/null"
stop

stub "$d/d.log" --delay-ms 0 --status 503
check "--status 503: pets answer 503" req 503 -H 'Authorization: Bearer bench-petstore-token' "$u/v1/pets"
check "--status 503: tags answer 503" req 503 "$u/api/tags"
check "--status 503: credentials are still checked first" req 401 "$u/api/articles"
stop

echo "1..$n"
[ "$fails" = 0 ]
