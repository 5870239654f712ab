// Differential validation: for every operation with a JSON request body in
// the given APIs, generates documents from the emitted OpenAPI schema (valid
// ones, and mutations that break one constraint at a time), then checks that
// ajv (draft 2020-12, ajv-formats "full") on the emitted document and the
// generated C decoder (through diff_driver, runtime/testing.h) give the same
// verdict on each. The decoder accepts a document when the request reaches
// the generated weak handler (501); it rejects with 422 (schema) or 400
// (malformed JSON: 1e400 overflows). Anything else is a harness error.
//
// JavaScript parses numbers as doubles, so ajv sees 9007199254740993 as
// 9007199254740992 and 2^63 as 2^63-1's neighbour: for integers beyond 2^53
// at an integer-typed position the expected verdict is computed exactly
// (BigInt against the schema's bounds) instead of asking ajv, and an integer
// literal beyond int64 is rejected anywhere (json-c's integers are int64; the
// runtime answers 400, and no schema can tell 18446744073709551616 from
// 1.8446744073709552e19, which is accepted where a number is). Documents that
// JSON.parse reads differently from a strict parser by design (duplicate
// keys, lone surrogates) are malformed JSON (400) and not generated.
//
// usage: node diff.cjs DRIVER OUTDIR NAME=DOC.openapi.json...
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const [driver, outdir, ...apiArgs] = process.argv.slice(2);
const RAW = Symbol('raw');
const TWO53 = 2n ** 53n;

// ---- JSON text with numbers written exactly as wanted ----------------------

function raw(text) {
	const o = { [RAW]: text };
	if (/^-?\d+$/.test(text)) {
		const b = BigInt(text);
		o.big = b;
		o.inexact = b > TWO53 || b < -TWO53;
	}
	return o;
}
const isRaw = (v) => v !== null && typeof v === 'object' && RAW in v;

function ser(v) {
	if (isRaw(v))
		return v[RAW];
	if (Array.isArray(v))
		return `[${v.map(ser).join(',')}]`;
	if (v !== null && typeof v === 'object')
		return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${ser(x)}`).join(',')}}`;
	return JSON.stringify(v);
}

function clone(v) {
	if (isRaw(v) || v === null || typeof v !== 'object')
		return v;
	if (Array.isArray(v))
		return v.map(clone);
	return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
}

// ---- schemas -----------------------------------------------------------------

function deref(doc, s) {
	while (s && s.$ref) {
		s = s.$ref.replace(/^#\//, '').split('/')
			.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
			.reduce((o, k) => o[k], doc);
	}
	return s;
}

// The schema without null: [type, nullable]
function shape(doc, s) {
	s = deref(doc, s);
	if (s === false || s === true)
		return [s, false];
	if (s.anyOf) {
		const nonNull = s.anyOf.find((x) => deref(doc, x).type !== 'null');
		return [deref(doc, nonNull), true];
	}
	return [s, Array.isArray(s.type) && s.type.includes('null')];
}

const typeOf = (s) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const FORMATS = {
	email: {
		valid: ['a@b.co', 'first.last@example.com', 'x+tag@sub.example.org', 'a@b'],
		invalid: ['', 'a', '@b.co', 'a@', 'a@@b.co', 'a b@c.de', 'a@b..co', '.a@b.co', 'a.@b.co',
			'a@-b.co', 'ü@b.de', 'a@b.c\u00f6', 'a@b_c.de', 'a@' + 'b'.repeat(64) + '.de',
			'"a"@b.co', 'a@[127.0.0.1]', 'a@b.co\n'],
	},
	uuid: {
		valid: ['123e4567-e89b-12d3-a456-426614174000', '123E4567-E89B-12D3-A456-426614174000',
			'00000000-0000-0000-0000-000000000000', 'urn:uuid:123e4567-e89b-12d3-a456-426614174000'],
		invalid: ['', '123e4567e89b12d3a456426614174000', '123e4567-e89b-12d3-a456-42661417400',
			'123e4567-e89b-12d3-a456-4266141740000', 'g23e4567-e89b-12d3-a456-426614174000',
			'{123e4567-e89b-12d3-a456-426614174000}', 'URN:UUID:123e4567-e89b-12d3-a456-426614174000',
			'123e4567-e89b-12d3-a456-426614174000\n', ' 123e4567-e89b-12d3-a456-426614174000'],
	},
	date: {
		valid: ['2024-02-29', '2000-02-29', '1999-12-31', '0001-01-01', '9999-12-31', '2023-04-30'],
		invalid: ['', '2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32',
			'2024-04-31', '2024-1-01', '24-01-01', '2024/01/01', '2024-01-01T00:00:00Z', '2024-01-01\n',
			'\u0662\u0660\u0662\u0664-01-01'],
	},
	'date-time': {
		valid: ['2024-02-29T12:00:00Z', '2024-02-29t12:00:00z', '2024-02-29T12:00:00.123Z',
			'2024-02-29T12:00:00+01:00', '2024-02-29T12:00:00-23:59', '2024-02-29 12:00:00Z',
			'2016-12-31T23:59:60Z', '2024-02-29T12:00:00+0100', '2024-02-29T12:00:00+01'],
		invalid: ['', '2024-02-29T12:00:00', '2024-02-29', '2024-02-30T12:00:00Z', '2024-02-29T24:00:00Z',
			'2024-02-29T12:60:00Z', '2024-02-29T12:00:61Z', '2024-02-29T12:00Z', '2024-02-29T12:00:00+24:00',
			'2024-02-29T23:59:60Z', '2024-02-29T12:00:00.Z', '2024-02-29X12:00:00Z', '2024-02-29T12:00:00Z\n'],
	},
	uri: {
		valid: ['https://example.com/a?b=c#d', 'http://[::1]:8080/', 'mailto:a@b.co', 'urn:isbn:0451450523',
			'a:b', 'http://example.com/%20', 'file:///etc/passwd', 'http://user@host/'],
		invalid: ['', '/relative/path', 'example.com', '//example.com/x', 'http://exa mple.com/',
			'http://example.com/%zz', 'http://[::1/', ':nothing', '1http://x/', 'http://example.com/\n'],
	},
	ipv4: {
		valid: ['0.0.0.0', '127.0.0.1', '255.255.255.255', '10.0.0.10'],
		invalid: ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.4\n', ' 1.2.3.4', '1.2.3.a',
			'::1', '1..2.3'],
	},
	ipv6: {
		valid: ['::', '::1', '1:2:3:4:5:6:7:8', 'FE80::1', '::ffff:192.168.0.1', '1::'],
		invalid: ['', ':', '1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80::1%eth0', '::ffff:192.168.0.01',
			'12345::', 'g::', '::1\n', '1.2.3.4'],
	},
	hostname: {
		valid: ['a', 'example.com', 'example.com.', 'xn--bcher-kva.example', '1.2.3.4', 'a-b.c'],
		invalid: ['', '.', '-a.com', 'a-.com', 'a..b', 'a_b.com', 'a b', 'a'.repeat(64) + '.com',
			'b\u00fccher.example', 'a.com\n'],
	},
	'uri-reference': {
		valid: ['', '#frag', '?q=1', '/a/b', 'a/b', '//host/p', '../x', 'https://example.com/a?b#c'],
		invalid: ['a b', '%zz', 'http://[::1/', 'a\nb', '\u00e9', '#a#b'],
	},
};

// A valid value of schema `s`; `k` varies it (distinct items in arrays).
function gen(doc, s, k = 0, depth = 0) {
	const [t, nullable] = shape(doc, s);
	void nullable;
	if (t === true || t === false)
		return 0;
	if (t.enum)
		return t.enum[k % t.enum.length];
	if ('const' in t)
		return t.const;
	if (t.oneOf) {
		// a union: branch k, its pinned discriminator (a const beside the $ref) set
		const b = t.oneOf[k % t.oneOf.length];
		const v = gen(doc, b.$ref ? { $ref: b.$ref } : b, k, depth);
		for (const [p, ps] of Object.entries(b.properties || {}))
			if (v && typeof v === 'object' && 'const' in ps)
				v[p] = ps.const;
		return v;
	}
	switch (typeOf(t)) {
	case 'object': {
		const o = {};
		for (const [name, ps] of Object.entries(t.properties || {})) {
			if (ps === false)
				continue;
			if (!(t.required || []).includes(name) && depth > 2)
				continue;
			o[name] = gen(doc, ps, k, depth + 1);
		}
		if (t.additionalProperties && typeof t.additionalProperties === 'object') {
			const n = Math.min(Math.max(t.minProperties || 0, depth > 2 ? 0 : 1), t.maxProperties ?? 1e9);
			for (let i = 0; i < n; i++)
				o[`k${i}`] = gen(doc, t.additionalProperties, k + i, depth + 1);
		}
		return o;
	}
	case 'array': {
		const n = Math.min(Math.max(t.minItems || 0, depth > 2 ? 0 : 1), t.maxItems ?? 1e9);
		return Array.from({ length: n }, (_, i) => gen(doc, t.items, k + i, depth + 1));
	}
	case 'string':
		return genString(t, k);
	case 'integer':
	case 'number': {
		const num = (key) => (t[key] === undefined ? undefined : Number(t[key]));
		const lo = num('minimum') ?? (t.exclusiveMinimum !== undefined ? num('exclusiveMinimum') + 1 : -1e9);
		const hi = num('maximum') ?? (t.exclusiveMaximum !== undefined ? num('exclusiveMaximum') - 1 : 1e9);
		if (typeOf(t) === 'number' && t.exclusiveMinimum !== undefined && t.exclusiveMaximum !== undefined)
			return (num('exclusiveMinimum') + num('exclusiveMaximum')) / 2;
		return Math.min(Math.max(k, Math.ceil(lo)), Math.floor(hi));
	}
	case 'boolean':
		return k % 2 === 0;
	}
	return null;
}

function lengthOk(t, str) {
	const n = [...str].length;
	return n >= (t.minLength || 0) && n <= (t.maxLength ?? Infinity);
}

function matches(t, str) {
	return !t.pattern || new RegExp(t.pattern, 'u').test(str);
}

function genString(t, k) {
	if (t.format && FORMATS[t.format])
		return FORMATS[t.format].valid[k % FORMATS[t.format].valid.length];
	const len = Math.min(Math.max(3, t.minLength || 0), t.maxLength ?? 3);
	const base = Array.from({ length: len }, (_, i) => LETTERS[(i + k) % 26]).join('');
	const candidates = [base, `${base}${k}`, 'abc', 'abc1', 'x', 'h\u00e9llo', 'Abc', 'a-b_c', 'ab12'];
	return candidates.find((c) => lengthOk(t, c) && matches(t, c)) ?? base;
}

// ---- mutations ---------------------------------------------------------------

function nextUp(x, dir) {
	if (x === 0)
		return dir > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
	const buf = new DataView(new ArrayBuffer(8));
	buf.setFloat64(0, x);
	let bits = buf.getBigUint64(0);
	bits += (x > 0) === (dir > 0) ? 1n : -1n;
	buf.setBigUint64(0, bits);
	return buf.getFloat64(0);
}

function numText(x) {
	return raw(Object.is(x, -0) ? '-0' : String(x));
}

// A bound exactly: long integers are strings in the generator's reading.
function exactBound(t, key) {
	const v = t[key];
	return v === undefined ? undefined : BigInt(v);
}

function intValues(t) {
	const out = [];
	for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
		if (t[key] === undefined)
			continue;
		const b = exactBound(t, key);
		for (const d of [-2n, -1n, 0n, 1n, 2n])
			out.push(raw(String(b + d)));
		if (typeof t[key] === 'number' && Math.abs(t[key]) < 2 ** 52) {
			out.push(numText(t[key] + 0.5), numText(t[key] - 0.5));
			out.push(raw(`${b}.0`), raw(`${b}e0`), raw(`${b}.000001`));
		}
	}
	for (const text of ['0', '-0', '1', '-1', '1.0', '1.5', '1e2', '1E+2', '100e-2', '1e-2', '0.0',
		'9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740993',
		'2147483647', '2147483648', '-2147483648', '-2147483649',
		'9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
		'18446744073709551615', '18446744073709551616', '99999999999999999999999', '1e19', '-1e19',
		'1e400', '-1e400', '1e308', '4.9e-324', '123456789012345678901234567890'])
		out.push(raw(text));
	return out;
}

function numberValues(t) {
	const out = [];
	for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
		if (t[key] === undefined)
			continue;
		const b = Number(t[key]);
		out.push(numText(b), numText(nextUp(b, 1)), numText(nextUp(b, -1)), numText(b + 1), numText(b - 1));
		if (b === 0)
			out.push(raw('-0'), raw('0.0'), raw('-0.0'), raw('0e5'));
	}
	for (const text of ['0', '-0', '0.5', '1', '-1', '1e-7', '1.7976931348623157e308', '-1.7976931348623157e308',
		'1e308', '1e309', '1e400', '-1e400', '5e-324', '1e-400', '9007199254740993', '18446744073709551616',
		'-9223372036854775809', '123456789012345678901234567890', '2.5000000000000004', '1E2', '0.1e1'])
		out.push(raw(text));
	return out;
}

function stringValues(t) {
	const out = [];
	const fill = (ch, n) => ch.repeat(Math.max(n, 0));
	for (const n of [t.minLength, t.maxLength]) {
		if (n === undefined)
			continue;
		for (const m of [n - 1, n, n + 1])
			for (const ch of ['a', '\u00e9', '\u20ac', '\u{1f600}', 'e\u0301'])
				if (m >= 0)
					out.push(fill(ch, ch === 'e\u0301' ? m / 2 : m));
	}
	out.push('', ' ', 'abc', 'ABC', 'abc1', '1abc', 'abc\n', 'abc\u2028', '\u00e9t\u00e9', '\u65e5\u672c',
		'\u0661\u0662', 'a\u0000b', '<b>', 'x'.repeat(70), '\u{1f600}');
	if (t.pattern)
		out.push('abc123', 'a1', 'a_1', 'Zz9', '\u00c9cole', 'ab\u0301', '\u0391\u03b2', 'abc\r', 'abc\n\n');
	if (t.format && FORMATS[t.format])
		out.push(...FORMATS[t.format].valid, ...FORMATS[t.format].invalid);
	for (const f of ['email', 'uuid', 'date', 'date-time', 'uri'])
		if (f !== t.format)
			out.push(FORMATS[f].valid[0]);
	if (t.enum)
		for (const e of t.enum)
			out.push(e.toUpperCase(), `${e} `, e.slice(0, -1), `${e}\u0000`);
	return out;
}

// Mutations of `v` (valid for `s`) at `at` (a path into the document).
function mutate(doc, s, v, at, depth, out) {
	const [t, nullable] = shape(doc, s);
	const type = t === false ? 'never' : typeOf(t);
	const put = (value, why) => out.push({ at, value, why });
	for (const w of [null, 'x', raw('0'), true, [], {}])
		put(w, 'type');
	if (nullable)
		put(null, 'null');
	if (depth > 4 || t === false)
		return;
	if (t.enum)
		for (const w of t.enum)
			put(w, 'enum');
	switch (type) {
	case 'integer':
		for (const w of intValues(t))
			put(w, 'integer');
		break;
	case 'number':
		for (const w of numberValues(t))
			put(w, 'number');
		break;
	case 'string':
		for (const w of stringValues(t))
			put(w, 'string');
		break;
	case 'boolean':
		for (const w of [raw('1'), raw('0'), 'true', 'false', raw('false')])
			put(w, 'boolean');
		break;
	case 'array': {
		const lens = [0, 1, 2, t.minItems - 1, t.minItems, t.maxItems, t.maxItems + 1].filter((n) => n >= 0);
		for (const n of new Set(lens))
			put(Array.from({ length: n }, (_, i) => gen(doc, t.items, i + 1, depth + 1)), 'items');
		const one = gen(doc, t.items, 1, depth + 1);
		put([one, clone(one)], 'duplicates');
		const [it] = shape(doc, t.items);
		if (typeOf(it) === 'object' && one && typeof one === 'object' && !Array.isArray(one)) {
			const rev = Object.fromEntries(Object.entries(one).reverse());
			put([one, rev], 'duplicates, keys reordered');
		}
		if (typeOf(it) === 'integer' || typeOf(it) === 'number')
			put([raw('1'), raw('1.0')], 'duplicates 1 and 1.0');
		if (Array.isArray(v) && v.length)
			mutate(doc, t.items, v[0], [...at, 0], depth + 1, out);
		break;
	}
	case 'object': {
		if (!v || typeof v !== 'object')
			break;
		for (const name of t.required || []) {
			const w = clone(v);
			delete w[name];
			put(w, `missing ${name}`);
		}
		if (t.additionalProperties === false) {
			put({ ...clone(v), zzUnknown: 1 }, 'unknown property');
			put({ ...clone(v), '': 1 }, 'empty key');
		}
		// readonly properties of the response view, sent in a request
		const view = Object.entries(doc.components.schemas).find(([, x]) => x === t);
		if (view && view[0].endsWith('-Input')) {
			const resp = doc.components.schemas[view[0].slice(0, -6)];
			for (const [name, ps] of Object.entries(resp.properties || {}))
				if (ps.readOnly)
					put({ ...clone(v), [name]: gen(doc, ps, 1, depth + 1) }, `readonly ${name}`);
		}
		for (const [name, ps] of Object.entries(t.properties || {})) {
			if (ps === false) {
				put({ ...clone(v), [name]: 1 }, `forbidden ${name}`);
				continue;
			}
			if (name in v)
				mutate(doc, ps, v[name], [...at, name], depth + 1, out);
			else
				mutate(doc, ps, gen(doc, ps, 0, depth + 1), [...at, name], depth + 1, out);
		}
		if (t.additionalProperties && typeof t.additionalProperties === 'object') {
			for (const n of [0, 1, t.minProperties - 1, t.maxProperties, t.maxProperties + 1]) {
				if (!(n >= 0))
					continue;
				const w = {};
				for (let i = 0; i < n; i++)
					w[`k${i}`] = gen(doc, t.additionalProperties, i, depth + 1);
				put(w, `${n} properties`);
			}
			const keys = Object.keys(v);
			if (keys.length)
				mutate(doc, t.additionalProperties, v[keys[0]], [...at, keys[0]], depth + 1, out);
			put({ ...clone(v), '\u00e9\u{1f600}': gen(doc, t.additionalProperties, 0, depth + 1) }, 'unicode key');
		}
		break;
	}
	}
}

function setAt(root, at, value) {
	if (at.length === 0)
		return value;
	const r = clone(root);
	let o = r;
	for (const k of at.slice(0, -1))
		o = o[k];
	o[at[at.length - 1]] = value;
	return r;
}

// The exact verdict for an integer beyond 2^53 where the schema wants an
// integer: the rest of the document is the valid base.
function exactVerdict(doc, s, at, value) {
	let node = s;
	for (const k of at) {
		const [t] = shape(doc, node);
		if (typeOf(t) === 'array')
			node = t.items;
		else if (t.properties && t.properties[k] !== undefined)
			node = t.properties[k];
		else
			node = t.additionalProperties;
	}
	const [t] = shape(doc, node);
	// Where a number (or anything but an integer) is wanted, a big integer
	// is the double JavaScript reads too: ajv decides. An integer is judged
	// exactly: beyond int64 it is out of range whatever the bounds say.
	if (typeOf(t) !== 'integer')
		return undefined;
	if (value.big > 2n ** 63n - 1n || value.big < -(2n ** 63n))
		return false;
	const lo = exactBound(t, 'minimum'), hi = exactBound(t, 'maximum');
	const xlo = exactBound(t, 'exclusiveMinimum'), xhi = exactBound(t, 'exclusiveMaximum');
	const b = value.big;
	return (lo === undefined || b >= lo) && (hi === undefined || b <= hi) &&
		(xlo === undefined || b > xlo) && (xhi === undefined || b < xhi);
}

function fillPath(doc, opPath, params) {
	return opPath.replace(/\{([^}]+)\}/g, (_, name) => {
		const p = params.find((x) => x.in === 'path' && x.name === name);
		return encodeURIComponent(String(gen(doc, p.schema, 1)));
	});
}

// ---- main ----------------------------------------------------------------------

const cases = [];
const meta = [];
const perOp = new Map();
for (const arg of apiArgs) {
	const [api, file] = arg.split('=');
	const text = fs.readFileSync(file, 'utf8');
	// ajv reads the document as JavaScript does; the generator reads integers
	// of 16 digits or more as strings, to keep bounds such as the int64 range
	// exact (BigInt), which doubles cannot.
	const ajvDoc = JSON.parse(text);
	const doc = JSON.parse(text.replace(/(:\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
	// strict off: the OpenAPI document around the schemas is not a schema;
	// strictNumbers stays on: Infinity (JSON 1e400) is not a number.
	const ajv = new Ajv2020({ strict: false, strictNumbers: true, allErrors: false });
	addFormats(ajv, { mode: 'full' });
	const id = `https://apic.invalid/${api}.json`;
	ajv.addSchema({ ...ajvDoc, $id: id });
	const base = new URL(doc.servers[0].url, 'http://h').pathname.replace(/\/$/, '');
	for (const [opPath, item] of Object.entries(doc.paths)) {
		for (const [method, op] of Object.entries(item)) {
			const rb = op.requestBody;
			if (!rb || !rb.content || !rb.content['application/json'])
				continue;
			const ptr = `${id}#/paths/${opPath.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}` +
				'/requestBody/content/application~1json/schema';
			const validate = ajv.getSchema(ptr);
			if (!validate)
				throw new Error(`ajv: no schema at ${ptr}`);
			const schema = rb.content['application/json'].schema;
			const params = (op.parameters || []).map((p) => deref(doc, p));
			let target = base + fillPath(doc, opPath, params);
			const query = params.filter((p) => p.in === 'query' && p.required)
				.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(gen(doc, p.schema, 1)))}`);
			if (query.length)
				target += `?${query.join('&')}`;
			const headers = params.filter((p) => p.in === 'header' && p.required)
				.flatMap((p) => [p.name, String(gen(doc, p.schema, 1))]);
			const key = `${api} ${op.operationId}`;
			const st = { agree: 0, accepted: 0, rejected: 0, exact: 0, bad: [], notes: [] };
			perOp.set(key, st);

			const full = gen(doc, schema, 0, 0);
			const docs = [{ value: full, why: 'valid' }];
			for (let k = 1; k < 4; k++)
				docs.push({ value: gen(doc, schema, k, 0), why: `valid #${k}` });
			const muts = [];
			mutate(doc, schema, full, [], 0, muts);
			const baseValid = validate(JSON.parse(ser(full)));
			if (!baseValid) // the mutations then break more than one thing
				st.notes.push(`the generated base document is invalid: ${ser(full)}: ` +
					validate.errors.map((e) => `${e.instancePath} ${e.message}`).join('; '));
			for (const m of muts) {
				const d = { value: setAt(full, m.at, m.value), why: `${m.why} at /${m.at.join('/')}` };
				if (isRaw(m.value) && m.value.inexact) {
					if (!baseValid)
						continue;
					d.expect = exactVerdict(doc, schema, m.at, m.value);
					if (d.expect === undefined)
						d.expectFromAjv = true; // a number position: doubles on both sides
				}
				docs.push(d);
			}
			for (const d of docs) {
				const body = ser(d.value);
				let verdict = d.expect;
				let errors = null;
				if (verdict === undefined) {
					verdict = validate(JSON.parse(body));
					errors = validate.errors;
				}
				cases.push(JSON.stringify({ api, op: op.operationId, method: method.toUpperCase(), target,
					headers, body }));
				meta.push({ key, body, why: d.why, ajv: verdict, exact: d.expect !== undefined,
					errors: errors && errors.slice(0, 2).map((e) => `${e.instancePath} ${e.message}`) });
			}
		}
	}
}

fs.mkdirSync(outdir, { recursive: true });
const casesFile = path.join(outdir, 'cases.jsonl'), resultsFile = path.join(outdir, 'results.jsonl');
fs.writeFileSync(casesFile, `${cases.join('\n')}\n`);
execFileSync(driver, [casesFile, resultsFile], { stdio: ['ignore', 'inherit', 'inherit'] });
const results = fs.readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
if (results.length !== meta.length) {
	console.log('1..1');
	console.log(`not ok 1 - the driver answered ${results.length} of ${meta.length} cases`);
	process.exit(1);
}

let total = 0, agreeTotal = 0, exactTotal = 0;
meta.forEach((m, i) => {
	const r = results[i];
	const st = perOp.get(m.key);
	let decoder;
	if (r.status === 501)
		decoder = true;
	else if (r.status === 422 || r.status === 400)
		decoder = false;
	else
		decoder = `status ${r.status}`;
	total++;
	if (m.exact)
		st.exact++, exactTotal++;
	if (decoder === m.ajv) {
		st.agree++;
		agreeTotal++;
		if (decoder)
			st.accepted++;
		else
			st.rejected++;
	} else {
		st.bad.push({ ...m, decoder, response: r.body });
	}
});

let n = 0, failed = 0;
console.log(`1..${perOp.size + 1}`);
for (const [key, st] of perOp) {
	n++;
	const ok = st.bad.length === 0 && st.notes.length === 0 && st.accepted > 0 && st.rejected > 0;
	if (!ok)
		failed++;
	console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${key}: ${st.agree} agree (${st.accepted} accepted, ` +
		`${st.rejected} rejected, ${st.exact} exact big integers), ${st.bad.length} disagree`);
	for (const note of st.notes)
		console.log(`#   ${note}`);
	for (const b of st.bad.slice(0, 8)) {
		const body = b.body.length > 160 ? `${b.body.slice(0, 160)}...` : b.body;
		console.log(`#   ${b.why}: ajv ${b.ajv ? 'accepts' : 'rejects'}${b.exact ? ' (exact)' : ''}` +
			`, decoder ${b.decoder === true ? 'accepts' : b.decoder === false ? 'rejects' : b.decoder}`);
		console.log(`#     body: ${body}`);
		if (b.errors)
			console.log(`#     ajv: ${b.errors.join('; ')}`);
		if (b.response)
			console.log(`#     decoder: ${b.response.slice(0, 200)}`);
	}
}
n++;
console.log(`${agreeTotal === total ? 'ok' : 'not ok'} ${n} - ${total} documents compared, ${agreeTotal} agree, ` +
	`${total - agreeTotal} disagree (${exactTotal} big integers judged exactly)`);
process.exit(failed || agreeTotal !== total ? 1 : 0);
