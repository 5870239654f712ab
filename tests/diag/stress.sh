#!/bin/sh
# Large and pathological schemas generated here: each must finish with the
# right exit status (the harness's timeout catches a hang). They exercise the
# hash tables behind uniqueness, members, fields and routes, and the
# diagnostics printer on one very long line.
: "${top_builddir:?}" "${APIC:?}"
out=$top_builddir/tests/diag/stress
rm -rf "$out" && mkdir -p "$out" && cd "$out" || exit 99
i=0
run() {
	want=$1 name=$2 file=$3
	"$APIC" check "$file" >/dev/null 2>err
	rc=$?
	i=$((i + 1))
	if [ "$rc" = "$want" ]; then echo "ok $i - $name"; else echo "not ok $i - $name: exit $rc, expected $want"; sed 's/^/# /' err | head -5; fi
}
echo "1..6"
hdr='service "S" version "1" {}'
awk -v h="$hdr" 'BEGIN { print h; printf "model M {\n    a: [int32] (unique) = ["; for (i = 0; i < 100000; i++) printf "%s%d", (i ? ", " : ""), i; print "]\n}\nget /m { -> 200 M }" }' >unique.apic
run 0 "default with 100000 unique items" unique.apic
awk -v h="$hdr" 'BEGIN { print h; printf "enum E {"; for (i = 0; i < 20000; i++) printf " m%d", i; printf " }\nmodel M {\n    e: [E] (unique) = ["; for (i = 0; i < 20000; i++) printf "%sm%d", (i ? ", " : ""), i; print "]\n}\nget /m { -> 200 M }" }' >members.apic
run 0 "enum of 20000 members, default naming each" members.apic
awk -v h="$hdr" 'BEGIN { print h; printf "model M example {"; for (i = 0; i < 20000; i++) printf "%s\"f%d\": %d", (i ? ", " : ""), i, i; print "} {"; for (i = 0; i < 20000; i++) printf "    f%d: int32\n", i; print "}\nget /m { -> 200 M }" }' >fields.apic
run 0 "model of 20000 fields with a full example" fields.apic
awk -v h="$hdr" 'BEGIN { print h; printf "get "; for (i = 0; i < 3000; i++) printf "/s%d/{p%d}", i, i; print " {"; for (i = 0; i < 3000; i++) printf "    path p%d: int32\n", i; print "    -> 204\n}" }' >path.apic
run 0 "path of 6000 segments" path.apic
awk -v h="$hdr" 'BEGIN { print h; for (i = 0; i < 20000; i++) printf "model U%d { a: string } ", i; print "\nget /m { -> 204 }" }' >warnings.apic
run 0 "20000 warnings on one line" warnings.apic
awk -v h="$hdr" 'BEGIN { print h; for (i = 0; i < 100000; i++) printf "model E%d { a: Nope }\n", i }' >errors.apic
run 1 "100000 errors, capped" errors.apic
