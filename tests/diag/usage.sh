#!/bin/sh
# The command line: help, version, usage errors (2), I/O errors (3), exit
# status with several files, and no output files after schema errors.
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
out=$top_builddir/tests/diag/usage
rm -rf "$out" && mkdir -p "$out" || exit 99
cd "$out" || exit 99
i=0
ok() { i=$((i + 1)); echo "ok $i - $1"; }
nok() { i=$((i + 1)); echo "not ok $i - $1"; sed 's/^/# /' err | head -10; }
# expect STATUS NAME CMD...: exit status must match
expect() {
	want=$1 name=$2
	shift 2
	"$@" >stdout 2>err
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$name (exit $rc)"; else nok "$name: exit $rc, expected $want"; fi
}
# same_err NAME TEXT: stderr must be exactly TEXT
same_err() {
	printf '%s\n' "$2" >want
	if cmp -s want err; then ok "$1"; else nok "$1: stderr differs"; diff want err | sed 's/^/# /'; fi
}
echo "1..49"
good=$top_srcdir/schemas/petstore.apic
printf 'service "x" version "1" {}\nmodel M { a: strin }\n' >bad.apic

expect 0 "--help" "$APIC" --help
if head -1 stdout | grep -q '^usage: apic '; then ok "--help prints usage on stdout"; else nok "--help text"; fi
expect 0 "--version" "$APIC" --version
if grep -qx 'apic [0-9][0-9.]*' stdout; then ok "--version prints 'apic VERSION'"; else nok "--version text"; fi
expect 2 "no command" "$APIC"
same_err "no command message" "apic: no command given
Try 'apic --help'."
expect 2 "unknown command" "$APIC" frobnicate
expect 2 "unknown option" "$APIC" --frob check "$good"
expect 2 "check without a schema" "$APIC" check
expect 2 "bad --diagnostics-format" "$APIC" --diagnostics-format=xml check "$good"
expect 2 "bad --color" "$APIC" --color=sometimes check "$good"
expect 2 "openapi with two schemas" "$APIC" openapi "$good" "$good"
expect 2 "--dump-ast outside check" "$APIC" openapi --dump-ast "$good"
expect 2 "asyncapi with two schemas" "$APIC" asyncapi "$good" "$good"
expect 2 "asyncapi without a schema" "$APIC" asyncapi
expect 3 "missing file" "$APIC" check missing.apic
same_err "missing file message" "apic: error: cannot read 'missing.apic': No such file or directory"
expect 3 "directory" "$APIC" check .
same_err "directory message" "apic: error: cannot read '.': Is a directory"
# 100 MB, sparse: refused by size before it is read
truncate -s 100M huge.apic 2>/dev/null || dd if=/dev/zero of=huge.apic bs=1 count=0 seek=100M 2>/dev/null
expect 3 "100 MB file" "$APIC" check huge.apic
same_err "100 MB file message" "apic: error: cannot read 'huge.apic': file too large (the limit is 32 MiB)"
rm -f huge.apic
expect 0 "good schema" "$APIC" check "$good"
expect 1 "bad schema" "$APIC" check bad.apic
expect 1 "good and bad schema: the worst status" "$APIC" check "$good" bad.apic
# asyncapi: the same front end, so the same diagnostics and status as openapi
"$APIC" openapi bad.apic 2>openapi.err
expect 1 "asyncapi with schema errors" "$APIC" asyncapi bad.apic
if [ -s err ] && cmp -s openapi.err err && [ ! -s stdout ]; then
	ok "asyncapi: the diagnostics of openapi, no document"
else
	nok "asyncapi diagnostics differ from openapi's"
fi
expect 3 "asyncapi -o in a missing directory" "$APIC" asyncapi "$good" -o no/such/dir.json
expect 3 "bad and missing schema: the worst status" "$APIC" check bad.apic missing.apic
mkdir gen
expect 1 "generate with schema errors" "$APIC" generate -o gen bad.apic
if [ -z "$(ls gen)" ]; then ok "no output file after schema errors"; else nok "generate wrote files"; fi
NO_COLOR= expect 1 "--color=always" "$APIC" --color=always check bad.apic
if grep -q "$(printf '\033')\[" err; then ok "--color=always colours"; else nok "no colour with --color=always"; fi
# -o naming a FIFO (like /dev/stdout or /dev/null): written in place, never
# replaced by a regular file through the temp-file-and-rename path
mkfifo pipe.json
cat pipe.json >from-pipe.json &
expect 0 "openapi -o FIFO" "$APIC" openapi "$good" -o pipe.json
wait
if [ -p pipe.json ]; then ok "the FIFO is still a FIFO"; else nok "the FIFO was replaced"; fi
if "$APIC" openapi "$good" | cmp -s - from-pipe.json; then ok "the document went through the FIFO"; else nok "FIFO content differs"; fi
# generate --client ts|c: only with generate, not
# with the C code's options; after schema errors nothing is written
expect 2 "--client with another language" "$APIC" generate --client js "$good"
same_err "--client js message" "apic: unknown client language 'js' (ts or c)
Try 'apic --help'."
expect 2 "--client outside generate" "$APIC" openapi --client ts "$good"
expect 2 "--client with --no-main" "$APIC" generate --client ts --no-main "$good"
expect 2 "--client with --unit-ops" "$APIC" generate --client ts --unit-ops 5 "$good"
expect 1 "--client ts with schema errors" "$APIC" generate --client ts -o gen bad.apic
if [ -z "$(ls gen)" ]; then ok "no client after schema errors"; else nok "generate --client wrote files"; fi
expect 0 "generate --client ts" "$APIC" generate --client ts -o gen --name pets "$good"
if [ "$(ls gen)" = pets.client.ts ]; then ok "only NAME.client.ts is written"; else nok "wrote: $(ls gen)"; fi
# unions: every generator takes them (the C code lays them out as tagged
# structs, the TypeScript client as union types)
uni=$top_srcdir/tests/openapi/unions.apic
expect 0 "generate takes a union" "$APIC" generate -o genu "$uni"
if [ -f genu/unions.h ] && grep -q "struct unions_payment {" genu/unions.h; then
	ok "the union laid out in NAME.h"; else nok "generate with a union"; fi
expect 0 "generate --client c takes a union" "$APIC" generate --client c -o genu "$uni"
expect 0 "stubs takes a union" "$APIC" stubs "$uni"
expect 0 "generate --client ts takes a union" "$APIC" generate --client ts -o genu "$uni"
