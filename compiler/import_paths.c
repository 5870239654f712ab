/* `apic import`: paths to operations. Each method of a path item is an
 * operation: its operationId the `operation` name (left out when it is the
 * one apic derives), summary and description its doc comment, tags,
 * deprecated, security as `auth`, parameters (the path item's and its own),
 * the JSON request body, then the responses (import_resp.c). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"
#include "names.h"
#include "openapi_int.h"

static const char *const methods[] = { "get", "put", "post", "delete", "patch", "head", "options" };

/* apic's derived operation id (check.c): the method, then each literal
 * segment in camel case, "By" + the name for a parameter. */
static char *derived_id(struct imp *im, const char *method, const char *path)
{
	struct out_buf b;
	out_init(&b);
	out_puts(&b, method);
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		if (e == p)
			break;
		bool param = *p == '{' && e[-1] == '}';
		if (param)
			out_puts(&b, "By");
		bool up = true;
		for (const char *q = p; q < e; q++) {
			if (!isalnum((unsigned char)*q)) {
				up = true;
				continue;
			}
			char c = up ? (char)toupper((unsigned char)*q) : *q;
			out_put(&b, &c, 1);
			up = false;
		}
		p = e;
	}
	out_put(&b, "", 1);
	char *r = imp_strdup(im, b.p);
	out_free(&b);
	return r;
}

static bool path_char(char c)
{
	return isalnum((unsigned char)c) || strchr("._~!$&'*+;=:@%/-", c);
}

/* The path in apic's syntax; parameter names made names (renames recorded
 * in `ren`: document name -> apic name). NULL when it cannot be. */
static char *apic_path(struct imp *im, const char *path, const char *ptr, json_object *ren)
{
	struct out_buf b;
	out_init(&b);
	if (*path != '/')
		out_puts(&b, "/");
	for (const char *p = path; *p; p++) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			bool whole = e && (p == path || p[-1] == '/') && (e[1] == 0 || e[1] == '/');
			if (!whole) {
				imp_warn(im, ptr, "a path segment that mixes text and a parameter: operations dropped");
				out_free(&b);
				return NULL;
			}
			char *name = strndup(p + 1, (size_t)(e - p - 1));
			const char *nm = name;
			if (!imp_is_label(name)) {
				nm = imp_op_name(im, name);
				json_object_object_add(ren, name, json_object_new_string(nm));
			}
			/* {id}/.../{id}: one parameter for two segments */
			char *pat;
			if (asprintf(&pat, "{%s}", nm) < 0)
				abort();
			if (b.p && memmem(b.p, b.len, pat, strlen(pat))) {
				char *again;
				if (asprintf(&again, "%s2", nm) < 0)
					abort();
				imp_warn(im, ptr, "path parameter {%s} appears twice: the second one is {%s}, a string", name, again);
				nm = imp_strdup(im, again);
				free(again);
			}
			free(pat);
			out_printf(&b, "{%s}", nm);
			free(name);
			p = e;
		} else if (*p == '/' && b.len && b.p[b.len - 1] == '/') {
			imp_warn(im, ptr, "an empty path segment (//) dropped");
		} else if (path_char(*p)) {
			out_put(&b, p, 1);
		} else {
			out_printf(&b, "%%%02X", (unsigned char)*p);
		}
	}
	while (b.len > 1 && b.p[b.len - 1] == '/') {
		imp_warn(im, ptr, "the path's trailing / dropped (apic paths do not end with /)");
		b.len--;
	}
	out_put(&b, "", 1);
	char *r = imp_strdup(im, b.p);
	out_free(&b);
	return r;
}

static bool token_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || strchr("!#$%&'*+-.^_`|~", *s)))
			return false;
	return true;
}

/* Whether the schema is an array of scalars (a query parameter may be). */
static bool scalar_array(struct imp *im, json_object *s, const char *ptr)
{
	s = imp_follow(im, s, &ptr);
	const char *t = imp_str(s, "type");
	json_object *ta = imp_get(s, "type");
	if (!t && ta && json_object_is_type(ta, json_type_array) && json_object_array_length(ta))
		t = json_object_get_string(json_object_array_get_idx(ta, 0));
	if (!t || strcmp(t, "array") != 0)
		return false;
	return imp_is_scalar(im, imp_get(s, "items"), imp_ptr(im, ptr, "items"));
}

static void put_param(struct imp *im, json_object *p, const char *pptr, const char *opname, json_object *ren,
		      bool etag_doc, json_object *seen, const char *apath, struct out_buf *b)
{
	const char *in = imp_str(p, "in"), *name = imp_str(p, "name");
	if (!in || !name || !*name) {
		imp_warn(im, pptr, "a parameter without name or in: dropped");
		return;
	}
	/* one C member per parameter, one header of a name in any case */
	json_object *rn0 = imp_get(ren, name);
	const char *cn = names_snake(im->cn, rn0 && !strcmp(in, "path") ? json_object_get_string(rn0) : name);
	const char *has = names_fmt(im->cn, "has_%s", cn);
	const char *hk = !strcmp(in, "header") ? names_fmt(im->cn, "header %s", names_snake(im->cn, name)) : NULL;
	json_object *prev = imp_get(seen, cn) ? imp_get(seen, cn) : imp_get(seen, has);
	if (!prev && hk)
		prev = imp_get(seen, hk);
	/* the path's own {X} (registered first) is this parameter's place */
	if (prev && !strcmp(in, "path") && json_object_get_string(prev)[0] == '{')
		prev = NULL;
	if (prev) {
		imp_warn(im, pptr, "parameter %s has the C name of parameter %s: dropped", name, json_object_get_string(prev));
		return;
	}
	if (strcmp(in, "path") && strcmp(in, "query") && strcmp(in, "header") && strcmp(in, "cookie")) {
		imp_warn(im, pptr, "parameter in \"%s\": dropped", in);
		return;
	}
	bool header = !strcmp(in, "header"), cookie = !strcmp(in, "cookie");
	if (!strcmp(in, "path")) {
		json_object *r = imp_get(ren, name);
		char *pat;
		if (asprintf(&pat, "{%s}", r ? json_object_get_string(r) : name) < 0)
			abort();
		bool there = strstr(apath, pat) != NULL;
		free(pat);
		if (!there) {
			imp_warn(im, pptr, "path parameter %s is not in the path: dropped", name);
			return;
		}
	}
	if (header && (!strcasecmp(name, "Accept") || !strcasecmp(name, "Content-Type") ||
		       !strcasecmp(name, "Authorization"))) {
		imp_warn(im, pptr, "header parameter %s dropped (OpenAPI ignores it; security schemes say Authorization)", name);
		return;
	}
	if (header && etag_doc && !strcasecmp(name, "If-None-Match"))
		return;
	if ((header || cookie) && !token_name(name)) {
		imp_warn(im, pptr, "%s name \"%s\" is not an HTTP token: dropped", in, name);
		return;
	}
	json_object *schema = imp_get(p, "schema");
	const char *sptr = imp_ptr(im, pptr, "schema");
	if (!schema && imp_get(p, "content")) {
		bool found;
		schema = imp_content(im, imp_get(p, "content"), imp_ptr(im, pptr, "content"), &sptr, &found, "parameter");
		if (schema)
			imp_warn(im, imp_ptr(im, pptr, "content"), "a parameter with content: read as its schema, not as JSON text");
	}
	bool scalar = imp_is_scalar(im, schema, sptr);
	bool array = !scalar && !strcmp(in, "query") && scalar_array(im, schema, sptr);
	if (!scalar && !array) {
		if (!strcmp(in, "path")) {
			imp_warn(im, sptr, "path parameter %s is not a primitive or enum: read as a string", name);
			schema = NULL;
		} else {
			imp_warn(im, sptr, "%s parameter %s is not a primitive%s: dropped", in, name,
				 !strcmp(in, "query") ? ", an enum or an array of them" : " or enum");
			return;
		}
	}
	const char *style = imp_str(p, "style");
	json_object *explode = imp_get(p, "explode");
	if (array && ((style && strcmp(style, "form")) || (explode && !json_object_get_boolean(explode))))
		imp_warn(im, pptr, "array parameter %s: apic reads it repeated (?%s=a&%s=b), not %s", name, name, name,
			 style ? style : "exploded: false");
	struct imp_mods m = { 0 };
	struct out_buf t;
	out_init(&t);
	if (schema)
		imp_type(im, schema, sptr, imp_camel(im, opname, name), &t, &m);
	else
		out_puts(&t, "string");
	if (m.nullable)
		imp_warn(im, sptr, "a nullable parameter: null is not a parameter value, dropped");
	const char *desc = imp_str(p, "description");
	imp_put_doc(b, desc ? desc : m.doc, 4);
	out_printf(b, "    %s ", in);
	const char *shown = name;
	json_object *rn = imp_get(ren, name);
	if (!strcmp(in, "path") && rn)
		shown = json_object_get_string(rn);
	imp_put_name(b, shown);
	json_object *req = imp_get(p, "required");
	bool required = !strcmp(in, "path") || (req && json_object_get_boolean(req));
	json_object_object_add(seen, cn, json_object_new_string(name));
	json_object_object_add(seen, has, json_object_new_string(name));
	if (hk)
		json_object_object_add(seen, hk, json_object_new_string(name));
	if (m.def && !imp_value_fits(t.p, m.def)) {
		imp_warn(im, imp_ptr(im, sptr, "default"), "default %s is not a %s: dropped",
			 json_object_to_json_string(m.def), t.p);
		m.def = NULL;
	}
	bool def = (m.def || m.def_null) && !im->no_values && strcmp(in, "path") != 0;
	out_puts(b, required && !def ? ": " : "?: ");
	out_put(b, t.p, t.len);
	if (def) {
		out_puts(b, " = ");
		imp_put_default(b, m.def, m.is_enum);
	}
	if (json_object_get_boolean(imp_get(p, "deprecated")))
		out_puts(b, " deprecated");
	json_object *ex = imp_get(p, "example") ? imp_get(p, "example") : m.example;
	if (ex && !imp_value_fits(t.p, ex)) {
		imp_warn(im, pptr, "example %s is not a %s: dropped", json_object_to_json_string(ex), t.p);
		ex = NULL;
	}
	if (ex && !im->no_values) {
		out_puts(b, " example ");
		imp_put_value(b, ex);
	}
	/* documentation the language has no place for: said, never lost quietly */
	if (imp_get(p, "examples"))
		imp_warn(im, imp_ptr(im, pptr, "examples"), "the examples map dropped (a parameter keeps one example at most)");
	if (json_object_get_boolean(imp_get(p, "allowEmptyValue")))
		imp_warn(im, imp_ptr(im, pptr, "allowEmptyValue"), "allowEmptyValue dropped: an empty value is "
			 "checked against the type");
	out_puts(b, "\n");
	out_free(&t);
}

static void put_params(struct imp *im, json_object *common, const char *cptr, json_object *own, const char *optr,
		       const char *opname, json_object *ren, bool etag_doc, const char *apath, struct out_buf *b)
{
	json_object *seen = json_object_new_object();
	/* the path's parameters first: another parameter with their C name goes */
	for (const char *p = strchr(apath, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (!e)
			break;
		char *nm = strndup(p + 1, (size_t)(e - p - 1));
		const char *cn = names_snake(im->cn, nm);
		json_object_object_add(seen, cn, json_object_new_string(names_fmt(im->cn, "{%s}", nm)));
		json_object_object_add(seen, names_fmt(im->cn, "has_%s", cn), json_object_new_string(names_fmt(im->cn, "{%s}", nm)));
		free(nm);
	}
	/* the path item's, unless the operation has one of that name and place */
	for (size_t i = 0; common && i < json_object_array_length(common); i++) {
		const char *pp = imp_ptri(im, cptr, i);
		json_object *p = imp_follow(im, json_object_array_get_idx(common, i), &pp);
		if (!p)
			continue;
		bool over = false;
		for (size_t j = 0; own && j < json_object_array_length(own); j++) {
			const char *qp = imp_ptri(im, optr, j);
			json_object *q = imp_follow(im, json_object_array_get_idx(own, j), &qp);
			const char *a = imp_str(p, "name"), *c = imp_str(q, "name");
			const char *ai = imp_str(p, "in"), *ci = imp_str(q, "in");
			over |= a && c && ai && ci && !strcmp(a, c) && !strcmp(ai, ci);
		}
		if (!over)
			put_param(im, p, pp, opname, ren, etag_doc, seen, apath, b);
	}
	for (size_t j = 0; own && j < json_object_array_length(own); j++) {
		const char *qp = imp_ptri(im, optr, j);
		json_object *q = imp_follow(im, json_object_array_get_idx(own, j), &qp);
		if (q)
			put_param(im, q, qp, opname, ren, etag_doc, seen, apath, b);
	}
	json_object_put(seen);
}

/* Adds `path X: string` for each {X} of the path no parameter declares. */
static void missing_path_params(struct imp *im, const char *path, const char *params, const char *ptr,
				struct out_buf *b)
{
	for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (!e)
			break;
		char *pat = NULL;
		if (asprintf(&pat, "    path %.*s:", (int)(e - p - 1), p + 1) < 0)
			abort();
		if (!strstr(params, pat)) {
			imp_warn(im, ptr, "path parameter {%.*s} not declared: a string", (int)(e - p - 1), p + 1);
			out_printf(b, "    path %.*s: string\n", (int)(e - p - 1), p + 1);
		}
		free(pat);
	}
}

static void put_body(struct imp *im, json_object *rb, const char *ptr, const char *method, const char *opname,
		     struct out_buf *b)
{
	const char *ref = imp_str(rb, "$ref");
	const char *hint = ref && !strncmp(ref, "#/components/requestBodies/", 27) ? ref + 27 : NULL;
	rb = imp_follow(im, rb, &ptr);
	if (!rb)
		return;
	if (!strcmp(method, "get") || !strcmp(method, "head") || !strcmp(method, "delete")) {
		imp_warn(im, ptr, "a request body of %s: dropped (apic reads none)", method);
		return;
	}
	const char *sptr = NULL;
	bool found;
	json_object *schema = imp_content(im, imp_get(rb, "content"), imp_ptr(im, ptr, "content"), &sptr, &found,
					  "request body");
	if (!found)
		return;
	struct imp_mods m = { 0 };
	struct out_buf t;
	out_init(&t);
	imp_type(im, schema, sptr, hint ? hint : imp_camel(im, opname, "Request"), &t, &m);
	json_object *req = imp_get(rb, "required");
	out_printf(b, "    body%s ", req && json_object_get_boolean(req) ? "" : "?");
	out_put(b, t.p, t.len);
	out_puts(b, "\n");
	out_free(&t);
}

static void put_tags(struct out_buf *b, json_object *tags)
{
	if (!tags || !json_object_is_type(tags, json_type_array) || !json_object_array_length(tags))
		return;
	out_puts(b, "    tags");
	for (size_t i = 0; i < json_object_array_length(tags); i++) {
		const char *t = json_object_get_string(json_object_array_get_idx(tags, i));
		out_puts(b, " ");
		if (imp_is_ident(t))
			out_puts(b, t);
		else
			imp_put_string(b, t);
	}
	out_puts(b, "\n");
}

static const char *unique_op(struct imp *im, const char *name)
{
	char *n = strdup(name);
	for (unsigned i = 2;; i++) {
		struct out_buf k;
		out_init(&k);
		for (const char *p = n; *p; p++)
			if (*p != '_' && *p != '-') {
				char c = (char)tolower((unsigned char)*p);
				out_put(&k, &c, 1);
			}
		out_put(&k, "", 1);
		bool taken = json_object_object_get_ex(im->opnames, k.p, NULL);
		if (!taken)
			json_object_object_add(im->opnames, k.p, json_object_new_boolean(1));
		out_free(&k);
		if (!taken)
			break;
		free(n);
		if (asprintf(&n, "%s%u", name, i) < 0)
			abort();
	}
	const char *r = imp_strdup(im, n);
	free(n);
	return r;
}

/* The summary apic writes for an operation without one (op_summary_words):
 * importing it as a doc comment would not change the document but would
 * add text to the schema that nobody wrote. */
static bool same_as_derived_summary(const char *name, const char *summary)
{
	struct out_buf w;
	bool same;

	out_init(&w);
	op_summary_words(&w, name);
	same = !w.oom && w.len == strlen(summary) && !memcmp(w.p, summary, w.len);
	out_free(&w);
	return same;
}

static void put_op(struct imp *im, const char *path, const char *apath, const char *method, json_object *op,
		   const char *optr, json_object *item, const char *iptr, json_object *ren, struct out_buf *b)
{
	const char *id = imp_str(op, "operationId");
	const char *derived = derived_id(im, method, apath);
	/* an operationId that is a name stays as it is (hyphens too) */
	const char *name = !id || !strcmp(id, derived) ? derived : imp_is_ident(id) ? id : imp_op_name(im, id);
	const char *uname = unique_op(im, name);
	if (id && strcmp(uname, id) != 0 && strcmp(id, derived) != 0)
		imp_warn(im, imp_ptr(im, optr, "operationId"), "operationId \"%s\" is operation %s", id, uname);
	struct imp_op o = { .name = uname, .method_get = !strcmp(method, "get"),
			    .websocket = imp_get(op, "x-apic-websocket") != NULL };
	struct out_buf resp, params;
	out_init(&resp);
	out_init(&params);
	imp_responses(im, imp_get(op, "responses"), imp_ptr(im, optr, "responses"), &o, &resp);
	put_params(im, imp_get(item, "parameters"), imp_ptr(im, iptr, "parameters"), imp_get(op, "parameters"),
		   imp_ptr(im, optr, "parameters"), uname, ren, im->apic_doc && o.etag, apath, &params);
	put_body(im, imp_get(op, "requestBody"), imp_ptr(im, optr, "requestBody"), method, uname, &params);
	out_put(&params, "", 1);
	params.len--;
	const char *summary = imp_str(op, "summary"), *desc = imp_str(op, "description");
	if (summary && same_as_derived_summary(uname, summary))
		summary = NULL;  /* apic writes it back from the operationId */
	bool doc = summary && *summary && !strchr(summary, '\n') && summary[strlen(summary) - 1] != ' ' &&
		   summary[0] != ' ';
	out_puts(b, "\n");
	if (doc) {
		imp_put_doc(b, summary, 0);
		imp_put_doc(b, desc, 0);
	}
	out_printf(b, "%s %s {\n", method, apath);
	if (strcmp(uname, derived) != 0)
		out_printf(b, "    operation %s\n", uname);
	if (!doc && summary) {
		out_puts(b, "    summary ");
		imp_put_string(b, summary);
		out_puts(b, "\n");
	}
	if (!doc && desc) {
		out_puts(b, "    description ");
		imp_put_string(b, desc);
		out_puts(b, "\n");
	}
	put_tags(b, imp_get(op, "tags"));
	if (json_object_get_boolean(imp_get(op, "deprecated")))
		out_puts(b, "    deprecated\n");
	if (imp_get(op, "security"))
		imp_auth(im, imp_get(op, "security"), imp_ptr(im, optr, "security"), b, false);
	out_put(b, params.p, params.len);
	missing_path_params(im, apath, params.p, optr, b);
	if (o.maxbody)
		out_printf(b, "    maxbody %llu\n", o.maxbody);
	if (o.cache) {
		out_puts(b, "    cache ");
		imp_put_string(b, o.cache);
		out_puts(b, "\n");
	}
	if (o.etag)
		out_puts(b, "    etag\n");
	if (json_object_get_boolean(imp_get(op, "x-apic-async")))
		out_puts(b, "    async\n");
	json_object *dl = imp_get(op, "x-apic-deadline-ms");
	if (dl && json_object_is_type(dl, json_type_int))
		out_printf(b, "    deadline %lld ms\n", (long long)json_object_get_int64(dl));
	json_object *ws = imp_get(op, "x-apic-websocket");
	if (ws) {
		struct imp_mods m = { 0 };
		if (imp_get(ws, "receive")) {
			out_puts(b, "    receive ");
			imp_type(im, imp_get(ws, "receive"), imp_ptr(im, imp_ptr(im, optr, "x-apic-websocket"), "receive"),
				 imp_camel(im, uname, "Receive"), b, &m);
			out_puts(b, "\n");
		}
		if (imp_get(ws, "send")) {
			out_puts(b, "    send ");
			imp_type(im, imp_get(ws, "send"), imp_ptr(im, imp_ptr(im, optr, "x-apic-websocket"), "send"),
				 imp_camel(im, uname, "Send"), b, &m);
			out_puts(b, "\n");
		}
	}
	out_put(b, resp.p, resp.len);
	out_puts(b, "}\n");
	if (imp_get(op, "callbacks"))
		imp_warn(im, imp_ptr(im, optr, "callbacks"), "callbacks dropped");
	if (imp_get(op, "servers"))
		imp_warn(im, imp_ptr(im, optr, "servers"), "servers of an operation dropped");
	if (imp_get(op, "externalDocs"))
		imp_warn(im, imp_ptr(im, optr, "externalDocs"), "externalDocs of an operation dropped");
	(void)path;
	out_free(&resp);
	out_free(&params);
}

/* The path with its parameters' names left out: two operations with the
 * same key would match the same requests. */
static const char *route_key(struct imp *im, const char *apath)
{
	struct out_buf b;
	out_init(&b);
	for (const char *p = apath; *p; p++) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			if (e) {
				out_puts(&b, "{}");
				p = e;
				continue;
			}
		}
		out_put(&b, p, 1);
	}
	out_put(&b, "", 1);
	const char *r = imp_strdup(im, b.p);
	out_free(&b);
	return r;
}

void imp_paths(struct imp *im, struct out_buf *b)
{
	im->opnames = json_object_new_object();
	json_object *paths = imp_get(im->root, "paths");
	if (!paths || !json_object_is_type(paths, json_type_object))
		return;
	json_object_object_foreach(paths, path, iv) {
		const char *iptr = imp_ptr(im, "/paths", path);
		json_object *item = imp_follow(im, iv, &iptr);
		if (!item || !json_object_is_type(item, json_type_object)) {
			imp_warn(im, iptr, "a path item that is not an object: dropped");
			continue;
		}
		json_object *ren = json_object_new_object();
		char *apath = apic_path(im, path, iptr, ren);
		json_object_object_foreach(item, k, op) {
			bool is_method = false;
			for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
				is_method |= !strcmp(methods[i], k);
			const char *optr = imp_ptr(im, iptr, k);
			char *key = NULL;
			if (is_method && apath && asprintf(&key, "%s %s", k, route_key(im, apath)) < 0)
				abort();
			if (key && imp_get(im->opnames, key)) {
				imp_warn(im, optr, "%s %s matches the requests of an operation before it (the same path "
					 "up to parameter names or a trailing /): dropped", k, apath);
			} else if (is_method && apath && json_object_is_type(op, json_type_object)) {
				json_object_object_add(im->opnames, key, json_object_new_boolean(1));
				put_op(im, path, apath, k, op, optr, item, iptr, ren, b);
			}
			else if (!strcmp(k, "trace"))
				imp_warn(im, optr, "TRACE operation dropped (apic has no trace)");
			else if (!strcmp(k, "servers"))
				imp_warn(im, optr, "servers of a path dropped");
			free(key);
		}
		json_object_put(ren);
	}
}
