#!/bin/sh
# /docs renders in headless chromium from the assets embedded in libapic
# (no network), listing every operation id of the test API.
log="$top_builddir/tests/http/test-http.d/docs.log"
mkdir -p "$top_builddir/tests/http/test-http.d"
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
	echo "1..0 # SKIP chromium not installed"
	exit 0
fi
if ! grep -q APIC_SWAGGER_DIR "$top_builddir/runtime/swagger-config.h" 2>/dev/null; then
	echo "1..0 # SKIP swagger-ui-dist not installed at build time (./setup.sh deps)"
	exit 0
fi
echo "1..5"
. "$top_srcdir/tests/http/server.sh"
start_server "$log" "$top_builddir/tests/http/test-server"
if [ -z "$port" ]; then
	echo "not ok 1 - server starts"; exit 1
fi
echo "ok 1 - server starts on port $port"
profile=$(mktemp -d)
dom=$(timeout 90 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
	--virtual-time-budget=10000 --dump-dom "http://127.0.0.1:$port/docs" 2>"$log.chrome")
rm -rf "$profile"
# Chromium's reason, if it gave one (e.g. net::ERR_CONNECTION_REFUSED); its
# whole stderr stays in $log.chrome.
grep 'Page load failed' "$log.chrome" | sed 's/^/# /'
n=2
for op in listPets createPet getPet; do
	if printf '%s' "$dom" | grep -q "$op"; then
		echo "ok $n - /docs lists $op"
	else
		echo "not ok $n - /docs lists $op"
	fi
	n=$((n + 1))
done
# Stopped first: the access log is written out at the latest at stop.
kill "$pid" && wait "$pid"
if grep -q 'GET /docs/swagger-ui-bundle.js 200' "$log"; then
	echo "ok 5 - the bundle came from libapic"
else
	echo "not ok 5 - the bundle came from libapic"
fi
