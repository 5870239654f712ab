#!/bin/sh
# TAP: every generated file's banner names the schema as given on the command
# line, never an absolute path: the server code, the C and TypeScript
# clients, the OpenAPI and AsyncAPI documents and the stubs of
# schemas/petstore.apic, generated with the same relative path from two
# directories, are the same bytes; through ../ they differ only in the
# banner's path; no file names the directory they were generated in.
set -u
out=tests/golden/banner.out
rm -rf "$out" && mkdir -p "$out/a/sub" "$out/b" || exit 1
out=$(cd "$out" && pwd)
for d in a b; do
	mkdir -p "$out/$d/schemas" && cp "$top_srcdir/schemas/petstore.apic" "$out/$d/schemas/" || exit 1
done
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

# gen DIR SCHEMA OUT: every emitter's files of SCHEMA, run in DIR
gen() {
	(cd "$1" && "$APIC" generate -q -o "$3/server" "$2" &&
		"$APIC" generate --client ts -o "$3/ts" "$2" &&
		"$APIC" generate --client c -o "$3/c" "$2" &&
		"$APIC" openapi "$2" -o "$3/openapi.json" &&
		"$APIC" asyncapi "$2" -o "$3/asyncapi.json" &&
		"$APIC" stubs "$2" >"$3/stubs.c") >"$3.log" 2>&1
}

echo "1..5"
for run in "a schemas/petstore.apic one" "b schemas/petstore.apic two" "a/sub ../schemas/petstore.apic up"; do
	set -- $run
	if gen "$out/$1" "$2" "$out/$3"; then
		ok "generate $2 in $1"
	else
		nok "generate $2 in $1"
		sed 's/^/# /' "$out/$3.log"
	fi
done
if diff -r "$out/one" "$out/two" >"$out/diff" 2>&1; then
	ok "the same relative path from two directories gives the same bytes"
else
	nok "the same relative path from two directories gives the same bytes"
	head -n 20 "$out/diff" | sed 's/^/# /'
fi
# through ../: the same files once the banner's path is put back
bad=
for f in $(cd "$out/one" && find . -type f | LC_ALL=C sort); do
	if grep -q -F "$out" "$out/up/$f"; then
		bad="$bad $f(absolute)"
	elif ! sed 's| \.\./schemas/petstore\.apic| schemas/petstore.apic|' "$out/up/$f" | cmp -s - "$out/one/$f"; then
		bad="$bad $f"
	elif cmp -s "$out/up/$f" "$out/one/$f" && grep -q -F 'schemas/petstore.apic' "$out/one/$f"; then
		bad="$bad $f(no ../)"
	fi
done
if [ -z "$bad" ]; then
	ok "through ../ the banners name ../schemas/petstore.apic and nothing else differs"
else
	nok "through ../ the banners name ../schemas/petstore.apic and nothing else differs:$bad"
fi
exit $fail
