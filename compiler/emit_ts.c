/* The TypeScript client: NAME.client.ts, one module with no imports that
 * runs on the platform's fetch (Node 20, browsers). docs/clients.md says
 * what it holds; in short:
 *   - a type per model and enum, and NAMEInput for a model's request view
 *     wherever the OpenAPI document has NAME-Input (oa_views decides, so
 *     both agree);
 *   - per operation a params type, a result type (a union by status of
 *     every response the document lists for it, the runtime's own errors
 *     included: read from emit_openapi()'s plan, doc->ops) and an async
 *     function named after the operationId in lowerCamel case, driven by a
 *     descriptor (tables, as the C side);
 *   - createClient(), the options type, SERVERS and BASE_PATH;
 *   - the checks of `validate: true` (emit_ts_validate.c) and the fixed
 *     runtime (ts_runtime.ts).
 * Names: the schema's keep their spelling where TypeScript allows it;
 * every name the emitter makes up is taken only if free (a name taken gets
 * '_', then '_2', '_3'...), the schema's first. Internal names hold a '$',
 * which schema names cannot. Output is a function of the schema only. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apic_gen.h"
#include "emit.h"
#include "emit_ts_int.h"
#include "ts_runtime.h"

/* Words a TypeScript type or value may not be named (reserved words, the
 * predefined types; globalThis, which the client's types go through). */
static const char *const ts_reserved[] = {
	"any", "arguments", "as", "async", "await", "bigint", "boolean", "break", "case", "catch",
	"class", "const", "continue", "debugger", "declare", "default", "delete", "do", "else",
	"enum", "eval", "export", "extends", "false", "finally", "for", "from", "function",
	"get", "globalThis", "if", "implements", "import", "in", "infer", "instanceof",
	"interface", "is", "keyof", "let", "module", "namespace", "never", "new", "null",
	"number", "object", "of", "package", "private", "protected", "public", "readonly",
	"require", "return", "satisfies", "set", "static", "string", "super", "switch", "symbol",
	"this", "throw", "true", "try", "type", "typeof", "undefined", "unique", "unknown", "var",
	"void", "while", "with", "yield",
};

/* The values the client's code refers to: a function of the same name
 * would hide them (types do not: the client's go through globalThis). */
static const char *const ts_reserved_values[] = {
	"Array", "Error", "Headers", "Infinity", "JSON", "NaN", "Number", "Object", "Promise",
	"RegExp", "Set", "String", "TextDecoder", "TextEncoder", "TypeError", "URL",
	"URLSearchParams", "WebSocket", "btoa", "encodeURIComponent", "fetch", "location",
	/* the names of the operations' parameters and createClient's locals */
	"defaults", "o", "options", "params", "x",
};

_Noreturn void ts_oom(void)
{
	fputs("apic: out of memory\n", stderr);
	exit(3);
}

/* ---- text ------------------------------------------------------------------ */

void ts_str(struct out_buf *b, const char *s, size_t n)
{
	out_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			out_put(b, esc, 2);
		} else if (c == '\n') {
			out_puts(b, "\\n");
		} else if (c == '\t') {
			out_puts(b, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			out_printf(b, "\\u%04x", c);
		} else {
			out_put(b, s + i, 1);
		}
	}
	out_put(b, "\"", 1);
}

static bool ts_is_ident(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_' || *s == '$'))
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '$'))
			return false;
	return true;
}

void ts_key(struct out_buf *b, const char *name)
{
	if (ts_is_ident(name))
		out_puts(b, name);
	else
		ts_str(b, name, strlen(name));
}

/* A literal value as JSON text (defaults in doc comments). */
static void ts_value(struct out_buf *b, const struct ast_value *v)
{
	switch (v->kind) {
	case VAL_NULL:
		out_puts(b, "null");
		return;
	case VAL_BOOL:
		out_puts(b, v->b ? "true" : "false");
		return;
	case VAL_NUMBER:
		out_puts(b, v->num.text);
		return;
	case VAL_STRING:
		ts_str(b, v->str, v->len);
		return;
	case VAL_IDENT: {
		const char *s = v->member ? v->member->name : v->str;
		ts_str(b, s, strlen(s));
		return;
	}
	case VAL_ARRAY:
	case VAL_OBJECT:
		out_puts(b, v->kind == VAL_ARRAY ? "[" : "{");
		for (const struct ast_value *e = v->items; e; e = e->next) {
			if (e != v->items)
				out_puts(b, ", ");
			if (v->kind == VAL_OBJECT) {
				ts_str(b, e->key, strlen(e->key));
				out_puts(b, ": ");
			}
			ts_value(b, e);
		}
		out_puts(b, v->kind == VAL_ARRAY ? "]" : "}");
		return;
	}
}

/* A doc comment of `text` (lines), indented by `ind` tabs; nothing when
 * empty. "*" "/" in the text would end it: it is written "*\/". */
void ts_doc(struct out_buf *b, int ind, const char *text)
{
	if (!text || !*text)
		return;
	bool one = strchr(text, '\n') == NULL;
	for (int i = 0; i < ind; i++)
		out_puts(b, "\t");
	out_puts(b, one ? "/** " : "/**\n");
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (!one) {
			for (int i = 0; i < ind; i++)
				out_puts(b, "\t");
			out_puts(b, n ? " * " : " *");
		}
		for (size_t i = 0; i < n; i++) {
			out_put(b, p + i, 1);
			if (p[i] == '*' && i + 1 < n && p[i + 1] == '/')
				out_puts(b, "\\");
		}
		if (!one)
			out_puts(b, "\n");
		p += n;
		if (*p == '\n')
			p++;
	}
	if (one) {
		out_puts(b, " */\n");
	} else {
		for (int i = 0; i < ind; i++)
			out_puts(b, "\t");
		out_puts(b, " */\n");
	}
}

/* The doc text of a declaration: its own, then @default and @deprecated. */
void ts_doc_parts(struct out_buf *b, int ind, const char *doc, const struct ast_value *def,
			 bool deprecated)
{
	struct out_buf d;

	out_init(&d);
	if (doc)
		out_puts(&d, doc);
	if (def) {
		out_puts(&d, d.len ? "\n@default " : "@default ");
		ts_value(&d, def);
	}
	if (deprecated)
		out_puts(&d, d.len ? "\n@deprecated" : "@deprecated");
	if (d.oom)
		ts_oom();
	ts_doc(b, ind, d.p);
	out_free(&d);
}

/* ---- names ----------------------------------------------------------------- */

/* `base`, or the first of base_, base_2, base_3... free in `space` (and in
 * the other space too when `both`); taken from then on. */
static const char *ts_alloc(struct ts *t, struct strmap *space, const char *base, bool both)
{
	struct strmap *other = space == t->types ? t->values : t->types;
	const char *name = base;

	for (unsigned k = 1;; k++) {
		if (!strmap_get(space, name) && !(both && strmap_get(other, name)))
			break;
		name = k == 1 ? arena_printf(t->a, "%s_", base) : arena_printf(t->a, "%s_%u", base, k);
	}
	name = arena_strdup(t->a, name);
	strmap_put(space, name, (void *)name);
	if (both)
		strmap_put(other, name, (void *)name);
	return name;
}

const struct ts_named *ts_named(const struct ts *t, const char *name)
{
	return strmap_get(t->named, name);
}

/* lowerCamel of an operationId: its words ('-' between them) joined with
 * capitals, the leading capitals lowered (Login -> login, HTTPGet -> httpGet). */
static const char *ts_camel(struct ts *t, const char *id)
{
	size_t n = strlen(id), k = 0, caps = 0;
	char *s = arena_alloc(t->a, n + 1);
	bool up = false;

	for (size_t i = 0; i < n; i++) {
		if (id[i] == '-') {
			up = k > 0;
			continue;
		}
		s[k++] = up ? (char)toupper((unsigned char)id[i]) : id[i];
		up = false;
	}
	while (caps < k && isupper((unsigned char)s[caps]))
		caps++;
	/* lower the run, but the capital that starts the next word */
	if (caps > 1 && caps < k && islower((unsigned char)s[caps]))
		caps--;
	for (size_t i = 0; i < caps; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	if (k && isdigit((unsigned char)s[0]))
		return arena_printf(t->a, "op%s", s);
	return s;
}

static void ts_names(struct ts *t)
{
	for (size_t i = 0; i < sizeof ts_reserved / sizeof *ts_reserved; i++) {
		strmap_put(t->types, ts_reserved[i], (void *)ts_reserved[i]);
		strmap_put(t->values, ts_reserved[i], (void *)ts_reserved[i]);
	}
	for (size_t i = 0; i < sizeof ts_reserved_values / sizeof *ts_reserved_values; i++)
		strmap_put(t->values, ts_reserved_values[i], (void *)ts_reserved_values[i]);
	for (const struct ast_enum *e = t->s->enums; e; e = e->next) {
		struct ts_named *n = arena_alloc(t->a, sizeof *n);
		n->ts = n->input = ts_alloc(t, t->types, e->name, false);
		n->enm = e;
		strmap_put(t->named, e->name, n);
	}
	for (const struct ast_model *m = t->s->models; m; m = m->next) {
		struct ts_named *n = arena_alloc(t->a, sizeof *n);
		n->ts = n->input = ts_alloc(t, t->types, m->name, false);
		n->model = m;
		strmap_put(t->named, m->name, n);
	}
	for (const struct ast_union *u = t->s->unions; u; u = u->next) {
		struct ts_named *n = arena_alloc(t->a, sizeof *n);
		n->ts = n->input = ts_alloc(t, t->types, u->name, false);
		n->uni = u;
		n->check = arena_printf(t->a, "$check_%s", n->ts);
		strmap_put(t->named, u->name, n);
	}
	for (const struct ast_union *u = t->s->unions; u; u = u->next)
		if (oa_union_input_used(&t->views, u)) {
			struct ts_named *n = strmap_get(t->named, u->name);
			n->input = ts_alloc(t, t->types, arena_printf(t->a, "%sInput", n->ts), false);
		}
	for (const struct ast_model *m = t->s->models; m; m = m->next)
		if (oa_model_input_used(&t->views, m)) {
			struct ts_named *n = strmap_get(t->named, m->name);
			n->input = ts_alloc(t, t->types, arena_printf(t->a, "%sInput", n->ts), false);
		}
	for (const struct ast_enum *e = t->s->enums; e; e = e->next) {
		struct ts_named *n = strmap_get(t->named, e->name);
		n->check = arena_printf(t->a, "$check_%s", n->ts);
	}
	for (const struct ast_model *m = t->s->models; m; m = m->next) {
		struct ts_named *n = strmap_get(t->named, m->name);
		n->check = arena_printf(t->a, "$check_%s", n->ts);
	}
	if (!t->s->service->error_model) {
		/* as the document names them: Problem, else apic.Problem */
		bool own = strmap_get(t->named, "Problem") || strmap_get(t->named, "Violation");
		t->problem = ts_alloc(t, t->types, own ? "ApicProblem" : "Problem", false);
		t->violation = ts_alloc(t, t->types, own ? "ApicViolation" : "Violation", false);
		t->problem_check = arena_printf(t->a, "$check_%s", t->problem);
		t->violation_check = arena_printf(t->a, "$check_%s", t->violation);
	}
}

/* ---- types ----------------------------------------------------------------- */

void ts_type(struct ts *t, struct out_buf *b, const struct ast_type *ty, enum oa_view view)
{
	switch (ty->kind) {
	case TYPE_PRIM:
		out_puts(b, ty->prim == PRIM_STRING ? "string" : ty->prim == PRIM_BOOL ? "boolean" : "number");
		return;
	case TYPE_NAMED: {
		const struct ts_named *n = ts_named(t, ty->name);
		out_puts(b, (ty->model || ty->uni) && view == OA_REQUEST ? n->input : n->ts);
		return;
	}
	case TYPE_ARRAY:
		ts_type(t, b, ty->elem, view);
		out_puts(b, "[]");
		return;
	case TYPE_MAP:
		out_puts(b, "{ [key: string]: ");
		ts_type(t, b, ty->elem, view);
		out_puts(b, " }");
		return;
	}
}

static void ts_enum(struct ts *t, const struct ast_enum *e)
{
	struct out_buf *b = t->b;
	struct out_buf d;

	out_init(&d);
	if (e->doc)
		out_printf(&d, "%s\n", e->doc);
	for (const struct ast_enum_member *m = e->members; m; m = m->next)
		if (m->doc)
			out_printf(&d, "%s- `%s`: %s\n", d.len && d.p[d.len - 1] != '\n' ? "\n" : "",
				   m->name, m->doc);
	if (d.len)
		d.p[--d.len] = '\0';
	if (d.oom)
		ts_oom();
	ts_doc(b, 0, d.len ? d.p : NULL);
	out_free(&d);
	out_printf(b, "export type %s =", ts_named(t, e->name)->ts);
	for (const struct ast_enum_member *m = e->members; m; m = m->next) {
		out_puts(b, m == e->members ? " " : " | ");
		ts_str(b, m->name, strlen(m->name));
	}
	out_puts(b, ";\n\n");
}

/* A union's view: the branches' types joined by '|'; a discriminated
 * branch narrows its property to its values. */
static void ts_union(struct ts *t, const struct ast_union *u, enum oa_view view)
{
	struct out_buf *b = t->b;
	const struct ts_named *n = ts_named(t, u->name);

	ts_doc_parts(b, 0, u->doc, NULL, u->deprecated);
	out_printf(b, "export type %s =", view == OA_REQUEST ? n->input : n->ts);
	for (const struct ast_branch *br = u->branches; br; br = br->next) {
		out_puts(b, "\n\t| ");
		if (!u->disc) {
			ts_type(t, b, br->type, view);
			continue;
		}
		out_puts(b, "(");
		ts_type(t, b, br->type, view);
		out_puts(b, " & { ");
		ts_key(b, u->disc);
		out_puts(b, ": ");
		ts_str(b, br->value, strlen(br->value));
		out_puts(b, " })");
	}
	out_puts(b, ";\n\n");
}

/* A model's view: readonly fields (readonly) in responses, writeonly fields
 * in requests, as the document's NAME and NAME-Input. */
static void ts_model(struct ts *t, const struct ast_model *m, enum oa_view view)
{
	struct out_buf *b = t->b;
	const struct ts_named *n = ts_named(t, m->name);
	bool any = false;

	ts_doc_parts(b, 0, m->doc, NULL, m->deprecated);
	out_printf(b, "export interface %s {\n", view == OA_REQUEST ? n->input : n->ts);
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		bool hidden = view == OA_REQUEST ? f->readonly : f->writeonly;

		if (hidden && !(m->open && view == OA_REQUEST))
			continue;
		any = true;
		if (hidden) {
			/* open: other properties are allowed, this one is not */
			out_puts(b, "\t");
			ts_key(b, f->name);
			out_puts(b, "?: never;\n");
			continue;
		}
		ts_doc_parts(b, 1, f->doc, f->def, f->deprecated);
		out_puts(b, f->readonly ? "\treadonly " : "\t");
		ts_key(b, f->name);
		out_puts(b, f->optional ? "?: " : ": ");
		ts_type(t, b, f->type, view);
		out_puts(b, f->nullable ? " | null;\n" : ";\n");
	}
	if (m->open)
		out_puts(b, "\t[key: string]: unknown;\n");
	else if (!any)
		out_puts(b, "\t[key: string]: never;\n");
	out_puts(b, "}\n\n");
}

static void ts_problem(struct ts *t)
{
	static const char *const codes[] = {
		APIC_V_MISSING, APIC_V_UNKNOWN_PROPERTY, APIC_V_WRONG_TYPE,
		APIC_V_OUT_OF_RANGE, APIC_V_BELOW_MINIMUM, APIC_V_ABOVE_MAXIMUM,
		APIC_V_TOO_SHORT, APIC_V_TOO_LONG, APIC_V_PATTERN, APIC_V_FORMAT,
		APIC_V_ENUM, APIC_V_TOO_FEW_ITEMS, APIC_V_TOO_MANY_ITEMS,
		APIC_V_DUPLICATE_ITEMS, APIC_V_TOO_FEW_PROPERTIES,
		APIC_V_TOO_MANY_PROPERTIES, APIC_V_INVALID, APIC_V_READ_ONLY, APIC_V_REPEATED,
	};
	struct out_buf *b = t->b;

	out_printf(b, "/** An error as RFC 9457 problem details (application/problem+json): what the\n"
		   " * server sends for its own errors and for the API's errors without a type. */\n"
		   "export interface %s {\n"
		   "\t/** Always \"about:blank\": the status says it all. */\n"
		   "\ttype: string;\n"
		   "\t/** The reason phrase of the status. */\n"
		   "\ttitle: string;\n"
		   "\t/** The HTTP status code. */\n"
		   "\tstatus: number;\n"
		   "\t/** What went wrong with this request. */\n"
		   "\tdetail: string;\n"
		   "\t/** Malformed JSON (400): the byte of the body where parsing stopped. */\n"
		   "\toffset?: number;\n"
		   "\t/** Every violation found in the request (422), possibly capped. */\n"
		   "\terrors?: %s[];\n"
		   "}\n\n", t->problem, t->violation);
	out_printf(b, "/** One violation of the schema by the request. */\n"
		   "export interface %s {\n"
		   "\t/** Where the value is. */\n"
		   "\tlocation: \"body\" | \"path\" | \"query\" | \"header\" | \"cookie\";\n"
		   "\t/** In the body: a JSON pointer to the value (\"\" for the body itself). */\n"
		   "\tpointer?: string;\n"
		   "\t/** In a parameter: the parameter's name. */\n"
		   "\tname?: string;\n"
		   "\t/** A stable machine code; see libapic(3). */\n"
		   "\tcode:", t->violation);
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		out_printf(b, "%s\"%s\"", i ? " | " : " ", codes[i]);
	out_puts(b, ";\n\t/** A message for people. */\n\tmessage: string;\n}\n\n");
}

/* ---- the document's servers and the options --------------------------------- */

/* SERVERS as the document's "servers" has them (oa_servers): a relative
 * entry first unless one is declared, then the declared URLs, base path
 * appended; the first is the default baseUrl. */
static void ts_servers(struct ts *t)
{
	const struct ast_service *svc = t->s->service;
	const char *base = svc->basepath ? svc->basepath : "";
	const char *here = base[0] ? base : "/";
	struct out_buf *b = t->b, first;
	bool relative = false;

	out_init(&first);
	for (const struct ast_server *srv = svc->servers; srv; srv = srv->next)
		relative |= strstr(srv->url, "://") == NULL && strncmp(srv->url, "//", 2) != 0;
	out_puts(b, "/** The servers of the API's document, base path included; the first is the\n"
		    " * default baseUrl. */\nexport const SERVERS = [");
	if (!relative) {
		ts_str(b, here, strlen(here));
		ts_str(&first, here, strlen(here));
	}
	for (const struct ast_server *srv = svc->servers; srv; srv = srv->next) {
		size_t n = strlen(srv->url), at;
		struct out_buf u;

		if (srv != svc->servers || !relative)
			out_puts(b, ", ");
		at = b->len;
		/* "http://h/" + "/api" must not become "http://h//api" */
		out_init(&u);
		out_put(&u, srv->url, n);
		out_puts(&u, n && srv->url[n - 1] == '/' && base[0] == '/' ? base + 1 : base);
		if (u.oom)
			ts_oom();
		ts_str(b, u.p, u.len);
		if (first.len == 0)
			out_put(&first, b->p + at, b->len - at);
		out_free(&u);
	}
	out_puts(b, "] as const;\n/** The base path of every operation's path. */\nexport const BASE_PATH = ");
	ts_str(b, here, strlen(here));
	out_puts(b, ";\nconst $BASE: string = ");
	out_put(b, first.p, first.len);
	out_puts(b, ";\n\n");
	if (first.oom)
		ts_oom();
	out_free(&first);
}

bool ts_has_ws(const struct ast_schema *s)
{
	for (const struct ast_op *op = s->ops; op; op = op->next)
		if (op->ws_in)
			return true;
	return false;
}

bool ts_has_stream(const struct ast_schema *s)
{
	for (const struct ast_op *op = s->ops; op; op = op->next)
		for (const struct ast_response *r = op->responses; r; r = r->next)
			if (r->stream)
				return true;
	return false;
}

static void ts_options(struct ts *t)
{
	struct out_buf *b = t->b;

	out_puts(b, "/** The options of a call (createClient's: of every call). */\n"
		    "interface $Options {\n"
		    "\t/** The API's URL, base path included (\"http://127.0.0.1:8080/v1\"); by default\n"
		    "\t * the first of SERVERS. A relative URL needs a fetch that resolves it (a page's). */\n"
		    "\tbaseUrl?: string;\n"
		    "\t/** Credentials by security scheme, sent to the operations that use it; a\n"
		    "\t * function is called before each request (for a token that changes). */\n"
		    "\tauth?: {\n");
	for (const struct ast_security *sec = t->s->securities; sec; sec = sec->next) {
		struct out_buf d;
		static const char *const in[] = { "path", "query", "header", "cookie" };

		out_init(&d);
		if (sec->kind == SEC_BEARER)
			out_puts(&d, "Bearer token: `Authorization: Bearer TOKEN`.");
		else if (sec->kind == SEC_BASIC)
			out_puts(&d, "HTTP Basic: `Authorization: Basic base64(username:password)`.");
		else
			out_printf(&d, "API key in %s `%s`%s%s%s.", in[sec->in], sec->key,
				   sec->prefix ? ", sent as \"" : "", sec->prefix ? sec->prefix : "",
				   sec->prefix ? "\" + the key" : "");
		if (sec->doc)
			out_printf(&d, "\n%s", sec->doc);
		if (d.oom)
			ts_oom();
		ts_doc(b, 2, d.p);
		out_free(&d);
		out_puts(b, "\t\t");
		ts_key(b, sec->name);
		out_puts(b, sec->kind == SEC_BASIC ? "?: $Cred<{ username: string; password: string }>;\n"
						   : "?: $Cred<string>;\n");
	}
	if (!t->s->securities)
		out_puts(b, "\t\t[scheme: string]: never;\n");
	out_puts(b, "\t};\n"
		    "\t/** Headers sent with every request. */\n"
		    "\theaders?: { [name: string]: string };\n"
		    "\t/** More of fetch's options (cache, mode, Next.js's next...). */\n"
		    "\tinit?: globalThis.RequestInit;\n"
		    "\t/** fetch's credentials mode: \"include\" sends cookies to another origin. */\n"
		    "\tcredentials?: globalThis.RequestCredentials;\n"
		    "\tsignal?: globalThis.AbortSignal;\n"
		    "\t/** Another fetch (a test double, one with retries); by default the global one. */\n"
		    "\tfetch?: (url: string, init: globalThis.RequestInit) => globalThis.Promise<globalThis.Response>;\n"
		    "\t/** Check every reply against the API's document: a reply off the contract\n"
		    "\t * throws an ApiError of kind \"invalid\" that lists its violations. */\n"
		    "\tvalidate?: boolean;\n");
	if (ts_has_ws(t->s))
		out_puts(b, "\t/** The WebSocket class, where there is no global one (Node 20: the ws package). */\n"
			    "\tWebSocket?: new (url: string) => globalThis.WebSocket;\n");
	out_puts(b, "}\n\n");
	out_puts(b, "const $schemes: { readonly [name: string]: { k: string; n?: string; x?: string } } = {\n");
	for (const struct ast_security *sec = t->s->securities; sec; sec = sec->next) {
		static const char *const kinds[] = { "bearer", "header", "basic" };
		static const char *const in[] = { "path", "query", "header", "cookie" };

		out_puts(b, "\t");
		ts_key(b, sec->name);
		out_printf(b, ": { k: \"%s\"", sec->kind == SEC_APIKEY ? in[sec->in] : kinds[sec->kind]);
		if (sec->kind == SEC_APIKEY) {
			out_puts(b, ", n: ");
			ts_str(b, sec->key, strlen(sec->key));
			if (sec->prefix) {
				out_puts(b, ", x: ");
				ts_str(b, sec->prefix, strlen(sec->prefix));
			}
		}
		out_puts(b, " },\n");
	}
	out_puts(b, "};\n\n");
}

/* ---- the file ------------------------------------------------------------------ */

/* The sections of ts_runtime.ts this client needs: "ws" with WebSockets,
 * the check helpers it calls, all the others. */
static void ts_runtime_text(struct ts *t)
{
	bool ws = ts_has_ws(t->s), on = false;

	static const struct {
		const char *name;
		unsigned helper;
	} checks[] = {
		{ "@check-bool", TS_H_BOOL }, { "@check-num", TS_H_NUM }, { "@check-str", TS_H_STR },
		{ "@check-re", TS_H_RE }, { "@check-enum", TS_H_ENUM }, { "@check-arr", TS_H_ARR },
		{ "@check-map", TS_H_MAP }, { "@check-any", TS_H_ANY },
		{ "@check-union", TS_H_UNION },
	};

	for (const char *const *l = ts_runtime_lines; *l; l++) {
		if ((*l)[0] == '@') {
			on = strcmp(*l, "@ws") == 0 ? ws : true;
			for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
				if (strcmp(*l, checks[i].name) == 0)
					on = (t->helpers & checks[i].helper) != 0;
			continue;
		}
		if (on) {
			out_puts(t->b, *l);
			out_puts(t->b, "\n");
		}
	}
}

/* Pascal case of a lowerCamel function name. */
static const char *ts_pascal(struct ts *t, const char *fn, const char *suffix)
{
	char *s = arena_printf(t->a, "%s%s", fn, suffix);
	s[0] = (char)toupper((unsigned char)s[0]);
	return s;
}

int emit_ts(const struct ast_schema *s, const struct emit_opts *opts,
	    const struct openapi_doc *doc, struct diag_ctx *d)
{
	struct out_buf b;
	struct ts st = { .s = s, .b = &b }, *t = &st;
	size_t nops = 0, i = 0;
	int rc = 0;

	out_init(&b);
	out_init(&t->pattern_decls);
	t->a = arena_new();
	t->named = strmap_new(t->a);
	t->types = strmap_new(t->a);
	t->values = strmap_new(t->a);
	t->patterns = strmap_new(t->a);
	t->views.s = s;
	oa_views(&t->views);
	ts_names(t);
	t->queue = arena_alloc(t->a, (s->nmodels + s->nenums + s->nunions + 1) * sizeof *t->queue);
	for (const struct ast_op *op = s->ops; op; op = op->next)
		nops++;
	struct ts_op *ops = arena_alloc(t->a, (nops ? nops : 1) * sizeof *ops);
	for (const struct ast_op *op = s->ops; op; op = op->next, i++) {
		ops[i].fn = ts_alloc(t, t->values, ts_camel(t, op->id), false);
		ops[i].desc = arena_printf(t->a, "$op_%s", ops[i].fn);
	}
	i = 0;
	for (const struct ast_op *op = s->ops; op; op = op->next, i++) {
		ops[i].params = ts_alloc(t, t->types, ts_pascal(t, ops[i].fn, "Params"), false);
		if (!op->ws_in)
			ops[i].result = ts_alloc(t, t->types, ts_pascal(t, ops[i].fn, "Result"), false);
		struct strmap *keys = strmap_new(t->a);
		for (const struct ast_param *p = op->params; p; p = p->next)
			strmap_put(keys, p->name, (void *)p->name);
		const char *key = "body";
		for (unsigned k = 1; strmap_get(keys, key) || (op->etag && strcmp(key, "If-None-Match") == 0); k++)
			key = k == 1 ? "body_" : arena_printf(t->a, "body_%u", k);
		ops[i].body_key = key;
	}
	/* the fixed exports, each under its name unless the schema took it */
	t->options = ts_alloc(t, t->types, "ClientOptions", false);
	t->api_error = ts_alloc(t, t->types, "ApiError", true);
	t->api_violation = ts_alloc(t, t->types, "ApiViolation", false);
	if (ts_has_stream(s))
		t->stream_event = ts_alloc(t, t->types, "StreamEvent", false);
	if (ts_has_ws(s))
		t->socket = ts_alloc(t, t->types, "Socket", false);
	t->create_client = ts_alloc(t, t->values, "createClient", false);

	out_printf(&b, "// Generated by apic %s from %s \xE2\x80\x94 do not edit.\n", PACKAGE_VERSION,
		   opts->schema_path);
	out_printf(&b, "// A typed client of %s %s on the platform's fetch, no imports (docs/clients.md).\n",
		   s->service->title, s->service->version);
	out_puts(&b, "/* eslint-disable */\n\n");
	out_puts(&b, "/* ---- enums and models ---------------------------------------------------- */\n\n");
	for (const struct ast_enum *e = s->enums; e; e = e->next)
		ts_enum(t, e);
	for (const struct ast_model *m = s->models; m; m = m->next) {
		ts_model(t, m, OA_RESPONSE);
		if (oa_model_input_used(&t->views, m))
			ts_model(t, m, OA_REQUEST);
	}
	for (const struct ast_union *u = s->unions; u; u = u->next) {
		ts_union(t, u, OA_RESPONSE);
		if (oa_union_input_used(&t->views, u))
			ts_union(t, u, OA_REQUEST);
	}
	if (t->problem)
		ts_problem(t);
	out_puts(&b, "/* ---- the client ------------------------------------------------------------ */\n\n");
	out_printf(&b, "export type %s = $Options;\nexport { $ApiError as %s };\nexport type %s = $Issue;\n",
		   t->options,
		   t->api_error,
		   t->api_violation);
	if (ts_has_stream(s))
		out_printf(&b, "export type %s<T> = $StreamEvent<T>;\n", t->stream_event);
	if (ts_has_ws(s))
		out_printf(&b, "export type %s<In, Out> = $Socket<In, Out>;\n", t->socket);
	out_puts(&b, "\n");
	ts_servers(t);
	ts_options(t);
	if (s->ops) {
		out_printf(&b, "/* the API's error shape, as the runtime sends it */\nconst $E: $Reply = { k: 1, t: %d, %s: %s };\n\n",
			   s->service->error_model ? 1 : 2, s->service->error_model ? "j" : "pj",
			   s->service->error_model ? ts_need(t, s->service->error_model->name) : t->problem_check);
		t->problem_needed = !s->service->error_model;
	}
	out_puts(&b, "/* ---- operations ------------------------------------------------------------ */\n\n");
	i = 0;
	for (const struct ast_op *op = s->ops; op; op = op->next, i++)
		ts_operation(t, op, &ops[i], &doc->ops[i]);
	ts_create_client(t, ops);
	ts_checks(t);
	ts_pattern_decls(t);
	ts_runtime_text(t);
	if (b.oom || t->pattern_decls.oom)
		ts_oom();

	char *path = out_path(opts->outdir, arena_printf(t->a, "%s.client.ts", opts->name));
	if (!path)
		ts_oom();
	if (out_write_if_changed(path, b.p, b.len) == OUT_ERROR) {
		diag_fatal(d, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(path);
	oa_views_free(&t->views);
	out_free(&t->pattern_decls);
	out_free(&b);
	arena_free(t->a);
	return rc;
}
