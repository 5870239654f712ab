#!/bin/sh
# The TypeScript client's checks of unions (validate: true) on
# tests/ts/edge.apic: its checks are exported from a copy of the client,
# compiled with tsc and run by tests/ts/unions.mjs, which prints TAP: every
# branch accepted, a bad or missing discriminator, no match and an
# ambiguous match reported as documented.
set -u
. "$top_srcdir/tests/ts/lib.sh"
out=$top_builddir/tests/ts/unions.out
rm -rf "$out" && mkdir -p "$out" || exit 99
"$APIC" generate --client ts -o "$out" --name edge "$top_srcdir/tests/ts/edge.apic" 2>"$out/err" ||
	{ echo "Bail out! apic generate --client ts tests/ts/edge.apic"; cat "$out/err"; exit 1; }
{ cat "$out/edge.client.ts"; echo 'export { $check_Payment, $check_Contact };'; } >"$out/u.ts"
tsc_run --strict --outDir "$out/js" "$out/u.ts" >"$out/tsc.out" 2>&1 ||
	{ echo "Bail out! tsc"; head -20 "$out/tsc.out"; exit 1; }
cp "$top_srcdir/tests/ts/unions.mjs" "$out/js/" || exit 99
exec node "$out/js/unions.mjs"
