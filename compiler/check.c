/* Loading (imports, each file once, cycles) and semantic checks: name
 * resolution, types, constraints, defaults, routes and parameters. Fills
 * the "check:" fields of ast.h. */
#include "check.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "arena.h"
#include "diag.h"
#include "lexer.h"
#include "source.h"
#include "suggest.h"

/* Imports deeper than this are refused (a chain, not a cycle). */
#define CHECK_MAX_IMPORT_DEPTH 64

struct loader {
	struct arena *a;
	struct source_table *src;
	struct diag_ctx *d;
	struct ast_schema *s;
	struct ast_import **import_tail;
	struct ast_model **model_tail;
	struct ast_enum **enum_tail;
	struct ast_security **security_tail;
	struct ast_op **op_tail;
	struct ast_union **union_tail;
	struct strmap *reals;            /* realpath -> file id + 1: each file once */
	uint32_t stack[CHECK_MAX_IMPORT_DEPTH + 1];
	size_t depth;
	uint32_t root;
};

#define APPEND(tail, list) do {                                  \
	if (list) {                                              \
		*(tail) = (list);                                \
		while (*(tail))                                  \
			(tail) = &(*(tail))->next;               \
	}                                                        \
} while (0)

static char *check_join(struct arena *a, const char *from, const char *path)
{
	if (path[0] == '/')
		return arena_strdup(a, path);
	const char *slash = strrchr(from, '/');
	if (!slash)
		return arena_strdup(a, path);
	return arena_printf(a, "%.*s/%s", (int)(slash - from), from, path);
}

static void load_imports(struct loader *L, struct ast_import *im, uint32_t id);

static void load_file(struct loader *L, uint32_t id)
{
	struct source_file *f = src_file(L->src, id);
	if (f->real)
		strmap_put(L->reals, f->real, (void *)(uintptr_t)(id + 1));
	size_t bad = src_first_bad_byte(f->data, f->len);
	if (bad < f->len) {
		struct apic_loc at = { id, (uint32_t)bad, 1 };
		if (f->data[bad] == '\0')
			diag_error(L->d, at, "file contains a NUL byte; a schema is UTF-8 text");
		else
			diag_error(L->d, at, "invalid UTF-8 (byte 0x%02x); a schema is UTF-8 text",
				   (unsigned char)f->data[bad]);
		return;
	}
	struct apic_parse ps = { .arena = L->a, .diag = L->d, .src = L->src, .file = id };
	parse_run(&ps);
	L->stack[L->depth++] = id;
	load_imports(L, ps.decls.imports, id);
	L->depth--;
	APPEND(L->import_tail, ps.decls.imports);
	APPEND(L->model_tail, ps.decls.models);
	APPEND(L->enum_tail, ps.decls.enums);
	APPEND(L->security_tail, ps.decls.securities);
	APPEND(L->op_tail, ps.decls.ops);
	APPEND(L->union_tail, ps.decls.unions);
	L->s->nunions += ps.decls.nunions;
	L->s->nmodels += ps.decls.nmodels;
	L->s->nenums += ps.decls.nenums;
	L->s->nsecurities += ps.decls.nsecurities;
	L->s->nops += ps.decls.nops;
	if (ps.decls.service) {
		if (id != L->root)
			diag_error(L->d, ps.decls.service->loc, "'service' belongs in the root "
				   "schema file, not in an imported one");
		else
			L->s->service = ps.decls.service;
	}
}

static void load_imports(struct loader *L, struct ast_import *im, uint32_t id)
{
	for (; im && !diag_capped(L->d); im = im->next) {
		const char *from = src_file(L->src, id)->path;
		char *path = check_join(L->a, from, im->path);
		struct stat st;
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			/* a directory, a device or a FIFO: never block reading one */
			diag_error(L->d, im->loc, "cannot read imported file '%s': not a regular file",
				   path);
			continue;
		}
		char *real = realpath(path, NULL);
		if (!real) {
			diag_error(L->d, im->loc, "cannot read imported file '%s': %s", path,
				   strerror(errno));
			continue;
		}
		long known = (long)(uintptr_t)strmap_get(L->reals, real) - 1;
		free(real);
		if (known >= 0) {
			im->file = (uint32_t)known;
			for (size_t i = 0; i < L->depth; i++) {
				if (L->stack[i] != (uint32_t)known)
					continue;
				char *chain = arena_strdup(L->a, "");
				for (size_t j = i; j < L->depth; j++)
					chain = arena_printf(L->a, "%s%s -> ", chain,
							     src_file(L->src, L->stack[j])->path);
				diag_error(L->d, im->loc, "import cycle: %s%s", chain,
					   src_file(L->src, (uint32_t)known)->path);
				break;
			}
			continue; /* parsed once */
		}
		if (L->depth >= CHECK_MAX_IMPORT_DEPTH) {
			diag_error(L->d, im->loc, "imports are nested too deeply (the limit is %d)",
				   CHECK_MAX_IMPORT_DEPTH);
			continue;
		}
		uint32_t nid;
		int e = src_load(L->src, path, &nid);
		if (e) {
			diag_error(L->d, im->loc, "cannot read imported file '%s': %s", path,
				   e == EFBIG ? "file too large (the limit is 32 MiB)" : strerror(e));
			continue;
		}
		struct source_file *nf = src_file(L->src, nid);
		nf->has_importer = true;
		nf->importer = im->loc;
		im->file = nid;
		load_file(L, nid);
	}
}

static struct ast_schema *check_load_id(struct arena *a, struct source_table *src,
					struct diag_ctx *d, uint32_t id)
{
	struct loader L = { .a = a, .src = src, .d = d, .root = id, .reals = strmap_new(a) };
	L.s = arena_alloc(a, sizeof *L.s);
	L.import_tail = &L.s->imports;
	L.model_tail = &L.s->models;
	L.enum_tail = &L.s->enums;
	L.security_tail = &L.s->securities;
	L.op_tail = &L.s->ops;
	L.union_tail = &L.s->unions;
	load_file(&L, id);
	return L.s;
}

struct ast_schema *check_load(struct arena *a, struct source_table *src,
			      struct diag_ctx *d, const char *path, int *err)
{
	uint32_t id;
	int e = src_load(src, path, &id);
	if (e) {
		*err = e;
		return NULL;
	}
	return check_load_id(a, src, d, id);
}

struct ast_schema *check_load_mem(struct arena *a, struct source_table *src,
				  struct diag_ctx *d, const char *name,
				  const void *data, size_t len)
{
	return check_load_id(a, src, d, src_add_mem(src, name, data, len));
}

/* ---- checking ---- */

enum sym_kind { SYM_MODEL, SYM_ENUM, SYM_UNION };

struct sym {
	enum sym_kind kind;
	void *p;
	struct apic_loc loc;
	int state;                       /* required-cycle search: 0 new, 1 open, 2 done */
};

struct chk {
	struct arena *a;
	struct source_table *src;
	struct diag_ctx *d;
	struct ast_schema *s;
	struct strmap *types, *secs, *opids, *routes, *scratch, *params;
	struct strmap *field_maps, *member_maps; /* per model/enum name lookups, on demand */
	struct ast_model **work;          /* models to mark used */
	size_t nwork, capwork;
};

static const char *const prim_names[] = { "string", "bool", "int32", "int64", "number" };
static const char *const method_names[] = { "get", "put", "post", "delete", "patch",
					    "head", "options" };
static const char *const in_names[] = { "path", "query", "header", "cookie" };

static bool stop(const struct chk *c)
{
	return diag_capped(c->d);
}

static const char *type_str(struct chk *c, const struct ast_type *t)
{
	switch (t->kind) {
	case TYPE_PRIM: return prim_names[t->prim];
	case TYPE_NAMED: return t->name;
	case TYPE_ARRAY: return arena_printf(c->a, "[%s]", type_str(c, t->elem));
	case TYPE_MAP: return arena_printf(c->a, "map<%s>", type_str(c, t->elem));
	}
	return "?";
}

static void declare(struct chk *c, const char *name, struct apic_loc loc, enum sym_kind k, void *p)
{
	for (size_t i = 0; i < 5; i++)
		if (strcmp(name, prim_names[i]) == 0) {
			diag_error(c->d, loc, "'%s' is a built-in type and cannot be redeclared", name);
			return;
		}
	if (strchr(name, '-')) {
		diag_error(c->d, loc, "'%s' is not a valid %s name (use letters, digits and '_')",
			   name, k == SYM_MODEL ? "model" : k == SYM_ENUM ? "enum" : "union");
		return;
	}
	struct sym *s = arena_alloc(c->a, sizeof *s);
	s->kind = k;
	s->p = p;
	s->loc = loc;
	struct sym *old = strmap_put(c->types, name, s);
	if (old) {
		diag_error(c->d, loc, "redefinition of '%s'", name);
		diag_note(c->d, old->loc, "'%s' was first declared here", name);
	}
}

/* The type names for "did you mean" in a type position. */
static void suggest_types(struct chk *c, struct suggest *sg)
{
	for (size_t i = 0; i < 5; i++)
		suggest_add(sg, prim_names[i]);
	for (struct ast_model *m = c->s->models; m; m = m->next)
		suggest_add(sg, m->name);
	for (struct ast_enum *e = c->s->enums; e; e = e->next)
		suggest_add(sg, e->name);
	for (struct ast_union *u = c->s->unions; u; u = u->next)
		suggest_add(sg, u->name);
}

static void report_unknown(struct chk *c, struct apic_loc loc, const char *what,
			   const char *name, const struct suggest *sg)
{
	const char *best = suggest_result(sg);
	if (best) {
		diag_error(c->d, loc, "unknown %s '%s'; did you mean '%s'?", what, name, best);
		diag_fixit(c->d, best);
	} else
		diag_error(c->d, loc, "unknown %s '%s'", what, name);
}

/* Maps a byte offset in an unescaped string back to its source offset. */
static uint32_t check_src_off(const struct chk *c, struct apic_loc str, size_t target)
{
	const char *s = src_file(c->src, str.file)->data + str.off;
	size_t i = 1, out = 0;
	while (i + 1 < str.len && out < target) {
		if (s[i] == '\\') {
			if (s[i + 1] == 'u') {
				i += 6;
				out += 1; /* approximate: one unit per escape */
			} else {
				i += 2;
				out++;
			}
		} else {
			i++;
			out++;
		}
	}
	return str.off + (uint32_t)(i < str.len ? i : str.len - 1);
}

static pcre2_code *check_regex(struct chk *c, const char *pat, struct apic_loc loc, bool report)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_ALT_BSUX, &err, &off, NULL);
	if (!re && report) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		struct apic_loc at = { loc.file, check_src_off(c, loc, off), 1 };
		diag_error(c->d, at, "invalid pattern: %s", (const char *)msg);
	}
	return re;
}

static bool is_numeric(const struct ast_type *t)
{
	return t->kind == TYPE_PRIM && (t->prim == PRIM_INT32 || t->prim == PRIM_INT64 ||
					t->prim == PRIM_NUMBER);
}

static bool is_int_type(const struct ast_type *t)
{
	return t->kind == TYPE_PRIM && (t->prim == PRIM_INT32 || t->prim == PRIM_INT64);
}

static bool is_string(const struct ast_type *t)
{
	return t->kind == TYPE_PRIM && t->prim == PRIM_STRING;
}

/* An integer literal for an int32/int64 type: reports when it does not fit. */
static bool check_int_range(struct chk *c, const struct ast_number *n, const struct ast_type *t)
{
	bool integral = !strpbrk(n->text, ".eE");
	if (!integral) {
		diag_error(c->d, n->loc, "expected an integer for type '%s', found '%s'",
			   prim_names[t->prim], n->text);
		return false;
	}
	if (!n->is_int || (t->prim == PRIM_INT32 && (n->i < INT32_MIN || n->i > INT32_MAX))) {
		diag_error(c->d, n->loc, "integer literal %s is out of range for %s", n->text,
			   prim_names[t->prim]);
		return false;
	}
	return true;
}

static void check_bound_order(struct chk *c, const struct ast_bound *lo, const struct ast_bound *hi)
{
	if (!lo->set || !hi->set)
		return;
	bool bad;
	if (lo->num.is_int && hi->num.is_int)
		bad = lo->num.i > hi->num.i || (lo->num.i == hi->num.i && (lo->exclusive || hi->exclusive));
	else
		bad = lo->num.d > hi->num.d || (lo->num.d == hi->num.d && (lo->exclusive || hi->exclusive));
	if (bad)
		diag_error(c->d, hi->num.loc, "empty range: minimum %s is %s maximum %s",
			   lo->num.text, lo->num.d == hi->num.d ? "equal to an exclusive" : "greater than the",
			   hi->num.text);
}

static void check_count_order(struct chk *c, const struct ast_count *lo, const struct ast_count *hi,
			      const char *what)
{
	if (lo->set && hi->set && lo->n > hi->n)
		diag_error(c->d, hi->loc, "empty range: minimum %s %" PRIu64 " is greater than "
			   "the maximum %" PRIu64, what, lo->n, hi->n);
}

static void not_applicable(struct chk *c, struct apic_loc loc, const char *con, const struct ast_type *t)
{
	diag_error(c->d, loc, "constraint '%s' does not apply to type '%s'", con, type_str(c, t));
}

static void check_constraints(struct chk *c, struct ast_type *t)
{
	struct ast_constraints *k = &t->c;
	if (t->kind == TYPE_NAMED && !t->model && !t->enm && !t->uni)
		return; /* unknown type: reported already */
	if (k->min.set || k->max.set) {
		if (!is_numeric(t)) {
			if (k->min.set)
				not_applicable(c, k->min.num.loc, k->min.exclusive ? "xmin" : "min", t);
			if (k->max.set)
				not_applicable(c, k->max.num.loc, k->max.exclusive ? "xmax" : "max", t);
		} else {
			bool ok = true;
			if (k->min.set && !isfinite(k->min.num.d)) {
				diag_error(c->d, k->min.num.loc, "number %s is out of range", k->min.num.text);
				ok = false;
			}
			if (k->max.set && !isfinite(k->max.num.d)) {
				diag_error(c->d, k->max.num.loc, "number %s is out of range", k->max.num.text);
				ok = false;
			}
			if (ok && is_int_type(t)) {
				if (k->min.set)
					ok &= check_int_range(c, &k->min.num, t);
				if (k->max.set)
					ok &= check_int_range(c, &k->max.num, t);
			}
			if (ok)
				check_bound_order(c, &k->min, &k->max);
		}
	}
	if (!is_string(t)) {
		if (k->minlen.set)
			not_applicable(c, k->minlen.loc, "minlen", t);
		if (k->maxlen.set && (!k->minlen.set || k->maxlen.loc.off != k->minlen.loc.off))
			not_applicable(c, k->maxlen.loc, "maxlen", t);
		if (k->pattern)
			not_applicable(c, k->pattern_loc, "pattern", t);
		if (k->format != FMT_NONE)
			not_applicable(c, k->format_loc, "format", t);
	} else {
		check_count_order(c, &k->minlen, &k->maxlen, "length");
		if (k->pattern) {
			pcre2_code *re = check_regex(c, k->pattern, k->pattern_loc, true);
			pcre2_code_free(re);
		}
	}
	if (t->kind != TYPE_ARRAY) {
		if (k->minitems.set)
			not_applicable(c, k->minitems.loc, "minitems", t);
		if (k->maxitems.set && (!k->minitems.set || k->maxitems.loc.off != k->minitems.loc.off))
			not_applicable(c, k->maxitems.loc, "maxitems", t);
		if (k->unique)
			not_applicable(c, k->unique_loc, "unique", t);
	} else
		check_count_order(c, &k->minitems, &k->maxitems, "item count");
	if (t->kind != TYPE_MAP) {
		if (k->minprops.set)
			not_applicable(c, k->minprops.loc, "minprops", t);
		if (k->maxprops.set)
			not_applicable(c, k->maxprops.loc, "maxprops", t);
	} else
		check_count_order(c, &k->minprops, &k->maxprops, "property count");
}

/* Resolves names in a type and checks its constraints, level by level. */
static void resolve_type(struct chk *c, struct ast_type *t)
{
	for (; t && !stop(c); t = t->elem) {
		if (t->kind == TYPE_NAMED) {
			struct sym *s = strmap_get(c->types, t->name);
			if (!s) {
				struct suggest sg;
				suggest_init(&sg, t->name);
				suggest_types(c, &sg);
				report_unknown(c, t->loc, "type", t->name, &sg);
			} else if (s->kind == SYM_MODEL)
				t->model = s->p;
			else if (s->kind == SYM_UNION)
				t->uni = s->p;
			else
				t->enm = s->p;
		}
		check_constraints(c, t);
	}
}

static const char *value_kind_str(const struct ast_value *v)
{
	static const char *const n[] = { "null", "boolean", "number", "string", "name",
					 "array", "object" };
	return n[v->kind];
}

static size_t utf8_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

static void check_value(struct chk *c, struct ast_value *v, const struct ast_type *t,
			bool nullable, const char *what);

/* A key equal for equal scalar values (uniqueness of array items), or NULL
 * for values that are not compared (arrays, objects, strings with NUL). */
static const char *value_key(struct chk *c, const struct ast_value *v)
{
	switch (v->kind) {
	case VAL_NULL: return "z";
	case VAL_BOOL: return v->b ? "b1" : "b0";
	case VAL_NUMBER: return arena_printf(c->a, "n%.17g", v->num.d);
	case VAL_STRING:
		return strlen(v->str) == v->len ? arena_printf(c->a, "s%s", v->str) : NULL;
	case VAL_IDENT: return arena_printf(c->a, "s%s", v->str); /* an enum member */
	default: return NULL;
	}
}

static void check_number_bounds(struct chk *c, const struct ast_value *v, const struct ast_type *t,
				const char *what)
{
	const struct ast_bound *lo = &t->c.min, *hi = &t->c.max;
	double d = v->num.d;
	if (lo->set && (d < lo->num.d || (lo->exclusive && d == lo->num.d)))
		diag_error(c->d, v->loc, "%s %s is %s the minimum %s", what, v->num.text,
			   lo->exclusive ? "not above" : "below", lo->num.text);
	if (hi->set && (d > hi->num.d || (hi->exclusive && d == hi->num.d)))
		diag_error(c->d, v->loc, "%s %s is %s the maximum %s", what, v->num.text,
			   hi->exclusive ? "not below" : "above", hi->num.text);
}

static void check_string_value(struct chk *c, const struct ast_value *v, const struct ast_type *t,
			       const char *what)
{
	size_t n = utf8_count(v->str, v->len);
	if (t->c.minlen.set && n < t->c.minlen.n)
		diag_error(c->d, v->loc, "%s is %zu character%s long, shorter than the minimum %" PRIu64,
			   what, n, n == 1 ? "" : "s", t->c.minlen.n);
	if (t->c.maxlen.set && n > t->c.maxlen.n)
		diag_error(c->d, v->loc, "%s is %zu character%s long, longer than the maximum %" PRIu64,
			   what, n, n == 1 ? "" : "s", t->c.maxlen.n);
	if (t->c.pattern) {
		pcre2_code *re = check_regex(c, t->c.pattern, t->c.pattern_loc, false);
		if (re) {
			pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
			int r = pcre2_match(re, (PCRE2_SPTR)v->str, v->len, 0, 0, md, NULL);
			if (r == PCRE2_ERROR_NOMATCH)
				diag_error(c->d, v->loc, "%s does not match the pattern \"%s\"", what,
					   t->c.pattern);
			pcre2_match_data_free(md);
			pcre2_code_free(re);
		}
	}
}

static void check_enum_value(struct chk *c, struct ast_value *v, struct ast_enum *e, const char *what)
{
	if (v->kind != VAL_IDENT && v->kind != VAL_STRING) {
		diag_error(c->d, v->loc, "%s must be a member of enum '%s', found %s", what, e->name,
			   value_kind_str(v));
		return;
	}
	const char *key = arena_printf(c->a, "%p", (void *)e);
	struct strmap *members = strmap_get(c->member_maps, key);
	if (!members) {
		members = strmap_new(c->a);
		for (struct ast_enum_member *m = e->members; m; m = m->next)
			strmap_put(members, m->name, m);
		strmap_put(c->member_maps, key, members);
	}
	v->member = strmap_get(members, v->str);
	if (v->member)
		return;
	struct suggest sg;
	suggest_init(&sg, v->str);
	for (struct ast_enum_member *m = e->members; m; m = m->next)
		suggest_add(&sg, m->name);
	const char *best = suggest_result(&sg);
	if (best) {
		diag_error(c->d, v->loc, "'%s' is not a member of enum '%s'; did you mean '%s'?",
			   v->str, e->name, best);
		diag_fixit(c->d, best);
	} else
		diag_error(c->d, v->loc, "'%s' is not a member of enum '%s'", v->str, e->name);
}

/* The fields of a model by name, built once per model on demand. */
static struct strmap *field_map(struct chk *c, struct ast_model *m)
{
	const char *key = arena_printf(c->a, "%p", (void *)m);
	struct strmap *fm = strmap_get(c->field_maps, key);
	if (!fm) {
		fm = strmap_new(c->a);
		for (struct ast_field *f = m->fields; f; f = f->next)
			strmap_put(fm, f->name, f);
		strmap_put(c->field_maps, key, fm);
	}
	return fm;
}

static void check_object_value(struct chk *c, struct ast_value *v, struct ast_model *m,
			       const char *what)
{
	struct strmap *seen = strmap_new(c->a);
	for (struct ast_value *it = v->items; it && !stop(c); it = it->next) {
		if (strmap_put(seen, it->key, it)) {
			diag_error(c->d, it->loc, "duplicate key '%s'", it->key);
			continue;
		}
		struct ast_field *f = strmap_get(field_map(c, m), it->key);
		if (!f) {
			if (!m->open)
				diag_error(c->d, it->loc, "model '%s' has no field '%s'", m->name, it->key);
			continue;
		}
		check_value(c, it, f->type, f->nullable, what);
	}
	for (struct ast_field *f = m->fields; f && !stop(c); f = f->next)
		if (!f->optional && !strmap_get(seen, f->name))
			diag_error(c->d, v->loc, "%s lacks the required field '%s' of model '%s'",
				   what, f->name, m->name);
}

static void check_value(struct chk *c, struct ast_value *v, const struct ast_type *t,
			bool nullable, const char *what)
{
	if (stop(c) || !t)
		return;
	if (v->kind == VAL_NULL) {
		if (!nullable)
			diag_error(c->d, v->loc, "%s is null, but the type '%s' is not nullable", what,
				   type_str(c, t));
		return;
	}
	if (t->kind == TYPE_NAMED) {
		if (t->enm)
			check_enum_value(c, v, t->enm, what);
		else if (t->model) {
			if (v->kind != VAL_OBJECT)
				diag_error(c->d, v->loc, "%s must be an object for model '%s', found %s",
					   what, t->model->name, value_kind_str(v));
			else
				check_object_value(c, v, t->model, what);
		} else if (t->uni && t->uni->disc) {
			/* the discriminator picks the branch the value must match */
			struct ast_model *m = check_union_pick(t->uni, v);
			if (m)
				check_object_value(c, v, m, what);
			else
				diag_error(c->d, v->loc, "%s must be an object with the property "
					   "'%s' naming a branch of union '%s'", what,
					   t->uni->disc, t->uni->name);
		}
		return;
	}
	if (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP) {
		bool arr = t->kind == TYPE_ARRAY;
		if (v->kind != (arr ? VAL_ARRAY : VAL_OBJECT)) {
			diag_error(c->d, v->loc, "%s must be %s for type '%s', found %s", what,
				   arr ? "an array" : "an object", type_str(c, t), value_kind_str(v));
			return;
		}
		uint64_t n = 0;
		struct strmap *seen = strmap_new(c->a);
		for (struct ast_value *it = v->items; it && !stop(c); it = it->next, n++) {
			check_value(c, it, t->elem, false, what);
			if (arr && t->c.unique) {
				const char *k = value_key(c, it);
				if (k && strmap_put(seen, k, it))
					diag_error(c->d, it->loc, "%s repeats an item, but the "
						   "items must be unique", what);
			}
			if (!arr && strmap_put(seen, it->key, it))
				diag_error(c->d, it->loc, "duplicate key '%s'", it->key);
		}
		const struct ast_count *lo = arr ? &t->c.minitems : &t->c.minprops;
		const struct ast_count *hi = arr ? &t->c.maxitems : &t->c.maxprops;
		if (lo->set && n < lo->n)
			diag_error(c->d, v->loc, "%s has %" PRIu64 " %s, fewer than the minimum %" PRIu64,
				   what, n, arr ? "items" : "properties", lo->n);
		if (hi->set && n > hi->n)
			diag_error(c->d, v->loc, "%s has %" PRIu64 " %s, more than the maximum %" PRIu64,
				   what, n, arr ? "items" : "properties", hi->n);
		return;
	}
	switch (t->prim) {
	case PRIM_STRING:
		if (v->kind != VAL_STRING)
			diag_error(c->d, v->loc, "%s must be a string, found %s", what, value_kind_str(v));
		else
			check_string_value(c, v, t, what);
		break;
	case PRIM_BOOL:
		if (v->kind != VAL_BOOL)
			diag_error(c->d, v->loc, "%s must be true or false, found %s", what,
				   value_kind_str(v));
		break;
	case PRIM_INT32:
	case PRIM_INT64:
	case PRIM_NUMBER:
		if (v->kind != VAL_NUMBER)
			diag_error(c->d, v->loc, "%s must be a number, found %s", what, value_kind_str(v));
		else if ((t->prim == PRIM_NUMBER || check_int_range(c, &v->num, t)) &&
			 isfinite(v->num.d))
			check_number_bounds(c, v, t, what);
		else if (t->prim == PRIM_NUMBER)
			diag_error(c->d, v->loc, "number %s is out of range", v->num.text);
		break;
	}
}

/* Defaults become C initialisers in the generated decoders: scalars, enum
 * members, null and arrays of scalars or enum members can be; an object
 * (a model or a map) cannot. Reported here, whether the model is a request
 * body yet or not, so that a schema that checks clean always generates. */
static void check_default_c(struct chk *c, const struct ast_value *v, const struct ast_type *t)
{
	if (!t || v->kind == VAL_NULL)
		return;
	const struct ast_type *scalar = t->kind == TYPE_ARRAY ? t->elem : t;
	if (scalar->kind == TYPE_PRIM || (scalar->kind == TYPE_NAMED && !scalar->model && !scalar->uni))
		return;
	diag_error(c->d, v->loc, "a default of type '%s' cannot be expressed in the generated C code "
		   "(defaults are scalars, enum members, null or arrays of scalars or enum members)",
		   type_str(c, t));
}

static void check_models(struct chk *c)
{
	for (struct ast_model *m = c->s->models; m && !stop(c); m = m->next) {
		c->scratch = strmap_new(c->a);
		for (struct ast_field *f = m->fields; f && !stop(c); f = f->next) {
			struct ast_field *old = strmap_put(c->scratch, f->name, f);
			if (old && !f->from.len && !old->from.len) { /* else check_spreads said it */
				diag_error(c->d, f->loc, "duplicate field '%s' in model '%s'", f->name,
					   m->name);
				diag_note(c->d, old->loc, "'%s' was first declared here", f->name);
			}
		}
		for (struct ast_field *f = m->fields; f && !stop(c); f = f->next) {
			if (f->from.len)
				continue; /* a spread's copy shares its type: checked in its model */
			resolve_type(c, f->type);
			if (f->readonly && f->writeonly)
				diag_error(c->d, f->loc, "field '%s' cannot be both readonly and writeonly",
					   f->name);
		}
		for (struct ast_field *f = m->fields; f && !stop(c); f = f->next) {
			if (f->from.len)
				continue;
			if (f->def) {
				check_value(c, f->def, f->type, f->nullable, "default");
				check_default_c(c, f->def, f->type);
			}
			if (f->example)
				check_value(c, f->example, f->type, f->nullable, "example");
		}
	}
	for (struct ast_model *m = c->s->models; m && !stop(c); m = m->next)
		if (m->example) {
			struct ast_type t = { .kind = TYPE_NAMED, .name = m->name, .model = m };
			check_value(c, m->example, &t, false, "example");
		}
}

static void check_enums(struct chk *c)
{
	for (struct ast_enum *e = c->s->enums; e && !stop(c); e = e->next) {
		if (!e->members)
			diag_error(c->d, e->loc, "enum '%s' has no members", e->name);
		c->scratch = strmap_new(c->a);
		for (struct ast_enum_member *m = e->members; m; m = m->next) {
			struct ast_enum_member *old = strmap_put(c->scratch, m->name, m);
			if (old) {
				diag_error(c->d, m->loc, "duplicate member '%s' in enum '%s'", m->name,
					   e->name);
				diag_note(c->d, old->loc, "'%s' was first declared here", m->name);
			}
			if (!m->name[0])
				diag_error(c->d, m->loc, "an enum member cannot be empty");
		}
	}
}

static void resolve_auth(struct chk *c, struct ast_auth *a)
{
	if (!a->set || a->none)
		return;
	a->scheme = strmap_get(c->secs, a->name);
	if (a->scheme)
		return;
	struct suggest sg;
	suggest_init(&sg, a->name);
	for (struct ast_security *s = c->s->securities; s; s = s->next)
		suggest_add(&sg, s->name);
	report_unknown(c, a->loc, "security scheme", a->name, &sg);
}

static void check_securities(struct chk *c)
{
	for (struct ast_security *s = c->s->securities; s && !stop(c); s = s->next) {
		struct ast_security *old = strmap_put(c->secs, s->name, s);
		if (old) {
			diag_error(c->d, s->loc, "redefinition of security scheme '%s'", s->name);
			diag_note(c->d, old->loc, "'%s' was first declared here", s->name);
		}
		if (s->kind == SEC_APIKEY && !s->key[0])
			diag_error(c->d, s->loc, "security scheme '%s' names an empty %s", s->name,
				   in_names[s->in]);
	}
}

/* The field of m that the pointer's next token "/name" at *p names (NULL
 * when there is none); *p moves past the token. */
static struct ast_field *pointer_step(struct ast_model *m, const char **p)
{
	const char *e = strchr(*p + 1, '/');
	size_t n = e ? (size_t)(e - *p - 1) : strlen(*p + 1);
	struct ast_field *f = NULL;
	if (m)
		for (f = m->fields; f; f = f->next)
			if (strlen(f->name) == n && memcmp(f->name, *p + 1, n) == 0)
				break;
	*p += n + 1;
	return f;
}

/* `errors MODEL at "/a/b"`: the pointer must lead to an array of strings,
 * and nothing else may be required: the server's error bodies hold the
 * objects along the pointer and the messages at its end, nothing more. */
static void check_error_shape(struct chk *c, struct ast_service *sv)
{
	struct sym *s = strmap_get(c->types, sv->error_model_name);
	if (s && s->kind == SYM_UNION) {
		diag_error(c->d, sv->error_loc, "'%s' is a union; the error shape of 'errors' is a model",
			   sv->error_model_name);
		return;
	}
	if (!s || s->kind != SYM_MODEL) {
		struct suggest sg;
		suggest_init(&sg, sv->error_model_name);
		for (struct ast_model *m = c->s->models; m; m = m->next)
			suggest_add(&sg, m->name);
		report_unknown(c, sv->error_loc, "model", sv->error_model_name, &sg);
		return;
	}
	sv->error_model = s->p;
	const char *p = sv->error_pointer;
	if (p[0] != '/') {
		diag_error(c->d, sv->error_loc, "the error pointer \"%s\" must start with '/'", p);
		return;
	}
	struct ast_model *m = sv->error_model;
	const struct ast_type *t = NULL;
	while (*p == '/') {
		struct ast_field *f = pointer_step(m, &p);
		if (!f) {
			t = NULL;
			break;
		}
		t = f->type;
		m = t->kind == TYPE_NAMED ? t->model : NULL;
	}
	if (!t || t->kind != TYPE_ARRAY || !is_string(t->elem)) {
		diag_error(c->d, sv->error_loc, "the error pointer \"%s\" does not lead to an "
			   "array of strings in model '%s'", sv->error_pointer, sv->error_model->name);
		return;
	}
	p = sv->error_pointer;
	for (m = sv->error_model; *p == '/'; ) {
		struct ast_field *f = pointer_step(m, &p);
		for (struct ast_field *g = m->fields; g; g = g->next) {
			if (g == f || g->optional)
				continue;
			diag_error(c->d, sv->error_loc, "the error bodies at \"%s\" cannot fill the "
				   "required field '%s.%s'", sv->error_pointer, m->name, g->name);
			diag_note(c->d, g->loc, "'%s.%s' is declared here; make it optional ('%s?')",
				  m->name, g->name, g->name);
		}
		m = f->type->kind == TYPE_NAMED ? f->type->model : NULL;
	}
}

static void check_service(struct chk *c)
{
	struct ast_service *sv = c->s->service;
	if (!sv) {
		diag_error(c->d, (struct apic_loc){ 0, 0, 0 }, "missing 'service' declaration "
			   "(service \"Title\" version \"1.0.0\" { })");
		return;
	}
	if (!sv->title[0])
		diag_error(c->d, sv->loc, "the service title is empty");
	if (!sv->version[0])
		diag_error(c->d, sv->loc, "the service version is empty");
	if (sv->basepath && (sv->basepath[0] != '/' ||
			     (strlen(sv->basepath) > 1 && sv->basepath[strlen(sv->basepath) - 1] == '/')))
		diag_error(c->d, sv->basepath_loc, "basepath \"%s\" must start with '/' and not end with it",
			   sv->basepath);
	for (struct ast_server *s = sv->servers; s; s = s->next)
		if (!s->url[0])
			diag_error(c->d, s->loc, "empty server URL");
	resolve_auth(c, &sv->auth);
	if (sv->error_model_name)
		check_error_shape(c, sv);
}

/* Appends `word` in camel case (each alphanumeric run capitalised). `out`
 * has room: the id is never longer than the path plus "By" per segment. */
static char *camel(char *o, const char *word)
{
	bool up = true;
	for (const char *p = word; *p; p++) {
		if (!isalnum((unsigned char)*p)) {
			up = true;
			continue;
		}
		*o++ = up ? (char)toupper((unsigned char)*p) : *p;
		up = false;
	}
	return o;
}

static const char *derive_id(struct chk *c, const struct ast_op *op)
{
	size_t n = strlen(method_names[op->method]) + 1;
	for (const struct ast_segment *s = op->segments; s; s = s->next)
		n += strlen(s->text) + 2;
	char *id = arena_alloc(c->a, n), *o = id;
	o = stpcpy(o, method_names[op->method]);
	for (const struct ast_segment *s = op->segments; s; s = s->next) {
		if (s->is_param)
			o = stpcpy(o, "By");
		o = camel(o, s->text);
	}
	*o = '\0';
	return id;
}

static bool param_type_ok(const struct ast_type *t, bool array_ok)
{
	if (t->kind == TYPE_PRIM || (t->kind == TYPE_NAMED && t->enm))
		return true;
	if (t->kind == TYPE_NAMED && !t->model && !t->uni)
		return true; /* unknown: reported already */
	return array_ok && t->kind == TYPE_ARRAY && param_type_ok(t->elem, false);
}

/* An RFC 9110 token: header and cookie names. */
static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return false;
	return true;
}

static void check_token_name(struct chk *c, const struct ast_param *p, const char *what)
{
	if (p->name[0] && !is_token(p->name))
		diag_error(c->d, p->loc, "'%s' is not a valid %s name (letters, digits and "
			   "!#$%%&'*+-.^_`|~ only)", p->name, what);
}

static char *param_key(struct chk *c, const struct ast_param *p)
{
	char *k = arena_printf(c->a, "%d:%s", (int)p->in, p->name);
	if (p->in == IN_HEADER)
		for (char *q = k; *q; q++)
			*q = (char)tolower((unsigned char)*q);
	return k;
}

static void check_params(struct chk *c, struct ast_op *op)
{
	c->params = strmap_new(c->a);
	for (struct ast_param *p = op->params; p && !stop(c); p = p->next) {
		struct ast_param *old = strmap_put(c->params, param_key(c, p), p);
		if (old) {
			diag_error(c->d, p->loc, "duplicate %s parameter '%s'", in_names[p->in], p->name);
			diag_note(c->d, old->loc, "'%s' was first declared here", old->name);
		}
		if (!p->name[0])
			diag_error(c->d, p->loc, "empty parameter name");
		if (p->in == IN_HEADER || p->in == IN_COOKIE)
			check_token_name(c, p, in_names[p->in]);
		resolve_type(c, p->type);
		if (!param_type_ok(p->type, p->in == IN_QUERY))
			diag_error(c->d, p->type->loc, "a %s parameter must have a primitive or enum "
				   "type%s, not '%s'", in_names[p->in],
				   p->in == IN_QUERY ? " (or an array of one)" : "", type_str(c, p->type));
		else {
			if (p->def) {
				if (p->in == IN_PATH)
					diag_error(c->d, p->def->loc, "a path parameter cannot have a default");
				else
					check_value(c, p->def, p->type, false, "default");
			}
			if (p->example)
				check_value(c, p->example, p->type, false, "example");
		}
	}
	/* every {name} declared, every path parameter in the path */
	struct strmap *in_path = strmap_new(c->a);
	for (struct ast_segment *s = op->segments; s && !stop(c); s = s->next) {
		if (!s->is_param)
			continue;
		if (strmap_put(in_path, s->text, s))
			diag_error(c->d, s->loc, "path parameter '{%s}' appears twice", s->text);
		struct ast_param probe = { .in = IN_PATH, .name = s->text };
		s->param = strmap_get(c->params, param_key(c, &probe));
		if (!s->param) {
			struct suggest sg;
			suggest_init(&sg, s->text);
			for (struct ast_param *p = op->params; p; p = p->next)
				if (p->in == IN_PATH)
					suggest_add(&sg, p->name);
			const char *best = suggest_result(&sg);
			if (best) {
				diag_error(c->d, s->loc, "path parameter '%s' is not declared; did you "
					   "mean '%s'?", s->text, best);
				diag_fixit(c->d, arena_printf(c->a, "{%s}", best));
			} else
				diag_error(c->d, s->loc, "path parameter '%s' is not declared (add "
					   "'path %s: TYPE')", s->text, s->text);
		}
	}
	for (struct ast_param *p = op->params; p && !stop(c); p = p->next) {
		if (p->in != IN_PATH)
			continue;
		if (!strmap_get(in_path, p->name))
			diag_error(c->d, p->loc, "path parameter '%s' does not appear in the path '%s'",
				   p->name, op->path);
	}
}

/* The headers the runtime or libmicrohttpd write on every response. */
static const char *const server_headers[] = {
	"Connection", "Content-Length", "Content-Type", "Date", "Transfer-Encoding", "X-Request-Id",
};

static void check_response_headers(struct chk *c, struct ast_response *r)
{
	struct strmap *seen = strmap_new(c->a);
	for (struct ast_param *h = r->headers; h && !stop(c); h = h->next) {
		char *key = arena_strdup(c->a, h->name);
		for (char *q = key; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		struct ast_param *old = strmap_put(seen, key, h);
		if (old) {
			diag_error(c->d, h->loc, "duplicate response header '%s'", h->name);
			diag_note(c->d, old->loc, "'%s' was first declared here", old->name);
		}
		if (!h->name[0])
			diag_error(c->d, h->loc, "empty header name");
		check_token_name(c, h, "header");
		for (size_t i = 0; i < sizeof server_headers / sizeof *server_headers; i++)
			if (strcasecmp(h->name, server_headers[i]) == 0)
				diag_error(c->d, h->loc, "'%s' is written by the server itself: it cannot "
					   "be declared", h->name);
		resolve_type(c, h->type);
		if (!param_type_ok(h->type, false)) {
			diag_error(c->d, h->type->loc, "a response header must have a primitive or "
				   "enum type, not '%s'", type_str(c, h->type));
			continue;
		}
		if (h->def)
			diag_error(c->d, h->def->loc, "a response header cannot have a default (the "
				   "handler gives its value, or leaves an optional one out)");
		if (h->example)
			check_value(c, h->example, h->type, false, "example");
	}
}


/* An RFC 9110 token: the type and subtype of a media type. */
static bool is_token_range(const char *p, const char *end)
{
	if (p == end)
		return false;
	for (; p < end; p++)
		if (!isalnum((unsigned char)*p) && !strchr("!#$%&'*+-.^_`|~", *p))
			return false;
	return true;
}

/* `-> 200 text as "text/csv" download "r.csv"`: the media type is sent as
 * Content-Type and listed in the document; the download name goes into
 * Content-Disposition, so it must be a plain file name. */
static void check_raw_response(struct chk *c, const struct ast_response *r)
{
	const char *m = r->media, *slash = strchr(m, '/');
	if (r->stream)
		diag_error(c->d, r->media_loc, "the events of a stream are JSON: a stream has no 'as'");
	else if (r->status < 200 || r->status > 299 || r->status == 204)
		diag_error(c->d, r->media_loc, "a raw body is sent by a success reply, 200 to 299 (not 204), "
			   "not by a %d", r->status);
	if (!slash || !is_token_range(m, slash) || !is_token_range(slash + 1, m + strlen(m)))
		diag_error(c->d, r->media_loc, "expected a media type TYPE/SUBTYPE without parameters, "
			   "such as \"text/csv\" or \"image/png\", found \"%s\"", m);
	else if (!strncmp(m, "multipart/", 10) || !strcmp(m, "text/event-stream"))
		diag_error(c->d, r->media_loc, "\"%s\" is not a raw body: use \"application/octet-stream\" "
			   "or a concrete type", m);
	if (!r->download)
		return;
	const unsigned char *d = (const unsigned char *)r->download;
	bool bad = !*d || !strcmp(r->download, ".") || !strcmp(r->download, "..") ||
		   strlen(r->download) > AST_DOWNLOAD_MAX;
	for (; *d && !bad; d++)
		bad = *d < 0x20 || *d == 0x7f || *d == '/' || *d == '\\' || *d == '"';
	if (bad)
		diag_error(c->d, r->download_loc, "a download name is a file name of at most %d bytes: not empty, '.' or '..', "
			   "without '/', '\\', '\"' or control characters", AST_DOWNLOAD_MAX);
}

static void check_responses(struct chk *c, struct ast_op *op)
{
	struct ast_response *seen[600] = { 0 };
	if (!op->responses && !op->ws_in && !op->ws_out)
		diag_error(c->d, op->loc, "operation '%s' declares no response (add '-> 200 TYPE')",
			   op->id);
	for (struct ast_response *r = op->responses; r && !stop(c); r = r->next) {
		if (r->status < 100 || r->status > 599) {
			diag_error(c->d, r->loc, "status %s is not between 100 and 599",
				   src_file(c->src, r->loc.file)->data[r->loc.off] == '-' ? "(negative)" :
				   arena_strndup(c->a, src_file(c->src, r->loc.file)->data + r->loc.off,
						 r->loc.len));
			continue;
		}
		if (seen[r->status]) {
			diag_error(c->d, r->loc, "duplicate response for status %d", r->status);
			diag_note(c->d, seen[r->status]->loc, "the first one is here");
		} else
			seen[r->status] = r;
		if (r->stream) {
			if (op->method != METHOD_GET || r->status != 200)
				diag_error(c->d, r->stream_loc, "a stream is the 200 reply of a GET operation");
			else if (!r->type || r->type->kind != TYPE_NAMED)
				diag_error(c->d, r->stream_loc, "a stream needs the model of its events: "
					   "'-> 200 stream EVENT'");
			else if (r->headers)
				diag_error(c->d, r->stream_loc, "a stream declares no response headers");
		}
		if (r->raw)
			check_raw_response(c, r);
		if (r->type) {
			if (r->status == 204 || r->status == 304 || r->status < 200)
				diag_error(c->d, r->type->loc, "a %d response cannot have a body",
					   r->status);
			resolve_type(c, r->type);
			if (r->stream && r->type->kind == TYPE_NAMED && r->type->model == NULL)
				diag_error(c->d, r->type->loc, "the events of a stream are a model");
		}
		check_response_headers(c, r);
	}
}

static void check_route(struct chk *c, struct ast_op *op)
{
	size_t n = strlen(method_names[op->method]) + 1;
	for (struct ast_segment *s = op->segments; s; s = s->next)
		n += strlen(s->text) + 3;
	char *key = arena_alloc(c->a, n), *o = stpcpy(key, method_names[op->method]);
	for (struct ast_segment *s = op->segments; s; s = s->next) {
		*o++ = '/';
		o = stpcpy(o, s->is_param ? "{}" : s->text);
	}
	struct ast_op *old = strmap_put(c->routes, key, op);
	if (!old)
		return;
	const char *m = method_names[op->method];
	if (strcmp(old->path, op->path) == 0)
		diag_error(c->d, op->path_loc, "duplicate route '%s %s'", m, op->path);
	else
		diag_error(c->d, op->path_loc, "route '%s %s' is ambiguous with '%s %s' (both match "
			   "the same requests)", m, op->path, m, old->path);
	diag_note(c->d, old->path_loc, "the other route is here");
}

/* `cache "..."` and `etag`: the value is a header value the runtime can
 * send, an entity tag belongs to a GET with a 200 to tag, and neither header
 * is declared by the operation's responses as well. */
static void check_caching(struct chk *c, struct ast_op *op)
{
	if (op->cache_control) {
		const unsigned char *v = (const unsigned char *)op->cache_control;
		bool ok = *v != '\0';
		for (; *v && ok; v++)
			ok = (*v >= 0x20 && *v < 0x7f) || *v == '\t';
		if (!ok)
			diag_error(c->d, op->cache_loc, "a cache directive must be printable ASCII and not empty "
				   "(it is sent as Cache-Control)");
	}
	bool has200 = false;
	for (const struct ast_response *r = op->responses; r; r = r->next) {
		has200 |= r->status == 200;
		if (op->etag && r->status == 304)
			diag_error(c->d, r->loc, "'etag' answers 304 itself; do not declare it");
		for (const struct ast_param *h = r->headers; h; h = h->next) {
			if (op->cache_control && r->status >= 200 && r->status < 300 &&
			    strcasecmp(h->name, "Cache-Control") == 0)
				diag_error(c->d, h->loc, "'cache' sets Cache-Control; do not declare it too");
			if (op->etag && strcasecmp(h->name, "ETag") == 0)
				diag_error(c->d, h->loc, "'etag' sets ETag; do not declare it too");
		}
	}
	if (op->deadline_ms && !op->async)
		diag_error(c->d, op->deadline_loc, "'deadline' is for async operations (a handler that "
			   "suspends); add 'async'");
	if (op->etag && op->method != METHOD_GET)
		diag_error(c->d, op->etag_loc, "'etag' is for GET operations (If-None-Match makes a GET "
			   "conditional), not %s", method_names[op->method]);
	else if (op->etag && !has200)
		diag_error(c->d, op->etag_loc, "'etag' tags a 200 reply, and this operation declares none");
}

/* `receive IN` and `send OUT`: a GET that becomes a WebSocket, its
 * messages each a JSON value of a model. */
static void check_websocket(struct chk *c, struct ast_op *op)
{
	if (!op->ws_in && !op->ws_out)
		return;
	if (op->method != METHOD_GET)
		diag_error(c->d, op->ws_loc, "a WebSocket is opened with GET");
	else if (!op->ws_in || !op->ws_out)
		diag_error(c->d, op->ws_loc, "a WebSocket declares the messages of both sides: "
			   "'receive MODEL' and 'send MODEL'");
	else if (op->async)
		diag_error(c->d, op->async_loc, "a WebSocket operation is not 'async': it accepts at once");
	for (struct ast_response *r = op->responses; r; r = r->next)
		if (r->stream || (r->status >= 100 && r->status < 300))
			diag_error(c->d, r->loc, "a WebSocket operation answers 101 when it accepts: "
				   "declare only its errors (4xx, 5xx)");
	struct ast_type *t[2] = { op->ws_in, op->ws_out };
	for (int i = 0; i < 2; i++) {
		if (!t[i])
			continue;
		resolve_type(c, t[i]);
		if (t[i]->kind != TYPE_NAMED || t[i]->model == NULL)
			diag_error(c->d, t[i]->loc, "WebSocket messages are models");
	}
}

static void check_ops(struct chk *c)
{
	struct ast_service *sv = c->s->service;
	for (struct ast_op *op = c->s->ops; op && !stop(c); op = op->next) {
		op->id = op->name ? op->name : derive_id(c, op);
		struct ast_op *old = strmap_put(c->opids, op->id, op);
		if (old) {
			diag_error(c->d, op->name ? op->loc : op->path_loc, "duplicate operation id '%s'",
				   op->id);
			diag_note(c->d, old->loc, "'%s' was first used here", op->id);
		}
		check_route(c, op);
		check_params(c, op);
		if (op->body) {
			if (op->method == METHOD_GET || op->method == METHOD_HEAD ||
			    op->method == METHOD_DELETE)
				diag_error(c->d, op->body_loc, "a %s operation cannot have a request body",
					   method_names[op->method]);
			resolve_type(c, op->body);
		}
		check_websocket(c, op);
		check_responses(c, op);
		check_caching(c, op);
		resolve_auth(c, &op->auth);
		op->eff_auth = op->auth.set ? op->auth : sv ? sv->auth : op->auth;
	}
}

/* The model a field requires to be present, else NULL. */
static struct ast_model *required_model(const struct ast_field *f)
{
	if (f->optional || f->nullable || f->type->kind != TYPE_NAMED)
		return NULL;
	return f->type->model;
}

/* A model that requires itself through required, non-nullable model fields
 * can never be written as finite JSON: an error. Iterative depth-first
 * search, so a long chain of models cannot overflow the stack. */
static void check_required_cycles(struct chk *c)
{
	struct frame { struct sym *sym; struct ast_field *f; } *stack = NULL;
	size_t cap = 0;
	for (struct ast_model *root = c->s->models; root && !stop(c); root = root->next) {
		struct sym *rs = strmap_get(c->types, root->name);
		if (!rs || rs->p != root || rs->state)
			continue;
		size_t n = 0;
		if (cap == 0) {
			cap = 64;
			stack = arena_alloc(c->a, cap * sizeof *stack);
		}
		stack[n++] = (struct frame){ rs, root->fields };
		rs->state = 1;
		while (n) {
			struct frame *top = &stack[n - 1];
			if (!top->f) {
				top->sym->state = 2;
				n--;
				continue;
			}
			struct ast_field *f = top->f;
			top->f = f->next;
			struct ast_model *m = required_model(f);
			struct sym *ms = m ? strmap_get(c->types, m->name) : NULL;
			if (!ms || ms->p != m || ms->state == 2)
				continue;
			if (ms->state == 1) {
				char *chain = arena_strdup(c->a, "");
				size_t i = n;
				while (i > 0 && stack[i - 1].sym != ms)
					i--;
				for (i = i ? i - 1 : 0; i < n; i++)
					chain = arena_printf(c->a, "%s%s -> ", chain,
							     ((struct ast_model *)stack[i].sym->p)->name);
				diag_error(c->d, f->loc, "model '%s' requires itself (%s%s); make a field "
					   "optional or nullable", m->name, chain, m->name);
				continue;
			}
			if (n == cap) {
				struct frame *bigger = arena_alloc(c->a, 2 * cap * sizeof *stack);
				memcpy(bigger, stack, cap * sizeof *stack);
				stack = bigger;
				cap *= 2;
			}
			ms->state = 1;
			stack[n++] = (struct frame){ ms, m->fields };
		}
	}
}

static void mark_type(struct chk *c, const struct ast_type *t)
{
	for (; t; t = t->elem) {
		if (t->enm)
			t->enm->used = true;
		if (t->uni && !t->uni->used) {
			t->uni->used = true;
			for (struct ast_branch *b = t->uni->branches; b; b = b->next)
				mark_type(c, b->type);
		}
		if (t->model && !t->model->used) {
			t->model->used = true;
			if (c->nwork == c->capwork) {
				c->capwork = c->capwork ? 2 * c->capwork : 64;
				struct ast_model **w = arena_alloc(c->a, c->capwork * sizeof *w);
				if (c->nwork)
					memcpy(w, c->work, c->nwork * sizeof *w);
				c->work = w;
			}
			c->work[c->nwork++] = t->model;
		}
	}
}

static void mark_used(struct chk *c, bool warn)
{
	for (struct ast_op *op = c->s->ops; op; op = op->next) {
		for (struct ast_param *p = op->params; p; p = p->next)
			mark_type(c, p->type);
		mark_type(c, op->body);
		mark_type(c, op->ws_in);
		mark_type(c, op->ws_out);
		for (struct ast_response *r = op->responses; r; r = r->next) {
			mark_type(c, r->type);
			for (struct ast_param *h = r->headers; h; h = h->next)
				mark_type(c, h->type);
		}
	}
	if (c->s->service && c->s->service->error_model) {
		struct ast_type t = { .kind = TYPE_NAMED, .model = c->s->service->error_model };
		mark_type(c, &t);
	}
	for (struct ast_op *op = c->s->ops; op; op = op->next)
		if (op->eff_auth.scheme)
			op->eff_auth.scheme->used = true;
	while (c->nwork) {
		struct ast_model *m = c->work[--c->nwork];
		for (struct ast_field *f = m->fields; f; f = f->next)
			mark_type(c, f->type);
	}
	if (!warn)
		return; /* unused declarations are noise next to errors */
	for (struct ast_model *m = c->s->models; m; m = m->next)
		if (!m->used && !m->spread_src)
			diag_warning(c->d, m->loc, "model '%s' is never used", m->name);
	for (struct ast_enum *e = c->s->enums; e; e = e->next)
		if (!e->used)
			diag_warning(c->d, e->loc, "enum '%s' is never used", e->name);
	for (struct ast_union *u = c->s->unions; u; u = u->next)
		if (!u->used)
			diag_warning(c->d, u->loc, "union '%s' is never used", u->name);
	for (struct ast_security *s = c->s->securities; s; s = s->next)
		if (!s->used)
			diag_warning(c->d, s->loc, "security scheme '%s' is never used", s->name);
}

int check_schema(struct arena *a, struct source_table *src, struct diag_ctx *d,
		 struct ast_schema *s)
{
	struct chk c = { .a = a, .src = src, .d = d, .s = s };
	size_t before = diag_error_count(d);
	c.types = strmap_new(a);
	c.secs = strmap_new(a);
	c.opids = strmap_new(a);
	c.routes = strmap_new(a);
	c.scratch = strmap_new(a);
	c.params = strmap_new(a);
	c.field_maps = strmap_new(a);
	c.member_maps = strmap_new(a);
	for (struct ast_model *m = s->models; m && !stop(&c); m = m->next)
		declare(&c, m->name, m->loc, SYM_MODEL, m);
	for (struct ast_enum *e = s->enums; e && !stop(&c); e = e->next)
		declare(&c, e->name, e->loc, SYM_ENUM, e);
	for (struct ast_union *u = s->unions; u && !stop(&c); u = u->next)
		declare(&c, u->name, u->loc, SYM_UNION, u);
	check_spreads(a, d, s);
	check_enums(&c);
	check_securities(&c);
	for (struct ast_union *u = s->unions; u && !stop(&c); u = u->next)
		for (struct ast_branch *b = u->branches; b && !stop(&c); b = b->next)
			resolve_type(&c, b->type);
	check_models(&c);
	if (!stop(&c))
		check_unions(a, d, s);
	check_required_cycles(&c);
	check_service(&c);
	check_ops(&c);
	if (!stop(&c))
		mark_used(&c, diag_error_count(d) == before);
	return diag_error_count(d) == before ? 0 : -1;
}
