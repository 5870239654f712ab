// TAP: parses each AsyncAPI document given with the official parser
// (@asyncapi/parser, its spec schemas and rules); a diagnostic of severity
// error fails the document, the others are printed as comments. A document
// that parses is also walked through the parser's model, so that every
// operation's channel and messages resolve.
// usage: node asyncapi.cjs [--after N] LABEL=FILE...
// (--after N: N tests were printed before, with the plan: number on from N)
'use strict';
const fs = require('fs');
const { Parser, DiagnosticSeverity } = require('@asyncapi/parser');

const args = process.argv.slice(2);
const after = args[0] === '--after' ? Number(args.splice(0, 2)[1]) : -1;
const files = args.map((a) => {
	const i = a.indexOf('=');
	return { label: a.slice(0, i), file: a.slice(i + 1) };
});
const severity = Object.fromEntries(Object.entries(DiagnosticSeverity).map(([k, v]) => [v, k]));

(async () => {
	const parser = new Parser();
	let n = Math.max(after, 0), failed = 0;
	if (after < 0)
		console.log(`1..${files.length * 2}`);
	for (const f of files) {
		const { document, diagnostics } = await parser.parse(fs.readFileSync(f.file, 'utf8'),
			{ source: f.file });
		const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
		const where = (d) => (d.path.length ? `/${d.path.join('/')}` : '(root)');
		n++;
		if (errors.length === 0 && document) {
			console.log(`ok ${n} - @asyncapi/parser ${f.label} (${diagnostics.length} other diagnostics)`);
		} else {
			failed++;
			console.log(`not ok ${n} - @asyncapi/parser ${f.label}: ${errors.length} errors`);
			for (const d of errors)
				console.log(`# error ${d.code} at ${where(d)}: ${d.message}`);
		}
		for (const d of diagnostics.filter((x) => x.severity !== DiagnosticSeverity.Error))
			console.log(`# ${f.label}: ${severity[d.severity]} ${d.code} at ${where(d)}: ${d.message}`);

		n++;
		const problems = [];
		if (document) {
			for (const op of document.operations().all()) {
				const channels = op.channels().all();
				if (channels.length !== 1)
					problems.push(`${op.id()}: ${channels.length} channels`);
				const messages = op.messages().all();
				if (messages.length !== 1 || !messages[0].hasPayload())
					problems.push(`${op.id()}: no message with a payload`);
				if (op.action() !== 'send' && op.action() !== 'receive')
					problems.push(`${op.id()}: action ${op.action()}`);
			}
		} else {
			problems.push('not parsed');
		}
		if (problems.length === 0) {
			console.log(`ok ${n} - ${f.label}: every operation has one channel and one message`);
		} else {
			failed++;
			console.log(`not ok ${n} - ${f.label}: ${problems.join('; ')}`);
		}
	}
	process.exit(failed ? 1 : 0);
})().catch((e) => {
	console.log(`Bail out! ${e.stack}`);
	process.exit(1);
});
