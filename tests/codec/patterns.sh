#!/bin/sh
# `pattern` constraints match as ECMA-262 with the `u` flag (what ajv does):
# patterns.cjs asks node, pattern-check asks the runtime. Needs node only;
# without it the test is skipped, except in CI (CI=true) where it fails.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
if ! command -v node >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - node is not installed (CI=true: it is required)"
		exit 1
	fi
	echo "1..0 # SKIP node is not installed"
	exit 0
fi
out=$(mktemp "${TMPDIR:-/tmp}/apic-patterns.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
if ! node "$top_srcdir/tests/codec/patterns.cjs" >"$out"; then
	echo "1..1"
	echo "not ok 1 - patterns.cjs failed"
	exit 1
fi
exec "$top_builddir/tests/codec/pattern-check" <"$out"
