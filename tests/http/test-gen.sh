#!/bin/sh
# The server generated from schemas/testapi.apic, over HTTP with curl: the
# generated decoders behind the runtime's pipeline (violations with their
# locations and codes, 400/413/415), every security scheme, the embedded
# OpenAPI document, and /docs in headless chromium listing every operation.
# The server runs with --strict-responses: no reply may break the document;
# the requests it allows are sent again through Prism, which must find no
# violation. Then --strict-responses itself: handlers (testapi-impl.c, ids
# 600-605) that reply what the document does not allow get a 500 and a log
# line with it, and without the flag their replies go out as they are.
b="$top_builddir/tests/http"
log="$b/test-http.d/gen.log"
mkdir -p "$b/test-http.d"
. "$top_srcdir/tests/http/server.sh"
start_server "$log" "$b/testapi-server" --strict-responses
u="http://127.0.0.1:$port"
out="$b/test-http.d/gen.out"
if [ -z "$port" ]; then
	echo "not ok 1 - generated server starts"
	echo "1..1"
	exit 1
fi
check "generated server starts" test -n "$port"

check "GET with typed path and query" req 200 "$u/t/items/7/green?limit=13"
check "the handler's typed reply" jqeq . '{"i32":3,"color":"green"}'
check "bad path and query values -> 422" req 422 "$u/t/items/0/purple?limit=500&flag=yes"
check "every violation, located" jqeq '[.errors[]|[.location,.name,.code]]' \
	'[["path","id","below_minimum"],["path","color","not_in_enum"],["query","limit","above_maximum"],["query","flag","invalid"]]'
check "problem+json shape" jqeq '[.type,.title,.status]' '["about:blank","Unprocessable Content",422]'
check "a malformed escape in the query -> 422" req 422 "$u/t/items/7/green?limit=1%zz"
check "located at the parameter, not dropped" jqeq '[.errors[]|[.location,.name,.code,.message]]' \
	'[["query","limit","invalid","malformed percent-encoding"]]'
check "invalid UTF-8 in a query value -> 422" req 422 "$u/t/items/7/green?limit=%ed%a0%80"
check "located at the parameter" jqeq '[.errors[]|[.location,.name,.code,.message]]' \
	'[["query","limit","invalid","invalid UTF-8"]]'
check "invalid UTF-8 in a path parameter -> 422" req 422 "$u/t/items/7/%c0%80"
check "located at that parameter" jqeq '[.errors[]|[.location,.name,.code,.message]]' \
	'[["path","color","invalid","invalid UTF-8"]]'
check "NUL in a query value -> 422" req 422 "$u/t/items/7/green?q=a%00b"
check "located at the parameter, like invalid UTF-8" jqeq '[.errors[]|[.location,.name,.code,.message]]' \
	'[["query","q","invalid","contains NUL (%00)"]]'
check "NUL in a path parameter -> 422, only that violation (not also 'must be an integer')" \
	req 422 "$u/t/items/%00/green"
check "located at the path parameter" jqeq '[.errors[]|[.location,.name,.code,.message]]' \
	'[["path","id","invalid","contains NUL (%00)"]]'
check "a malformed escape in a path parameter -> 422" req 422 "$u/t/items/%zz/green"
check "named like the others" jqeq '[.errors[]|[.location,.name,.message]]' \
	'[["path","id","malformed percent-encoding"]]'
check "NUL in a required query parameter: one violation (not also 'missing')" req 422 "$u/t/headers?case=%00"
check "only the NUL" jqeq '[.errors[]|[.location,.name,.code]]' '[["query","case","invalid"]]'
check "NUL in a literal path segment -> 404" req 404 "$u/t/it%00ems/7/green"
check "a 404 from the handler" req 404 "$u/t/items/404/red"
check "HEAD" req 200 -I "$u/t/items/7/red"
check "a declared typeless 409: the error shape" req 409 -X DELETE "$u/t/items/409"
check "409 problem+json with the handler's detail" jqeq . \
	'{"type":"about:blank","title":"Conflict","status":409,"detail":"item 409 is in use"}'
check "409 content type" sh -c "curl -s -o /dev/null -w '%{content_type}' -X DELETE '$u/t/items/409' | grep -qx 'application/problem+json'"
check "a declared typeless 410 with a NULL detail" req 410 -X DELETE "$u/t/items/410"
check "410 detail: the reason phrase" jqeq . '{"type":"about:blank","title":"Gone","status":410,"detail":"Gone"}'
check "a typeless 204 stays empty" sh -c "test \"\$(curl -s -w '%{http_code}' -X DELETE '$u/t/items/7')\" = 204"
check "405 with Allow" req 405 -X PUT "$u/t/items/7"
check "405 Allow header" sh -c "curl -s -D - -o /dev/null -X PUT '$u/t/items/7' | grep -qi '^Allow: DELETE, OPTIONS'"

J='Content-Type: application/json'
check "valid body echoed" req 200 -H "$J" -d '{"i32":-5,"s":"abcd","color":"blue"}' "$u/t/scalars"
check "echo" jqeq . '{"i32":-5,"s":"abcd","color":"blue"}'
check "body violations -> 422" req 422 -H "$J" -d '{"i32":6,"s":"x","zzz":1}' "$u/t/scalars"
check "body pointers and codes" jqeq '[.errors[]|[.location,.pointer,.code]]|sort' \
	'[["body","/i32","above_maximum"],["body","/s","too_short"],["body","/zzz","unknown_property"]]'
check "missing body -> 422 missing" req 422 -H "$J" -X POST "$u/t/scalars"
check "missing at the body" jqeq '[.errors[]|[.location,.pointer,.code]]' '[["body","","missing"]]'
check "malformed JSON -> 400" req 400 -H "$J" -d '{"i32":01}' "$u/t/scalars"
check "with the offset" jqeq .offset 8
check "duplicate keys -> 400" req 400 -H "$J" -d '{"i32":1,"i32":2}' "$u/t/scalars"
check "text/plain -> 415" req 415 -H 'Content-Type: text/plain' -d '{"i32":1}' "$u/t/scalars"
big=$(head -c 1500 /dev/zero | tr '\0' ' ')
check "route maxbody 1024 -> 413" req 413 -H "$J" -d "{\"known\":\"$big\"}" "$u/t/loose"
check "schema depth + 1 -> 400" req 400 -H "$J" -d '{"i32":1,"s":[[1]]}' "$u/t/scalars"

check "bearer missing -> 401" req 401 "$u/t/secure"
check "bearer challenge" sh -c "curl -s -D - -o /dev/null '$u/t/secure' | grep -qi '^WWW-Authenticate: Bearer realm=\"Test API\"'"
check "bearer good" req 200 -H 'Authorization: Bearer good' "$u/t/secure"
check "principal seen" jqeq .n 1
check "optional auth, anonymous" req 200 "$u/t/maybe"
check "anonymous principal" jqeq .n 0
check "optional auth, invalid -> 401" req 401 -H 'Authorization: Token nope' "$u/t/maybe"
check "apikey prefix challenge" sh -c "curl -s -D - -o /dev/null -H 'Authorization: Token nope' '$u/t/maybe' | grep -qi '^WWW-Authenticate: Token realm='"
check "optional auth, valid" req 200 -H 'Authorization: Token good' "$u/t/maybe"
check "apikey query" req 200 "$u/t/keyed?api_key=good"
check "apikey query reply" jqeq . 42
check "apikey query invalid -> 401" req 401 "$u/t/keyed?api_key=bad"
check "apikey cookie" req 200 -b 'session=good' "$u/t/session"
check "basic" req 200 -u alice:pw "$u/t/login"
check "basic principal" jqeq . '["alice"]'
check "basic wrong password -> 401" req 401 -u alice:nope "$u/t/login"

check "/openapi.json is the generated document" req 200 "$u/openapi.json"
check "byte for byte" cmp -s "$out" "$b/gen/testapi.openapi.json"

chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chrome" ] && grep -q APIC_SWAGGER_DIR "$top_builddir/runtime/swagger-config.h"; then
	profile=$(mktemp -d)
	timeout 90 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
		--virtual-time-budget=10000 --dump-dom "$u/docs" >"$b/test-http.d/gen.dom" 2>/dev/null
	rm -rf "$profile"
	for op in $(jq -r '..|.operationId? // empty' "$b/gen/testapi.openapi.json"); do
		check "/docs lists $op" grep -q ">$op<" "$b/test-http.d/gen.dom"
	done
else
	n=$((n + 1))
	echo "ok $n # SKIP chromium or embedded swagger-ui-dist missing"
fi
# ---- the document holds for every reply: the server's own check, Prism
. "$top_srcdir/tests/e2e-petstore/prism.sh"
no_violations() { # PRISM-LOG
	v=$(prism_violations "$1")
	[ -z "$v" ] || { printf '%s\n' "$v" | sed 's/^/# /'; return 1; }
}
plog="$b/test-http.d/gen.prism.log"
: >"$plog"
curl -s -o "$b/test-http.d/gen.prism.json" "$u/openapi.json"
if start_prism "$b/test-http.d/gen.prism.json" "$u/t" "$plog"; then
	check "Prism starts on the server's /openapi.json" test -n "$prism_url"
	p=$prism_url
	check "through Prism: a typed reply" req 200 "$p/items/7/green?limit=13"
	check "through Prism: the handler's 404 Error" req 404 "$p/items/404/red"
	check "through Prism: a declared typeless 409" req 409 -X DELETE "$p/items/409"
	check "through Prism: 410" req 410 -X DELETE "$p/items/410"
	check "through Prism: 204" req 204 -X DELETE "$p/items/7"
	check "through Prism: every scalar echoed" req 200 -H "$J" \
		-d '{"i32":-5,"i64":9007199254740991,"x":0.5,"r":-1.5,"b":true,"s":"abcd","pat":"ab1","uni":"Ünï","email":"a@example.org","uuid":"123e4567-e89b-12d3-a456-426614174000","date":"2024-02-29","dt":"2024-02-29T12:00:00Z","uri":"https://example.org/x","color":"blue","level":"HTTPCode"}' \
		"$p/scalars"
	check "through Prism: the readonly id in the reply, not the writeonly secret" \
		req 200 -H "$J" -d '{"name":"a","secret":"s","nick":null,"inner":{"n":1}}' "$p/modifiers"
	check "through Prism: bearer" req 200 -H 'Authorization: Bearer good' "$p/secure"
	check "through Prism: optional auth, anonymous" req 200 "$p/maybe"
	check "through Prism: optional auth, valid" req 200 -H 'Authorization: Token good' "$p/maybe"
	check "through Prism: an API key in the query" req 200 "$p/keyed?api_key=good"
	check "through Prism: an API key in a cookie" req 200 -b 'session=good' "$p/session"
	check "through Prism: basic" req 200 -u alice:pw "$p/login"
	stop_prism
	check "Prism found no violation" no_violations "$plog"
else
	n=$((n + 1))
	prism_missing "$n" || fails=$((fails + 1))
fi
check "no reply broke the document (no strict-responses line in the log)" sh -c "! grep 'strict-responses:' '$log'"

# ---- --strict-responses: replies the document does not allow
strict() { # ID STATUS DESCRIPTION TEXT...: a 500, one log line with every TEXT
	id=$1 st=$2 what=$3
	shift 3
	check "$what: 500" req 500 -H "X-Request-Id: strict-$id" "$u/t/items/$id/red"
	check "$what: the problem says why" jqeq .detail '"the response does not match the API document"'
	line=$(grep -F "[strict-$id] strict-responses: getItem replied $st, " "$log")
	for t in "$@"; do
		check "$what: the log line has: $t" sh -c 'printf "%s" "$1" | grep -qF -- "$2" || { echo "# log: $1"; exit 1; }' - "$line" "$t"
	done
}
strict 600 418 "an undeclared status" "status 418 is not declared (the document has 200 404"
strict 601 200 "a typed reply breaking its model's constraints" "/i32 above_maximum: must be at most 5, got 99" \
	"/s too_short" "/pat pattern_mismatch" "/email invalid_format"
strict 602 200 "a raw reply with an unknown property" "/extra unknown_property"
strict 603 200 "a raw reply of another content type" "Content-Type text/plain, the document declares application/json"
strict 604 404 "a raw Error without its required message" "/message missing: is required" "/msg unknown_property"
strict 605 200 "an empty reply where the document declares a body" "no body, the document declares application/json"
check "a correct reply still passes" req 200 "$u/t/items/7/green?limit=13"
check "a reply with the readonly id passes" req 200 -H "$J" -d '{"name":"a"}' "$u/t/modifiers"
check "and has it" jqeq .id 1
check "one strict-responses line per bad reply" test "$(grep -c 'strict-responses:' "$log")" -eq 6
kill $pid
wait $pid
check "SIGTERM: exit 0" test $? -eq 0

# Without the flag, the same replies go out as the handlers made them.
log2="$b/test-http.d/gen-lax.log"
start_server "$log2" "$b/testapi-server"
u="http://127.0.0.1:$port"
check "without --strict-responses: the server starts" test -n "$port"
check "without the flag: the undeclared 418 goes out" req 418 "$u/t/items/600/red"
check "without the flag: the model breaking its constraints goes out" req 200 "$u/t/items/601/red"
check "as the handler made it" jqeq '[.i32,.s]' '[99,"x"]'
check "without the flag: the unknown property" req 200 "$u/t/items/602/red"
check "without the flag: text/plain" req 200 "$u/t/items/603/red"
check "without the flag: the Error without message" req 404 "$u/t/items/604/red"
check "without the flag: the empty 200" req 200 "$u/t/items/605/red"
check "without the flag: nothing logged" sh -c "! grep 'strict-responses:' '$log2'"
kill $pid
wait $pid
check "SIGTERM: exit 0" test $? -eq 0

# CORS: a preflight allows every request header the schema declares (the
# header parameters X-Trace-Id and X-Count, the Token key's Authorization),
# without --cors-headers.
log3="$b/test-http.d/gen-cors.log"
start_server "$log3" "$b/testapi-server" --cors-origin https://app.example
u="http://127.0.0.1:$port"
allow=$(curl -s -o /dev/null -D - -X OPTIONS -H 'Origin: https://app.example' \
	-H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: x-trace-id' \
	"$u/t/items/7/green" | tr -d '\r' | sed -n 's/^[Aa]ccess-[Cc]ontrol-[Aa]llow-[Hh]eaders: //p')
check "a preflight allows the declared request headers" \
	test "$allow" = "Authorization, Content-Type, X-Count, X-Request-Id, X-Trace-Id"
[ "$allow" = "Authorization, Content-Type, X-Count, X-Request-Id, X-Trace-Id" ] || echo "# got: $allow"
kill $pid
wait $pid
echo "1..$n"
[ $fails -eq 0 ]
