#!/bin/sh
# libapic(3) passes `mandoc -Tlint -Wwarning` and documents every function
# of apic.h, apic_gen.h, apic_test.h and apic_client.h.
if ! command -v mandoc >/dev/null 2>&1; then
	echo "1..0 # SKIP mandoc is not installed"
	exit 0
fi
echo "1..2"
man="$top_srcdir/man/libapic.3"
out=$(mandoc -Tlint -Wwarning "$man" 2>&1 | grep -v 'mandoc.db' || true)
if [ -z "$out" ]; then
	echo "ok 1 - mandoc -Tlint libapic.3"
else
	echo "not ok 1 - mandoc -Tlint libapic.3"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
missing=
for f in $(sed -n 's/^[a-z].*[ *]\(apic_[a-z0-9_]*\)(.*/\1/p' "$top_srcdir/runtime/apic.h" "$top_srcdir/runtime/apic_gen.h" "$top_srcdir/runtime/apic_test.h" "$top_srcdir/runtime/apic_client.h" | sort -u); do
	grep -q "$f" "$man" || missing="$missing $f"
done
if [ -z "$missing" ]; then
	echo "ok 2 - every public function is documented"
else
	echo "not ok 2 - undocumented:$missing"
fi
