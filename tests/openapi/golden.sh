#!/bin/sh
# TAP: the OpenAPI document of schemas/petstore.apic, byte for byte against
# tests/openapi/petstore.openapi.json (APIC_UPDATE_GOLDEN=1 accepts the new
# output), and the emitter's determinism: stdout equals -o FILE, and a second
# run from another directory with another TZ and locale gives the same bytes.
set -u
golden="$top_srcdir/tests/openapi/petstore.openapi.json"
schema="$top_srcdir/schemas/petstore.apic"
out=tests/openapi/golden.out
rm -rf "$out" && mkdir -p "$out/elsewhere" || exit 1
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

echo "1..5"
if "$APIC" openapi "$schema" -o "$out/petstore.openapi.json" 2>"$out/err"; then
	ok "apic openapi schemas/petstore.apic"
else
	nok "apic openapi schemas/petstore.apic"
	sed 's/^/# /' "$out/err"
fi
if [ "${APIC_UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$out/petstore.openapi.json" "$golden" && ok "golden updated: $golden"
elif cmp -s "$golden" "$out/petstore.openapi.json"; then
	ok "petstore.openapi.json matches the golden file"
else
	nok "petstore.openapi.json differs from the golden file"
	diff -u "$golden" "$out/petstore.openapi.json" | head -n 60 | sed 's/^/# /'
	echo "# accept with: APIC_UPDATE_GOLDEN=1 make check TESTS=tests/openapi/golden.sh"
fi
"$APIC" openapi "$schema" >"$out/stdout.json" 2>/dev/null
if cmp -s "$out/stdout.json" "$out/petstore.openapi.json"; then
	ok "stdout equals -o FILE"
else
	nok "stdout differs from -o FILE"
fi
abs_out=$(cd "$out" && pwd)
(cd "$out/elsewhere" && TZ=Asia/Kolkata LC_ALL=C "$APIC" openapi "$schema" -o "$abs_out/again.json") 2>/dev/null
if cmp -s "$out/again.json" "$out/petstore.openapi.json"; then
	ok "identical bytes from another directory, TZ and locale"
else
	nok "output differs between runs"
fi
if [ "$(tail -c 1 "$out/petstore.openapi.json" | od -An -c | tr -d ' ')" = '\n' ]; then
	ok "ends with a newline"
else
	nok "no trailing newline"
fi
exit $fail
