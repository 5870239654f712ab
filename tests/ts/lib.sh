# Sourced by the TypeScript client tests: TAP helpers, the npm tools
# (tests/openapi/npm.sh: skipped without them, a failure in CI) and tsc.
# Needs top_srcdir, top_builddir and APIC (make check sets them).
. "$top_srcdir/tests/openapi/npm.sh"
tsc=$npm_modules/typescript/bin/tsc
[ -f "$tsc" ] || npm_missing "typescript is missing from $npm_modules: run ./setup.sh deps"
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { # DESCRIPTION [FILE: its first lines as diagnostics]
	n=$((n + 1)); fail=1; echo "not ok $n - $1"
	[ -z "${2:-}" ] || head -n 30 "$2" | sed 's/^/# /'
}
# tsc_run ARGS...: the compiler with the options every test uses: the
# platform of the client (ES2022, fetch and WebSocket from lib dom).
tsc_run() {
	node "$tsc" --pretty false --target ES2022 --lib ES2022,DOM --module ES2022 "$@"
}
