/* `apic import`: info, servers and security schemes to the service and
 * security declarations, security requirements to `auth`. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

static const char apic_errors_para[] = "\n\n**Errors on any path.**";
static const char apic_prefix_para[] = "The value carries the prefix \"";

/* A server URL with its variables replaced by their defaults. */
static char *server_url(struct imp *im, json_object *sv, const char *ptr)
{
	const char *url = imp_str(sv, "url");
	if (!url)
		return NULL;
	json_object *vars = imp_get(sv, "variables");
	struct out_buf b;
	out_init(&b);
	for (const char *p = url; *p; p++) {
		const char *e = *p == '{' ? strchr(p, '}') : NULL;
		if (!e) {
			out_put(&b, p, 1);
			continue;
		}
		char *name = strndup(p + 1, (size_t)(e - p - 1));
		const char *def = imp_str(imp_get(vars, name), "default");
		imp_warn(im, imp_ptr(im, ptr, "url"), "server variable {%s} replaced by its default \"%s\"", name,
			 def ? def : "");
		out_puts(&b, def ? def : "");
		free(name);
		p = e;
	}
	out_put(&b, "", 1);
	char *r = imp_strdup(im, b.p);
	out_free(&b);
	return r;
}

/* Where the path of a URL starts ("https://h/api" -> "/api"; a URL
 * without a scheme that does not start with '/' starts with its host). */
static const char *url_path(const char *u)
{
	const char *s = strstr(u, "://");
	if (!s && *u == '/')
		return u;
	const char *p = strchr(s ? s + 3 : u, '/');
	return p ? p : u + strlen(u);
}

/* A basepath apic takes: '/', then path characters. */
static bool basepath_ok(const char *p)
{
	if (*p != '/')
		return false;
	for (; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("._~!$&'*+;=:@%/-", *p)))
			return false;
	return true;
}

static const char *basepath_of(const char *path)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%s", path);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '/')
		buf[--n] = 0;
	char *q = strpbrk(buf, "?#");
	if (q)
		*q = 0;
	return buf;
}

void imp_service(struct imp *im, struct out_buf *b)
{
	json_object *info = imp_get(im->root, "info");
	const char *title = imp_str(info, "title"), *version = imp_str(info, "version");
	out_puts(b, "service ");
	imp_put_string(b, title && *title ? title : "API");
	out_puts(b, " version ");
	imp_put_string(b, version ? version : "0");
	out_puts(b, " {\n");
	if (!title || !*title)
		imp_warn(im, "/info", "no title: the service is \"API\"");
	const char *desc = imp_str(info, "description");
	if (desc) {
		char *d = imp_strdup(im, desc);
		char *cut = im->apic_doc ? strstr(d, apic_errors_para) : NULL;
		if (cut)
			*cut = 0;
		size_t dl = strlen(d);
		while (dl && strchr("\n\r\t ", d[dl - 1]))
			d[--dl] = 0;
		if (*d) {
			out_puts(b, "    description ");
			imp_put_string(b, d);
			out_puts(b, "\n");
		}
	}
	/* documentation the schema has no place for */
	static const char *const info_only[] = { "summary", "termsOfService", "contact", "license" };
	for (size_t i = 0; i < sizeof info_only / sizeof *info_only; i++)
		if (imp_get(info, info_only[i]))
			imp_warn(im, imp_ptr(im, "/info", info_only[i]), "info.%s dropped (documentation the schema has "
				 "no place for)", info_only[i]);
	if (imp_get(im->root, "externalDocs"))
		imp_warn(im, "/externalDocs", "externalDocs dropped");
	if (imp_get(im->root, "webhooks"))
		imp_warn(im, "/webhooks", "webhooks dropped (apic has none)");
	json_object *tags = imp_get(im->root, "tags");
	for (size_t i = 0; tags && json_object_is_type(tags, json_type_array) && i < json_object_array_length(tags); i++) {
		json_object *t = json_object_array_get_idx(tags, i);
		if (imp_get(t, "description") || imp_get(t, "externalDocs"))
			imp_warn(im, imp_ptri(im, "/tags", i), "the description of tag \"%s\" dropped (tags are names)",
				 imp_str(t, "name") ? imp_str(t, "name") : "");
	}
	json_object *servers = imp_get(im->root, "servers");
	size_t n = servers ? json_object_array_length(servers) : 0;
	const char *base = NULL;
	size_t first = 0;
	/* apic's documents list the basepath first, as the server of the document */
	if (n && im->apic_doc) {
		const char *d0 = imp_str(json_object_array_get_idx(servers, 0), "description");
		if (d0 && !strcmp(d0, "the server that serves this document")) {
			base = imp_strdup(im, basepath_of(imp_str(json_object_array_get_idx(servers, 0), "url")));
			first = 1;
		}
	}
	for (size_t i = first; i < n; i++) {
		json_object *sv = json_object_array_get_idx(servers, i);
		const char *ptr = imp_ptri(im, "/servers", i);
		char *url = server_url(im, sv, ptr);
		if (!url)
			continue;
		const char *path = basepath_of(url_path(url));
		if (!base && !first)
			base = imp_strdup(im, path);
		size_t ul = strlen(url), bl = base ? strlen(base) : 0;
		while (ul && url[ul - 1] == '/')
			url[--ul] = 0;
		if (bl && ul >= bl && !strcmp(url + ul - bl, base))
			url[ul - bl] = 0;
		else if (base && *base && strcmp(path, base))
			imp_warn(im, ptr, "the path of this server differs from the first one's (%s, the basepath): "
				 "kept as written, the operations are served under %s", path, base);
		out_puts(b, "    server ");
		imp_put_string(b, *url ? url : "/");
		if (imp_str(sv, "description")) {
			out_puts(b, " ");
			imp_put_string(b, imp_str(sv, "description"));
		}
		out_puts(b, "\n");
	}
	if (base && *base && !basepath_ok(base)) {
		imp_warn(im, "/servers", "basepath \"%s\" is not a path: none", base);
		base = NULL;
	}
	if (base && *base) {
		out_puts(b, "    basepath ");
		imp_put_string(b, base);
		out_puts(b, "\n");
	}
	json_object *sec = imp_get(im->root, "security");
	if (sec)
		imp_auth(im, sec, "/security", b, true);
	if (im->error_model) {
		const char *at = imp_error_pointer(im);
		json_object *nm = imp_get(im->comp, imp_ptr(im, "/components/schemas", im->error_model));
		if (at && nm)
			out_printf(b, "    errors %s at \"%s\"\n", json_object_get_string(nm), at);
	}
	out_puts(b, "}\n\n");
}

/* The pointer to the array of strings in the errors model: the first one
 * found, depth first. */
static bool find_strings(struct imp *im, json_object *s, const char *ptr, struct out_buf *at, int depth)
{
	s = imp_follow(im, s, &ptr);
	json_object *props = imp_get(s, "properties");
	if (!props || depth > 8)
		return false;
	json_object_object_foreach(props, k, v) {
		size_t mark = at->len;
		out_puts(at, "/");
		out_puts(at, k);
		const char *p = imp_ptr(im, imp_ptr(im, ptr, "properties"), k);
		json_object *t = imp_follow(im, v, &p);
		const char *ty = imp_str(t, "type");
		if (ty && !strcmp(ty, "array") && imp_str(imp_follow(im, imp_get(t, "items"), &p), "type") &&
		    !strcmp(imp_str(imp_follow(im, imp_get(t, "items"), &p), "type"), "string"))
			return true;
		if (find_strings(im, t, p, at, depth + 1))
			return true;
		at->len = mark;
	}
	return false;
}

const char *imp_error_pointer(struct imp *im)
{
	struct out_buf at;
	out_init(&at);
	const char *ptr = imp_ptr(im, "/components/schemas", im->error_model);
	json_object *s = imp_get(imp_get(imp_get(im->root, "components"), "schemas"), im->error_model);
	const char *r = NULL;
	if (find_strings(im, s, ptr, &at, 0)) {
		out_put(&at, "", 1);
		r = imp_strdup(im, at.p);
	}
	out_free(&at);
	return r;
}

void imp_auth(struct imp *im, json_object *sec, const char *ptr, struct out_buf *b, bool service)
{
	if (!json_object_is_type(sec, json_type_array))
		return;
	size_t n = json_object_array_length(sec);
	bool anon = false;
	const char *name = NULL;
	for (size_t i = 0; i < n; i++) {
		json_object *req = json_object_array_get_idx(sec, i);
		if (!json_object_is_type(req, json_type_object))
			continue;
		if (json_object_object_length(req) == 0) {
			anon = true;
			continue;
		}
		json_object_object_foreach(req, k, v) {
			(void)v;
			json_object *nm = imp_get(im->sec, k);
			const char *p = imp_ptri(im, ptr, i);
			if (!nm) {
				imp_warn(im, p, "security scheme \"%s\" is not one apic has: requirement dropped", k);
			} else if (!name) {
				name = json_object_get_string(nm);
				if (json_object_object_length(req) > 1)
					imp_warn(im, p, "several schemes required together: only %s kept", name);
			} else if (strcmp(name, json_object_get_string(nm)) != 0) {
				imp_warn(im, p, "alternative security scheme %s dropped: only %s kept", json_object_get_string(nm), name);
			}
			break;
		}
	}
	if (name)
		out_printf(b, "    auth %s%s\n", anon ? "optional " : "", name);
	else if (!service)
		out_puts(b, "    auth none\n");
}

/* `Authorization: Token xxx` in the description: the prefix apic checks. */
static char *prefix_from(struct imp *im, const char *key, const char *desc, const char *ptr, char **rest)
{
	*rest = NULL;
	if (!desc)
		return NULL;
	const char *p = strstr(desc, apic_prefix_para);
	if (p) {
		const char *s = p + strlen(apic_prefix_para);
		const char *e = strchr(s, '"');
		if (e) {
			char *d = imp_strdup(im, desc);
			size_t cut = (size_t)(p - desc);
			while (cut && (d[cut - 1] == '\n'))
				cut--;
			d[cut] = 0;
			*rest = d;
			char *pre = strndup(s, (size_t)(e - s));
			char *r = imp_strdup(im, pre);
			free(pre);
			return r;
		}
	}
	if (strcasecmp(key, "Authorization") != 0)
		return NULL;
	/* "Authorization: Token x", or an indented example line "    Token x" */
	p = strstr(desc, "Authorization: ");
	const char *s = p ? p + strlen("Authorization: ") : NULL;
	for (const char *l = desc; !s && l; l = strchr(l, '\n')) {
		l += *l == '\n';
		if (!strncmp(l, "    ", 4) && isupper((unsigned char)l[4]))
			s = l + 4;
	}
	if (!s)
		return NULL;
	const char *e = s;
	while (isalpha((unsigned char)*e))
		e++;
	if (e == s || *e != ' ' || (e - s == 6 && !strncasecmp(s, "Bearer", 6)))
		return NULL;
	char *pre = strndup(s, (size_t)(e - s + 1));
	char *r = imp_strdup(im, pre);
	free(pre);
	imp_warn(im, imp_ptr(im, ptr, "description"), "the key's prefix \"%s\" read from the description "
		 "(OpenAPI has no field for it)", r);
	return r;
}

void imp_security(struct imp *im, struct out_buf *b)
{
	im->sec = json_object_new_object();
	json_object *ss = imp_get(imp_get(im->root, "components"), "securitySchemes");
	if (!ss || !json_object_is_type(ss, json_type_object))
		return;
	json_object_object_foreach(ss, k, v) {
		const char *ptr = imp_ptr(im, "/components/securitySchemes", k);
		json_object *s = imp_follow(im, v, &ptr);
		const char *type = imp_str(s, "type"), *scheme = imp_str(s, "scheme");
		const char *desc = imp_str(s, "description");
		struct out_buf line;
		out_init(&line);
		if (type && !strcmp(type, "http") && scheme && !strcasecmp(scheme, "bearer")) {
			out_puts(&line, "bearer");
			if (imp_str(s, "bearerFormat")) {
				out_puts(&line, " format ");
				imp_put_string(&line, imp_str(s, "bearerFormat"));
			}
		} else if (type && !strcmp(type, "http") && scheme && !strcasecmp(scheme, "basic")) {
			out_puts(&line, "basic");
		} else if (type && !strcmp(type, "apiKey")) {
			const char *in = imp_str(s, "in"), *name = imp_str(s, "name");
			if (!in || !name || (strcmp(in, "header") && strcmp(in, "query") && strcmp(in, "cookie"))) {
				imp_warn(im, ptr, "an apiKey scheme without a valid name and in: dropped");
			} else {
				char *rest;
				char *pre = prefix_from(im, name, desc, ptr, &rest);
				if (rest)
					desc = rest;
				out_printf(&line, "apikey %s ", in);
				imp_put_string(&line, name);
				if (pre) {
					out_puts(&line, " prefix ");
					imp_put_string(&line, pre);
				}
			}
		} else if (type && (!strcmp(type, "oauth2") || !strcmp(type, "openIdConnect"))) {
			imp_warn(im, ptr, "%s: replaced by bearer (the access token in Authorization: Bearer; "
				 "flows and scopes dropped, the application checks the token)", type);
			out_puts(&line, "bearer");
		} else {
			imp_warn(im, ptr, "security scheme type \"%s%s%s\" not supported: dropped", type ? type : "?",
				 scheme ? " " : "", scheme ? scheme : "");
		}
		if (line.len) {
			const char *nm = imp_decl_name(im, k);
			json_object_object_add(im->sec, k, json_object_new_string(nm));
			imp_put_doc(b, desc, 0);
			out_printf(b, "security %s = ", nm);
			out_put(b, line.p, line.len);
			out_puts(b, "\n");
		}
		out_free(&line);
	}
	out_puts(b, "\n");
}
