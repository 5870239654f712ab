#!/bin/sh
# Every schemas/*.apic generates, its NAME.c and NAME_handlers.c compile with
# -std=c11 -Wall -Wextra -Werror -pedantic under gcc and clang (each when
# installed), and so does its C client (NAME.client.c); all of them link
# with libapic into a program.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
out=$(mktemp -d "${TMPDIR:-/tmp}/apic-compile.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
n=0
fail=0
say() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
flags="-std=c11 -Wall -Wextra -Werror -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
inc="-I$top_srcdir/runtime ${CG_JSONC_CFLAGS:-}"
for schema in "$top_srcdir"/schemas/*.apic; do
	name=$(basename "$schema" .apic)
	dir="$out/$name"
	mkdir -p "$dir"
	if ! "$APIC" generate -q -o "$dir" "$schema" 2>"$dir/err"; then
		say notok "$name: apic generate failed"
		sed 's/^/# /' "$dir/err"
		continue
	fi
	if ! "$APIC" generate --client c -o "$dir" "$schema" 2>>"$dir/err"; then
		say notok "$name: apic generate --client c failed"
		sed 's/^/# /' "$dir/err"
	fi
	for cc in gcc clang; do
		command -v $cc >/dev/null 2>&1 || { say ok "$name: $cc # SKIP not installed"; continue; }
		if $cc $flags $inc -c "$dir/$name.c" -o "$dir/$name.$cc.o" 2>"$dir/err" &&
		   $cc $flags $inc -c "$dir/$name.client.c" -o "$dir/client.$cc.o" 2>>"$dir/err" &&
		   $cc $flags $inc -c "$dir/${name}_handlers.c" -o "$dir/h.$cc.o" 2>>"$dir/err"; then
			say ok "$name: compiles with $cc -pedantic"
		else
			say notok "$name: does not compile with $cc"
			head -30 "$dir/err" | sed 's/^/# /'
		fi
	done
	# link with the libapic just built (through libtool: it knows the deps)
	if "$top_builddir/libtool" --quiet --mode=link ${CG_CC:-cc} ${CG_SAN_FLAGS:-} -o "$dir/server" \
		"$dir/$name.gcc.o" "$dir/h.gcc.o" "$dir/client.gcc.o" "$top_builddir/runtime/libapic.la" ${CG_LIBS:-} \
		2>"$dir/err"; then
		say ok "$name: links with libapic"
	else
		say notok "$name: does not link with libapic"
		head -30 "$dir/err" | sed 's/^/# /'
	fi
done
echo "1..$n"
exit $fail
