// bench/lsp-latency.sh's client: opens SCHEMA in `apic lsp`, then makes
// EDITS incremental changes (one character typed into a model name, then
// taken out again: every other version has an error), timing each
// didChange -> publishDiagnostics. Prints the median and the 95th
// percentile. Usage: node lsp-latency.js APIC SCHEMA [EDITS]
'use strict';
const fs = require('fs');
const path = require('path');
const { Client } = require('../tests/lsp/lsp.js');

const [apic, schema, editsArg] = process.argv.slice(2);
const edits = +(editsArg || 50);

async function main() {
	const file = path.resolve(schema);
	const uri = 'file://' + file;
	const text = fs.readFileSync(file, 'utf8');
	const lines = text.split('\n');
	// a model used by operations: the first `model NAME {` line
	const line = lines.findIndex((l) => /^model \w+/.test(l));
	const character = lines[line].indexOf('{') - 1;
	const c = new Client([apic, 'lsp']);
	await c.request('initialize', { capabilities: {} });
	c.notify('initialized', {});
	let t0 = process.hrtime.bigint();
	c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'apic', version: 1, text } });
	let d = await c.diagnostics(uri);
	const open = Number(process.hrtime.bigint() - t0) / 1e6;
	if (d.diagnostics.length) throw new Error('the schema has errors: ' + d.diagnostics[0].message);
	const times = [];
	let errors = 0;
	for (let i = 0; i < edits; i++) {
		const p = { line, character };
		const change = i % 2 === 0 ? { range: { start: p, end: p }, text: 'X' }
			: { range: { start: p, end: { line, character: character + 1 } }, text: '' };
		t0 = process.hrtime.bigint();
		c.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
		d = await c.diagnostics(uri);
		times.push(Number(process.hrtime.bigint() - t0) / 1e6);
		if (d.version !== i + 2) throw new Error('diagnostics of another version');
		errors += d.diagnostics.length > 0;
	}
	await c.request('shutdown', null);
	c.notify('exit');
	await c.exited;
	times.sort((a, b) => a - b);
	const q = (f) => times[Math.min(times.length - 1, Math.ceil(f * times.length) - 1)];
	console.log(`${lines.length} lines, ${Buffer.byteLength(text)} bytes; didOpen ${open.toFixed(1)} ms; ` +
		`${edits} edits (${errors} with errors): didChange -> publishDiagnostics ` +
		`median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
}

main().catch((e) => { console.error(e.stack); process.exit(1); });
