// The TextMate grammar (editors/apic.tmLanguage.json) against apic's own
// scanner: node textmate.mjs GRAMMAR KWLIST FILE DUMP [FILE DUMP]...
// DUMP is `apic check --dump-tokens FILE`. For every token and comment the
// scope the grammar gives at its first character must fit its class; the
// grammar's keywords must be exactly kwlist.h's. Prints TAP (no plan).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// NPM_MODULES: tests/npm/node_modules (or APIC_NODE_MODULES)
const require = createRequire(process.env.NPM_MODULES + '/../resolve-from-here.js');
const vsctm = require('vscode-textmate');
const onig = require('vscode-oniguruma');

let n = 0;
const ok = (cond, desc, detail) => {
	n++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${desc}`);
	if (!cond && detail)
		for (const l of detail.slice(0, 12))
			console.log(`# ${l}`);
};

const [grammarPath, kwlistPath, ...pairs] = process.argv.slice(2);
const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
await onig.loadWASM(wasm);
const registry = new vsctm.Registry({
	onigLib: Promise.resolve({
		createOnigScanner: (p) => new onig.OnigScanner(p),
		createOnigString: (s) => new onig.OnigString(s),
	}),
	loadGrammar: async () => vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath),
});
const grammar = await registry.loadGrammar('source.apic');
ok(grammar !== null, 'the grammar loads');

// The keywords the grammar knows: every alternative of its word lists.
const raw = JSON.parse(readFileSync(grammarPath, 'utf8'));
const words = new Set();
JSON.stringify(raw.repository).replace(/\(([a-z0-9|]+)\)/g, (_, alts) => {
	for (const w of alts.split('|')) if (/^[a-z]/.test(w)) words.add(w);
	return '';
});
const kw = new Set([...readFileSync(kwlistPath, 'utf8').matchAll(/KW\("([a-z-]+)"/g)].map((m) => m[1]));
const missing = [...kw].filter((w) => !words.has(w));
ok(missing.length === 0, 'every keyword of kwlist.h is in the grammar', missing);

const fits = {
	'comment': (s) => s.some((x) => x.startsWith('comment.line.double-slash')),
	'doc-comment': (s) => s.some((x) => x.startsWith('comment.line.documentation')),
	'string': (s) => s.some((x) => x.startsWith('string.quoted.double')),
	'number': (s) => s.some((x) => x.startsWith('constant.numeric')),
	'path': (s) => s.some((x) => x.startsWith('string.unquoted.path')),
	'name': (s) => s.some((x) => x.startsWith('variable.other.property')),
	'keyword': (s) => s.some((x) => /^(keyword\.other|storage\.type|constant\.language|support\.type\.map)/.test(x)),
	// a type, enum member, model or operation name: never a keyword
	'identifier': (s) => !s.some((x) => /^(keyword|storage|constant|comment|string)/.test(x)),
	'punctuation': (s) => !s.some((x) => /^(comment|string|variable|storage)/.test(x)),
};

for (let i = 0; i < pairs.length; i += 2) {
	const lines = readFileSync(pairs[i], 'utf8').split('\n');
	const at = []; // per line: [{start, scopes}]
	let stack = vsctm.INITIAL;
	for (const line of lines) {
		const r = grammar.tokenizeLine(line, stack);
		at.push(r.tokens.map((t) => ({ start: t.startIndex, end: t.endIndex, scopes: t.scopes })));
		stack = r.ruleStack;
	}
	const bad = [];
	let count = 0;
	for (const d of readFileSync(pairs[i + 1], 'utf8').split('\n')) {
		if (!d) continue;
		const [line, , col, , cls, ...text] = d.split(' ');
		const toks = at[Number(line) - 1] || [];
		const c = Number(col) - 1;
		const t = toks.find((x) => x.start <= c && c < x.end);
		const scopes = t ? t.scopes.slice(1) : [];
		count++;
		if (!fits[cls] || !fits[cls](scopes))
			bad.push(`${line}:${col} ${cls} ${text.join(' ').slice(0, 40)} -> ${scopes.join(' ') || '(none)'}`);
	}
	ok(bad.length === 0 && count > 0, `${pairs[i]}: ${count} tokens and comments coloured by their class`, bad);
}
console.log(`# ${n} checks`);
