#!/usr/bin/env bash
# `apic new` as a user meets it: install apic and libapic (make install
# DESTDIR=...), scaffold a project with the installed apic, build it against
# the installed libapic through pkg-config, start it and get 501 from a stub;
# then touch the schema and see make regenerate, and edit it and see the new
# operation appear.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/e2e-petstore/lib.sh"

install_staged
mk() { make -C "$tmp/shop" CC="$cc" CFLAGS="-O1 -g $san" LDFLAGS="$san" "$@"; }

(cd "$tmp" && apic new shop >"$tmp/new.out" 2>&1)
is "$?" 0 "apic new shop"
is "$(cd "$tmp/shop" && ls -A | LC_ALL=C sort | tr '\n' ' ')" ".gitignore Makefile README.md app.c app.h main.c shop.apic test_shop.c " \
	"it wrote the schema, the set-up, main(), a test, a Makefile, a README and a .gitignore"
(cd "$tmp" && apic new shop >/dev/null 2>"$tmp/new2.err")
is "$?" 3 "apic new refuses to overwrite a project"
like "$(cat "$tmp/new2.err")" 'already exists' "and says why"
(cd "$tmp" && apic new '9lives' >/dev/null 2>&1)
is "$?" 2 "apic new rejects an invalid name"

if mk >"$tmp/make1.log" 2>&1; then ok "the first make builds the project"; else
	not_ok "the first make builds the project" "$(tail -n 20 "$tmp/make1.log")"; fi
like "$(cat "$tmp/make1.log")" 'apic generate' "it ran apic generate"
is "$(test -f "$tmp/shop/shop_handlers.c" && echo yes)" yes "apic wrote shop_handlers.c"
is "$(grep -c 'main(' "$tmp/shop/shop_handlers.c")" 0 "without main(): that is in main.c"
is "$(test -x "$tmp/shop/shop" && echo yes)" yes "./shop was built"

mk >"$tmp/make2.log" 2>&1
if grep -q 'apic generate' "$tmp/make2.log"; then not_ok "a second make does not regenerate" "$(cat "$tmp/make2.log")"; else
	ok "a second make does not regenerate"; fi

start_server "$tmp/shop/shop"
req GET /todos
is "$status" 501 "GET /todos answers 501 from the stub"
like "$ctype" '^application/problem\+json' "501 is problem+json"
req POST /todos '{"title":""}'
is "$status" 422 "a stub operation still validates its body (422)"
stop_server
is "$server_status" 0 "./shop stops cleanly (exit 0)"

# Fill in one handler, as a user does; the others stay weak 501 defaults.
cat >"$tmp/shop/shop_handlers.c" <<'C'
#include "shop.h"

int shop_list_todos(struct apic_ctx *ctx, const struct shop_list_todos__params *in)
{
	struct shop_todo todo = { .id = 1, .title = { "write docs", 10 }, .done = false, .has_done = true };

	(void)in;
	return shop_list_todos__reply_200(ctx, &todo, 1);
}
C
mk >"$tmp/make3.log" 2>&1
if grep -q 'apic generate' "$tmp/make3.log"; then not_ok "editing the handlers does not regenerate"; else
	ok "editing the handlers does not regenerate"; fi

# A new operation in the schema: make regenerates, the new one answers 501.
sleep 1 # a new mtime, even on file systems with coarse timestamps
cat >>"$tmp/shop/shop.apic" <<'APIC'

put /todos/{todoId} {
    operation updateTodo
    path todoId: int64 (min 1)
    body Todo
    -> 200 Todo
}
APIC
mk >"$tmp/make4.log" 2>&1
like "$(cat "$tmp/make4.log")" 'apic generate' "editing the schema makes make regenerate"
is "$(grep -c 'shop_update_todo' "$tmp/shop/shop.h" | sed 's/[1-9][0-9]*/some/')" some "the new operation is in shop.h"
is "$(grep -c 'write docs' "$tmp/shop/shop_handlers.c")" 1 "regeneration left shop_handlers.c alone"
sleep 1
touch "$tmp/shop/shop.apic"
mk >"$tmp/make5.log" 2>&1
like "$(cat "$tmp/make5.log")" 'apic generate' "touching the schema makes make regenerate"

start_server "$tmp/shop/shop"
req GET /todos
is "$status $(json .)" '200 [{"done":false,"id":1,"title":"write docs"}]' "the filled-in handler answers 200"
req GET /todos/1
is "$status" 501 "an unwritten handler still answers 501"
req PUT /todos/1 '{"title":"x"}'
is "$status" 501 "the new operation answers 501"
stop_server
is "$server_status" 0 "./shop stops cleanly again"

# The new operation's stub: `apic stubs` prints it, --append adds it and
# leaves every existing byte as it was.
like "$(cat "$tmp/make4.log")" 'new handler shop_update_todo' "make names the handler the file lacks"
out=$(cd "$tmp/shop" && apic stubs --name shop shop.apic)
like "$out" '/\* PUT /todos/\{todoId\} \(updateTodo\)' "apic stubs prints the missing stub"
is "$(printf '%s\n' "$out" | grep -c '^int shop_')" 4 "one for each operation the file lacks (create, get, delete, update)"
cp "$tmp/shop/shop_handlers.c" "$tmp/handlers.before"
(cd "$tmp/shop" && apic stubs --name shop --append shop.apic 2>"$tmp/stubs.err")
is "$?" 0 "apic stubs --append"
is "$(head -c "$(wc -c <"$tmp/handlers.before")" "$tmp/shop/shop_handlers.c" | cmp - "$tmp/handlers.before" && echo same)" same \
	"the existing code is untouched byte for byte"
like "$(tail -n 5 "$tmp/shop/shop_handlers.c")" 'apic_reply_not_implemented' "the stubs went at the end"
is "$(cd "$tmp/shop" && apic stubs --name shop shop.apic | wc -c)" 0 "afterwards no stub is missing"
if mk >"$tmp/make6.log" 2>&1; then ok "the project builds with the appended stubs"; else
	not_ok "the project builds with the appended stubs" "$(tail -n 20 "$tmp/make6.log")"; fi

# A renamed operation: its old handler is reported where it is, with the
# new name; --strict refuses to generate.
cp "$tmp/shop/shop.apic" "$tmp/shop.apic.before"
sed -i 's/operation listTodos$/operation listAllTodos/' "$tmp/shop/shop.apic"
(cd "$tmp/shop" && apic generate --name shop shop.apic >/dev/null 2>"$tmp/rename.err")
is "$?" 0 "a stale handler is a warning for apic generate"
like "$(cat "$tmp/rename.err")" "^shop_handlers.c:[0-9]+:5: warning: 'shop_list_todos' is the handler of no operation \(renamed or removed\?\); did you mean 'shop_list_all_todos'\?" \
	"it names the file, line and the renamed handler"
cp "$tmp/shop/shop.h" "$tmp/shop.h.before"
(cd "$tmp/shop" && apic generate --strict --name shop shop.apic >/dev/null 2>"$tmp/strict.err")
is "$?" 1 "apic generate --strict fails on it"
like "$(cat "$tmp/strict.err")" "error: 'shop_list_todos' is the handler of no operation" "as an error"
cp "$tmp/shop.apic.before" "$tmp/shop/shop.apic"
(cd "$tmp/shop" && apic generate --name shop shop.apic >/dev/null 2>&1)

# A deleted handlers file comes back with make.
rm "$tmp/shop/shop_handlers.c"
if mk >"$tmp/make7.log" 2>&1; then ok "make after deleting the handlers file builds"; else
	not_ok "make after deleting the handlers file builds" "$(tail -n 20 "$tmp/make7.log")"; fi
is "$(grep -c '^int shop_' "$tmp/shop/shop_handlers.c")" 5 "with a stub per operation"
is "$(grep -c 'main(' "$tmp/shop/shop_handlers.c")" 0 "and no main()"

# The project's own tests: the in-process test client, a test double for
# the verifier.
if mk check >"$tmp/check.log" 2>&1; then ok "make check passes"; else
	not_ok "make check passes" "$(tail -n 20 "$tmp/check.log")"; fi
like "$(cat "$tmp/check.log")" '^ok 5 - with the test double.s token the handler answers' "it ran the authenticated case"
is "$(grep -c '^not ok' "$tmp/check.log")" 0 "no test failed"
start_server "$tmp/shop/shop" --token sesame
req DELETE /todos/1 - -H 'Authorization: Bearer sesame'
is "$status" 501 "the real verifier takes --token (the stub answers 501)"
req DELETE /todos/1 - -H 'Authorization: Bearer nope'
is "$status" 401 "and refuses another token"
stop_server

done_testing
