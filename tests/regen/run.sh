#!/bin/sh
# Regeneration keeps user code: generate, edit a handler, add an endpoint to
# the schema, regenerate. The handler file is untouched, apic names the new
# handler (and is silent with -q), the program builds, the edited handler
# answers and the new endpoint answers 501 through its weak default.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
out=$(mktemp -d "${TMPDIR:-/tmp}/apic-regen.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
n=0
fail=0
say() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
cd "$out" || exit 1

cat >regen.apic <<'SCHEMA'
service "Regen" version "1" { }
model Thing { n: int32 }
get /a {
    operation getA
    -> 200 Thing
}
SCHEMA
"$APIC" generate regen.apic 2>err1
if [ $? -eq 0 ] && [ -f regen_handlers.c ] && [ ! -s err1 ]; then
	say ok "first generation writes the handler file quietly"
else
	say notok "first generation"
	sed 's/^/# /' err1
fi

# the user's edit: getA answers 200 {"n":42}
sed -i '0,/return apic_reply_not_implemented(ctx);/s//{ struct regen_thing t = { 42 }; return regen_get_a__reply_200(ctx, \&t); }/' regen_handlers.c
cp regen_handlers.c edited.c

cat >>regen.apic <<'SCHEMA'
get /b {
    operation getB
    -> 200 Thing
}
SCHEMA
"$APIC" generate regen.apic 2>err2
if cmp -s regen_handlers.c edited.c; then
	say ok "regeneration leaves the handler file alone"
else
	say notok "regeneration changed the handler file"
fi
if [ "$(cat err2)" = "apic: new handler regen_get_b (\`apic stubs --append\` adds its stub to regen_handlers.c)" ]; then
	say ok "apic names the new handler"
else
	say notok "apic names the new handler"
	sed 's/^/# /' err2
fi
"$APIC" generate -q regen.apic 2>err3
if [ ! -s err3 ]; then say ok "-q is quiet"; else say notok "-q is quiet"; sed 's/^/# /' err3; fi
grep -q 'int regen_get_b(struct apic_ctx \*ctx, const struct regen_get_b__params \*in);' regen.h &&
	say ok "the header declares the new handler" || say notok "the header declares the new handler"

cat >driver.c <<'DRIVER'
#include "regen.h"
#include "apic_test.h"
#include <stdio.h>
int main(void)
{
	struct apic_tester *t = apic_tester_new(&regen_api);
	const char *paths[] = { "/a", "/b" };
	for (int i = 0; i < 2; i++) {
		struct apic_test_request rq = { "GET", paths[i], NULL, NULL, 0 };
		struct apic_test_response rs = { 0 };
		if (!t || apic_tester_run(t, &rq, &rs) != 0)
			return 1;
		printf("%s %d %s\n", paths[i], rs.status, rs.status == 200 ? rs.body : "");
		apic_test_response_free(&rs);
	}
	apic_tester_free(t);
	return 0;
}
DRIVER
cc=${CG_CC:-cc}
inc="-I$top_srcdir/runtime ${CG_JSONC_CFLAGS:-}"
if $cc -std=c11 -Wall -Wextra -Werror ${CG_SAN_FLAGS:-} $inc -c regen.c -o regen.o 2>err4 &&
   $cc -std=c11 -Wall -Wextra -Werror ${CG_SAN_FLAGS:-} $inc -Dmain=user_main -c regen_handlers.c -o h.o 2>>err4 &&
   $cc -std=c11 -Wall -Wextra -Werror ${CG_SAN_FLAGS:-} $inc -c driver.c -o driver.o 2>>err4 &&
   "$top_builddir/libtool" --quiet --mode=link $cc ${CG_SAN_FLAGS:-} -o driver driver.o regen.o h.o \
	"$top_builddir/runtime/libapic.la" ${CG_LIBS:-} 2>>err4; then
	say ok "the regenerated program builds"
else
	say notok "the regenerated program builds"
	head -30 err4 | sed 's/^/# /'
fi
got=$(./driver 2>&1)
want='/a 200 {"n":42}
/b 501 '
if [ "$got" = "$want" ]; then
	say ok "the edited handler answers and the new endpoint answers 501"
else
	say notok "the edited handler answers and the new endpoint answers 501"
	printf '%s\n' "$got" | sed 's/^/# /'
fi
# --depfile, and -o creating its directory
cat >common.apic <<'SCHEMA'
model Extra { s: string }
SCHEMA
sed -i '1i import "common.apic"' regen.apic
if "$APIC" generate -q -o out/gen --depfile out/regen.d regen.apic &&
   [ "$(cat out/regen.d)" = "out/gen/regen.h out/gen/regen.c out/gen/regen.openapi.json out/gen/regen.mk: regen.apic common.apic" ]; then
	say ok "--depfile lists the outputs, the schema and its imports; -o creates its directory"
else
	say notok "--depfile lists the outputs, the schema and its imports"
	cat out/regen.d 2>&1 | sed 's/^/# /'
fi
# `apic stubs` spells members as `generate` does, moved ones included
# (a query `tagsCount` next to `tags: [string]` is in->tags_count_)
cat >moved.apic <<'SCHEMA'
service "Moved" version "1" { }
get /items {
    operation listItems
    query tags?: [string]
    query tagsCount?: int32
    -> 200 [string]
}
SCHEMA
if "$APIC" generate -q -o moved moved.apic && "$APIC" stubs moved.apic >stubs.c 2>err5 &&
   grep -q 'in->tags_count_  int32_t' stubs.c && grep -q 'in->tags_count_  int32_t' moved/moved_handlers.c; then
	say ok "apic stubs names a moved member as generate does"
else
	say notok "apic stubs names a moved member as generate does"
	grep -h 'tags' stubs.c err5 | sed 's/^/# /'
fi
echo "1..$n"
exit $fail
