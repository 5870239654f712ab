#!/bin/sh
# The man pages pass `mandoc -Tlint` (skipped when mandoc is not installed),
# and every example schema in apic(5) between ".\" example" and ".Ed" checks.
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
if ! command -v mandoc >/dev/null 2>&1; then
	echo "1..0 # SKIP mandoc is not installed"
	exit 0
fi
echo "1..3"
i=0
for m in apic.1 apic.5; do
	i=$((i + 1))
	if out=$(mandoc -Tlint -Wwarning "$top_srcdir/man/$m" 2>&1) && [ -z "$out" ]; then
		echo "ok $i - mandoc -Tlint $m"
	else
		echo "not ok $i - mandoc -Tlint $m"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done
ex=$top_builddir/tests/diag/man-example.apic
mkdir -p "${ex%/*}"
sed -n '/^\.\\" example$/,/^\.Ed$/p' "$top_srcdir/man/apic.5" | grep -v '^\.' >"$ex"
if [ -s "$ex" ] && out=$("$APIC" check "$ex" 2>&1) && [ -z "$out" ]; then
	echo "ok 3 - the complete example of apic(5) checks clean"
else
	echo "not ok 3 - the complete example of apic(5) does not check"
	printf '%s\n' "$out" | sed 's/^/# /' | head -20
fi
