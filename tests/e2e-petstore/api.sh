#!/usr/bin/env bash
# End to end: the petstore example (examples/petstore) over loopback with a
# real SQLite file. Every operation, every error status the API answers,
# data that survives a restart, and responses (the handlers' 404 and 409
# among them) that conform to the document the server serves: checked by
# ajv here, by the server itself (--strict-responses) and by Prism, through
# which every request the document allows goes (lib.sh, use_prism).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/e2e-petstore/lib.sh"

petstore=$top_builddir/examples/petstore/petstore
token=e2e-token-$$

# conforms METHOD TEMPLATE DESCRIPTION: keeps the last response, to check at
# the end (check_conformance) against the document the server serves.
conform_n=0
conforms() {
	conform_n=$((conform_n + 1))
	cp "$tmp/body" "$tmp/conform.$conform_n.body"
	cp "$tmp/headers" "$tmp/conform.$conform_n.headers"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$status" "$ctype" \
		"$tmp/conform.$conform_n.body" "$tmp/conform.$conform_n.headers" "$3" >>"$tmp/conform.list"
}

# check_conformance DOC: one TAP line per kept response: its status is
# declared for the operation in DOC (an OpenAPI document) with the content
# type the server sent, every required header of that response is there and
# every declared header sent validates, and the body validates against that schema (ajv,
# JSON Schema 2020-12, as tests/diff uses it). One node process checks them
# all; skipped without node and tests/npm (./setup.sh deps).
check_conformance() {
	local line npm_modules=${APIC_NODE_MODULES:-$top_srcdir/tests/npm/node_modules}
	if ! command -v node >/dev/null || [ ! -d "$npm_modules/ajv" ]; then
		while IFS=$'\t' read -r _ _ _ _ _ _ line; do
			ok "$line conforms to /openapi.json # SKIP node or tests/npm (./setup.sh deps) missing"
		done <"$tmp/conform.list"
		return
	fi
	NODE_PATH=$npm_modules node - "$1" "$tmp/conform.list" \
		>"$tmp/conform.tap" 2>&1 <<'EOF'
'use strict';
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const [docFile, listFile] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(docFile, 'utf8'));
// strict off: the OpenAPI document around the schemas is not a schema
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv, { mode: 'full' });
const id = 'https://apic.invalid/served.json';
ajv.addSchema({ ...doc, $id: id });
const esc = (k) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const at = (ptr) => ptr.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
	.reduce((o, k) => (o === undefined ? undefined : o[k]), doc);
for (const line of fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean)) {
	const [method, tmpl, status, ctype, bodyFile, headersFile, desc] = line.split('\t');
	const notes = [];
	let bad = true;
	let ptr = `#/paths/${esc(tmpl)}/${method.toLowerCase()}/responses/${status}`;
	let r = at(ptr);
	if (r && r.$ref) {
		ptr = r.$ref;
		r = at(ptr);
	}
	const media = ctype.split(';')[0].trim();
	if (!r) {
		notes.push(`${status} is not declared for ${method} ${tmpl}`);
	} else if (!r.content || !r.content[media]) {
		notes.push(`${status} declares [${Object.keys(r.content || {})}], the server sent ${media || 'no body'}`);
	} else {
		const validate = ajv.getSchema(`${id}${ptr}/content/${esc(media)}/schema`);
		const body = JSON.parse(fs.readFileSync(bodyFile, 'utf8'));
		bad = !validate(body);
		notes.push(`${media} ${JSON.stringify(r.content[media].schema)}`);
		if (bad)
			notes.push(...validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`));
	}
	// Declared headers: a header's value is text; a typed one (integer,
	// boolean) is read as JSON when the text itself does not validate.
	const sent = {};
	for (const h of fs.readFileSync(headersFile, 'utf8').split(/\r?\n/).slice(1)) {
		const i = h.indexOf(':');
		if (i > 0)
			sent[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
	}
	for (const [name, hd] of Object.entries((r && r.headers) || {})) {
		const v = sent[name.toLowerCase()];
		if (v === undefined) {
			if (hd.required) {
				bad = true;
				notes.push(`header ${name} is required, the server did not send it`);
			}
			continue;
		}
		const check = ajv.getSchema(`${id}${ptr}/headers/${esc(name)}/schema`);
		let json;
		try { json = JSON.parse(v); } catch (e) { json = undefined; }
		if (!check(v) && (json === undefined || !check(json))) {
			bad = true;
			notes.push(`header ${name}: ${v} does not match ${JSON.stringify(hd.schema)}`);
		}
	}
	console.log(`${bad ? 'not ok' : 'ok'} - ${desc} conforms to /openapi.json`);
	for (const n of notes)
		console.log(`# ${n}`);
}
EOF
	[ -s "$tmp/conform.tap" ] || not_ok "node checked the responses"
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) not_ok "${line#not ok - }" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$tmp/conform.tap"
}

# ---- flags
"$petstore" --help >"$tmp/help.out" 2>&1
is "$?" 0 "--help exits 0"
like "$(grep -E -- '--db FILE|--token TOKEN' "$tmp/help.out" | wc -l)" '^2$' "--help lists --db FILE and --token TOKEN"
"$petstore" --frobnicate >/dev/null 2>"$tmp/err.out"
is "$?" 2 "an unknown flag exits 2"
"$petstore" --port 0 --db "$tmp/no/such/dir/pets.db" >/dev/null 2>"$tmp/err.out"
is "$?" 1 "a database that cannot be created exits 1"
like "$(cat "$tmp/err.out")" 'no/such/dir/pets.db' "and names the file"

start_server "$petstore" --db "$tmp/pets.db" --token "$token"
ok "petstore started on port $port with a new database"
use_prism /v1
is "$(test -s "$tmp/pets.db" && echo yes)" yes "the database file was created"

# ---- empty store
req GET /v1/pets
is "$status $body" "200 []" "GET /pets on an empty store: []"
is "$(header x-total-count)" 0 "X-Total-Count: 0"

# ---- create
req POST /v1/pets '{"name":"rex","tag":"dog"}'
is "$status" 201 "POST /pets: 201"
is "$(json .)" '{"id":1,"name":"rex","status":"available","tag":"dog"}' "created pet echoed with id 1 and the default status"
is "$(header location)" /v1/pets/1 "Location: /v1/pets/1"
like "$ctype" '^application/json' "created pet is application/json"
conforms POST /pets "POST: the 201"
req POST /v1/pets '{"name":"tom","tag":"cat","status":"sold"}'
is "$status $(json .)" '201 {"id":2,"name":"tom","status":"sold","tag":"cat"}' "second pet gets id 2"
req POST /v1/pets '{"name":"felix"}'
is "$status $(json .)" '201 {"id":3,"name":"felix","status":"available"}' "a pet without a tag has no tag"

# ---- 409: duplicate name
req POST /v1/pets '{"name":"rex","tag":"cat"}'
is "$status" 409 "POST a duplicate name: 409"
like "$ctype" '^application/problem\+json' "409 is problem+json"
is "$(json '[.status, .detail]')" '[409,"a pet named '"'"'rex'"'"' already exists"]' "409 says which name"
conforms POST /pets "POST: the 409"

# ---- get
req GET /v1/pets/2
is "$status $(json .)" '200 {"id":2,"name":"tom","status":"sold","tag":"cat"}' "GET /pets/2"
req GET /v1/pets/999
is "$status" 404 "GET a missing pet: 404"
is "$(json '[.status, .detail]')" '[404,"no pet with id 999"]' "404 names the id"
is "$ctype" application/problem+json "404 is application/problem+json"
is "$(json 'keys')" '["detail","status","title","type"]' "404: exactly type, title, status, detail"
is "$(json '[.type, .title]')" '["about:blank","Not Found"]' "404: type and title"
conforms GET /pets/{petId} "GET: the 404"
req GET /v1/pets/0
is "$status" 422 "GET /pets/0 (petId min 1): 422"
like "$body" 'petId' "the 422 names petId"
req GET /v1/pets/abc
is "$status" 422 "GET /pets/abc: 422"

# ---- list: filters and pagination
req GET '/v1/pets?tag=cat'
is "$status $(json '[.[].name]')" '200 ["tom"]' "filter by tag"
req GET '/v1/pets?status=available'
is "$(json '[.[].id]')" '[1,3]' "filter by status"
is "$(header x-total-count)" 2 "X-Total-Count counts the filtered pets"
req GET '/v1/pets?status=available&tag=dog'
is "$(json '[.[].id]')" '[1]' "both filters"
req GET '/v1/pets?limit=2'
is "$(json '[.[].id]')" '[1,2]' "limit=2: the first page"
is "$(header x-total-count)" 3 "X-Total-Count: every pet"
conforms GET /pets "GET: a page, with its declared X-Total-Count"
req GET '/v1/pets?limit=2&offset=2'
is "$(json '[.[].id]')" '[3]' "limit=2&offset=2: the last page"
req GET '/v1/pets?offset=10'
is "$status $body" '200 []' "an offset past the end: []"
req GET '/v1/pets?limit=0'
is "$status" 422 "limit=0: 422"
like "$body" 'limit' "the 422 names limit"
req GET '/v1/pets?limit=101'
is "$status" 422 "limit=101: 422"
req GET '/v1/pets?status=lost'
is "$status" 422 "an unknown status: 422"

# ---- update
req PUT /v1/pets/1 '{"name":"rex","tag":"dog","status":"pending"}'
is "$status $(json .)" '200 {"id":1,"name":"rex","status":"pending","tag":"dog"}' "PUT /pets/1"
req GET /v1/pets/1
is "$(json .status)" '"pending"' "the update is stored"
req PUT /v1/pets/1 '{"name":"tom"}'
is "$status" 409 "PUT a name another pet has: 409"
conforms PUT /pets/{petId} "PUT: the 409"
req PUT /v1/pets/999 '{"name":"ghost"}'
is "$status" 404 "PUT a missing pet: 404"
conforms PUT /pets/{petId} "PUT: the 404"

# ---- 422: body violations, all of them
req POST /v1/pets '{"name":"","tag":"0123456789012345678901234567890123","color":"red"}'
is "$status" 422 "POST an invalid pet: 422"
like "$ctype" '^application/problem\+json' "422 is problem+json"
like "$body" '/name' "the 422 points at /name"
like "$body" '/tag' "the 422 points at /tag"
like "$body" '/color' "the 422 points at the unknown property /color"
conforms POST /pets "POST: the 422 (a runtime error, components.responses)"
req POST /v1/pets '{"id":7,"name":"x"}'
is "$status" 422 "POST with the readonly id: 422"

# ---- runtime errors: 400, 405, 413, 415 (Prism refuses these requests
# itself; req sends them to the server then, as every invalid one)
req POST /v1/pets '{"name":"rex",'
is "$status" 400 "malformed JSON: 400"
like "$ctype" '^application/problem\+json' "400 is problem+json"
req PATCH /v1/pets/1 '{"name":"x"}'
is "$status" 405 "PATCH /pets/1: 405"
like "$(header allow)" 'GET' "405 has an Allow header listing GET"
big=$(head -c 70000 /dev/zero | tr '\0' x)
req POST /v1/pets "{\"name\":\"$big\"}"
is "$status" 413 "a 70000-byte body: 413"
req POST /v1/pets '{"name":"rex"}' -H 'Content-Type: text/plain'
is "$status" 415 "Content-Type text/plain: 415"
req GET /nowhere
is "$status" 404 "an unknown path: 404"

# ---- 401: the authenticated operation
req DELETE /v1/pets/2
is "$status" 401 "DELETE without a token: 401"
conforms DELETE /pets/{petId} "DELETE: the 401"
like "$(header www-authenticate)" '^Bearer' "401 has WWW-Authenticate: Bearer"
req DELETE /v1/pets/2 - -H "Authorization: Bearer wrong-$token"
is "$status" 401 "DELETE with a wrong token: 401"
req GET /v1/pets/2
is "$status" 200 "the pet is still there"
req DELETE /v1/pets/2 - -H "Authorization: Bearer $token"
is "$status $body" "204 " "DELETE with the token: 204, no body"
req DELETE /v1/pets/2 - -H "Authorization: Bearer $token"
is "$status" 404 "DELETE it again: 404"
is "$(json '[.status, .detail]')" '[404,"no pet with id 2"]' "the DELETE 404 names the id"
conforms DELETE /pets/{petId} "DELETE: the 404"
req GET /v1/pets/2
is "$status" 404 "the deleted pet is gone"

# ---- the data survives a restart
stop_server
is "$server_status" 0 "SIGTERM: the server exits 0"
# This time the token comes from the environment.
start_server env APIC_TOKEN="$token" "$petstore" --db "$tmp/pets.db"
use_prism /v1
req GET /v1/pets
is "$status $(json '[.[] | [.id, .name, .status]]')" '200 [[1,"rex","pending"],[3,"felix","available"]]' "after a restart: the same pets"
req POST /v1/pets '{"name":"tom"}'
is "$status $(json .id)" '201 4' "ids are never reused after a restart"
req DELETE /v1/pets/4 - -H "Authorization: Bearer $token"
is "$status" 204 "the token from APIC_TOKEN is accepted"

# ---- the API documents itself
req GET /openapi.json
is "$status $(json .info.title)" '200 "Petstore"' "/openapi.json"
is "$(json '.paths | keys')" '["/pets","/pets/events","/pets/{petId}"]' "/openapi.json lists the three paths"
# Declared without a type, 404 and 409 are errors: the document gives them
# the body the handlers send (checked with ajv below).
is "$(json '[.paths["/pets/{petId}"][] | .responses["404"].content | to_entries[] | [.key, .value.schema["$ref"]]]')" \
	'[["application/problem+json","#/components/schemas/Problem"],["application/problem+json","#/components/schemas/Problem"],["application/problem+json","#/components/schemas/Problem"]]' \
	"/openapi.json: every 404 is problem+json with the Problem schema"
printf '%s' "$body" >"$tmp/openapi.json"
check_conformance "$tmp/openapi.json"

done_testing
