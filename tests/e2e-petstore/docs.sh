#!/usr/bin/env bash
# /docs of the petstore in headless chromium (playwright-core from
# tests/npm): Swagger UI renders and a "Try it out" call from the page works.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/e2e-petstore/lib.sh"

npm_modules=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}
if [ ! -d "$npm_modules/playwright-core" ] || [ ! -x /usr/bin/chromium ] ||
	! command -v node >/dev/null; then
	echo "1..0 # SKIP playwright-core (./setup.sh deps), node or /usr/bin/chromium missing"
	exit 0
fi
if grep -q 'without-swagger-ui' "$top_builddir/runtime/swagger-config.h"; then
	echo "1..0 # SKIP libapic configured --without-swagger-ui (tests/http/test-docs.sh checks its 404)"
	exit 0
fi

start_server "$top_builddir/examples/petstore/petstore" --db "$tmp/pets.db"
req POST /v1/pets '{"name":"docs-rex","tag":"dog"}'
is "$status" 201 "a pet to look at"
pet_id=$(json .id)

# An ES module finds packages from its own directory (NODE_PATH does not
# apply), so the script runs from a directory that links tests/npm's.
mkdir -p "$tmp/js"
ln -s "$npm_modules" "$tmp/js/node_modules"
cp "$top_srcdir/tests/e2e-petstore/docs.mjs" "$tmp/js/docs.mjs"
node "$tmp/js/docs.mjs" "$base" "$pet_id" docs-rex >"$tmp/docs.tap" 2>&1
node_status=$?
# Renumber the browser's TAP lines after ours.
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok [0-9]* - }" ;;
	"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
	"#"*) echo "$line" ;;
	"1.."*) ;;
	*) echo "# $line" ;;
	esac
done <"$tmp/docs.tap"
is "$node_status" 0 "the browser script exited 0"
stop_server
is "$server_status" 0 "the server stops cleanly (exit 0)"
done_testing
