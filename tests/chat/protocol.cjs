// WebSocket protocol cases against the chat example, with raw frames over
// node's net module (the cases need frames no well-behaved client sends:
// unmasked, fragmented, oversize). TAP on stdout.
// usage: node protocol.cjs PORT
'use strict';
const net = require('net');
const crypto = require('crypto');
const port = Number(process.argv[2]);
let n = 0, failed = 0;
function ok(cond, desc, extra) {
	n++;
	if (!cond) failed++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${desc}`);
	if (!cond && extra) console.log(`# ${extra}`);
}

// A connection: handshake, then parsed frames in `frames`, waiters by predicate.
function connect(path, headers = {}) {
	return new Promise((resolve, reject) => {
		const s = net.connect(port, '127.0.0.1');
		const key = crypto.randomBytes(16).toString('base64');
		let buf = Buffer.alloc(0), head = null;
		const c = { s, frames: [], closed: false, waiters: [], status: 0, headText: '' };
		const check = () => { c.waiters = c.waiters.filter((w) => !w(c)); };
		s.on('data', (d) => {
			buf = Buffer.concat([buf, d]);
			if (head === null) {
				const i = buf.indexOf('\r\n\r\n');
				if (i < 0) return;
				head = buf.subarray(0, i).toString();
				c.headText = head;
				c.status = Number(head.split(' ')[1]);
				buf = buf.subarray(i + 4);
				resolve(c);
			}
			for (;;) {
				if (buf.length < 2) break;
				let len = buf[1] & 127, off = 2;
				if (len === 126) { if (buf.length < 4) break; len = buf.readUInt16BE(2); off = 4; }
				else if (len === 127) { if (buf.length < 10) break; len = Number(buf.readBigUInt64BE(2)); off = 10; }
				if (buf.length < off + len) break;
				c.frames.push({ op: buf[0] & 15, fin: !!(buf[0] & 128), data: buf.subarray(off, off + len) });
				buf = buf.subarray(off + len);
			}
			check();
		});
		s.on('close', () => { c.closed = true; check(); if (head === null) resolve(c); });
		s.on('error', () => {});
		const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
		s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
			`Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`);
		c.accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
		setTimeout(() => reject(new Error('no handshake answer')), 5000);
	});
}
function frame(op, payload, { fin = true, mask = true } = {}) {
	const p = Buffer.from(payload);
	const len = p.length;
	const hdr = len < 126 ? Buffer.from([(fin ? 128 : 0) | op, (mask ? 128 : 0) | len])
		: len < 65536 ? Buffer.from([(fin ? 128 : 0) | op, (mask ? 128 : 0) | 126, len >> 8, len & 255])
		: (() => { const b = Buffer.alloc(10); b[0] = (fin ? 128 : 0) | op; b[1] = (mask ? 128 : 0) | 127; b.writeBigUInt64BE(BigInt(len), 2); return b; })();
	if (!mask) return Buffer.concat([hdr, p]);
	const m = crypto.randomBytes(4);
	const out = Buffer.alloc(len);
	for (let i = 0; i < len; i++) out[i] = p[i] ^ m[i & 3];
	return Buffer.concat([hdr, m, out]);
}
function until(c, pred, ms = 5000) {
	return new Promise((resolve) => {
		const t = setTimeout(() => resolve(false), ms);
		const w = (x) => { if (pred(x)) { clearTimeout(t); resolve(true); return true; } return false; };
		if (!w(c)) c.waiters.push(w);
	});
}
const texts = (c) => c.frames.filter((f) => f.op === 1).map((f) => JSON.parse(f.data.toString()));
const closeOf = (c) => { const f = c.frames.find((x) => x.op === 8); return f ? { code: f.data.readUInt16BE(0), reason: f.data.subarray(2).toString() } : null; };
const closedWith = (c, code) => until(c, (x) => { const k = closeOf(x); return k && k.code === code; });

(async () => {
	const a = await connect('/rooms/r1/ws?name=alice');
	ok(a.status === 101, 'handshake: 101', a.headText.split('\r\n')[0]);
	ok(a.headText.includes(`Sec-WebSocket-Accept: ${a.accept}`), 'Sec-WebSocket-Accept is right');
	const b = await connect('/rooms/r1/ws?name=bob');
	await new Promise((r) => setTimeout(r, 200));
	a.s.write(frame(1, JSON.stringify({ text: 'héllo' })));
	const got = await until(b, (x) => texts(x).length >= 1) && await until(a, (x) => texts(x).length >= 1);
	const m = texts(b)[0] || {};
	ok(got && m.from === 'alice' && m.text === 'héllo' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(m.at),
		'broadcast: both members get {from, text, at}', JSON.stringify(m));
	// fragmented: text frame without FIN, continuation with FIN
	const msg = JSON.stringify({ text: 'in two parts' });
	a.s.write(frame(1, msg.slice(0, 7), { fin: false }));
	a.s.write(frame(0, msg.slice(7)));
	ok(await until(b, (x) => texts(x).some((t) => t.text === 'in two parts')), 'a fragmented message is reassembled');
	a.s.write(frame(9, 'are you there'));
	ok(await until(a, (x) => x.frames.some((f) => f.op === 10 && f.data.toString() === 'are you there')), 'ping -> pong');
	// invalid message: 1007 with the violation
	a.s.write(frame(1, JSON.stringify({ text: '' })));
	ok(await closedWith(a, 1007), 'an invalid message closes with 1007');
	ok((closeOf(a) || {}).reason.includes('/text'), 'the reason names the violation', JSON.stringify(closeOf(a)));
	const c = await connect('/rooms/r1/ws?name=carol');
	c.s.write(frame(1, '{"text": "x", "extra": 1}'));
	ok(await closedWith(c, 1007), 'an unknown property: 1007');
	const d = await connect('/rooms/r1/ws?name=dave');
	d.s.write(frame(1, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])));
	ok(await closedWith(d, 1007), 'invalid UTF-8: 1007');
	const e = await connect('/rooms/r1/ws?name=eve');
	e.s.write(frame(1, JSON.stringify({ text: 'x'.repeat(70000) })));
	ok(await closedWith(e, 1009), 'a message over --ws-max-message: 1009', JSON.stringify([closeOf(e), e.closed, e.frames.length]));
	const f = await connect('/rooms/r1/ws?name=frank');
	f.s.write(frame(1, JSON.stringify({ text: 'unmasked' }), { mask: false }));
	ok(await closedWith(f, 1002), 'an unmasked client frame: 1002');
	const g = await connect('/rooms/r1/ws?name=gina');
	g.s.write(frame(2, 'binary'));
	ok(await closedWith(g, 1003), 'a binary message: 1003');
	const h = await connect('/rooms/r1/ws?name=hank', { Origin: 'http://evil.example' });
	ok(h.status === 403, 'a foreign Origin: 403 (cross-site WebSocket hijacking)', h.headText.split('\r\n')[0]);
	const i = await connect(`/rooms/r1/ws?name=ida`, { Origin: `http://127.0.0.1:${port}` });
	ok(i.status === 101, 'the server\'s own Origin: 101');
	const keep = setInterval(() => i.s.write(frame(9, 'ka')), 400); // ida stays alive
	const j = await connect('/rooms/r1/ws');
	ok(j.status === 422, 'no name: 422');
	const k = await connect('/rooms/r1/ws?name=' + 'x'.repeat(33));
	ok(k.status === 422, 'a name of 33 code points: 422');
	// ping timeout: bob answers nothing from now on (node answers no pings by itself: raw socket)
	ok(await until(b, (x) => x.closed, 8000), 'a client that answers no ping is dropped (--ws-ping 1)');
	// SIGTERM: the driver sends it once it reads this line, and every open socket gets 1001
	console.log('# ready for SIGTERM');
	ok(await closedWith(i, 1001), 'SIGTERM closes with 1001');
	clearInterval(keep);
	console.log(`1..${n}`);
	process.exit(failed ? 1 : 0);
})().catch((err) => { console.log(`not ok ${n + 1} - ${err.message}`); console.log(`1..${n + 1}`); process.exit(1); });
