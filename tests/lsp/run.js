// The scripted exchange with `apic lsp` (TAP): diagnostics with exact
// ranges, incremental sync, UTF-16 and UTF-8 positions, definition,
// references, hover, completion, rename, symbols, formatting, imports,
// protocol errors and the lifecycle. Usage: node run.js WORKDIR APIC [WRAPPER...]
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { Client } = require('./lsp.js');

const [work, apic, ...wrap] = process.argv.slice(2);
const argv = [...wrap, apic, 'lsp'];
let n = 0, failed = 0;
const plan = [];
function canon(v) {
	if (Array.isArray(v)) return v.map(canon);
	if (v && typeof v === 'object') {
		const o = {};
		for (const k of Object.keys(v).sort()) o[k] = canon(v[k]);
		return o;
	}
	return v;
}
function ok(cond, name, info) {
	n++;
	if (cond) console.log(`ok ${n} - ${name}`);
	else {
		failed++;
		console.log(`not ok ${n} - ${name}`);
		if (info !== undefined) for (const l of String(info).split('\n').slice(0, 30)) console.log('# ' + l);
	}
}
function eq(got, want, name) {
	const g = JSON.stringify(canon(got)), w = JSON.stringify(canon(want));
	ok(g === w, name, `got:  ${g}\nwant: ${w}`);
}
const uri = (f) => 'file://' + path.join(work, f);
const text = (f) => fs.readFileSync(path.join(work, f), 'utf8');
const lines = (t) => t.split('\n');
// a position of the JS string (UTF-16 code units, as the protocol counts)
function pos(t, line, needle, plus = 0) {
	const l = lines(t)[line];
	const c = l.indexOf(needle);
	if (c < 0) throw new Error(`no '${needle}' on line ${line}`);
	return { line, character: c + plus };
}
const range = (line, c0, c1) => ({ start: { line, character: c0 }, end: { line, character: c1 } });
function rangeOf(t, line, needle) {
	const p = pos(t, line, needle);
	return range(line, p.character, p.character + needle.length);
}
const short = (d) => d.map((x) => ({ range: x.range, severity: x.severity, message: x.message }));
const labels = (r) => (r.result.items || r.result).map((i) => i.label);

async function main() {
	const c = new Client(argv);
	const MAIN = uri('main.apic'), COMMON = uri('common.apic');
	let t = text('main.apic');

	let r = await c.request('textDocument/hover', { textDocument: { uri: MAIN }, position: { line: 0, character: 0 } });
	eq(r.error && r.error.code, -32002, 'a request before initialize: ServerNotInitialized');
	r = await c.request('initialize', { processId: null, rootUri: 'file://' + work, capabilities: {} });
	eq(r.result.capabilities.positionEncoding, 'utf-16', 'initialize: utf-16 when the client offers no encoding');
	eq(r.result.capabilities.textDocumentSync.change, 2, 'initialize: incremental sync');
	eq(r.result.serverInfo.name, 'apic', 'initialize: serverInfo');
	c.notify('initialized', {});

	// diagnostics with exact ranges (UTF-16 columns after é and 🐶)
	c.notify('textDocument/didOpen', { textDocument: { uri: MAIN, languageId: 'apic', version: 1, text: t } });
	let d = await c.diagnostics(MAIN);
	eq(d.version, 1, 'didOpen: diagnostics of version 1');
	eq(short(d.diagnostics), [
		{ range: rangeOf(t, 17, 'Statu'), severity: 1, message: "unknown type 'Statu'; did you mean 'Status'?" },
		{ range: rangeOf(t, 18, 'minitems 1'), severity: 1, message: "constraint 'minitems' does not apply to type 'string'" },
	], 'didOpen: the errors of `apic check`, with exact ranges');
	ok(rangeOf(t, 18, 'minitems 1').start.character === 33, 'the range after é🐶 counts UTF-16 units (33, not 36 bytes)');
	d = await c.diagnostics(COMMON);
	eq(d.diagnostics, [], 'the imported file gets its (empty) diagnostics');

	// fix both errors with two incremental edits in one notification
	const p1 = pos(t, 17, 'Statu', 5), p2 = pos(t, 18, ', minitems 1');
	c.notify('textDocument/didChange', {
		textDocument: { uri: MAIN, version: 2 }, contentChanges: [
			{ range: { start: p1, end: p1 }, text: 's' },
			{ range: { start: p2, end: { line: 18, character: p2.character + 12 } }, text: '' },
		],
	});
	t = t.replace('Statu ', 'Status ').replace(', minitems 1', '');
	d = await c.diagnostics(MAIN);
	eq([d.version, d.diagnostics], [2, []], 'didChange (incremental, two ranges): no diagnostics');

	const at = (p, u = MAIN) => ({ textDocument: { uri: u }, position: p });
	r = await c.request('textDocument/definition', at(pos(t, 19, 'Owner', 2)));
	eq(r.result, { uri: COMMON, range: range(1, 6, 11) }, 'definition: a model of the imported file');
	r = await c.request('textDocument/definition', at(pos(t, 22, 'Bearer', 3)));
	eq(r.result, { uri: MAIN, range: range(7, 9, 15) }, 'definition: a security scheme, from after 🐶 and é (UTF-16)');
	r = await c.request('textDocument/definition', at(pos(t, 0, 'common', 1)));
	eq(r.result, { uri: COMMON, range: range(0, 0, 0) }, 'definition: an import path is its file');
	r = await c.request('textDocument/definition', at(pos(t, 4, 'Problem')));
	eq(r.result, { uri: MAIN, range: range(9, 6, 13) }, 'definition: the error model of `errors`');
	r = await c.request('textDocument/definition', at(pos(t, 17, 'Status', 6)));
	eq(r.result, { uri: COMMON, range: range(5, 5, 11) }, 'definition: the cursor just after the name');
	r = await c.request('textDocument/definition', at(pos(t, 17, 'available', 3)));
	eq(r.result, { uri: COMMON, range: rangeOf(text('common.apic'), 5, 'available') }, 'definition: an enum member of a default');
	r = await c.request('textDocument/hover', at(pos(t, 17, 'available')));
	eq(r.result && r.result.contents.value, '```apic\navailable\n```\nenum member', 'hover: an enum member');
	r = await c.request('textDocument/hover', at(pos(t, 17, 'Status')));
	eq(r.result && r.result.contents.value, '```apic\nenum Status { available sold }\n```', 'hover: an enum, its members');
	r = await c.request('textDocument/definition', at({ line: 1, character: 0 }));
	eq(r.result, null, 'definition: nothing on a blank line');

	r = await c.request('textDocument/references', { ...at(pos(t, 14, 'Pet')), context: { includeDeclaration: true } });
	eq(r.result, [{ uri: MAIN, range: range(14, 6, 9) }, { uri: MAIN, range: rangeOf(t, 24, 'Pet') }], 'references: a model, its declaration included');
	r = await c.request('textDocument/references', { ...at(pos(t, 17, 'Status')), context: { includeDeclaration: false } });
	eq(r.result, [{ uri: MAIN, range: rangeOf(t, 17, 'Status') }], 'references: an enum, without its declaration');
	r = await c.request('textDocument/references', { ...at(pos(t, 7, 'Bearer')), context: { includeDeclaration: true } });
	eq(r.result, [{ uri: MAIN, range: range(7, 9, 15) }, { uri: MAIN, range: rangeOf(t, 22, 'Bearer') }], 'references: a security scheme and its auth use');

	r = await c.request('textDocument/hover', at(pos(t, 14, 'Pet')));
	eq(r.result.contents, { kind: 'markdown', value: '```apic\nmodel Pet\n```\n\nA pet 🐶 of the café.' }, 'hover: a model, its doc comment');
	r = await c.request('textDocument/hover', at(pos(t, 16, 'name')));
	eq(r.result.contents.value, '```apic\nname: string (minlen 1, maxlen 64)\n```\nfield of model `Pet`\n\nIts name: é 🐶.', 'hover: a field, its type and constraints');
	r = await c.request('textDocument/hover', at(pos(t, 23, 'limit')));
	eq(r.result.contents.value, '```apic\nquery limit: int32 (min 1, max 100) = 20\n```\nquery parameter', 'hover: a parameter');
	r = await c.request('textDocument/hover', at(pos(t, 19, 'Owner')));
	eq(r.result.contents.value, '```apic\nmodel Owner\n```\n\nWho owns a pet.', 'hover: a model of the imported file');

	r = await c.request('textDocument/completion', at({ line: 21, character: 0 }));
	eq(labels(r), ['import', 'service', 'security', 'model', 'enum', 'union', 'get', 'put', 'post', 'delete', 'patch', 'head', 'options'], 'completion: the top-level keywords');
	r = await c.request('textDocument/completion', at({ line: 23, character: 4 }));
	eq(labels(r), ['path', 'query', 'header', 'cookie', 'body', '->', 'auth', 'summary', 'description', 'tags', 'deprecated', 'operation', 'cache', 'etag', 'maxbody', 'receive', 'send', 'async', 'deadline'], 'completion: the keywords of an operation');
	r = await c.request('textDocument/completion', at(pos(t, 19, 'Owner', 2)));
	eq(labels(r), ['string', 'bool', 'int32', 'int64', 'number', 'map', 'Owner', 'Problem', 'Pet', 'Status'], 'completion: type names after ":"');
	r = await c.request('textDocument/completion', at(pos(t, 16, ')', 1)));
	eq(labels(r), ['nullable', 'readonly', 'writeonly', 'deprecated', 'example', '='], 'completion: field modifiers after a type');
	r = await c.request('textDocument/completion', at(pos(t, 16, 'len', 1)));
	eq(labels(r), ['min', 'max', 'xmin', 'xmax', 'len', 'minlen', 'maxlen', 'pattern', 'format', 'items', 'minitems', 'maxitems', 'unique', 'minprops', 'maxprops'], 'completion: constraint names in parentheses');
	r = await c.request('textDocument/completion', at(pos(t, 17, 'available', 2)));
	eq(labels(r), ['available', 'sold'], 'completion: the members of the enum of a default');
	r = await c.request('textDocument/completion', at(pos(t, 22, 'Bearer')));
	eq(labels(r), ['Bearer', 'none', 'optional'], 'completion: security schemes after auth');
	r = await c.request('textDocument/completion', at(pos(t, 18, 'é🐶', 1)));
	eq(labels(r), [], 'completion: nothing inside a string');
	r = await c.request('textDocument/completion', at(pos(t, 24, '[Pet]')));
	eq(labels(r), ['string', 'bool', 'int32', 'int64', 'number', 'map', 'Owner', 'Problem', 'Pet', 'Status', 'text', 'bytes'], 'completion: types and raw bodies after a status');

	r = await c.request('textDocument/prepareRename', at(pos(t, 14, 'Pet', 1)));
	eq(r.result, { range: range(14, 6, 9), placeholder: 'Pet' }, 'prepareRename: a model');
	r = await c.request('textDocument/prepareRename', at(pos(t, 23, 'limit')));
	eq(r.error && r.error.code, -32803, 'prepareRename: a parameter is refused');
	r = await c.request('textDocument/rename', { ...at(pos(t, 24, 'Pet')), newName: 'Animal' });
	eq(r.result, { changes: { [MAIN]: [{ range: range(14, 6, 9), newText: 'Animal' }, { range: rangeOf(t, 24, 'Pet'), newText: 'Animal' }] } }, 'rename: a model and its uses');
	r = await c.request('textDocument/rename', { ...at(pos(t, 17, 'Status')), newName: 'State' });
	eq(r.result, { changes: { [COMMON]: [{ range: range(5, 5, 11), newText: 'State' }], [MAIN]: [{ range: rangeOf(t, 17, 'Status'), newText: 'State' }] } }, 'rename: an enum across files');
	r = await c.request('textDocument/rename', { ...at(pos(t, 10, 'detail')), newName: 'problems' });
	eq(r.result, { changes: { [MAIN]: [{ range: rangeOf(t, 10, 'detail'), newText: 'problems' }, { range: rangeOf(t, 4, 'detail'), newText: 'problems' }] } }, 'rename: a field of the error model and its errors pointer');
	r = await c.request('textDocument/rename', { ...at(pos(t, 14, 'Pet')), newName: 'not a name' });
	eq(r.error && r.error.code, -32602, 'rename: a new name that is not an identifier');

	r = await c.request('textDocument/documentSymbol', { textDocument: { uri: MAIN } });
	const sym = (s) => ({ name: s.name, kind: s.kind, children: (s.children || []).map((k) => k.name) });
	eq(r.result.map(sym), [
		{ name: 'Problem', kind: 23, children: ['detail'] },
		{ name: 'Pet', kind: 23, children: ['name', 'status', 'tag', 'owner'] },
		{ name: 'Bearer', kind: 14, children: [] },
		{ name: 'GET /pets', kind: 6, children: [] },
	], 'documentSymbol: models with fields, schemes, operations');
	eq(r.result[1].selectionRange, range(14, 6, 9), 'documentSymbol: the selection range is the name');

	r = await c.request('textDocument/formatting', { textDocument: { uri: MAIN }, options: { tabSize: 4, insertSpaces: true } });
	const fmt = spawnSync(apic, ['fmt'], { input: t, encoding: 'utf8' }).stdout;
	const last = lines(t).length - 1;
	eq(r.result, [{ range: { start: { line: 0, character: 0 }, end: { line: last, character: 0 } }, newText: fmt }], 'formatting: one edit, the output of `apic fmt`');

	// an imported file open in the editor: its text wins
	const ct = text('common.apic');
	c.notify('textDocument/didOpen', { textDocument: { uri: COMMON, languageId: 'apic', version: 1, text: ct.replace('model Owner', 'model Ownr') } });
	d = await c.diagnostics(COMMON);
	eq(d.diagnostics, [], 'an open file without a service that an open schema imports: no "missing service"');
	d = await c.diagnostics(MAIN);
	eq(short(d.diagnostics), [{ range: rangeOf(t, 19, 'Owner'), severity: 1, message: "unknown type 'Owner'; did you mean 'Ownr'?" }], 'the importer sees the editor\'s text of the import');
	c.notify('textDocument/didClose', { textDocument: { uri: COMMON } });
	d = await c.diagnostics(COMMON);
	eq(d.diagnostics, [], 'didClose: its diagnostics cleared');

	// an error in an imported file, published for that file's URI
	const OTHER = uri('other.apic'), BROKEN = uri('broken.apic');
	c.notify('textDocument/didOpen', { textDocument: { uri: OTHER, languageId: 'apic', version: 1, text: text('other.apic') } });
	d = await c.diagnostics(OTHER);
	eq(d.diagnostics, [], 'a schema whose import has the error: none of its own');
	d = await c.diagnostics(BROKEN);
	eq(short(d.diagnostics), [{ range: range(1, 11, 16), severity: 1, message: "unknown type 'Thing'" }], 'the imported file\'s error, for its URI');

	// notes become related information
	c.notify('textDocument/didChange', { textDocument: { uri: OTHER, version: 2 }, contentChanges: [{ text: text('other.apic') + '\nmodel Box { }\n' }] });
	d = await c.diagnostics(OTHER);
	ok(d.diagnostics.length === 1 && d.diagnostics[0].relatedInformation && d.diagnostics[0].relatedInformation[0].location.uri === BROKEN,
		'a full-text change; a note in another file becomes relatedInformation there', JSON.stringify(d.diagnostics));

	// a burst of keystrokes in one write: analysed at least once, last version published
	let burst = '', v = 2;
	const otherText = text('other.apic') + '\nmodel Box { }\n';
	const endLine = lines(otherText).length - 1;
	for (const [i, ch] of [...'// typed'].entries()) {
		const body = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didChange', params: {
			textDocument: { uri: OTHER, version: ++v },
			contentChanges: [{ range: range(endLine, i, i), text: ch }] } });
		burst += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
	}
	c.sendRaw(burst);
	d = await c.wait((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === OTHER && m.params.version === v, 'the last version');
	ok(d.params.diagnostics.length === 1, 'a burst of 8 changes: the diagnostics of the last version');
	r = await c.request('textDocument/formatting', { textDocument: { uri: OTHER }, options: { tabSize: 4, insertSpaces: true } });
	const typed = spawnSync(apic, ['fmt'], { input: otherText + '// typed', encoding: 'utf8' }).stdout;
	eq(r.result.length ? r.result[0].newText : otherText, typed, 'after the burst, the server has the typed text');

	// line ends: "\r\n" and a lone "\r" end lines too
	const CR = uri('cr.apic');
	const crText = 'service "T" version "1" { }\r\nmodel A {\r    x: Strin\r}\n';
	c.notify('textDocument/didOpen', { textDocument: { uri: CR, languageId: 'apic', version: 1, text: crText } });
	d = await c.diagnostics(CR);
	eq(short(d.diagnostics), [{ range: range(2, 7, 12), severity: 1, message: "unknown type 'Strin'; did you mean 'string'?" }], 'a lone CR ends a line (positions as the client counts them)');

	// the C-name checks of `apic check`, with the note as related information
	const CN = uri('cn.apic');
	c.notify('textDocument/didOpen', { textDocument: { uri: CN, languageId: 'apic', version: 1,
		text: 'service "T" version "1" { }\nmodel A {\n    petId: string\n    pet_id: string\n}\nget /a {\n    -> 200 A\n}\n' } });
	d = await c.diagnostics(CN);
	eq(d.diagnostics, [{ range: range(3, 4, 10), severity: 1, source: 'apic',
		message: "field 'A.pet_id' and field 'A.petId' both become the C name 'pet_id'",
		relatedInformation: [{ location: { uri: CN, range: range(2, 4, 9) }, message: "field 'A.petId' declared here" }] }],
		'a C-name clash, its note as relatedInformation');

	// a spread `...Name`: definition and references reach it; the copied fields are not symbols of the spreading model
	const SP = uri('spread.apic');
	const spText = 'service "T" version "1" { }\nmodel Base {\n    x: string\n}\nmodel Card {\n    ...Base\n    y: int32\n}\nget /c {\n    -> 200 Card\n}\n';
	c.notify('textDocument/didOpen', { textDocument: { uri: SP, languageId: 'apic', version: 1, text: spText } });
	d = await c.diagnostics(SP);
	eq(d.diagnostics, [], 'a spread: no diagnostics');
	r = await c.request('textDocument/definition', at(pos(spText, 5, 'Base', 1), SP));
	eq(r.result, { uri: SP, range: range(1, 6, 10) }, 'definition: the model a spread names');
	r = await c.request('textDocument/references', { ...at(pos(spText, 1, 'Base'), SP), context: { includeDeclaration: true } });
	eq(r.result, [{ uri: SP, range: range(1, 6, 10) }, { uri: SP, range: range(5, 7, 11) }], 'references: a model and the spread of it');
	r = await c.request('textDocument/documentSymbol', { textDocument: { uri: SP } });
	eq(r.result[1].children.map((x) => x.name), ['y'], 'documentSymbol: a spread\'s copies are not the spreading model\'s fields');

	// unions: definition, references and completion of their names
	const UN = uri('union.apic');
	const ut = 'service "T" version "1" { }\nmodel Card {\n    kind: string\n}\n' +
		'union Pay by "kind" {\n    card: Card\n}\nunion Any {\n    Pay\n    \n}\n' +
		'get /a {\n    -> 200 Any\n    -> 201 Pay\n}\n';
	c.notify('textDocument/didOpen', { textDocument: { uri: UN, languageId: 'apic', version: 1, text: ut } });
	d = await c.diagnostics(UN);
	eq(d.diagnostics, [], 'a schema with unions checks clean');
	const uat = (p) => ({ textDocument: { uri: UN }, position: p });
	r = await c.request('textDocument/definition', uat(pos(ut, 12, 'Any', 1)));
	eq(r.result, { uri: UN, range: range(7, 6, 9) }, 'definition: a union named by a response');
	r = await c.request('textDocument/definition', uat(pos(ut, 5, 'Card', 1)));
	eq(r.result, { uri: UN, range: range(1, 6, 10) }, 'definition: the model of a union branch');
	r = await c.request('textDocument/references', { ...uat(pos(ut, 4, 'Pay')), context: { includeDeclaration: true } });
	eq(r.result, [{ uri: UN, range: range(4, 6, 9) }, { uri: UN, range: rangeOf(ut, 8, 'Pay') }, { uri: UN, range: rangeOf(ut, 13, 'Pay') }],
		'references: a union, as a branch of another and as a response');
	r = await c.request('textDocument/completion', uat({ line: 9, character: 4 }));
	eq(labels(r), ['string', 'bool', 'int32', 'int64', 'number', 'map', 'Card', 'Pay', 'Any'], 'completion: a bare branch of a union is a type, unions included');
	r = await c.request('textDocument/hover', uat(pos(ut, 13, 'Pay', 1)));
	ok(r.result && /union Pay by "kind" \{ card: Card \}/.test(r.result.contents.value), 'hover: a union with its branches', JSON.stringify(r.result));

	// protocol errors
	r = await c.request('textDocument/noSuchThing', {});
	eq(r.error && r.error.code, -32601, 'an unknown request: MethodNotFound');
	c.notify('$/noSuchNotification', {});
	c.sendRaw('Content-Length: 9\r\n\r\n{"jsonrpc');
	r = await c.wait((m) => m.error && m.id === null, 'a parse error');
	eq(r.error.code, -32700, 'malformed JSON: ParseError with a null id');
	c.sendRaw('X-Nonsense: 1\r\n\r\n');
	r = await c.wait((m) => m.error && m.id === null, 'a framing error');
	eq(r.error.code, -32700, 'a header without Content-Length: ParseError');
	c.sendRaw('Content-Length: 2\r\n\r\n[]');
	r = await c.wait((m) => m.error && m.id === null, 'invalid request');
	eq(r.error.code, -32600, 'a message that is not an object: InvalidRequest');
	// odd params never crash: every request answered
	const methods = ['textDocument/definition', 'textDocument/references', 'textDocument/hover',
		'textDocument/completion', 'textDocument/prepareRename', 'textDocument/rename',
		'textDocument/documentSymbol', 'textDocument/formatting'];
	const odd = [null, [], 'x', 7, { textDocument: 5 }, { textDocument: { uri: 'untitled:none' }, position: { line: 0, character: 0 } },
		{ textDocument: { uri: MAIN }, position: { line: -1, character: -5 }, newName: 'A' },
		{ textDocument: { uri: MAIN }, position: { line: 1e9, character: 1e9 }, newName: 'A' },
		{ textDocument: { uri: MAIN }, position: { line: 1.5, character: 'a' }, newName: 7 },
		{ textDocument: { uri: MAIN }, position: { line: 22, character: 23 } }]; // inside 🐶
	let answered = 0;
	for (const m of methods)
		for (const p of odd) {
			r = await c.request(m, p);
			answered += 'result' in r || 'error' in r;
		}
	eq(answered, methods.length * odd.length, 'requests with odd params: each answered');
	for (const p of odd) c.notify('textDocument/didChange', p);
	c.notify('textDocument/didChange', { textDocument: { uri: OTHER, version: 50 }, contentChanges: [
		{ range: { start: { line: 99, character: 0 }, end: { line: 0, character: 3 } }, text: '' },
		{ range: { start: { line: -3, character: 99 }, end: { line: 1e6, character: 0 } }, text: 'model Q { }\n' },
		{ range: 'nonsense', text: 5 }] });
	d = await c.wait((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === OTHER && m.params.version === 50, 'odd ranges');
	eq(d.params.diagnostics.map((x) => x.message), ["missing 'service' declaration (service \"Title\" version \"1.0.0\" { })"], 'changes with reversed and out-of-range ranges: clamped');
	c.sendRaw(`Content-Length: 400\r\n\r\n${'['.repeat(200)}${']'.repeat(200)}`);
	r = await c.wait((m) => m.error && m.id === null, 'deep JSON');
	eq(r.error.code, -32700, 'JSON nested too deeply: ParseError');

	r = await c.request('shutdown', null);
	const stray = c.msgs.filter((m) => m.method !== 'textDocument/publishDiagnostics');
	ok('result' in r && r.result === null && stray.length === 0, 'shutdown: null; the unknown notification was not answered', JSON.stringify(stray));
	r = await c.request('textDocument/hover', at({ line: 0, character: 0 }));
	eq(r.error && r.error.code, -32600, 'a request after shutdown: InvalidRequest');
	c.notify('exit');
	let e = await c.exited;
	eq(e, { code: 0, sig: null }, 'exit after shutdown: status 0');

	// utf-8 positions when the client offers them; exit without shutdown
	const c2 = new Client(argv);
	r = await c2.request('initialize', { capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] } } });
	eq(r.result.capabilities.positionEncoding, 'utf-8', 'initialize: utf-8 when the client offers it');
	c2.notify('initialized', {});
	const u8 = fs.readFileSync(path.join(work, 'main.apic'), 'utf8');
	c2.notify('textDocument/didOpen', { textDocument: { uri: MAIN, languageId: 'apic', version: 1, text: u8 } });
	d = await c2.diagnostics(MAIN);
	const l18 = lines(u8)[18], b = Buffer.byteLength(l18.slice(0, l18.indexOf('minitems')));
	eq(d.diagnostics[1].range, range(18, b, b + 10), 'utf-8: diagnostic columns in bytes');
	r = await c2.request('textDocument/definition', { textDocument: { uri: MAIN }, position: { line: 22, character: Buffer.byteLength(lines(u8)[22].slice(0, lines(u8)[22].indexOf('Bearer'))) + 2 } });
	eq(r.result && r.result.range, range(7, 9, 15), 'utf-8: a definition from a byte column');
	c2.notify('exit');
	e = await c2.exited;
	eq(e.code, 1, 'exit without shutdown: status 1');

	const c3 = new Client(argv);
	await c3.request('initialize', { capabilities: {} });
	c3.close();
	e = await c3.exited;
	eq(e.code, 1, 'the end of input without exit: status 1');

	console.log(`1..${n}`);
	process.exit(failed ? 1 : 0);
}

main().catch((err) => {
	console.log(`not ok ${n + 1} - ${err.stack}`);
	console.log(`1..${n + 1}`);
	process.exit(1);
});
