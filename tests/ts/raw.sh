#!/bin/sh
# The TypeScript client of the test API reads raw replies: getReportCsv's
# text/csv body as a string, getImage's image/png body as a Blob of the
# server's bytes (tests/http/testapi-server, --strict-responses).
set -u
. "$top_srcdir/tests/ts/lib.sh"
out=$top_builddir/tests/ts/raw.out
rm -rf "$out" && mkdir -p "$out/js" || exit 99
"$APIC" generate --client ts -o "$out" "$top_srcdir/schemas/testapi.apic" 2>"$out/err" ||
	{ echo "Bail out! apic generate --client ts testapi.apic"; cat "$out/err"; exit 1; }
tsc_run --strict --outDir "$out/js" "$out/testapi.client.ts" >"$out/tsc.out" 2>&1 ||
	{ echo "Bail out! tsc of the client failed"; sed 's/^/# /' "$out/tsc.out"; exit 1; }
echo '{ "type": "module" }' >"$out/js/package.json"
. "$top_srcdir/tests/http/server.sh"
start_server "$out/server.log" "$top_builddir/tests/http/testapi-server" --strict-responses
[ -n "$port" ] || { echo "Bail out! the server did not start"; exit 1; }
cat >"$out/js/raw.mjs" <<'JS'
const t = await import(process.argv[2]);
const o = { baseUrl: process.argv[3] + t.BASE_PATH, validate: true };
let r = await t.getReportCsv({ id: 7 }, o);
console.log(r.status === 200 && r.body === "id,name\n7,caf\u00e9\n" ? "ok" : "not ok", "- text/csv as a string");
r = await t.getImage({ id: 5 }, o);
const b = r.body instanceof Blob ? new Uint8Array(await r.body.arrayBuffer()) : null;
console.log(r.status === 200 && b && b.length === 11 && b[0] === 0x89 && b[8] === 0 && b[10] === 5 ? "ok" : "not ok",
	"- image/png as a Blob of the bytes");
r = await t.getImage({ id: 101 }, o);
console.log(r.status === 404 && r.body.status === 404 ? "ok" : "not ok", "- its 404 as problem details");
JS
node "$out/js/raw.mjs" "$out/js/testapi.client.js" "http://127.0.0.1:$port" >"$out/node.out" 2>&1
while read -r res rest; do
	if [ "$res" = ok ]; then ok "${rest#- }"; else nok "$res $rest"; fi
done <"$out/node.out"
[ "$n" -eq 3 ] || { nok "three results from node" "$out/node.out"; }
kill "$pid" && wait "$pid"
if grep -q 'strict-responses:' "$out/server.log"; then nok "no strict-responses complaint" "$out/server.log"; else ok "no strict-responses complaint"; fi
echo "1..$n"
exit $fail
