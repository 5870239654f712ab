// The fixed part of a generated TypeScript client (apic generate --client
// ts): the request builder, the reply reader, the checks of `validate: true`,
// Server-Sent Events and WebSockets. compiler/emit_ts.c copies the sections
// it needs (each starts at a "// @section NAME" line, which is not copied)
// into NAME.client.ts, after the declarations they use: $Options, $BASE and,
// with `errors MODEL`, nothing else. Names with a '$' are internal: schema
// names cannot hold one, so they never clash with the schema's types.
// These comment lines before the first section are not copied.
// @section core
/* ---- the runtime ---------------------------------------------------------- */

/** One way a reply breaks the API's contract (`validate: true`), in the
 * vocabulary of the server's own violations. */
interface $Issue {
	/** A JSON pointer into the body ("" for the body itself), or "header NAME". */
	pointer: string;
	code: string;
	message: string;
}

type $Check = (v: unknown, p: string, e: $Issue[]) => void;

interface $Header {
	/** name */
	n: string;
	/** type: string, integer, number, boolean */
	t: "s" | "i" | "n" | "b";
	/** required */
	r: boolean;
	c?: $Check;
}

interface $Reply {
	/** the body: 0 none, 1 JSON, 2 Server-Sent Events, 3 raw text, 4 raw bytes */
	k: 0 | 1 | 2 | 3 | 4;
	/** the media types the document lists: 1 application/json, 2 application/problem+json */
	t?: number;
	/** the check of an application/json body (of each event, for a stream) */
	j?: $Check;
	/** the check of an application/problem+json body */
	pj?: $Check;
	/** the declared headers, typed */
	h?: readonly $Header[];
}

interface $Op {
	/** method */
	m: string;
	/** path: literal text and parameter names, alternately */
	p: readonly string[];
	/** query, header and cookie parameters */
	q?: readonly string[];
	h?: readonly string[];
	c?: readonly string[];
	/** the key of the body in the parameters */
	b?: string;
	/** auth: the scheme's key in options.auth, and whether it is optional */
	a?: readonly [string, boolean];
	/** the responses the document lists, by status */
	r: { readonly [status: number]: $Reply };
}

/** What an operation throws when the reply is not one the API's document
 * lists for it (`kind: "undeclared"`: a status it does not list, e.g. from a
 * proxy), or (`kind: "invalid"`) a body that cannot be what it lists: not
 * JSON, or, with `validate: true`, off the contract (`violations` says how). */
class $ApiError extends Error {
	readonly kind: "undeclared" | "invalid";
	readonly status: number;
	/** The body: parsed JSON, else its text ("" when empty). */
	readonly body: unknown;
	readonly violations: readonly $Issue[];
	/** The reply (its body already read); undefined for a WebSocket message. */
	readonly response: globalThis.Response | undefined;
	constructor(kind: "undeclared" | "invalid", status: number, body: unknown,
		violations: readonly $Issue[], response: globalThis.Response | undefined) {
		super(kind === "undeclared"
			? "HTTP " + status + ": a status the API's document does not list for this operation"
			: "HTTP " + status + ": the reply does not match the API's document: " +
				violations.map((v) => (v.pointer ? v.pointer + ": " : "") + v.message).join("; "));
		this.name = "ApiError";
		this.kind = kind;
		this.status = status;
		this.body = body;
		this.violations = violations;
		this.response = response;
	}
}

function $text(v: unknown): string {
	return typeof v === "string" ? v : String(v);
}

function $url(op: $Op, params: { readonly [k: string]: unknown }, o: $Options): [string, globalThis.URLSearchParams] {
	let url = (o.baseUrl ?? $BASE).replace(/\/+$/, "");
	op.p.forEach((s, i) => {
		url += i % 2 ? encodeURIComponent($text(params[s])) : s;
	});
	const qs = new URLSearchParams();
	for (const n of op.q ?? []) {
		const v = params[n];
		if (Array.isArray(v))
			for (const x of v)
				qs.append(n, $text(x));
		else if (v !== undefined)
			qs.append(n, $text(v));
	}
	return [url, qs];
}

async function $call(op: $Op, params: { readonly [k: string]: unknown }, o: $Options = {}): globalThis.Promise<unknown> {
	const [url, qs] = $url(op, params, o);
	const headers = new Headers(o.init?.headers);
	for (const [k, v] of Object.entries(o.headers ?? {}))
		headers.set(k, v);
	for (const n of op.h ?? []) {
		const v = params[n];
		if (v !== undefined)
			headers.set(n, $text(v));
	}
	const cookies: string[] = [];
	for (const n of op.c ?? []) {
		const v = params[n];
		if (v !== undefined)
			cookies.push(n + "=" + $text(v));
	}
	if (op.a)
		await $auth(op.a[0], o, headers, qs, cookies);
	if (cookies.length)
		headers.set("Cookie", cookies.join("; "));
	let body: string | undefined;
	if (op.b !== undefined && params[op.b] !== undefined) {
		body = JSON.stringify(params[op.b]);
		headers.set("Content-Type", "application/json");
	}
	const init: globalThis.RequestInit = { ...o.init, method: op.m, headers };
	if (body !== undefined)
		init.body = body;
	const signal = o.signal ?? o.init?.signal;
	if (signal)
		init.signal = signal;
	const credentials = o.credentials ?? o.init?.credentials;
	if (credentials)
		init.credentials = credentials;
	const q = qs.toString();
	const res = await (o.fetch ?? fetch)(url + (q ? "?" + q : ""), init);
	return $reply(op, res, o.validate === true);
}

function $media(res: globalThis.Response): string {
	return ((res.headers.get("Content-Type") ?? "").split(";")[0] ?? "").trim().toLowerCase();
}

async function $body(res: globalThis.Response): globalThis.Promise<[unknown, boolean]> {
	const text = await res.text();
	try {
		return [JSON.parse(text), true];
	} catch {
		return [text, false];
	}
}

function $header(h: $Header, res: globalThis.Response, validate: boolean, e: $Issue[]): unknown {
	const raw = res.headers.get(h.n);
	const p = "header " + h.n;
	if (raw === null) {
		if (h.r)
			e.push({ pointer: p, code: "missing", message: "a required header is missing" });
		return undefined;
	}
	let v: unknown = raw;
	if (h.t === "i" || h.t === "n") {
		const ok = h.t === "i" ? /^-?(0|[1-9][0-9]*)$/.test(raw) : raw.trim() !== "" && Number.isFinite(Number(raw));
		v = ok ? Number(raw) : raw;
		if (!ok)
			e.push({ pointer: p, code: "invalid", message: "not a number: " + JSON.stringify(raw) });
	} else if (h.t === "b") {
		v = raw === "true" ? true : raw === "false" ? false : raw;
		if (typeof v !== "boolean")
			e.push({ pointer: p, code: "invalid", message: "not true or false: " + JSON.stringify(raw) });
	}
	if (validate && h.c)
		h.c(v, p, e);
	return v;
}

async function $reply(op: $Op, res: globalThis.Response, validate: boolean): globalThis.Promise<unknown> {
	const r = op.r[res.status];
	if (!r) {
		const [b] = await $body(res);
		throw new $ApiError("undeclared", res.status, b, [], res);
	}
	const e: $Issue[] = [];
	const out: { status: number; body: unknown; headers?: { [k: string]: unknown }; response: globalThis.Response } =
		{ status: res.status, body: undefined, response: res };
	if (r.h) {
		const he: $Issue[] = [];
		const h: { [k: string]: unknown } = {};
		for (const x of r.h) {
			const v = $header(x, res, validate, he);
			if (v !== undefined)
				h[x.n] = v;
		}
		out.headers = h;
		if (validate)
			e.push(...he);
	}
	if (r.k === 1 && op.m !== "HEAD") {
		const media = $media(res);
		const problem = media === "application/problem+json";
		const [b, json] = await $body(res);
		out.body = b;
		if (!json)
			e.push({ pointer: "", code: "invalid", message: b === "" ? "no body" : "the body is not JSON" });
		else if (validate) {
			const t = r.t ?? 1;
			if (!(t & (problem ? 2 : 1)) || (!problem && media !== "application/json"))
				e.push({ pointer: "", code: "invalid", message: "content type " + JSON.stringify(media) + " is not listed" });
			const check = problem ? r.pj : r.j;
			if (check)
				check(b, "", e);
		}
		if (!json || e.length)
			throw new $ApiError("invalid", res.status, b, e, res);
	} else if (r.k === 2) {
		if (e.length)
			throw new $ApiError("invalid", res.status, "", e, res);
		out.body = $events(res, validate ? r.j : undefined);
	} else if ((r.k === 3 || r.k === 4) && op.m !== "HEAD") {
		if (e.length)
			throw new $ApiError("invalid", res.status, "", e, res);
		out.body = r.k === 3 ? await res.text() : await res.blob();
	} else {
		if (e.length)
			throw new $ApiError("invalid", res.status, "", e, res);
		await res.body?.cancel();
	}
	return out;
}

function $merge(a: $Options, b?: $Options): $Options {
	if (!b)
		return a;
	return { ...a, ...b, headers: { ...a.headers, ...b.headers }, auth: { ...a.auth, ...b.auth } };
}
// @section auth

type $Cred<T> = T | (() => T | globalThis.Promise<T>);

function $b64(s: string): string {
	let bin = "";
	for (const byte of new TextEncoder().encode(s))
		bin += String.fromCharCode(byte);
	return btoa(bin);
}

/** Adds the credential of scheme `name`, when options.auth has one; without
 * it nothing is sent, and the server answers 401 where auth is required. */
async function $auth(name: string, o: $Options, h: globalThis.Headers, q: globalThis.URLSearchParams, cookies: string[]): globalThis.Promise<void> {
	const s = $schemes[name];
	const creds: { readonly [k: string]: $Cred<unknown> } = o.auth ?? {};
	const c = creds[name];
	const v: unknown = typeof c === "function" ? await c() : c;
	if (!s)
		return;
	if (v === undefined || v === null)
		return;
	if (s.k === "basic") {
		const c = v as { username: string; password: string };
		h.set("Authorization", "Basic " + $b64(c.username + ":" + c.password));
		return;
	}
	const value = (s.x ?? "") + $text(v);
	if (s.k === "bearer")
		h.set("Authorization", "Bearer " + value);
	else if (s.k === "header")
		h.set(s.n ?? "", value);
	else if (s.k === "query")
		q.set(s.n ?? "", value);
	else
		cookies.push((s.n ?? "") + "=" + value);
}
// @section sse

/** One event of a stream: `data` is the event, `id` its sequence number (send
 * it as `lastEventId` to resume after it). */
interface $StreamEvent<T> {
	id: string | undefined;
	data: T;
}

/** The events of a text/event-stream reply, as they come; breaking out of
 * the loop (or the options' signal) closes the stream. */
async function* $events(res: globalThis.Response, check: $Check | undefined): globalThis.AsyncGenerator<$StreamEvent<unknown>, void, undefined> {
	if (!res.body)
		return;
	const reader = res.body.getReader();
	const dec = new TextDecoder();
	let buf = "", data: string[] = [], id: string | undefined, last: string | undefined;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			buf += done ? dec.decode() : dec.decode(value, { stream: true });
			let nl: number;
			while ((nl = buf.search(/\r\n|\r|\n/)) >= 0) {
				if (buf[nl] === "\r" && nl + 1 === buf.length && !done)
					break; /* a CR whose LF may come next */
				const line = buf.slice(0, nl);
				buf = buf.slice(nl + (buf.startsWith("\r\n", nl) ? 2 : 1));
				if (line === "") {
					if (data.length) {
						last = id;
						const text = data.join("\n");
						data = [];
						let v: unknown;
						try {
							v = JSON.parse(text);
						} catch {
							throw new $ApiError("invalid", res.status, text,
								[{ pointer: "", code: "invalid", message: "an event is not JSON" }], res);
						}
						if (check) {
							const e: $Issue[] = [];
							check(v, "", e);
							if (e.length)
								throw new $ApiError("invalid", res.status, v, e, res);
						}
						yield { id: last, data: v };
					}
					continue;
				}
				const colon = line.indexOf(":");
				const field = colon < 0 ? line : line.slice(0, colon);
				let value = colon < 0 ? "" : line.slice(colon + 1);
				if (value.startsWith(" "))
					value = value.slice(1);
				if (field === "data")
					data.push(value);
				else if (field === "id" && !value.includes("\0"))
					id = value;
			}
			if (done)
				return;
		}
	} finally {
		await reader.cancel().catch(() => undefined);
	}
}
// @section ws

/** A WebSocket whose messages are JSON values of the schema's models. */
interface $Socket<In, Out> {
	/** The WebSocket itself (open, close, error events; readyState). */
	readonly socket: globalThis.WebSocket;
	/** Sends one message, as JSON. */
	send(message: In): void;
	/** Called with each message the server sends. */
	onmessage: ((message: Out) => void) | null;
	/** Called instead, with `validate: true`, for a message off the contract
	 * (or one that is not JSON, always). */
	oninvalid: ((error: $ApiError) => void) | null;
	close(code?: number, reason?: string): void;
}

function $socket<In, Out>(op: $Op, params: { readonly [k: string]: unknown }, o: $Options, check: $Check): $Socket<In, Out> {
	const [http, qs] = $url(op, params, o);
	const q = qs.toString();
	const base = typeof location === "undefined" ? undefined : location.href;
	const url = new URL(http + (q ? "?" + q : ""), base);
	url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
	const WS = o.WebSocket ?? globalThis.WebSocket;
	if (typeof WS !== "function")
		throw new TypeError("no WebSocket here: pass one as options.WebSocket");
	const ws = new WS(url.href);
	const s: $Socket<In, Out> = {
		socket: ws,
		send: (m: In) => ws.send(JSON.stringify(m)),
		onmessage: null,
		oninvalid: null,
		close: (code?: number, reason?: string) => ws.close(code, reason),
	};
	ws.addEventListener("message", (ev: globalThis.MessageEvent) => {
		const e: $Issue[] = [];
		let v: unknown = ev.data;
		try {
			v = JSON.parse($text(ev.data));
		} catch {
			e.push({ pointer: "", code: "invalid", message: "a message is not JSON" });
		}
		if (!e.length && o.validate === true)
			check(v, "", e);
		if (e.length)
			s.oninvalid?.(new $ApiError("invalid", 101, v, e, undefined));
		else
			s.onmessage?.(v as Out);
	});
	return s;
}
// @section check

/* ---- the checks of validate: true ------------------------------------------ */

function $issue(e: $Issue[], p: string, code: string, message: string): void {
	e.push({ pointer: p, code, message });
}

function $key(p: string, k: string): string {
	return p + "/" + k.replace(/~/g, "~0").replace(/\//g, "~1");
}

function $typeName(v: unknown): string {
	return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : "a " + typeof v;
}

/** An object with the required keys and, unless `known` is null (an open
 * model), no others; null after an issue when it is no object. */
function $obj(v: unknown, p: string, e: $Issue[], req: readonly string[], known: readonly string[] | null): { [k: string]: unknown } | null {
	if (typeof v !== "object" || v === null || Array.isArray(v)) {
		$issue(e, p, "wrong_type", "expected an object, not " + $typeName(v));
		return null;
	}
	const o = v as { [k: string]: unknown };
	for (const k of req)
		if (!Object.prototype.hasOwnProperty.call(o, k))
			$issue(e, $key(p, k), "missing", "a required property is missing");
	if (known)
		for (const k of Object.keys(o))
			if (!known.includes(k))
				$issue(e, $key(p, k), "unknown_property", "not a property of this object");
	return o;
}

// @section check-bool
function $bool(v: unknown, p: string, e: $Issue[]): void {
	if (typeof v !== "boolean")
		$issue(e, p, "wrong_type", "expected a boolean, not " + $typeName(v));
}

// @section check-num
/** A number; `bits` 32 or 64 for an integer of that size, 0 for any double. */
function $num(v: unknown, p: string, e: $Issue[], bits: number, min?: number, max?: number, xmin?: number, xmax?: number): void {
	if (typeof v !== "number" || !Number.isFinite(v) || (bits && !Number.isInteger(v))) {
		$issue(e, p, "wrong_type", "expected " + (bits ? "an integer" : "a number") + ", not " +
			(typeof v === "number" ? String(v) : $typeName(v)));
		return;
	}
	const lim = bits === 32 ? 2147483647 : 9223372036854775807;
	if (bits && (v > lim || v < -lim - (bits === 32 ? 1 : 0)))
		$issue(e, p, "out_of_range", v + " does not fit an int" + bits);
	else if ((min !== undefined && v < min) || (xmin !== undefined && v <= xmin))
		$issue(e, p, "below_minimum", v + " is below the minimum " + (min ?? xmin) + (min === undefined ? " (exclusive)" : ""));
	else if ((max !== undefined && v > max) || (xmax !== undefined && v >= xmax))
		$issue(e, p, "above_maximum", v + " is above the maximum " + (max ?? xmax) + (max === undefined ? " (exclusive)" : ""));
}

// @section check-re
/** A pattern as ECMA-262 with the u flag (JSON Schema's), or null when this
 * JavaScript cannot compile it: then it is not checked. */
function $re(src: string): globalThis.RegExp | null {
	try {
		return new RegExp(src, "u");
	} catch {
		return null;
	}
}

// @section check-str
const $formats: readonly (globalThis.RegExp | null)[] = [
	null,
	/* email */ /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]]+$/,
	/* uuid */ /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
	/* date */ /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
	/* date-time */ /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$/,
	/* uri */ /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
	/* ipv4 */ /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
	/* ipv6 */ /^[0-9a-f:.]*:[0-9a-f:.]*$/i,
	/* hostname */ /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i,
	/* uri-reference */ /^[^\s]*$/,
];
const $formatNames = ["", "email", "uuid", "date", "date-time", "uri", "ipv4", "ipv6", "hostname",
	"uri-reference"];

/** A string: lengths in code points, a pattern, a format (1 email, 2 uuid,
 * 3 date, 4 date-time, 5 uri, 6 ipv4, 7 ipv6, 8 hostname, 9 uri-reference;
 * checked loosely). */
function $str(v: unknown, p: string, e: $Issue[], min?: number, max?: number, re?: globalThis.RegExp | null, format?: number): void {
	if (typeof v !== "string") {
		$issue(e, p, "wrong_type", "expected a string, not " + $typeName(v));
		return;
	}
	if (min !== undefined || max !== undefined) {
		const n = Array.from(v).length;
		if (min !== undefined && n < min)
			$issue(e, p, "too_short", "shorter than " + min + " characters");
		else if (max !== undefined && n > max)
			$issue(e, p, "too_long", "longer than " + max + " characters");
	}
	if (re && !re.test(v))
		$issue(e, p, "pattern_mismatch", "does not match the pattern " + re.source);
	const f = format ? $formats[format] : null;
	if (format && f && !f.test(v))
		$issue(e, p, "invalid_format", "not a valid " + $formatNames[format]);
}

// @section check-enum
function $enum(v: unknown, p: string, e: $Issue[], members: readonly string[]): void {
	if (typeof v !== "string")
		$issue(e, p, "wrong_type", "expected a string, not " + $typeName(v));
	else if (!members.includes(v))
		$issue(e, p, "not_in_enum", JSON.stringify(v) + " is not one of " + members.join(", "));
}

// @section check-arr
/** JSON text with sorted keys: equal values, equal text (uniqueItems). */
function $canon(v: unknown): string {
	if (Array.isArray(v))
		return "[" + v.map($canon).join(",") + "]";
	if (typeof v === "object" && v !== null)
		return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" +
			$canon((v as { [k: string]: unknown })[k])).join(",") + "}";
	return JSON.stringify(v);
}

function $arr(v: unknown, p: string, e: $Issue[], item: $Check, min?: number, max?: number, unique?: boolean): void {
	if (!Array.isArray(v)) {
		$issue(e, p, "wrong_type", "expected an array, not " + $typeName(v));
		return;
	}
	if (min !== undefined && v.length < min)
		$issue(e, p, "too_few_items", "fewer than " + min + " items");
	if (max !== undefined && v.length > max)
		$issue(e, p, "too_many_items", "more than " + max + " items");
	if (unique && new Set(v.map($canon)).size !== v.length)
		$issue(e, p, "duplicate_items", "the items are not unique");
	v.forEach((x, i) => item(x, p + "/" + i, e));
}

// @section check-map
function $map(v: unknown, p: string, e: $Issue[], value: $Check, min?: number, max?: number): void {
	const o = $obj(v, p, e, [], null);
	if (!o)
		return;
	const keys = Object.keys(o);
	if (min !== undefined && keys.length < min)
		$issue(e, p, "too_few_properties", "fewer than " + min + " properties");
	if (max !== undefined && keys.length > max)
		$issue(e, p, "too_many_properties", "more than " + max + " properties");
	for (const k of keys)
		value(o[k], $key(p, k), e);
}

// @section check-union
/** A discriminated union: the property names the branch, whose check runs. */
function $disc(v: unknown, p: string, e: $Issue[], prop: string, values: readonly string[], branches: readonly $Check[]): void {
	if (typeof v !== "object" || v === null || Array.isArray(v)) {
		$issue(e, p, "wrong_type", "expected an object, not " + $typeName(v));
		return;
	}
	const k = (v as { [k: string]: unknown })[prop];
	const i = typeof k === "string" ? values.indexOf(k) : -1;
	if (k === undefined)
		$issue(e, $key(p, prop), "missing", "the discriminator is missing (one of " + values.join(", ") + ")");
	else if (i < 0)
		$issue(e, $key(p, prop), "not_in_enum", JSON.stringify(k) + " is not one of " + values.join(", "));
	else
		branches[i]!(v, p, e);
}

/** Exactly one branch matches: none, each branch's issues; several, ambiguous. */
function $oneOf(v: unknown, p: string, e: $Issue[], names: readonly string[], branches: readonly $Check[]): void {
	const matched: string[] = [], issues: $Issue[] = [];
	branches.forEach((c, i) => {
		const b: $Issue[] = [];
		c(v, p, b);
		if (!b.length)
			matched.push(names[i]!);
		for (const x of b)
			issues.push({ pointer: x.pointer, code: x.code, message: "as " + names[i]! + ": " + x.message });
	});
	if (matched.length > 1)
		$issue(e, p, "invalid", "ambiguous: the value matches " + matched.join(", "));
	else if (!matched.length)
		e.push(...issues);
}

// @section check-any
/** Either check (anyOf): the issues of the first when both fail. */
function $any(a: $Check, b: $Check): $Check {
	return (v, p, e) => {
		const ea: $Issue[] = [], eb: $Issue[] = [];
		a(v, p, ea);
		if (!ea.length)
			return;
		b(v, p, eb);
		if (eb.length)
			e.push(...ea);
	};
}
