// An upstream that speaks the petstore's paths (basepath /v1) and breaks
// its contract on purpose, for the C client's tests (tests/client/run.sh).
// GET /v1/pets/ID answers by ID:
//   1 a pet whose name is a number         2 a pet without its name
//   3 status 418 (undeclared)              4 text/html
//   5 "{" (not JSON)                       6 never answers
//   7 503 twice, then the pet (per run)    8 the pet, tag = the X-Request-Id received
//   9 the pet after 200 ms                 10 a 404 problem with a wrong "status" type
//   11 a pet with two violations           12 a body of 20 MB
//   1000+N a valid pet's JSON with a few bytes replaced, N the seed (a fuzz
//   of the client's response checks: anything may come, nothing may crash)
// GET /v1/pets: [] without its X-Total-Count header; ?tag=neg: X-Total-Count: -3.
// POST /v1/pets: 503, always. PUT /v1/pets/7: 503 twice, then 200.
// GET /v1/attempts: {"get7":N,"post":N,"put7":N,"conns":N} (conns: TCP
// connections accepted); POST /v1/reset zeroes them.
// Started like a server (`--port 0` picks a port), it prints
// "listening on http://127.0.0.1:PORT/" as libapic servers do.
'use strict';
const http = require('http');

// slow/slowMax: pet 9 requests in flight now, and the most at once
let attempts = { get7: 0, post: 0, put7: 0, conns: 0, slow: 0, slowMax: 0 };
const pet = (id, extra) => JSON.stringify(Object.assign({ id, name: 'Rex', status: 'available' }, extra || {}));

// Deterministic: a small LCG seeded with the id.
function mangle(seed) {
	const src = Buffer.from(JSON.stringify({ id: 5, name: 'Rex \u00e9', tag: 'dog', status: 'sold' }));
	const pool = Buffer.from('{}[]",:0123456789-.eE\\u00tfnrl \x00\x01\xff\xc3\xa9');
	let x = seed >>> 0;
	const rnd = (n) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return (x >>> 8) % n; };
	const out = Buffer.from(src);
	const k = 1 + rnd(4);
	for (let i = 0; i < k; i++)
		out[rnd(out.length)] = pool[rnd(pool.length)];
	return rnd(5) === 0 ? out.subarray(0, rnd(out.length)) : out;
}

function json(res, status, body, type) {
	res.writeHead(status, { 'Content-Type': type || 'application/json' });
	res.end(body);
}

const server = http.createServer((req, res) => {
	let chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const url = new URL(req.url, 'http://x');
		const m = /^\/v1\/pets\/(\d+)$/.exec(url.pathname);
		if (req.method === 'GET' && url.pathname === '/v1/attempts')
			return json(res, 200, JSON.stringify(attempts));
		if (req.method === 'POST' && url.pathname === '/v1/reset') {
			attempts = { get7: 0, post: 0, put7: 0, conns: 0, slow: 0, slowMax: 0 };
			return json(res, 200, '{}');
		}
		if (req.method === 'GET' && url.pathname === '/v1/pets') {
			const h = { 'Content-Type': 'application/json' };
			if (url.searchParams.get('tag') === 'neg')
				h['X-Total-Count'] = '-3';
			res.writeHead(200, h);
			return res.end('[]');
		}
		if (req.method === 'POST' && url.pathname === '/v1/pets') {
			attempts.post++;
			return json(res, 503, '{"title":"Service Unavailable","status":503}', 'application/problem+json');
		}
		if (req.method === 'PUT' && m && m[1] === '7') {
			if (++attempts.put7 <= 2)
				return json(res, 503, '{"status":503}', 'application/problem+json');
			return json(res, 200, pet(7));
		}
		if (req.method !== 'GET' || !m)
			return json(res, 404, '{"status":404,"detail":"no such path"}', 'application/problem+json');
		const id = Number(m[1]);
		switch (id) {
		case 1: return json(res, 200, JSON.stringify({ id: 1, name: 12, status: 'available' }));
		case 2: return json(res, 200, JSON.stringify({ id: 2, status: 'available' }));
		case 3: return json(res, 418, '{"status":418}', 'application/problem+json');
		case 4: return json(res, 200, '<html>hello</html>', 'text/html');
		case 5: return json(res, 200, '{');
		case 6: return; // never answers
		case 7:
			if (++attempts.get7 <= 2)
				return json(res, 503, '{"status":503}', 'application/problem+json');
			return json(res, 200, pet(7));
		case 8: return json(res, 200, pet(8, { tag: String(req.headers['x-request-id'] || 'none') }));
		case 9:
			attempts.slowMax = Math.max(attempts.slowMax, ++attempts.slow);
			return setTimeout(() => {
				attempts.slow--;
				json(res, 200, pet(9));
			}, 200);
		case 10: return json(res, 404, '{"status":"404","detail":"no pet"}', 'application/problem+json');
		case 11: return json(res, 200, JSON.stringify({ id: 0, name: 'Rex', status: 'lost' }));
		case 12: return json(res, 200, '"' + 'x'.repeat(20 << 20) + '"');
		default:
			if (id >= 1000)
				return json(res, 200, mangle(id));
			return json(res, 200, pet(id));
		}
	});
});
server.on('connection', () => attempts.conns++);
server.keepAliveTimeout = 10000;
server.listen(0, '127.0.0.1', () => {
	console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
process.on('SIGTERM', () => process.exit(0));
