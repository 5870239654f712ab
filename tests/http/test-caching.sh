#!/bin/sh
# Caching headers, entity tags and gzip (runtime/compress.c) on real
# servers: the built-in documents are compressed for a client that accepts
# gzip (and not for one that refuses it with q=0), carry an ETag and answer
# If-None-Match with 304; API replies are compressed with --compress only,
# above --compress-min, and always decompress to the same bytes; an
# operation's `cache` and `etag` (the test API's getCached) give its
# Cache-Control, ETag and 304, as its document says.
. "$top_srcdir/tests/http/server.sh"
d="$top_builddir/tests/http/test-http.d"
mkdir -p "$d"
# get PATH [CURL ARGS]: headers to $d/c.h (lower case), body to $d/c.b
get() {
	p=$1; shift
	rm -f "$d/c.b"
	curl -s -D "$d/c.h.raw" -o "$d/c.b" "$@" "http://127.0.0.1:$port$p"
	touch "$d/c.b"
	tr -d '\r' <"$d/c.h.raw" | tr 'A-Z' 'a-z' >"$d/c.h"
}
has() { grep -q "^$1" "$d/c.h"; }
status() { head -n 1 "$d/c.h" | cut -d' ' -f2; }

start_server "$d/compress.log" "$top_builddir/tests/http/test-server"
check "server starts" test -n "$port"
get /openapi.json
cp "$d/c.b" "$d/plain.json"
check "the document without Accept-Encoding: not compressed" sh -c "! grep -q '^content-encoding' '$d/c.h'"
check "it carries an ETag" has 'etag: w/"'
etag=$(sed -n 's/^etag: //p' "$d/c.h" | sed 's/^w/W/')
get /openapi.json -H 'Accept-Encoding: gzip, deflate'
check "with Accept-Encoding: gzip it is gzipped" has 'content-encoding: gzip'
check "and says Vary: Accept-Encoding" has 'vary: accept-encoding'
check "it decompresses to the same document" sh -c "gunzip -c '$d/c.b' | cmp -s - '$d/plain.json'"
get /openapi.json -H 'Accept-Encoding: gzip;q=0, identity'
check "gzip;q=0 is refused: not compressed" sh -c "! grep -q '^content-encoding' '$d/c.h'"
get /openapi.json -H "If-None-Match: $etag"
check "If-None-Match with its ETag: 304" test "$(status)" = 304
check "with no body" test ! -s "$d/c.b"
get /openapi.json -H 'If-None-Match: W/"0-00000000", "other"'
check "another ETag: 200" test "$(status)" = 200
if grep -q 'without-swagger-ui' "$top_builddir/runtime/swagger-config.h"; then
	n=$((n + 1)); echo "ok $n - the Swagger UI bundle is gzipped # SKIP built --without-swagger-ui"
else
	get /docs/swagger-ui-bundle.js -H 'Accept-Encoding: gzip'
	check "the Swagger UI bundle is gzipped" has 'content-encoding: gzip'
fi
get /api/big -H 'Accept-Encoding: gzip'
check "an API reply is not compressed without --compress" sh -c "! grep -q '^content-encoding' '$d/c.h'"
cp "$d/c.b" "$d/big.plain"
kill "$pid" && wait "$pid"

start_server "$d/compress2.log" "$top_builddir/tests/http/test-server" --compress --compress-min 100
get /api/big -H 'Accept-Encoding: gzip'
check "with --compress an API reply is gzipped" has 'content-encoding: gzip'
check "to the same bytes" sh -c "gunzip -c '$d/c.b' | cmp -s - '$d/big.plain'"
get /api/pets/2 -H 'Accept-Encoding: gzip'
check "a reply under --compress-min is not" sh -c "! grep -q '^content-encoding' '$d/c.h'"
get /api/big
check "nor one to a client that does not accept gzip" sh -c "! grep -q '^content-encoding' '$d/c.h'"
check "which is told Vary: Accept-Encoding" has 'vary: accept-encoding'
kill "$pid" && wait "$pid"

start_server "$d/caching.log" "$top_builddir/tests/http/testapi-server" --strict-responses
get /t/cached/7
check "cache: a 200 says Cache-Control" has 'cache-control: public, max-age=60'
check "etag: and carries an ETag" has 'etag: w/"'
tag=$(sed -n 's/^etag: //p' "$d/c.h" | sed 's/^w/W/')
get /t/cached/7 -H "If-None-Match: \"x\", $tag"
check "If-None-Match with the current tag: 304" test "$(status)" = 304
check "without a body" test ! -s "$d/c.b"
check "with the ETag and Cache-Control again" sh -c "grep -q '^etag: ' '$d/c.h' && grep -q '^cache-control: ' '$d/c.h'"
get /t/cached/7 -H "If-None-Match: $tag" -H 'X-Version: two'
check "a changed reply: 200 again" test "$(status)" = 200
check "with another tag" sh -c "! grep -qi '^etag: $tag' '$d/c.h'"
get /t/cached/101 -H "If-None-Match: $tag"
check "a 404 gets no ETag" sh -c "test \"\$(head -n 1 '$d/c.h' | cut -d' ' -f2)\" = 404 && ! grep -q '^etag' '$d/c.h' && ! grep -q '^cache-control' '$d/c.h'"
curl -s -o "$d/doc.json" "http://127.0.0.1:$port/openapi.json"
check "the document lists the 304 with its ETag" \
	test "$(jq -c '.paths["/cached/{id}"].get.responses["304"].headers | keys' "$d/doc.json")" = '["Cache-Control","ETag"]'
check "and Cache-Control on the 200" \
	test "$(jq -r '.paths["/cached/{id}"].get.responses["200"].headers["Cache-Control"].schema.const' "$d/doc.json")" = 'public, max-age=60'
check "and If-None-Match as a header parameter" \
	test "$(jq -r '.paths["/cached/{id}"].get.parameters[] | select(.in == "header") | .name' "$d/doc.json")" = 'If-None-Match'
kill "$pid" && wait "$pid"
check "no strict-responses complaint" sh -c "! grep -q 'strict-responses:' '$d/caching.log'"
echo "1..$n"
[ "$fails" -eq 0 ]
