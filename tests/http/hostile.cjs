// TAP: hostile request targets against live servers, judged only by the
// OpenAPI document each server serves (as an outside API tester would).
// For every operation: every path parameter and every query parameter in
// turn gets %00, a%00b, %FF, %zz, a lone % and an empty value (an empty path
// segment), the others valid; then unknown query parameters with %00 in the
// value and in the name. Each answer's status must be listed for that
// operation, with the content type sent and a body that validates (ajv,
// JSON Schema 2020-12) against the schema listed there. Text that does not
// decode in a parameter must be a 422 that names that parameter.
// usage: node hostile.cjs SCRATCH_DIR NAME=SERVER_BINARY...
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const [scratch, ...servers] = process.argv.slice(2);
const TOKEN = 'hostile-token';
const BASIC = 'Basic ' + Buffer.from('alice:pw').toString('base64');
// What each server's verifiers accept, by security scheme name: the
// requests get past authentication so that the parameters are what fails.
const CREDENTIALS = {
	testapi: {
		args: [],
		schemes: {
			Bearer: { header: ['Authorization', 'Bearer good'] },
			Token: { header: ['Authorization', 'Token good'] },
			Key: { query: 'api_key=good' },
			Session: { header: ['Cookie', 'session=good'] },
			Login: { header: ['Authorization', BASIC] },
		},
	},
	petstore: {
		args: ['--token', TOKEN, '--db', path.join(scratch, 'hostile-petstore.db')],
		schemes: { Bearer: { header: ['Authorization', `Bearer ${TOKEN}`] } },
	},
};
// Undecodable text: each is a violation of the parameter that holds it.
const UNDECODABLE = ['%00', 'a%00b', '%FF', '%zz', '%'];

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGTERM')));

let n = 0, failed = 0;
function tap(ok, desc, notes) {
	n++;
	if (!ok)
		failed++;
	console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${desc}`);
	for (const line of notes || [])
		console.log(`#   ${line}`);
}

// Starts BINARY on a port the kernel picks; resolves with it from the
// "listening on" line, or rejects after 10 s.
function start(name, binary, args) {
	return new Promise((resolve, reject) => {
		fs.rmSync(path.join(scratch, 'hostile-petstore.db'), { force: true });
		const child = spawn(binary, ['--bind', '127.0.0.1', '--port', '0', '--threads', '2', ...args],
			{ stdio: ['ignore', 'pipe', 'pipe'] });
		children.push(child);
		let log = '';
		const timer = setTimeout(() => reject(new Error(`${name}: no "listening on" in 10 s:\n${log}`)), 10000);
		const seen = (chunk) => {
			log += chunk;
			const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		};
		child.stdout.on('data', seen);
		child.stderr.on('data', seen);
		child.on('exit', (code) => reject(new Error(`${name} exited (${code}):\n${log}`)));
	});
}

// One request with the target sent exactly as given (no URL parsing).
function request(port, method, target, headers) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: false },
			(res) => {
				// An event stream never ends by itself: its head is the answer.
				if ((res.headers['content-type'] || '').startsWith('text/event-stream')) {
					resolve({ status: res.statusCode, ctype: res.headers['content-type'], body: '' });
					req.destroy();
					return;
				}
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (d) => { body += d; });
				res.on('end', () => resolve({ status: res.statusCode, ctype: res.headers['content-type'] || '', body }));
			});
		req.on('error', reject);
		req.setTimeout(10000, () => req.destroy(new Error(`timeout: ${method} ${target}`)));
		req.end();
	});
}

const esc = (k) => k.replace(/~/g, '~0').replace(/\//g, '~1');

function deref(doc, o) {
	while (o && o.$ref)
		o = o.$ref.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
			.reduce((x, k) => (x === undefined ? undefined : x[k]), doc);
	return o;
}

// A value the parameter accepts, as URL text.
function valid(doc, p) {
	if (p.example !== undefined)
		return encodeURIComponent(String(p.example));
	const s = deref(doc, p.schema);
	if (s.enum)
		return encodeURIComponent(String(s.enum[0]));
	if (s.type === 'integer' || s.type === 'number')
		return String(s.minimum !== undefined && s.minimum > 1 ? s.minimum : 1);
	if (s.type === 'boolean')
		return 'true';
	return 'a'.repeat(s.minLength || 1);
}

// The credential of the first requirement the server can satisfy: an empty
// requirement ({}, optional auth) needs none.
function credential(doc, op, creds) {
	const reqs = op.security || doc.security || [];
	if (reqs.length === 0 || reqs.some((r) => Object.keys(r).length === 0))
		return {};
	for (const r of reqs) {
		const c = creds[Object.keys(r)[0]];
		if (c)
			return c;
	}
	return null;
}

async function run(name, binary) {
	const setup = CREDENTIALS[name];
	if (!fs.existsSync(binary)) {
		tap(true, `${name}: ${binary} # SKIP not built`);
		return;
	}
	const port = await start(name, binary, setup.args);
	const served = await request(port, 'GET', '/openapi.json', {});
	const doc = JSON.parse(served.body);
	const id = `https://apic.invalid/${name}.json`;
	const base = new URL(doc.servers[0].url, 'http://x').pathname.replace(/\/$/, '');

	for (const [tmpl, item] of Object.entries(doc.paths)) {
		for (const [method, op] of Object.entries(item)) {
			if (!['get', 'put', 'post', 'delete', 'patch'].includes(method))
				continue;
			const params = op.parameters || [];
			const cred = credential(doc, op, setup.schemes) || {};
			const headers = cred.header ? { [cred.header[0]]: cred.header[1] } : {};
			const values = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, valid(doc, p)]));
			const target = (over, query) => {
				const p = tmpl.replace(/\{([^}]+)\}/g, (_, k) => (over && over[0] === k ? over[1] : values[k]));
				const q = [cred.query, query].filter((x) => x !== undefined).join('&');
				return base + p + (q ? `?${q}` : '');
			};
			const cases = [];
			for (const p of params.filter((q) => q.in === 'path' || q.in === 'query'))
				for (const h of [...UNDECODABLE, '']) {
					const t = p.in === 'path' ? target([p.name, h]) : target(null, `${p.name}=${h}`);
					cases.push({ t, param: h ? p : null });
				}
			cases.push({ t: target(null, 'apic_unknown=%00') });
			cases.push({ t: target(null, 'apic%00unknown=1') });
			for (const c of cases)
				await judge(name, port, doc, id, method.toUpperCase(), tmpl, op, c, headers);
		}
	}
}

// One ajv per document: the served document is the only schema source.
const ajvs = new Map();
function validator(doc, id) {
	if (!ajvs.has(id)) {
		const ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats(ajv, { mode: 'full' });
		ajv.addSchema({ ...doc, $id: id });
		ajvs.set(id, ajv);
	}
	return ajvs.get(id);
}

async function judge(name, port, doc, id, method, tmpl, op, c, headers) {
	const r = await request(port, method, c.t, headers);
	const desc = `${name} ${op.operationId}: ${method} ${c.t} -> ${r.status}`;
	const notes = [];
	let ptr = `#/paths/${esc(tmpl)}/${method.toLowerCase()}/responses/${r.status}`;
	let resp = deref(doc, op.responses[r.status]);
	if (op.responses[r.status] && op.responses[r.status].$ref)
		ptr = op.responses[r.status].$ref;
	const media = r.ctype.split(';')[0].trim();
	if (!resp) {
		notes.push(`${r.status} is not listed (listed: ${Object.keys(op.responses).join(', ')})`);
	} else if (!resp.content) {
		if (r.body !== '')
			notes.push(`${r.status} lists no body, got ${media}: ${r.body.slice(0, 200)}`);
	} else if (!resp.content[media]) {
		notes.push(`${r.status} lists [${Object.keys(resp.content)}], the server sent ${media || 'no body'}`);
	} else if (media === 'text/event-stream') {
		// a stream the document lists: its head is all there is to judge
	} else if (media !== 'application/json' && !media.endsWith('+json')) {
		// a raw body (text or bytes as MEDIA): a string of the listed type
		const validate = validator(doc, id).getSchema(`${id}${ptr}/content/${esc(media)}/schema`);
		if (!validate(r.body))
			notes.push(`body does not match ${JSON.stringify(resp.content[media].schema)}`);
		if (c.param && r.status !== 422)
			notes.push(`want a 422 "invalid" violation of ${c.param.in} parameter ${c.param.name}`);
	} else {
		const validate = validator(doc, id).getSchema(`${id}${ptr}/content/${esc(media)}/schema`);
		let body;
		try {
			body = JSON.parse(r.body);
		} catch (e) {
			notes.push(`not JSON: ${r.body.slice(0, 200)}`);
		}
		if (body !== undefined && !validate(body))
			notes.push(`body does not match ${JSON.stringify(resp.content[media].schema)}:`,
				...validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`), r.body.slice(0, 300));
		// Undecodable text in a known parameter: a violation located at it.
		if (c.param && notes.length === 0) {
			const errors = (body && body.errors) || [];
			const at = errors.find((e) => e.location === c.param.in && e.name === c.param.name);
			if (r.status !== 422 || !at || at.code !== 'invalid')
				notes.push(`want a 422 "invalid" violation of ${c.param.in} parameter ${c.param.name}`,
					r.body.slice(0, 300));
		}
	}
	tap(notes.length === 0, desc, notes);
}

(async () => {
	for (const s of servers) {
		const i = s.indexOf('=');
		await run(s.slice(0, i), s.slice(i + 1));
	}
	console.log(`1..${n}`);
	process.exit(failed ? 1 : 0);
})().catch((e) => {
	console.log(`Bail out! ${e.stack}`);
	process.exit(1);
});
