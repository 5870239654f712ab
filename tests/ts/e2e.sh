#!/bin/sh
# End to end: the TypeScript clients of the petstore and Conduit, compiled
# to JavaScript by tsc, drive the real servers (examples/petstore,
# examples/conduit; --strict-responses, on loopback ports the kernel picks)
# through every petstore operation, Conduit's users, articles and tags, and
# their typed errors, and the chat (examples/chat) through its WebSocket;
# validate: true meets replies off the contract from a small server of
# tests/ts/e2e.mjs's own. Then: no reply broke the document (the servers'
# logs), and the servers stop on SIGTERM with status 0.
set -u
. "$top_srcdir/tests/ts/lib.sh"
out=$top_builddir/tests/ts/e2e.out
rm -rf "$out" && mkdir -p "$out/js" || exit 99

for s in schemas/petstore schemas/conduit examples/chat/chat; do
	"$APIC" generate --client ts -o "$out" "$top_srcdir/$s.apic" 2>"$out/err" ||
		{ echo "Bail out! apic generate --client ts $s.apic"; cat "$out/err"; exit 1; }
done
if ! tsc_run --strict --declaration --outDir "$out/js" "$out/petstore.client.ts" "$out/conduit.client.ts" \
	"$out/chat.client.ts" >"$out/tsc.out" 2>&1; then
	echo "Bail out! tsc of the clients failed"; sed 's/^/# /' "$out/tsc.out"; exit 1
fi
echo '{ "type": "module" }' >"$out/js/package.json"

pids=
# start NAME PROGRAM ARGS...: on a port the kernel picks; sets $port.
start() {
	name=$1; shift
	"$@" --bind 127.0.0.1 --port 0 --strict-responses >"$out/$name.log" 2>&1 &
	eval "${name}_pid=\$!"
	pids="$pids $!"
	port=
	for _ in $(seq 200); do
		port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$out/$name.log" | head -n 1)
		[ -n "$port" ] && return 0
		sleep 0.05
	done
	echo "Bail out! $name did not start"; sed 's/^/# /' "$out/$name.log"; exit 1
}
trap 'for p in $pids; do kill "$p" 2>/dev/null; done' EXIT
token=ts-e2e-$$
start petstore "$top_builddir/examples/petstore/petstore" --db "$out/pets.db" --token "$token"
petstore_port=$port
CONDUIT_JWT_SECRET=ts-e2e-secret start conduit "$top_builddir/examples/conduit/conduit" --db "$out/conduit.db"
conduit_port=$port
start chat "$top_builddir/examples/chat/chat"
chat_port=$port

# a global WebSocket: Node 22 has one, Node 20 behind a flag
ws_flag=
node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null ||
	ws_flag=--experimental-websocket
node $ws_flag "$top_srcdir/tests/ts/e2e.mjs" "$out/js" "http://127.0.0.1:$petstore_port" "$token" \
	"http://127.0.0.1:$conduit_port/api" "http://127.0.0.1:$chat_port" >"$out/node.tap" 2>"$out/node.err"
node_status=$?
cat "$out/node.tap"
n=$(grep -cE '^(not )?ok ' "$out/node.tap")
[ "$node_status" -eq 0 ] || fail=1
[ -s "$out/node.err" ] && { nok "node printed no error" "$out/node.err"; }

for s in petstore conduit chat; do
	if grep -q 'strict-responses:' "$out/$s.log"; then
		grep 'strict-responses:' "$out/$s.log" >"$out/$s.strict"
		nok "$s: every reply matched its document (--strict-responses)" "$out/$s.strict"
	else
		ok "$s: every reply matched its document (--strict-responses)"
	fi
	eval "pid=\$${s}_pid"
	kill -TERM "$pid"
	wait "$pid"
	status=$?
	if [ "$status" -eq 0 ]; then ok "$s stopped on SIGTERM with status 0"
	else nok "$s stopped on SIGTERM with status $status" "$out/$s.log"; fi
done
pids=
echo "1..$n"
[ "$fail" -eq 0 ] && rm -rf "$out"
exit $fail
