#!/bin/sh
# The RealWorld spec (../shared/realworld/openapi.yml) through apic import,
# generated and compiled with the Conduit example's handlers
# (examples/conduit/*.c), then the RealWorld Postman collection against that
# server (tests/conduit/newman.sh). The spec leaves one schema unnamed (the
# items of MultipleArticlesResponse.articles), which the import names
# MultipleArticlesResponseArticlesItem; the handlers know it by the name
# schemas/conduit.apic gives it, ArticleListItem, so that one name is
# changed before generating. Everything else is the import's.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
rw=${APIC_SHARED_DIR:-$top_srcdir/../shared}/realworld/openapi.yml
if [ ! -f "$rw" ]; then
	echo "1..0 # SKIP $rw is missing (../shared beside the repository, or APIC_SHARED_DIR)"
	exit 0
fi
dir=$top_builddir/tests/import/conduit
rm -rf "$dir" && mkdir -p "$dir" || exit 99
fail() { echo "1..1"; echo "not ok 1 - $1"; sed 's/^/# /' "$dir/err" | head -30; exit 1; }
"$APIC" import "$rw" -o "$dir/conduit.apic" 2>"$dir/err" || fail "apic import failed"
sed 's/\bMultipleArticlesResponseArticlesItem\b/ArticleListItem/g' "$dir/conduit.apic" >"$dir/c.apic" &&
	mv "$dir/c.apic" "$dir/conduit.apic"
"$APIC" generate -q --name conduit -o "$dir" "$dir/conduit.apic" 2>"$dir/err" || fail "apic generate failed"
cflags="-std=c11 -D_GNU_SOURCE -I$dir -I$top_srcdir/runtime -I$top_builddir/runtime -I$top_srcdir/examples/conduit"
cflags="$cflags ${CG_JSONC_CFLAGS:-$(pkg-config --cflags json-c)} $(pkg-config --cflags sqlite3 libsodium libpq)"
objs=
for f in "$top_srcdir"/examples/conduit/*.c "$dir/conduit.c"; do
	o=$dir/$(basename "$f" .c).o
	# shellcheck disable=SC2086
	${CG_CC:-cc} $cflags ${CG_SAN_FLAGS:-} -c "$f" -o "$o" 2>"$dir/err" ||
		fail "$(basename "$f") does not compile against the imported schema's code"
	objs="$objs $o"
done
# shellcheck disable=SC2086
"$top_builddir/libtool" --quiet --mode=link ${CG_CC:-cc} ${CG_SAN_FLAGS:-} -o "$dir/conduit" $objs \
	"$top_builddir/runtime/libapic.la" $(pkg-config --libs sqlite3 libsodium libpq) ${CG_LIBS:-} 2>"$dir/err" ||
	fail "the Conduit handlers do not link with the imported schema's code"
CONDUIT_BIN=$dir/conduit
export CONDUIT_BIN
exec bash "$top_srcdir/tests/conduit/newman.sh"
