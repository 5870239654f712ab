// Swagger UI at /docs in headless chromium: the page renders the petstore's
// operations, and "Try it out" on getPet sends a real request from the page
// that the server answers 200. Prints TAP; argv: BASE_URL PET_ID PET_NAME.
import { chromium } from 'playwright-core';

const [base, petId, petName] = process.argv.slice(2);
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

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
	       '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
	const page = await browser.newPage();
	const pageErrors = [];
	const offsite = [];
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	page.on('request', (r) => { if (!r.url().startsWith(base)) offsite.push(r.url()); });

	const resp = await page.goto(`${base}/docs`);
	ok(resp.status() === 200, '/docs answers 200', `status ${resp.status()}`);
	await page.waitForSelector('.swagger-ui .info .title', { timeout: 20000 });
	const title = await page.locator('.swagger-ui .info .title').first().innerText();
	ok(title.includes('Petstore'), 'Swagger UI shows the API title', title);
	const ops = await page.locator('.opblock').count();
	ok(ops === 6, 'it lists the 6 operations', `found ${ops}`);

	const op = page.locator('#operations-pets-getPet');
	await op.locator('.opblock-summary').first().click();
	await op.locator('button.try-out__btn').click();
	await op.locator('input[placeholder="petId"]').fill(petId);
	const [call] = await Promise.all([
		page.waitForResponse((r) => r.url() === `${base}/v1/pets/${petId}`, { timeout: 15000 }),
		op.locator('button.execute').click(),
	]);
	ok(call.status() === 200, `"Try it out" on getPet: GET /v1/pets/${petId} answered 200`, `status ${call.status()}`);
	const shown = op.locator('.live-responses-table .response-col_description pre').first();
	await shown.waitFor({ timeout: 10000 });
	const text = await shown.innerText();
	ok(text.includes(`"name": "${petName}"`), 'the page shows the pet it got back', text);
	ok(offsite.length === 0, 'the page loaded nothing from another origin', offsite.join('\n'));
	ok(pageErrors.length === 0, 'no JavaScript error on the page', pageErrors.join('\n'));
} catch (e) {
	ok(false, 'the docs page could be driven', e.stack || e);
} finally {
	await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
