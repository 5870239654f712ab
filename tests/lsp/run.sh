#!/bin/sh
# apic lsp: the scripted exchange (run.js) and the random edits of the fuzz
# corpus (edits.js), both by the small client of lsp.js, as one TAP
# stream. With LSP_VALGRIND=1 (tests/lsp/valgrind.sh) the server runs
# under valgrind, leaks and errors failing it (exit status 99).
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
if ! command -v node >/dev/null 2>&1; then
	echo "1..0 # SKIP node not installed"
	exit 0
fi
here=$top_srcdir/tests/lsp
work=$top_builddir/tests/lsp/work${LSP_VALGRIND:+-valgrind}
rm -rf "$work" && mkdir -p "$work" || exit 99
work=$(cd "$work" && pwd -P) || exit 99
cp "$here"/main.apic "$here"/common.apic "$here"/other.apic "$here"/broken.apic "$work"/ || exit 99
set --
if [ -n "$LSP_VALGRIND" ]; then
	set -- "$top_builddir/libtool" --mode=execute valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect
fi
node "$here/run.js" "$work" "$APIC" "$@" >"$work/run.tap" 2>"$work/run.err"
node "$here/edits.js" "$top_srcdir/tests/fuzz/corpus" "$APIC" 1 "$@" >"$work/edits.tap" 2>"$work/edits.err"
# one stream: renumbered, one plan; the servers' stderr as comments
awk '/^(not )?ok [0-9]+/ { n++; sub(/ok [0-9]+/, "ok " n); print; next }
     /^1\.\.[0-9]+/ { next } { print }
     END { print "1.." n }' "$work/run.tap" "$work/edits.tap"
sed 's/^/# stderr: /' "$work/run.err" "$work/edits.err"
! grep -q '^not ok' "$work/run.tap" "$work/edits.tap" &&
	grep -q '^1\.\.' "$work/run.tap" && grep -q '^1\.\.' "$work/edits.tap"
