#!/bin/sh
# TAP: an operation without a doc comment or `summary` gets one from its
# operationId, as FastAPI does (compiler/openapi_summary.c); one written in
# the schema stays; and `apic import` of the document does not turn a derived
# summary into a doc comment (tests/openapi/summary.apic).
set -u
schema="$top_srcdir/tests/openapi/summary.apic"
out=tests/openapi/summary.out
rm -rf "$out" && mkdir -p "$out" || exit 1
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

echo "1..9"
if ! "$APIC" openapi "$schema" -o "$out/summary.json" 2>"$out/err"; then
	sed 's/^/# /' "$out/err"
fi
while IFS='|' read -r id want; do
	line=$(grep -n -F "\"operationId\": \"$id\"" "$out/summary.json" | cut -d: -f1)
	got=$(sed -n "$((${line:-2} - 1))s/^ *\"summary\": \"\(.*\)\",\$/\1/p" "$out/summary.json")
	if [ "$got" = "$want" ]; then
		ok "$id: \"$want\""
	else
		nok "$id: \"$want\", got \"$got\""
	fi
done <<'LIST'
listPets|List Pets
getPetsByPetId|Get Pets By Pet Id
getHTTPStatus|Get Http Status
read_v2_item|Read V2 Item
getDoc|Written by hand.
getGiven|Given in the schema
LIST
if "$APIC" import "$out/summary.json" >"$out/imported.apic" 2>"$out/import.err"; then
	ok "apic import of the document"
else
	nok "apic import of the document"
	sed 's/^/# /' "$out/import.err"
fi
if grep -q -e 'List Pets' -e 'Pet Id' -e 'Http Status' -e 'V2 Item' "$out/imported.apic"; then
	nok "no derived summary comes back as text"
	sed 's/^/# /' "$out/imported.apic"
else
	ok "no derived summary comes back as text"
fi
if grep -q -F '/// Written by hand.' "$out/imported.apic"; then
	ok "a written summary comes back as a doc comment"
else
	nok "a written summary comes back as a doc comment"
fi
exit $fail
