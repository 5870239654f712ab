#!/bin/sh
# apic import: the expected schema and warnings of the cases (cases/NAME.yaml
# -> NAME.apic, NAME.err), the same bytes on every run and through -o, the
# layout of apic fmt; the refusals (malformed JSON and YAML with their
# position, Swagger 2.0, a missing file, usage); the round trip of apic's own
# documents (apic openapi, then apic import: the same checked schema, modulo
# the normalisations of normalise.awk, listed there and in docs/openapi.md);
# documents nobody here wrote: the RealWorld spec and @readme/oas-examples
# (3.0 and 3.1) import, check, generate and their C compiles; GitHub's REST
# description imports, checks and generates (its C is not compiled here: too
# slow for the test suite).
: "${top_srcdir:?}" "${top_builddir:?}" "${APIC:?}"
out=$top_builddir/tests/import/work
rm -rf "$out" && mkdir -p "$out" || exit 99
cd "$out" || exit 99
i=0
ok() { i=$((i + 1)); echo "ok $i - $1"; }
nok() { i=$((i + 1)); echo "not ok $i - $1"; [ -f err ] && sed 's/^/# /' err | head -10; }
skip() { i=$((i + 1)); echo "ok $i - $1 # SKIP $2"; }
cases=$top_srcdir/tests/import/cases
norm=$top_srcdir/tests/import/normalise.awk
strip() { sed 's/ @[^ ]*:[0-9]*:[0-9]*//g; s/ @[0-9]*:[0-9]*//g; s/ file=[^ ]*//g' "$1" | awk -f "$norm"; }
cc_flags="-std=c11 -fsyntax-only -I$top_srcdir/runtime -I$top_builddir/runtime $(pkg-config --cflags json-c 2>/dev/null)"
# In CI the documents from npm and ../shared are required; elsewhere their
# absence skips those checks.
missing() { # WHAT
	if [ "${CI:-}" = true ]; then nok "$1 is missing (CI=true: required)"; else skip "$1" "not installed"; fi
}

# ---- the cases ----
for in in "$cases"/*.yaml; do
	name=$(basename "$in" .yaml)
	(cd "$cases" && "$APIC" import "$name.yaml") >"$name.got" 2>"$name.err"
	rc=$?
	if [ "$rc" = 0 ] && cmp -s "$cases/$name.apic" "$name.got"; then
		ok "case $name: the expected schema"
	else
		nok "case $name: exit $rc, schema differs"
		diff "$cases/$name.apic" "$name.got" | sed 's/^/# /' | head -20
	fi
	if cmp -s "$cases/$name.err" "$name.err"; then
		ok "case $name: the expected warnings"
	else
		nok "case $name: warnings differ"
		diff "$cases/$name.err" "$name.err" | sed 's/^/# /' | head -20
	fi
	(cd "$cases" && "$APIC" import -o "$out/$name.o.apic" "$name.yaml") 2>/dev/null
	(cd "$cases" && "$APIC" import "$name.yaml") >"$name.again" 2>/dev/null
	if cmp -s "$name.got" "$name.o.apic" && cmp -s "$name.got" "$name.again"; then
		ok "case $name: -o writes the same bytes, every run"
	else
		nok "case $name: -o or a second run differs"
	fi
	if "$APIC" fmt --check "$name.o.apic" >err 2>&1 && "$APIC" check "$name.o.apic" >/dev/null 2>err; then
		ok "case $name: formatted as apic fmt does, checks"
	else
		nok "case $name: not formatted, or does not check"
	fi
done

# ---- refusals ----
"$APIC" import "$top_srcdir/tests/import/errors/bad.json" >/dev/null 2>err
rc=$?
if [ "$rc" = 1 ] && grep -q '^bad.json:4:13: error: malformed JSON' err; then ok "malformed JSON: exit 1, line and column"; else nok "malformed JSON: exit $rc"; fi
"$APIC" import "$top_srcdir/tests/import/errors/bad.yaml" >/dev/null 2>err
rc=$?
if [ "$rc" = 1 ] && grep -q '^bad.yaml:4:10: error: malformed YAML' err; then ok "malformed YAML: exit 1, line and column"; else nok "malformed YAML: exit $rc"; fi
"$APIC" import "$top_srcdir/tests/import/errors/swagger2.json" >/dev/null 2>err
rc=$?
if [ "$rc" = 1 ] && grep -q 'error: not OpenAPI 3 (Swagger 2.0' err; then ok "Swagger 2.0: exit 1, not OpenAPI 3"; else nok "Swagger 2.0: exit $rc"; fi
printf 'openapi: 2.9\ninfo: {title: x, version: "1"}\n' >v2.yaml
"$APIC" import v2.yaml >/dev/null 2>err
rc=$?
if [ "$rc" = 1 ] && grep -q 'not OpenAPI 3' err; then ok "openapi 2.9: exit 1"; else nok "openapi 2.9: exit $rc"; fi
"$APIC" import nothere.yaml >/dev/null 2>err
rc=$?
if [ "$rc" = 3 ] && grep -q "cannot read 'nothere.yaml'" err; then ok "a missing file: exit 3"; else nok "missing file: exit $rc"; fi
"$APIC" import >/dev/null 2>err
rc1=$?
"$APIC" import a.yaml b.yaml >/dev/null 2>err
rc2=$?
if [ "$rc1" = 2 ] && [ "$rc2" = 2 ]; then ok "no document or two: usage, exit 2"; else nok "usage: exit $rc1 $rc2"; fi

# ---- round trip of apic's own documents ----
for f in schemas/petstore.apic schemas/testapi.apic schemas/conduit.apic examples/chat/chat.apic \
	tests/ast/all.apic tests/bookshop/bookshop.apic; do
	n=$(basename "$f" .apic)
	if ! "$APIC" openapi "$top_srcdir/$f" >"$n.json" 2>err; then nok "$f: apic openapi failed"; continue; fi
	"$APIC" import "$n.json" -o "$n.rt.apic" 2>"$n.warn"
	rc=$?
	"$APIC" check --dump-ast "$top_srcdir/$f" >"$n.d1" 2>/dev/null
	"$APIC" check --dump-ast "$n.rt.apic" >"$n.d2" 2>err
	strip "$n.d1" >"$n.s1"
	strip "$n.d2" >"$n.s2"
	if [ "$rc" = 0 ] && [ ! -s "$n.warn" ] && cmp -s "$n.s1" "$n.s2"; then
		ok "round trip $f: no warning, the same checked schema"
	else
		# Known gap: apic import reads oneOf as AnyObject, not yet as a
		# union, so a schema with unions cannot come back the same (TODO:
		# an expected failure until it does; any other schema must).
		todo=
		grep -q '^union ' "$top_srcdir/$f" && todo=" # TODO oneOf is imported as AnyObject, not as a union"
		nok "round trip $f: exit $rc, $(grep -c warning: "$n.warn") warnings, AST differs$todo"
		diff "$n.s1" "$n.s2" | sed 's/^/# /' | head -20
	fi
done

# ---- documents nobody here wrote ----
compiles() { # NAME.apic: generate, then the C compiles
	dir=${1%.apic}.gen
	mkdir -p "$dir" && "$APIC" generate -q -o "$dir" --name x "$1" 2>err &&
		gcc $cc_flags "$dir/x.c" 2>err
}
shared=${APIC_SHARED_DIR:-$top_srcdir/../shared}
rw=$shared/realworld/openapi.yml
if [ -f "$rw" ]; then
	"$APIC" import "$rw" -o realworld.apic 2>rw.warn
	rc=$?
	if [ "$rc" = 0 ] && "$APIC" check realworld.apic >/dev/null 2>err; then
		ok "RealWorld: imports ($(grep -c warning: rw.warn) warnings), checks"
	else
		nok "RealWorld: exit $rc"
	fi
	if compiles realworld.apic; then ok "RealWorld: generates, the C compiles"; else nok "RealWorld: generate or compile failed"; fi
else
	missing "$rw"
	missing "$rw"
fi

nm=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}
oas=$nm/@readme/oas-examples
if [ -d "$oas/3.0" ]; then
	nimp=0 nbad=0 bad= ncc=0 ccbad=
	for d in "$oas"/3.0 "$oas"/3.1; do
		for f in $(find "$d" -type f \( -name '*.json' -o -name '*.yaml' \) | LC_ALL=C sort); do
			n=$(echo "${f#"$oas"/}" | tr '/' '_')
			n=${n%.*}
			if "$APIC" import "$f" -o "$n.apic" 2>"$n.warn" && "$APIC" check "$n.apic" >/dev/null 2>&1; then
				nimp=$((nimp + 1))
				if compiles "$n.apic"; then ncc=$((ncc + 1)); else ccbad="$ccbad $n"; fi
			else
				nbad=$((nbad + 1))
				bad="$bad $n"
			fi
		done
	done
	if [ "$nbad" = 0 ] && [ "$nimp" -gt 100 ]; then ok "@readme/oas-examples: $nimp 3.x documents import and check"; else nok "oas-examples: $nbad failed:$bad"; fi
	if [ -z "$ccbad" ] && [ "$ncc" = "$nimp" ]; then ok "@readme/oas-examples: the C of all $ncc compiles"; else nok "oas-examples: C does not compile:$ccbad"; fi
else
	missing "@readme/oas-examples"
	missing "@readme/oas-examples"
fi

gh=$nm/@octokit/openapi/generated/api.github.com.json
if [ -f "$gh" ]; then
	"$APIC" import "$gh" -o github.apic 2>gh.warn
	rc=$?
	nw=$(grep -c ': warning: ' gh.warn)
	nops=$(grep -c '^[a-z]* /' github.apic)
	if [ "$rc" = 0 ] && [ "$nops" -gt 1000 ] && mkdir -p github.gen &&
		"$APIC" generate -q -o github.gen --name gh github.apic 2>err; then
		ok "GitHub REST: $nops operations imported ($nw warnings), checks, generates"
	else
		nok "GitHub REST: exit $rc, $nops operations"
	fi
else
	missing "@octokit/openapi"
fi

echo "1..$i"
