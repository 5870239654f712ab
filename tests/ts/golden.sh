#!/bin/sh
# TAP: the TypeScript client of schemas/petstore.apic, byte for byte against
# tests/ts/petstore.client.ts (APIC_UPDATE_GOLDEN=1 accepts the new output:
# review it with git diff); the same bytes from another directory, time
# zone and locale; an unchanged client keeps its mtime; -o makes the
# directory; --depfile names the client and the schema; only the client is
# written. Needs no npm tools.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
golden=$top_srcdir/tests/ts/petstore.client.ts
out=$top_builddir/tests/ts/golden.out
rm -rf "$out" && mkdir -p "$out/elsewhere" || exit 99
abs_out=$(cd "$out" && pwd)
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

if (cd "$top_srcdir" && "$APIC" generate --client ts -o "$abs_out/a/b" --depfile "$abs_out/dep" \
	schemas/petstore.apic) 2>"$out/err"; then
	ok "apic generate --client ts -o a/b --depfile dep schemas/petstore.apic"
else
	nok "apic generate --client ts schemas/petstore.apic"
	sed 's/^/# /' "$out/err"
fi
if [ "$(ls "$out/a/b")" = petstore.client.ts ]; then ok "it wrote petstore.client.ts alone"
else nok "it wrote: $(ls "$out/a/b" | tr '\n' ' ')"; fi
if [ "${APIC_UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$out/a/b/petstore.client.ts" "$golden" && ok "golden updated: $golden"
elif cmp -s "$golden" "$out/a/b/petstore.client.ts"; then
	ok "petstore.client.ts matches the golden file"
else
	nok "petstore.client.ts differs from the golden file"
	diff -u "$golden" "$out/a/b/petstore.client.ts" | head -n 60 | sed 's/^/# /'
	echo "# accept with: APIC_UPDATE_GOLDEN=1 make check TESTS=tests/ts/golden.sh"
fi
if [ "$(cat "$out/dep")" = "$abs_out/a/b/petstore.client.ts: schemas/petstore.apic" ]; then
	ok "the depfile names the client and the schema"
else
	nok "depfile: $(cat "$out/dep")"
fi
(cd "$top_srcdir" && TZ=Asia/Kolkata LC_ALL=C "$APIC" generate --client ts -o "$abs_out/elsewhere" \
	schemas/petstore.apic) 2>/dev/null
if cmp -s "$out/elsewhere/petstore.client.ts" "$out/a/b/petstore.client.ts"; then
	ok "identical bytes from another directory, TZ and locale"
else
	nok "output differs between runs"
fi
touch -d '2001-01-01 00:00:00' "$out/a/b/petstore.client.ts"
before=$(ls -l --time-style=+%s "$out/a/b/petstore.client.ts")
(cd "$top_srcdir" && "$APIC" generate --client ts -q -o "$abs_out/a/b" schemas/petstore.apic)
if [ "$before" = "$(ls -l --time-style=+%s "$out/a/b/petstore.client.ts")" ]; then
	ok "regenerating an unchanged schema keeps the mtime"
else
	nok "regenerating rewrote the client"
fi
echo "1..$n"
[ "$fail" -eq 0 ] && rm -rf "$out"
exit $fail
