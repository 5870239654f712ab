#!/bin/sh
# The chat example's page in a real browser: tests/chat/browser.mjs drives
# headless chromium (playwright-core from tests/npm) with two people on the
# page at /, a page of another site, a message too long, and the SIGTERM
# this script sends when the browser script says so; then the server's exit
# status. A screenshot is left in tests/chat/browser.png.
b="$top_builddir/tests/chat"
mkdir -p "$b"
. "$top_srcdir/tests/http/server.sh"
npm_modules=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}
if [ ! -d "$npm_modules/playwright-core" ] || [ ! -x /usr/bin/chromium ] ||
	! command -v node >/dev/null; then
	echo "1..0 # SKIP playwright-core (./setup.sh deps), node or /usr/bin/chromium missing"
	exit 0
fi
# Scratch space: the script beside a link to the node modules (an ES module
# finds packages from its own directory), and TMPDIR, where playwright makes
# the browser's fresh profile. Kept when a test failed.
t="$b/browser.d"
rm -rf "$t" "$b/browser.png"
mkdir -p "$t/js" "$t/tmp"
ln -s "$npm_modules" "$t/js/node_modules"
cp "$top_srcdir/tests/chat/browser.mjs" "$t/js/browser.mjs"

start_server "$b/browser-server.log" "$top_builddir/examples/chat/chat"
if [ -z "$port" ]; then
	echo "not ok 1 - chat server starts"; cat "$b/browser-server.log"; echo "1..1"; exit 1
fi
TMPDIR="$t/tmp" node "$t/js/browser.mjs" "http://127.0.0.1:$port" "$b/browser.png" >"$t/browser.tap" 2>&1 &
node=$!
# The browser script gives up by itself after 120 s.
for _ in $(seq 1300); do
	grep -q 'ready for SIGTERM' "$t/browser.tap" && break
	kill -0 "$node" 2>/dev/null || break
	sleep 0.1
done
kill -TERM "$pid"
wait "$node"; nrc=$?
wait "$pid"; rc=$?
while IFS= read -r l; do
	case $l in
	"ok "*) n=$((n + 1)); echo "ok $n -${l#*-}" ;;
	"not ok "*) n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n -${l#*-}" ;;
	"1.."*) ;;
	"#"* | "Bail out!"*) echo "$l" ;;
	*) echo "# $l" ;;
	esac
done <"$t/browser.tap"
check "the browser script exited 0" test "$nrc" = 0
check "SIGTERM: the chat server exits 0" test "$rc" = 0
echo "1..$n"
if [ "$fails" -eq 0 ]; then rm -rf "$t"; else echo "# kept $t"; fi
[ "$fails" -eq 0 ]
