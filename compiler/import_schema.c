/* `apic import`: JSON Schemas to types. components.schemas entries that are
 * objects become models, string enums become enums, the others (a string
 * with constraints, an array, a map) are written out where they are used.
 * Inline objects and enums become declarations named after where they are
 * (Model + Field, Op + "Request", ...). A $ref to a declared component is
 * its name, so recursive schemas are model references. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "import_int.h"
#include "names.h"

static const char *const apic_formats[] = { "email", "uuid", "date", "date-time", "uri", "password",
					     "ipv4", "ipv6", "hostname", "uri-reference", "binary" };

/* The shared stand-in for what the language cannot type. */
const char *imp_any_model(struct imp *im)
{
	json_object *v;
	if (json_object_object_get_ex(im->inline_done, " any", &v))
		return json_object_get_string(v);
	const char *name = imp_decl_name(im, "AnyObject");
	json_object_object_add(im->inline_done, " any", json_object_new_string(name));
	out_printf(&im->decls, "/// Any JSON object: the stand-in for schemas the language cannot type\n"
		   "/// (see the warnings of apic import).\nmodel %s open {}\n\n", name);
	return name;
}

static bool is_null_schema(json_object *s)
{
	const char *t = imp_str(s, "type");
	return t && strcmp(t, "null") == 0;
}

bool imp_truthy(json_object *s, const char *key)
{
	json_object *v = imp_get(s, key);
	return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* The schema's type, "null" left out (*nullable set); NULL when it has none
 * that can be inferred. */
const char *imp_type_of(struct imp *im, json_object *s, const char *ptr, bool *nullable)
{
	json_object *t = imp_get(s, "type");
	if (imp_truthy(s, "nullable"))
		*nullable = true;
	if (t && json_object_is_type(t, json_type_string))
		return json_object_get_string(t);
	if (t && json_object_is_type(t, json_type_array)) {
		const char *first = NULL;
		size_t others = 0;
		for (size_t i = 0; i < json_object_array_length(t); i++) {
			const char *x = json_object_get_string(json_object_array_get_idx(t, i));
			if (x && strcmp(x, "null") == 0)
				*nullable = true;
			else if (!first)
				first = x;
			else if (!(strcmp(first, "number") == 0 && strcmp(x, "integer") == 0))
				others++;
		}
		if (others)
			imp_warn(im, imp_ptr(im, ptr, "type"), "more than one type: only \"%s\" kept", first);
		return first;
	}
	if (imp_get(s, "properties") || imp_get(s, "additionalProperties"))
		return "object";
	if (imp_get(s, "items"))
		return "array";
	json_object *e = imp_get(s, "enum");
	if (e && json_object_array_length(e)) {
		json_object *v0 = json_object_array_get_idx(e, 0);
		return json_object_is_type(v0, json_type_string) ? "string"
			: json_object_is_type(v0, json_type_int) ? "integer"
			: json_object_is_type(v0, json_type_double) ? "number"
			: json_object_is_type(v0, json_type_boolean) ? "boolean" : NULL;
	}
	if (imp_get(s, "minLength") || imp_get(s, "maxLength") || imp_get(s, "pattern") || imp_get(s, "format"))
		return "string";
	if (imp_get(s, "minimum") || imp_get(s, "maximum"))
		return "number";
	return NULL;
}

static void cons_sep(struct out_buf *c)
{
	out_puts(c, c->len ? ", " : "");
}

static const char *num_text(json_object *v)
{
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

static bool is_num(json_object *v)
{
	return v && (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double));
}

/* An integer bound the C type already has (apic's own documents write
 * them): left out. A bound beyond it: dropped, said. */
static bool int_bound_keep(struct imp *im, json_object *v, bool is32, bool upper, const char *ptr)
{
	if (!is_num(v))
		return false;
	double d = json_object_get_double(v);
	double lim = is32 ? (upper ? 2147483647.0 : -2147483648.0)
			  : (upper ? 9223372036854775807.0 : -9223372036854775807.0);
	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);
		if (is32 && i == (upper ? 2147483647 : -2147483648LL))
			return false;
		if (!is32 && (upper ? i == INT64_MAX : i <= -INT64_MAX))
			return false;
		if (is32 && (upper ? i > 2147483647 : i < -2147483648LL)) {
			imp_warn(im, ptr, "bound %s beyond int32: dropped", num_text(v));
			return false;
		}
		return true;
	}
	if (upper ? d >= lim : d <= lim) {
		imp_warn(im, ptr, "bound %s beyond %s: dropped", num_text(v), is32 ? "int32" : "int64");
		return false;
	}
	if (d != floor(d)) {
		imp_warn(im, ptr, "bound %s of an integer is not an integer: dropped", num_text(v));
		return false;
	}
	return true;
}

static void number_cons(struct imp *im, json_object *s, const char *ptr, int kind, struct out_buf *c)
{
	/* kind: 0 number, 32 int32, 64 int64 */
	json_object *mn = imp_get(s, "minimum"), *mx = imp_get(s, "maximum");
	json_object *xmn = imp_get(s, "exclusiveMinimum"), *xmx = imp_get(s, "exclusiveMaximum");
	bool xlo = false, xhi = false;
	if (xmn && json_object_is_type(xmn, json_type_boolean)) {
		xlo = json_object_get_boolean(xmn);
		xmn = NULL;
	}
	if (xmx && json_object_is_type(xmx, json_type_boolean)) {
		xhi = json_object_get_boolean(xmx);
		xmx = NULL;
	}
	bool klo = kind ? int_bound_keep(im, mn, kind == 32, false, imp_ptr(im, ptr, "minimum")) : is_num(mn);
	bool khi = kind ? int_bound_keep(im, mx, kind == 32, true, imp_ptr(im, ptr, "maximum")) : is_num(mx);
	if (klo && khi && !xlo && !xhi) {
		cons_sep(c);
		out_printf(c, "%s..%s", num_text(mn), num_text(mx));
	} else {
		if (klo) {
			cons_sep(c);
			out_printf(c, "%s %s", xlo ? "xmin" : "min", num_text(mn));
		}
		if (khi) {
			cons_sep(c);
			out_printf(c, "%s %s", xhi ? "xmax" : "max", num_text(mx));
		}
	}
	if (is_num(xmn) && (!kind || int_bound_keep(im, xmn, kind == 32, false, imp_ptr(im, ptr, "exclusiveMinimum")))) {
		cons_sep(c);
		out_printf(c, "xmin %s", num_text(xmn));
	}
	if (is_num(xmx) && (!kind || int_bound_keep(im, xmx, kind == 32, true, imp_ptr(im, ptr, "exclusiveMaximum")))) {
		cons_sep(c);
		out_printf(c, "xmax %s", num_text(xmx));
	}
	if (imp_get(s, "multipleOf"))
		imp_warn(im, imp_ptr(im, ptr, "multipleOf"), "multipleOf not checked: dropped");
}

static bool count_of(json_object *s, const char *key, int64_t *v)
{
	json_object *o = imp_get(s, key);
	if (!o || !json_object_is_type(o, json_type_int) || json_object_get_int64(o) < 0)
		return false;
	*v = json_object_get_int64(o);
	return true;
}

static void range_cons(json_object *s, const char *lo, const char *hi, const char *both,
		       const char *kmin, const char *kmax, struct out_buf *c)
{
	int64_t a, b;
	bool ha = count_of(s, lo, &a), hb = count_of(s, hi, &b);
	if (ha && hb && a <= b) {
		cons_sep(c);
		out_printf(c, "%s %lld..%lld", both, (long long)a, (long long)b);
		return;
	}
	if (ha && a > 0) {
		cons_sep(c);
		out_printf(c, "%s %lld", kmin, (long long)a);
	}
	if (hb) {
		cons_sep(c);
		out_printf(c, "%s %lld", kmax, (long long)b);
	}
}

static void string_cons(struct imp *im, json_object *s, const char *ptr, struct out_buf *c)
{
	range_cons(s, "minLength", "maxLength", "len", "minlen", "maxlen", c);
	const char *pat = imp_str(s, "pattern");
	if (pat) {
		/* as the front end compiles it (check.c) */
		int err;
		PCRE2_SIZE off;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_ALT_BSUX,
					       &err, &off, NULL);
		if (!re) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(err, msg, sizeof msg);
			imp_warn(im, imp_ptr(im, ptr, "pattern"), "pattern dropped: PCRE2 cannot compile it (%s)",
				 (const char *)msg);
			pat = NULL;
		}
		pcre2_code_free(re);
	}
	if (pat) {
		cons_sep(c);
		out_puts(c, "pattern ");
		imp_put_string(c, pat);
	}
	const char *f = imp_str(s, "format");
	if (f) {
		bool known = false;
		for (size_t i = 0; i < sizeof apic_formats / sizeof *apic_formats; i++)
			known |= strcmp(apic_formats[i], f) == 0;
		if (known) {
			cons_sep(c);
			out_printf(c, "format %s", f);
		} else {
			imp_warn(im, imp_ptr(im, ptr, "format"), "format \"%s\" not checked by apic: dropped", f);
		}
	}
}

/* The name an inline schema got, or NULL. */
static const char *done_name(struct imp *im, const char *ptr)
{
	json_object *v;
	return json_object_object_get_ex(im->inline_done, ptr, &v) ? json_object_get_string(v) : NULL;
}

static struct names *member_names;

/* Two members with one C constant ("+1" and "-1"): the first such pair. */
bool imp_members_collide(json_object *e, const char **a, const char **b)
{
	if (!member_names)
		member_names = names_new("x");
	json_object *seen = json_object_new_object();
	bool hit = false;
	for (size_t i = 0; !hit && i < json_object_array_length(e); i++) {
		const char *v = json_object_get_string(json_object_array_get_idx(e, i));
		if (!v || !*v)
			continue;
		const char *k = names_upper(member_names, v);
		json_object *prev = imp_get(seen, k);
		if (prev && strcmp(json_object_get_string(prev), v)) {
			*a = json_object_get_string(prev);
			*b = v;
			hit = true;
		} else if (!prev)
			json_object_object_add(seen, k, json_object_new_string(v));
	}
	if (hit) {
		*a = strdup(*a);
		*b = strdup(*b);
	}
	json_object_put(seen);
	return hit;
}

bool imp_string_enum(json_object *s)
{
	json_object *e = imp_get(s, "enum");
	if (!e || !json_object_is_type(e, json_type_array) || !json_object_array_length(e))
		return false;
	size_t nonempty = 0;
	for (size_t i = 0; i < json_object_array_length(e); i++) {
		json_object *v = json_object_array_get_idx(e, i);
		if (v && !json_object_is_type(v, json_type_string))
			return false;
		nonempty += v && *json_object_get_string(v);
	}
	const char *a, *b;
	if (nonempty && imp_members_collide(e, &a, &b)) {
		free((char *)a);
		free((char *)b);
		return false;
	}
	return nonempty > 0;
}

/* allOf: the one part that says what the value is, when the others only
 * annotate it ({"description": ...}); its index, or -1. */
int imp_allof_single(json_object *s)
{
	json_object *all = imp_get(s, "allOf");
	if (!all || !json_object_is_type(all, json_type_array) || imp_get(s, "properties") || imp_get(s, "type"))
		return -1;
	static const char *const keys[] = { "$ref", "type", "properties", "allOf", "oneOf", "anyOf", "items",
					    "enum", "additionalProperties", "format" };
	int one = -1;
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *p = json_object_array_get_idx(all, i);
		bool subst = false;
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
			subst |= imp_get(p, keys[k]) != NULL;
		if (subst) {
			if (one >= 0)
				return -1;
			one = (int)i;
		}
	}
	return one;
}
/* oneOf/anyOf minus the {"type": "null"} alternatives: the one left, or
 * NULL (then *n is how many). */
json_object *imp_single_alt(json_object *alts, bool *nullable, size_t *n)
{
	json_object *one = NULL;
	*n = 0;
	for (size_t i = 0; i < json_object_array_length(alts); i++) {
		json_object *a = json_object_array_get_idx(alts, i);
		if (is_null_schema(a))
			*nullable = true;
		else
			one = a, ++*n;
	}
	return *n == 1 ? one : NULL;
}

/* Field modifiers found on the schema itself. */
void imp_own_mods(struct imp *im, json_object *s, struct imp_mods *m)
{
	if (imp_truthy(s, "nullable"))
		m->nullable = true;
	if (imp_truthy(s, "readOnly"))
		m->readonly = true;
	if (imp_truthy(s, "writeOnly"))
		m->writeonly = true;
	if (imp_truthy(s, "deprecated"))
		m->deprecated = true;
	json_object *d;
	if (!m->def && !m->def_null && json_object_object_get_ex(s, "default", &d)) {
		if (d)
			m->def = d;
		else
			m->def_null = true;
	}
	json_object *ex = imp_get(s, "example"), *exs = imp_get(s, "examples");
	if (!m->example && ex)
		m->example = ex;
	if (!m->example && exs && json_object_is_type(exs, json_type_array) && json_object_array_length(exs))
		m->example = json_object_array_get_idx(exs, 0);
	if (!m->doc)
		m->doc = imp_str(s, "description");
	(void)im;
}

/* The declaration an inline (or component) object gets, made once. */
static const char *declare_model(struct imp *im, json_object *s, const char *ptr, const char *hint)
{
	const char *name = done_name(im, ptr);
	if (name)
		return name;
	name = imp_decl_name(im, hint);
	json_object_object_add(im->inline_done, ptr, json_object_new_string(name));
	imp_render_model(im, s, ptr, name);
	return name;
}

static const char *declare_enum(struct imp *im, json_object *s, const char *ptr, const char *hint)
{
	const char *name = done_name(im, ptr);
	if (name)
		return name;
	name = imp_decl_name(im, hint);
	json_object_object_add(im->inline_done, ptr, json_object_new_string(name));
	imp_render_enum(im, s, ptr, name);
	return name;
}

static void put_cons(struct out_buf *b, struct out_buf *c)
{
	if (c->len) {
		out_puts(b, " (");
		out_put(b, c->p, c->len);
		out_puts(b, ")");
	}
}

void imp_type(struct imp *im, json_object *s, const char *ptr, const char *hint,
	      struct out_buf *b, struct imp_mods *m)
{
	if (!s || !json_object_is_type(s, json_type_object)) {
		if (s && json_object_is_type(s, json_type_boolean) && json_object_get_boolean(s))
			imp_warn(im, ptr, "schema true (any value): replaced by the open model %s", imp_any_model(im));
		out_puts(b, imp_any_model(im));
		return;
	}
	imp_own_mods(im, s, m);
	const char *ref = imp_str(s, "$ref");
	if (ref) {
		const char *t = NULL;
		json_object *target = imp_deref(im, ptr, ref, &t);
		if (!target) {
			out_puts(b, imp_any_model(im));
			return;
		}
		json_object *nm = imp_get(im->comp, t);
		if (nm) {
			bool nul = false;
			imp_type_of(im, target, t, &nul);
			if (nul || (imp_get(target, "enum") && strstr(json_object_to_json_string(imp_get(target, "enum")), "null")))
				m->nullable = true;
			if (imp_component_kind(im, target, t) == 'e')
				m->is_enum = true;
			out_puts(b, json_object_get_string(nm));
			return;
		}
		if (imp_get(im->busy, t)) {
			imp_warn(im, ptr, "a recursive schema that is not a model: replaced by the open model %s",
				 imp_any_model(im));
			out_puts(b, imp_any_model(im));
			return;
		}
		json_object_object_add(im->busy, t, json_object_new_boolean(1));
		/* an alias: its own name is a better hint for what it declares */
		const char *last = strrchr(t, '/');
		imp_type(im, target, t, strncmp(t, "/components/schemas/", 20) == 0 ? last + 1 : hint, b, m);
		json_object_object_del(im->busy, t);
		return;
	}
	json_object *alts = imp_get(s, "oneOf") ? imp_get(s, "oneOf") : imp_get(s, "anyOf");
	const char *altkey = imp_get(s, "oneOf") ? "oneOf" : "anyOf";
	if (alts && json_object_is_type(alts, json_type_array) && !imp_get(s, "properties")) {
		size_t n;
		json_object *one = imp_single_alt(alts, &m->nullable, &n);
		if (one) {
			imp_type(im, one, imp_ptri(im, imp_ptr(im, ptr, altkey), 0), hint, b, m);
			return;
		}
		imp_warn(im, imp_ptr(im, ptr, altkey), "%s of %zu schemas%s: replaced by the open model %s",
			 altkey, n, imp_get(s, "discriminator") ? " (and its discriminator)" : "", imp_any_model(im));
		out_puts(b, imp_any_model(im));
		return;
	}
	json_object *all = imp_get(s, "allOf");
	if (all && json_object_is_type(all, json_type_array)) {
		int one = imp_allof_single(s);
		if (one >= 0) {
			for (size_t i = 0; i < json_object_array_length(all); i++)
				if ((int)i != one)
					imp_own_mods(im, json_object_array_get_idx(all, i), m);
			imp_type(im, json_object_array_get_idx(all, (size_t)one),
				 imp_ptri(im, imp_ptr(im, ptr, "allOf"), (size_t)one), hint, b, m);
			return;
		}
		out_puts(b, declare_model(im, s, ptr, hint));
		return;
	}
	bool nullable = false;
	const char *t = imp_type_of(im, s, ptr, &nullable);
	if (nullable)
		m->nullable = true;
	struct out_buf c;
	out_init(&c);
	if (!t) {
		imp_warn(im, ptr, "a schema without a type (any value): replaced by the open model %s", imp_any_model(im));
		out_puts(b, imp_any_model(im));
	} else if (strcmp(t, "string") == 0) {
		if (imp_string_enum(s)) {
			m->is_enum = true;
			out_puts(b, declare_enum(im, s, ptr, hint));
		} else {
			out_puts(b, "string");
			string_cons(im, s, ptr, &c);
		}
	} else if (strcmp(t, "integer") == 0) {
		const char *f = imp_str(s, "format");
		bool is32 = f && strcmp(f, "int32") == 0;
		if (f && strcmp(f, "int32") != 0 && strcmp(f, "int64") != 0)
			imp_warn(im, imp_ptr(im, ptr, "format"), "integer format \"%s\" read as int64", f);
		out_puts(b, is32 ? "int32" : "int64");
		number_cons(im, s, ptr, is32 ? 32 : 64, &c);
	} else if (strcmp(t, "number") == 0) {
		out_puts(b, "number");
		number_cons(im, s, ptr, 0, &c);
	} else if (strcmp(t, "boolean") == 0) {
		out_puts(b, "bool");
	} else if (strcmp(t, "array") == 0) {
		struct imp_mods im2 = { 0 };
		out_puts(b, "[");
		json_object *items = imp_get(s, "items");
		if (!items)
			imp_warn(im, ptr, "an array without items: items are the open model %s", imp_any_model(im));
		imp_type(im, items, imp_ptr(im, ptr, "items"), imp_camel(im, hint, "Item"), b, &im2);
		m->is_enum = im2.is_enum;
		if (im2.nullable)
			imp_warn(im, imp_ptr(im, ptr, "items"), "nullable array items: null items not accepted");
		out_puts(b, "]");
		range_cons(s, "minItems", "maxItems", "items", "minitems", "maxitems", &c);
		if (imp_truthy(s, "uniqueItems")) {
			cons_sep(&c);
			out_puts(&c, "unique");
		}
	} else if (strcmp(t, "object") == 0) {
		json_object *ap = imp_get(s, "additionalProperties");
		json_object *props = imp_get(s, "properties");
		bool typed_ap = ap && json_object_is_type(ap, json_type_object) && json_object_object_length(ap) > 0;
		if ((!props || json_object_object_length(props) == 0) && typed_ap) {
			struct imp_mods im2 = { 0 };
			out_puts(b, "map<");
			imp_type(im, ap, imp_ptr(im, ptr, "additionalProperties"), imp_camel(im, hint, "Value"), b, &im2);
			if (im2.nullable)
				imp_warn(im, imp_ptr(im, ptr, "additionalProperties"), "nullable map values: null not accepted");
			out_puts(b, ">");
			range_cons(s, "minProperties", "maxProperties", "", "minprops", "maxprops", &c);
			if (c.len && strncmp(c.p, " ", 1) == 0) {
				/* both bounds: written as two */
				c.len = 0;
				int64_t lo, hi;
				if (count_of(s, "minProperties", &lo) && lo > 0)
					out_printf(&c, "minprops %lld", (long long)lo);
				if (count_of(s, "maxProperties", &hi)) {
					cons_sep(&c);
					out_printf(&c, "maxprops %lld", (long long)hi);
				}
			}
		} else if (!props || json_object_object_length(props) == 0) {
			if (!(ap && json_object_is_type(ap, json_type_boolean) && !json_object_get_boolean(ap)))
				out_puts(b, imp_any_model(im));
			else
				out_puts(b, declare_model(im, s, ptr, hint));
		} else {
			out_puts(b, declare_model(im, s, ptr, hint));
		}
	} else {
		imp_warn(im, imp_ptr(im, ptr, "type"), "type \"%s\": replaced by the open model %s", t, imp_any_model(im));
		out_puts(b, imp_any_model(im));
	}
	const char *ca, *cb;
	json_object *en = imp_get(s, "enum");
	if (!imp_string_enum(s) && en && t && t[0] == 's' && json_object_is_type(en, json_type_array) &&
	    imp_members_collide(en, &ca, &cb)) {
		imp_warn(im, imp_ptr(im, ptr, "enum"), "members \"%s\" and \"%s\" have one C name: a string, "
			 "the members not checked", ca, cb);
		free((char *)ca);
		free((char *)cb);
	} else if (!imp_string_enum(s) && en && t)
		imp_warn(im, imp_ptr(im, ptr, "enum"), "an enum of %s values: the values are not checked", t);
	put_cons(b, &c);
	out_free(&c);
}

/* Whether a value has the JSON type of a type written as `t` (its
 * constraints are the front end's to check). */
bool imp_value_fits(const char *t, json_object *v)
{
	if (!v)
		return true;
	if (!strncmp(t, "string", 6))
		return json_object_is_type(v, json_type_string);
	if (!strncmp(t, "int32", 5) || !strncmp(t, "int64", 5))
		return json_object_is_type(v, json_type_int);
	if (!strncmp(t, "number", 6))
		return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
	if (!strncmp(t, "bool", 4))
		return json_object_is_type(v, json_type_boolean);
	if (t[0] == '[')
		return json_object_is_type(v, json_type_array);
	if (!strncmp(t, "map<", 4))
		return json_object_is_type(v, json_type_object);
	return true;
}

bool imp_is_scalar(struct imp *im, json_object *s, const char *ptr)
{
	for (int i = 0; s && i < 16; i++) {
		const char *ref = imp_str(s, "$ref");
		if (!ref)
			break;
		s = imp_deref(im, ptr, ref, &ptr);
	}
	if (!s)
		return false;
	json_object *alts = imp_get(s, "oneOf") ? imp_get(s, "oneOf") : imp_get(s, "anyOf");
	if (alts) {
		bool nul;
		size_t n;
		json_object *one = imp_single_alt(alts, &nul, &n);
		return one && imp_is_scalar(im, one, ptr);
	}
	bool nul = false;
	json_object *all = imp_get(s, "allOf");
	if (all && imp_allof_single(s) >= 0)
		return imp_is_scalar(im, json_object_array_get_idx(all, (size_t)imp_allof_single(s)), ptr);
	const char *t = imp_type_of(im, s, ptr, &nul);
	return t && (strcmp(t, "string") == 0 || strcmp(t, "integer") == 0 || strcmp(t, "number") == 0 ||
		     strcmp(t, "boolean") == 0);
}
