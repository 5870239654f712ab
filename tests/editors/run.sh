#!/bin/sh
# The editor grammars against apic's own scanner. For every schema of the
# tree that checks, `apic check --dump-tokens` gives each token and comment
# with its class; the TextMate grammar (through vscode-textmate and
# vscode-oniguruma from tests/npm) and the Vim syntax file (through vim -es)
# must colour each one by its class: comments as comments, keywords as
# keywords, a name before ':' as a name even when spelt like a keyword...
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
out=$top_builddir/tests/editors/work
rm -rf "$out" && mkdir -p "$out" || exit 99
cd "$out" || exit 99
npm_modules=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}
i=0
ok() { i=$((i + 1)); echo "ok $i - $1"; }
nok() { i=$((i + 1)); echo "not ok $i - $1"; }
skip() { i=$((i + 1)); echo "ok $i - # SKIP $1"; }

# the schemas that check, and their tokens
pairs= files=
for f in $(cd "$top_srcdir" && ls schemas/*.apic examples/*/*.apic bench/*.apic tests/ast/all.apic \
	tests/bookshop/bookshop.apic tests/openapi/async.apic tests/diag/keywords_as_names.apic); do
	d=$(echo "$f" | tr '/' '_').tokens
	"$APIC" check --dump-tokens "$top_srcdir/$f" >"$d" 2>/dev/null || continue
	pairs="$pairs $top_srcdir/$f $d"
	files="$files $f"
done
nfiles=$(echo $files | wc -w)
echo "1..$((nfiles * 2 + 4))"
if [ "$nfiles" -ge 10 ]; then ok "$nfiles schemas give their tokens"; else nok "only $nfiles schemas"; fi

# TextMate
if command -v node >/dev/null && [ -d "$npm_modules/vscode-textmate" ]; then
	NPM_MODULES=$npm_modules node "$top_srcdir/tests/editors/textmate.mjs" \
		"$top_srcdir/editors/apic.tmLanguage.json" "$top_srcdir/compiler/kwlist.h" $pairs >tm.tap 2>&1
	rc=$?
	sed -n 's/^\(not \)\{0,1\}ok [0-9]* - /&/p; /^#/p' tm.tap | while read -r line; do echo "$line"; done >tm.lines
	# renumber the script's checks into this plan
	while read -r line; do
		case $line in
		"ok "*) i=$((i + 1)); echo "ok $i - textmate: ${line#ok * - }" ;;
		"not ok "*) i=$((i + 1)); echo "not ok $i - textmate: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <tm.lines
	[ "$rc" = 0 ] || { echo "# textmate.mjs exited with $rc"; sed 's/^/# /' tm.tap | tail -5; }
else
	for _ in $(seq $((nfiles + 2))); do skip "node or vscode-textmate (./setup.sh deps) missing"; done
fi

# Vim: the group at each token's first byte
if command -v vim >/dev/null; then
	for f in $files; do
		d=$(echo "$f" | tr '/' '_').tokens
		POS=$d OUT=$d.vim vim -es -N -u NONE -i NONE --cmd "set rtp^=$top_srcdir/editors/vim" \
			-c 'filetype on' -c 'syntax on' -c "edit $top_srcdir/$f" \
			-S "$top_srcdir/tests/editors/vim-groups.vim" </dev/null >/dev/null 2>&1
		bad=$(paste -d' ' "$d" "$d.vim" | awk '
			{ cls = $5; g = $NF; if (NF < 9 || $(NF - 1) != $2) g = "" }
			cls == "comment" && g != "apicComment" { print; next }
			cls == "doc-comment" && g != "apicDocComment" { print; next }
			cls == "string" && g != "apicString" { print; next }
			cls == "number" && g != "apicNumber" { print; next }
			cls == "path" && g != "apicPath" { print; next }
			cls == "name" && g != "apicName" { print; next }
			cls == "keyword" && g !~ /^apic(Decl|Method|Keyword|Constraint|Boolean|Type)$/ { print; next }
			cls == "identifier" && g ~ /^apic(Decl|Method|Keyword|Constraint|Boolean|Comment|DocComment|String)$/ { print; next }
		' | head -5)
		if [ -s "$d.vim" ] && [ -z "$bad" ]; then
			ok "vim: $f: $(wc -l <"$d") tokens and comments in their groups"
		else
			nok "vim: $f"
			echo "$bad" | sed 's/^/# /'
		fi
	done
	printf 'model M { a: string }\n' >probe.apic
	vim -es -N -u NONE -i NONE --cmd "set rtp^=$top_srcdir/editors/vim" -c 'filetype on' \
		-c 'edit probe.apic' -c 'call writefile([&filetype], "ft.out")' -c 'qa!' </dev/null >/dev/null 2>&1
	if [ "$(cat ft.out 2>/dev/null)" = apic ]; then ok "vim: ftdetect gives *.apic the filetype apic"; else nok "vim: ftdetect"; fi
else
	for _ in $(seq $((nfiles + 1))); do skip "vim missing"; done
fi
