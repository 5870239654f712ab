#!/bin/sh
# The TypeScript client of every schema in the tree compiles: tsc --strict
# --noEmit (ES2022, lib DOM for fetch and WebSocket); then again with the
# stricter options projects turn on (noUnusedLocals and noUnusedParameters,
# exactOptionalPropertyTypes, noUncheckedIndexedAccess, ...) and declaration
# output (a library's .d.ts). One TAP line per schema and pass.
set -u
. "$top_srcdir/tests/ts/lib.sh"
out=$top_builddir/tests/ts/tsc.out
rm -rf "$out" && mkdir -p "$out/d" || exit 99
cd "$top_srcdir" || exit 99

set --
for f in schemas/*.apic examples/chat/chat.apic tests/bookshop/bookshop.apic tests/ast/all.apic \
	tests/async/async.apic tests/openapi/async.apic bench/*.apic bench/async/*.apic tests/ts/edge.apic; do
	name=$(echo "${f%.apic}" | tr '/-' '__')
	if "$APIC" generate --client ts -o "$out" --name "$name" "$f" 2>"$out/$name.err" &&
	   [ -s "$out/$name.client.ts" ]; then
		ok "apic generate --client ts $f"
		set -- "$@" "$name"
	else
		nok "apic generate --client ts $f" "$out/$name.err"
	fi
done
[ $# -ge 10 ] || nok "found the schemas (only $#)"

# pass NAME OPTIONS...: one tsc run over every client, then a line each
pass() {
	what=$1; shift
	files=
	for s in $names; do files="$files $out/$s.client.ts"; done
	# shellcheck disable=SC2086
	tsc_run "$@" $files >"$out/$what.out" 2>&1
	status=$?
	for s in $names; do
		grep "$s\.client\.ts" "$out/$what.out" >"$out/$s.$what" 2>/dev/null
		if [ -s "$out/$s.$what" ]; then nok "$s.client.ts: tsc $what" "$out/$s.$what"
		else ok "$s.client.ts: tsc $what"; fi
	done
	if [ "$status" -ne 0 ] && ! grep -q 'client\.ts' "$out/$what.out"; then
		nok "tsc $what ran" "$out/$what.out"
	fi
}
names=$*
pass "--strict --noEmit" --strict --noEmit
pass "with the strictest options and declarations" --strict --noUnusedLocals --noUnusedParameters \
	--exactOptionalPropertyTypes --noUncheckedIndexedAccess --noPropertyAccessFromIndexSignature \
	--noImplicitReturns --noImplicitOverride --noFallthroughCasesInSwitch --isolatedModules \
	--verbatimModuleSyntax --erasableSyntaxOnly --declaration --emitDeclarationOnly --outDir "$out/d"
echo "1..$n"
[ "$fail" -eq 0 ] && rm -rf "$out"
exit $fail
