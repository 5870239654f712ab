#!/bin/sh
# The chat example over WebSockets: tests/chat/protocol.cjs drives the
# protocol cases with raw frames (broadcast, fragments, ping, 1007 for an
# invalid message, 1009 oversize, 1002 unmasked, 1003 binary, Origin 403,
# 422 for a bad name, the ping timeout, 1001 on SIGTERM); then GET /rooms
# and the page at /, and the server's exit status after SIGTERM.
b="$top_builddir/tests/chat"
mkdir -p "$b"
. "$top_srcdir/tests/http/server.sh"
chat="$top_builddir/examples/chat/chat"
start_server "$b/server.log" "$chat" --ws-ping 1 --ws-max-message 64k
if [ -z "$port" ]; then
	echo "not ok 1 - chat server starts"; cat "$b/server.log"; echo "1..1"; exit 1
fi
u="http://127.0.0.1:$port"
check "the page is served at /" sh -c "curl -s '$u/' | grep -q 'new WebSocket'"
check "GET /rooms with nobody: []" sh -c "test \"\$(curl -s '$u/rooms')\" = '[]'"
check "the document lists the WebSocket" sh -c \
	"curl -s '$u/openapi.json' | jq -e '.paths[\"/rooms/{room}/ws\"].get | .responses[\"101\"] and .\"x-apic-websocket\".receive[\"\$ref\"] == \"#/components/schemas/ChatIn\"' >/dev/null"
check "a plain GET of the WebSocket: 426" sh -c "test \"\$(curl -s -o /dev/null -w '%{http_code}' '$u/rooms/r/ws?name=a')\" = 426"
NODE_PATH="$top_srcdir/tests/npm/node_modules" node "$top_srcdir/tests/chat/protocol.cjs" "$port" >"$b/protocol.tap" 2>&1 &
node=$!
for _ in $(seq 300); do grep -q 'ready for SIGTERM' "$b/protocol.tap" && break; sleep 0.1; done
members() { curl -s "$u/rooms" | jq -e '.[0].name == "r1" and .[0].members >= 1' >/dev/null; }
check "GET /rooms lists r1 while members are in it" members
kill -TERM "$pid"
wait "$node"; nrc=$?
wait "$pid"; rc=$?
while IFS= read -r l; do
	case $l in
	"ok "*) n=$((n + 1)); echo "ok $n -${l#*-}" ;;
	"not ok "*) n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n -${l#*-}" ;;
	"#"*) echo "$l" ;;
	esac
done <"$b/protocol.tap"
check "protocol cases pass (node exit 0)" test "$nrc" = 0
check "SIGTERM: the chat server exits 0" test "$rc" = 0
echo "1..$n"
[ "$fails" -eq 0 ]
