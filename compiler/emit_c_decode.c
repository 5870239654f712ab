/* Decoders of NAME.c: every constraint checked, every violation collected;
 * defaults applied; the same code checks replies (--strict-responses). */
#include "emit_c_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *type_word(const struct ast_type *t)
{
	switch (t->kind) {
	case TYPE_PRIM:
		switch (t->prim) {
		case PRIM_STRING: return "a string";
		case PRIM_BOOL: return "a boolean";
		case PRIM_INT32:
		case PRIM_INT64: return "an integer";
		case PRIM_NUMBER: return "a number";
		}
		break;
	case TYPE_NAMED:
		return t->model ? "an object" : "a string";
	case TYPE_ARRAY:
		return "an array";
	case TYPE_MAP:
		return "an object";
	}
	return "a value";
}

/* ---- reachability: which decoders and encoders are needed ------------------- */

static size_t model_index(const struct ec *e, const struct ast_model *m)
{
	size_t i = 0;
	for (const struct ast_model *x = e->s->models; x && x != m; x = x->next)
		i++;
	return i;
}

size_t ec_enum_index(const struct ec *e, const struct ast_enum *en)
{
	size_t i = 0;
	for (const struct ast_enum *x = e->s->enums; x && x != en; x = x->next)
		i++;
	return i;
}

/* Marks in `models` and `enums` what a value of type t reaches: in a
 * request (readonly fields left out) or in a reply (writeonly ones). */
void ec_mark_in(struct ec *e, const struct ast_type *t, bool request, bool *models, bool *enums)
{
	if (!t)
		return;
	if (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP) {
		ec_mark_in(e, t->elem, request, models, enums);
	} else if (c_is_enum(t)) {
		enums[ec_enum_index(e, t->enm)] = true;
	} else if (c_is_model(t)) {
		size_t i = model_index(e, t->model);
		if (models[i])
			return;
		models[i] = true;
		for (const struct ast_field *f = t->model->fields; f; f = f->next)
			if (request ? !f->readonly : !f->writeonly)
				ec_mark_in(e, f->type, request, models, enums);
	}
}

void ec_mark(struct ec *e, const struct ast_type *t, bool dec)
{
	ec_mark_in(e, t, dec, dec ? e->dec_model : e->enc_model, dec ? e->dec_enum : e->enc_enum);
}

/* ---- violations ---------------------------------------------------------------- */


/* One violation call; `fmt` is a C literal body (no quotes), `args` the
 * extra arguments with their leading commas. */
void ec_vio(struct ec *e, int ind, const struct site *s, const char *code,
		const char *fmt, const char *args)
{
	if (!s->where)
		ec_ln(e, ind, "apic_violation_body(ctx, %s, %s, \"%s\"%s);", s->at, code, fmt, args);
	else if (s->index)
		ec_ln(e, ind, "apic_violation_param(ctx, %s, %s, %s, \"value %%zu: %s\", %s%s);",
		   s->where, s->name, code, fmt, s->index, args);
	else
		ec_ln(e, ind, "apic_violation_param(ctx, %s, %s, %s, \"%s\"%s);",
		   s->where, s->name, code, fmt, args);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static size_t pattern_index(struct ec *e, const char *src)
{
	for (size_t i = 0; i < e->npats; i++)
		if (!strcmp(e->pats[i], src))
			return i;
	if (e->npats == e->cappats) {
		e->cappats = e->cappats ? 2 * e->cappats : 8;
		e->pats = realloc(e->pats, e->cappats * sizeof *e->pats);
		if (!e->pats) {
			fputs("apic: out of memory\n", stderr);
			exit(3);
		}
	}
	e->pats[e->npats] = src;
	return e->npats++;
}

const char *ec_pattern_name(struct ec *e, size_t i)
{
	return names_fmt(e->n, "%s__pattern_%zu", names_prefix(e->n), i);
}

static const char *format_enum(enum ast_format f)
{
	switch (f) {
	case FMT_EMAIL: return "APIC_FMT_EMAIL";
	case FMT_UUID: return "APIC_FMT_UUID";
	case FMT_DATE: return "APIC_FMT_DATE";
	case FMT_DATE_TIME: return "APIC_FMT_DATE_TIME";
	case FMT_URI: return "APIC_FMT_URI";
	case FMT_NONE:
	case FMT_PASSWORD: break;
	}
	return NULL;
}

static const char *format_word(enum ast_format f)
{
	switch (f) {
	case FMT_EMAIL: return "an email address";
	case FMT_UUID: return "a UUID";
	case FMT_DATE: return "a date (YYYY-MM-DD)";
	case FMT_DATE_TIME: return "a date-time (RFC 3339, with a time zone)";
	case FMT_URI: return "an absolute URI";
	case FMT_NONE:
	case FMT_PASSWORD: break;
	}
	return "";
}

/* Checks of a decoded string `v` (struct apic_str lvalue). */
void ec_check_string(struct ec *e, int ind, const struct ast_constraints *c,
			 const char *v, const struct site *s)
{
	if (c->minlen.set || c->maxlen.set) {
		unsigned k = ec_tmp(e);
		ec_ln(e, ind, "size_t cp%u = apic_utf8_count(%s.ptr, %s.len);", k, v, v);
		if (c->minlen.set && c->minlen.n > 0) {
			ec_ln(e, ind, "if (cp%u < %" PRIu64 "u)", k, c->minlen.n);
			ec_vio(e, ind + 1, s, "APIC_V_TOO_SHORT",
			    names_fmt(e->n, "must be at least %" PRIu64 " %s, got %%zu",
				      c->minlen.n, plural(c->minlen.n, "character", "characters")),
			    names_fmt(e->n, ", cp%u", k));
		}
		if (c->maxlen.set) {
			ec_ln(e, ind, "if (cp%u > %" PRIu64 "u)", k, c->maxlen.n);
			ec_vio(e, ind + 1, s, "APIC_V_TOO_LONG",
			    names_fmt(e->n, "must be at most %" PRIu64 " %s, got %%zu",
				      c->maxlen.n, plural(c->maxlen.n, "character", "characters")),
			    names_fmt(e->n, ", cp%u", k));
		}
	}
	if (c->pattern) {
		const char *p = ec_pattern_name(e, pattern_index(e, c->pattern));
		ec_ln(e, ind, "if (!apic_pattern_match(&%s, %s.ptr, %s.len))", p, v, v);
		ec_vio(e, ind + 1, s, "APIC_V_PATTERN", "must match the pattern %s",
		    names_fmt(e->n, ", %s.source", p));
	}
	const char *f = format_enum(c->format);
	if (f) {
		ec_ln(e, ind, "if (!apic_format_valid(%s, %s.ptr, %s.len))", f, v, v);
		ec_vio(e, ind + 1, s, "APIC_V_FORMAT",
		    names_fmt(e->n, "must be %s", format_word(c->format)), "");
	}
}

/* A bound as a C constant of the right kind for comparing with `v`. */
static const char *bound_const(struct ec *e, const struct ast_bound *bd, bool integer)
{
	if (integer && bd->num.is_int)
		return ec_i64(e, bd->num.i);
	return ec_double(e, bd->num.d);
}

/* The bound as written in the schema, for messages (no '%' can occur). */
static const char *bound_text(const struct ast_bound *bd)
{
	return bd->num.text ? bd->num.text : "?";
}

/* Bounds of a decoded number `v` (int64_t when integer, else double). */
void ec_check_bounds(struct ec *e, int ind, const struct ast_constraints *c,
			 const char *v, bool integer, const struct site *s)
{
	const char *got = integer ? "%\" PRId64 \"" : "%.15g";
	if (c->min.set) {
		const char *k = bound_const(e, &c->min, integer);
		const char *cast = integer && !c->min.num.is_int ? "(double)" : "";
		ec_ln(e, ind, "if (%s%s %s %s)", cast, v, c->min.exclusive ? "<=" : "<", k);
		ec_vio(e, ind + 1, s, "APIC_V_BELOW_MINIMUM",
		    names_fmt(e->n, "must be %s %s, got %s",
			      c->min.exclusive ? "greater than" : "at least", bound_text(&c->min), got),
		    names_fmt(e->n, ", %s", v));
	}
	if (c->max.set) {
		const char *k = bound_const(e, &c->max, integer);
		const char *cast = integer && !c->max.num.is_int ? "(double)" : "";
		ec_ln(e, ind, "if (%s%s %s %s)", cast, v, c->max.exclusive ? ">=" : ">", k);
		ec_vio(e, ind + 1, s, "APIC_V_ABOVE_MAXIMUM",
		    names_fmt(e->n, "must be %s %s, got %s",
			      c->max.exclusive ? "less than" : "at most", bound_text(&c->max), got),
		    names_fmt(e->n, ", %s", v));
	}
}

void ec_check_count(struct ec *e, int ind, const struct ast_count *min,
			const struct ast_count *max, const char *count, bool props,
			const struct site *s)
{
	const char *one = props ? "property" : "item", *many = props ? "properties" : "items";
	if (min->set && min->n > 0) {
		ec_ln(e, ind, "if (%s < %" PRIu64 "u)", count, min->n);
		ec_vio(e, ind + 1, s, props ? "APIC_V_TOO_FEW_PROPERTIES" : "APIC_V_TOO_FEW_ITEMS",
		    names_fmt(e->n, "must have at least %" PRIu64 " %s, got %%zu", min->n,
			      plural(min->n, one, many)),
		    names_fmt(e->n, ", %s", count));
	}
	if (max->set) {
		ec_ln(e, ind, "if (%s > %" PRIu64 "u)", count, max->n);
		ec_vio(e, ind + 1, s, props ? "APIC_V_TOO_MANY_PROPERTIES" : "APIC_V_TOO_MANY_ITEMS",
		    names_fmt(e->n, "must have at most %" PRIu64 " %s, got %%zu", max->n,
			      plural(max->n, one, many)),
		    names_fmt(e->n, ", %s", count));
	}
}

/* "red, green, blue" as a C literal. */
const char *ec_enum_list(struct ec *e, const struct ast_enum *en)
{
	struct out_buf t;
	out_init(&t);
	for (const struct ast_enum_member *m = en->members; m; m = m->next)
		out_printf(&t, "%s%s", m == en->members ? "" : ", ", m->name);
	const char *r = ec_lit(e, t.p ? t.p : "", t.len);
	out_free(&t);
	return r;
}

/* ---- decoding JSON values ------------------------------------------------------- */

void ec_dec_value(struct ec *e, int ind, const struct ast_type *t, const char *stem,
		      const char *src, const char *dst, bool top, const char *at);

static void wrong_type(struct ec *e, int ind, const struct ast_type *t, const char *src,
		       const char *at)
{
	struct site s = { at, NULL, NULL, NULL };
	e->need_jtype = true;
	ec_vio(e, ind, &s, "APIC_V_WRONG_TYPE",
	    names_fmt(e->n, "must be %s, got %%s", type_word(t)),
	    names_fmt(e->n, ", %s__jtype(%s)", names_prefix(e->n), src));
}

static void dec_array(struct ec *e, int ind, const struct ast_type *t, const char *stem,
		      const char *src, const char *dst, bool top, const char *at)
{
	struct names *n = e->n;
	struct site s = { at, NULL, NULL, NULL };
	const char *item = names_aux(n, stem, "item");
	const char *ptr, *count;
	ec_seq_exprs(e, t, dst, top, &ptr, &count);
	unsigned k = ec_tmp(e);
	ec_ln(e, ind, "if (!json_object_is_type(%s, json_type_array)) {", src);
	wrong_type(e, ind + 1, t, src, at);
	ec_ln(e, ind, "} else {");
	ec_ln(e, ind + 1, "size_t n%u = json_object_array_length(%s);", k, src);
	ec_check_count(e, ind + 1, &t->c.minitems, &t->c.maxitems, names_fmt(n, "n%u", k), false, &s);
	ec_ln(e, ind + 1, "%s = NULL;", c_ptr_decl(n, emit_c_type(n, t->elem, item), names_fmt(n, "a%u", k)));
	ec_ln(e, ind + 1, "if (n%u != 0 && !(a%u = apic_ctx_alloc(ctx, n%u * sizeof *a%u)))", k, k, k, k);
	ec_ln(e, ind + 2, "return -1;");
	ec_ln(e, ind + 1, "for (size_t i%u = 0; i%u < n%u; i%u++) {", k, k, k, k);
	ec_ln(e, ind + 2, "struct json_object *e%u = json_object_array_get_idx(%s, i%u);", k, src, k);
	ec_ln(e, ind + 2, "struct apic_jptr p%u = { %s, NULL, 0, i%u };", k, at, k);
	ec_dec_value(e, ind + 2, t->elem, item, names_fmt(n, "e%u", k),
		  names_fmt(n, "a%u[i%u]", k, k), false, names_fmt(n, "&p%u", k));
	ec_ln(e, ind + 1, "}");
	if (t->c.unique) {
		e->need_unique = true;
		ec_ln(e, ind + 1, "%s__unique(ctx, %s, %s);", names_prefix(n), src, at);
	}
	ec_ln(e, ind + 1, "%s = a%u;", ptr, k);
	ec_ln(e, ind + 1, "%s = n%u;", count, k);
	ec_ln(e, ind, "}");
}

static void dec_map(struct ec *e, int ind, const struct ast_type *t, const char *stem,
		    const char *src, const char *dst, bool top, const char *at)
{
	struct names *n = e->n;
	struct site s = { at, NULL, NULL, NULL };
	const char *entry = names_aux(n, stem, "entry");
	const char *ptr, *count;
	ec_seq_exprs(e, t, dst, top, &ptr, &count);
	unsigned k = ec_tmp(e);
	ec_ln(e, ind, "if (!json_object_is_type(%s, json_type_object)) {", src);
	wrong_type(e, ind + 1, t, src, at);
	ec_ln(e, ind, "} else {");
	ec_ln(e, ind + 1, "size_t n%u = (size_t)json_object_object_length(%s);", k, src);
	ec_check_count(e, ind + 1, &t->c.minprops, &t->c.maxprops, names_fmt(n, "n%u", k), true, &s);
	ec_ln(e, ind + 1, "struct %s *a%u = NULL;", entry, k);
	ec_ln(e, ind + 1, "if (n%u != 0 && !(a%u = apic_ctx_alloc(ctx, n%u * sizeof *a%u)))", k, k, k, k);
	ec_ln(e, ind + 2, "return -1;");
	ec_ln(e, ind + 1, "size_t i%u = 0;", k);
	ec_ln(e, ind + 1, "json_object_object_foreach(%s, k%u, v%u) {", src, k, k);
	ec_ln(e, ind + 2, "size_t kl%u = strlen(k%u);", k, k);
	ec_ln(e, ind + 2, "struct apic_jptr p%u = { %s, k%u, kl%u, 0 };", k, at, k, k);
	ec_ln(e, ind + 2, "a%u[i%u].key.ptr = k%u;", k, k, k);
	ec_ln(e, ind + 2, "a%u[i%u].key.len = kl%u;", k, k, k);
	ec_dec_value(e, ind + 2, t->elem, names_aux(n, stem, "value"), names_fmt(n, "v%u", k),
		  names_fmt(n, "a%u[i%u].value", k, k), true, names_fmt(n, "&p%u", k));
	ec_ln(e, ind + 2, "i%u++;", k);
	ec_ln(e, ind + 1, "}");
	ec_ln(e, ind + 1, "%s = a%u;", ptr, k);
	ec_ln(e, ind + 1, "%s = n%u;", count, k);
	ec_ln(e, ind, "}");
}

/* Decodes json_object expression `src` (NULL for JSON null) of type t into
 * lvalue `dst`, reporting at jptr expression `at`. `top`: an array or map
 * value has its members inline (dst, dst_count) rather than in a struct. */
void ec_dec_value(struct ec *e, int ind, const struct ast_type *t, const char *stem,
		      const char *src, const char *dst, bool top, const char *at)
{
	struct names *n = e->n;
	struct site s = { at, NULL, NULL, NULL };
	unsigned k;
	switch (t->kind) {
	case TYPE_ARRAY:
		dec_array(e, ind, t, stem, src, dst, top, at);
		return;
	case TYPE_MAP:
		dec_map(e, ind, t, stem, src, dst, top, at);
		return;
	case TYPE_NAMED:
		if (t->model) {
			k = ec_tmp(e);
			ec_ln(e, ind, "struct %s *m%u = apic_ctx_alloc(ctx, sizeof *m%u);",
			   names_model(n, t->model), k, k);
			ec_ln(e, ind, "if (!m%u || %s(ctx, %s, %s, m%u) != 0)", k,
			   names_model_fn(n, t->model, e->resp ? "check" : "decode"), src, at, k);
			ec_ln(e, ind + 1, "return -1;");
			ec_ln(e, ind, "%s = m%u;", dst, k);
			return;
		}
		ec_ln(e, ind, "if (!json_object_is_type(%s, json_type_string))", src);
		wrong_type(e, ind + 1, t, src, at);
		ec_ln(e, ind, "else if (!(%s = %s(json_object_get_string(%s), (size_t)json_object_get_string_len(%s))))",
		   dst, names_enum_fn(n, t->enm, "parse"), src, src);
		ec_vio(e, ind + 1, &s, "APIC_V_ENUM", "must be one of: %s",
		    names_fmt(n, ", %s", ec_enum_list(e, t->enm)));
		return;
	case TYPE_PRIM:
		break;
	}
	switch (t->prim) {
	case PRIM_STRING:
		ec_ln(e, ind, "if (!json_object_is_type(%s, json_type_string)) {", src);
		wrong_type(e, ind + 1, t, src, at);
		ec_ln(e, ind, "} else {");
		ec_ln(e, ind + 1, "%s.ptr = json_object_get_string(%s);", dst, src);
		ec_ln(e, ind + 1, "%s.len = (size_t)json_object_get_string_len(%s);", dst, src);
		ec_check_string(e, ind + 1, &t->c, dst, &s);
		ec_ln(e, ind, "}");
		return;
	case PRIM_BOOL:
		ec_ln(e, ind, "if (!json_object_is_type(%s, json_type_boolean))", src);
		wrong_type(e, ind + 1, t, src, at);
		ec_ln(e, ind, "else");
		ec_ln(e, ind + 1, "%s = json_object_get_boolean(%s) != 0;", dst, src);
		return;
	case PRIM_INT32:
	case PRIM_INT64:
		k = ec_tmp(e);
		e->need_int = true;
		ec_ln(e, ind, "int64_t x%u = 0;", k);
		ec_ln(e, ind, "int r%u = %s__int(%s, &x%u);", k, names_prefix(n), src, k);
		ec_ln(e, ind, "if (r%u == 1) {", k);
		wrong_type(e, ind + 1, t, src, at);
		if (t->prim == PRIM_INT32) {
			ec_ln(e, ind, "} else if (r%u == 2 || x%u < INT32_MIN || x%u > INT32_MAX) {", k, k, k);
			ec_vio(e, ind + 1, &s, "APIC_V_OUT_OF_RANGE", "must fit in a 32-bit integer", "");
		} else {
			ec_ln(e, ind, "} else if (r%u == 2) {", k);
			ec_vio(e, ind + 1, &s, "APIC_V_OUT_OF_RANGE", "must fit in a 64-bit integer", "");
		}
		ec_ln(e, ind, "} else {");
		ec_check_bounds(e, ind + 1, &t->c, names_fmt(n, "x%u", k), true, &s);
		ec_ln(e, ind + 1, "%s = (%s)x%u;", dst, t->prim == PRIM_INT32 ? "int32_t" : "int64_t", k);
		ec_ln(e, ind, "}");
		return;
	case PRIM_NUMBER:
		/* Any JSON number: integers beyond int64 included, as doubles. */
		k = ec_tmp(e);
		ec_ln(e, ind, "if (!json_object_is_type(%s, json_type_double) && !json_object_is_type(%s, json_type_int)) {",
		   src, src);
		wrong_type(e, ind + 1, t, src, at);
		ec_ln(e, ind, "} else {");
		ec_ln(e, ind + 1, "double d%u = json_object_get_double(%s);", k, src);
		ec_ln(e, ind + 1, "if (!isfinite(d%u)) {", k);
		ec_vio(e, ind + 2, &s, "APIC_V_OUT_OF_RANGE", "must be a finite number within the double range", "");
		ec_ln(e, ind + 1, "} else {");
		ec_check_bounds(e, ind + 2, &t->c, names_fmt(n, "d%u", k), false, &s);
		ec_ln(e, ind + 2, "%s = d%u;", dst, k);
		ec_ln(e, ind + 1, "}");
		ec_ln(e, ind, "}");
		return;
	}
}

/* ---- defaults --------------------------------------------------------------------- */

static const struct ast_enum_member *enum_member(const struct ast_enum *en, const struct ast_value *v)
{
	if (v->member)
		return v->member;
	if (v->kind != VAL_IDENT && v->kind != VAL_STRING)
		return NULL;
	for (const struct ast_enum_member *m = en->members; m; m = m->next)
		if (!strcmp(m->name, v->str))
			return m;
	return NULL;
}

/* A C expression of scalar default `v` for type t, or NULL when the C
 * emitter cannot express it (reported by the caller). */
static const char *scalar_default(struct ec *e, const struct ast_type *t, const struct ast_value *v)
{
	if (c_is_enum(t)) {
		const struct ast_enum_member *m = enum_member(t->enm, v);
		return m ? names_enum_const(e->n, t->enm, m) : NULL;
	}
	if (t->kind != TYPE_PRIM)
		return NULL;
	switch (t->prim) {
	case PRIM_BOOL:
		return v->kind == VAL_BOOL ? (v->b ? "true" : "false") : NULL;
	case PRIM_INT32:
		return v->kind == VAL_NUMBER && v->num.is_int ? names_fmt(e->n, "%" PRId64, v->num.i) : NULL;
	case PRIM_INT64:
		return v->kind == VAL_NUMBER && v->num.is_int ? ec_i64(e, v->num.i) : NULL;
	case PRIM_NUMBER:
		return v->kind == VAL_NUMBER ? ec_double(e, v->num.d) : NULL;
	case PRIM_STRING:
		return v->kind == VAL_STRING
			? names_fmt(e->n, "{ %s, %zu }", ec_lit(e, v->str, v->len), v->len) : NULL;
	}
	return NULL;
}

/* Statements giving lvalue `dst` (with `has`, `is_null` lvalues or NULL) the
 * default `v`; array defaults of scalars live in a static const array that
 * emit_default_arrays() wrote before the function. */
void ec_default(struct ec *e, int ind, const struct ast_type *t, const struct ast_value *v,
			 const char *dst, const char *has, const char *is_null, const char *array_name)
{
	if (v->kind == VAL_NULL && is_null) {
		ec_ln(e, ind, "%s = true;", is_null);
	} else if (t->kind == TYPE_ARRAY && v->kind == VAL_ARRAY) {
		size_t count = 0;
		for (const struct ast_value *x = v->items; x; x = x->next)
			count++;
		if (count) {
			ec_ln(e, ind, "%s = (%s)%s;", dst,
			   c_ptr_decl(e->n, emit_c_type(e->n, t->elem, "?"), ""), array_name);
		}
		ec_ln(e, ind, "%s_count = %zu;", dst, count);
	} else if (t->kind == TYPE_PRIM && t->prim == PRIM_STRING) {
		ec_ln(e, ind, "%s.ptr = %s;", dst, ec_lit(e, v->str, v->len));
		ec_ln(e, ind, "%s.len = %zu;", dst, v->len);
	} else {
		ec_ln(e, ind, "%s = %s;", dst, scalar_default(e, t, v));
	}
	if (has)
		ec_ln(e, ind, "%s = true;", has);
}

/* Checks that a default can be emitted; reports at the value otherwise.
 * An array default of scalars gets a static array named into *array_name. */
bool ec_default_ok(struct ec *e, const struct ast_type *t, const struct ast_value *v,
		       bool nullable, const char **array_name)
{
	*array_name = NULL;
	if (v->kind == VAL_NULL && nullable)
		return true;
	if (t->kind == TYPE_ARRAY && v->kind == VAL_ARRAY) {
		if (!v->items)
			return true;
		for (const struct ast_value *x = v->items; x; x = x->next)
			if (!scalar_default(e, t->elem, x))
				goto bad;
		*array_name = names_fmt(e->n, "%s__default_%u", names_prefix(e->n), e->ndefaults++);
		ec_ln(e, 0, "static const %s %s[] = {", emit_c_type(e->n, t->elem, "?"), *array_name);
		for (const struct ast_value *x = v->items; x; x = x->next)
			ec_ln(e, 1, "%s,", scalar_default(e, t->elem, x));
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
		return true;
	}
	if (scalar_default(e, t, v))
		return true;
bad:
	diag_error(e->d, v->loc, "this default cannot be expressed in the generated C code");
	e->failed = true;
	return false;
}

/* ---- model decoders ------------------------------------------------------------- */

/* A field checked after the loop: required, or (in a request) defaulted.
 * A reply (e->resp) has the readonly fields and requires every field that
 * is not optional, as the response view of the document does; a request
 * has the writeonly ones and takes defaults. */
static bool field_seen(const struct ec *e, const struct ast_field *f)
{
	if (e->resp)
		return !f->writeonly && !f->optional;
	return !f->readonly && (!f->optional || f->def);
}

/* The decoder of a request body (P_model__decode) or, with e->resp, the
 * checker of a reply body (P_model__check): one code, two directions. */
void emit_model_decoder(struct ec *e, const struct ast_model *m)
{
	struct names *n = e->n;
	const char *self = names_model(n, m);
	/* default arrays first: they are file-scope statics */
	const char **arrays = calloc(m->nfields + 1, sizeof *arrays);
	size_t i = 0;
	for (const struct ast_field *f = m->fields; f; f = f->next, i++)
		if (f->def && !f->readonly && !e->resp)
			ec_default_ok(e, f->type, f->def, f->nullable, &arrays[i]);
	ec_ln(e, 0, "static int %s(struct apic_ctx *ctx, struct json_object *j, const struct apic_jptr *at, struct %s *out)",
	   names_model_fn(n, m, e->resp ? "check" : "decode"), self);
	ec_ln(e, 0, "{");
	/* `seen` only for the fields checked after the loop. */
	size_t nseen = 0, nbranches = 0;
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		nseen += field_seen(e, f);
		nbranches += !(e->resp && f->writeonly);
	}
	if (nseen)
		ec_ln(e, 1, "bool seen[%zu] = { false };", nseen);
	ec_ln(e, 1, "if (!json_object_is_type(j, json_type_object)) {");
	e->need_jtype = true;
	ec_ln(e, 2, "apic_violation_body(ctx, at, APIC_V_WRONG_TYPE, \"must be an object, got %%s\", %s__jtype(j));",
	   names_prefix(n));
	ec_ln(e, 2, "return 0;");
	ec_ln(e, 1, "}");
	if (!nbranches)
		ec_ln(e, 1, "(void)out; /* no property to keep */");
	ec_ln(e, 1, "json_object_object_foreach(j, key, val) {");
	if (!nbranches)
		ec_ln(e, 2, "(void)val;");
	ec_ln(e, 2, "size_t klen = strlen(key);");
	ec_ln(e, 2, "struct apic_jptr kat = { at, key, klen, 0 };");
	size_t slot = 0;
	const char *kw = "if";
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		const char *mem = names_field(n, f);
		if (e->resp && f->writeonly)
			continue; /* not in a reply: an unknown property */
		ec_ln(e, 2, "%s (klen == %zu && memcmp(key, %s, %zu) == 0) {", kw, strlen(f->name),
		   ec_str(e, f->name), strlen(f->name));
		kw = "} else if";
		if (field_seen(e, f))
			ec_ln(e, 3, "seen[%zu] = true;", slot++);
		if (f->readonly && !e->resp) {
			ec_ln(e, 3, "apic_violation_body(ctx, &kat, APIC_V_READ_ONLY, \"is read-only\");");
			continue;
		}
		bool model = c_is_model(f->type);
		int ind = 3;
		if (f->nullable) {
			ec_ln(e, 3, "if (!val) {");
			ec_ln(e, 4, "out->%s_is_null = true;", mem);
			ec_ln(e, 3, "} else {");
			ind = 4;
		}
		if (f->optional && !model)
			ec_ln(e, ind, "out->has_%s = true;", mem);
		ec_dec_value(e, ind, f->type, names_field_stem(n, m, f), "val",
			  names_fmt(n, "out->%s", mem), true, "&kat");
		if (f->nullable)
			ec_ln(e, 3, "}");
	}
	if (nbranches)
		ec_ln(e, 2, "} else {");
	if (!m->open)
		ec_ln(e, nbranches ? 3 : 2, "apic_violation_body(ctx, &kat, APIC_V_UNKNOWN_PROPERTY, \"is not a known property\");");
	else
		ec_ln(e, nbranches ? 3 : 2, "(void)kat;");
	if (nbranches)
		ec_ln(e, 2, "}");
	ec_ln(e, 1, "}");
	i = 0;
	slot = 0;
	for (const struct ast_field *f = m->fields; f; f = f->next, i++) {
		const char *mem = names_field(n, f);
		if (!field_seen(e, f))
			continue;
		ec_ln(e, 1, "if (!seen[%zu]) {", slot++);
		if (f->def && !e->resp) {
			bool model = c_is_model(f->type);
			ec_default(e, 2, f->type, f->def, names_fmt(n, "out->%s", mem),
				     f->optional && !model ? names_fmt(n, "out->has_%s", mem) : NULL,
				     f->nullable ? names_fmt(n, "out->%s_is_null", mem) : NULL, arrays[i]);
		} else {
			ec_ln(e, 2, "struct apic_jptr mat = { at, %s, %zu, 0 };", ec_str(e, f->name), strlen(f->name));
			ec_ln(e, 2, "apic_violation_body(ctx, &mat, APIC_V_MISSING, \"is required\");");
		}
		ec_ln(e, 1, "}");
	}
	ec_ln(e, 1, "return 0;");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	free(arrays);
}

