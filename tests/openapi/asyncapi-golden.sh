#!/bin/sh
# TAP: the AsyncAPI documents of examples/chat/chat.apic, schemas/petstore.apic
# and tests/openapi/async.apic, byte for byte against
# tests/openapi/NAME.asyncapi.json (APIC_UPDATE_GOLDEN=1 accepts the new
# output), and the emitter's determinism: stdout equals -o FILE, and a run
# from another directory with another TZ and locale gives the same bytes.
set -u
out=tests/openapi/asyncapi-golden.out
rm -rf "$out" && mkdir -p "$out/elsewhere" || exit 1
abs_out=$(cd "$out" && pwd)
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

set -- chat=examples/chat/chat.apic petstore=schemas/petstore.apic async=tests/openapi/async.apic
echo "1..$(($# * 5))"
for c in "$@"; do
	name=${c%%=*} rel=${c#*=}
	schema="$top_srcdir/$rel"
	golden="$top_srcdir/tests/openapi/$name.asyncapi.json"
	doc="$out/$name.asyncapi.json"
	if "$APIC" asyncapi "$schema" -o "$doc" 2>"$out/$name.err" && [ ! -s "$out/$name.err" ]; then
		ok "apic asyncapi $rel, nothing on stderr"
	else
		nok "apic asyncapi $rel"
		sed 's/^/# /' "$out/$name.err"
	fi
	if [ "${APIC_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$doc" "$golden" && ok "golden updated: $golden"
	elif cmp -s "$golden" "$doc"; then
		ok "$name.asyncapi.json matches the golden file"
	else
		nok "$name.asyncapi.json differs from the golden file"
		diff -u "$golden" "$doc" | head -n 60 | sed 's/^/# /'
		echo "# accept with: APIC_UPDATE_GOLDEN=1 make check TESTS=tests/openapi/asyncapi-golden.sh"
	fi
	"$APIC" asyncapi "$schema" >"$out/$name.stdout" 2>/dev/null
	if cmp -s "$out/$name.stdout" "$doc"; then
		ok "$name: stdout equals -o FILE"
	else
		nok "$name: stdout differs from -o FILE"
	fi
	(cd "$out/elsewhere" && TZ=Asia/Kolkata LC_ALL=C "$APIC" asyncapi "$schema" -o "$abs_out/$name.again") 2>/dev/null
	if cmp -s "$out/$name.again" "$doc"; then
		ok "$name: identical bytes from another directory, TZ and locale"
	else
		nok "$name: output differs between runs"
	fi
	if [ "$(tail -c 1 "$doc" | od -An -c | tr -d ' ')" = '\n' ]; then
		ok "$name: ends with a newline"
	else
		nok "$name: no trailing newline"
	fi
done
exit $fail
