// TAP: exact values in the OpenAPI document of schemas/testapi.apic, one
// line per construct of the language: how each type, constraint, modifier,
// parameter, response and security requirement is written.
// usage: node testapi.cjs DOC.json SCHEMA.apic
'use strict';
const fs = require('fs');
const assert = require('assert');

const text = fs.readFileSync(process.argv[2], 'utf8');
const doc = JSON.parse(text);
const schemaText = fs.readFileSync(process.argv[3], 'utf8');
const S = doc.components.schemas;
const op = (p, m) => doc.paths[p][m];
const cases = [];
const t = (name, fn) => cases.push([name, fn]);

t('info and servers (basepath appended)', () => {
	const { description, ...rest } = doc.info;
	assert.deepStrictEqual(rest, { title: 'Test API', version: '0.1.0' });
	// the service's description, then the errors that no operation can list
	assert.match(description, /^Every constraint kind of the apic language\n\n\*\*Errors on any path\.\*\* /);
	for (const s of ['400', '404', '405', '414', '431', '422', '%00'])
		assert.ok(description.includes(s), s);
	assert.deepStrictEqual(doc.servers, [
		{ url: '/t', description: 'the server that serves this document' },
		{ url: 'http://127.0.0.1:8080/t', description: 'local' },
	]);
	assert.deepStrictEqual(doc.security, []);
});
t('int32 bounds as written, format int32', () => {
	assert.deepStrictEqual(S.Scalars.properties.i32, { type: 'integer', format: 'int32', minimum: -5, maximum: 5 });
	assert.deepStrictEqual(S.Inner.properties.n, { type: 'integer', format: 'int32', minimum: 0, maximum: 9 });
});
t('int64 without bounds carries the int64 range (exact digits in the text)', () => {
	assert.strictEqual(S.Scalars.properties.big.format, 'int64');
	// from INT64_MIN + 1: json-c reads every integer below INT64_MIN as
	// INT64_MIN, so the decoder cannot accept that value
	assert.match(text, /"big": \{\s*"type": "integer",\s*"format": "int64",\s*"minimum": -9223372036854775807,\s*"maximum": 9223372036854775807\s*\}/);
	assert.deepStrictEqual(S.Scalars.properties.i64,
		{ type: 'integer', format: 'int64', minimum: -9007199254740991, maximum: 9007199254740991 });
});
t('int32 with one bound gets the type limit on the other side', () => {
	const count = op('/items/{id}/{color}', 'get').parameters.find((p) => p.name === 'X-Count');
	assert.deepStrictEqual(count.schema, { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 });
});
t('exclusive bounds are numbers (3.1), inclusive decimals as written', () => {
	assert.deepStrictEqual(S.Scalars.properties.x, { type: 'number', format: 'double', exclusiveMinimum: 0, exclusiveMaximum: 1 });
	assert.deepStrictEqual(S.Scalars.properties.r, { type: 'number', format: 'double', minimum: -1.5, maximum: 2.5 });
});
t('string lengths, pattern, formats', () => {
	assert.deepStrictEqual(S.Scalars.properties.s, { type: 'string', minLength: 2, maxLength: 4 });
	assert.deepStrictEqual(S.Scalars.properties.pat, { type: 'string', pattern: '^[a-z]+[0-9]*$' });
	assert.deepStrictEqual(S.Scalars.properties.uni, { type: 'string', pattern: '^\\p{L}+$' });
	for (const [k, f] of [['email', 'email'], ['uuid', 'uuid'], ['date', 'date'], ['dt', 'date-time'], ['uri', 'uri'], ['pw', 'password']])
		assert.deepStrictEqual(S.Scalars.properties[k], { type: 'string', format: f });
	assert.deepStrictEqual(S.Scalars.properties.b, { type: 'boolean' });
});
t('enums are components referenced by $ref', () => {
	assert.deepStrictEqual(S.Color, { type: 'string', enum: ['red', 'green', 'blue'] });
	assert.deepStrictEqual(S.Level, { type: 'string', description: 'Member names in camel case (C names: LEVEL_VERY_HIGH).',
		enum: ['low', 'veryHigh', 'HTTPCode'] });
	assert.deepStrictEqual(S.Scalars.properties.color, { $ref: '#/components/schemas/Color' });
});
t('model: description, required list, additionalProperties false', () => {
	assert.strictEqual(S.Scalars.description, 'Every scalar type and bound kind.');
	assert.deepStrictEqual(S.Scalars.required, ['i32']);
	assert.strictEqual(S.Scalars.additionalProperties, false);
	assert.strictEqual(S.Scalars.type, 'object');
});
t('open model allows unknown properties', () => {
	assert.deepStrictEqual(S.Loose, { type: 'object', properties: { known: { type: 'string' } } });
});
t('response view: readonly required and readOnly, no writeonly field', () => {
	const m = S.Modifiers;
	assert.deepStrictEqual(m.required, ['id', 'name']);
	assert.deepStrictEqual(m.properties.id, { type: 'integer', format: 'int64', minimum: 1, maximum: 9223372036854775807, readOnly: true });
	assert.ok(!('secret' in m.properties));
});
t('request view (Modifiers-Input): no readonly field, writeonly has writeOnly', () => {
	const m = S['Modifiers-Input'];
	assert.deepStrictEqual(m.required, ['name']);
	assert.ok(!('id' in m.properties));
	assert.deepStrictEqual(m.properties.secret, { type: 'string', writeOnly: true });
	assert.strictEqual(m.additionalProperties, false);
	assert.deepStrictEqual(op('/modifiers', 'post').requestBody.content['application/json'].schema,
		{ $ref: '#/components/schemas/Modifiers-Input' });
	assert.deepStrictEqual(op('/modifiers', 'post').responses['200'].content['application/json'].schema,
		{ $ref: '#/components/schemas/Modifiers' });
});
t('models without readonly/writeonly have one view', () => {
	assert.ok(!('Scalars-Input' in S) && !('Inner-Input' in S) && !('Node-Input' in S));
});
t('nullable: type arrays, anyOf for $ref', () => {
	const m = S.Modifiers.properties;
	assert.deepStrictEqual(m.nick, { type: ['string', 'null'] });
	assert.deepStrictEqual(m.age, { type: ['integer', 'null'], format: 'int32', minimum: 0, maximum: 150 });
	assert.deepStrictEqual(m.inner, { anyOf: [{ $ref: '#/components/schemas/Inner' }, { type: 'null' }] });
});
t('defaults (enum default by member name), deprecated, examples', () => {
	const m = S.Modifiers.properties;
	assert.strictEqual(m.count.default, 7);
	assert.strictEqual(m.ratio.default, 0.5);
	assert.strictEqual(m.flag.default, true);
	assert.deepStrictEqual(m.color, { $ref: '#/components/schemas/Color', default: 'green' });
	assert.strictEqual(m.word.default, 'hi');
	assert.deepStrictEqual(m.tags, { type: 'array', items: { type: 'string' }, default: [] });
	assert.deepStrictEqual(m.old, { type: 'string', deprecated: true, examples: ['x'] });
});
t('arrays and maps with their constraints', () => {
	const c = S.Collections.properties;
	assert.deepStrictEqual(c.ints, { type: 'array', items: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 }, minItems: 1, maxItems: 3 });
	assert.deepStrictEqual(c.uniq, { type: 'array', items: { type: 'string' }, uniqueItems: true });
	assert.deepStrictEqual(c.nested.items.items.format, 'int32');
	assert.deepStrictEqual(c.dict, { type: 'object', additionalProperties: { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 100 }, minProperties: 1, maxProperties: 3 });
	assert.deepStrictEqual(c.models, { type: 'object', additionalProperties: { $ref: '#/components/schemas/Inner' } });
});
t('recursive model refers to itself', () => {
	assert.deepStrictEqual(S.Node.properties.children, { type: 'array', items: { $ref: '#/components/schemas/Node' } });
});
t('parameters: in, required, default, arrays exploded, header and cookie', () => {
	const ps = op('/items/{id}/{color}', 'get').parameters;
	const by = Object.fromEntries(ps.map((p) => [`${p.in}:${p.name}`, p]));
	assert.deepStrictEqual(ps.map((p) => `${p.in}:${p.name}`), ['path:id', 'path:color', 'query:limit', 'query:q',
		'query:ratio', 'query:flag', 'query:level', 'query:tag', 'query:when', 'query:since', 'header:X-Trace-Id', 'header:X-Count',
		'cookie:session']);
	assert.deepStrictEqual(by['path:id'], { name: 'id', in: 'path', required: true,
		schema: { type: 'integer', format: 'int64', minimum: 1, maximum: 9223372036854775807 } });
	assert.deepStrictEqual(by['query:limit'], { name: 'limit', in: 'query', required: false,
		schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 100, default: 20 } });
	assert.deepStrictEqual(by['query:tag'], { name: 'tag', in: 'query', required: false, style: 'form', explode: true,
		schema: { type: 'array', items: { type: 'string', maxLength: 4 }, minItems: 0, maxItems: 3 } });
	assert.deepStrictEqual(by['header:X-Trace-Id'].schema, { type: 'string', format: 'uuid' });
	assert.deepStrictEqual(by['cookie:session'].schema, { type: 'string', maxLength: 16 });
});
t('operation: operationId, summary and description from ///', () => {
	const o = op('/items/{id}/{color}', 'get');
	assert.strictEqual(o.operationId, 'getItem');
	assert.strictEqual(o.summary, 'Parameters from every place, parsed from text.');
	assert.strictEqual(op('/scalars', 'post').summary, 'Echo every scalar back.');
});
t('request body required unless body?', () => {
	assert.strictEqual(op('/scalars', 'post').requestBody.required, true);
	assert.strictEqual(op('/loose', 'post').requestBody.required, false);
	assert.deepStrictEqual(op('/list', 'post').requestBody.content['application/json'].schema,
		{ type: 'array', items: { $ref: '#/components/schemas/Inner' }, minItems: 1, maxItems: 4 });
});
t('responses: declared ones, no content for 204, the error shape for a typeless error, reason phrase as description', () => {
	const r = op('/items/{id}', 'delete').responses;
	assert.deepStrictEqual(r['204'], { description: 'No Content' });
	// declared with a type, and the runtime's own 404 (an empty segment) next to it
	assert.deepStrictEqual(r['404'], { description: 'Not Found', content: {
		'application/json': { schema: { $ref: '#/components/schemas/Error' } },
		'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
	// no type and >= 400: the error shape its reply function sends (problem+json here)
	assert.deepStrictEqual(r['409'], { description: 'The item is in use',
		content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
	assert.deepStrictEqual(r['410'], { description: 'Gone',
		content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
	assert.deepStrictEqual(op('/keyed', 'get').responses['200'].content['application/json'].schema,
		{ type: 'integer', format: 'int64', minimum: -9223372036854775808, maximum: 9223372036854775807 });
});
t('runtime errors: 400/415 with a body, 422 with input, 404 with path parameters, 413/500/501 always', () => {
	const codes = (p, m) => Object.keys(op(p, m).responses);
	assert.deepStrictEqual(codes('/scalars', 'post'), ['200', '400', '413', '415', '422', '500', '501']);
	assert.deepStrictEqual(codes('/items/{id}/{color}', 'get'), ['200', '404', '413', '422', '500', '501']);
	assert.deepStrictEqual(codes('/items/{id}', 'delete'), ['204', '404', '409', '410', '413', '422', '500', '501']);
	assert.deepStrictEqual(codes('/unimplemented', 'get'), ['204', '413', '500', '501']);
	// the key is read from the query: undecodable text there is a 422
	assert.deepStrictEqual(codes('/keyed', 'get'), ['200', '401', '403', '413', '422', '500', '501', '503']);
	assert.deepStrictEqual(op('/words/{word}', 'get').responses['404'], { $ref: '#/components/responses/NoRoute' });
	assert.deepStrictEqual(op('/unimplemented', 'get').responses['413'], { $ref: '#/components/responses/ContentTooLarge' });
	assert.deepStrictEqual(op('/unimplemented', 'get').responses['500'], { $ref: '#/components/responses/ServerError' });
	assert.deepStrictEqual(op('/unimplemented', 'get').responses['501'], { $ref: '#/components/responses/NotImplemented' });
	assert.deepStrictEqual(op('/scalars', 'post').responses['422'], { $ref: '#/components/responses/ValidationFailed' });
	assert.deepStrictEqual(doc.components.responses.ValidationFailed.content,
		{ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
	assert.deepStrictEqual(Object.keys(doc.components.responses), ['ContentTooLarge', 'Forbidden', 'MalformedJson',
		'NoRoute', 'NotImplemented', 'ServerError', 'ServiceUnavailable', 'Unauthorized', 'UnsupportedMediaType', 'ValidationFailed']);
	// a per-operation body limit is written out
	assert.deepStrictEqual(op('/loose', 'post').responses['413'].description, 'The body is larger than 1024 bytes.');
	assert.deepStrictEqual(op('/loose', 'post').responses['413'].content['application/problem+json'].schema,
		{ $ref: '#/components/schemas/Problem' });
	assert.strictEqual(S.Violation.properties.code.enum.includes('read_only'), true);
});
t('security: required, optional, schemes per operation, 401/403/503 where auth applies', () => {
	assert.deepStrictEqual(op('/secure', 'get').security, [{ Bearer: [] }]);
	assert.deepStrictEqual(op('/maybe', 'get').security, [{}, { Token: [] }]);
	// 503: a verifier whose store is unreachable (APIC_AUTH_UNAVAILABLE)
	assert.deepStrictEqual(Object.keys(op('/secure', 'get').responses), ['200', '401', '403', '413', '500', '501', '503']);
	assert.deepStrictEqual(Object.keys(op('/maybe', 'get').responses), ['200', '401', '403', '413', '500', '501', '503']);
	assert.deepStrictEqual(op('/secure', 'get').responses['503'], { $ref: '#/components/responses/ServiceUnavailable' });
	assert.strictEqual(op('/scalars', 'post').security, undefined);
});
t('security schemes: bearer format, apiKey with prefix in the description, query, cookie, basic', () => {
	const ss = doc.components.securitySchemes;
	assert.deepStrictEqual(Object.keys(ss), ['Bearer', 'Key', 'Login', 'Session', 'Token']);
	assert.deepStrictEqual(ss.Bearer, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
	assert.deepStrictEqual(ss.Key, { type: 'apiKey', name: 'api_key', in: 'query' });
	assert.deepStrictEqual(ss.Session, { type: 'apiKey', name: 'session', in: 'cookie' });
	assert.deepStrictEqual(ss.Login, { type: 'http', scheme: 'basic' });
	assert.strictEqual(ss.Token.in, 'header');
	assert.strictEqual(ss.Token.name, 'Authorization');
	assert.match(ss.Token.description, /"Token "/);
});
t('component names sorted', () => {
	const names = Object.keys(S);
	assert.deepStrictEqual(names, [...names].sort());
});
t('paths in declaration order', () => {
	const declared = [];
	for (const m of schemaText.matchAll(/^(?:get|put|post|delete|patch|head|options) (\/\S*)/gm))
		if (!declared.includes(m[1]))
			declared.push(m[1]);
	assert.deepStrictEqual(Object.keys(doc.paths), declared);
	assert.deepStrictEqual(declared.slice(0, 3), ['/scalars', '/modifiers', '/collections']);
});

console.log(`1..${cases.length}`);
let failed = 0;
cases.forEach(([name, fn], i) => {
	try {
		fn();
		console.log(`ok ${i + 1} - ${name}`);
	} catch (e) {
		failed++;
		console.log(`not ok ${i + 1} - ${name}`);
		console.log(`# ${String(e.message).split('\n').join('\n# ')}`);
	}
});
process.exit(failed ? 1 : 0);
