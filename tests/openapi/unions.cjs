// TAP: the unions of tests/openapi/unions.apic in its OpenAPI document:
// the shape of oneOf and discriminator, and values judged by ajv (draft
// 2020-12, which ignores "discriminator": the oneOf alone must accept
// exactly the values of the union).
// usage: node unions.cjs DOC.json
'use strict';
const fs = require('fs');
const assert = require('assert');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const S = doc.components.schemas;
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv, { mode: 'full' });
ajv.addSchema({ $id: 'doc', components: doc.components });
const valid = (name, v) => ajv.getSchema('doc#/components/schemas/' + name)(v);
const cases = [];
const t = (name, fn) => cases.push([name, fn]);
const card = { kind: 'card', number: '1234567812345678' };

t('a discriminated union: oneOf of each model once, pinned; the mapping', () => {
	assert.deepStrictEqual(S.Payment.oneOf, [
		{ $ref: '#/components/schemas/Card', properties: { kind: { const: 'card' } } },
		{ $ref: '#/components/schemas/Voucher', properties: { kind: { enum: ['voucher', 'gift-card'] } } },
	]);
	assert.deepStrictEqual(S.Payment.discriminator, { propertyName: 'kind', mapping: {
		card: '#/components/schemas/Card', voucher: '#/components/schemas/Voucher',
		'gift-card': '#/components/schemas/Voucher' } });
	assert.strictEqual(S.Payment.description, 'A way to pay: "kind" names the branch.');
});
t('the request view refers to the request views of its branches', () => {
	assert.strictEqual(doc.paths['/pay'].post.requestBody.content['application/json'].schema.$ref,
		'#/components/schemas/Payment-Input');
	assert.strictEqual(S['Payment-Input'].oneOf[0].$ref, '#/components/schemas/Card-Input');
	assert.strictEqual(S['Payment-Input'].discriminator.mapping.card, '#/components/schemas/Card-Input');
	assert.ok(valid('Payment-Input', { ...card, secret: 's' }));
	assert.ok(!valid('Payment', { ...card, secret: 's' }), 'writeonly: not in a response');
});
t('every branch of a discriminated union is accepted', () => {
	assert.ok(valid('Payment', card));
	assert.ok(valid('Payment', { kind: 'voucher', code: 'X' }));
	assert.ok(valid('Payment', { kind: 'gift-card', code: 'X' }));
});
t('an unknown, missing or mismatched discriminator is refused', () => {
	assert.ok(!valid('Payment', { kind: 'cash', code: 'X' }));
	assert.ok(!valid('Payment', { code: 'X' }));
	assert.ok(!valid('Payment', { kind: 'card', code: 'X' }), 'a Voucher that says card');
	assert.ok(!valid('Payment', { kind: 'card', number: '1' }), 'the branch is checked');
});
t('an undiscriminated union: oneOf of the branch types', () => {
	assert.deepStrictEqual(S.Contact.oneOf, [
		{ $ref: '#/components/schemas/Owner' },
		{ type: 'string', format: 'email' },
		{ type: 'array', items: { type: 'string' } },
		{ type: 'object', additionalProperties: { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 } },
	]);
});
t('exactly one branch: each accepted, none and ambiguity refused', () => {
	assert.ok(valid('Contact', { id: 1, name: 'a' }));
	assert.ok(valid('Contact', 'a@b.example'));
	assert.ok(valid('Contact', ['a']));
	assert.ok(valid('Contact', { a: 1 }));
	assert.ok(!valid('Contact', 5), 'no branch');
	assert.ok(valid('Contact', {}), 'an empty object: a map<int32> only (Owner requires id)');
	assert.ok(!valid('Contact', { id: 1 }), 'ambiguous: an Owner and a map<int32>');
});
t('a nullable union field and a map of unions', () => {
	assert.deepStrictEqual(S.Book.properties.paid, { anyOf: [{ $ref: '#/components/schemas/Payment' }, { type: 'null' }] });
	assert.ok(valid('Book', { paid: null, contacts: { x: 'a@b.example' } }));
	assert.ok(!valid('Book', { contacts: { x: 5 } }));
});

console.log(`1..${cases.length}`);
let n = 0, failed = 0;
for (const [name, fn] of cases) {
	try {
		fn();
		console.log(`ok ${++n} - ${name}`);
	} catch (e) {
		failed++;
		console.log(`not ok ${++n} - ${name}`);
		for (const l of String(e.message).split('\n').slice(0, 20))
			console.log('# ' + l);
	}
}
process.exit(failed ? 1 : 0);
