#!/bin/sh
# `pattern` constraints match as ECMA-262 with the `u` flag (what ajv does):
# patterns.cjs asks node, pattern-check asks the runtime. Needs node (see
# tests/openapi/npm.sh for the skip/CI rule).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/openapi/npm.sh"
out=$(mktemp "${TMPDIR:-/tmp}/apic-patterns.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
if ! node "$top_srcdir/tests/codec/patterns.cjs" >"$out"; then
	echo "1..1"
	echo "not ok 1 - patterns.cjs failed"
	exit 1
fi
exec "$top_builddir/tests/codec/pattern-check" <"$out"
