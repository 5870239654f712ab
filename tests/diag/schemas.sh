#!/bin/sh
# Every schema under schemas/ checks clean: exit 0 and no output at all.
: "${top_srcdir:?}" "${APIC:?}"
set -- "$top_srcdir"/schemas/*.apic
echo "1..$#"
i=0
for s in "$@"; do
	i=$((i + 1))
	out=$("$APIC" check "$s" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		echo "ok $i - ${s##*/} checks clean"
	else
		echo "not ok $i - ${s##*/}: exit $rc"
		printf '%s\n' "$out" | sed 's/^/# /' | head -20
	fi
done
