#!/bin/sh
# Hostile targets (%00, %FF, %zz, a lone %, empty values and segments) in
# every path and query parameter of every operation of the generated test
# server and of the petstore, and unknown query parameters with %00: every
# answer is one the operation's served /openapi.json lists, with its body
# (tests/http/hostile.cjs). Needs node and tests/npm, like the OpenAPI tests.
. "$top_srcdir/tests/openapi/npm.sh"
d="$top_builddir/tests/http/test-http.d"
mkdir -p "$d" || exit 1
exec node "$top_srcdir/tests/http/hostile.cjs" "$d" \
	"testapi=$top_builddir/tests/http/testapi-server" \
	"petstore=$top_builddir/examples/petstore/petstore"
