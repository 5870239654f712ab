#!/bin/sh
# TAP: every schema in schemas/ and every tests/**/*.apic that `apic check`
# accepts emits an OpenAPI document that passes `redocly lint` (recommended
# rules, see redocly.yaml) and swagger-parser validate. Schemas that do not
# check clean are the diagnostics tests' negative cases and are listed as
# comments only.
set -u
. "$top_srcdir/tests/openapi/npm.sh"
out=tests/openapi/lint.out
rm -rf "$out" && mkdir -p "$out" || exit 1

set --
for f in "$top_srcdir"/schemas/*.apic $(find "$top_srcdir/tests" -name node_modules -prune -o -name '*.apic' -print | LC_ALL=C sort); do
	[ -f "$f" ] || continue
	rel=${f#"$top_srcdir"/}
	if ! "$APIC" check "$f" >/dev/null 2>&1; then
		echo "# not checked clean, not linted: $rel"
		continue
	fi
	json="$out/$(echo "$rel" | tr '/' '_').json"
	if ! "$APIC" openapi "$f" -o "$json" 2>"$json.err"; then
		echo "1..1"
		echo "not ok 1 - apic openapi $rel failed"
		sed 's/^/# /' "$json.err"
		exit 1
	fi
	set -- "$@" "$rel=$json"
done
if [ $# -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 - no schema found under $top_srcdir"
	exit 1
fi
exec node "$top_srcdir/tests/openapi/validate.cjs" "$top_srcdir/tests/openapi/redocly.yaml" "$@"
