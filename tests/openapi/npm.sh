# Sourced by the OpenAPI tests: finds node and the npm tools of tests/npm
# (installed by `./setup.sh deps` with npm ci). Outside CI a missing install
# skips the test with the reason; in CI (CI=true) it is a failure.
# APIC_NODE_MODULES (configure; make check sets it) may name another install.
npm_modules=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}
npm_missing() { # REASON
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - $1 (CI=true: the npm tools are required)"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}
command -v node >/dev/null 2>&1 || npm_missing "node is not installed"
[ -d "$npm_modules" ] || npm_missing "$npm_modules is missing: run ./setup.sh deps"
NODE_PATH=$npm_modules
export NODE_PATH
REDOCLY_TELEMETRY=off
REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export REDOCLY_TELEMETRY REDOCLY_SUPPRESS_UPDATE_NOTICE
