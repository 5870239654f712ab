#!/bin/sh
# apic diff: every case of cases.txt (the changes found and how they are
# classified, the exit status), the text report's locations, accepting a
# break on the command line and in the schema, --git in a temporary
# repository with an import, usage and schema errors, and every schema of
# the tree against itself.
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
out=$top_builddir/tests/schema-diff/work
rm -rf "$out" && mkdir -p "$out/cases" || exit 99
cd "$out" || exit 99
command -v jq >/dev/null || { echo "1..0 # SKIP jq is missing"; exit 0; }
i=0
ok() { i=$((i + 1)); echo "ok $i - $1"; }
nok() { i=$((i + 1)); echo "not ok $i - $1"; [ -f err ] && sed 's/^/# /' err | head -10; }

# Split cases.txt: cases/N.old.apic, N.new.apic, N.expect, N.name.
awk -v dir=cases '
	/^== / { n++; expect = 0; name = substr($0, 4); print name >(dir "/" n ".name"); part = ""; next }
	/^-- old$/ { part = dir "/" n ".old.apic"; first = 1; expect = 0; next }
	/^-- new$/ { part = dir "/" n ".new.apic"; first = 1; expect = 0; next }
	/^-- expect$/ { part = dir "/" n ".expect"; printf "" >part; first = 0; expect = 1; next }
	expect && $0 == "" { next }
	/^#/ && part == "" { next }
	part != "" {
		if (first) { if ($0 !~ /^service /) printf "service \"T\" version \"1\" {}\n" >part; first = 0 }
		print >part
	}
' "$top_srcdir/tests/schema-diff/cases.txt"
ncases=$(ls cases/*.name | wc -l)
echo "1..$((2 * ncases + 20))"

for nf in $(ls cases/*.name | sort -t/ -k2 -n); do
	c=${nf%.name}
	name=$(cat "$nf")
	"$APIC" --color=never diff --json "$c.old.apic" "$c.new.apic" >"$c.json" 2>err
	rc=$?
	jq -r '.changes[] | "\(.kind) \(.code) \(.subject)"' "$c.json" >"$c.got" 2>>err
	if cmp -s "$c.expect" "$c.got"; then
		ok "$name"
	else
		nok "$name: changes differ"
		diff "$c.expect" "$c.got" | sed 's/^/# /'
	fi
	want=0
	grep -q '^breaking ' "$c.expect" && want=1
	if [ "$rc" = "$want" ]; then ok "$name: exit $rc"; else nok "$name: exit $rc, expected $want"; fi
done

# The text report: a line per change, located in the new schema, or in the
# old one for a removal; then the summary.
cat >old.apic <<'S'
service "T" version "1" {}
model Pet {
    id: int64
    name: string
}
post /pets {
    body Pet
    -> 201 Pet
}
S
cat >new.apic <<'S'
service "T" version "1" {}
model Pet {
    id: int64
    // apic-diff: accept field-added Pet.tag
    tag: string
}
post /pets {
    body Pet
    -> 201 Pet
}
S
"$APIC" diff old.apic new.apic >stdout 2>err
rc=$?
cat >want <<'S'
old.apic:4:5: breaking: field 'name' of Pet was removed [field-removed Pet.name]
new.apic:5:5: breaking (accepted): required field 'tag' was added to Pet: old requests lack it [field-added Pet.tag]
2 changes: 2 breaking (1 accepted), 0 compatible, 0 documentation
S
if cmp -s want stdout; then ok "text report: locations, accepted in the schema, summary"; else nok "text report"; diff want stdout | sed 's/^/# /'; fi
if [ "$rc" = 1 ]; then ok "one break not accepted: exit 1"; else nok "exit $rc, expected 1"; fi
"$APIC" diff --accept 'field-removed Pet.name' old.apic new.apic >stdout 2>err
rc=$?
if [ "$rc" = 0 ] && tail -1 stdout | grep -q '^2 changes: 2 breaking (2 accepted)'; then
	ok "--accept acknowledges the other break: exit 0"
else
	nok "--accept: exit $rc: $(tail -1 stdout)"
fi
"$APIC" diff --accept 'field-removed Pet.nam' old.apic new.apic >stdout 2>err
if [ $? = 1 ]; then ok "--accept names a change exactly (a near miss accepts nothing)"; else nok "a near miss was accepted"; fi
if [ ! -s err ]; then ok "no diagnostics on stderr"; else nok "stderr not empty"; fi
"$APIC" diff --json --accept 'field-removed Pet.name' old.apic new.apic >stdout 2>err
if jq -e '.summary == {"breaking": 2, "accepted": 2, "compatible": 0, "documentation": 0}
	and .changes[0].schema == "old" and .changes[0].file == "old.apic" and .changes[0].line == 4
	and .changes[1].accepted == true and .changes[1].column == 5' stdout >/dev/null; then
	ok "--json: summary, which schema, file, line, column, accepted"
else
	nok "--json document"
fi

# --git: the old schema and its imports from a commit.
if command -v git >/dev/null; then
	mkdir -p repo/api && cd repo || exit 99
	git init -q . && git config user.email t@example.org && git config user.name t
	printf 'service "T" version "1" {}\nimport "models.apic"\nget /pets { -> 200 [Pet] }\n' >api/main.apic
	printf 'model Pet {\n    id: int64\n    name: string\n}\n' >api/models.apic
	git add api && git commit -qm v1
	printf 'model Pet {\n    id: int64\n}\n' >api/models.apic
	"$APIC" diff --git HEAD api/main.apic >../stdout 2>../err
	rc=$?
	if [ "$rc" = 1 ] && grep -q '^HEAD:api/models.apic:3:5: breaking: field .name. of Pet was removed' ../stdout; then
		ok "--git HEAD: the old import read from the commit, named HEAD:PATH"
	else
		nok "--git HEAD: exit $rc: $(head -3 ../stdout)"
	fi
	(cd api && "$APIC" diff --git HEAD main.apic) >../stdout 2>../err
	if [ $? = 1 ] && grep -q '^HEAD:api/models.apic:3:5' ../stdout; then ok "--git from a subdirectory"; else nok "--git from a subdirectory"; fi
	git add api && git commit -qm v2
	"$APIC" diff --git HEAD api/main.apic >../stdout 2>../err
	if [ $? = 0 ] && grep -q '^0 changes' ../stdout; then ok "--git HEAD after the commit: no change"; else nok "--git after commit"; fi
	"$APIC" diff --git HEAD~1 api/main.apic >../stdout 2>../err
	if [ $? = 1 ]; then ok "--git HEAD~1: the break is still there"; else nok "--git HEAD~1"; fi
	"$APIC" diff --git nosuch api/main.apic >../stdout 2>../err
	if [ $? = 3 ] && grep -q "'nosuch' is not a revision" ../err; then ok "--git with an unknown revision: exit 3, said so"; else nok "--git unknown revision"; fi
	printf 'service "T" version "1" {}\n' >api/new.apic
	"$APIC" diff --git HEAD api/new.apic >../stdout 2>../err
	if [ $? = 3 ] && grep -q "does not exist in HEAD" ../err; then ok "--git with a file the commit lacks: exit 3"; else nok "--git new file"; fi
	cd .. || exit 99
	if ! ls "${TMPDIR:-/tmp}" | grep -q "^apic-diff\.$$"; then ok "--git leaves no temporary directory"; else nok "temporary directory left"; fi
	git_left=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'apic-diff.*' -newer old.apic 2>/dev/null | wc -l)
	if [ "$git_left" = 0 ]; then ok "no apic-diff.* directory newer than this test"; else nok "$git_left apic-diff.* directories left"; fi
else
	for t in 1 2 3 4 5 6 7 8; do ok "# SKIP git is missing"; done
fi

# Usage and schema errors.
"$APIC" diff old.apic >stdout 2>err
if [ $? = 2 ]; then ok "one schema: usage error (2)"; else nok "one schema"; fi
"$APIC" diff --git HEAD old.apic new.apic >stdout 2>err
if [ $? = 2 ]; then ok "--git with two schemas: usage error (2)"; else nok "--git with two"; fi
"$APIC" check --accept x old.apic >stdout 2>err
if [ $? = 2 ] && grep -q "options of 'diff'" err; then ok "--accept outside diff: usage error"; else nok "--accept outside diff"; fi
printf 'service "T" version "1" {}\nmodel M { a: strin }\n' >bad.apic
"$APIC" --color=never diff old.apic bad.apic >stdout 2>err
rc=$?
if [ "$rc" = 1 ] && grep -q '^bad.apic:2:14: error: ' err && [ ! -s stdout ]; then
	ok "a schema with errors: its diagnostics, no report, exit 1"
else
	nok "schema errors: exit $rc"
fi
"$APIC" diff no-such.apic new.apic >stdout 2>err
if [ $? = 3 ]; then ok "a missing file: exit 3"; else nok "missing file"; fi

# Every schema of the tree against itself: no change.
bad=
for f in "$top_srcdir"/schemas/*.apic "$top_srcdir"/examples/chat/chat.apic \
	"$top_srcdir"/tests/ast/all.apic "$top_srcdir"/tests/bookshop/bookshop.apic; do
	"$APIC" diff "$f" "$f" >stdout 2>err && grep -q '^0 changes' stdout || bad="$bad $f"
done
if [ -z "$bad" ]; then ok "every schema of the tree against itself: 0 changes"; else nok "self diff:$bad"; fi
