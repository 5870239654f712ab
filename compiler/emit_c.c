/* NAME.h / NAME.c emitter: types, decoders that check every constraint and
 * collect every violation, encoders writing JSON straight into the response
 * buffer, typed replies, weak 501 handlers, the route table and the API
 * description. The shape of the output is documented in
 * docs/generated-code.md; every identifier comes from names.c.
 *
 * Output is a pure function of the AST and the options (fixed section order,
 * schema order inside sections, no timestamps), so regenerating an unchanged
 * schema rewrites nothing. */
#include "emit_owning.h"
#include "emit_stubs.h"

#include "config.h"

#include "apic_gen.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <json-c/json.h>

/* The embedded OpenAPI text is split in string literals of this many bytes:
 * C11 promises only 4095 characters per literal (5.2.4.1). */
#define EC_CHUNK 4000

/* One response of an operation's table (--strict-responses). */
struct reply_entry {
	int status;
	unsigned media;                   /* APIC_MEDIA_* flags */
	const struct ast_response *typed; /* its type's checker takes a JSON body */
	bool error;                       /* the error model's checker takes one */
};
struct reply_table {
	struct reply_entry *v;
	size_t n;
};

struct ec {
	const struct ast_schema *s;
	const struct emit_opts *o;
	struct names *n;
	struct diag_ctx *d;
	struct out_buf *b;        /* where ln() writes */
	const char **pats;        /* distinct pattern sources, in first-use order */
	size_t npats, cappats;
	unsigned tmp;             /* suffix of the next generated local variable */
	bool failed;
	/* which models/enums need a decoder (reachable from a request), an
	 * encoder (reachable from a response) or a checker (reachable from a
	 * response or the API's error model: --strict-responses), and which
	 * enums a response header setter, by position in the schema lists */
	bool *dec_model, *enc_model, *dec_enum, *enc_enum, *hdr_enum, *chk_model, *chk_enum;
	bool need_int, need_unique, need_jtype;
	bool need_error_check;    /* P__check_error: the error model's checker */
	bool resp;                /* decoders being emitted check replies (P_model__check) */
	struct reply_table *tables; /* each operation's responses, from the document */
	unsigned ndefaults;       /* static arrays holding array defaults */
};

/* ---- small output helpers -------------------------------------------------- */

static void ln(struct ec *e, int ind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void ln(struct ec *e, int ind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_vline(e->b, ind, fmt, ap);
	va_end(ap);
}

/* A C string literal body for bytes s[0..n): quotes, backslashes, '?'
 * (trigraphs) and everything outside printable ASCII escaped in octal. */
static void c_escape(struct out_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[5];
		if (c == '"' || c == '\\' || c == '?') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			out_put(b, tmp, 2);
		} else if (c == '\n') {
			out_put(b, "\\n", 2);
		} else if (c < 0x20 || c >= 0x7F) {
			snprintf(tmp, sizeof tmp, "\\%03o", c);
			out_put(b, tmp, 4);
		} else {
			out_put(b, (const char *)&c, 1);
		}
	}
}

/* A quoted C literal in the names pool (valid until names_free). */
static const char *c_lit(struct ec *e, const char *s, size_t n)
{
	struct out_buf t;
	out_init(&t);
	out_put(&t, "\"", 1);
	c_escape(&t, s, n);
	out_put(&t, "\"", 1);
	const char *r = names_fmt(e->n, "%s", t.p ? t.p : "\"\"");
	out_free(&t);
	return r;
}

static const char *c_str(struct ec *e, const char *s)
{
	return c_lit(e, s, strlen(s));
}

/* A JSON string (quoted, escaped) for an object key, as a C literal body. */
static const char *json_key_lit(struct ec *e, const char *key)
{
	struct out_buf j;
	out_init(&j);
	out_put(&j, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		if (*p == '"' || *p == '\\') {
			char t[2] = { '\\', (char)*p };
			out_put(&j, t, 2);
		} else if (*p < 0x20) {
			out_printf(&j, "\\u%04x", *p);
		} else {
			out_put(&j, (const char *)p, 1);
		}
	}
	out_put(&j, "\":", 2);
	const char *r = c_lit(e, j.p, j.len);
	out_free(&j);
	return r;
}

static const char *c_i64(struct ec *e, int64_t v)
{
	if (v == INT64_MIN)
		return "(-INT64_C(9223372036854775807) - 1)";
	return names_fmt(e->n, "INT64_C(%" PRId64 ")", v);
}

static const char *c_double(struct ec *e, double v)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%.17g", v);
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
	if (!strpbrk(buf, ".e"))
		strcat(buf, ".0");
	return names_fmt(e->n, "%s", buf);
}

static unsigned tmp(struct ec *e)
{
	return ++e->tmp;
}

/* ---- types ------------------------------------------------------------------ */

static bool is_model(const struct ast_type *t)
{
	return t->kind == TYPE_NAMED && t->model;
}

static bool is_enum(const struct ast_type *t)
{
	return t->kind == TYPE_NAMED && t->enm;
}

const char *emit_c_type(struct names *n, const struct ast_type *t, const char *stem)
{
	switch (t->kind) {
	case TYPE_PRIM:
		switch (t->prim) {
		case PRIM_STRING: return "struct apic_str";
		case PRIM_BOOL: return "bool";
		case PRIM_INT32: return "int32_t";
		case PRIM_INT64: return "int64_t";
		case PRIM_NUMBER: return "double";
		}
		break;
	case TYPE_NAMED:
		if (t->model)
			return names_fmt(n, "const struct %s *", names_model(n, t->model));
		return names_fmt(n, "enum %s", names_enum(n, t->enm));
	case TYPE_ARRAY:
	case TYPE_MAP:
		return names_fmt(n, "struct %s", stem);
	}
	return "void";
}

/* "T *name" without a blank between '*'s. */
static const char *ptr_decl(struct names *n, const char *type, const char *name)
{
	size_t len = strlen(type);
	return names_fmt(n, "%s%s*%s", type, len && type[len - 1] == '*' ? "" : " ", name);
}

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

/* Members for a value of type t called `name` (arrays and maps take two). */
static void emit_member(struct ec *e, int ind, const struct ast_type *t,
			const char *stem, const char *name)
{
	struct names *n = e->n;
	if (t->kind == TYPE_ARRAY) {
		const char *et = emit_c_type(n, t->elem, names_aux(n, stem, "item"));
		ln(e, ind, "%s;", ptr_decl(n, et, name));
		ln(e, ind, "size_t %s_count;", name);
	} else if (t->kind == TYPE_MAP) {
		ln(e, ind, "struct %s *%s;", names_aux(n, stem, "entry"), name);
		ln(e, ind, "size_t %s_count;", name);
	} else {
		const char *ct = emit_c_type(n, t, stem);
		size_t len = strlen(ct);
		ln(e, ind, "%s%s%s;", ct, ct[len - 1] == '*' ? "" : " ", name);
	}
}

/* The structs an array or map needs, innermost first; a top-level array or
 * map (a field, a parameter, a body) has its members inline instead. */
static void emit_aux_types(struct ec *e, const struct ast_type *t, const char *stem, bool top)
{
	struct names *n = e->n;
	if (t->kind == TYPE_ARRAY) {
		const char *item = names_aux(n, stem, "item");
		emit_aux_types(e, t->elem, item, false);
		if (!top) {
			ln(e, 0, "struct %s {", stem);
			ln(e, 1, "%s;", ptr_decl(n, emit_c_type(n, t->elem, item), "items"));
			ln(e, 1, "size_t count;");
			ln(e, 0, "};");
			ln(e, 0, "%s", "");
		}
	} else if (t->kind == TYPE_MAP) {
		const char *value = names_aux(n, stem, "value");
		const char *entry = names_aux(n, stem, "entry");
		emit_aux_types(e, t->elem, value, false);
		ln(e, 0, "struct %s {", entry);
		ln(e, 1, "struct apic_str key;");
		emit_member(e, 1, t->elem, value, "value");
		ln(e, 0, "};");
		ln(e, 0, "%s", "");
		if (!top) {
			ln(e, 0, "struct %s {", stem);
			ln(e, 1, "struct %s *entries;", entry);
			ln(e, 1, "size_t count;");
			ln(e, 0, "};");
			ln(e, 0, "%s", "");
		}
	}
}

/* Array member expressions of a value `v` of array/map type: the pointer and
 * the count, inline (top) or inside its aux struct. */
static void seq_exprs(struct ec *e, const struct ast_type *t, const char *v, bool top,
		      const char **ptr, const char **count)
{
	if (top) {
		*ptr = v;
		*count = names_fmt(e->n, "%s_count", v);
	} else {
		*ptr = names_fmt(e->n, "%s.%s", v, t->kind == TYPE_ARRAY ? "items" : "entries");
		*count = names_fmt(e->n, "%s.count", v);
	}
}

/* ---- reachability: which decoders and encoders are needed ------------------- */

static size_t model_index(const struct ec *e, const struct ast_model *m)
{
	size_t i = 0;
	for (const struct ast_model *x = e->s->models; x && x != m; x = x->next)
		i++;
	return i;
}

static size_t enum_index(const struct ec *e, const struct ast_enum *en)
{
	size_t i = 0;
	for (const struct ast_enum *x = e->s->enums; x && x != en; x = x->next)
		i++;
	return i;
}

/* Marks in `models` and `enums` what a value of type t reaches: in a
 * request (readonly fields left out) or in a reply (writeonly ones). */
static void mark_in(struct ec *e, const struct ast_type *t, bool request, bool *models, bool *enums)
{
	if (!t)
		return;
	if (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP) {
		mark_in(e, t->elem, request, models, enums);
	} else if (is_enum(t)) {
		enums[enum_index(e, t->enm)] = true;
	} else if (is_model(t)) {
		size_t i = model_index(e, t->model);
		if (models[i])
			return;
		models[i] = true;
		for (const struct ast_field *f = t->model->fields; f; f = f->next)
			if (request ? !f->readonly : !f->writeonly)
				mark_in(e, f->type, request, models, enums);
	}
}

static void mark(struct ec *e, const struct ast_type *t, bool dec)
{
	mark_in(e, t, dec, dec ? e->dec_model : e->enc_model, dec ? e->dec_enum : e->enc_enum);
}

/* ---- violations ---------------------------------------------------------------- */

/* Where a value being checked came from: a place in the body (a jptr
 * expression) or a parameter (with the index of a repeated query value). */
struct site {
	const char *at;      /* body: `const struct apic_jptr *` expression */
	const char *where;   /* parameter: APIC_IN_QUERY, ... */
	const char *name;    /* parameter: its name as a C literal */
	const char *index;   /* parameter array element: index variable, or NULL */
};

/* One violation call; `fmt` is a C literal body (no quotes), `args` the
 * extra arguments with their leading commas. */
static void vio(struct ec *e, int ind, const struct site *s, const char *code,
		const char *fmt, const char *args)
{
	if (!s->where)
		ln(e, ind, "apic_violation_body(ctx, %s, %s, \"%s\"%s);", s->at, code, fmt, args);
	else if (s->index)
		ln(e, ind, "apic_violation_param(ctx, %s, %s, %s, \"value %%zu: %s\", %s%s);",
		   s->where, s->name, code, fmt, s->index, args);
	else
		ln(e, ind, "apic_violation_param(ctx, %s, %s, %s, \"%s\"%s);",
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

static const char *pattern_name(struct ec *e, size_t i)
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
static void check_string(struct ec *e, int ind, const struct ast_constraints *c,
			 const char *v, const struct site *s)
{
	if (c->minlen.set || c->maxlen.set) {
		unsigned k = tmp(e);
		ln(e, ind, "size_t cp%u = apic_utf8_count(%s.ptr, %s.len);", k, v, v);
		if (c->minlen.set && c->minlen.n > 0) {
			ln(e, ind, "if (cp%u < %" PRIu64 "u)", k, c->minlen.n);
			vio(e, ind + 1, s, "APIC_V_TOO_SHORT",
			    names_fmt(e->n, "must be at least %" PRIu64 " %s, got %%zu",
				      c->minlen.n, plural(c->minlen.n, "character", "characters")),
			    names_fmt(e->n, ", cp%u", k));
		}
		if (c->maxlen.set) {
			ln(e, ind, "if (cp%u > %" PRIu64 "u)", k, c->maxlen.n);
			vio(e, ind + 1, s, "APIC_V_TOO_LONG",
			    names_fmt(e->n, "must be at most %" PRIu64 " %s, got %%zu",
				      c->maxlen.n, plural(c->maxlen.n, "character", "characters")),
			    names_fmt(e->n, ", cp%u", k));
		}
	}
	if (c->pattern) {
		const char *p = pattern_name(e, pattern_index(e, c->pattern));
		ln(e, ind, "if (!apic_pattern_match(&%s, %s.ptr, %s.len))", p, v, v);
		vio(e, ind + 1, s, "APIC_V_PATTERN", "must match the pattern %s",
		    names_fmt(e->n, ", %s.source", p));
	}
	const char *f = format_enum(c->format);
	if (f) {
		ln(e, ind, "if (!apic_format_valid(%s, %s.ptr, %s.len))", f, v, v);
		vio(e, ind + 1, s, "APIC_V_FORMAT",
		    names_fmt(e->n, "must be %s", format_word(c->format)), "");
	}
}

/* A bound as a C constant of the right kind for comparing with `v`. */
static const char *bound_const(struct ec *e, const struct ast_bound *bd, bool integer)
{
	if (integer && bd->num.is_int)
		return c_i64(e, bd->num.i);
	return c_double(e, bd->num.d);
}

/* The bound as written in the schema, for messages (no '%' can occur). */
static const char *bound_text(const struct ast_bound *bd)
{
	return bd->num.text ? bd->num.text : "?";
}

/* Bounds of a decoded number `v` (int64_t when integer, else double). */
static void check_bounds(struct ec *e, int ind, const struct ast_constraints *c,
			 const char *v, bool integer, const struct site *s)
{
	const char *got = integer ? "%\" PRId64 \"" : "%.15g";
	if (c->min.set) {
		const char *k = bound_const(e, &c->min, integer);
		const char *cast = integer && !c->min.num.is_int ? "(double)" : "";
		ln(e, ind, "if (%s%s %s %s)", cast, v, c->min.exclusive ? "<=" : "<", k);
		vio(e, ind + 1, s, "APIC_V_BELOW_MINIMUM",
		    names_fmt(e->n, "must be %s %s, got %s",
			      c->min.exclusive ? "greater than" : "at least", bound_text(&c->min), got),
		    names_fmt(e->n, ", %s", v));
	}
	if (c->max.set) {
		const char *k = bound_const(e, &c->max, integer);
		const char *cast = integer && !c->max.num.is_int ? "(double)" : "";
		ln(e, ind, "if (%s%s %s %s)", cast, v, c->max.exclusive ? ">=" : ">", k);
		vio(e, ind + 1, s, "APIC_V_ABOVE_MAXIMUM",
		    names_fmt(e->n, "must be %s %s, got %s",
			      c->max.exclusive ? "less than" : "at most", bound_text(&c->max), got),
		    names_fmt(e->n, ", %s", v));
	}
}

static void check_count(struct ec *e, int ind, const struct ast_count *min,
			const struct ast_count *max, const char *count, bool props,
			const struct site *s)
{
	const char *one = props ? "property" : "item", *many = props ? "properties" : "items";
	if (min->set && min->n > 0) {
		ln(e, ind, "if (%s < %" PRIu64 "u)", count, min->n);
		vio(e, ind + 1, s, props ? "APIC_V_TOO_FEW_PROPERTIES" : "APIC_V_TOO_FEW_ITEMS",
		    names_fmt(e->n, "must have at least %" PRIu64 " %s, got %%zu", min->n,
			      plural(min->n, one, many)),
		    names_fmt(e->n, ", %s", count));
	}
	if (max->set) {
		ln(e, ind, "if (%s > %" PRIu64 "u)", count, max->n);
		vio(e, ind + 1, s, props ? "APIC_V_TOO_MANY_PROPERTIES" : "APIC_V_TOO_MANY_ITEMS",
		    names_fmt(e->n, "must have at most %" PRIu64 " %s, got %%zu", max->n,
			      plural(max->n, one, many)),
		    names_fmt(e->n, ", %s", count));
	}
}

/* "red, green, blue" as a C literal. */
static const char *enum_list(struct ec *e, const struct ast_enum *en)
{
	struct out_buf t;
	out_init(&t);
	for (const struct ast_enum_member *m = en->members; m; m = m->next)
		out_printf(&t, "%s%s", m == en->members ? "" : ", ", m->name);
	const char *r = c_lit(e, t.p ? t.p : "", t.len);
	out_free(&t);
	return r;
}

/* ---- decoding JSON values ------------------------------------------------------- */

static void dec_value(struct ec *e, int ind, const struct ast_type *t, const char *stem,
		      const char *src, const char *dst, bool top, const char *at);

static void wrong_type(struct ec *e, int ind, const struct ast_type *t, const char *src,
		       const char *at)
{
	struct site s = { at, NULL, NULL, NULL };
	e->need_jtype = true;
	vio(e, ind, &s, "APIC_V_WRONG_TYPE",
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
	seq_exprs(e, t, dst, top, &ptr, &count);
	unsigned k = tmp(e);
	ln(e, ind, "if (!json_object_is_type(%s, json_type_array)) {", src);
	wrong_type(e, ind + 1, t, src, at);
	ln(e, ind, "} else {");
	ln(e, ind + 1, "size_t n%u = json_object_array_length(%s);", k, src);
	check_count(e, ind + 1, &t->c.minitems, &t->c.maxitems, names_fmt(n, "n%u", k), false, &s);
	ln(e, ind + 1, "%s = NULL;", ptr_decl(n, emit_c_type(n, t->elem, item), names_fmt(n, "a%u", k)));
	ln(e, ind + 1, "if (n%u != 0 && !(a%u = apic_ctx_alloc(ctx, n%u * sizeof *a%u)))", k, k, k, k);
	ln(e, ind + 2, "return -1;");
	ln(e, ind + 1, "for (size_t i%u = 0; i%u < n%u; i%u++) {", k, k, k, k);
	ln(e, ind + 2, "struct json_object *e%u = json_object_array_get_idx(%s, i%u);", k, src, k);
	ln(e, ind + 2, "struct apic_jptr p%u = { %s, NULL, 0, i%u };", k, at, k);
	dec_value(e, ind + 2, t->elem, item, names_fmt(n, "e%u", k),
		  names_fmt(n, "a%u[i%u]", k, k), false, names_fmt(n, "&p%u", k));
	ln(e, ind + 1, "}");
	if (t->c.unique) {
		e->need_unique = true;
		ln(e, ind + 1, "%s__unique(ctx, %s, %s);", names_prefix(n), src, at);
	}
	ln(e, ind + 1, "%s = a%u;", ptr, k);
	ln(e, ind + 1, "%s = n%u;", count, k);
	ln(e, ind, "}");
}

static void dec_map(struct ec *e, int ind, const struct ast_type *t, const char *stem,
		    const char *src, const char *dst, bool top, const char *at)
{
	struct names *n = e->n;
	struct site s = { at, NULL, NULL, NULL };
	const char *entry = names_aux(n, stem, "entry");
	const char *ptr, *count;
	seq_exprs(e, t, dst, top, &ptr, &count);
	unsigned k = tmp(e);
	ln(e, ind, "if (!json_object_is_type(%s, json_type_object)) {", src);
	wrong_type(e, ind + 1, t, src, at);
	ln(e, ind, "} else {");
	ln(e, ind + 1, "size_t n%u = (size_t)json_object_object_length(%s);", k, src);
	check_count(e, ind + 1, &t->c.minprops, &t->c.maxprops, names_fmt(n, "n%u", k), true, &s);
	ln(e, ind + 1, "struct %s *a%u = NULL;", entry, k);
	ln(e, ind + 1, "if (n%u != 0 && !(a%u = apic_ctx_alloc(ctx, n%u * sizeof *a%u)))", k, k, k, k);
	ln(e, ind + 2, "return -1;");
	ln(e, ind + 1, "size_t i%u = 0;", k);
	ln(e, ind + 1, "json_object_object_foreach(%s, k%u, v%u) {", src, k, k);
	ln(e, ind + 2, "size_t kl%u = strlen(k%u);", k, k);
	ln(e, ind + 2, "struct apic_jptr p%u = { %s, k%u, kl%u, 0 };", k, at, k, k);
	ln(e, ind + 2, "a%u[i%u].key.ptr = k%u;", k, k, k);
	ln(e, ind + 2, "a%u[i%u].key.len = kl%u;", k, k, k);
	dec_value(e, ind + 2, t->elem, names_aux(n, stem, "value"), names_fmt(n, "v%u", k),
		  names_fmt(n, "a%u[i%u].value", k, k), true, names_fmt(n, "&p%u", k));
	ln(e, ind + 2, "i%u++;", k);
	ln(e, ind + 1, "}");
	ln(e, ind + 1, "%s = a%u;", ptr, k);
	ln(e, ind + 1, "%s = n%u;", count, k);
	ln(e, ind, "}");
}

/* Decodes json_object expression `src` (NULL for JSON null) of type t into
 * lvalue `dst`, reporting at jptr expression `at`. `top`: an array or map
 * value has its members inline (dst, dst_count) rather than in a struct. */
static void dec_value(struct ec *e, int ind, const struct ast_type *t, const char *stem,
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
			k = tmp(e);
			ln(e, ind, "struct %s *m%u = apic_ctx_alloc(ctx, sizeof *m%u);",
			   names_model(n, t->model), k, k);
			ln(e, ind, "if (!m%u || %s(ctx, %s, %s, m%u) != 0)", k,
			   names_model_fn(n, t->model, e->resp ? "check" : "decode"), src, at, k);
			ln(e, ind + 1, "return -1;");
			ln(e, ind, "%s = m%u;", dst, k);
			return;
		}
		ln(e, ind, "if (!json_object_is_type(%s, json_type_string))", src);
		wrong_type(e, ind + 1, t, src, at);
		ln(e, ind, "else if (!(%s = %s(json_object_get_string(%s), (size_t)json_object_get_string_len(%s))))",
		   dst, names_enum_fn(n, t->enm, "parse"), src, src);
		vio(e, ind + 1, &s, "APIC_V_ENUM", "must be one of: %s",
		    names_fmt(n, ", %s", enum_list(e, t->enm)));
		return;
	case TYPE_PRIM:
		break;
	}
	switch (t->prim) {
	case PRIM_STRING:
		ln(e, ind, "if (!json_object_is_type(%s, json_type_string)) {", src);
		wrong_type(e, ind + 1, t, src, at);
		ln(e, ind, "} else {");
		ln(e, ind + 1, "%s.ptr = json_object_get_string(%s);", dst, src);
		ln(e, ind + 1, "%s.len = (size_t)json_object_get_string_len(%s);", dst, src);
		check_string(e, ind + 1, &t->c, dst, &s);
		ln(e, ind, "}");
		return;
	case PRIM_BOOL:
		ln(e, ind, "if (!json_object_is_type(%s, json_type_boolean))", src);
		wrong_type(e, ind + 1, t, src, at);
		ln(e, ind, "else");
		ln(e, ind + 1, "%s = json_object_get_boolean(%s) != 0;", dst, src);
		return;
	case PRIM_INT32:
	case PRIM_INT64:
		k = tmp(e);
		e->need_int = true;
		ln(e, ind, "int64_t x%u = 0;", k);
		ln(e, ind, "int r%u = %s__int(%s, &x%u);", k, names_prefix(n), src, k);
		ln(e, ind, "if (r%u == 1) {", k);
		wrong_type(e, ind + 1, t, src, at);
		if (t->prim == PRIM_INT32) {
			ln(e, ind, "} else if (r%u == 2 || x%u < INT32_MIN || x%u > INT32_MAX) {", k, k, k);
			vio(e, ind + 1, &s, "APIC_V_OUT_OF_RANGE", "must fit in a 32-bit integer", "");
		} else {
			ln(e, ind, "} else if (r%u == 2) {", k);
			vio(e, ind + 1, &s, "APIC_V_OUT_OF_RANGE", "must fit in a 64-bit integer", "");
		}
		ln(e, ind, "} else {");
		check_bounds(e, ind + 1, &t->c, names_fmt(n, "x%u", k), true, &s);
		ln(e, ind + 1, "%s = (%s)x%u;", dst, t->prim == PRIM_INT32 ? "int32_t" : "int64_t", k);
		ln(e, ind, "}");
		return;
	case PRIM_NUMBER:
		/* Any JSON number: integers beyond int64 included, as doubles. */
		k = tmp(e);
		ln(e, ind, "if (!json_object_is_type(%s, json_type_double) && !json_object_is_type(%s, json_type_int)) {",
		   src, src);
		wrong_type(e, ind + 1, t, src, at);
		ln(e, ind, "} else {");
		ln(e, ind + 1, "double d%u = json_object_get_double(%s);", k, src);
		ln(e, ind + 1, "if (!isfinite(d%u)) {", k);
		vio(e, ind + 2, &s, "APIC_V_OUT_OF_RANGE", "must be a finite number within the double range", "");
		ln(e, ind + 1, "} else {");
		check_bounds(e, ind + 2, &t->c, names_fmt(n, "d%u", k), false, &s);
		ln(e, ind + 2, "%s = d%u;", dst, k);
		ln(e, ind + 1, "}");
		ln(e, ind, "}");
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
	if (is_enum(t)) {
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
		return v->kind == VAL_NUMBER && v->num.is_int ? c_i64(e, v->num.i) : NULL;
	case PRIM_NUMBER:
		return v->kind == VAL_NUMBER ? c_double(e, v->num.d) : NULL;
	case PRIM_STRING:
		return v->kind == VAL_STRING
			? names_fmt(e->n, "{ %s, %zu }", c_lit(e, v->str, v->len), v->len) : NULL;
	}
	return NULL;
}

/* Statements giving lvalue `dst` (with `has`, `is_null` lvalues or NULL) the
 * default `v`; array defaults of scalars live in a static const array that
 * emit_default_arrays() wrote before the function. */
static void emit_default(struct ec *e, int ind, const struct ast_type *t, const struct ast_value *v,
			 const char *dst, const char *has, const char *is_null, const char *array_name)
{
	if (v->kind == VAL_NULL && is_null) {
		ln(e, ind, "%s = true;", is_null);
	} else if (t->kind == TYPE_ARRAY && v->kind == VAL_ARRAY) {
		size_t count = 0;
		for (const struct ast_value *x = v->items; x; x = x->next)
			count++;
		if (count) {
			ln(e, ind, "%s = (%s)%s;", dst,
			   ptr_decl(e->n, emit_c_type(e->n, t->elem, "?"), ""), array_name);
		}
		ln(e, ind, "%s_count = %zu;", dst, count);
	} else if (t->kind == TYPE_PRIM && t->prim == PRIM_STRING) {
		ln(e, ind, "%s.ptr = %s;", dst, c_lit(e, v->str, v->len));
		ln(e, ind, "%s.len = %zu;", dst, v->len);
	} else {
		ln(e, ind, "%s = %s;", dst, scalar_default(e, t, v));
	}
	if (has)
		ln(e, ind, "%s = true;", has);
}

/* Checks that a default can be emitted; reports at the value otherwise.
 * An array default of scalars gets a static array named into *array_name. */
static bool default_ok(struct ec *e, const struct ast_type *t, const struct ast_value *v,
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
		ln(e, 0, "static const %s %s[] = {", emit_c_type(e->n, t->elem, "?"), *array_name);
		for (const struct ast_value *x = v->items; x; x = x->next)
			ln(e, 1, "%s,", scalar_default(e, t->elem, x));
		ln(e, 0, "};");
		ln(e, 0, "%s", "");
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
static void emit_model_decoder(struct ec *e, const struct ast_model *m)
{
	struct names *n = e->n;
	const char *self = names_model(n, m);
	/* default arrays first: they are file-scope statics */
	const char **arrays = calloc(m->nfields + 1, sizeof *arrays);
	size_t i = 0;
	for (const struct ast_field *f = m->fields; f; f = f->next, i++)
		if (f->def && !f->readonly && !e->resp)
			default_ok(e, f->type, f->def, f->nullable, &arrays[i]);
	ln(e, 0, "static int %s(struct apic_ctx *ctx, struct json_object *j, const struct apic_jptr *at, struct %s *out)",
	   names_model_fn(n, m, e->resp ? "check" : "decode"), self);
	ln(e, 0, "{");
	/* `seen` only for the fields checked after the loop. */
	size_t nseen = 0, nbranches = 0;
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		nseen += field_seen(e, f);
		nbranches += !(e->resp && f->writeonly);
	}
	if (nseen)
		ln(e, 1, "bool seen[%zu] = { false };", nseen);
	ln(e, 1, "if (!json_object_is_type(j, json_type_object)) {");
	e->need_jtype = true;
	ln(e, 2, "apic_violation_body(ctx, at, APIC_V_WRONG_TYPE, \"must be an object, got %%s\", %s__jtype(j));",
	   names_prefix(n));
	ln(e, 2, "return 0;");
	ln(e, 1, "}");
	if (!nbranches)
		ln(e, 1, "(void)out; /* no property to keep */");
	ln(e, 1, "json_object_object_foreach(j, key, val) {");
	if (!nbranches)
		ln(e, 2, "(void)val;");
	ln(e, 2, "size_t klen = strlen(key);");
	ln(e, 2, "struct apic_jptr kat = { at, key, klen, 0 };");
	size_t slot = 0;
	const char *kw = "if";
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		const char *mem = names_field(n, f);
		if (e->resp && f->writeonly)
			continue; /* not in a reply: an unknown property */
		ln(e, 2, "%s (klen == %zu && memcmp(key, %s, %zu) == 0) {", kw, strlen(f->name),
		   c_str(e, f->name), strlen(f->name));
		kw = "} else if";
		if (field_seen(e, f))
			ln(e, 3, "seen[%zu] = true;", slot++);
		if (f->readonly && !e->resp) {
			ln(e, 3, "apic_violation_body(ctx, &kat, APIC_V_READ_ONLY, \"is read-only\");");
			continue;
		}
		bool model = is_model(f->type);
		int ind = 3;
		if (f->nullable) {
			ln(e, 3, "if (!val) {");
			ln(e, 4, "out->%s_is_null = true;", mem);
			ln(e, 3, "} else {");
			ind = 4;
		}
		if (f->optional && !model)
			ln(e, ind, "out->has_%s = true;", mem);
		dec_value(e, ind, f->type, names_field_stem(n, m, f), "val",
			  names_fmt(n, "out->%s", mem), true, "&kat");
		if (f->nullable)
			ln(e, 3, "}");
	}
	if (nbranches)
		ln(e, 2, "} else {");
	if (!m->open)
		ln(e, nbranches ? 3 : 2, "apic_violation_body(ctx, &kat, APIC_V_UNKNOWN_PROPERTY, \"is not a known property\");");
	else
		ln(e, nbranches ? 3 : 2, "(void)kat;");
	if (nbranches)
		ln(e, 2, "}");
	ln(e, 1, "}");
	i = 0;
	slot = 0;
	for (const struct ast_field *f = m->fields; f; f = f->next, i++) {
		const char *mem = names_field(n, f);
		if (!field_seen(e, f))
			continue;
		ln(e, 1, "if (!seen[%zu]) {", slot++);
		if (f->def && !e->resp) {
			bool model = is_model(f->type);
			emit_default(e, 2, f->type, f->def, names_fmt(n, "out->%s", mem),
				     f->optional && !model ? names_fmt(n, "out->has_%s", mem) : NULL,
				     f->nullable ? names_fmt(n, "out->%s_is_null", mem) : NULL, arrays[i]);
		} else {
			ln(e, 2, "struct apic_jptr mat = { at, %s, %zu, 0 };", c_str(e, f->name), strlen(f->name));
			ln(e, 2, "apic_violation_body(ctx, &mat, APIC_V_MISSING, \"is required\");");
		}
		ln(e, 1, "}");
	}
	ln(e, 1, "return 0;");
	ln(e, 0, "}");
	ln(e, 0, "%s", "");
	free(arrays);
}

/* ---- encoders -------------------------------------------------------------------- */

static void enc_value(struct ec *e, int ind, const struct ast_type *t, const char *v, bool top)
{
	struct names *n = e->n;
	const char *ptr, *count;
	unsigned k;
	switch (t->kind) {
	case TYPE_PRIM:
		switch (t->prim) {
		case PRIM_STRING: ln(e, ind, "apic_buf_str(b, %s.ptr, %s.len);", v, v); return;
		case PRIM_BOOL: ln(e, ind, "apic_buf_bool(b, %s);", v); return;
		case PRIM_INT32:
		case PRIM_INT64: ln(e, ind, "apic_buf_i64(b, %s);", v); return;
		case PRIM_NUMBER: ln(e, ind, "apic_buf_f64(b, %s);", v); return;
		}
		return;
	case TYPE_NAMED:
		if (t->model)
			ln(e, ind, "%s(b, %s);", names_model_fn(n, t->model, "encode"), v);
		else
			ln(e, ind, "%s(b, %s);", names_enum_fn(n, t->enm, "write"), v);
		return;
	case TYPE_ARRAY:
		seq_exprs(e, t, v, top, &ptr, &count);
		k = tmp(e);
		ln(e, ind, "apic_buf_lit(b, \"[\");");
		ln(e, ind, "for (size_t i%u = 0; i%u < %s; i%u++) {", k, k, count, k);
		ln(e, ind + 1, "if (i%u)", k);
		ln(e, ind + 2, "apic_buf_lit(b, \",\");");
		enc_value(e, ind + 1, t->elem, names_fmt(n, "%s[i%u]", ptr, k), false);
		ln(e, ind, "}");
		ln(e, ind, "apic_buf_lit(b, \"]\");");
		return;
	case TYPE_MAP:
		seq_exprs(e, t, v, top, &ptr, &count);
		k = tmp(e);
		ln(e, ind, "apic_buf_lit(b, \"{\");");
		ln(e, ind, "for (size_t i%u = 0; i%u < %s; i%u++) {", k, k, count, k);
		ln(e, ind + 1, "if (i%u)", k);
		ln(e, ind + 2, "apic_buf_lit(b, \",\");");
		ln(e, ind + 1, "apic_buf_str(b, %s[i%u].key.ptr, %s[i%u].key.len);", ptr, k, ptr, k);
		ln(e, ind + 1, "apic_buf_lit(b, \":\");");
		enc_value(e, ind + 1, t->elem, names_fmt(n, "%s[i%u].value", ptr, k), true);
		ln(e, ind, "}");
		ln(e, ind, "apic_buf_lit(b, \"}\");");
		return;
	}
}

static void emit_model_encoder(struct ec *e, const struct ast_model *m)
{
	struct names *n = e->n;
	ln(e, 0, "static void %s(struct apic_buf *b, const struct %s *v)",
	   names_model_fn(n, m, "encode"), names_model(n, m));
	ln(e, 0, "{");
	ln(e, 1, "if (!v) {");
	ln(e, 2, "b->oom = true; /* a required object is missing: the reply becomes a 500 */");
	ln(e, 2, "return;");
	ln(e, 1, "}");
	bool any = false;
	for (const struct ast_field *f = m->fields; f; f = f->next)
		any |= !f->writeonly;
	if (!any) {
		ln(e, 1, "apic_buf_lit(b, \"{}\");");
		ln(e, 0, "}");
		ln(e, 0, "%s", "");
		return;
	}
	/* Whether a member was surely written before each field is known at
	 * generation time until the first optional field: only from there on
	 * does the separator need a run-time variable. */
	enum { NONE_YET, SOME, UNKNOWN } state = NONE_YET;
	bool need_sep = false;
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		if (f->writeonly)
			continue;
		if (state != SOME && (f->optional || state == UNKNOWN))
			need_sep = true;
		state = f->optional ? (state == SOME ? SOME : UNKNOWN) : SOME;
	}
	if (need_sep)
		ln(e, 1, "char sep = '{';");
	state = NONE_YET;
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		if (f->writeonly)
			continue;
		const char *mem = names_field(n, f);
		bool model = is_model(f->type);
		int ind = 1;
		if (f->optional) {
			if (model)
				ln(e, 1, "if (v->%s%s) {", mem,
				   f->nullable ? names_fmt(n, " || v->%s_is_null", mem) : "");
			else
				ln(e, 1, "if (v->has_%s%s) {", mem,
				   f->nullable ? names_fmt(n, " || v->%s_is_null", mem) : "");
			ind = 2;
		}
		const char *key = json_key_lit(e, f->name);
		if (state == SOME) {
			ln(e, ind, "apic_buf_lit(b, \",\" %s);", key);
		} else if (state == NONE_YET && !f->optional) {
			ln(e, ind, "apic_buf_lit(b, \"{\" %s);", key);
		} else {
			ln(e, ind, "apic_buf_put(b, &sep, 1);");
			ln(e, ind, "sep = ',';");
			ln(e, ind, "apic_buf_lit(b, %s);", key);
		}
		state = f->optional ? (state == SOME ? SOME : UNKNOWN) : SOME;
		const char *val = names_fmt(n, "v->%s", mem);
		if (f->nullable) {
			if (model)
				ln(e, ind, "if (v->%s_is_null || !v->%s)", mem, mem);
			else
				ln(e, ind, "if (v->%s_is_null)", mem);
			ln(e, ind + 1, "apic_buf_lit(b, \"null\");");
			ln(e, ind, "else");
			if (f->type->kind == TYPE_ARRAY || f->type->kind == TYPE_MAP) {
				ln(e, ind, "{");
				enc_value(e, ind + 1, f->type, val, true);
				ln(e, ind, "}");
			} else {
				enc_value(e, ind + 1, f->type, val, true);
			}
		} else {
			enc_value(e, ind, f->type, val, true);
		}
		if (f->optional)
			ln(e, 1, "}");
	}
	if (state == UNKNOWN) {
		ln(e, 1, "if (sep == '{')");
		ln(e, 2, "apic_buf_lit(b, \"{\");");
	}
	ln(e, 1, "apic_buf_lit(b, \"}\");");
	ln(e, 0, "}");
	ln(e, 0, "%s", "");
}

/* ---- enums -------------------------------------------------------------------------- */

static void emit_enum_fns(struct ec *e, const struct ast_enum *en, size_t idx)
{
	struct names *n = e->n;
	/* P_enum__parse, public (NAME.h), is written with every enum. */
	ln(e, 0, "enum %s %s(const char *s, size_t n)", names_enum(n, en), names_enum_fn(n, en, "parse"));
	ln(e, 0, "{");
	for (const struct ast_enum_member *m = en->members; m; m = m->next) {
		ln(e, 1, "if (n == %zu && memcmp(s, %s, %zu) == 0)", strlen(m->name),
		   c_str(e, m->name), strlen(m->name));
		ln(e, 2, "return %s;", names_enum_const(n, en, m));
	}
	ln(e, 1, "return %s;", names_enum_unset(n, en));
	ln(e, 0, "}");
	ln(e, 0, "%s", "");
	if (e->enc_enum[idx]) {
		ln(e, 0, "static void %s(struct apic_buf *b, enum %s v)", names_enum_fn(n, en, "write"),
		   names_enum(n, en));
		ln(e, 0, "{");
		ln(e, 1, "switch (v) {");
		for (const struct ast_enum_member *m = en->members; m; m = m->next) {
			ln(e, 1, "case %s:", names_enum_const(n, en, m));
			struct out_buf j;
			out_init(&j);
			out_printf(&j, "\"%s\"", m->name);
			ln(e, 2, "apic_buf_lit(b, %s);", c_lit(e, j.p, j.len));
			out_free(&j);
			ln(e, 2, "return;");
		}
		ln(e, 1, "case %s:", names_enum_unset(n, en));
		ln(e, 2, "break;");
		ln(e, 1, "}");
		ln(e, 1, "b->oom = true; /* not a member: the reply becomes a 500 */");
		ln(e, 0, "}");
		ln(e, 0, "%s", "");
	}
	if (e->hdr_enum[idx]) {
		ln(e, 0, "static bool %s(struct apic_ctx *ctx, const char *name, enum %s v)",
		   names_enum_fn(n, en, "header"), names_enum(n, en));
		ln(e, 0, "{");
		ln(e, 1, "switch (v) {");
		for (const struct ast_enum_member *m = en->members; m; m = m->next) {
			ln(e, 1, "case %s:", names_enum_const(n, en, m));
			ln(e, 2, "return apic_header_str(ctx, name, %s, %zu);", c_str(e, m->name), strlen(m->name));
		}
		ln(e, 1, "case %s:", names_enum_unset(n, en));
		ln(e, 2, "break;");
		ln(e, 1, "}");
		ln(e, 1, "return false; /* not a member: the reply becomes a 500 */");
		ln(e, 0, "}");
		ln(e, 0, "%s", "");
	}
}

/* ---- parameters -------------------------------------------------------------------- */

static const char *where_enum(enum ast_param_in in)
{
	switch (in) {
	case IN_PATH: return "APIC_IN_PATH";
	case IN_QUERY: return "APIC_IN_QUERY";
	case IN_HEADER: return "APIC_IN_HEADER";
	case IN_COOKIE: return "APIC_IN_COOKIE";
	}
	return "APIC_IN_QUERY";
}

/* Parses text `str` (struct apic_str) into lvalue `dst` of scalar type t. */
static void parse_text(struct ec *e, int ind, const struct ast_type *t, const char *str,
		       const char *dst, const struct site *s)
{
	struct names *n = e->n;
	unsigned k;
	if (is_enum(t)) {
		ln(e, ind, "if (!(%s = %s(%s.ptr, %s.len)))", dst, names_enum_fn(n, t->enm, "parse"), str, str);
		vio(e, ind + 1, s, "APIC_V_ENUM", "must be one of: %s", names_fmt(n, ", %s", enum_list(e, t->enm)));
		return;
	}
	switch (t->prim) {
	case PRIM_STRING:
		ln(e, ind, "%s = %s;", dst, str);
		check_string(e, ind, &t->c, str, s);
		return;
	case PRIM_BOOL:
		ln(e, ind, "if (!apic_parse_bool(%s.ptr, %s.len, &%s))", str, str, dst);
		vio(e, ind + 1, s, "APIC_V_INVALID", "must be true or false", "");
		return;
	case PRIM_INT32:
	case PRIM_INT64:
		k = tmp(e);
		ln(e, ind, "int64_t x%u;", k);
		/* Too many digits is out_of_range, as for a body's integer. */
		ln(e, ind, "int r%u = apic_parse_integer(%s.ptr, %s.len, &x%u);", k, str, str, k);
		ln(e, ind, "if (r%u == 0) {", k);
		vio(e, ind + 1, s, "APIC_V_INVALID", "must be an integer", "");
		ln(e, ind, "} else if (r%u < 0) {", k);
		if (t->prim == PRIM_INT32)
			vio(e, ind + 1, s, "APIC_V_OUT_OF_RANGE", "must fit in a 32-bit integer", "");
		else
			vio(e, ind + 1, s, "APIC_V_OUT_OF_RANGE", "must fit in a 64-bit integer", "");
		if (t->prim == PRIM_INT32) {
			ln(e, ind, "} else if (x%u < INT32_MIN || x%u > INT32_MAX) {", k, k);
			vio(e, ind + 1, s, "APIC_V_OUT_OF_RANGE", "must fit in a 32-bit integer", "");
		} else if (!t->c.min.set) {
			/* The int64 range of bodies (the int helper) and of the
			 * document; a minimum of the schema reports it otherwise. */
			ln(e, ind, "} else if (x%u == INT64_MIN) {", k);
			vio(e, ind + 1, s, "APIC_V_OUT_OF_RANGE", "must fit in a 64-bit integer", "");
		}
		ln(e, ind, "} else {");
		check_bounds(e, ind + 1, &t->c, names_fmt(n, "x%u", k), true, s);
		ln(e, ind + 1, "%s = (%s)x%u;", dst, t->prim == PRIM_INT32 ? "int32_t" : "int64_t", k);
		ln(e, ind, "}");
		return;
	case PRIM_NUMBER:
		k = tmp(e);
		ln(e, ind, "double d%u;", k);
		ln(e, ind, "if (!apic_parse_double(%s.ptr, %s.len, &d%u)) {", str, str, k);
		vio(e, ind + 1, s, "APIC_V_INVALID", "must be a number", "");
		ln(e, ind, "} else {");
		check_bounds(e, ind + 1, &t->c, names_fmt(n, "d%u", k), false, s);
		ln(e, ind + 1, "%s = d%u;", dst, k);
		ln(e, ind, "}");
		return;
	}
}

static void emit_param(struct ec *e, const struct ast_op *op, const struct ast_param *p,
		       unsigned path_idx, const char *array_name)
{
	struct names *n = e->n;
	const char *mem = names_fmt(n, "in->%s", names_param(n, p));
	const char *name = c_str(e, p->name);
	struct site s = { NULL, where_enum(p->in), name, NULL };
	unsigned k = tmp(e);
	(void)op;
	if (p->in == IN_PATH) {
		ln(e, 1, "{");
		ln(e, 2, "struct apic_str s%u = apic_req_path(ctx, %u);", k, path_idx);
		parse_text(e, 2, p->type, names_fmt(n, "s%u", k), mem, &s);
		ln(e, 1, "}");
		return;
	}
	if (p->type->kind == TYPE_ARRAY && p->in != IN_QUERY) {
		diag_error(e->d, p->loc, "only query parameters can be arrays");
		e->failed = true;
		return;
	}
	if (p->type->kind == TYPE_ARRAY) {
		const struct ast_type *t = p->type;
		ln(e, 1, "{");
		ln(e, 2, "struct apic_str *q%u = NULL;", k);
		ln(e, 2, "size_t n%u = apic_req_query_all(ctx, %s, &q%u);", k, name, k);
		ln(e, 2, "if (n%u == 0) {", k);
		if (!p->optional)
			vio(e, 3, &s, "APIC_V_MISSING", "is required", "");
		else if (p->def)
			emit_default(e, 3, t, p->def, mem, names_fmt(n, "in->has_%s", names_param(n, p)),
				     NULL, array_name);
		else
			ln(e, 3, "(void)q%u;", k);
		ln(e, 2, "} else {");
		check_count(e, 3, &t->c.minitems, &t->c.maxitems, names_fmt(n, "n%u", k), false, &s);
		ln(e, 3, "%s = apic_ctx_alloc(ctx, n%u * sizeof *a%u);",
		   ptr_decl(n, emit_c_type(n, t->elem, "?"), names_fmt(n, "a%u", k)), k, k);
		ln(e, 3, "if (!a%u)", k);
		ln(e, 4, "return -1;");
		ln(e, 3, "for (size_t i%u = 0; i%u < n%u; i%u++) {", k, k, k, k);
		struct site es = s;
		es.index = names_fmt(n, "i%u", k);
		parse_text(e, 4, t->elem, names_fmt(n, "q%u[i%u]", k, k), names_fmt(n, "a%u[i%u]", k, k), &es);
		ln(e, 3, "}");
		if (t->c.unique) {
			ln(e, 3, "for (size_t i%u = 1; i%u < n%u; i%u++)", k, k, k, k);
			ln(e, 4, "for (size_t j%u = 0; j%u < i%u; j%u++)", k, k, k, k);
			ln(e, 5, "if (q%u[i%u].len == q%u[j%u].len && memcmp(q%u[i%u].ptr, q%u[j%u].ptr, q%u[i%u].len) == 0)",
			   k, k, k, k, k, k, k, k, k, k);
			vio(e, 6, &s, "APIC_V_DUPLICATE_ITEMS", "values %zu and %zu are equal",
			    names_fmt(n, ", j%u, i%u", k, k));
		}
		ln(e, 3, "%s = a%u;", mem, k);
		ln(e, 3, "%s_count = n%u;", mem, k);
		if (p->optional)
			ln(e, 3, "in->has_%s = true;", names_param(n, p));
		ln(e, 2, "}");
		ln(e, 1, "}");
		return;
	}
	ln(e, 1, "{");
	ln(e, 2, "struct apic_str s%u;", k);
	if (p->in == IN_QUERY) {
		/* ?limit=1&limit=2 is ambiguous: refused, not first or last wins. */
		ln(e, 2, "size_t c%u = apic_req_query_first(ctx, %s, &s%u);", k, name, k);
		ln(e, 2, "if (c%u > 1) {", k);
		vio(e, 3, &s, "APIC_V_REPEATED", "must be given once, got %zu values", names_fmt(n, ", c%u", k));
		ln(e, 2, "} else if (c%u == 1) {", k);
	} else {
		ln(e, 2, "if (%s(ctx, %s, &s%u)) {", p->in == IN_HEADER ? "apic_req_header" : "apic_req_cookie",
		   name, k);
	}
	if (p->optional)
		ln(e, 3, "in->has_%s = true;", names_param(n, p));
	parse_text(e, 3, p->type, names_fmt(n, "s%u", k), mem, &s);
	if (!p->optional) {
		ln(e, 2, "} else {");
		vio(e, 3, &s, "APIC_V_MISSING", "is required", "");
	} else if (p->def) {
		ln(e, 2, "} else {");
		emit_default(e, 3, p->type, p->def, mem, names_fmt(n, "in->has_%s", names_param(n, p)),
			     NULL, array_name);
	}
	ln(e, 2, "}");
	ln(e, 1, "}");
}

/* ---- operations -------------------------------------------------------------------- */

static bool body_has_flag(const struct ast_op *op)
{
	return op->body && op->body_optional && !is_model(op->body);
}

static void emit_params_struct(struct ec *e, const struct ast_op *op)
{
	struct names *n = e->n;
	const char *params = names_op_fn(n, op, "params");
	for (const struct ast_param *p = op->params; p; p = p->next)
		emit_aux_types(e, p->type, names_aux(n, params, names_param(n, p)), true);
	if (op->body)
		emit_aux_types(e, op->body, names_aux(n, params, "body"), true);
	ln(e, 0, "struct %s {", params);
	bool any = false;
	for (const struct ast_param *p = op->params; p; p = p->next) {
		const char *mem = names_param(n, p);
		emit_member(e, 1, p->type, names_aux(n, params, mem), mem);
		if (p->optional)
			ln(e, 1, "bool has_%s;", mem);
		any = true;
	}
	if (op->body) {
		emit_member(e, 1, op->body, names_aux(n, params, "body"), "body");
		if (body_has_flag(op))
			ln(e, 1, "bool has_body;");
		any = true;
	}
	if (!any)
		ln(e, 1, "char unused; /* no parameters: C forbids an empty struct */");
	ln(e, 0, "};");
	ln(e, 0, "%s", "");
}

/* Stem of the aux types of a reply body. */
static const char *reply_stem(struct names *n, const struct ast_op *op, const struct ast_response *r)
{
	return names_op_fn(n, op, names_fmt(n, "reply_%d", r->status));
}

/* The struct of the headers a response declares. */
static const char *reply_headers(struct names *n, const struct ast_op *op, const struct ast_response *r)
{
	return names_aux(n, reply_stem(n, op, r), "headers");
}

void emit_c_reply_proto(struct out_buf *b, struct names *n, const struct ast_op *op,
			const struct ast_response *r)
{
	const char *fn = reply_stem(n, op, r);
	const struct ast_type *t = r->type;
	out_printf(b, "int %s(struct apic_ctx *ctx", fn);
	if (ast_response_is_error(r)) {
		out_puts(b, ", const char *detail");
	} else if (!t) {
	} else if (t->kind == TYPE_ARRAY) {
		const char *et = is_model(t->elem)
			? names_fmt(n, "struct %s", names_model(n, t->elem->model))
			: emit_c_type(n, t->elem, names_aux(n, fn, "item"));
		out_printf(b, ", const %s, size_t count", ptr_decl(n, et, "items"));
	} else if (t->kind == TYPE_MAP) {
		out_printf(b, ", const struct %s *entries, size_t count", names_aux(n, fn, "entry"));
	} else {
		const char *ct = emit_c_type(n, t, fn);
		out_printf(b, ", %s%sbody", ct, ct[strlen(ct) - 1] == '*' ? "" : " ");
	}
	if (r->headers)
		out_printf(b, ", const struct %s *headers", reply_headers(n, op, r));
	out_puts(b, ")");
}

static void emit_reply_headers_struct(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	struct names *n = e->n;
	const char *tag = reply_headers(n, op, r);
	ln(e, 0, "struct %s {", tag);
	for (const struct ast_param *h = r->headers; h; h = h->next) {
		const char *mem = names_param(n, h);
		emit_member(e, 1, h->type, names_aux(n, tag, mem), mem);
		if (h->optional)
			ln(e, 1, "bool has_%s;", mem);
	}
	ln(e, 0, "};");
}

/* Sets one declared header from `v`; a value that cannot be sent (or a
 * required string not given) makes the reply a 500. */
static void emit_set_header(struct ec *e, int ind, const struct ast_param *h, const char *v)
{
	const char *name = c_str(e, h->name);
	const struct ast_type *t = h->type;
	const char *ok;
	if (is_enum(t)) {
		ok = names_fmt(e->n, "%s(ctx, %s, %s)", names_enum_fn(e->n, t->enm, "header"), name, v);
	} else {
		switch (t->prim) {
		case PRIM_STRING:
			ok = names_fmt(e->n, "apic_header_str(ctx, %s, %s.ptr, %s.len)", name, v, v);
			break;
		case PRIM_BOOL:
			ok = names_fmt(e->n, "apic_header_str(ctx, %s, %s ? \"true\" : \"false\", %s ? 4 : 5)",
				       name, v, v);
			break;
		case PRIM_NUMBER:
			ok = names_fmt(e->n, "apic_header_f64(ctx, %s, %s)", name, v);
			break;
		default:
			ok = names_fmt(e->n, "apic_header_i64(ctx, %s, %s)", name, v);
			break;
		}
	}
	ln(e, ind, "if (!%s)", ok);
	ln(e, ind + 1, "return apic_reply_bad_header(ctx, %s);", name);
}

/* The declared headers, before the body: the reply functions take them as
 * `headers`, which may be NULL when none is required. */
static void emit_reply_headers(struct ec *e, const struct ast_response *r)
{
	struct names *n = e->n;
	const struct ast_param *required = NULL;
	for (const struct ast_param *h = r->headers; h && !required; h = h->next)
		if (!h->optional)
			required = h;
	if (required) {
		ln(e, 1, "if (headers == NULL)");
		ln(e, 2, "return apic_reply_bad_header(ctx, %s);", c_str(e, required->name));
	} else {
		ln(e, 1, "if (headers != NULL) {");
	}
	int ind = required ? 1 : 2;
	for (const struct ast_param *h = r->headers; h; h = h->next) {
		const char *mem = names_param(n, h);
		const char *v = names_fmt(n, "headers->%s", mem);
		if (h->optional) {
			ln(e, ind, "if (headers->has_%s) {", mem);
			emit_set_header(e, ind + 1, h, v);
			ln(e, ind, "}");
		} else {
			emit_set_header(e, ind, h, v);
		}
	}
	if (!required)
		ln(e, 1, "}");
}

static void emit_reply(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	struct names *n = e->n;
	const struct ast_type *t = r->type;
	emit_c_reply_proto(e->b, n, op, r);
	ln(e, 0, "%s", "");
	ln(e, 0, "{");
	if (r->headers)
		emit_reply_headers(e, r);
	if (!t) {
		/* A typeless error status sends the API's error shape, as the
		 * OpenAPI document says; any other typeless status, no body. */
		if (ast_response_is_error(r))
			ln(e, 1, "return apic_ctx_reply_error(ctx, %d, detail);", r->status);
		else
			ln(e, 1, "return apic_ctx_reply_empty(ctx, %d);", r->status);
		ln(e, 0, "}");
		ln(e, 0, "%s", "");
		return;
	}
	ln(e, 1, "struct apic_buf *b = apic_ctx_buf(ctx);");
	if (t->kind == TYPE_ARRAY) {
		unsigned k = tmp(e);
		ln(e, 1, "apic_buf_lit(b, \"[\");");
		ln(e, 1, "for (size_t i%u = 0; i%u < count; i%u++) {", k, k, k);
		ln(e, 2, "if (i%u)", k);
		ln(e, 3, "apic_buf_lit(b, \",\");");
		if (is_model(t->elem))
			ln(e, 2, "%s(b, &items[i%u]);", names_model_fn(n, t->elem->model, "encode"), k);
		else
			enc_value(e, 2, t->elem, names_fmt(n, "items[i%u]", k), false);
		ln(e, 1, "}");
		ln(e, 1, "apic_buf_lit(b, \"]\");");
	} else if (t->kind == TYPE_MAP) {
		unsigned k = tmp(e);
		ln(e, 1, "apic_buf_lit(b, \"{\");");
		ln(e, 1, "for (size_t i%u = 0; i%u < count; i%u++) {", k, k, k);
		ln(e, 2, "if (i%u)", k);
		ln(e, 3, "apic_buf_lit(b, \",\");");
		ln(e, 2, "apic_buf_str(b, entries[i%u].key.ptr, entries[i%u].key.len);", k, k);
		ln(e, 2, "apic_buf_lit(b, \":\");");
		enc_value(e, 2, t->elem, names_fmt(n, "entries[i%u].value", k), true);
		ln(e, 1, "}");
		ln(e, 1, "apic_buf_lit(b, \"}\");");
	} else {
		enc_value(e, 1, t, "body", true);
	}
	ln(e, 1, "return apic_reply_json(ctx, %d);", r->status);
	ln(e, 0, "}");
	ln(e, 0, "%s", "");
}

/* ---- reply checks (--strict-responses) -------------------------------------------- */

/* The table of an operation's responses is read from the emitted document
 * itself, so the server holds replies to exactly what it publishes (the
 * runtime's own errors there included). An application/json body is
 * checked by the declared type's checker and, where the document's schema
 * refers to the API's error model, by that model's. */

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* `schema` is the $ref `ref` or has it among its anyOf/oneOf branches. */
static bool schema_refers(json_object *schema, const char *ref)
{
	json_object *r = jget(schema, "$ref");
	if (r && strcmp(json_object_get_string(r), ref) == 0)
		return true;
	static const char *const alts[] = { "anyOf", "oneOf" };
	for (size_t k = 0; k < 2; k++) {
		json_object *a = jget(schema, alts[k]);
		for (size_t i = 0; a && json_object_is_type(a, json_type_array) && i < json_object_array_length(a); i++)
			if (schema_refers(json_object_array_get_idx(a, i), ref))
				return true;
	}
	return false;
}

static const struct ast_response *declared_response(const struct ast_op *op, int status)
{
	for (const struct ast_response *r = op->responses; r; r = r->next)
		if (r->status == status)
			return r;
	return NULL;
}

/* The entries of op's response table from the document's operation `o`. */
static void read_replies(struct ec *e, json_object *doc, const struct ast_op *op, json_object *o,
			 struct reply_table *t)
{
	const struct ast_model *em = e->s->service->error_model;
	const char *err_ref = em ? names_fmt(e->n, "#/components/schemas/%s", em->name) : NULL;
	json_object *responses = jget(o, "responses");
	if (!responses || !json_object_is_type(responses, json_type_object))
		return;
	t->v = calloc((size_t)json_object_object_length(responses) + 1, sizeof *t->v);
	if (!t->v) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	json_object_object_foreach(responses, key, r) {
		if (strlen(key) != 3 || strspn(key, "0123456789") != 3)
			continue; /* "default", "4XX": never emitted */
		json_object *ref = jget(r, "$ref");
		if (ref && strncmp(json_object_get_string(ref), "#/components/responses/", 23) == 0)
			r = jget(jget(jget(doc, "components"), "responses"), json_object_get_string(ref) + 23);
		struct reply_entry *x = &t->v[t->n++];
		x->status = atoi(key);
		const struct ast_response *d = declared_response(op, x->status);
		json_object *content = jget(r, "content");
		if (!content || !json_object_is_type(content, json_type_object))
			continue; /* no body */
		json_object_object_foreach(content, media, mo) {
			if (strcmp(media, "application/problem+json") == 0) {
				x->media |= APIC_MEDIA_PROBLEM;
			} else if (strcmp(media, "application/json") == 0) {
				json_object *schema = jget(mo, "schema");
				x->media |= APIC_MEDIA_JSON;
				if (d && d->type)
					x->typed = d;
				x->error = err_ref && schema_refers(schema, err_ref) &&
					   !(d && d->type && is_model(d->type) && d->type->model == em);
			}
			/* no other media type is emitted */
		}
	}
}

static const char *const method_word[] = { "get", "put", "post", "delete", "patch", "head", "options" };

/* Every operation's table (e->tables, in schema order); none without the
 * document, and then replies are not checked. */
static void read_reply_tables(struct ec *e, const char *openapi)
{
	size_t nops = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		nops++;
	e->tables = calloc(nops + 1, sizeof *e->tables);
	if (!e->tables) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	json_object *doc = openapi ? json_tokener_parse(openapi) : NULL;
	json_object *paths = jget(doc, "paths");
	size_t i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++) {
		json_object *o = jget(jget(paths, op->path), method_word[op->method]);
		json_object *id = jget(o, "operationId");
		if (id && strcmp(json_object_get_string(id), op->id) == 0)
			read_replies(e, doc, op, o, &e->tables[i]);
	}
	json_object_put(doc);
}

static void free_reply_tables(struct ec *e)
{
	size_t i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++)
		free(e->tables[i].v);
	free(e->tables);
}

/* The checker of a typed reply body: its type decoded in the response
 * direction into a scratch value. */
static void emit_reply_check(struct ec *e, const struct ast_op *op, const struct ast_response *r)
{
	struct names *n = e->n;
	const char *stem = reply_stem(n, op, r);
	ln(e, 0, "static int %s(struct apic_ctx *ctx, struct json_object *j)",
	   names_op_fn(n, op, names_fmt(n, "check_%d", r->status)));
	ln(e, 0, "{");
	ln(e, 1, "struct {");
	emit_member(e, 2, r->type, stem, "v");
	ln(e, 1, "} o = { 0 };");
	e->resp = true;
	dec_value(e, 1, r->type, stem, "j", "o.v", true, "NULL");
	e->resp = false;
	ln(e, 1, "(void)o;");
	ln(e, 1, "return 0;");
	ln(e, 0, "}");
	ln(e, 0, "%s", "");
}

static void emit_error_check(struct ec *e)
{
	const struct ast_model *m = e->s->service->error_model;
	struct names *n = e->n;
	ln(e, 0, "static int %s__check_error(struct apic_ctx *ctx, struct json_object *j)", names_prefix(n));
	ln(e, 0, "{");
	ln(e, 1, "struct %s *m = apic_ctx_alloc(ctx, sizeof *m);", names_model(n, m));
	ln(e, 1, "return m ? %s(ctx, j, NULL, m) : -1;", names_model_fn(n, m, "check"));
	ln(e, 0, "}");
	ln(e, 0, "%s", "");
}

/* The operation's table of responses and the checkers of its typed ones. */
static void emit_reply_table(struct ec *e, const struct ast_op *op, const struct reply_table *t)
{
	struct names *n = e->n;
	if (t->n == 0)
		return;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].typed)
			emit_reply_check(e, op, t->v[i].typed);
	ln(e, 0, "static const struct apic_response %s[] = {", names_op_fn(n, op, "responses"));
	for (size_t i = 0; i < t->n; i++) {
		const struct reply_entry *x = &t->v[i];
		const char *check = x->typed ? names_op_fn(n, op, names_fmt(n, "check_%d", x->status)) : NULL;
		const char *err = x->error ? names_fmt(n, "%s__check_error", names_prefix(n)) : NULL;
		const char *media = x->media == (APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM)
			? "APIC_MEDIA_JSON | APIC_MEDIA_PROBLEM"
			: x->media == APIC_MEDIA_JSON ? "APIC_MEDIA_JSON"
			: x->media == APIC_MEDIA_PROBLEM ? "APIC_MEDIA_PROBLEM" : "0";
		ln(e, 1, "{ %d, %s, %s, %s },", x->status, media, check ? check : err ? err : "NULL",
		   check && err ? err : "NULL");
	}
	ln(e, 0, "};");
	ln(e, 0, "%s", "");
}

static void emit_op(struct ec *e, const struct ast_op *op, const struct reply_table *t)
{
	struct names *n = e->n;
	const char *params = names_op_fn(n, op, "params");
	const char *handler = names_op(n, op);
	/* static default arrays of parameters come first (file scope) */
	size_t np = 0;
	for (const struct ast_param *p = op->params; p; p = p->next)
		np++;
	const char **arrays = calloc(np + 1, sizeof *arrays);
	size_t i = 0;
	for (const struct ast_param *p = op->params; p; p = p->next, i++)
		if (p->def)
			default_ok(e, p->type, p->def, false, &arrays[i]);

	ln(e, 0, "static int %s(struct apic_ctx *ctx, struct %s *in)", names_op_fn(n, op, "request"), params);
	ln(e, 0, "{");
	unsigned path_idx = 0;
	i = 0;
	for (const struct ast_segment *sg = op->segments; sg; sg = sg->next) {
		if (!sg->is_param)
			continue;
		const struct ast_param *p = sg->param;
		size_t j = 0;
		for (const struct ast_param *x = op->params; x && x != p; x = x->next)
			j++;
		if (p)
			emit_param(e, op, p, path_idx, arrays[j]);
		path_idx++;
	}
	for (const struct ast_param *p = op->params; p; p = p->next, i++)
		if (p->in != IN_PATH)
			emit_param(e, op, p, 0, arrays[i]);
	if (op->body) {
		ln(e, 1, "struct json_object *body = NULL;");
		ln(e, 1, "if (apic_req_json(ctx, &body)) {");
		if (body_has_flag(op))
			ln(e, 2, "in->has_body = true;");
		dec_value(e, 2, op->body, names_aux(n, params, "body"), "body", "in->body", true, "NULL");
		ln(e, 1, "}");
	} else if (!op->params) {
		ln(e, 1, "(void)ctx;");
		ln(e, 1, "(void)in;");
	}
	ln(e, 1, "return 0;");
	ln(e, 0, "}");
	ln(e, 0, "%s", "");
	free(arrays);

	ln(e, 0, "__attribute__((weak)) int %s(struct apic_ctx *ctx, const struct %s *in)", handler, params);
	ln(e, 0, "{");
	ln(e, 1, "(void)in;");
	ln(e, 1, "return apic_reply_not_implemented(ctx);");
	ln(e, 0, "}");
	ln(e, 0, "%s", "");

	ln(e, 0, "static int %s(struct apic_ctx *ctx)", names_op_fn(n, op, "dispatch"));
	ln(e, 0, "{");
	ln(e, 1, "struct %s *in = apic_ctx_alloc(ctx, sizeof *in);", params);
	ln(e, 1, "if (!in || %s(ctx, in) != 0)", names_op_fn(n, op, "request"));
	ln(e, 2, "return apic_ctx_reply_error(ctx, 500, \"out of memory\");");
	ln(e, 1, "if (apic_violation_count(ctx) != 0)");
	ln(e, 2, "return apic_reply_violations(ctx);");
	ln(e, 1, "return %s(ctx, in);", handler);
	ln(e, 0, "}");
	ln(e, 0, "%s", "");

	for (const struct ast_response *r = op->responses; r; r = r->next)
		emit_reply(e, op, r);
	emit_reply_table(e, op, t);
}

/* ---- the API description -------------------------------------------------------------- */

static const char *method_enum(enum ast_method m)
{
	static const char *const v[] = { "APIC_GET", "APIC_PUT", "APIC_POST", "APIC_DELETE",
					 "APIC_PATCH", "APIC_HEAD", "APIC_OPTIONS" };
	return v[m];
}

/* Containers nested in a body of type t; -1 when unbounded (recursive or
 * open models). */
static int type_depth(const struct ast_type *t, const struct ast_model **stack, int depth)
{
	if (depth > 64)
		return -1;
	switch (t->kind) {
	case TYPE_PRIM:
		return 0;
	case TYPE_ARRAY:
	case TYPE_MAP: {
		int d = type_depth(t->elem, stack, depth);
		return d < 0 ? -1 : d + 1;
	}
	case TYPE_NAMED:
		break;
	}
	if (!t->model)
		return 0;
	if (t->model->open)
		return -1;
	for (int i = 0; i < depth; i++)
		if (stack[i] == t->model)
			return -1;
	stack[depth] = t->model;
	int max = 0;
	for (const struct ast_field *f = t->model->fields; f; f = f->next) {
		if (f->readonly)
			continue;
		int d = type_depth(f->type, stack, depth + 1);
		if (d < 0)
			return -1;
		if (d > max)
			max = d;
	}
	return max + 1;
}

static unsigned json_depth(const struct ast_op *op)
{
	if (!op->body)
		return 0;
	const struct ast_model *stack[66];
	int d = type_depth(op->body, stack, 0);
	/* +1: json-c counts the top level; +1: a container where the schema has
	 * a scalar is reported as a wrong type (422), not as too deep (400). */
	return d < 0 ? 0 : (unsigned)d + 2;
}

static const char *security_name(struct ec *e, const struct ast_security *sec)
{
	return names_fmt(e->n, "%s__security_%s", names_prefix(e->n), names_snake(e->n, sec->name));
}

/* Case-insensitive, then byte order: a total order, so the output does not
 * depend on qsort's handling of equal elements. */
static int header_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int c = strcasecmp(x, y);
	return c ? c : strcmp(x, y);
}

/* X-Request-Id and every declared response header once, sorted: what a
 * browser script may read when CORS is on. */
/* A ", "-separated literal of header names, sorted, each once (any case). */
static const char *header_list(struct ec *e, struct out_buf *names)
{
	struct out_buf b;
	out_init(&b);
	if (names->oom) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	const char **v = (const char **)(void *)names->p;
	size_t nv = names->len / sizeof *v;
	qsort(v, nv, sizeof *v, header_cmp);
	for (size_t i = 0; i < nv; i++)
		if (i == 0 || strcasecmp(v[i], v[i - 1]) != 0)
			out_printf(&b, "%s%s", b.len ? ", " : "", v[i]);
	const char *lit = c_lit(e, b.p, b.len);
	out_free(names);
	out_free(&b);
	return lit;
}

static void add_name(struct out_buf *names, const char *name)
{
	out_put(names, (const char *)&name, sizeof name);
}

/* The default of --cors-expose: X-Request-Id and every declared response header. */
static const char *cors_expose(struct ec *e)
{
	struct out_buf names; /* an array of pointers */
	out_init(&names);
	add_name(&names, "X-Request-Id");
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		for (const struct ast_response *r = op->responses; r; r = r->next)
			for (const struct ast_param *h = r->headers; h; h = h->next)
				add_name(&names, h->name);
	return header_list(e, &names);
}

/* The default of --cors-headers: what a browser must be allowed to send,
 * Authorization, Content-Type, X-Request-Id, every header parameter and
 * every API key sent in a header. */
static const char *cors_headers(struct ec *e)
{
	struct out_buf names;
	out_init(&names);
	add_name(&names, "Authorization");
	add_name(&names, "Content-Type");
	add_name(&names, "X-Request-Id");
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		for (const struct ast_param *p = op->params; p; p = p->next)
			if (p->in == IN_HEADER)
				add_name(&names, p->name);
	for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next)
		if (sec->kind == SEC_APIKEY && sec->in == IN_HEADER)
			add_name(&names, sec->key);
	return header_list(e, &names);
}

static void emit_api(struct ec *e, const char *openapi)
{
	struct names *n = e->n;
	const char *P = names_prefix(n);
	const struct ast_service *svc = e->s->service;
	size_t nsec = 0;
	for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next) {
		static const char *const kind[] = { "APIC_AUTH_BEARER", "APIC_AUTH_APIKEY", "APIC_AUTH_BASIC" };
		bool apikey = sec->kind == SEC_APIKEY;
		ln(e, 0, "static const struct apic_security %s = {", security_name(e, sec));
		ln(e, 1, "%s, %s, %s, %s, %s", c_str(e, sec->name), kind[sec->kind],
		   apikey ? where_enum(sec->in) : "APIC_IN_HEADER",
		   apikey && sec->key ? c_str(e, sec->key) : "NULL",
		   apikey && sec->prefix ? c_str(e, sec->prefix) : "NULL");
		ln(e, 0, "};");
		ln(e, 0, "%s", "");
		nsec++;
	}
	if (nsec) {
		ln(e, 0, "static const struct apic_security *const %s__schemes[] = {", P);
		for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next)
			ln(e, 1, "&%s,", security_name(e, sec));
		ln(e, 0, "};");
		ln(e, 0, "%s", "");
	}
	if (e->s->ops) {
		ln(e, 0, "static const struct apic_route %s__routes[] = {", P);
		size_t i = 0;
		for (const struct ast_op *op = e->s->ops; op; op = op->next, i++) {
			const struct ast_auth *a = &op->eff_auth;
			bool auth = a->set && !a->none && a->scheme;
			const char *body = !op->body ? "APIC_BODY_NONE"
				: op->body_optional ? "APIC_BODY_OPTIONAL" : "APIC_BODY_REQUIRED";
			size_t nreplies = e->tables[i].n;
			ln(e, 1, "{ %s, %s, %s, %s, %s, %" PRIu64 ", %u, %s%s, %s, %s, %zu, %s, %s },",
			   method_enum(op->method), c_str(e, op->path), c_str(e, op->id),
			   names_op_fn(n, op, "dispatch"), body, op->max_body, json_depth(op), auth ? "&" : "",
			   auth ? security_name(e, a->scheme) : "NULL",
			   auth && a->optional ? "true" : "false",
			   nreplies ? names_op_fn(n, op, "responses") : "NULL", nreplies,
			   op->cache_control ? c_str(e, op->cache_control) : "NULL", op->etag ? "true" : "false");
		}
		ln(e, 0, "};");
		ln(e, 0, "%s", "");
	}
	if (e->npats) {
		ln(e, 0, "static struct apic_pattern *const %s__patterns[] = {", P);
		for (size_t i = 0; i < e->npats; i++)
			ln(e, 1, "&%s,", pattern_name(e, i));
		ln(e, 0, "};");
		ln(e, 0, "%s", "");
	}

	/* The OpenAPI text: one struct of char arrays, each initialised by a
	 * literal that fits C11's translation limits, laid out back to back. */
	size_t len = openapi ? strlen(openapi) : 0;
	size_t nchunks = len / EC_CHUNK + 1;
	ln(e, 0, "#if defined(__GNUC__) && !defined(__clang__)");
	ln(e, 0, "#define %s__NONSTRING __attribute__((nonstring))", names_upper_prefix(n));
	ln(e, 0, "#else");
	ln(e, 0, "#define %s__NONSTRING", names_upper_prefix(n));
	ln(e, 0, "#endif");
	ln(e, 0, "static const struct {");
	for (size_t i = 0; i + 1 < nchunks; i++)
		ln(e, 1, "char c%zu[%d] %s__NONSTRING;", i, EC_CHUNK, names_upper_prefix(n));
	ln(e, 1, "char last[%zu];", len - (nchunks - 1) * EC_CHUNK + 1);
	ln(e, 0, "} %s__openapi = {", P);
	for (size_t i = 0; i < nchunks; i++) {
		size_t off = i * EC_CHUNK;
		size_t cl = i + 1 < nchunks ? EC_CHUNK : len - off;
		out_puts(e->b, "\t\"");
		c_escape(e->b, openapi + off, cl);
		out_puts(e->b, "\",\n");
	}
	ln(e, 0, "};");
	ln(e, 0, "_Static_assert(sizeof %s__openapi == %zu, \"the OpenAPI chunks are contiguous\");", P, len + 1);
	ln(e, 0, "%s", "");

	ln(e, 0, "const struct apic_api %s_api = {", P);
	ln(e, 1, "APIC_ABI_VERSION,");
	ln(e, 1, "%s,", c_str(e, svc && svc->title ? svc->title : ""));
	ln(e, 1, "%s,", c_str(e, svc && svc->version ? svc->version : ""));
	ln(e, 1, "%s,", c_str(e, svc && svc->basepath ? svc->basepath : ""));
	if (e->s->ops)
		ln(e, 1, "%s__routes, sizeof %s__routes / sizeof %s__routes[0],", P, P, P);
	else
		ln(e, 1, "NULL, 0,");
	if (nsec)
		ln(e, 1, "%s__schemes, %zu,", P, nsec);
	else
		ln(e, 1, "NULL, 0,");
	if (e->npats)
		ln(e, 1, "%s__patterns, %zu,", P, e->npats);
	else
		ln(e, 1, "NULL, 0,");
	ln(e, 1, "(const char *)&%s__openapi, %zu,", P, len);
	ln(e, 1, "%s,", svc && svc->error_pointer ? c_str(e, svc->error_pointer) : "NULL");
	ln(e, 1, "%s,", cors_expose(e));
	ln(e, 1, "%s,", cors_headers(e));
	ln(e, 0, "};");
}

/* ---- static helpers of NAME.c -------------------------------------------------------- */

static void emit_helpers(struct ec *e)
{
	const char *P = names_prefix(e->n);
	if (e->need_jtype) {
		ln(e, 0, "static const char *%s__jtype(struct json_object *v)", P);
		ln(e, 0, "{");
		ln(e, 1, "switch (json_object_get_type(v)) {");
		ln(e, 1, "case json_type_null: return \"null\";");
		ln(e, 1, "case json_type_boolean: return \"boolean\";");
		ln(e, 1, "case json_type_int:");
		ln(e, 1, "case json_type_double: return \"number\";");
		ln(e, 1, "case json_type_string: return \"string\";");
		ln(e, 1, "case json_type_array: return \"array\";");
		ln(e, 1, "case json_type_object: return \"object\";");
		ln(e, 1, "}");
		ln(e, 1, "return \"value\";");
		ln(e, 0, "}");
		ln(e, 0, "%s", "");
	}
	if (e->need_int) {
		ln(e, 0, "/* A JSON integer: 0; not one (a fraction, another type): 1; beyond int64: 2.");
		ln(e, 0, " * json-c keeps integers up to UINT64_MAX exactly (libapic hands it larger");
		ln(e, 0, " * ones as doubles). The range is INT64_MIN + 1 .. INT64_MAX in every spelling:");
		ln(e, 0, " * the double -2^63 also stands for integers below INT64_MIN. 1.0 is an");
		ln(e, 0, " * integer, as in JSON Schema. */");
		ln(e, 0, "static int %s__int(struct json_object *v, int64_t *out)", P);
		ln(e, 0, "{");
		ln(e, 1, "if (json_object_is_type(v, json_type_int)) {");
		ln(e, 2, "int64_t i = json_object_get_int64(v);");
		ln(e, 2, "if (i == INT64_MIN || (i == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX))");
		ln(e, 3, "return 2;");
		ln(e, 2, "*out = i;");
		ln(e, 2, "return 0;");
		ln(e, 1, "}");
		ln(e, 1, "if (!json_object_is_type(v, json_type_double))");
		ln(e, 2, "return 1;");
		ln(e, 1, "double d = json_object_get_double(v);");
		ln(e, 1, "if (!(d > -0x1p63 && d < 0x1p63))");
		ln(e, 2, "return 2;");
		ln(e, 1, "if (d != (double)(int64_t)d)");
		ln(e, 2, "return 1;");
		ln(e, 1, "*out = (int64_t)d;");
		ln(e, 1, "return 0;");
		ln(e, 0, "}");
		ln(e, 0, "%s", "");
	}
	if (e->need_unique) {
		ln(e, 0, "static void %s__unique(struct apic_ctx *ctx, struct json_object *a, const struct apic_jptr *at)", P);
		ln(e, 0, "{");
		ln(e, 1, "size_t n = json_object_array_length(a);");
		ln(e, 1, "for (size_t i = 1; i < n; i++)");
		ln(e, 2, "for (size_t j = 0; j < i; j++)");
		ln(e, 3, "if (apic_json_equal(json_object_array_get_idx(a, j), json_object_array_get_idx(a, i))) {");
		ln(e, 4, "apic_violation_body(ctx, at, APIC_V_DUPLICATE_ITEMS, \"must not contain duplicates (items %%zu and %%zu are equal)\", j, i);");
		ln(e, 4, "return;");
		ln(e, 3, "}");
		ln(e, 0, "}");
		ln(e, 0, "%s", "");
	}
}

/* ---- files --------------------------------------------------------------------------- */

static void banner(struct ec *e)
{
	ln(e, 0, "/* Generated by apic %s from %s \xE2\x80\x94 do not edit. */", PACKAGE_VERSION,
	   e->o->schema_path);
}

static void emit_header(struct ec *e)
{
	struct names *n = e->n;
	const char *guard = names_fmt(n, "%s_H", names_upper_prefix(n));
	banner(e);
	ln(e, 0, "#ifndef %s", guard);
	ln(e, 0, "#define %s", guard);
	ln(e, 0, "%s", "");
	ln(e, 0, "#include <apic_gen.h>");
	ln(e, 0, "%s", "");
	ln(e, 0, "#include <stdbool.h>");
	ln(e, 0, "#include <stddef.h>");
	ln(e, 0, "#include <stdint.h>");
	ln(e, 0, "%s", "");
	ln(e, 0, "#ifdef __cplusplus");
	ln(e, 0, "extern \"C\" {");
	ln(e, 0, "#endif");
	ln(e, 0, "%s", "");
	for (const struct ast_enum *en = e->s->enums; en; en = en->next) {
		ln(e, 0, "enum %s {", names_enum(n, en));
		ln(e, 1, "%s = 0,", names_enum_unset(n, en));
		unsigned v = 1;
		for (const struct ast_enum_member *m = en->members; m; m = m->next)
			ln(e, 1, "%s = %u,", names_enum_const(n, en, m), v++);
		ln(e, 0, "};");
		ln(e, 0, "%s", "");
	}
	for (const struct ast_model *m = e->s->models; m; m = m->next)
		ln(e, 0, "struct %s;", names_model(n, m));
	if (e->s->models)
		ln(e, 0, "%s", "");
	for (const struct ast_model *m = e->s->models; m; m = m->next) {
		for (const struct ast_field *f = m->fields; f; f = f->next)
			emit_aux_types(e, f->type, names_field_stem(n, m, f), true);
		ln(e, 0, "struct %s {", names_model(n, m));
		for (const struct ast_field *f = m->fields; f; f = f->next) {
			const char *mem = names_field(n, f);
			emit_member(e, 1, f->type, names_field_stem(n, m, f), mem);
			if (f->optional && !is_model(f->type))
				ln(e, 1, "bool has_%s;", mem);
			if (f->nullable)
				ln(e, 1, "bool %s_is_null;", mem);
		}
		if (!m->fields)
			ln(e, 1, "char unused; /* no fields: C forbids an empty struct */");
		ln(e, 0, "};");
		ln(e, 0, "%s", "");
	}
	emit_owning_decls(e->b, n, e->s);
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		emit_params_struct(e, op);
	for (const struct ast_op *op = e->s->ops; op; op = op->next) {
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			if (r->type && (r->type->kind == TYPE_ARRAY || r->type->kind == TYPE_MAP))
				emit_aux_types(e, r->type, reply_stem(n, op, r), true);
			if (r->headers) {
				emit_reply_headers_struct(e, op, r);
				ln(e, 0, "%s", "");
			}
		}
		ln(e, 0, "/* %s %s */", method_enum(op->method) + 5, names_fmt(n, "%s", op->path));
		ln(e, 0, "int %s(struct apic_ctx *ctx, const struct %s *in);", names_op(n, op),
		   names_op_fn(n, op, "params"));
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			emit_c_reply_proto(e->b, n, op, r);
			ln(e, 0, ";");
		}
		ln(e, 0, "%s", "");
	}
	ln(e, 0, "extern const struct apic_api %s_api;", names_prefix(n));
	ln(e, 0, "%s", "");
	ln(e, 0, "#ifdef __cplusplus");
	ln(e, 0, "}");
	ln(e, 0, "#endif");
	ln(e, 0, "#endif");
}

static void emit_source(struct ec *e, const char *openapi)
{
	struct names *n = e->n;
	/* The body is generated first: it decides which helpers and patterns exist. */
	struct out_buf body;
	out_init(&body);
	struct out_buf *file = e->b;
	e->b = &body;
	emit_owning_defs(e->b, n, e->s);
	size_t i = 0;
	for (const struct ast_enum *en = e->s->enums; en; en = en->next, i++)
		emit_enum_fns(e, en, i);
	i = 0;
	for (const struct ast_model *m = e->s->models; m; m = m->next, i++) {
		if (e->dec_model[i])
			ln(e, 0, "static int %s(struct apic_ctx *ctx, struct json_object *j, const struct apic_jptr *at, struct %s *out);",
			   names_model_fn(n, m, "decode"), names_model(n, m));
		if (e->chk_model[i])
			ln(e, 0, "static int %s(struct apic_ctx *ctx, struct json_object *j, const struct apic_jptr *at, struct %s *out);",
			   names_model_fn(n, m, "check"), names_model(n, m));
		if (e->enc_model[i])
			ln(e, 0, "static void %s(struct apic_buf *b, const struct %s *v);",
			   names_model_fn(n, m, "encode"), names_model(n, m));
	}
	ln(e, 0, "%s", "");
	i = 0;
	for (const struct ast_model *m = e->s->models; m; m = m->next, i++)
		if (e->dec_model[i])
			emit_model_decoder(e, m);
	e->resp = true;
	i = 0;
	for (const struct ast_model *m = e->s->models; m; m = m->next, i++)
		if (e->chk_model[i])
			emit_model_decoder(e, m);
	e->resp = false;
	if (e->need_error_check)
		emit_error_check(e);
	i = 0;
	for (const struct ast_model *m = e->s->models; m; m = m->next, i++)
		if (e->enc_model[i])
			emit_model_encoder(e, m);
	i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++)
		emit_op(e, op, &e->tables[i]);
	emit_api(e, openapi);

	e->b = file;
	banner(e);
	ln(e, 0, "#include \"%s.h\"", e->o->name);
	ln(e, 0, "%s", "");
	ln(e, 0, "#include <json-c/json.h>");
	ln(e, 0, "#include <inttypes.h>");
	ln(e, 0, "#include <math.h>");
	ln(e, 0, "#include <stdint.h>");
	ln(e, 0, "#include <stdlib.h>");
	ln(e, 0, "#include <string.h>");
	ln(e, 0, "%s", "");
	for (size_t p = 0; p < e->npats; p++)
		ln(e, 0, "static struct apic_pattern %s = { %s, NULL };", pattern_name(e, p),
		   c_str(e, e->pats[p]));
	if (e->npats)
		ln(e, 0, "%s", "");
	emit_helpers(e);
	out_put(e->b, body.p ? body.p : "", body.len);
	out_free(&body);
}

/* ---- entry point ----------------------------------------------------------------------- */

static int write_file(struct ec *e, const char *fname, const struct out_buf *b)
{
	if (b->oom) {
		diag_fatal(e->d, "out of memory while generating %s", fname);
		return -1;
	}
	char *path = out_path(e->o->outdir, fname);
	if (!path) {
		diag_fatal(e->d, "out of memory");
		return -1;
	}
	int rc = 0;
	if (out_write_if_changed(path, b->p ? b->p : "", b->len) == OUT_ERROR) {
		diag_fatal(e->d, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

/* mkdir -p: the output directory may not exist yet (a fresh build tree). */
static int make_dirs(const char *dir)
{
	char *p = strdup(dir);
	if (!p)
		return -1;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return 0;
}

/* Make syntax: spaces and '#' escaped with a backslash, '$' doubled. */
static void dep_path(struct out_buf *b, const char *p)
{
	for (; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == '\\')
			out_put(b, "\\", 1);
		else if (*p == '$')
			out_put(b, "$", 1);
		out_put(b, p, 1);
	}
}

static int write_depfile(struct ec *e)
{
	struct out_buf b;
	out_init(&b);
	static const char *const suffix[] = { ".h", ".c", ".openapi.json" };
	for (int i = 0; i < 3; i++) {
		char *fname = NULL;
		if (asprintf(&fname, "%s%s", e->o->name, suffix[i]) < 0) {
			diag_fatal(e->d, "out of memory");
			out_free(&b);
			return -1;
		}
		char *path = out_path(e->o->outdir, fname);
		free(fname);
		if (i)
			out_put(&b, " ", 1);
		dep_path(&b, path ? path : "");
		free(path);
	}
	out_put(&b, ":", 1);
	for (size_t i = 0; i < e->o->ndeps; i++) {
		out_put(&b, " ", 1);
		dep_path(&b, e->o->deps[i]);
	}
	out_put(&b, "\n", 1);
	int rc = 0;
	if (b.oom || out_write_if_changed(e->o->depfile, b.p, b.len) == OUT_ERROR) {
		diag_fatal(e->d, "cannot write %s: %s", e->o->depfile, b.oom ? "out of memory" : strerror(errno));
		rc = -1;
	}
	out_free(&b);
	return rc;
}

int emit_c(const struct ast_schema *s, const struct emit_opts *opts,
	   const char *openapi, struct diag_ctx *d)
{
	if (!s->service) {
		diag_fatal(d, "the schema declares no service");
		return -1;
	}
	struct names *n = names_new(opts->name);
	/* diag_error_count: names' warnings count as errors under --Werror */
	if (names_check(n, s, d) != 0 || diag_error_count(d) != 0) {
		names_free(n);
		return -1;
	}
	struct ec e = { .s = s, .o = opts, .n = n, .d = d };
	e.dec_model = calloc(s->nmodels + 1, sizeof *e.dec_model);
	e.enc_model = calloc(s->nmodels + 1, sizeof *e.enc_model);
	e.dec_enum = calloc(s->nenums + 1, sizeof *e.dec_enum);
	e.enc_enum = calloc(s->nenums + 1, sizeof *e.enc_enum);
	e.hdr_enum = calloc(s->nenums + 1, sizeof *e.hdr_enum);
	e.chk_model = calloc(s->nmodels + 1, sizeof *e.chk_model);
	e.chk_enum = calloc(s->nenums + 1, sizeof *e.chk_enum);
	if (!e.dec_model || !e.enc_model || !e.dec_enum || !e.enc_enum || !e.hdr_enum ||
	    !e.chk_model || !e.chk_enum) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		mark(&e, op->body, true);
		for (const struct ast_param *p = op->params; p; p = p->next)
			mark(&e, p->type, true);
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			mark(&e, r->type, false);
			mark_in(&e, r->type, false, e.chk_model, e.chk_enum);
			for (const struct ast_param *h = r->headers; h; h = h->next)
				if (is_enum(h->type))
					e.hdr_enum[enum_index(&e, h->type->enm)] = true;
		}
	}
	read_reply_tables(&e, openapi);
	size_t k = 0;
	for (const struct ast_op *op = s->ops; op; op = op->next, k++)
		for (size_t i = 0; i < e.tables[k].n; i++)
			e.need_error_check |= e.tables[k].v[i].error;
	if (e.need_error_check)
		mark_in(&e, &(struct ast_type){ .kind = TYPE_NAMED, .model = s->service->error_model },
			false, e.chk_model, e.chk_enum);
	struct out_buf h, c;
	out_init(&h);
	out_init(&c);
	e.b = &h;
	emit_header(&e);
	e.b = &c;
	emit_source(&e, openapi);
	int rc = e.failed ? -1 : 0;
	const char *base = opts->name;
	if (!rc && opts->outdir && *opts->outdir && make_dirs(opts->outdir) != 0) {
		diag_fatal(d, "cannot create directory %s: %s", opts->outdir, strerror(errno));
		rc = -1;
	}
	if (!rc)
		rc = write_file(&e, names_fmt(n, "%s.h", base), &h);
	if (!rc)
		rc = write_file(&e, names_fmt(n, "%s.c", base), &c);
	if (!rc && openapi) {
		struct out_buf j = { (char *)openapi, strlen(openapi), 0, false };
		rc = write_file(&e, names_fmt(n, "%s.openapi.json", base), &j);
	}
	if (!rc)
		rc = emit_stubs(s, opts, n, d);
	if (!rc && opts->depfile)
		rc = write_depfile(&e);
	out_free(&h);
	out_free(&c);
	free(e.pats);
	free(e.dec_model);
	free(e.enc_model);
	free(e.dec_enum);
	free(e.enc_enum);
	free(e.hdr_enum);
	free(e.chk_model);
	free(e.chk_enum);
	free_reply_tables(&e);
	names_free(n);
	/* The caller prints diagnostics only when emitting fails: show the
	 * warnings of a successful run here. */
	if (!rc)
		diag_flush(d);
	return rc;
}
