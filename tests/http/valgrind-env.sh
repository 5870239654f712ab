# Sourced by the valgrind tests. valgrind_or_skip PROGRAM: a TAP skip and
# exit 0 when valgrind is not installed or PROGRAM (the binary behind
# libtool's wrapper when there is one, in .libs) is a sanitizer build:
# ASan and valgrind do not mix, and ASan checks leaks there. Otherwise sets
# VALGRIND, the command to run a program of the build under memcheck
# (definite and indirect leaks are errors, exit status 99).
valgrind_or_skip() {
	local bin
	bin="$(dirname "$1")/.libs/$(basename "$1")"
	[ -f "$bin" ] || bin=$1
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "1..0 # SKIP valgrind not installed"
		exit 0
	fi
	if grep -q __asan_init "$bin" 2>/dev/null; then
		echo "1..0 # SKIP sanitizer build (ASan and valgrind do not mix; ASan checks leaks there)"
		exit 0
	fi
	VALGRIND="$top_builddir/libtool --mode=execute valgrind -q --error-exitcode=99 \
--leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
--suppressions=$top_srcdir/tests/http/valgrind.supp"
}
