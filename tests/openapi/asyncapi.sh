#!/bin/sh
# TAP: the AsyncAPI documents of the schemas with WebSockets or streams
# (examples/chat, schemas/petstore.apic, bench/async, tests/async,
# tests/openapi/async.apic) and of schemas without any (conduit, testapi,
# tests/ast/all.apic) parse with the official parser, @asyncapi/parser
# (asyncapi.cjs: a diagnostic of severity error fails); jq checks what they
# say: messages, parameters, bindings, servers, security, and that their
# schemas are the OpenAPI document's.
set -u
. "$top_srcdir/tests/openapi/npm.sh"
[ -d "$npm_modules/@asyncapi/parser" ] ||
	npm_missing "$npm_modules lacks @asyncapi/parser: run ./setup.sh deps"
command -v jq >/dev/null 2>&1 || npm_missing "jq is not installed"
out=tests/openapi/asyncapi.out
rm -rf "$out" && mkdir -p "$out" || exit 1

docs=
for rel in examples/chat/chat.apic schemas/petstore.apic bench/async/async-bench.apic \
	tests/async/async.apic tests/openapi/async.apic schemas/conduit.apic \
	schemas/testapi.apic tests/ast/all.apic; do
	f=$top_srcdir/$rel
	base=$out/$(echo "$rel" | tr '/' '_')
	if ! "$APIC" check "$f" >/dev/null 2>&1; then
		echo "# not checked clean, not parsed: $rel"
		continue
	fi
	if ! "$APIC" asyncapi "$f" -o "$base.asyncapi.json" 2>"$base.err" ||
	   ! "$APIC" openapi "$f" -o "$base.openapi.json" 2>>"$base.err"; then
		echo "1..1"
		echo "not ok 1 - apic asyncapi $rel failed"
		sed 's/^/# /' "$base.err"
		exit 1
	fi
	docs="$docs $rel=$base"
done
chat=$out/examples_chat_chat.apic.asyncapi.json
pet=$out/schemas_petstore.apic.asyncapi.json
feeds=$out/tests_openapi_async.apic.asyncapi.json
conduit=$out/schemas_conduit.apic.asyncapi.json

n=0 fail=0
# check NAME FILE JQ-EXPRESSION: the expression must be true of FILE
check() {
	n=$((n + 1))
	if jq -e "$3" "$2" >/dev/null 2>"$out/jq.err"; then
		echo "ok $n - $1"
	else
		fail=1
		echo "not ok $n - $1"
		sed 's/^/# /' "$out/jq.err"
	fi
}

set -- $docs
echo "1..$((17 + 2 * $#))"

check "chat: joinRoom's address is the path, {room} a described parameter" "$chat" '
	.channels.joinRoom.address == "/rooms/{room}/ws" and
	(.channels.joinRoom.parameters | keys) == ["room"] and
	(.channels.joinRoom.parameters.room.description | length > 0) and
	.channels.joinRoom.parameters.room["x-apic-schema"].pattern == "^[A-Za-z0-9_-]+$"'
check "chat: joinRoom's client message is ChatIn, its server message ChatOut" "$chat" '
	.channels.joinRoom.messages.clientMessage.payload["$ref"] == "#/components/schemas/ChatIn" and
	.channels.joinRoom.messages.serverMessage.payload["$ref"] == "#/components/schemas/ChatOut" and
	([.channels.joinRoom.messages[].contentType] | unique) == ["application/json"]'
check "chat: the server receives clientMessage and sends serverMessage" "$chat" '
	(.operations | keys) == ["joinRoom.receive", "joinRoom.send"] and
	.operations["joinRoom.receive"].action == "receive" and
	.operations["joinRoom.receive"].messages == [{"$ref": "#/channels/joinRoom/messages/clientMessage"}] and
	.operations["joinRoom.send"].action == "send" and
	.operations["joinRoom.send"].messages == [{"$ref": "#/channels/joinRoom/messages/serverMessage"}] and
	([.operations[].channel["$ref"]] | unique) == ["#/channels/joinRoom"]'
check "chat: the query parameter name is in the ws binding, required" "$chat" '
	.channels.joinRoom.bindings.ws == {"method": "GET", "query": {"type": "object",
	  "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 32}},
	  "required": ["name"]}, "bindingVersion": "0.1.0"}'
check "chat: no server declared, none listed; the plain GET /rooms is no channel" "$chat" '
	has("servers") == false and (.channels | keys) == ["joinRoom"] and
	(.channels.joinRoom | has("servers")) == false'
check "petstore: petEvents at basepath + path, one event of PetEvent, Last-Event-ID said" "$pet" '
	.channels.petEvents.address == "/v1/pets/events" and
	(.channels.petEvents.messages | keys) == ["event"] and
	.channels.petEvents.messages.event.payload["$ref"] == "#/components/schemas/PetEvent" and
	.channels.petEvents.messages.event.contentType == "application/json" and
	(.channels.petEvents.messages.event.description | test("Last-Event-ID")) and
	(.channels.petEvents.messages.event.description | test("text/event-stream"))'
check "petstore: petEvents.send, a GET in its http binding" "$pet" '
	(.operations | keys) == ["petEvents.send"] and
	.operations["petEvents.send"].action == "send" and
	.operations["petEvents.send"].bindings.http == {"method": "GET", "bindingVersion": "0.3.0"} and
	.operations["petEvents.send"].tags == [{"name": "pets"}] and
	(.operations["petEvents.send"] | has("security")) == false'
check "petstore: the absolute server as http, the relative one left out" "$pet" '
	.servers == {"http": {"host": "127.0.0.1:8080", "protocol": "http",
	  "description": "./setup.sh run"}} and
	.channels.petEvents.servers == [{"$ref": "#/servers/http"}]'
check "async.apic: ws and http servers of each absolute URL, the URL's path as pathname" "$feeds" '
	(.servers | keys_unsorted) == ["wss-1", "https-1", "ws-2", "http-2"] and
	.servers["wss-1"] == {"host": "feeds.example.com", "protocol": "wss", "pathname": "/edge",
	  "description": "production, behind a proxy at /edge"} and
	(.servers["http-2"] | has("pathname")) == false and
	.channels.playGame.servers == [{"$ref": "#/servers/wss-1"}, {"$ref": "#/servers/ws-2"}] and
	.channels.scores.servers == [{"$ref": "#/servers/https-1"}, {"$ref": "#/servers/http-2"}]'
check "async.apic: path parameters in address order, an enum's members, an example as text" "$feeds" '
	.channels.playGame.address == "/v2/games/{game}/sides/{side}/ws" and
	(.channels.playGame.parameters | keys_unsorted) == ["game", "side"] and
	.channels.playGame.parameters.side.enum == ["white", "black"] and
	.channels.playGame.parameters.side.description == "The side the player plays." and
	.channels.playGame.parameters.game.examples == ["7"] and
	.channels.playGame.parameters.game["x-apic-schema"].minimum == 1'
check "async.apic: query, header and cookie parameters of the handshake" "$feeds" '
	.channels.playGame.bindings.ws.query.required == ["name"] and
	.channels.playGame.bindings.ws.query.properties.watch == {"type": "boolean", "deprecated": true, "default": false} and
	.channels.playGame.bindings.ws.headers.properties["X-Client"].maxLength == 64 and
	(.channels.playGame.bindings.ws["x-apic-cookies"].properties | keys) == ["theme"] and
	.operations["scores.send"].bindings.http.query.properties.game.type == "array" and
	(.operations["scores.send"].bindings.http["x-apic-headers"].properties | keys) == ["X-Client"]'
check "async.apic: a received model with a readonly field is its request view" "$feeds" '
	.channels.playGame.messages.clientMessage.payload["$ref"] == "#/components/schemas/MoveIn-Input" and
	(.components.schemas["MoveIn-Input"].properties | keys) == ["from", "pin", "to"] and
	.channels.playGame.messages.serverMessage.payload["$ref"] == "#/components/schemas/MoveOut"'
check "async.apic: security: the default, optional, none, its own" "$feeds" '
	.operations["playGame.receive"].security == [{"$ref": "#/components/securitySchemes/Bearer"}] and
	.operations["playGame.send"].security == [{"$ref": "#/components/securitySchemes/Bearer"}] and
	(.operations["scores.send"] | has("security")) == false and
	.operations["scores.send"]["x-apic-security-optional"] == [{"$ref": "#/components/securitySchemes/Token"}] and
	(.operations["getGamesByGameWatch.receive"] | has("security")) == false and
	.operations["gameMoves.send"].security == [{"$ref": "#/components/securitySchemes/Key"}]'
check "async.apic: the schemes the channels use, as AsyncAPI names them" "$feeds" '
	(.components.securitySchemes | keys) == ["Bearer", "Key", "Token"] and
	.components.securitySchemes.Bearer == {"type": "http", "scheme": "bearer",
	  "bearerFormat": "JWT", "description": "A token from the site'"'"'s login."} and
	.components.securitySchemes.Key == {"type": "httpApiKey", "name": "api_key", "in": "query"} and
	(.components.securitySchemes.Token.description | test("Token "))'
check "async.apic: channels and operations in declaration order, deprecated marked" "$feeds" '
	(.channels | keys_unsorted) == ["playGame", "scores", "getGamesByGameWatch", "gameMoves"] and
	(.operations | keys_unsorted) == ["playGame.receive", "playGame.send", "scores.send",
	  "getGamesByGameWatch.receive", "getGamesByGameWatch.send", "gameMoves.send"] and
	.channels.getGamesByGameWatch["x-apic-deprecated"] == true and
	(.channels.playGame | has("x-apic-deprecated")) == false'
check "conduit: no async parts: no channels, no operations, no servers, the schemas" "$conduit" '
	.asyncapi == "3.0.0" and .channels == {} and .operations == {} and has("servers") == false and
	(.components.schemas | length) > 0 and (.components | has("securitySchemes")) == false and
	.info.title == "RealWorld Conduit API"'
# The schemas come from the OpenAPI emitter: the same bytes for the same
# model, and nothing but the runtime's error shape left out; a union's
# "discriminator" is the property's name (AsyncAPI's Schema Object) where
# OpenAPI has an object with propertyName and mapping.
n=$((n + 1))
same=true
for d; do
	base=${d#*=}
	if ! jq -e -n --slurpfile a "$base.asyncapi.json" --slurpfile o "$base.openapi.json" '
		def asyncapi: walk(if type == "object" and (.discriminator | type) == "object"
			then .discriminator = .discriminator.propertyName else . end);
		($a[0].components.schemas | to_entries | all(.value == ($o[0].components.schemas[.key] | asyncapi))) and
		($o[0].components.schemas | keys - ($a[0].components.schemas | keys) |
		  all(. == "Problem" or . == "Violation" or . == "apic.Problem" or . == "apic.Violation"))
	' >/dev/null; then
		same=false
		echo "# ${d%%=*}: components.schemas differ from the OpenAPI document's"
	fi
done
if $same; then
	echo "ok $n - components.schemas are the OpenAPI document's, less the runtime's errors"
else
	fail=1
	echo "not ok $n - components.schemas differ from the OpenAPI documents'"
fi

labels=
for d; do
	labels="$labels ${d%%=*}=${d#*=}.asyncapi.json"
done
# shellcheck disable=SC2086 # one LABEL=FILE word per document
node "$top_srcdir/tests/openapi/asyncapi.cjs" --after "$n" $labels || fail=1
exit $fail
