#!/bin/sh
# The test API generated in translation units (--unit-ops 2: NAME.c and
# NAME_opsK.c files, as a big API gets them) against the same API in one
# NAME.c (the build's tests/http/testapi-server): both compile with -Werror
# -Wmissing-prototypes, link with the same handlers, and answer a set of
# valid and invalid requests with the same status and the same body, byte
# for byte. Then the split itself: NAME.mk lists the units, each holds 1
# or 2 operations, generating twice gives the same bytes, and --unit-ops 0
# removes the units a bigger split left.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
APIC=${APIC:-$top_builddir/apic}
b="$top_builddir/tests/http"
w=$(mktemp -d "${TMPDIR:-/tmp}/apic-units.XXXXXX") || exit 1
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$w"' EXIT
n=0
fail=0
say() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

schema="$top_srcdir/schemas/testapi.apic"
gen="$w/gen"
"$APIC" generate -q --unit-ops 2 -o "$gen" --name testapi "$schema" 2>"$w/err" ||
	{ sed 's/^/# /' "$w/err"; say notok "apic generate --unit-ops 2"; echo "1..$n"; exit 1; }
srcs=$(sed -n 's/^testapi_C_SOURCES = //p' "$gen/testapi.mk")
units=$(ls "$gen" | grep -c '^testapi_ops[0-9]*\.c$')
[ "$units" -ge 2 ] && [ "$srcs" = "testapi.c$(i=1; while [ $i -le "$units" ]; do printf ' testapi_ops%d.c' $i; i=$((i + 1)); done)" ] &&
	say ok "NAME.mk lists NAME.c and the $units units apic wrote" ||
	say notok "NAME.mk lists NAME.c and the units (got '$srcs', $units units)"

# At most 2 operations a unit.
ok=1
for f in "$gen"/testapi_ops*.c; do
	ops=$(grep -c '^#pragma weak testapi_[a-z0-9_]*$' "$f")
	[ "$ops" -ge 1 ] && [ "$ops" -le 2 ] || { echo "# $f: $ops operations"; ok=0; }
done
[ $ok = 1 ] && say ok "each unit holds 1 or 2 operations" || say notok "each unit holds 1 or 2 operations"

# Every C file compiles as the project's own code must.
flags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wredundant-decls"
inc="-I$top_srcdir/runtime -I$gen ${CG_JSONC_CFLAGS:-}"
objs=
ok=1
for s in $srcs; do
	${CG_CC:-cc} $flags $inc ${CG_SAN_FLAGS:-} -c "$gen/$s" -o "$w/${s%.c}.o" 2>>"$w/cc.err" || ok=0
	objs="$objs $w/${s%.c}.o"
done
${CG_CC:-cc} -std=c11 -D_GNU_SOURCE $inc ${CG_SAN_FLAGS:-} -c "$top_srcdir/tests/http/testapi-impl.c" -o "$w/impl.o" 2>>"$w/cc.err" || ok=0
[ $ok = 1 ] && say ok "every unit compiles with -Werror -Wmissing-prototypes -Wredundant-decls" ||
	{ head -20 "$w/cc.err" | sed 's/^/# /'; say notok "the units compile"; }
if "$top_builddir/libtool" --quiet --mode=link ${CG_CC:-cc} ${CG_SAN_FLAGS:-} -o "$w/server" \
	$objs "$w/impl.o" "$top_builddir/runtime/libapic.la" ${CG_LIBS:-} 2>"$w/ld.err"; then
	say ok "the units link with libapic into a server"
else
	head -20 "$w/ld.err" | sed 's/^/# /'
	say notok "the units link with libapic"
	echo "1..$n"
	exit 1
fi

start() { # LOG COMMAND...: sets $port
	log=$1; shift
	"$@" --port 0 --threads 2 --strict-responses >"$log" 2>&1 &
	pids="$pids $!"
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$log")
		[ -n "$port" ] && break
		sleep 0.1
	done
}
start "$w/one.log" "$b/testapi-server"
one=$port
start "$w/split.log" "$w/server"
split=$port
[ -n "$one" ] && [ -n "$split" ] && say ok "both servers start" ||
	{ say notok "both servers start"; cat "$w/one.log" "$w/split.log" | sed 's/^/# /'; echo "1..$n"; exit 1; }

J='Content-Type: application/json'
big=$(head -c 70000 /dev/zero | tr '\0' a)
same() { # DESCRIPTION CURL-ARGS... with PATH as the last
	desc=$1; shift
	a=$(curl -s -w '\n%{http_code} %{content_type}' "$@" -- "http://127.0.0.1:$one$path" 2>&1)
	c=$(curl -s -w '\n%{http_code} %{content_type}' "$@" -- "http://127.0.0.1:$split$path" 2>&1)
	if [ "$a" = "$c" ] && [ -n "$a" ]; then
		say ok "same answer: $desc"
	else
		say notok "same answer: $desc"
		printf '%s\n---\n%s\n' "$a" "$c" | head -c 1200 | sed 's/^/# /'
	fi
}
path=/t/items/7/green?limit=13 same "path and query parameters"
path='/t/items/0/purple?limit=500' same "parameter violations"
path='/t/items/7/green?limit=1%zz' same "a malformed escape"
path='/t/items/%00/green' same "NUL in a path parameter"
path=/t/items/404/red same "a declared 404"
path=/t/items/409 same "DELETE 409" -X DELETE
path=/t/items/7 same "405" -X PUT
path=/t/scalars same "a valid body" -H "$J" -d '{"i32":-5,"s":"abcd","color":"blue"}'
path=/t/scalars same "body violations" -H "$J" -d '{"i32":6,"s":"x","zzz":1}'
path=/t/scalars same "a missing body" -H "$J" -X POST
path=/t/scalars same "malformed JSON" -H "$J" -d '{"i32":01}'
path=/t/scalars same "415" -H 'Content-Type: text/plain' -d '{"i32":1}'
path=/t/loose same "413" -H "$J" -d "{\"known\":\"$big\"}"
path=/t/modifiers same "readonly, writeonly, nullable, nested" -H "$J" -d '{"name":"a","secret":"s","nick":null,"inner":{"n":1}}'
path=/t/modifiers same "a readonly field sent" -H "$J" -d '{"id":1,"name":"a"}'
path=/t/secure same "401"
path=/t/secure same "bearer" -H 'Authorization: Bearer good'
path='/t/keyed?api_key=good' same "API key"
path=/t/login same "basic" -u alice:pw
path=/t/headers?case=%00 same "NUL in a query parameter"
for id in 600 601 602 603 604 605; do
	path=/t/items/$id/red same "strict responses, handler $id"
done
path=/openapi.json same "the document"

# Generating again writes the same bytes.
"$APIC" generate -q --unit-ops 2 -o "$w/again" --name testapi "$schema" 2>/dev/null
diff -r -x testapi_handlers.c "$gen" "$w/again" >/dev/null 2>&1 &&
	say ok "generating again gives the same files" || say notok "generating again gives the same files"
# One NAME.c again: the units go.
"$APIC" generate -q --unit-ops 0 -o "$w/again" --name testapi "$schema" 2>/dev/null
if ! ls "$w/again" | grep -q '_ops' && [ "$(sed -n 's/^testapi_C_SOURCES = //p' "$w/again/testapi.mk")" = testapi.c ]; then
	say ok "--unit-ops 0 removes the units and lists NAME.c alone"
else
	say notok "--unit-ops 0 removes the units and lists NAME.c alone"
fi
echo "1..$n"
exit $fail
