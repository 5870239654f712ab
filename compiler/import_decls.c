/* `apic import`: the declarations. components.schemas entries that are
 * objects become models (allOf merged; apic's NAME and NAME-Input views one
 * model again), string enums become enums (apic's member docs read back);
 * each property a field with its modifiers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "names.h"

/* Where "- `NAME`: " starts a line of d (apic's member docs), or NULL. */
static const char *member_mark(const char *d, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strstr(d, "- `"); p; p = strstr(p + 1, "- `"))
		if ((p == d || p[-1] == '\n') && !strncmp(p + 3, name, n) && !strncmp(p + 3 + n, "`: ", 3))
			return p;
	return NULL;
}

void imp_render_enum(struct imp *im, json_object *s, const char *ptr, const char *name)
{
	struct out_buf b;
	out_init(&b);
	json_object *e = imp_get(s, "enum");
	const char *desc = imp_str(s, "description");
	/* apic's documents list the member docs after the enum's */
	const char *first = NULL;
	for (size_t i = 0; im->apic_doc && desc && i < json_object_array_length(e); i++) {
		const char *v = json_object_get_string(json_object_array_get_idx(e, i));
		const char *mk = v ? member_mark(desc, v) : NULL;
		if (mk && (!first || mk < first))
			first = mk;
	}
	if (first) {
		size_t n = (size_t)(first - desc);
		while (n && desc[n - 1] == '\n')
			n--;
		char *own = strndup(desc, n);
		imp_put_doc(&b, own, 0);
		free(own);
	} else {
		imp_put_doc(&b, desc, 0);
	}
	out_printf(&b, "enum %s {\n", name);
	for (size_t i = 0; i < json_object_array_length(e); i++) {
		json_object *v = json_object_array_get_idx(e, i);
		if (!json_object_is_type(v, json_type_string))
			continue;
		const char *vs = json_object_get_string(v);
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= !strcmp(vs, json_object_get_string(json_object_array_get_idx(e, j)) ?
				       json_object_get_string(json_object_array_get_idx(e, j)) : "");
		if (!*vs || dup) {
			imp_warn(im, imp_ptri(im, imp_ptr(im, ptr, "enum"), i), "%s enum member \"%s\" dropped: it is not accepted",
				 *vs ? "repeated" : "empty", vs);
			continue;
		}
		const char *mk = first ? member_mark(first, json_object_get_string(v)) : NULL;
		if (mk) {
			const char *t = mk + 3 + strlen(json_object_get_string(v)) + 3;
			const char *end = t;
			/* up to the next member's mark */
			for (const char *q = strstr(t, "\n- `"); q; q = strstr(q + 1, "\n- `")) {
				end = q;
				break;
			}
			if (end == t)
				end = t + strlen(t);
			char *md = strndup(t, (size_t)(end - t));
			imp_put_doc(&b, md, 4);
			free(md);
		}
		out_puts(&b, "    ");
		if (imp_is_ident(vs))
			out_puts(&b, vs);
		else
			imp_put_string(&b, vs);
		out_puts(&b, "\n");
	}
	out_puts(&b, "}\n\n");
	out_put(&im->decls, b.p, b.len);
	out_free(&b);
}


static void merge_allof(struct imp *im, json_object *s, const char *ptr, json_object *props, json_object *req,
			json_object *pptrs, bool *closed, int depth)
{
	json_object *all = imp_get(s, "allOf");
	if (all && json_object_is_type(all, json_type_array) && depth < 16) {
		for (size_t i = 0; i < json_object_array_length(all); i++) {
			const char *p = imp_ptri(im, imp_ptr(im, ptr, "allOf"), i);
			json_object *part = imp_follow(im, json_object_array_get_idx(all, i), &p);
			if (!part)
				continue;
			if (imp_get(part, "oneOf") || imp_get(part, "anyOf"))
				imp_warn(im, p, "oneOf/anyOf inside allOf: its alternatives dropped");
			bool nul = false;
			const char *t = imp_type_of(im, part, p, &nul);
			if (t && strcmp(t, "object") != 0) {
				imp_warn(im, p, "allOf part of type %s is not an object: dropped", t);
				continue;
			}
			merge_allof(im, part, p, props, req, pptrs, closed, depth + 1);
		}
	}
	json_object *pr = imp_get(s, "properties");
	if (pr && json_object_is_type(pr, json_type_object)) {
		const char *pp = imp_ptr(im, ptr, "properties");
		json_object_object_foreach(pr, k, v) {
			json_object_object_add(props, k, json_object_get(v));
			json_object_object_add(pptrs, k, json_object_new_string(imp_ptr(im, pp, k)));
		}
	}
	json_object *rq = imp_get(s, "required");
	for (size_t i = 0; rq && json_object_is_type(rq, json_type_array) && i < json_object_array_length(rq); i++)
		json_object_array_add(req, json_object_get(json_object_array_get_idx(rq, i)));
	json_object *ap = imp_get(s, "additionalProperties");
	if (!(ap && json_object_is_type(ap, json_type_boolean) && !json_object_get_boolean(ap)))
		*closed = false;
}

/* A value for a field of this declared type: enum members must be strings,
 * and everything else as it is. */
static void put_field(struct imp *im, struct out_buf *b, const char *model, const char *fname, json_object *ps,
		      const char *pptr, bool required)
{
	struct imp_mods m = { 0 };
	struct out_buf t;
	out_init(&t);
	imp_type(im, ps, pptr, imp_camel(im, model, fname), &t, &m);
	imp_put_doc(b, m.doc, 4);
	out_puts(b, "    ");
	imp_put_name(b, fname);
	if (required && !m.nullable && !strcmp(t.p, model)) {
		imp_warn(im, pptr, "a required field of the model's own type (no value could end it): optional");
		required = false;
	}
	if (m.def && !imp_value_fits(t.p, m.def)) {
		imp_warn(im, imp_ptr(im, pptr, "default"), "default %s is not a %s: dropped",
			 json_object_to_json_string(m.def), t.p);
		m.def = NULL;
	}
	if (m.def_null && !m.nullable) {
		imp_warn(im, imp_ptr(im, pptr, "default"), "default null of a field that is not nullable: dropped");
		m.def_null = false;
	}
	if (m.example && !imp_value_fits(t.p, m.example)) {
		imp_warn(im, imp_ptr(im, pptr, "example"), "example %s is not a %s: dropped",
			 json_object_to_json_string(m.example), t.p);
		m.example = NULL;
	}
	bool def = (m.def || m.def_null) && !im->no_values;
	out_puts(b, required && !def ? ": " : "?: ");
	out_put(b, t.p, t.len);
	if (def) {
		out_puts(b, " = ");
		imp_put_default(b, m.def, m.is_enum);
	}
	if (m.nullable)
		out_puts(b, " nullable");
	if (m.readonly && m.writeonly)
		imp_warn(im, pptr, "both readOnly and writeOnly: writeOnly dropped");
	if (m.readonly)
		out_puts(b, " readonly");
	else if (m.writeonly)
		out_puts(b, " writeonly");
	if (m.deprecated)
		out_puts(b, " deprecated");
	if (m.example && !im->no_values) {
		out_puts(b, " example ");
		imp_put_value(b, m.example);
	}
	out_puts(b, "\n");
	out_free(&t);
}

/* apic's documents split a model with readonly or writeonly fields into
 * NAME (what the server sends) and NAME-Input (what it accepts): the model
 * has the fields of both, in their order. */
static void merge_input(struct imp *im, const char *ptr, json_object **props, json_object *req)
{
	char *ip;
	if (asprintf(&ip, "#%s-Input", ptr) < 0)
		return;
	json_object *in = imp_get(imp_get(imp_get(im->root, "components"), "schemas"), strrchr(ip, '/') + 1);
	free(ip);
	json_object *iprops = imp_get(in, "properties");
	if (!iprops)
		return;
	json_object *merged = json_object_new_object();
	json_object *rest = *props;
	json_object_object_foreach(iprops, k, v) {
		if (json_object_is_type(v, json_type_boolean))
			continue;
		/* the response view's fields before this one */
		json_object *mine = NULL;
		if (json_object_object_get_ex(rest, k, &mine)) {
			json_object_object_foreach(rest, k2, v2) {
				if (!strcmp(k2, k))
					break;
				if (!json_object_object_get_ex(merged, k2, NULL))
					json_object_object_add(merged, k2, json_object_get(v2));
			}
		}
		if (!json_object_object_get_ex(merged, k, NULL))
			json_object_object_add(merged, k, json_object_get(mine ? mine : v));
	}
	json_object_object_foreach(rest, k3, v3) {
		if (!json_object_object_get_ex(merged, k3, NULL))
			json_object_object_add(merged, k3, json_object_get(v3));
	}
	json_object *rq = imp_get(in, "required");
	for (size_t i = 0; rq && i < json_object_array_length(rq); i++)
		json_object_array_add(req, json_object_get(json_object_array_get_idx(rq, i)));
	json_object_put(rest);
	*props = merged;
}

void imp_render_model(struct imp *im, json_object *s, const char *ptr, const char *name)
{
	json_object *props = json_object_new_object(), *req = json_object_new_array();
	json_object *pptrs = json_object_new_object();   /* each property's own pointer */
	bool closed = true;
	merge_allof(im, s, ptr, props, req, pptrs, &closed, 0);
	if (im->apic_doc)
		merge_input(im, ptr, &props, req);
	json_object *ap = imp_get(s, "additionalProperties");
	if (ap && json_object_is_type(ap, json_type_object) && json_object_object_length(ap) > 0)
		imp_warn(im, imp_ptr(im, ptr, "additionalProperties"),
			 "additionalProperties with a schema next to properties: any extra property accepted (open model)");
	if (imp_get(s, "patternProperties"))
		imp_warn(im, imp_ptr(im, ptr, "patternProperties"), "patternProperties dropped: any extra property accepted (open model)"), closed = false;
	if (imp_get(s, "minProperties") || imp_get(s, "maxProperties"))
		imp_warn(im, ptr, "minProperties/maxProperties of a model dropped");
	if (imp_get(s, "discriminator"))
		imp_warn(im, imp_ptr(im, ptr, "discriminator"), "discriminator dropped");
	struct out_buf b;
	out_init(&b);
	imp_put_doc(&b, imp_str(s, "description"), 0);
	out_printf(&b, "model %s", name);
	size_t head_start = b.len;
	if (!closed)
		out_puts(&b, " open");
	if (imp_truthy(s, "deprecated"))
		out_puts(&b, " deprecated");
	json_object *ex = imp_get(s, "example"), *exs = imp_get(s, "examples");
	if (!ex && exs && json_object_is_type(exs, json_type_array) && json_object_array_length(exs))
		ex = json_object_array_get_idx(exs, 0);
	if (ex && json_object_is_type(ex, json_type_object) && !im->no_values) {
		out_puts(&b, " example ");
		imp_put_value(&b, ex);
	}
	const char *pp = imp_ptr(im, ptr, "properties");
	/* two properties with one C name ("+1", "-1"): the later one goes, and
	 * the model accepts it as an unknown property */
	json_object *cnames = json_object_new_object();
	struct out_buf fb;
	out_init(&fb);
	json_object_object_foreach(props, k, v) {
		bool required = false;
		for (size_t i = 0; i < json_object_array_length(req); i++)
			required |= strcmp(json_object_get_string(json_object_array_get_idx(req, i)), k) == 0;
		const char *cn = names_snake(im->cn, k);
		const char *has = names_fmt(im->cn, "has_%s", cn);
		if (imp_get(cnames, cn) || (!required && imp_get(cnames, has))) {
			imp_warn(im, imp_ptr(im, pp, k), "property \"%s\" has the C name of \"%s\": dropped, "
				 "the model is open to accept it", k, json_object_get_string(imp_get(cnames, cn) ? imp_get(cnames, cn) : imp_get(cnames, has)));
			closed = false;
			continue;
		}
		json_object_object_add(cnames, cn, json_object_new_string(k));
		if (!required)
			json_object_object_add(cnames, has, json_object_new_string(k));
		const char *fp = imp_str(pptrs, k);
		put_field(im, &fb, name, k, v, fp ? fp : imp_ptr(im, pp, k), required);
	}
	json_object_put(cnames);
	if (!closed && !strstr(b.p + head_start - strlen(name), " open")) {
		/* " open" goes right after the name */
		out_puts(&b, "");
		size_t tail = b.len - head_start;
		char *t = strndup(b.p + head_start, tail);
		b.len = head_start;
		out_puts(&b, " open");
		out_puts(&b, t);
		free(t);
	}
	out_puts(&b, " {\n");
	out_put(&b, fb.p ? fb.p : "", fb.len);
	out_free(&fb);
	out_puts(&b, "}\n\n");
	out_put(&im->decls, b.p, b.len);
	out_free(&b);
	json_object_put(props);
	json_object_put(req);
	json_object_put(pptrs);
}

/* What a component becomes: 'm' a model, 'e' an enum, 0 written where used. */
int imp_component_kind(struct imp *im, json_object *s, const char *ptr)
{
	if (!s || !json_object_is_type(s, json_type_object) || imp_get(s, "$ref"))
		return 0;
	json_object *alts = imp_get(s, "oneOf") ? imp_get(s, "oneOf") : imp_get(s, "anyOf");
	/* oneOf/anyOf: written where used (T and null: T nullable; else AnyObject) */
	if (alts && json_object_is_type(alts, json_type_array) && !imp_get(s, "properties"))
		return 0;
	if (imp_get(s, "allOf"))
		return imp_allof_single(s) >= 0 ? 0 : 'm';
	bool nul = false;
	const char *t = imp_type_of(im, s, ptr, &nul);
	if (t && strcmp(t, "string") == 0 && imp_string_enum(s))
		return 'e';
	if (t && strcmp(t, "object") == 0) {
		json_object *props = imp_get(s, "properties");
		if (props && json_object_object_length(props))
			return 'm';
		/* an object without properties: an open model, unless it is a map */
		json_object *ap = imp_get(s, "additionalProperties");
		bool typed_ap = ap && json_object_is_type(ap, json_type_object) && json_object_object_length(ap) > 0;
		return typed_ap ? 0 : 'm';
	}
	return 0;
}

void imp_components(struct imp *im)
{
	json_object *cs = imp_get(imp_get(im->root, "components"), "schemas");
	if (!cs || !json_object_is_type(cs, json_type_object))
		return;
	/* names first, so that references resolve in any order */
	json_object_object_foreach(cs, k, v) {
		const char *ptr = imp_ptr(im, "/components/schemas", k);
		if (im->apic_doc && !im->error_model && (!strcmp(k, "Problem") || !strcmp(k, "Violation")))
			continue;
		size_t kl = strlen(k);
		if (im->apic_doc && kl > 6 && !strcmp(k + kl - 6, "-Input"))
			continue;
		if (!imp_component_kind(im, v, ptr))
			continue;
		json_object_object_add(im->comp, ptr, json_object_new_string(imp_decl_name(im, k)));
	}
	/* apic's request views (Pet-Input) are the model itself */
	if (im->apic_doc) {
		json_object_object_foreach(cs, k2, v2) {
			(void)v2;
			size_t kl = strlen(k2);
			if (kl > 6 && !strcmp(k2 + kl - 6, "-Input")) {
				char *base = strndup(k2, kl - 6);
				json_object *nm = imp_get(im->comp, imp_ptr(im, "/components/schemas", base));
				if (nm)
					json_object_object_add(im->comp, imp_ptr(im, "/components/schemas", k2), json_object_get(nm));
				free(base);
			}
		}
	}
	json_object_object_foreach(cs, k3, v3) {
		const char *ptr = imp_ptr(im, "/components/schemas", k3);
		json_object *nm = imp_get(im->comp, ptr);
		size_t kl = strlen(k3);
		if (!nm || (im->apic_doc && kl > 6 && !strcmp(k3 + kl - 6, "-Input")))
			continue;
		json_object_object_add(im->inline_done, ptr, json_object_get(nm));
		if (imp_component_kind(im, v3, ptr) == 'e')
			imp_render_enum(im, v3, ptr, json_object_get_string(nm));
		else
			imp_render_model(im, v3, ptr, json_object_get_string(nm));
	}
}
