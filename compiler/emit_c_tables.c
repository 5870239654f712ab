/* The descriptor tables of NAME.c (apic_gen.h, "type descriptors"): one
 * struct apic_type per distinct level of a type, one field table per
 * model, one name table per enum, one parameter table per operation. The
 * decoder, checker and encoder that read them live in libapic, so the
 * generated code grows with the schema by a small constant.
 *
 * Type descriptors are shared: two levels with the same layout and
 * constraints are one table entry (found by their initializer text). */
#include "emit_c_int.h"

#include "arena.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- indexes ------------------------------------------------------------------ */

size_t ec_enum_index(const struct ec *e, const struct ast_enum *en)
{
	return (size_t)(uintptr_t)strmap_get(e->enum_ids, en->name) - 1;
}

void ec_index_schema(struct ec *e)
{
	e->arena = arena_new();
	e->enum_ids = strmap_new(e->arena);
	size_t i = 0;
	for (const struct ast_enum *en = e->s->enums; en; en = en->next)
		strmap_put(e->enum_ids, en->name, (void *)(uintptr_t)++i);
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		for (const struct ast_response *r = op->responses; r; r = r->next)
			for (const struct ast_param *h = r->headers; h; h = h->next)
				if (c_is_enum(h->type))
					e->hdr_enum[ec_enum_index(e, h->type->enm)] = true;
}

/* Type descriptors are static: each unit has its own. */
void ec_begin_unit(struct ec *e, unsigned unit)
{
	e->unit = unit;
	e->types = strmap_new(e->arena);
}

/* ---- patterns ---------------------------------------------------------------- */

static size_t pattern_index(struct ec *e, const char *src)
{
	for (size_t i = 0; i < e->npats; i++)
		if (!strcmp(e->pats[i], src))
			return i;
	if (e->npats == e->cappats) {
		e->cappats = e->cappats ? 2 * e->cappats : 8;
		e->pats = realloc(e->pats, e->cappats * sizeof *e->pats);
		e->pat_unit = realloc(e->pat_unit, e->cappats * sizeof *e->pat_unit);
		if (!e->pats || !e->pat_unit) {
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

/* ---- enums ------------------------------------------------------------------- */

static const char *enum_desc(struct ec *e, const struct ast_enum *en)
{
	return names_enum_fn(e->n, en, "desc");
}

/* The member names and the descriptor (public, NAME.h: __name and __parse
 * read it). */
void ec_enum_tables(struct ec *e, const struct ast_enum *en)
{
	struct names *n = e->n;
	struct out_buf list;
	out_init(&list);
	ec_ln(e, 0, "static const struct apic_str %s[] = {", names_enum_fn(n, en, "names"));
	for (const struct ast_enum_member *m = en->members; m; m = m->next) {
		ec_ln(e, 1, "{ %s, %s },", ec_str(e, m->name), names_uint(n, strlen(m->name)));
		out_printf(&list, "%s%s", m == en->members ? "" : ", ", m->name);
	}
	ec_ln(e, 0, "};");
	ec_ln(e, 0, "const struct apic_enum_desc %s = { %s, %zu, %s };", enum_desc(e, en),
	      names_enum_fn(n, en, "names"), en->nmembers, ec_lit(e, list.p ? list.p : "", list.len));
	out_free(&list);
	ec_ln(e, 0, "_Static_assert(sizeof(enum %s) == sizeof(int), \"enums are stored as int\");",
	      names_enum(n, en));
	ec_ln(e, 0, "%s", "");
}

/* ---- type descriptors ---------------------------------------------------------- */

static const char *format_enum(enum ast_format f)
{
	switch (f) {
	case FMT_EMAIL: return "APIC_FMT_EMAIL";
	case FMT_UUID: return "APIC_FMT_UUID";
	case FMT_DATE: return "APIC_FMT_DATE";
	case FMT_DATE_TIME: return "APIC_FMT_DATE_TIME";
	case FMT_URI: return "APIC_FMT_URI";
	case FMT_IPV4: return "APIC_FMT_IPV4";
	case FMT_IPV6: return "APIC_FMT_IPV6";
	case FMT_HOSTNAME: return "APIC_FMT_HOSTNAME";
	case FMT_URI_REFERENCE: return "APIC_FMT_URI_REFERENCE";
	case FMT_NONE:
	case FMT_PASSWORD:
	case FMT_BINARY: break;
	}
	return NULL;
}

static const char *model_desc(struct ec *e, const struct ast_model *m)
{
	return names_model_fn(e->n, m, "model");
}

/* Appends " | FLAG" or "FLAG" to the flags text. */
static void flag(struct out_buf *f, const char *name)
{
	out_printf(f, "%s%s", f->len ? " | " : "", name);
}

static void bounds(struct ec *e, struct out_buf *init, struct out_buf *f,
		   const struct ast_constraints *c, bool integer)
{
	const struct ast_bound *b[2] = { &c->min, &c->max };
	static const char *const word[2] = { "min", "max" };
	static const char *const up[2] = { "MIN", "MAX" };
	for (int k = 0; k < 2; k++) {
		if (!b[k]->set)
			continue;
		flag(f, names_fmt(e->n, "APIC_T_%s", up[k]));
		if (b[k]->exclusive)
			flag(f, names_fmt(e->n, "APIC_T_X%s", up[k]));
		if (integer && b[k]->num.is_int) {
			flag(f, names_fmt(e->n, "APIC_T_%s_INT", up[k]));
			out_printf(init, ", .i%s = %s", word[k], ec_i64(e, b[k]->num.i));
		} else {
			out_printf(init, ", .d%s = %s", word[k], ec_double(e, b[k]->num.d));
		}
		out_printf(init, ", .%s_text = %s", word[k], ec_str(e, b[k]->num.text ? b[k]->num.text : "?"));
	}
}

static void counts(struct out_buf *init, struct out_buf *f, const struct ast_count *min,
		   const struct ast_count *max)
{
	if (min->set && min->n > 0) {
		flag(f, "APIC_T_NMIN");
		out_printf(init, ", .nmin = %" PRIu64 "u", min->n);
	}
	if (max->set) {
		flag(f, "APIC_T_NMAX");
		out_printf(init, ", .nmax = %" PRIu64 "u", max->n);
	}
}

static bool is_seq(const struct ast_type *t)
{
	return t->kind == TYPE_ARRAY || t->kind == TYPE_MAP;
}

/* The initializer of t's descriptor, after defining what it refers to. */
static const char *type_text(struct ec *e, const struct ast_type *t, const char *stem, bool top, bool by_value)
{
	struct names *n = e->n;
	struct out_buf init, f;
	out_init(&init);
	out_init(&f);
	const char *kind = "APIC_K_STRING", *size = "sizeof(struct apic_str)";
	switch (t->kind) {
	case TYPE_PRIM:
		switch (t->prim) {
		case PRIM_STRING: {
			counts(&init, &f, &t->c.minlen, &t->c.maxlen);
			if (t->c.pattern) {
				size_t k = pattern_index(e, t->c.pattern);
				e->pat_unit[k] = e->unit;
				out_printf(&init, ", .pattern = &%s", ec_pattern_name(e, k));
			}
			const char *fmt = format_enum(t->c.format);
			if (fmt) {
				flag(&f, "APIC_T_FORMAT");
				out_printf(&init, ", .format = %s", fmt);
			}
			break;
		}
		case PRIM_BOOL: kind = "APIC_K_BOOL"; size = "sizeof(bool)"; break;
		case PRIM_INT32: kind = "APIC_K_INT32"; size = "sizeof(int32_t)"; break;
		case PRIM_INT64: kind = "APIC_K_INT64"; size = "sizeof(int64_t)"; break;
		case PRIM_NUMBER: kind = "APIC_K_NUMBER"; size = "sizeof(double)"; break;
		}
		if (t->prim != PRIM_STRING)
			bounds(e, &init, &f, &t->c, t->prim == PRIM_INT32 || t->prim == PRIM_INT64);
		break;
	case TYPE_NAMED:
		if (t->uni) {
			kind = "APIC_K_UNION";
			size = names_fmt(n, "sizeof(struct %s)", c_union(n, t->uni));
			out_printf(&init, ", .uni = &%s", ec_union_desc(e, t->uni));
		} else if (t->model) {
			kind = by_value ? "APIC_K_MODEL_VALUE" : "APIC_K_MODEL";
			size = by_value ? names_fmt(n, "sizeof(struct %s)", names_model(n, t->model))
					: "sizeof(void *)";
			out_printf(&init, ", .model = &%s", model_desc(e, t->model));
		} else {
			kind = "APIC_K_ENUM";
			size = names_fmt(n, "sizeof(enum %s)", names_enum(n, t->enm));
			out_printf(&init, ", .enm = &%s", enum_desc(e, t->enm));
		}
		break;
	case TYPE_ARRAY: {
		kind = "APIC_K_ARRAY";
		const char *item = ec_type(e, t->elem, names_aux(n, stem, "item"), false, false);
		counts(&init, &f, &t->c.minitems, &t->c.maxitems);
		if (t->c.unique)
			flag(&f, "APIC_T_UNIQUE");
		out_printf(&init, ", .elem = &%s", item);
		break;
	}
	case TYPE_MAP: {
		kind = "APIC_K_MAP";
		const char *entry = names_aux(n, stem, "entry");
		const char *value = ec_type(e, t->elem, names_aux(n, stem, "value"), true, false);
		counts(&init, &f, &t->c.minprops, &t->c.maxprops);
		out_printf(&init, ", .elem = &%s, .entry_size = sizeof(struct %s), .value_off = offsetof(struct %s, value)",
			   value, entry, entry);
		if (is_seq(t->elem))
			out_printf(&init, ", .value_count_off = offsetof(struct %s, value_count)", entry);
		break;
	}
	}
	if (is_seq(t)) {
		/* inline (top) members have no struct of their own */
		size = top ? "0" : names_fmt(n, "sizeof(struct %s)", stem);
		if (!top)
			out_printf(&init, ", .count_off = offsetof(struct %s, count)", stem);
	}
	const char *text = names_fmt(n, "{ .kind = %s, .flags = %s, .size = %s%s }", kind,
				     f.len ? f.p : "0", size, init.p ? init.p : "");
	out_free(&init);
	out_free(&f);
	return text;
}

const char *ec_type(struct ec *e, const struct ast_type *t, const char *stem, bool top, bool by_value)
{
	const char *text = type_text(e, t, stem, top, by_value);
	const char *name = strmap_get(e->types, text);
	if (!name) {
		struct names *n = e->n;
		name = names_fmt(n, "%s__t%u", names_prefix(n), e->ntypes++);
		strmap_put(e->types, text, (void *)name);
		ec_ln(e, 0, "static const struct apic_type %s = %s;", name, text);
	}
	return name;
}

void ec_type_export(struct ec *e, const struct ast_type *t, const char *stem, bool top, bool by_value,
		    const char *name)
{
	ec_ln(e, 0, "const struct apic_type %s = %s;", name, type_text(e, t, stem, top, by_value));
}

/* ---- defaults ------------------------------------------------------------------ */

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

/* A C expression of scalar default `v` for type t (an item of a static
 * array), or NULL when the C emitter cannot express it. */
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

/* The struct apic_default of `v` for type t, after the static array an
 * array default needs; NULL (reported at the value) when the C code cannot
 * express it. */
const char *ec_default(struct ec *e, const struct ast_type *t, const struct ast_value *v, bool nullable)
{
	struct names *n = e->n;
	const char *init = NULL;
	if (v->kind == VAL_NULL && nullable) {
		init = "{ .null = true }";
	} else if (t->kind == TYPE_ARRAY && v->kind == VAL_ARRAY) {
		size_t count = 0;
		for (const struct ast_value *x = v->items; x; x = x->next, count++)
			if (!scalar_default(e, t->elem, x))
				goto bad;
		if (count == 0) {
			init = "{ .count = 0 }";
		} else {
			const char *items = names_fmt(n, "%s__default_%u", names_prefix(n), e->ndefaults++);
			ec_ln(e, 0, "static const %s %s[] = {", emit_c_type(n, t->elem, "?"), items);
			for (const struct ast_value *x = v->items; x; x = x->next)
				ec_ln(e, 1, "%s,", scalar_default(e, t->elem, x));
			ec_ln(e, 0, "};");
			init = names_fmt(n, "{ .items = %s, .count = %zu }", items, count);
		}
	} else {
		const char *x = scalar_default(e, t, v);
		if (!x)
			goto bad;
		if (c_is_enum(t) || (t->kind == TYPE_PRIM && t->prim != PRIM_NUMBER && t->prim != PRIM_STRING))
			init = names_fmt(n, "{ .i = %s }", x);
		else if (t->prim == PRIM_NUMBER)
			init = names_fmt(n, "{ .d = %s }", x);
		else
			init = names_fmt(n, "{ .s = %s }", x);
	}
	const char *name = names_fmt(n, "%s__d%u", names_prefix(n), e->ndefaults++);
	ec_ln(e, 0, "static const struct apic_default %s = %s;", name, init);
	return name;
bad:
	diag_error(e->d, v->loc, "this default cannot be expressed in the generated C code");
	e->failed = true;
	return NULL;
}

/* ---- models -------------------------------------------------------------------- */

/* NAME.h: the descriptors of every model and enum (libapic reads them;
 * apic_encode() takes them too). */
void ec_desc_decls(struct ec *e)
{
	for (const struct ast_enum *en = e->s->enums; en; en = en->next)
		ec_ln(e, 0, "extern const struct apic_enum_desc %s;", enum_desc(e, en));
	for (const struct ast_model *m = e->s->models; m; m = m->next)
		ec_ln(e, 0, "extern const struct apic_model %s;", model_desc(e, m));
	for (const struct ast_union *u = e->s->unions; u; u = u->next)
		ec_ln(e, 0, "extern const struct apic_union_desc %s;", ec_union_desc(e, u));
	if (e->s->enums || e->s->models || e->s->unions)
		ec_ln(e, 0, "%s", "");
}

/* The field table of a model, after the types and defaults it uses. */
void ec_model_tables(struct ec *e, const struct ast_model *m)
{
	struct names *n = e->n;
	const char *self = names_fmt(n, "struct %s", names_model(n, m));
	struct out_buf rows;
	out_init(&rows);
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		const char *mem = names_field(n, f);
		const char *type = ec_type(e, f->type, names_field_stem(n, m, f), true, false);
		const char *def = f->def && !f->readonly ? ec_default(e, f->type, f->def, f->nullable) : NULL;
		struct out_buf fl;
		out_init(&fl);
		bool has = f->optional && !c_is_model(f->type);
		if (f->optional)
			flag(&fl, "APIC_F_OPTIONAL");
		if (has)
			flag(&fl, "APIC_F_HAS");
		if (f->nullable)
			flag(&fl, "APIC_F_NULLABLE");
		if (f->readonly)
			flag(&fl, "APIC_F_READONLY");
		if (f->writeonly)
			flag(&fl, "APIC_F_WRITEONLY");
		const char *key = ec_json_key(e, f->name);
		out_printf(&rows, "\t{ %s, %s, %s, sizeof %s - 1, %s, offsetof(%s, %s), %s, %s, %s, &%s, %s%s },\n",
			   ec_str(e, f->name), names_uint(n, strlen(f->name)), key, key, fl.len ? fl.p : "0", self, mem,
			   is_seq(f->type) ? names_fmt(n, "offsetof(%s, %s_count)", self, mem) : "0",
			   has ? names_fmt(n, "offsetof(%s, has_%s)", self, mem) : "0",
			   f->nullable ? names_fmt(n, "offsetof(%s, %s_is_null)", self, mem) : "0",
			   type, def ? "&" : "", def ? def : "NULL");
		out_free(&fl);
	}
	const char *fields = "NULL";
	if (m->fields) {
		fields = names_model_fn(n, m, "fields");
		ec_ln(e, 0, "static const struct apic_field %s[] = {", fields);
		out_put(e->b, rows.p, rows.len);
		ec_ln(e, 0, "};");
	}
	out_free(&rows);
	ec_ln(e, 0, "const struct apic_model %s = { %s, sizeof(%s), %s, %zu, %s, %s };", model_desc(e, m),
	      ec_str(e, m->name), self, fields, m->nfields, m->open ? "true" : "false",
	      names_model_fn(n, m, "encode"));
	ec_ln(e, 0, "%s", "");
}

/* ---- requests ------------------------------------------------------------------ */

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

const char *ec_where_enum(enum ast_param_in in)
{
	return where_enum(in);
}

static void param_row(struct ec *e, struct out_buf *rows, const struct ast_op *op,
		      const struct ast_param *p, unsigned path_idx)
{
	struct names *n = e->n;
	const char *params = names_op_fn(n, op, "params");
	const char *self = names_fmt(n, "struct %s", params);
	const char *mem = names_param(n, p);
	if (p->type->kind == TYPE_ARRAY && p->in != IN_QUERY) {
		diag_error(e->d, p->loc, "only query parameters can be arrays");
		e->failed = true;
		return;
	}
	const char *type = ec_type(e, p->type, names_aux(n, params, mem), true, false);
	const char *def = p->def && p->in != IN_PATH ? ec_default(e, p->type, p->def, false) : NULL;
	out_printf(rows, "\t{ %s, %s, %s, %s, offsetof(%s, %s), %s, %s, &%s, %s%s },\n",
		   ec_str(e, p->name), where_enum(p->in),
		   p->optional ? "APIC_F_OPTIONAL | APIC_F_HAS" : "0", names_uint(n, path_idx), self, mem,
		   p->type->kind == TYPE_ARRAY ? names_fmt(n, "offsetof(%s, %s_count)", self, mem) : "0",
		   p->optional ? names_fmt(n, "offsetof(%s, has_%s)", self, mem) : "0",
		   type, def ? "&" : "", def ? def : "NULL");
}

/* P_op__request: the parameter table (path parameters in template order,
 * then the others as declared) and the body. */
void ec_request_table(struct ec *e, const struct ast_op *op)
{
	struct names *n = e->n;
	const char *params = names_op_fn(n, op, "params");
	const char *self = names_fmt(n, "struct %s", params);
	struct out_buf rows;
	out_init(&rows);
	size_t np = 0;
	unsigned path_idx = 0;
	for (const struct ast_segment *sg = op->segments; sg; sg = sg->next) {
		if (!sg->is_param)
			continue;
		if (sg->param) {
			param_row(e, &rows, op, sg->param, path_idx);
			np++;
		}
		path_idx++;
	}
	for (const struct ast_param *p = op->params; p; p = p->next)
		if (p->in != IN_PATH) {
			param_row(e, &rows, op, p, 0);
			np++;
		}
	const char *body = op->body ? ec_type(e, op->body, names_aux(n, params, "body"), true, false) : NULL;
	const char *table = "NULL";
	if (np) {
		table = names_op_fn(n, op, "in");
		ec_ln(e, 0, "static const struct apic_param %s[] = {", table);
		out_put(e->b, rows.p, rows.len);
		ec_ln(e, 0, "};");
	}
	out_free(&rows);
	if (body)
		ec_ln(e, 0, "%sconst struct apic_request %s = { sizeof(%s), %s, %zu, &%s, offsetof(%s, body), %s, %s, %s };",
		      e->lk, names_op_fn(n, op, "request"), self, table, np, body, self,
		      is_seq(op->body) ? names_fmt(n, "offsetof(%s, body_count)", self) : "0",
		      ec_body_has_flag(op) ? names_fmt(n, "offsetof(%s, has_body)", self) : "0",
		      ec_body_has_flag(op) ? "true" : "false");
	else
		ec_ln(e, 0, "%sconst struct apic_request %s = { sizeof(%s), %s, %zu, NULL, 0, 0, 0, false };",
		      e->lk, names_op_fn(n, op, "request"), self, table, np);
}

/* ---- generated encoders -------------------------------------------------------- */
/* Per model a straight-line encoder, the fast path of the table-driven one
 * (measured: a list of 100 small models costs 14% more instructions per
 * request without it). Members that are not scalars or models go through
 * the tables. */

static const char *encoder_name(struct ec *e, const struct ast_model *m)
{
	return names_model_fn(e->n, m, "encode");
}

void ec_encoder_decls(struct ec *e)
{
	for (const struct ast_model *m = e->s->models; m; m = m->next)
		ec_ln(e, 0, "static void %s(struct apic_buf *b, const void *p);", encoder_name(e, m));
	if (e->s->models)
		ec_ln(e, 0, "%s", "");
}

/* The statement writing the value of field f of `v`. */
static void encode_member(struct ec *e, int ind, const struct ast_model *m, const struct ast_field *f,
			  const char *type)
{
	const char *mem = names_field(e->n, f);
	const struct ast_type *t = f->type;
	if (t->kind == TYPE_PRIM) {
		switch (t->prim) {
		case PRIM_STRING: ec_ln(e, ind, "apic_buf_str(b, v->%s.ptr, v->%s.len);", mem, mem); return;
		case PRIM_BOOL: ec_ln(e, ind, "apic_buf_bool(b, v->%s);", mem); return;
		case PRIM_INT32:
		case PRIM_INT64: ec_ln(e, ind, "apic_buf_i64(b, v->%s);", mem); return;
		case PRIM_NUMBER: ec_ln(e, ind, "apic_buf_f64(b, v->%s);", mem); return;
		}
	}
	if (c_is_model(t)) {
		ec_ln(e, ind, "if (v->%s)", mem);
		ec_ln(e, ind + 1, "%s(b, v->%s);", encoder_name(e, t->model), mem);
		ec_ln(e, ind, "else");
		ec_ln(e, ind + 1, "b->oom = true; /* a required object is missing: the reply becomes a 500 */");
	} else if (t->kind == TYPE_ARRAY) {
		ec_ln(e, ind, "apic_encode_items(b, %s.elem, v->%s, v->%s_count);", type, mem, mem);
	} else if (t->kind == TYPE_MAP) {
		ec_ln(e, ind, "apic_encode_entries(b, &%s, v->%s, v->%s_count);", type, mem, mem);
	} else {
		ec_ln(e, ind, "apic_encode(b, &%s, &v->%s);", type, mem);
	}
	(void)m;
}

void ec_model_encoder(struct ec *e, const struct ast_model *m)
{
	struct names *n = e->n;
	/* the descriptors of the members that go through the tables, first */
	const char **types = calloc(m->nfields + 1, sizeof *types);
	if (!types) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	size_t i = 0;
	for (const struct ast_field *f = m->fields; f; f = f->next, i++)
		if (!f->writeonly && f->type->kind != TYPE_PRIM && !c_is_model(f->type))
			types[i] = ec_type(e, f->type, names_field_stem(n, m, f), true, false);
	ec_ln(e, 0, "static void %s(struct apic_buf *b, const void *p)", encoder_name(e, m));
	ec_ln(e, 0, "{");
	ec_ln(e, 1, "const struct %s *v = p;", names_model(n, m));
	/* Whether a member was surely written before each field is known at
	 * generation time until the first optional field: only from there on
	 * does the separator need a run-time variable. */
	enum { NONE_YET, SOME, UNKNOWN } state = NONE_YET;
	bool need_sep = false, any = false;
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		if (f->writeonly)
			continue;
		any = true;
		if (state != SOME && (f->optional || state == UNKNOWN))
			need_sep = true;
		state = f->optional ? (state == SOME ? SOME : UNKNOWN) : SOME;
	}
	if (!any)
		ec_ln(e, 1, "(void)v;");
	if (need_sep)
		ec_ln(e, 1, "char sep = '{';");
	state = NONE_YET;
	i = 0;
	for (const struct ast_field *f = m->fields; f; f = f->next, i++) {
		if (f->writeonly)
			continue;
		const char *mem = names_field(n, f);
		bool model = c_is_model(f->type);
		int ind = 1;
		if (f->optional) {
			const char *set = model ? names_fmt(n, "v->%s", mem) : names_fmt(n, "v->has_%s", mem);
			ec_ln(e, 1, "if (%s%s) {", set, f->nullable ? names_fmt(n, " || v->%s_is_null", mem) : "");
			ind = 2;
		}
		const char *key = ec_json_key(e, f->name);
		if (state == SOME) {
			ec_ln(e, ind, "apic_buf_lit(b, \",\" %s);", key);
		} else if (state == NONE_YET && !f->optional) {
			ec_ln(e, ind, "apic_buf_lit(b, \"{\" %s);", key);
		} else {
			ec_ln(e, ind, "apic_buf_put(b, &sep, 1);");
			ec_ln(e, ind, "sep = ',';");
			ec_ln(e, ind, "apic_buf_lit(b, %s);", key);
		}
		state = f->optional ? (state == SOME ? SOME : UNKNOWN) : SOME;
		if (f->nullable) {
			if (model)
				ec_ln(e, ind, "if (v->%s_is_null || !v->%s) {", mem, mem);
			else
				ec_ln(e, ind, "if (v->%s_is_null) {", mem);
			ec_ln(e, ind + 1, "apic_buf_lit(b, \"null\");");
			ec_ln(e, ind, "} else {");
			encode_member(e, ind + 1, m, f, types[i]);
			ec_ln(e, ind, "}");
		} else {
			encode_member(e, ind, m, f, types[i]);
		}
		if (f->optional)
			ec_ln(e, 1, "}");
	}
	if (!any)
		ec_ln(e, 1, "apic_buf_lit(b, \"{\");");
	else if (state == UNKNOWN) {
		ec_ln(e, 1, "if (sep == '{')");
		ec_ln(e, 2, "apic_buf_lit(b, \"{\");");
	}
	ec_ln(e, 1, "apic_buf_lit(b, \"}\");");
	ec_ln(e, 0, "}");
	ec_ln(e, 0, "%s", "");
	free(types);
}
