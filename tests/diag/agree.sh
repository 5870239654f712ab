#!/bin/sh
# One checker: for every schema of the diagnostics goldens, the parser fuzz
# corpus and the tree, `apic check` and `apic generate` agree on success or
# failure (a schema that checks clean generates; one generate refuses,
# check refuses too, with the same diagnostics).
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
out=$(cd "$top_builddir" && pwd)/tests/diag/agree
rm -rf "$out" && mkdir -p "$out" || exit 99
n=0
fail=0
for f in "$top_srcdir"/tests/diag/*.apic "$top_srcdir"/tests/fuzz/corpus/* "$top_srcdir"/schemas/*.apic; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	d=$(dirname "$f")
	b=$(basename "$f")
	args=
	case $d in */tests/diag) [ -f "${f%.apic}.args" ] && args=$(cat "${f%.apic}.args") ;; esac
	# shellcheck disable=SC2086
	(cd "$d" && NO_COLOR=1 "$APIC" check $args "$b" >/dev/null 2>"$out/check.err")
	c=$?
	mkdir -p "$out/gen"
	# shellcheck disable=SC2086
	(cd "$d" && NO_COLOR=1 "$APIC" generate -q $args -o "$out/gen" --name agree "$b" \
		>/dev/null 2>"$out/gen.err")
	g=$?
	rm -rf "$out/gen"
	# 2 is a usage error (an .args file made for check): not a verdict on the schema
	if [ "$g" = 2 ]; then
		echo "ok $n - $b # SKIP generate takes other options"
	elif [ "$c" = 0 ] && [ "$g" != 0 ]; then
		echo "not ok $n - $b: check accepts it, generate fails ($g)"
		sed 's/^/#   /' "$out/gen.err" | head -5
		fail=1
	elif [ "$c" != 0 ] && [ "$g" = 0 ]; then
		echo "not ok $n - $b: check refuses it ($c), generate succeeds"
		fail=1
	elif [ "$c" = 1 ] && ! grep -v "^agree" "$out/gen.err" | grep -q .; then
		echo "not ok $n - $b: generate refused it without a diagnostic"
		fail=1
	else
		echo "ok $n - $b"
	fi
done
echo "1..$n"
exit $fail
