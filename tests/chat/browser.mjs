// The chat example's page at / in headless chromium (playwright-core from
// tests/npm), two people in two browser contexts: both join one room
// through the page's form, a message alice sends shows on both pages, GET
// /rooms counts them, a WebSocket opened by a page of another site is
// refused, bob's message over 500 code points closes his socket with 1007
// (the page shows the code), joining again while in keeps the page usable,
// and a SIGTERM to the server closes both pages' sockets with 1001.
// Prints TAP; argv: BASE_URL SCREENSHOT. "# ready for SIGTERM" is printed
// when the server should get it (tests/chat/browser.sh sends it). Every
// wait has a time limit; the browser is always closed.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';

const [base, shot] = process.argv.slice(2);
const room = 'e2e-browser';
const T = 10000; // every wait: 10 s at most
let n = 0;
let failed = 0;
function ok(cond, name, ...diag) {
	n++;
	if (!cond)
		failed++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name}`);
	if (!cond)
		for (const d of diag)
			console.log(`#   ${String(d).split('\n').join('\n#   ')}`);
}
// Nothing may hang the test: past 2 minutes the script gives up (playwright
// kills the browser it started when the process exits).
setTimeout(() => {
	console.log('Bail out! the browser script took over 120 s');
	process.exit(2);
}, 120000).unref();

async function rooms() {
	const r = await fetch(`${base}/rooms`, { signal: AbortSignal.timeout(T) });
	return r.json();
}
// GET /rooms until pred holds of it (10 s at most); the last list.
async function roomsUntil(pred) {
	let list;
	for (const end = Date.now() + T; ;) {
		list = await rooms();
		if (pred(list) || Date.now() > end)
			return list;
		await new Promise((r) => setTimeout(r, 100));
	}
}
const members = (list) => (list.find((r) => r.name === room) || {}).members;

// What the page shows in #log: its messages and its notices.
function shown(page) {
	return page.evaluate(() => Array.from(document.querySelectorAll('#log > div')).map((d) =>
		d.className === 'msg'
			? { from: d.querySelector('.from').textContent.replace(/: $/, ''), text: d.lastChild.textContent }
			: { sys: d.textContent }));
}
// Waits (10 s at most) for a notice of the page starting with prefix,
// after the first `after` of them; its text, or null.
async function notice(page, prefix, after = 0) {
	try {
		const h = await page.waitForFunction(([p, k]) => {
			const l = Array.from(document.querySelectorAll('#log > .sys'))
				.slice(k).map((d) => d.textContent).filter((t) => t.startsWith(p));
			return l.length ? l[0] : null;
		}, [prefix, after], { timeout: T });
		return await h.jsonValue();
	} catch {
		return null;
	}
}
const notices = (page) => page.evaluate(() => document.querySelectorAll('#log > .sys').length);
async function message(page, from, text) {
	try {
		await page.waitForFunction(([f, t]) => Array.from(document.querySelectorAll('#log > .msg')).some((d) =>
			d.querySelector('.from').textContent === `${f}: ` && d.lastChild.textContent === t), [from, text], { timeout: T });
		return true;
	} catch {
		return false;
	}
}

// Another site: a page of its own on another loopback port, under a name
// that the browser maps to 127.0.0.1 (--host-resolver-rules), so that its
// Origin is http://evil.test:PORT.
const evil = http.createServer((req, res) => {
	res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
	res.end('<!doctype html><title>another site</title><p>another site</p>\n');
});
await new Promise((r) => evil.listen(0, '127.0.0.1', r));
const evilBase = `http://evil.test:${evil.address().port}`;
const wsUrl = `${base.replace(/^http/, 'ws')}/rooms/${room}/ws?name=mallory`;

// In the page: a new WebSocket to url; what became of it (open, or the
// error and close it got), 10 s at most. Leaves it open when it opened.
function tryWebSocket(page, url) {
	return page.evaluate(([u, t]) => new Promise((resolve) => {
		const seen = { open: false, error: false, code: null };
		const ws = new WebSocket(u);
		window.probe = ws;
		const done = () => resolve(seen);
		ws.onopen = () => { seen.open = true; done(); };
		ws.onerror = () => { seen.error = true; };
		ws.onclose = (c) => { seen.code = c.code; done(); };
		setTimeout(done, t);
	}), [url, T]);
}

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	       '--disable-background-networking', '--disable-component-update', '--disable-sync',
	       '--host-resolver-rules=MAP evil.test 127.0.0.1'],
});
// A page in a browser context of its own (cookies, storage: a person).
async function newPage() {
	const context = await browser.newContext();
	context.setDefaultTimeout(T);
	context.setDefaultNavigationTimeout(T);
	return context.newPage();
}
try {
	const pageErrors = [];
	const people = {};
	for (const name of ['alice', 'bob']) {
		const page = await newPage();
		page.on('pageerror', (e) => pageErrors.push(`${name}: ${e}`));
		const sockets = [];
		page.on('websocket', (ws) => sockets.push(ws.url()));
		people[name] = { page, sockets };
	}
	const { page: alice } = people.alice;
	const { page: bob } = people.bob;

	// 1. the page's own form: room and name, then Join
	for (const name of ['alice', 'bob']) {
		const { page, sockets } = people[name];
		const resp = await page.goto(`${base}/`, { timeout: T });
		await page.locator('#room').fill(room);
		await page.locator('#name').fill(name);
		await page.locator('#join button').click();
		const joined = await notice(page, `joined ${room}`);
		const url = `${base.replace(/^http/, 'ws')}/rooms/${room}/ws?name=${name}`;
		ok(resp.status() === 200 && joined && sockets.length === 1 && sockets[0] === url &&
		   await page.locator('#text').isEnabled(),
		   `${name} joins ${room} through the page's form (its own WebSocket, ${url.replace(base.replace(/^http/, 'ws'), '')})`,
		   `status ${resp.status()}, notice ${joined}, sockets ${sockets.join(' ')}`, JSON.stringify(await shown(page)));
	}

	// 3. (before the message: a member is in the room once the server has
	// run its open callback, which may come after the browser saw the 101)
	let list = await roomsUntil((l) => members(l) === 2);
	ok(members(list) === 2 && list.length === 1, `GET /rooms: ${room} with members 2 while both are in`, JSON.stringify(list));

	// 2. alice's message through the page's input, on both pages
	const hello = 'hello from alice, ✓ ünïcode';
	await alice.locator('#text').fill(hello);
	await alice.locator('#send').click();
	for (const [name, page] of [['alice', alice], ['bob', bob]])
		ok(await message(page, 'alice', hello), `${name}'s page shows alice's message with from=alice`,
		   JSON.stringify(await shown(page)));
	ok(await alice.locator('#text').inputValue() === '', 'the input is emptied after Send');

	// 4. another site's page: its WebSocket to the chat is refused (403 on
	// the handshake), while the same from the chat's own page opens
	const other = await newPage();
	const consoleLines = [];
	other.on('console', (m) => consoleLines.push(m.text()));
	await other.goto(`${evilBase}/`, { timeout: T });
	const origin = await other.evaluate(() => location.origin);
	// chromium logs why the handshake failed ("Unexpected response code")
	const said = other.waitForEvent('console', { predicate: (m) => /WebSocket/.test(m.text()) && /\b403\b/.test(m.text()),
						       timeout: T }).then(() => true, () => false);
	const cross = await tryWebSocket(other, wsUrl);
	const said403 = await said;
	ok(origin === evilBase && !cross.open && cross.error && cross.code === 1006 && said403,
	   `a page of another site (${origin}) cannot open a WebSocket to the chat: error, close 1006, no open; the handshake got 403`,
	   JSON.stringify(cross), consoleLines.join('\n'));
	list = await rooms();
	ok(members(list) === 2, 'GET /rooms: still members 2 (nobody joined from the other site)', JSON.stringify(list));
	const same = await tryWebSocket(alice, wsUrl);
	ok(same.open, 'the same new WebSocket from the chat\'s own page opens', JSON.stringify(same));
	await alice.evaluate(([t]) => new Promise((r) => {
		if (window.probe.readyState === WebSocket.CLOSED) r();
		window.probe.onclose = r;
		window.probe.close(1000);
		setTimeout(r, t);
	}), [T]);
	list = await roomsUntil((l) => members(l) === 2);
	ok(members(list) === 2, 'GET /rooms: members 2 again once it closed', JSON.stringify(list));
	await other.context().close();

	// 5. 500 code points are the limit, not 500 bytes or UTF-16 units
	const smile = '\u{1F600}';
	const longest = smile.repeat(500);
	await bob.locator('#text').fill(longest);
	await bob.locator('#send').click();
	ok(await message(alice, 'bob', longest), 'bob\'s message of 500 code points (2,000 bytes of UTF-8) reaches alice',
	   JSON.stringify(await shown(alice)).slice(0, 500));
	const before = await notices(bob);
	await bob.locator('#text').fill(smile.repeat(501));
	await bob.locator('#send').click();
	const closed = await notice(bob, 'closed', before);
	ok(closed && closed.startsWith('closed (1007: ') && /text/.test(closed),
	   `bob's message of 501 code points: the server closes his socket with 1007 (his page says "${closed}")`,
	   JSON.stringify(await shown(bob)).slice(-500));
	ok(await bob.locator('#text').isDisabled(), 'bob\'s page disables its input after the close');
	list = await roomsUntil((l) => members(l) === 1);
	ok(members(list) === 1, 'GET /rooms: members 1 once bob is out', JSON.stringify(list));
	ok(!(await shown(alice)).some((m) => m.from === 'bob' && m.text.length > 1000), 'alice never got the message of 501');

	// bob joins again with the same form
	const before2 = await notices(bob);
	await bob.locator('#join button').click();
	const again = await notice(bob, `joined ${room}`, before2);
	list = await roomsUntil((l) => members(l) === 2);
	ok(again && members(list) === 2, 'bob joins again through the form (members 2)', `${again}`, JSON.stringify(list));

	// Joining again while in: the page closes its old socket (1000), and
	// that close must not disable the input of the new one when it comes
	// after the new one opened. carol's sockets go through a playwright
	// route that holds the old one's close for 500 ms, so that it does.
	const carol = await newPage();
	carol.on('pageerror', (e) => pageErrors.push(`carol: ${e}`));
	await carol.routeWebSocket(/\/ws\?name=carol$/, (route) => {
		const server = route.connectToServer();
		route.onClose((code, reason) => setTimeout(() => {
			server.close({ code, reason });
			route.close({ code, reason });
		}, 500));
	});
	await carol.goto(`${base}/`, { timeout: T });
	await carol.locator('#room').fill(`${room}-2`);
	await carol.locator('#name').fill('carol');
	await carol.locator('#join button').click();
	const first = await notice(carol, `joined ${room}-2`);
	const k = await notices(carol);
	await carol.locator('#join button').click();
	let both = null;
	try {
		both = await (await carol.waitForFunction(([k, j]) => {
			const l = Array.from(document.querySelectorAll('#log > .sys')).slice(k).map((d) => d.textContent);
			return l.includes('closed (1000)') && l.includes(j) ? l : null;
		}, [k, `joined ${room}-2`], { timeout: T })).jsonValue();
	} catch {}
	ok(first && both && both[0].startsWith('joined') && await carol.locator('#text').isEnabled(),
	   'joining again while in: the old socket\'s close (1000), after the new one opened, leaves the input enabled',
	   JSON.stringify(both));
	await carol.context().close();

	// 6. the server stops: both pages see their socket closed with 1001
	const na = await notices(alice);
	const nb = await notices(bob);
	console.log('# ready for SIGTERM');
	const [ca, cb] = await Promise.all([notice(alice, 'closed', na), notice(bob, 'closed', nb)]);
	for (const [name, c] of [['alice', ca], ['bob', cb]])
		ok(c && c.startsWith('closed (1001'), `SIGTERM: ${name}'s page shows the close with 1001 ("${c}")`);

	await bob.screenshot({ path: shot, fullPage: true, timeout: T });
	const png = fs.existsSync(shot) ? fs.readFileSync(shot) : Buffer.alloc(0);
	ok(png.length > 1000 && png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
	   `a screenshot of bob's page: a PNG of ${png.length} bytes`);
	ok(pageErrors.length === 0, 'no JavaScript error on the pages', pageErrors.join('\n'));
} catch (e) {
	ok(false, 'the chat pages could be driven', e.stack || e);
	console.log('# ready for SIGTERM');
} finally {
	await browser.close();
	evil.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
