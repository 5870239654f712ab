#!/bin/sh
# Golden files: `apic generate` on each tests/golden/CASE/schema (a path
# relative to the source tree, so the banner is stable) must produce exactly
# CASE/NAME.h, NAME.c and NAME_handlers.c (NAME = CASE), except for the
# OpenAPI document embedded in NAME.c: it has its own golden (tests/openapi),
# so it is cut out of both sides before comparing. Then: generating
# again in another directory, time zone and locale gives the same bytes, and
# an unchanged file keeps its modification time. A case with
# CASE/NAME.client.h has the C client's goldens too (--client c).
# APIC_UPDATE_GOLDEN=1 rewrites the expected files (review with git diff).
set -u
: "${top_srcdir:?}" "${APIC:?}"
out=$(mktemp -d "${TMPDIR:-/tmp}/apic-golden.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
n=0
fail=0
# The gzipped OpenAPI document (its array) and its length become one
# placeholder line each.
cut_openapi() {
	sed -e '/^static const unsigned char .*__openapi_gz\[\] = {$/,/^};$/c\
/* (the embedded OpenAPI document, gzipped: see tests/openapi) */' \
	    -e 's/^\(\t.*__openapi_gz, sizeof .*__openapi_gz, \)[0-9]*,$/\1LENGTH,/'
}
say() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

for dir in "$top_srcdir"/tests/golden/*/; do
	case=$(basename "$dir")
	schema=$(cat "$dir/schema")
	mkdir -p "$out/$case/a" "$out/$case/b"
	if ! (cd "$top_srcdir" && "$APIC" generate -q -o "$out/$case/a" --name "$case" "$schema"); then
		say notok "$case: apic generate failed"
		continue
	fi
	for f in "$case.h" "$case.c" "${case}_handlers.c"; do
		cut_openapi <"$out/$case/a/$f" >"$out/$case/$f.cut"
		if [ "${APIC_UPDATE_GOLDEN:-0}" = 1 ]; then
			cp "$out/$case/$f.cut" "$dir/$f"
		fi
		if cmp -s "$dir/$f" "$out/$case/$f.cut"; then
			say ok "$case: $f matches the golden file"
		else
			say notok "$case: $f differs from the golden file"
			diff -u "$dir/$f" "$out/$case/$f.cut" | head -40 | sed 's/^/# /'
			echo "# to accept: APIC_UPDATE_GOLDEN=1 make check TESTS=tests/golden/run.sh"
		fi
	done
	# determinism: another cwd, time zone and locale
	cp "$top_srcdir/$schema" "$out/$case/copy.apic" 2>/dev/null
	if (cd "$top_srcdir" && TZ=Pacific/Kiritimati LC_ALL=C "$APIC" generate -q -o "$out/$case/b" --name "$case" "$schema") &&
	   cmp -s "$out/$case/a/$case.c" "$out/$case/b/$case.c" &&
	   cmp -s "$out/$case/a/$case.h" "$out/$case/b/$case.h" &&
	   cmp -s "$out/$case/a/$case.openapi.json" "$out/$case/b/$case.openapi.json"; then
		say ok "$case: generating twice gives identical bytes"
	else
		say notok "$case: generating twice gives different bytes"
	fi
	# unchanged output is not rewritten: set an old mtime, regenerate, compare
	touch -d '2001-01-01 00:00:00' "$out/$case/a/$case.c" "$out/$case/a/$case.h" "$out/$case/a/$case.openapi.json"
	before=$(ls -l --time-style=+%s "$out/$case/a" | sort)
	(cd "$top_srcdir" && "$APIC" generate -q -o "$out/$case/a" --name "$case" "$schema")
	after=$(ls -l --time-style=+%s "$out/$case/a" | sort)
	if [ "$before" = "$after" ]; then
		say ok "$case: regenerating an unchanged schema keeps every mtime"
	else
		say notok "$case: regenerating rewrote files"
	fi
	# the C client (apic generate --client c), when the case has its goldens
	[ -f "$dir/$case.client.h" ] || continue
	mkdir -p "$out/$case/c1" "$out/$case/c2"
	(cd "$top_srcdir" && "$APIC" generate --client c -o "$out/$case/c1" --name "$case" "$schema") ||
		say notok "$case: apic generate --client c failed"
	(cd "$top_srcdir" && TZ=Pacific/Kiritimati LC_ALL=C "$APIC" generate --client c -o "$out/$case/c2" --name "$case" "$schema") ||
		say notok "$case: apic generate --client c failed"
	(cd "$top_srcdir" && "$APIC" generate --client c -o "$out/$case/c3" --name "$case" --depfile "$out/$case/c3.d" "$schema")
	if [ "$(cat "$out/$case/c3.d" 2>/dev/null)" = "$out/$case/c3/$case.client.h $out/$case/c3/$case.client.c: $schema" ]; then
		say ok "$case: the client's depfile names its two files and the schema"
	else
		say notok "$case: the client's depfile: $(cat "$out/$case/c3.d" 2>/dev/null)"
	fi
	(cd "$top_srcdir" && "$APIC" generate --client rust -o "$out/$case/c4" "$schema") 2>"$out/$case/c4.err"
	if [ $? = 2 ] && grep -q "unknown client language 'rust' (ts or c)" "$out/$case/c4.err" && [ ! -e "$out/$case/c4" ]; then
		say ok "$case: --client rust: a usage error, nothing written"
	else
		say notok "$case: --client rust: $(cat "$out/$case/c4.err")"
	fi
	for f in "$case.client.h" "$case.client.c"; do
		[ "${APIC_UPDATE_GOLDEN:-0}" = 1 ] && cp "$out/$case/c1/$f" "$dir/$f"
		if cmp -s "$dir/$f" "$out/$case/c1/$f"; then
			say ok "$case: $f matches the golden file"
		else
			say notok "$case: $f differs from the golden file"
			diff -u "$dir/$f" "$out/$case/c1/$f" | head -40 | sed 's/^/# /'
		fi
		if cmp -s "$out/$case/c1/$f" "$out/$case/c2/$f"; then
			say ok "$case: $f is the same bytes in another directory and time zone"
		else
			say notok "$case: $f differs between two runs"
		fi
	done
done
echo "1..$n"
exit $fail
