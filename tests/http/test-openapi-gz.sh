#!/bin/sh
# The OpenAPI document a generated server (schemas/testapi.apic) stores
# gzipped, over HTTP with curl: /openapi.json is NAME.openapi.json byte for
# byte with and without gzip (the gzip one is the array of NAME.c as it is,
# and gzip -d reads it), says Content-Encoding and Vary, has one ETag per
# encoding and a 304 for each; q=0 for gzip gives the text, HEAD the
# headers of either.
. "$top_srcdir/tests/http/server.sh"
b="$top_builddir/tests/http"
d="$b/test-http.d"
mkdir -p "$d"
doc="$b/gen/testapi.openapi.json"
# get [CURL ARGS]: headers to $d/gz.h (lower case), body to $d/gz.b
get() {
	rm -f "$d/gz.b"
	curl -s -D "$d/gz.h.raw" -o "$d/gz.b" "$@" "http://127.0.0.1:$port/openapi.json"
	touch "$d/gz.b"
	tr -d '\r' <"$d/gz.h.raw" | tr 'A-Z' 'a-z' >"$d/gz.h"
}
has() { grep -q "^$1" "$d/gz.h"; }
hdr() { sed -n "s/^$1: //p" "$d/gz.h"; }
status() { head -n 1 "$d/gz.h" | cut -d' ' -f2; }
plain() { ! has 'content-encoding' && cmp -s "$d/gz.b" "$doc"; }

start_server "$d/openapi-gz.log" "$b/testapi-server"
check "generated server starts" test -n "$port"

get
check "without Accept-Encoding: 200" test "$(status)" = 200
check "the document byte for byte, no Content-Encoding" plain
check "Vary: Accept-Encoding" has 'vary: accept-encoding'
tag=$(hdr etag | sed 's/^w/W/')
check "an ETag" test -n "$tag"

get -H 'Accept-Encoding: gzip'
check "with Accept-Encoding: gzip: Content-Encoding: gzip" has 'content-encoding: gzip'
check "and Vary: Accept-Encoding" has 'vary: accept-encoding'
check "gzip -d gives the document byte for byte" sh -c "gzip -dc <'$d/gz.b' | cmp -s - '$doc'"
# the array of testapi.c, one decimal byte a line, against the body's bytes
sed -n '/^static const unsigned char testapi__openapi_gz\[\] = {$/,/^};$/p' "$b/gen/testapi.c" |
	sed '1d;$d' | tr -d '\t' | tr ',' '\n' | sed '/^$/d' >"$d/gz.stored"
od -An -tu1 -v "$d/gz.b" | tr -s ' ' '\n' | sed '/^$/d' >"$d/gz.served"
check "the bytes stored in the generated code, as they are" \
	sh -c "test -s '$d/gz.stored' && cmp -s '$d/gz.stored' '$d/gz.served'"
check "smaller than the document" test "$(wc -c <"$d/gz.b")" -lt "$(wc -c <"$doc")"
gztag=$(hdr etag | sed 's/^w/W/')
check "its ETag differs from the text's ($gztag, $tag)" sh -c "test -n '$gztag' && test '$gztag' != '$tag'"

get -H "If-None-Match: $tag"
check "If-None-Match with the text's tag: 304" test "$(status)" = 304
check "without a body" test ! -s "$d/gz.b"
check "with that ETag" test "$(hdr etag | sed 's/^w/W/')" = "$tag"
get -H 'Accept-Encoding: gzip' -H "If-None-Match: $gztag"
check "with the gzip tag, gzip accepted: 304" test "$(status)" = 304
check "without a body" test ! -s "$d/gz.b"
get -H 'Accept-Encoding: gzip' -H "If-None-Match: $tag"
check "the text's tag when gzip goes out: 200, gzipped" sh -c "test '$(status)' = 200 && grep -q '^content-encoding: gzip' '$d/gz.h'"
get -H "If-None-Match: $gztag"
check "the gzip tag when the text goes out: 200, the text" sh -c "test '$(status)' = 200 && ! grep -q '^content-encoding' '$d/gz.h' && cmp -s '$d/gz.b' '$doc'"

for ae in 'gzip;q=0' 'gzip; q=0.000, identity' 'identity, *;q=0' 'br'; do
	get -H "Accept-Encoding: $ae"
	check "Accept-Encoding: $ae: the text" plain
done
get -H 'Accept-Encoding: identity;q=0.5, gzip;q=0.8'
check "gzip;q=0.8: gzipped" has 'content-encoding: gzip'

# HEAD (curl -I reads no body): the headers of the GET
get -I -H 'Accept-Encoding: gzip'
check "HEAD with gzip: 200, Content-Encoding: gzip" sh -c "test '$(status)' = 200 && grep -q '^content-encoding: gzip' '$d/gz.h'"
check "the gzip Content-Length and ETag" sh -c \
	"test \"\$(sed -n 's/^content-length: //p' '$d/gz.h')\" = $(wc -l <"$d/gz.served") && grep -qi '^etag: $gztag' '$d/gz.h'"
get -I
check "HEAD without: the text's Content-Length and ETag" sh -c \
	"test \"\$(sed -n 's/^content-length: //p' '$d/gz.h')\" = $(wc -c <"$doc") && ! grep -q '^content-encoding' '$d/gz.h' && grep -qi '^etag: $tag' '$d/gz.h'"
kill "$pid" && wait "$pid"
echo "1..$n"
[ "$fails" -eq 0 ]
