#!/usr/bin/env bash
# `apic dev` in a project made by `apic new` (against a staged install):
# it builds and serves; a new field in the schema appears in /openapi.json;
# an edited handler answers; a broken handler or schema prints its errors
# while the last good server keeps answering; the fix is served; Ctrl-C
# (SIGINT) stops the server and apic dev.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/e2e-petstore/lib.sh"

install_staged
export CC="$cc" CFLAGS="-O1 -g $san" LDFLAGS="$san"
(cd "$tmp" && apic new shop >/dev/null 2>&1) || bail "apic new shop"
dev_pid=
stop_dev() { [ -z "$dev_pid" ] || { kill -INT "$dev_pid" 2>/dev/null; wait "$dev_pid"; }; dev_pid=; }
trap 'stop_dev; cleanup' EXIT
(cd "$tmp/shop" && exec apic dev --port 0 -- --bind 127.0.0.1) >"$tmp/dev.log" 2>&1 &
dev_pid=$!

# wait_for SECONDS DESCRIPTION COMMAND...: until COMMAND succeeds
wait_for() {
	local t=$1 desc=$2
	shift 2
	for _ in $(seq $((t * 10))); do
		"$@" >/dev/null 2>&1 && { ok "$desc"; return 0; }
		sleep 0.1
	done
	not_ok "$desc" "$(tail -n 15 "$tmp/dev.log")"
	return 1
}
serving() { port=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/dev.log" | tail -n 1); [ -n "$port" ]; }
log_has() { grep -q -- "$1" "$tmp/dev.log"; }
get() { curl -s --max-time 5 "http://127.0.0.1:$port$1"; }
props() { get /openapi.json | jq -c '.components.schemas.Todo.properties | keys'; }

wait_for 180 "apic dev builds the project and serves it" serving || bail "no server"
is "$(props)" '["done","id","title"]' "/openapi.json has the schema's model"
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/todos")" 501 "a stub answers 501"

# a new field in the schema
sleep 1
sed -i 's|^    done:  bool   = false$|&\n    note?: string|' "$tmp/shop/shop.apic"
has_note() { [ "$(props)" = '["done","id","note","title"]' ]; }
wait_for 120 "a new field in the schema appears in /openapi.json" has_note
log_has 'shop.apic: rebuilding' && ok "it said which file changed" || not_ok "which file changed" "$(tail -5 "$tmp/dev.log")"

# an edited handler
cat >"$tmp/shop/shop_handlers.c" <<'C'
#include "shop.h"

int shop_list_todos(struct apic_ctx *ctx, const struct shop_list_todos__params *in)
{
	struct shop_todo todo = { .id = 1, .title = { "from dev", 8 }, .done = false, .has_done = true };

	(void)in;
	return shop_list_todos__reply_200(ctx, &todo, 1);
}
C
answers() { [ "$(get /todos | jq -r '.[0].title')" = "from dev" ]; }
wait_for 120 "an edited handler answers" answers

# a handler that does not compile: errors printed, the last good server serves
echo 'this is not C' >>"$tmp/shop/shop_handlers.c"
failed() { [ "$(grep -c 'the build failed; the last good server keeps serving' "$tmp/dev.log")" -ge 1 ]; }
wait_for 120 "a broken handler: apic dev says the build failed" failed
log_has 'shop_handlers.c:.*error' && ok "the compiler's error is printed" || not_ok "compiler error printed" "$(tail -8 "$tmp/dev.log")"
answers && ok "the last good server still answers" || not_ok "old server answers"
sed -i '$d' "$tmp/shop/shop_handlers.c"

# a schema error: apic's diagnostic, at its place
sleep 1
before=$(grep -c 'the build failed' "$tmp/dev.log")
sed -i 's|^    note?: string$|    note?: strin|' "$tmp/shop/shop.apic"
failed2() { [ "$(grep -c 'the build failed' "$tmp/dev.log")" -gt "$before" ]; }
wait_for 120 "a schema error: the build fails" failed2
log_has "shop.apic:[0-9]*:[0-9]*: error: unknown type 'strin'" && ok "apic's diagnostic, file:line:col" ||
	not_ok "diagnostic printed" "$(tail -8 "$tmp/dev.log")"
has_note && ok "the last good server still serves its document" || not_ok "old document"

# the fix is served
sed -i 's|^    note?: strin$|    note?: string (maxlen 9)|' "$tmp/shop/shop.apic"
fixed() { [ "$(get /openapi.json | jq -c '.components.schemas.Todo.properties.note.maxLength')" = 9 ]; }
wait_for 120 "the fix is built and served" fixed
answers && ok "with the handler" || not_ok "handler after fix"

# Ctrl-C
kill -INT "$dev_pid"
wait "$dev_pid"
is "$?" 0 "SIGINT: apic dev exits 0"
dev_pid=
curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/openapi.json" && not_ok "the server stopped" || ok "the server stopped"
log_has 'apic dev: stopping' && ok "it said so" || not_ok "stopping message"
done_testing
