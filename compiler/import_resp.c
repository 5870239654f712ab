/* `apic import`: an operation's responses, their bodies and headers. Only
 * application/json bodies (and +json types, and event streams of apic's
 * documents); a description that is the status's reason phrase is left
 * out (apic writes it back). In apic's own documents, the runtime's
 * responses ($ref to components.responses) are left out: every generated
 * server lists them by itself. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"
#include "openapi_int.h"

static const char *const runtime_responses[] = {
	"MalformedJson", "Unauthorized", "Forbidden", "NoRoute", "ContentTooLarge",
	"UnsupportedMediaType", "ValidationFailed", "WebSocketRequired", "ServerError",
	"NotImplemented", "ServiceUnavailable", "DeadlinePassed",
};

static const char *const server_headers[] = {
	"Connection", "Content-Length", "Content-Type", "Date", "Transfer-Encoding", "X-Request-Id",
};

bool imp_json_media(const char *mt)
{
	size_t n = strcspn(mt, ";");
	while (n && mt[n - 1] == ' ')
		n--;
	if (n == 16 && !strncasecmp(mt, "application/json", 16))
		return true;
	if (n == 3 && !strncmp(mt, "*/*", 3))
		return true;
	if (n == 13 && !strncasecmp(mt, "application/*", 13))
		return true;
	return n > 5 && !strncasecmp(mt + n - 5, "+json", 5) && strncasecmp(mt, "application/problem+json", 24);
}

/* The JSON media type's schema of a content object (NULL: none; *ptr is
 * the schema's pointer); the others are reported dropped. */
json_object *imp_content(struct imp *im, json_object *content, const char *cptr, const char **ptr,
			 bool *found, const char *what)
{
	json_object *schema = NULL;
	*found = false;
	if (!content || !json_object_is_type(content, json_type_object))
		return NULL;
	json_object_object_foreach(content, mt, v) {
		const char *mp = imp_ptr(im, cptr, mt);
		if (!*found && imp_json_media(mt)) {
			*found = true;
			schema = imp_get(v, "schema");
			*ptr = imp_ptr(im, mp, "schema");
			if (imp_get(v, "encoding"))
				imp_warn(im, imp_ptr(im, mp, "encoding"), "encoding dropped");
		} else if (im->apic_doc && !strcmp(mt, "application/problem+json")) {
			continue;
		} else {
			imp_warn(im, mp, "media type %s dropped (only application/json%s)", mt,
				 *found ? ", the one given first" : "");
		}
	}
	if (!*found && json_object_object_length(content))
		imp_warn(im, cptr, "no application/json %s: %s dropped", what, what);
	return schema;
}

static bool is_runtime(const char *ref)
{
	if (strncmp(ref, "#/components/responses/", 23) != 0)
		return false;
	for (size_t i = 0; i < sizeof runtime_responses / sizeof *runtime_responses; i++)
		if (!strcmp(ref + 23, runtime_responses[i]))
			return true;
	return false;
}

/* In apic's documents, an error response (no type, 400 or more) has the
 * error shape as its only content: Problem, or the errors model. A typed
 * response with the errors model reads the same: it comes back untyped. */
static bool is_error_shape(struct imp *im, json_object *content, long st)
{
	if (!im->apic_doc || st < 400 || !content || json_object_object_length(content) != 1)
		return false;
	if (!im->error_model)
		return imp_get(content, "application/problem+json") != NULL;
	const char *ref = imp_str(imp_get(imp_get(content, "application/json"), "schema"), "$ref");
	return ref && !strncmp(ref, "#/components/schemas/", 21) && !strcmp(ref + 21, im->error_model);
}

static void put_headers(struct imp *im, json_object *hs, const char *ptr, int status, const char *opname,
			struct out_buf *b, struct imp_op *op, bool download)
{
	struct out_buf hb;
	out_init(&hb);
	if (!json_object_is_type(hs, json_type_object))
		return;
	json_object_object_foreach(hs, name, hv) {
		const char *hp = imp_ptr(im, ptr, name);
		json_object *h = imp_follow(im, hv, &hp);
		if (!h)
			continue;
		bool skip = false;
		for (size_t i = 0; i < sizeof server_headers / sizeof *server_headers; i++)
			skip |= !strcasecmp(name, server_headers[i]);
		if (skip) {
			imp_warn(im, hp, "header %s dropped: the server writes it itself", name);
			continue;
		}
		json_object *schema = imp_get(h, "schema");
		if (download && !strcasecmp(name, "Content-Disposition"))
			continue; /* the response's `download` */
		if (!strcasecmp(name, "Cache-Control") && status >= 200 && status < 300) {
			const char *c = imp_str(schema, "const");
			if (c && !op->cache) {
				op->cache = c;
				continue;
			}
			if (c && !strcmp(c, op->cache))
				continue;
		}
		if (!strcasecmp(name, "ETag") && status == 200 && op->method_get) {
			op->etag = true;
			if (!im->apic_doc)
				imp_warn(im, hp, "ETag: apic's etag (a weak tag of the body, and 304 for If-None-Match)");
			continue;
		}
		if (!strcasecmp(name, "ETag")) {
			if (status != 304)
				imp_warn(im, hp, "ETag dropped: apic sends it only with etag, on a GET's 200");
			continue;
		}
		if (!imp_is_scalar(im, schema, imp_ptr(im, hp, "schema"))) {
			imp_warn(im, hp, "header %s: not a primitive or enum type%s: dropped", name, schema ? "" : " (content)");
			continue;
		}
		struct imp_mods m = { 0 };
		struct out_buf t;
		out_init(&t);
		imp_type(im, schema, imp_ptr(im, hp, "schema"), imp_camel(im, opname, name), &t, &m);
		imp_put_doc(&hb, imp_str(h, "description"), 8);
		out_puts(&hb, "        header ");
		imp_put_string(&hb, name);
		json_object *req = imp_get(h, "required");
		out_puts(&hb, req && json_object_get_boolean(req) ? ": " : "?: ");
		out_put(&hb, t.p, t.len);
		if (json_object_get_boolean(imp_get(h, "deprecated")))
			out_puts(&hb, " deprecated");
		json_object *ex = imp_get(h, "example") ? imp_get(h, "example") : m.example;
		if (ex && !imp_value_fits(t.p, ex)) {
			imp_warn(im, hp, "example %s is not a %s: dropped", json_object_to_json_string(ex), t.p);
			ex = NULL;
		}
		if (ex && !im->no_values) {
			out_puts(&hb, " example ");
			imp_put_value(&hb, ex);
		}
		out_puts(&hb, "\n");
		out_free(&t);
	}
	if (hb.len) {
		out_puts(b, " {\n");
		out_put(b, hb.p, hb.len);
		out_puts(b, "    }");
	}
	out_free(&hb);
}

/* A raw body (`text as "MEDIA"`, `bytes as "MEDIA"`): a 2xx response
 * whose only content is one media type apic does not read as JSON, a
 * string (or no schema). Bytes when the schema says so (contentMediaType,
 * format binary) or the type is not text/... The media type without
 * parameters into mt[], or false. */
static bool raw_body(json_object *content, long st, char mt[128], bool *bytes)
{
	if (st < 200 || st > 299 || st == 204 || !content || !json_object_is_type(content, json_type_object) ||
	    json_object_object_length(content) != 1)
		return false;
	json_object_object_foreach(content, name, v) {
		size_t n = strcspn(name, "; ");
		json_object *sc = imp_get(v, "schema");
		const char *ty = imp_str(sc, "type"), *fmt = imp_str(sc, "format");
		if (imp_json_media(name) || n == 0 || n >= 128 || !strncasecmp(name, "text/event-stream", 17) ||
		    !strncasecmp(name, "multipart/", 10) || !strcasecmp(name, "application/problem+json") ||
		    !memchr(name, '/', n) || (sc && (!ty || strcmp(ty, "string"))))
			return false;
		memcpy(mt, name, n);
		mt[n] = '\0';
		*bytes = imp_get(sc, "contentMediaType") || (fmt && !strcmp(fmt, "binary")) ||
			 strncasecmp(mt, "text/", 5) != 0;
	}
	return true;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The file name of a response's `Content-Disposition: attachment` header
 * whose value the document fixes (const): filename*=UTF-8'' (percent-
 * decoded) before filename="..."; NULL when there is none. */
static char *download_name(struct imp *im, json_object *headers)
{
	const char *v = NULL;
	if (!headers || !json_object_is_type(headers, json_type_object))
		return NULL;
	json_object_object_foreach(headers, name, h) {
		if (!strcasecmp(name, "Content-Disposition"))
			v = imp_str(imp_get(h, "schema"), "const");
	}
	if (!v || strncasecmp(v, "attachment", 10) != 0)
		return NULL;
	const char *star = strstr(v, "filename*=UTF-8''"), *plain = strstr(v, "filename=\"");
	struct out_buf o;
	out_init(&o);
	if (star) {
		for (const char *p = star + 17; *p && *p != ';' && *p != ' '; p++) {
			if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
				char c = (char)(hexval(p[1]) * 16 + hexval(p[2]));
				out_put(&o, &c, 1);
				p += 2;
			} else {
				out_put(&o, p, 1);
			}
		}
	} else if (plain) {
		const char *e = strchr(plain + 10, '"');
		if (e)
			out_put(&o, plain + 10, (size_t)(e - plain - 10));
	}
	/* what apic's `download` takes: no path, quote or control character */
	bool ok = o.len > 0 && o.len <= 200 && !(o.len == 1 && o.p[0] == '.') &&
		  !(o.len == 2 && o.p[0] == '.' && o.p[1] == '.');
	for (size_t i = 0; ok && i < o.len; i++)
		ok = !strchr("/\\\"", o.p[i]) && (unsigned char)o.p[i] >= 0x20 && o.p[i] != 0x7f;
	out_put(&o, "", 1);
	char *file = ok ? imp_strdup(im, o.p) : NULL;
	out_free(&o);
	return file;
}

/* One response `-> STATUS [TYPE] ["description"] [{ headers }]`. */
static void put_response(struct imp *im, const char *code, json_object *rv, const char *rptr,
			 struct imp_op *op, struct out_buf *b, bool as200)
{
	char *end;
	long st = strtol(code, &end, 10);
	if (as200) {
		imp_warn(im, rptr, "response \"%s\" read as 200 (the operation declares no 2xx status)", code);
		st = 200;
		code = "200";
		end = (char *)code + 3;
	}
	if (*end || st < 100 || st > 599 || end - code != 3) {
		imp_warn(im, rptr, "response \"%s\" dropped (only statuses 100 to 599%s)", code,
			 !strcmp(code, "default") ? "; apic's own errors answer what is not declared" : "");
		return;
	}
	const char *ref = imp_str(rv, "$ref");
	if (ref && im->apic_doc && is_runtime(ref)) {
		if (st == 413)
			op->saw_413 = true;
		return;
	}
	const char *hint = NULL;
	if (ref && !strncmp(ref, "#/components/responses/", 23))
		hint = ref + 23;
	json_object *r = imp_follow(im, rv, &rptr);
	if (!r)
		return;
	const char *desc = imp_str(r, "description");
	if (im->apic_doc && st == 101)
		return;
	if (im->apic_doc && st == 304 && desc && !strncmp(desc, "Not Modified: the reply would have", 34))
		return;
	if (im->apic_doc && st == 413 && desc && !strncmp(desc, "The body is larger than ", 24)) {
		op->maxbody = strtoull(desc + 24, NULL, 10);
		return;
	}
	if (!im->apic_doc && st == 304) {
		imp_warn(im, rptr, "304 dropped: apic answers it for operations with etag");
		return;
	}
	json_object *content = imp_get(r, "content");
	const char *sptr = NULL;
	bool found;
	json_object *schema = NULL;
	bool stream = false, bytes = false;
	char raw[128];
	bool is_raw = raw_body(content, st, raw, &bytes);
	char *download = is_raw ? download_name(im, imp_get(r, "headers")) : NULL;
	json_object *ev = imp_get(content, "text/event-stream");
	if (is_raw) {
		schema = NULL;
	} else if (im->apic_doc && ev && imp_get(ev, "x-apic-event")) {
		stream = true;
		schema = imp_get(ev, "x-apic-event");
		sptr = imp_ptr(im, imp_ptr(im, imp_ptr(im, rptr, "content"), "text/event-stream"), "x-apic-event");
	} else if (is_error_shape(im, content, st)) {
		schema = NULL;
	} else {
		schema = imp_content(im, content, imp_ptr(im, rptr, "content"), &sptr, &found, "response body");
	}
	if (schema && (st < 200 || st == 204 || st == 304)) {
		imp_warn(im, imp_ptr(im, rptr, "content"), "a %ld response has no body: content dropped", st);
		schema = NULL;
	}
	/* apic documents: a declared type next to the errors model (anyOf) */
	json_object *any = imp_get(schema, "anyOf");
	if (im->apic_doc && im->error_model && any && json_object_array_length(any) == 2) {
		char *er;
		if (asprintf(&er, "#/components/schemas/%s", im->error_model) >= 0) {
			const char *r1 = imp_str(json_object_array_get_idx(any, 1), "$ref");
			if (r1 && !strcmp(r1, er)) {
				schema = json_object_array_get_idx(any, 0);
				sptr = imp_ptri(im, imp_ptr(im, sptr, "anyOf"), 0);
			}
			free(er);
		}
	}
	out_printf(b, "    -> %ld", st);
	if (stream)
		out_puts(b, " stream");
	if (is_raw) {
		out_printf(b, " %s as ", bytes ? "bytes" : "text");
		imp_put_string(b, raw);
		if (download) {
			out_puts(b, " download ");
			imp_put_string(b, download);
		}
	}
	if (schema) {
		struct imp_mods m = { 0 };
		char sc[16];
		snprintf(sc, sizeof sc, "%ld", st);
		const char *h = hint ? hint : imp_camel(im, imp_camel(im, op->name, sc), "Response");
		out_puts(b, " ");
		imp_type(im, schema, sptr, h, b, &m);
		if (m.nullable)
			imp_warn(im, sptr, "a nullable response body: null not sent");
	}
	if (st >= 400 && !schema && !is_raw && !im->apic_doc)
		imp_warn(im, rptr, "no JSON body: the response sends apic's error shape");
	if (desc && strcmp(desc, oa_reason((int)st)) != 0) {
		out_puts(b, " ");
		imp_put_string(b, desc);
	}
	json_object *hs = imp_get(r, "headers");
	if (hs)
		put_headers(im, hs, imp_ptr(im, rptr, "headers"), (int)st, op->name, b, op, download != NULL);
	if (imp_get(r, "links"))
		imp_warn(im, imp_ptr(im, rptr, "links"), "links dropped");
	out_puts(b, "\n");
}

void imp_responses(struct imp *im, json_object *resps, const char *ptr, struct imp_op *op, struct out_buf *b)
{
	if (!resps || !json_object_is_type(resps, json_type_object) || !json_object_object_length(resps)) {
		imp_warn(im, ptr, "no responses: -> 204 added (apic needs one)");
		out_puts(b, "    -> 204\n");
		return;
	}
	size_t before = b->len;
	/* no 2xx status: a 2XX range, else `default`, is the 200 */
	bool has2xx = false, has2XX = false;
	json_object_object_foreach(resps, c0, v0) {
		(void)v0;
		has2xx |= strlen(c0) == 3 && c0[0] == '2' && c0[1] >= '0' && c0[1] <= '9';
		has2XX |= !strcasecmp(c0, "2XX");
	}
	const char *as200 = has2xx ? NULL : has2XX ? "2XX" : imp_get(resps, "default") ? "default" : NULL;
	for (int pass = 0; pass < 2; pass++) {
		json_object_object_foreach(resps, code, rv) {
			bool numeric = strlen(code) == 3 && code[0] >= '1' && code[0] <= '5';
			bool is200 = as200 && !strcasecmp(code, as200);
			if ((numeric || is200) != (pass == 0))
				continue;
			put_response(im, code, rv, imp_ptr(im, ptr, code), op, b, is200);
		}
	}
	if (b->len == before && !op->websocket) {
		imp_warn(im, ptr, "no response apic can declare: -> 204 added");
		out_puts(b, "    -> 204\n");
	}
}
