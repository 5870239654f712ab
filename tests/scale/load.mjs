// Load for the scale-out tests: CLIENTS concurrent clients, each a user of
// its own, creating articles and comments (and reading a list) through URL
// until the file STOPFILE exists (or, given MAX, MAX requests were made:
// a count, not a time, is what a loaded machine can be held to). Writes to OUT a JSON summary: requests,
// replies by status, transport errors, each failure (time, method, path,
// status), the slugs and comment ids the server acknowledged, the slowest
// reply. A failure is a transport error or a status other than expected.
// Usage: node load.mjs URL CLIENTS STOPFILE OUT [MAX]
import { existsSync, writeFileSync } from 'node:fs';

// ANON ('anon'): each round also reads the tags without a credential
const [url, nclients, stopfile, out, max, anon] = process.argv.slice(2);
const done = () => existsSync(stopfile) || (max && s.requests >= Number(max));
const s = {
	requests: 0, failed: 0, byStatus: {}, errors: {}, failures: [],
	articles: [], comments: [], maxMs: 0,
};

async function call(method, path, body, token, expect) {
	const t0 = Date.now();
	let status = 0, json = null;
	try {
		const headers = { 'content-type': 'application/json' };
		if (token) headers.authorization = 'Token ' + token;
		const r = await fetch(url + path, {
			method, headers, body: body ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(30000),
		});
		status = r.status;
		const text = await r.text();
		try { json = JSON.parse(text); } catch { json = null; }
	} catch (e) {
		const code = (e.cause && e.cause.code) || e.name;
		s.errors[code] = (s.errors[code] || 0) + 1;
	}
	const ms = Date.now() - t0;
	s.maxMs = Math.max(s.maxMs, ms);
	s.requests++;
	s.byStatus[status] = (s.byStatus[status] || 0) + 1;
	const good = Array.isArray(expect) ? expect.includes(status) : status === expect;
	if (!good) {
		s.failed++;
		s.failures.push({ at: t0, ms, method, path, status });
	}
	return { status, json: good ? json : null };
}

const stamp = `${process.pid}x${Date.now()}`;
async function client(i) {
	const name = `load${stamp}c${i}`;
	let token = null;
	for (let tries = 0; !token && !done(); tries++) {
		// After a failed attempt, 422 (taken) is no failure: that attempt
		// went through, only its reply was lost.
		const r = await call('POST', '/api/users',
			{ user: { username: name, email: `${name}@example.org`, password: 'pw' } }, null,
			tries ? [201, 422] : 201);
		token = r.status === 201 && r.json.user.token;
		if (!token && r.status === 422) {
			const l = await call('POST', '/api/users/login',
				{ user: { email: `${name}@example.org`, password: 'pw' } }, null, 200);
			token = l.json && l.json.user.token;
		}
	}
	for (let n = 0; !done(); n++) {
		const a = (await call('POST', '/api/articles',
			{ article: { title: `t ${name} ${n}`, description: 'd', body: 'b', tagList: ['load'] } },
			token, 201)).json;
		if (a) {
			s.articles.push(a.article.slug);
			const c = (await call('POST', `/api/articles/${a.article.slug}/comments`,
				{ comment: { body: `c ${n}` } }, token, 200)).json;
			if (c)
				s.comments.push(c.comment.id);
		}
		await call('GET', `/api/articles?author=${name}&limit=5`, null, token, 200);
		// without a credential: a database that is down is the handler's 503
		if (anon === 'anon')
			await call('GET', '/api/tags', null, null, 200);
	}
}

await Promise.all(Array.from({ length: Number(nclients) }, (_, i) => client(i)));
writeFileSync(out, JSON.stringify(s));
