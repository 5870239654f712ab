#!/usr/bin/env bash
# The bookshop (tests/bookshop/), a project laid out as `apic new` makes it,
# built as its user builds it: against apic and libapic installed with
# `make install DESTDIR=...`, found through PATH and pkg-config, with the
# compiler, warning and sanitizer flags of this tree. Then `make check` (its
# in-process tests), the server on loopback with curl, an operation added
# to the schema (`apic stubs --append`) and one renamed (`make` warns at the
# stale handler, `apic generate --strict` fails). TAP.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
: "${top_srcdir:?}" "${top_builddir:?}"
src=$top_srcdir/tests/bookshop

tap_n=0
tap_failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"; shift
	for line in "$@"; do printf '%s\n' "$line" | sed 's/^/#   /'; done
}
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:      $1" "expected: $2"; fi; }
like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3" "got:      $1" "expected to match: $2"; fi
}
bail() { echo "Bail out! $*"; exit 1; }

# Scratch space in the build tree, kept when a test failed.
mkdir -p "$top_builddir/tests/bookshop" || bail "mkdir"
tmp=$(mktemp -d "$top_builddir/tests/bookshop/scratch.XXXXXX") || bail "mktemp"
: >"$tmp/server.log"
server_pid=
stop_server() {
	server_status=
	[ -n "$server_pid" ] || return 0
	kill -TERM "$server_pid" 2>/dev/null
	wait "$server_pid"
	server_status=$?
	server_pid=
}
cleanup() {
	stop_server
	if [ "$tap_failed" -eq 0 ]; then rm -rf "$tmp"; else echo "# kept $tmp"; fi
}
trap cleanup EXIT

# start_server ARGS...: ./bookshop on a port the kernel picks, read from its
# "listening on" line; sets $base and $server_pid.
start_server() {
	local i port= seen
	seen=$(wc -l <"$tmp/server.log")
	"$tmp/bookshop/bookshop" --bind 127.0.0.1 --port 0 --strict-responses "$@" >>"$tmp/server.log" 2>&1 &
	server_pid=$!
	for i in $(seq 400); do
		kill -0 "$server_pid" 2>/dev/null || break
		[ -n "$port" ] || port=$(tail -n +"$((seen + 1))" "$tmp/server.log" |
			sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' | head -n 1)
		base="http://127.0.0.1:$port"
		[ -n "$port" ] && curl -s -o /dev/null --max-time 2 "$base/healthz" && return 0
		sleep 0.05
	done
	stop_server
	sed 's/^/# server: /' "$tmp/server.log"
	bail "the server did not start"
}

# req METHOD PATH [BODY [CURL ARGS...]]: sets $status, $body, $headers.
req() {
	local method=$1 path=$2 data=${3--}
	shift 2; [ $# -gt 0 ] && shift
	local args=(-s -X "$method" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --max-time 10)
	[ "$data" = - ] || args+=(--data-binary "$data" -H 'Content-Type: application/json')
	status=$(curl "${args[@]}" "$@" "$base$path")
	body=$(cat "$tmp/body")
	headers=$(tr -d '\r' <"$tmp/headers")
}
header() { printf '%s\n' "$headers" | sed -n "s/^$1: //Ip" | head -n 1; }

# The staged install, as a packager does it. MAKEFLAGS would tie these
# makes to the jobserver of the `make check` that runs us.
unset MAKEFLAGS MFLAGS MAKELEVEL
dest=$tmp/root
if ! make -s -C "$top_builddir" install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then
	sed 's/^/# /' "$tmp/install.log"
	bail "make install failed"
fi
prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
pcdir=$(dirname "$(find "$dest" -name libapic.pc | head -n 1)")
export PATH="$dest$prefix/bin:$PATH"
export PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$dest
so=$(find "$dest" -name 'libapic.so' | head -n 1)
[ -z "$so" ] || export LD_LIBRARY_PATH=$(dirname "$so")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
is "$(command -v apic)" "$dest$prefix/bin/apic" "the installed apic is on PATH"

# The tree's compiler, flags and warnings (-Werror with --enable-werror):
# an ASan-instrumented libapic links only with the same sanitizer flags.
mkvar() { sed -n "s/^$1 = //p" "$top_builddir/Makefile"; }
cc=$(mkvar CC)
cflags="$(mkvar CFLAGS) $(mkvar APIC_WARN_CFLAGS) $(mkvar APIC_SAN_FLAGS)"
mk() { make -C "$tmp/bookshop" CC="$cc" CFLAGS="$cflags" LDFLAGS="$(mkvar APIC_SAN_FLAGS)" "$@"; }

mkdir "$tmp/bookshop" || bail "mkdir"
for f in .gitignore Makefile README.md app.c app.h bookshop.apic bookshop_handlers.c main.c \
	store.c store.h test_bookshop.c; do
	cp "$src/$f" "$tmp/bookshop/" || bail "copy $f"
done
chmod -R u+w "$tmp/bookshop" # a distcheck source tree is read-only

if mk >"$tmp/make1.log" 2>&1; then ok "make builds the bookshop"; else
	not_ok "make builds the bookshop" "$(tail -n 30 "$tmp/make1.log")"; fi
like "$(cat "$tmp/make1.log")" 'apic generate --no-main --name bookshop' "through apic generate"
is "$(grep -ci 'warning' "$tmp/make1.log")" 0 "without a warning"
is "$(cd "$tmp/bookshop" && apic stubs --no-main --name bookshop bookshop.apic 2>&1 | wc -c)" 0 \
	"every operation has its handler (apic stubs prints none)"

if mk check >"$tmp/check.log" 2>&1; then ok "make check passes"; else
	not_ok "make check passes" "$(grep -v '^ok' "$tmp/check.log" | tail -n 30)"; fi
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tmp/check.log")
is "$(grep -c '^ok' "$tmp/check.log") $(grep -c '^not ok' "$tmp/check.log")" "${plan:-none} 0" \
	"test_bookshop: all ${plan:-?} of its tests ran and passed"

start_server --api-key sesame --threads 4
req POST /v1/authors '{"name":"Ursula K. Le Guin"}'
is "$status" 401 "POST /v1/authors without X-Api-Key: 401"
req POST /v1/authors '{"name":"Ursula K. Le Guin"}' -H 'X-Api-Key: nope'
is "$status" 401 "with another key: 401"
req POST /v1/authors '{"name":"Ursula K. Le Guin"}' -H 'X-Api-Key: sesame'
is "$status $body" '201 {"id":1,"name":"Ursula K. Le Guin"}' "with the server's key (--api-key): 201"
where=$(header Location)
is "$where" /v1/authors/1 "Location: /v1/authors/1"
req POST "$where/books" '{"title":"Lavinia","genre":"fiction","price":{"amount":900}}' -H 'X-Api-Key: sesame'
is "$status $(header Location)" "201 /v1/authors/1/books/1" "a book of that author: 201 and its Location"
req GET "$where/books?genre=fiction&maxPrice=1000"
is "$status $(header X-Total-Count) $body" \
	'200 1 [{"id":1,"authorId":1,"title":"Lavinia","genre":"fiction","price":{"amount":900,"currency":"EUR"},"tags":[]}]' \
	"GET its books, filtered: 200, X-Total-Count 1"
req GET "$where/books?genre=novel&limit=500"
is "$status $(printf '%s' "$body" | jq -c '[.errors[].code]')" '422 ["above_maximum","not_in_enum"]' \
	"bad filters: 422 with both violations"
req GET /v1/authors/1/books/7
is "$status" 404 "an unknown book: 404"
# The store's lock: 4 clients at once, each adding books and reading
# the list between its writes.
pids=()
for w in 1 2 3 4; do
	for i in $(seq 25); do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -X POST -H 'X-Api-Key: sesame' \
			-H 'Content-Type: application/json' "$base$where/books" \
			--data-binary "{\"title\":\"w$w-$i\",\"genre\":\"poetry\",\"price\":{\"amount\":$i}}"
		curl -s -o /dev/null --max-time 10 "$base$where/books?limit=100"
	done >"$tmp/client$w.out" &
	pids+=($!)
done
wait "${pids[@]}"
is "$(cat "$tmp"/client*.out | sort | uniq -c | awk '{ print $1, $2 }')" "100 201" \
	"4 concurrent clients added 25 books each: 201 every time"
req GET "$where/books?genre=poetry&limit=100"
is "$(header X-Total-Count) $(printf '%s' "$body" | jq '[.[].id] | unique | length')" "100 100" \
	"the list has all 100, each with its own id"
req GET /openapi.json
is "$(printf '%s' "$body" | jq -cS '.components.securitySchemes.ApiKey | {type, in, name}')" \
	'{"in":"header","name":"X-Api-Key","type":"apiKey"}' "the document declares the X-Api-Key scheme"
stop_server
is "$server_status" 0 "the server stops on SIGTERM (exit 0)"
is "$(grep -c 'strict-responses:' "$tmp/server.log")" 0 "its replies matched its document (--strict-responses)"

# A new operation: `apic stubs --append` adds its stub, and only its, at
# the end of the handlers file; the rest stays as it was, byte for byte.
cp "$tmp/bookshop/bookshop_handlers.c" "$tmp/handlers.before"
sleep 1 # a new mtime for make, even on coarse file systems
cat >>"$tmp/bookshop/bookshop.apic" <<'APIC'

/// Find books by title, across authors.
get /books {
    operation searchBooks
    query q: string (len 1..100)
    -> 200 [Book]
}
APIC
(cd "$tmp/bookshop" && apic stubs --no-main --name bookshop --append bookshop.apic >"$tmp/stubs.out" 2>&1)
is "$?" 0 "apic stubs --no-main --name bookshop --append"
is "$(head -c "$(wc -c <"$tmp/handlers.before")" "$tmp/bookshop/bookshop_handlers.c" |
	cmp - "$tmp/handlers.before" >/dev/null && echo same)" same "the handlers written so far are untouched"
is "$(tail -c +"$(($(wc -c <"$tmp/handlers.before") + 1))" "$tmp/bookshop/bookshop_handlers.c" |
	sed -n 's/^int \(bookshop_[a-z_]*\)(.*/\1/p' | tr '\n' ' ')" "bookshop_search_books " \
	"the one stub appended is the new operation's"
if mk >"$tmp/make2.log" 2>&1; then ok "the project builds with it"; else
	not_ok "the project builds with it" "$(tail -n 30 "$tmp/make2.log")"; fi
like "$(cat "$tmp/make2.log")" 'apic generate' "make regenerated the code"
start_server --api-key sesame
req GET '/v1/books?q=Lavinia'
is "$status" 501 "the new stub answers 501 until it is written"
stop_server

# A renamed operation: --strict refuses to generate, writing nothing; make
# (apic generate) warns at the old handler's line with the new name.
line=$(grep -n '^int bookshop_get_book(' "$tmp/bookshop/bookshop_handlers.c" | cut -d: -f1)
cp "$tmp/bookshop/bookshop.apic" "$tmp/bookshop.apic.before"
cp "$tmp/bookshop/bookshop.h" "$tmp/bookshop.h.before"
sleep 1
sed -i 's/^    operation getBook$/    operation fetchBook/' "$tmp/bookshop/bookshop.apic"
(cd "$tmp/bookshop" && apic generate --strict --no-main --name bookshop bookshop.apic >/dev/null 2>"$tmp/strict.err")
is "$?" 1 "apic generate --strict fails on the stale handler"
like "$(cat "$tmp/strict.err")" "^bookshop_handlers.c:$line:5: error: 'bookshop_get_book' is the handler of no operation" \
	"an error at bookshop_handlers.c:$line"
is "$(cmp "$tmp/bookshop/bookshop.h" "$tmp/bookshop.h.before" >/dev/null && echo unchanged)" unchanged \
	"and bookshop.h was not written"
mk >"$tmp/make3.log" 2>&1
like "$(cat "$tmp/make3.log")" \
	"^bookshop_handlers.c:$line:5: warning: 'bookshop_get_book' is the handler of no operation \(renamed or removed\?\); did you mean 'bookshop_fetch_book'\?" \
	"make warns at bookshop_handlers.c:$line, suggesting bookshop_fetch_book"
like "$(cat "$tmp/make3.log")" "bookshop_handlers.c:$line:[0-9]+: (error|warning): .*bookshop_get_book__params" \
	"and the old definition no longer compiles, at that line"
cp "$tmp/bookshop.apic.before" "$tmp/bookshop/bookshop.apic"
if mk >"$tmp/make4.log" 2>&1; then ok "the name put back, it builds again"; else
	not_ok "the name put back, it builds again" "$(tail -n 30 "$tmp/make4.log")"; fi

echo "1..$tap_n"
[ "$tap_failed" -eq 0 ]
