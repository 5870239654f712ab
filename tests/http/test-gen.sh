#!/bin/sh
# The server generated from schemas/testapi.apic, over HTTP with curl: the
# generated decoders behind the runtime's pipeline (violations with their
# locations and codes, 400/413/415), every security scheme, the embedded
# OpenAPI document, and /docs in headless chromium listing every operation.
b="$top_builddir/tests/http"
log="$b/test-http.d/gen.log"
mkdir -p "$b/test-http.d"
n=0
fails=0
check() { # DESCRIPTION COMMAND...
	desc=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fails=$((fails + 1)); fi
}
. "$top_srcdir/tests/http/server.sh"
start_server "$log" "$b/testapi-server"
u="http://127.0.0.1:$port"
out="$b/test-http.d/gen.out"
req() { # expected-status curl-args... ; body in $out
	want=$1; shift
	got=$(curl -s -o "$out" -w '%{http_code}' "$@")
	[ "$got" = "$want" ] || { echo "# got $got, want $want: $(head -c 300 "$out")"; return 1; }
}
jqeq() { # FILTER EXPECTED
	got=$(jq -c "$1" "$out" 2>/dev/null)
	[ "$got" = "$2" ] || { echo "# $1: got $got, want $2"; return 1; }
}
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
kill $pid
wait $pid
check "SIGTERM: exit 0" test $? -eq 0
echo "1..$n"
[ $fails -eq 0 ]
