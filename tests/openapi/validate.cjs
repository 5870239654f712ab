// TAP: runs `redocly lint` (tests/openapi/redocly.yaml) once over every
// document given and swagger-parser's validate on each; two lines per file.
// usage: node validate.cjs REDOCLY_YAML LABEL=FILE...
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');
const SwaggerParser = require('@apidevtools/swagger-parser');

const config = process.argv[2];
const files = process.argv.slice(3).map((a) => {
	const i = a.indexOf('=');
	return { label: a.slice(0, i), file: a.slice(i + 1) };
});
const cli = path.join(process.env.NODE_PATH, '@redocly', 'cli', 'bin', 'cli.js');

function redocly() {
	let out;
	try {
		out = execFileSync(process.execPath,
			[cli, 'lint', '--config', config, '--format=json', ...files.map((f) => f.file)],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
	} catch (e) {
		out = e.stdout; // exit 1 when a document has errors
		if (!out)
			throw e;
	}
	// One JSON report per file, in argument order, printed back to back.
	const reports = out.split(/(?<=\})(?=\{\n {2}"totals")/).map((t) => JSON.parse(t));
	if (reports.length !== files.length)
		throw new Error(`redocly printed ${reports.length} reports for ${files.length} files`);
	return reports;
}

(async () => {
	let n = 0, failed = 0;
	console.log(`1..${files.length * 2}`);
	const reports = redocly();
	files.forEach((f, i) => {
		const r = reports[i];
		const errors = r.problems.filter((p) => p.severity === 'error');
		n++;
		if (r.totals.errors === 0 && errors.length === 0) {
			console.log(`ok ${n} - redocly lint ${f.label} (${r.totals.warnings} warnings)`);
		} else {
			failed++;
			console.log(`not ok ${n} - redocly lint ${f.label}: ${r.totals.errors} errors`);
			for (const p of errors)
				console.log(`# ${p.ruleId} at ${p.location[0].pointer}: ${p.message}`);
		}
		for (const p of r.problems.filter((q) => q.severity !== 'error'))
			console.log(`# ${f.label}: ${p.severity} ${p.ruleId} at ${p.location[0].pointer}`);
	});
	for (const f of files) {
		n++;
		try {
			await SwaggerParser.validate(f.file);
			console.log(`ok ${n} - swagger-parser validate ${f.label}`);
		} catch (e) {
			failed++;
			console.log(`not ok ${n} - swagger-parser validate ${f.label}`);
			console.log(`# ${String(e.message).split('\n').join('\n# ')}`);
		}
	}
	process.exit(failed ? 1 : 0);
})().catch((e) => {
	console.log(`Bail out! ${e.stack}`);
	process.exit(1);
});
