#!/bin/sh
# TAP: exact values in the OpenAPI document of schemas/testapi.apic (testapi.cjs).
set -u
. "$top_srcdir/tests/openapi/npm.sh"
out=tests/openapi/testapi.out
rm -rf "$out" && mkdir -p "$out" || exit 1
if ! "$APIC" openapi "$top_srcdir/schemas/testapi.apic" -o "$out/testapi.openapi.json" 2>"$out/err"; then
	echo "1..1"
	echo "not ok 1 - apic openapi schemas/testapi.apic"
	sed 's/^/# /' "$out/err"
	exit 1
fi
exec node "$top_srcdir/tests/openapi/testapi.cjs" "$out/testapi.openapi.json" "$top_srcdir/schemas/testapi.apic"
