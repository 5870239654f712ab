#!/bin/sh
# Declared response headers over HTTP (the server generated from
# schemas/testapi.apic, GET /t/headers?case=N in tests/http/testapi-impl.c):
# how each type is written, an optional one left out, and every value that
# cannot be sent (response splitting, NUL, a missing struct, a non-finite
# number, an unset enum) turning the reply into a 500 without its headers;
# with CORS on, the declared headers are exposed to scripts. The server
# runs with --strict-responses (the 500s for unsendable values are the
# runtime's own and not counted); most replies that can be sent go through
# Prism too, which must find no violation.
b="$top_builddir/tests/http"
log="$b/test-http.d/resp-headers.log"
out="$b/test-http.d/resp-headers.out"
hdr="$b/test-http.d/resp-headers.hdr"
mkdir -p "$b/test-http.d"
. "$top_srcdir/tests/http/server.sh"
start_server "$log" "$b/testapi-server" --cors-origin http://app.example --strict-responses
if [ -z "$port" ]; then
	echo "1..1"
	echo "not ok 1 - generated server starts"
	exit 1
fi
n=0
check() { # DESCRIPTION COMMAND...
	desc=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi
}
# Through Prism (tests/e2e-petstore/prism.sh) when it runs.
. "$top_srcdir/tests/e2e-petstore/prism.sh"
plog="$b/test-http.d/resp-headers.prism.log"
: >"$plog"
curl -s -o "$b/test-http.d/resp-headers.prism.json" "http://127.0.0.1:$port/openapi.json"
prism_state=missing
start_prism "$b/test-http.d/resp-headers.prism.json" "http://127.0.0.1:$port/t" "$plog" && prism_state=started
direct="http://127.0.0.1:$port/t"
via=${prism_url:-$direct}
# Header names in lower case: Prism (node) sends them so.
get() { # CASE [CURL ARGS]: status in $status, headers (CR removed, names in lower case) in $hdr, body in $out
	c=$1; shift
	status=$(curl -s -o "$out" -D - -w '%{http_code}\n' "$@" "$base/headers?case=$c" |
		tr -d '\r' | awk 'BEGIN { FS = OFS = ": " } { $1 = tolower($1); print }' | tee "$hdr" | tail -n 1)
}
has() { # LINE: the header line is there, exactly but for the name's case
	want=$(printf '%s\n' "$1" | awk 'BEGIN { FS = OFS = ": " } { $1 = tolower($1); print }')
	grep -qxF "$want" "$hdr" || { echo "# no '$1' in:"; sed 's/^/#   /' "$hdr"; return 1; }
}
hasnt() { # NAME: no such header
	! grep -qi "^$1:" "$hdr" || { echo "# '$1' present:"; sed 's/^/#   /' "$hdr"; return 1; }
}
body() { # EXPECTED
	[ "$(cat "$out")" = "$1" ] || { echo "# body: $(cat "$out")"; return 1; }
}

# Case 0 goes to the server directly: Prism 5.14.2 (@stoplight/http-spec)
# clamps every `format: int64` schema to +-Number.MAX_SAFE_INTEGER
# (2^53 - 1), so it refuses X-Count: 9223372036854775807, which the
# document (int64, maximum 9223372036854775807) allows.
base=$direct
get 0
check "every header: 200" test "$status" = 200
check "int64: INT64_MAX in decimal" has "X-Count: 9223372036854775807"
check "number: the shortest text that reads back" has "X-Ratio: 0.1"
check "bool: false" has "X-Flag: false"
check "enum: the member's name" has "X-Level: veryHigh"
check "string: as given" has "X-Note: hello, world"
check "the body is sent too" body '{"n":1}'
check "a header set with apic_ctx_set_header goes along" has "X-Undeclared: kept"

base=$via
get 1
check "optional headers left out: 200" test "$status" = 200
check "the required one: -7" has "X-Count: -7"
check "no X-Ratio" hasnt X-Ratio
check "no X-Note" hasnt X-Note

base=$direct
for c in 2 3 4 5 6 8; do
	get $c
	case $c in
	2) what="CR LF in a string (response splitting)" ;;
	3) what="headers NULL while one is required" ;;
	4) what="an infinite number" ;;
	5) what="an enum never set" ;;
	6) what="a NUL in a string" ;;
	8) what="an ESC in a string" ;;
	esac
	check "$what: 500" test "$status" = 500
	check "$what: no injected or declared header" sh -c "! grep -qiE '^(X-Evil|X-Count|X-Note|X-Undeclared):' '$hdr'"
	check "$what: the error body" grep -q '"detail":"the response could not be written"' "$out"
done

base=$via
get 9
check "a tab inside a value is sent" has "$(printf 'X-Note: tab\there')"
check "apic_ctx_set_header: a tab too" has "$(printf 'X-Tab: a\tb')"
check "apic_ctx_set_header refuses CR, LF, other controls, DEL, a bad name, Content-Length" body '{"n":6}'

base=$direct # Prism has CORS of its own
get 1 -H 'Origin: http://app.example'
check "CORS: a script may read every declared header (and X-Request-Id)" \
	has "Access-Control-Expose-Headers: Retry-After, X-Count, X-Flag, X-Level, X-Note, X-Ratio, X-Request-Id"

base=$via
get 7
check "a declared error response with its header: 429" test "$status" = 429
check "Retry-After: 30" has "Retry-After: 30"
check "with the handler's detail" grep -q '"detail":"try again later"' "$out"

if [ -n "$prism_url" ]; then
	stop_prism
	v=$(prism_violations "$plog")
	check "Prism found no violation in cases 1, 7 and 9" test -z "$v"
	[ -z "$v" ] || printf '%s\n' "$v" | sed 's/^/# /'
elif [ "$prism_state" = started ]; then
	n=$((n + 1))
	echo "not ok $n - Prism starts: $(tail -n 3 "$plog")"
else
	n=$((n + 1))
	prism_missing "$n"
fi
kill "$pid" && wait "$pid"
check "no reply broke the document (no strict-responses line in the log)" sh -c "! grep 'strict-responses:' '$log'"
check "the log names the header that could not be sent" grep -q 'response header X-Note: missing or not sendable' "$log"
check "and the one that was missing" grep -q 'response header X-Count: missing' "$log"

# The generated document lists them.
check "the document: required, typed, described" sh -c "jq -ce '.paths[\"/headers\"].get.responses[\"200\"].headers[\"X-Count\"] == {description: \"Always sent.\", required: true, schema: {type: \"integer\", format: \"int64\", minimum: -9223372036854775807, maximum: 9223372036854775807}, example: -7}' '$b/gen/testapi.openapi.json' >/dev/null"
check "the document: the 429's Retry-After" sh -c "jq -e '.paths[\"/headers\"].get.responses[\"429\"].headers[\"Retry-After\"].schema.minimum == 0' '$b/gen/testapi.openapi.json' >/dev/null"
echo "1..$n"
