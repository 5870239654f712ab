// The generated TypeScript clients (compiled to JavaScript by tests/ts/e2e.sh)
// against the real servers: every petstore operation and its typed errors,
// Conduit's users, articles and tags, and validate: true against a small
// server of our own that answers off the contract. TAP lines on stdout (the
// plan is e2e.sh's). Usage: node e2e.mjs DIR PETSTORE_URL TOKEN CONDUIT_URL CHAT_URL
// (a global WebSocket is needed for the chat: Node 22, or 20 with
// --experimental-websocket).
import http from "node:http";

const [dir, petstoreUrl, token, conduitUrl, chatUrl] = process.argv.slice(2);
const p = await import(dir + "/petstore.client.js");
const c = await import(dir + "/conduit.client.js");

let n = 0, failed = 0;
function ok(cond, name, ...diag) {
	n++;
	if (cond) {
		console.log(`ok ${n} - ${name}`);
		return;
	}
	failed++;
	console.log(`not ok ${n} - ${name}`);
	for (const d of diag)
		console.log("#   " + (typeof d === "string" ? d : JSON.stringify(d)).split("\n").join("\n#   "));
}
// is(got, want, name): deep equality through JSON text with sorted keys
const canon = (v) => JSON.stringify(v, (k, x) => x && typeof x === "object" && !Array.isArray(x)
	? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : x);
function is(got, want, name) {
	ok(canon(got) === canon(want), name, "got:  " + canon(got), "want: " + canon(want));
}
async function throws(promise) {
	try {
		await promise;
		return null;
	} catch (e) {
		return e;
	}
}

/* ---- the petstore ---------------------------------------------------------- */

const po = { baseUrl: petstoreUrl + p.BASE_PATH, validate: true };
is(p.SERVERS, ["/v1", "http://127.0.0.1:8080/v1"], "petstore: SERVERS as the document has them");

let r = await p.createPet({ body: { name: "Rex", tag: "dog" } }, po);
const rex = r.body;
ok(r.status === 201 && typeof rex.id === "number" && rex.name === "Rex" && rex.status === "available",
	"createPet: 201 with the new pet, its default status filled in", r.body);
is(r.headers, { Location: "/v1/pets/" + rex.id }, "createPet: the Location header, typed");

r = await p.createPet({ body: { name: "Rex" } }, po);
ok(r.status === 409 && r.body.status === 409 && typeof r.body.detail === "string",
	"createPet with a taken name: 409 problem details", r.body);

r = await p.createPet({ body: { name: "", tag: "x".repeat(40) } }, po);
is([r.status, r.body.errors?.map((v) => [v.location, v.pointer, v.code])],
	[422, [["body", "/name", "too_short"], ["body", "/tag", "too_long"]]],
	"createPet off the schema: 422 with every violation");

r = await p.createPet({ body: { id: 5, name: "Sly" } }, po);
is([r.status, r.body.errors?.map((v) => v.code)], [422, ["read_only"]],
	"createPet with the readonly id: 422 read_only (PetInput has no id)");

r = await p.createPet({ body: { name: "Big", tag: "x".repeat(5000) } }, po);
is(r.status, 413, "createPet over maxbody 4096: 413");

await p.createPet({ body: { name: "Tom", tag: "cat", status: "pending" } }, po);
await p.createPet({ body: { name: "Max", tag: "dog", status: "sold" } }, po);

r = await p.listPets({}, po);
ok(r.status === 200 && r.body.length === 3 && r.headers["X-Total-Count"] === 3,
	"listPets: 200, three pets, X-Total-Count a number", r.body, r.headers);
r = await p.listPets({ tag: "dog", limit: 1, offset: 1 }, po);
is([r.status, r.body.map((x) => x.name), r.headers["X-Total-Count"]], [200, ["Max"], 2],
	"listPets with tag, limit and offset");
r = await p.listPets({ status: "pending" }, po);
is(r.body.map((x) => x.name), ["Tom"], "listPets by status (an enum query parameter)");
r = await p.listPets({ limit: 0 }, po);
is([r.status, r.body.errors?.[0]?.location, r.body.errors?.[0]?.name, r.body.errors?.[0]?.code],
	[422, "query", "limit", "below_minimum"], "listPets with limit 0: 422 naming the parameter");

r = await p.getPet({ petId: rex.id }, po);
is([r.status, r.body], [200, rex], "getPet: 200 with the pet");
r = await p.getPet({ petId: 999 }, po);
ok(r.status === 404 && r.body.title === "Not Found" && /999/.test(r.body.detail),
	"getPet of no pet: 404 problem details", r.body);
r = await p.getPet({ petId: 0 }, po);
is([r.status, r.body.errors?.[0]?.location], [422, "path"], "getPet with petId 0: 422 in the path");

r = await p.updatePet({ petId: rex.id, body: { name: "Rex", tag: "good dog", status: "sold" } }, po);
is([r.status, r.body.tag, r.body.status], [200, "good dog", "sold"], "updatePet: 200 with the pet as stored");
r = await p.updatePet({ petId: 999, body: { name: "Nobody" } }, po);
is(r.status, 404, "updatePet of no pet: 404");
r = await p.updatePet({ petId: rex.id, body: { name: "Tom" } }, po);
is(r.status, 409, "updatePet onto a taken name: 409");

r = await p.deletePet({ petId: rex.id }, po);
is([r.status, r.body.status], [401, 401], "deletePet without a token: 401 problem details");
r = await p.deletePet({ petId: rex.id }, { ...po, auth: { Bearer: "wrong" } });
ok(r.status === 401 || r.status === 403, "deletePet with a wrong token: refused (" + r.status + ")");
r = await p.deletePet({ petId: rex.id }, { ...po, auth: { Bearer: async () => token } });
is([r.status, r.body], [204, undefined], "deletePet with the token (from a function): 204, no body");
r = await p.deletePet({ petId: rex.id }, { ...po, auth: { Bearer: token } });
is(r.status, 404, "deletePet again: 404");

{
	const api = p.createClient({ baseUrl: petstoreUrl + "/v1", validate: true, headers: { "X-A": "1" } });
	const seen = [];
	const spy = (url, init) => {
		seen.push([init.method, new Headers(init.headers).get("X-A"), new Headers(init.headers).get("Authorization")]);
		return fetch(url, init);
	};
	r = await api.getPet({ petId: 999 }, { fetch: spy, auth: { Bearer: "t" } });
	r = await api.listPets(undefined, { fetch: spy });
	is([r.status, seen], [200, [["GET", "1", null], ["GET", "1", null]]],
		"createClient: defaults merged with each call's options; fetch replaced; auth only where the operation uses it");
}
{
	// a fetch that breaks the JSON on its way: the runtime's 400
	const breaking = (url, init) => fetch(url, { ...init, body: "{" });
	r = await p.createPet({ body: { name: "Broken" } }, { ...po, fetch: breaking });
	ok(r.status === 400 && typeof r.body.offset === "number", "malformed JSON: 400 problem details with the offset", r.body);
}
{
	const ac = new AbortController();
	ac.abort();
	const e = await throws(p.listPets({}, { ...po, signal: ac.signal }));
	ok(e && e.name === "AbortError", "an aborted signal rejects the call (AbortError)", String(e));
}
{
	r = await p.petEvents({}, po);
	ok(r.status === 200, "petEvents: 200, a stream");
	const next = r.body[Symbol.asyncIterator]().next();
	const created = await p.createPet({ body: { name: "Kit", tag: "cat" } }, po);
	const ev = await Promise.race([next, new Promise((res) => setTimeout(() => res(null), 5000))]);
	ok(ev && !ev.done && ev.value.data.type === "created" && ev.value.data.pet.id === created.body.id &&
		/^[0-9]+$/.test(ev.value.id), "petEvents: the created pet's event, with its id", ev);
	await r.body[Symbol.asyncIterator]().return?.();
}

/* ---- Conduit -------------------------------------------------------------- */

const co = { baseUrl: conduitUrl, validate: true };
r = await c.createUser({ body: { user: { username: "alice", email: "alice@example.org", password: "pw-alice" } } }, co);
ok(r.status === 201 && r.body.user.username === "alice" && r.body.user.token.length > 0,
	"conduit createUser: 201 with a token", r.body);
r = await c.createUser({ body: { user: { username: "alice", email: "alice2@example.org", password: "pw" } } }, co);
ok(r.status === 422 && Array.isArray(r.body.errors.body) && r.body.errors.body.length > 0,
	"conduit createUser with a taken username: 422 GenericErrorModel", r.body);
r = await c.createUser({ body: { user: { username: " ", email: "b@example.org", password: "pw" } } }, co);
ok(r.status === 422 && r.body.errors.body.some((m) => /username/.test(m)),
	"conduit createUser with a blank username: 422 from the schema, in the errors model", r.body);
r = await c.login({ body: { user: { email: "alice@example.org", password: "wrong" } } }, co);
is([r.status, r.body], [401, { errors: { body: ["email or password is invalid"] } }],
	"conduit login with a wrong password: 401 GenericErrorModel");
r = await c.login({ body: { user: { email: "alice@example.org", password: "pw-alice" } } }, co);
const alice = r.body.user?.token;
is([r.status, r.body.user?.email], [200, "alice@example.org"], "conduit login: 200");
r = await c.getCurrentUser({}, co);
is(r.status, 401, "conduit getCurrentUser without a token: 401");
const ca = c.createClient({ ...co, auth: { Token: alice } });
r = await ca.getCurrentUser();
is([r.status, r.body.user?.username], [200, "alice"], "conduit getCurrentUser with the Token scheme (prefix \"Token \")");
r = await ca.createArticle({ body: { article: { title: "Hello TS", description: "d", body: "b", tagList: ["ts", "apic"] } } });
const slug = r.body.article?.slug;
ok(r.status === 201 && typeof slug === "string" && r.body.article.author.username === "alice",
	"conduit createArticle: 201 with the article", r.body);
r = await ca.createArticle({ body: { article: { title: " ", description: "d", body: "b" } } });
is(r.status, 422, "conduit createArticle with a blank title: 422");
r = await c.getArticle({ slug }, co);
is([r.status, r.body.article?.title, r.body.article?.tagList?.slice().sort()], [200, "Hello TS", ["apic", "ts"]],
	"conduit getArticle: 200");
r = await c.getArticle({ slug: "no-such-article" }, co);
ok(r.status === 404 && Array.isArray(r.body.errors.body), "conduit getArticle of no article: 404 GenericErrorModel", r.body);
r = await c.getArticles({ author: "alice", limit: 5 }, co);
is([r.status, r.body.articlesCount, r.body.articles.map((a) => a.slug)], [200, 1, [slug]],
	"conduit getArticles by author: 200 with the count");
r = await c.getTags({}, co);
ok(r.status === 200 && r.body.tags.includes("ts") && r.body.tags.includes("apic"), "conduit getTags: 200 with the tags", r.body);
r = await c.createUser({ body: { user: { username: "bob", email: "bob@example.org", password: "pw-bob" } } }, co);
r = await c.deleteArticle({ slug }, { ...co, auth: { Token: r.body.user.token } });
is(r.status, 403, "conduit deleteArticle by another user: 403");
r = await ca.deleteArticle({ slug });
is([r.status, r.body], [204, undefined], "conduit deleteArticle by its author: 204");

/* ---- a WebSocket: the chat ------------------------------------------------ */

{
	const ch = await import(dir + "/chat.client.js");
	const co = { baseUrl: chatUrl, validate: true };
	const within = (promise, what) => Promise.race([promise,
		new Promise((res, rej) => setTimeout(() => rej(new Error("timeout: " + what)), 5000))]);
	const sock = ch.joinRoom({ room: "lobby", name: "ada" }, co);
	const opened = await throws(within(new Promise((res, rej) => {
		sock.socket.addEventListener("open", res);
		sock.socket.addEventListener("error", () => rej(new Error("WebSocket error")));
	}), "open"));
	ok(opened === null && sock.socket.url.startsWith("ws://127.0.0.1:") && sock.socket.url.endsWith("/rooms/lobby/ws?name=ada"),
		"joinRoom opens the WebSocket at the operation's ws:// URL", String(opened), sock.socket.url);
	r = await ch.listRooms({}, co);
	is([r.status, r.body], [200, [{ name: "lobby", members: 1 }]], "listRooms: 200 with the room and its member");
	const message = new Promise((res) => { sock.onmessage = res; });
	sock.send({ text: "hello" });
	const got = await within(message, "message").catch((e) => e);
	ok(!(got instanceof Error) && got.from === "ada" && got.text === "hello" && typeof got.at === "string",
		"send a ChatIn, receive the typed ChatOut (validated)", got);
	sock.close();
	const bad = ch.joinRoom({ room: "no spaces", name: "ada" }, co);
	let opens = false;
	bad.socket.addEventListener("open", () => { opens = true; });
	// Node 20's WebSocket reports a refused handshake by "error" alone
	const ended = await within(new Promise((res) => {
		bad.socket.addEventListener("error", () => res(true));
		bad.socket.addEventListener("close", () => res(true));
	}), "error or close").catch(() => false);
	ok(ended && !opens, "a room name off the pattern: the handshake is refused (422), the socket never opens");
}

/* ---- validate: true against replies off the contract --------------------------- */

let reply = () => [200, {}, ""];
const srv = http.createServer((req, res) => {
	const [status, headers, body] = reply(req);
	res.writeHead(status, headers);
	res.end(body);
});
await new Promise((res) => srv.listen(0, "127.0.0.1", res));
const fake = { baseUrl: `http://127.0.0.1:${srv.address().port}/v1` };
const json = (status, body, headers = {}) => () =>
	[status, { "Content-Type": "application/json", ...headers }, JSON.stringify(body)];

reply = json(200, { id: "7", name: 5, extra: true, status: "lost" });
r = await p.getPet({ petId: 7 }, fake);
is([r.status, r.body.id], [200, "7"], "without validate an off-contract body is returned as it is");
let e = await throws(p.getPet({ petId: 7 }, { ...fake, validate: true }));
is(e && [e.name, e.kind, e.status, e.violations.map((v) => [v.pointer, v.code])],
	["ApiError", "invalid", 200, [["/extra", "unknown_property"], ["/id", "wrong_type"], ["/name", "wrong_type"], ["/status", "not_in_enum"]]],
	"validate: an off-contract body throws ApiError invalid with every violation");
reply = json(200, { id: 0, name: "<b>" });
e = await throws(p.getPet({ petId: 7 }, { ...fake, validate: true }));
is(e && e.violations.map((v) => [v.pointer, v.code]), [["/id", "below_minimum"], ["/name", "pattern_mismatch"]],
	"validate: bounds and patterns (u flag)");
reply = json(200, { name: "Rex" });
e = await throws(p.getPet({ petId: 7 }, { ...fake, validate: true }));
is(e && e.violations.map((v) => [v.pointer, v.code]), [["/id", "missing"]], "validate: a required readonly property missing");
reply = json(200, [{ id: 1, name: "A" }]);
e = await throws(p.listPets({}, { ...fake, validate: true }));
is(e && e.violations.map((v) => [v.pointer, v.code]), [["header X-Total-Count", "missing"]],
	"validate: a required response header missing");
reply = json(200, [{ id: 1, name: "A" }], { "X-Total-Count": "1" });
r = await p.listPets({}, { ...fake, validate: true });
is([r.status, r.headers], [200, { "X-Total-Count": 1 }], "validate: the same reply with its header passes");
reply = json(404, { type: "about:blank", title: "Not Found", status: 404 }, { "Content-Type": "application/problem+json" });
e = await throws(p.getPet({ petId: 7 }, { ...fake, validate: true }));
is(e && e.violations.map((v) => [v.pointer, v.code]), [["/detail", "missing"]], "validate: problem details are checked too");
reply = json(404, { detail: "x" });
e = await throws(p.getPet({ petId: 7 }, { ...fake, validate: true }));
ok(e && e.violations.some((v) => /content type/.test(v.message)), "validate: a content type the document does not list", e && e.violations);
reply = () => [200, { "Content-Type": "application/json" }, "<html>"];
e = await throws(p.getPet({ petId: 7 }, fake));
is(e && [e.kind, e.body], ["invalid", "<html>"], "a body that is not JSON throws ApiError invalid, validate or not");
reply = json(418, { teapot: true });
e = await throws(p.getPet({ petId: 7 }, fake));
is(e && [e.kind, e.status, e.body], ["undeclared", 418, { teapot: true }], "a status the document does not list throws ApiError undeclared");
reply = () => [200, { "Content-Type": "text/event-stream" }, 'id: 1\ndata: {"type":"created","pet":{"id":1,"name":"A"}}\n\n' +
	'id: 2\ndata: {"type":"gone","pet":{}}\n\n'];
r = await p.petEvents({}, { ...fake, validate: true });
{
	const got = [];
	e = null;
	try {
		for await (const ev of r.body)
			got.push(ev.id);
	} catch (x) {
		e = x;
	}
	is([got, e && e.violations.map((v) => [v.pointer, v.code])],
		[["1"], [["/type", "not_in_enum"], ["/pet/id", "missing"], ["/pet/name", "missing"]]],
		"validate: each event of a stream is checked");
}
reply = json(422, { errors: { body: "not an array" } });
e = await throws(c.getTags({}, { baseUrl: fake.baseUrl, validate: true }));
is(e && e.violations.map((v) => [v.pointer, v.code]), [["/errors/body", "wrong_type"]],
	"validate: the errors model of conduit is checked");
srv.close();

console.log(`# ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
