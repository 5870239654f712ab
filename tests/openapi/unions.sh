#!/bin/sh
# TAP: the unions of tests/openapi/unions.apic in its OpenAPI document, and
# values judged by ajv against it (unions.cjs).
set -u
. "$top_srcdir/tests/openapi/npm.sh"
out=tests/openapi/unions.out
rm -rf "$out" && mkdir -p "$out" || exit 1
if ! "$APIC" openapi "$top_srcdir/tests/openapi/unions.apic" -o "$out/unions.openapi.json" 2>"$out/err"; then
	echo "1..1"
	echo "not ok 1 - apic openapi tests/openapi/unions.apic"
	sed 's/^/# /' "$out/err"
	exit 1
fi
exec node "$top_srcdir/tests/openapi/unions.cjs" "$out/unions.openapi.json"
