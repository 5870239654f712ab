#!/bin/sh
# apic fmt: the layout cases (cases/NAME.in.apic -> NAME.out.apic, written
# by hand), idempotence and the same checked schema (--dump-ast without
# locations) for every schema of the tree and the fuzz corpus, --check, -w,
# standard input, refusals; and that the tree's own schemas are formatted.
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
out=$top_builddir/tests/fmt/work
rm -rf "$out" && mkdir -p "$out" || exit 99
cd "$out" || exit 99
i=0
ok() { i=$((i + 1)); echo "ok $i - $1"; }
nok() { i=$((i + 1)); echo "not ok $i - $1"; [ -f err ] && sed 's/^/# /' err | head -10; }
cases=$top_srcdir/tests/fmt/cases
ncases=$(ls "$cases"/*.in.apic | wc -l)
echo "1..$((2 * ncases + 19))"

for in in "$cases"/*.in.apic; do
	name=$(basename "$in" .in.apic)
	"$APIC" fmt "$in" >"$name.got" 2>err
	if cmp -s "$cases/$name.out.apic" "$name.got"; then
		ok "case $name: the expected layout"
	else
		nok "case $name: layout differs"
		diff "$cases/$name.out.apic" "$name.got" | sed 's/^/# /' | head -20
	fi
	"$APIC" fmt "$cases/$name.out.apic" >"$name.again" 2>err
	if cmp -s "$cases/$name.out.apic" "$name.again"; then ok "case $name: formatted output is a fixed point"; else nok "case $name: not idempotent"; fi
done

# Every schema of the tree and of the fuzz corpus, copied with their
# directories (imports stay relative), formatted in place.
(cd "$top_srcdir" && find schemas examples bench tests -name '*.apic' -not -path '*/node_modules/*' | sort) >list
mkdir tree
while read -r f; do mkdir -p "tree/$(dirname "$f")" && cp "$top_srcdir/$f" "tree/$f"; done <list
nfmt=0 nrefused=0 notfixed= refused_bad=
while read -r f; do
	if "$APIC" fmt -w "tree/$f" 2>err; then
		nfmt=$((nfmt + 1))
		"$APIC" fmt "tree/$f" >again 2>/dev/null
		cmp -s again "tree/$f" || notfixed="$notfixed $f"
	else
		# refused: only files with syntax errors, each with a diagnostic, untouched
		nrefused=$((nrefused + 1))
		grep -q ': error: ' err && cmp -s "$top_srcdir/$f" "tree/$f" || refused_bad="$refused_bad $f"
	fi
done <list
if [ -z "$notfixed" ] && [ "$nfmt" -gt 100 ]; then ok "$nfmt schemas formatted: fmt of fmt is the same"; else nok "not idempotent:$notfixed ($nfmt formatted)"; fi
if [ -z "$refused_bad" ]; then ok "$nrefused files with syntax errors refused with a diagnostic, untouched"; else nok "refusals:$refused_bad"; fi
strip() { sed 's/ @[^ ]*:[0-9]*:[0-9]*//g; s/ @[0-9]*:[0-9]*//g; s/ file=[^ ]*//g' "$1"; }
nsame=0 differ=
while read -r f; do
	"$APIC" check --dump-ast "$top_srcdir/$f" >d1 2>/dev/null || continue
	"$APIC" check --dump-ast "tree/$f" >d2 2>/dev/null
	strip d1 >s1
	strip d2 >s2
	if cmp -s s1 s2; then nsame=$((nsame + 1)); else differ="$differ $f"; fi
done <list
if [ -z "$differ" ] && [ "$nsame" -gt 15 ]; then ok "$nsame checked schemas: the same AST after fmt"; else nok "AST changed:$differ"; fi
# comments: every comment line of a formatted schema survives, in order
lost=
while read -r f; do
	# (a "//" in a string starts the match too: spacing is what may change)
	grep -o '//.*' "$top_srcdir/$f" 2>/dev/null | sed 's/[[:space:]][[:space:]]*/ /g; s/ $//' >c1
	grep -o '//.*' "tree/$f" 2>/dev/null | sed 's/[[:space:]][[:space:]]*/ /g; s/ $//' >c2
	cmp -s c1 c2 || lost="$lost $f"
done <list
if [ -z "$lost" ]; then ok "every comment kept, in order"; else nok "comments changed:$lost"; fi

# --check, -w, standard input.
cp "$cases/layout.in.apic" u.apic
"$APIC" fmt --check u.apic >stdout 2>err
rc=$?
if [ "$rc" = 1 ] && head -1 stdout | grep -q '^--- u.apic$' && sed -n 2p stdout | grep -q '^+++ u.apic (formatted)$' &&
	grep -q '^+    basepath "/v1" // trailing$' stdout; then
	ok "--check on an unformatted file: a unified diff, exit 1"
else
	nok "--check: exit $rc: $(head -3 stdout)"
fi
if cmp -s u.apic "$cases/layout.in.apic"; then ok "--check leaves the file alone"; else nok "--check changed the file"; fi
"$APIC" fmt --check "$cases/layout.out.apic" >stdout 2>err
if [ $? = 0 ] && [ ! -s stdout ]; then ok "--check on a formatted file: silent, exit 0"; else nok "--check formatted"; fi
"$APIC" fmt -w u.apic >stdout 2>err
if [ $? = 0 ] && cmp -s u.apic "$cases/layout.out.apic" && [ ! -s stdout ]; then ok "-w rewrites the file"; else nok "-w"; fi
touch -d '2001-01-01' u.apic
"$APIC" fmt -w u.apic 2>err
if [ "$(stat -c %Y u.apic)" = "$(date -d 2001-01-01 +%s)" ]; then ok "-w leaves a formatted file untouched (mtime kept)"; else nok "-w touched a formatted file"; fi
"$APIC" fmt <"$cases/layout.in.apic" >stdout 2>err
if [ $? = 0 ] && cmp -s stdout "$cases/layout.out.apic"; then ok "standard input to standard output"; else nok "stdin"; fi
printf 'service "T" version "1" {}\nmodel M { a b }\n' >bad.apic
cp bad.apic bad.orig
"$APIC" --color=never fmt -w bad.apic >stdout 2>err
rc=$?
if [ "$rc" = 1 ] && grep -q '^bad.apic:2:13: error: ' err && cmp -s bad.apic bad.orig; then
	ok "a syntax error: its diagnostic, exit 1, the file untouched"
else
	nok "syntax error: exit $rc"
fi
printf 'service "T" version "1" {}\nmodel M { a: Nowhere }\n' >sem.apic
"$APIC" fmt sem.apic >stdout 2>err
if [ $? = 0 ] && grep -q 'a: Nowhere' stdout; then ok "semantic errors are not fmt's business: formatted"; else nok "semantic error refused"; fi
printf 'model M { a: string }\n\377\n' >utf.apic
"$APIC" fmt utf.apic >stdout 2>err
if [ $? = 1 ] && grep -q 'utf.apic:2:1: error: invalid UTF-8' err; then ok "invalid UTF-8: refused at its place"; else nok "invalid UTF-8"; fi
"$APIC" fmt no-such.apic >stdout 2>err
if [ $? = 3 ]; then ok "a missing file: exit 3"; else nok "missing file"; fi
"$APIC" fmt --check -w u.apic >stdout 2>err
if [ $? = 2 ]; then ok "--check with -w: usage error"; else nok "--check -w"; fi
"$APIC" fmt -w >stdout 2>err </dev/null
if [ $? = 2 ]; then ok "-w without a file: usage error"; else nok "-w without file"; fi
"$APIC" check --check u.apic >stdout 2>err
if [ $? = 2 ]; then ok "--check outside fmt: usage error"; else nok "--check outside fmt"; fi

# The tree's own schemas, and the one `apic new` writes, are formatted
# (what CI asks of a change).
"$APIC" new shop >/dev/null 2>err
if "$APIC" fmt --check shop/shop.apic >stdout 2>>err; then ok "apic new writes a formatted schema"; else nok "apic new's schema is not formatted"; sed 's/^/# /' stdout; fi
own=$(cd "$top_srcdir" && ls schemas/*.apic examples/*/*.apic bench/*.apic bench/async/*.apic)
(cd "$top_srcdir" && "$APIC" fmt --check $own) >stdout 2>err
if [ $? = 0 ]; then ok "apic fmt --check on the tree's own schemas"; else nok "unformatted schemas in the tree: $(grep '^--- ' stdout | tr '\n' ' ')"; fi
