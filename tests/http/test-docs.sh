#!/bin/sh
# /docs renders in headless chromium from the assets embedded in libapic,
# with every other host unreachable, listing every operation id of the test
# API; its page refers to nothing off the server. A libapic configured
# --without-swagger-ui answers /docs with a 404 problem saying why.
log="$top_builddir/tests/http/test-http.d/docs.log"
mkdir -p "$top_builddir/tests/http/test-http.d"
. "$top_srcdir/tests/http/server.sh"
if grep -q 'without-swagger-ui' "$top_builddir/runtime/swagger-config.h"; then
	echo "1..3"
	start_server "$log" "$top_builddir/tests/http/test-server"
	[ -n "$port" ] && echo "ok 1 - server starts" || { echo "not ok 1 - server starts"; exit 1; }
	out=$(curl -s -w '\n%{http_code} %{content_type}' "http://127.0.0.1:$port/docs")
	case $(printf '%s' "$out" | tail -n 1) in
	"404 application/problem+json"*) echo "ok 2 - /docs answers 404 problem+json" ;;
	*) echo "not ok 2 - /docs answers 404 problem+json"; printf '%s\n' "$out" | sed 's/^/# /' ;;
	esac
	if printf '%s' "$out" | grep -q 'built without Swagger UI'; then
		echo "ok 3 - saying it was built without Swagger UI"
	else
		echo "not ok 3 - saying it was built without Swagger UI"
	fi
	kill "$pid" && wait "$pid"
	exit 0
fi
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
	echo "1..0 # SKIP chromium not installed"
	exit 0
fi
echo "1..7"
start_server "$log" "$top_builddir/tests/http/test-server"
if [ -z "$port" ]; then
	echo "not ok 1 - server starts"; exit 1
fi
echo "ok 1 - server starts on port $port"
html=$(curl -s "http://127.0.0.1:$port/docs")
refs=$(printf '%s' "$html" | grep -Eo '(src|href)="[^"]*"')
if [ -n "$refs" ] && ! printf '%s\n' "$refs" | grep -Evq '^(src|href)="/[^/]'; then
	echo "ok 2 - the page refers only to its own server"
else
	echo "not ok 2 - the page refers only to its own server"
	printf '%s\n' "$refs" | sed 's/^/# /'
fi
if printf '%s' "$html" | grep -q 'validatorUrl: null'; then
	echo "ok 3 - and sends the document to no online validator"
else
	echo "not ok 3 - and sends the document to no online validator"
fi
profile=$(mktemp -d)
# Every host but this one unreachable: the page must render from libapic.
dom=$(timeout 90 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
	--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
	--virtual-time-budget=10000 --dump-dom "http://127.0.0.1:$port/docs" 2>"$log.chrome")
rm -rf "$profile"
# Chromium's reason, if it gave one (e.g. net::ERR_CONNECTION_REFUSED); its
# whole stderr stays in $log.chrome.
grep 'Page load failed' "$log.chrome" | sed 's/^/# /'
n=4
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
	echo "ok 7 - the bundle came from libapic"
else
	echo "not ok 7 - the bundle came from libapic"
fi
