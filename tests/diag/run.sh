#!/bin/sh
# Diagnostics goldens: for every CASE.apic here, `apic check [CASE.args]
# CASE.apic` run in this directory must print exactly CASE.err on stderr,
# nothing on stdout, and exit with CASE.exit (default 1).
# APIC_UPDATE_GOLDEN=1 rewrites CASE.err and CASE.exit from the current output.
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
dir=$top_srcdir/tests/diag
out=$top_builddir/tests/diag
mkdir -p "$out" || exit 99
cases=$(cd "$dir" && ls *.apic | sed 's/\.apic$//' | LC_ALL=C sort)
n=$(echo "$cases" | wc -l)
echo "1..$n"
i=0
fail=0
for c in $cases; do
	i=$((i + 1))
	args=
	[ -f "$dir/$c.args" ] && args=$(cat "$dir/$c.args")
	want=1
	[ -f "$dir/$c.exit" ] && want=$(cat "$dir/$c.exit")
	# shellcheck disable=SC2086
	(cd "$dir" && NO_COLOR=1 "$APIC" check $args "$c.apic" >"$out/$c.stdout" 2>"$out/$c.stderr")
	got=$?
	if [ -n "$APIC_UPDATE_GOLDEN" ]; then
		cp "$out/$c.stderr" "$dir/$c.err"
		if [ "$got" = 1 ]; then rm -f "$dir/$c.exit"; else echo "$got" >"$dir/$c.exit"; fi
		want=$got
	fi
	if [ "$got" != "$want" ]; then
		echo "not ok $i - $c: exit status $got, expected $want"
		fail=1
	elif [ -s "$out/$c.stdout" ]; then
		echo "not ok $i - $c: unexpected output on stdout"
		fail=1
	elif ! cmp -s "$out/$c.stderr" "$dir/$c.err"; then
		echo "not ok $i - $c: stderr differs from $c.err"
		diff -u "$dir/$c.err" "$out/$c.stderr" | sed 's/^/# /' | head -40
		echo "# to accept: APIC_UPDATE_GOLDEN=1 make check TESTS=tests/diag/run.sh"
		fail=1
	else
		echo "ok $i - $c"
	fi
done
exit 0
