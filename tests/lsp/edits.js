// Random edits (TAP): each file of tests/fuzz/corpus typed in as bursts of
// keystrokes, then random range edits (insertions, deletions, replacements
// with pieces of other files), features asked at random positions in
// between. Every change must be answered by a diagnostics notification of
// its version, and the server's text must stay the client's (the final
// diagnostics equal those of a fresh didOpen). Usage:
// node edits.js CORPUSDIR APIC [SEED [WRAPPER...]]
'use strict';
const fs = require('fs');
const path = require('path');
const { Client } = require('./lsp.js');

const [corpus, apic, seedArg, ...wrap] = process.argv.slice(2);
let seed = +(seedArg || 1);
const rnd = (k) => {       // xorshift32: the same run every time
	seed ^= seed << 13; seed >>>= 0;
	seed ^= seed >>> 17;
	seed ^= seed << 5; seed >>>= 0;
	return seed % k;
};
let n = 0, failed = 0;
function ok(cond, name, info) {
	n++;
	if (cond) console.log(`ok ${n} - ${name}`);
	else {
		failed++;
		console.log(`not ok ${n} - ${name}`);
		if (info) console.log('# ' + String(info).split('\n').slice(0, 10).join('\n# '));
	}
}
// the protocol position of a JS string offset (UTF-16 units)
function position(t, off) {
	let line = 0, start = 0;
	for (let i = t.indexOf('\n'); i >= 0 && i < off; i = t.indexOf('\n', i + 1)) {
		line++;
		start = i + 1;
	}
	return { line, character: off - start };
}
// an offset that splits neither a surrogate pair nor "\r\n"
function safe(t, off) {
	while (off > 0 && off < t.length && ((t.charCodeAt(off) & 0xfc00) === 0xdc00 || (t[off] === '\n' && t[off - 1] === '\r')))
		off--;
	return off;
}

async function main() {
	const files = fs.readdirSync(corpus).filter((f) => f.endsWith('.apic')).sort();
	const texts = files.map((f) => fs.readFileSync(path.join(corpus, f), 'utf8'));
	const c = new Client([...wrap, apic, 'lsp']);
	await c.request('initialize', { capabilities: {} });
	c.notify('initialized', {});
	let changes = 0, answered = 0, requests = 0, replies = 0;
	for (let fi = 0; fi < files.length; fi++) {
		const uri = 'file://' + path.resolve(corpus, 'edited-' + files[fi]); // not on disk
		let t = '', version = 1;
		c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'apic', version, text: t } });
		await c.diagnostics(uri);
		const want = texts[fi];
		const edit = async (a, b, s) => {
			const range = { start: position(t, a), end: position(t, b) };
			t = t.slice(0, a) + s + t.slice(b);
			version++;
			changes++;
			c.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: s }] });
			const d = await c.diagnostics(uri);
			if (d.version === version) answered++;
			if (rnd(3) === 0) {  // a feature at a random place of the half-typed file
				const methods = ['textDocument/hover', 'textDocument/definition', 'textDocument/completion',
					'textDocument/references', 'textDocument/documentSymbol', 'textDocument/prepareRename',
					'textDocument/formatting', 'textDocument/rename'];
				const method = methods[rnd(methods.length)];
				const p = position(t, safe(t, rnd(t.length + 1)));
				requests++;
				const r = await c.request(method, { textDocument: { uri }, position: p, newName: 'x',
					context: { includeDeclaration: true }, options: { tabSize: 4, insertSpaces: true } });
				if ('result' in r || (r.error && r.error.code === -32803)) replies++;
			}
		};
		// typed in: bursts of 1..40 characters at the end
		for (let i = 0; i < want.length;) {
			const k = Math.min(want.length - i, 1 + rnd(rnd(4) === 0 ? 200 : 40));
			let j = safe(want, i + k);
			if (j <= i) j = i + k;
			await edit(t.length, t.length, want.slice(i, j));
			i = j;
		}
		ok(t === want, `${files[fi]}: typed in`);
		// random range edits
		for (let e = 0; e < 8; e++) {
			const a = safe(t, rnd(t.length + 1)), b = safe(t, Math.min(t.length, a + rnd(30)));
			const src = texts[rnd(texts.length)], s0 = safe(src, rnd(src.length + 1));
			const piece = rnd(3) === 0 ? '' : src.slice(s0, safe(src, Math.min(src.length, s0 + rnd(25))));
			await edit(Math.min(a, b), Math.max(a, b), piece);
		}
		// the server's text is the client's
		const last = await (async () => {
			c.notify('textDocument/didOpen', { textDocument: { uri: uri + '.check', languageId: 'apic', version: 1, text: t } });
			return (await c.diagnostics(uri + '.check')).diagnostics;
		})();
		c.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [] });
		changes++;
		const mine = await c.diagnostics(uri);
		if (mine.version === version) answered++;
		const strip = (ds) => JSON.stringify(ds.map((x) => [x.range, x.message]));
		ok(strip(mine.diagnostics) === strip(last), `${files[fi]}: after the edits, the same diagnostics as the whole text`,
			strip(mine.diagnostics) + '\n' + strip(last));
		c.notify('textDocument/didClose', { textDocument: { uri } });
		c.notify('textDocument/didClose', { textDocument: { uri: uri + '.check' } });
	}
	ok(answered === changes, `${changes} changes, each answered by diagnostics of its version`, `${answered} answered`);
	ok(replies === requests, `${requests} feature requests on half-typed files, each answered`);
	const r = await c.request('shutdown', null);
	ok('result' in r, 'shutdown');
	c.notify('exit');
	const e = await c.exited;
	ok(e.code === 0 && e.sig === null, 'exit status 0 (no crash)', JSON.stringify(e));
	console.log(`1..${n}`);
	process.exit(failed ? 1 : 0);
}

main().catch((err) => {
	console.log(`not ok ${n + 1} - ${err.stack}`);
	console.log(`1..${n + 1}`);
	process.exit(1);
});
