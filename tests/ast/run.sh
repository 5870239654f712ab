#!/bin/sh
# The AST of a schema using every construct, as `apic check --dump-ast`
# prints it, equals the reviewed golden file (APIC_UPDATE_GOLDEN=1 accepts).
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
dir=$top_srcdir/tests/ast
out=$top_builddir/tests/ast
mkdir -p "$out" || exit 99
echo "1..2"
(cd "$dir" && "$APIC" check --dump-ast all.apic >"$out/all.dump" 2>"$out/all.stderr")
rc=$?
[ -n "$APIC_UPDATE_GOLDEN" ] && cp "$out/all.dump" "$dir/all.dump"
if [ $rc -eq 0 ] && [ ! -s "$out/all.stderr" ]; then
	echo "ok 1 - all.apic checks clean"
else
	echo "not ok 1 - all.apic: exit $rc"
	sed 's/^/# /' "$out/all.stderr" | head -20
fi
if cmp -s "$dir/all.dump" "$out/all.dump"; then
	echo "ok 2 - AST dump equals all.dump"
else
	echo "not ok 2 - AST dump differs from all.dump"
	diff -u "$dir/all.dump" "$out/all.dump" | sed 's/^/# /' | head -40
fi
