#!/bin/sh
# Type-level tests of the TypeScript client (tsc --strict --noEmit on the
# petstore's and Conduit's clients): tests/ts/types-good.ts, which uses them
# as documented, compiles; tests/ts/types-bad.ts, which calls them with a
# wrong parameter type, an unknown field, a readonly field, a missing
# parameter, a status the operation does not have..., does not, with
# exactly the errors its "expect: TSnnnn" comments name, on their lines.
set -u
. "$top_srcdir/tests/ts/lib.sh"
out=$top_builddir/tests/ts/types.out
rm -rf "$out" && mkdir -p "$out" || exit 99
for s in petstore conduit; do
	"$APIC" generate --client ts -o "$out" "$top_srcdir/schemas/$s.apic" 2>"$out/$s.err" ||
		{ echo "Bail out! apic generate --client ts schemas/$s.apic"; cat "$out/$s.err"; exit 1; }
done
cp "$top_srcdir/tests/ts/types-good.ts" "$top_srcdir/tests/ts/types-bad.ts" "$out/" || exit 99
chmod u+w "$out"/*.ts
cd "$out" || exit 99
tsc_types() { tsc_run --strict --noEmit --moduleResolution bundler "$@"; }

if tsc_types types-good.ts >good.out 2>&1; then ok "types-good.ts compiles"
else nok "types-good.ts compiles" good.out; fi

if tsc_types types-bad.ts >bad.out 2>&1; then nok "types-bad.ts does not compile" bad.out
else ok "types-bad.ts does not compile"; fi
# LINE CODE pairs: the ones expected, the ones tsc reported
grep -n 'expect: TS[0-9][0-9]*' types-bad.ts | sed 's/^\([0-9]*\):.*expect: \(TS[0-9]*\).*/\1 \2/' | sort >want
sed -n 's/^types-bad\.ts(\([0-9]*\),[0-9]*): error \(TS[0-9]*\):.*/\1 \2/p' bad.out | sort -u >got
[ "$(wc -l <want)" -ge 10 ] || nok "types-bad.ts expects errors (found $(wc -l <want))"
while read -r line code; do
	what=$(sed -n "${line}p" types-bad.ts | sed 's|[[:space:]]*// expect:.*||; s/^[[:space:]]*//')
	if grep -qx "$line $code" got; then ok "$code at line $line: $what"
	else nok "$code at line $line: $what" bad.out; fi
done <want
if [ -z "$(comm -13 want got)" ]; then ok "no other error in types-bad.ts"
else comm -13 want got >extra; nok "no other error in types-bad.ts" extra; fi
echo "1..$n"
cd / && [ "$fail" -eq 0 ] && rm -rf "$out"
exit $fail
