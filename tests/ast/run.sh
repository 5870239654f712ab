#!/bin/sh
# The AST of a schema using every construct, as `apic check --dump-ast`
# prints it, equals the reviewed golden file (APIC_UPDATE_GOLDEN=1 accepts).
# The output is all.dump.out: all.dump itself is the golden, in the same
# directory when the build is in the source tree.
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
dir=$top_srcdir/tests/ast
out=$top_builddir/tests/ast
mkdir -p "$out" || exit 99
echo "1..2"
(cd "$dir" && "$APIC" check --dump-ast all.apic >"$out/all.dump.out" 2>"$out/all.stderr")
rc=$?
[ -n "$APIC_UPDATE_GOLDEN" ] && cp "$out/all.dump.out" "$dir/all.dump"
if [ $rc -eq 0 ] && [ ! -s "$out/all.stderr" ]; then
	echo "ok 1 - all.apic checks clean"
else
	echo "not ok 1 - all.apic: exit $rc"
	sed 's/^/# /' "$out/all.stderr" | head -20
fi
if cmp -s "$dir/all.dump" "$out/all.dump.out"; then
	echo "ok 2 - AST dump equals all.dump"
else
	echo "not ok 2 - AST dump differs from all.dump"
	diff -u "$dir/all.dump" "$out/all.dump.out" | sed 's/^/# /' | head -40
fi
