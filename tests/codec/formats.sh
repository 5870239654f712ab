#!/bin/sh
# The formats give ajv-formats' verdicts ("full" mode) on thousands of
# strings: seeds and random edits of them (formats.cjs), checked in C by
# format-check. Needs node and tests/npm (see tests/openapi/npm.sh).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/openapi/npm.sh"
out=$(mktemp "${TMPDIR:-/tmp}/apic-formats.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
if ! node "$top_srcdir/tests/codec/formats.cjs" >"$out"; then
	echo "1..1"
	echo "not ok 1 - formats.cjs failed"
	exit 1
fi
# not exec: the trap must still remove $out
"$top_builddir/tests/codec/format-check" <"$out"
