/* Schema names to C identifiers; see names.h. */
#include "names.h"
#include "out.h"


#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The string pool: chunks that names are formatted straight into, freed
 * together by names_free(). */
struct names_chunk {
	struct names_chunk *next;
	char data[];
};
#define NAMES_CHUNK (256 * 1024)

/* Every name that belongs to a schema node, made once: "P_pet" of a model,
 * "P_pet__decode" of the model and the suffix "decode", a field's member.
 * Open addressing; the key is a kind, a node (and a second one) and a
 * suffix, compared by content (copied into the pool). The names of one
 * node start their probes within NAMES_NEAR slots of each other: the
 * emitters ask for several of them in a row, and they share cache lines
 * (a table of 10 MB otherwise costs a cache miss a name). */
enum names_kind {
	NK_MODEL, NK_ENUM, NK_OP, NK_SNAKE, NK_MEMBER, NK_STEM, NK_CONST, NK_UNSET,
	NK_MODEL_FN, NK_ENUM_FN, NK_OP_FN,
};

struct names_memo {
	const void *a, *b;
	const char *suffix;
	const char *value;     /* NULL: a free slot */
	uint32_t hash;
	enum names_kind kind;
};

struct names {
	struct names_chunk *chunks;
	char *free;            /* the unused end of the first chunk */
	size_t room;
	struct names_memo *memo;
	size_t nmemo, capmemo; /* capmemo: a power of two, or 0 */
	char *prefix, *upper_prefix;
	const char **uints;    /* names_uint(): NAMES_UINTS of them, or NULL */
};

#define NAMES_UINTS 4096

static void *names_oom(void *p)
{
	if (!p) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

/* Room for `size` bytes at n->free. */
static void names_room(struct names *n, size_t size)
{
	if (size <= n->room)
		return;
	size_t cap = size > NAMES_CHUNK ? size : NAMES_CHUNK;
	struct names_chunk *c = names_oom(malloc(sizeof *c + cap));
	c->next = n->chunks;
	n->chunks = c;
	n->free = c->data;
	n->room = cap;
}

static const char *names_take(struct names *n, size_t size)
{
	char *s = n->free;
	n->free += size;
	n->room -= size;
	return s;
}

__attribute__((format(printf, 2, 0)))
static const char *names_vfmt(struct names *n, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	size_t cat = out_cat_len(fmt, ap2);
	va_end(ap2);
	if (cat != OUT_NOT_CAT) {
		names_room(n, cat + 1);
		out_cat(n->free, fmt, ap);
		return names_take(n, cat + 1);
	}
	/* Formatted in place; a second pass only when the name does not fit
	 * the rest of the chunk. */
	va_copy(ap2, ap);
	int len = vsnprintf(n->free, n->room, fmt, ap2);
	va_end(ap2);
	size_t size = (size_t)(len < 0 ? 0 : len) + 1;
	if (size > n->room) {
		names_room(n, size);
		vsnprintf(n->free, size, fmt, ap);
	}
	return names_take(n, size);
}

const char *names_uint(struct names *n, size_t v)
{
	if (v >= NAMES_UINTS)
		return names_fmt(n, "%zu", v);
	if (!n->uints)
		n->uints = names_oom(calloc(NAMES_UINTS, sizeof *n->uints));
	if (!n->uints[v])
		n->uints[v] = names_fmt(n, "%zu", v);
	return n->uints[v];
}

const char *names_fmt(struct names *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = names_vfmt(n, fmt, ap);
	va_end(ap);
	return s;
}

/* a, b and c (b and c may be NULL) one after the other, in the pool. */
static const char *names_cat(struct names *n, const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0, lc = c ? strlen(c) : 0;
	names_room(n, la + lb + lc + 1);
	char *s = n->free;
	memcpy(s, a, la);
	if (lb)
		memcpy(s + la, b, lb);
	if (lc)
		memcpy(s + la + lb, c, lc);
	s[la + lb + lc] = '\0';
	return names_take(n, la + lb + lc + 1);
}

#define NAMES_NEAR 8

static uint32_t names_node_hash(const void *a, const void *b)
{
	uint64_t h = ((uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15u) ^
		     ((uint64_t)(uintptr_t)b * 0xC2B2AE3D27D4EB4Fu);
	return (uint32_t)(h >> 32);
}

static uint32_t names_hash(enum names_kind kind, const void *a, const void *b, const char *suffix)
{
	uint64_t h = ((uint64_t)names_node_hash(a, b) << 32) ^ (uint64_t)kind;
	if (suffix)
		for (const unsigned char *p = (const unsigned char *)suffix; *p; p++)
			h = (h ^ *p) * 0x100000001B3u;
	return (uint32_t)(h ^ (h >> 32));
}

static struct names_memo *names_slot(const struct names *n, enum names_kind kind, const void *a,
				     const void *b, const char *suffix, uint32_t h)
{
	size_t start = names_node_hash(a, b) + h % NAMES_NEAR;
	for (size_t i = start & (n->capmemo - 1);; i = (i + 1) & (n->capmemo - 1)) {
		struct names_memo *m = &n->memo[i];
		if (!m->value || (m->hash == h && m->kind == kind && m->a == a && m->b == b &&
				  (m->suffix == suffix || (m->suffix && suffix && !strcmp(m->suffix, suffix)))))
			return m;
	}
}

/* The memoized name, or NULL. */
static const char *names_memo_get(const struct names *n, enum names_kind kind, const void *a,
				  const void *b, const char *suffix)
{
	if (!n->capmemo)
		return NULL;
	return names_slot(n, kind, a, b, suffix, names_hash(kind, a, b, suffix))->value;
}

/* Memoizes `value` unless the key has a name already; returns the name. */
static const char *names_memo_put(struct names *n, enum names_kind kind, const void *a,
				  const void *b, const char *suffix, const char *value)
{
	if ((n->nmemo + 1) * 2 > n->capmemo) {
		struct names_memo *old = n->memo;
		size_t oldcap = n->capmemo;
		n->capmemo = oldcap ? 2 * oldcap : 1024;
		n->memo = names_oom(calloc(n->capmemo, sizeof *n->memo));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].value)
				*names_slot(n, old[i].kind, old[i].a, old[i].b, old[i].suffix,
					    old[i].hash) = old[i];
		free(old);
	}
	uint32_t h = names_hash(kind, a, b, suffix);
	struct names_memo *m = names_slot(n, kind, a, b, suffix, h);
	if (!m->value) {
		*m = (struct names_memo){ a, b, suffix ? names_cat(n, suffix, NULL, NULL) : NULL,
					  value, h, kind };
		n->nmemo++;
	}
	return m->value;
}

struct names *names_new(const char *prefix_source)
{
	struct names *n = names_oom(calloc(1, sizeof *n));
	size_t len = strlen(prefix_source);
	bool digit = len == 0 || isdigit((unsigned char)prefix_source[0]);
	n->prefix = names_oom(malloc(len + 2));
	n->upper_prefix = names_oom(malloc(len + 2));
	char *p = n->prefix, *u = n->upper_prefix;
	if (digit) /* an identifier cannot start with a digit */
		*p++ = 'x', *u++ = 'X';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)prefix_source[i];
		bool ok = c < 0x80 && isalnum(c);
		*p++ = ok ? (char)tolower(c) : '_';
		*u++ = ok ? (char)toupper(c) : '_';
	}
	*p = *u = '\0';
	return n;
}

void names_free(struct names *n)
{
	if (!n)
		return;
	for (struct names_chunk *c = n->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(n->memo);
	free(n->uints);
	free(n->prefix);
	free(n->upper_prefix);
	free(n);
}

const char *names_prefix(const struct names *n)
{
	return n->prefix;
}

const char *names_upper_prefix(const struct names *n)
{
	return n->upper_prefix;
}

/* C11 and C23 keywords, and lower-case names the standard headers or common
 * compilers define as macros (a struct member `errno` or `linux` would not
 * survive the preprocessor). Sorted for bsearch. */
static const char *const names_reserved[] = {
	"alignas", "alignof", "asm", "assert", "auto", "bool", "break", "case",
	"char", "const", "constexpr", "continue", "default", "do", "double",
	"else", "enum", "errno", "extern", "false", "float", "for", "goto", "i386",
	"if", "inline", "int", "linux", "long", "noreturn", "nullptr", "offsetof",
	"register", "restrict", "return", "short", "signed", "sizeof", "static",
	"static_assert", "stderr", "stdin", "stdout", "struct", "switch",
	"thread_local", "true", "typedef", "typeof", "typeof_unqual", "union",
	"unix", "unsigned", "void", "volatile", "while",
};

static int names_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool names_is_reserved(const char *s)
{
	return bsearch(&s, names_reserved, sizeof names_reserved / sizeof *names_reserved,
		       sizeof *names_reserved, names_cmp) != NULL;
}

/* Word boundaries: any byte other than [A-Za-z0-9]; lower or digit followed
 * by upper ("petId", "v2Name"); an upper followed by upper+lower ("HTTPCode"
 * splits before "Code"). Runs of separators collapse to one '_'. The words
 * of a name of len bytes into out[0..2 len], NUL-terminated; their length. */
static size_t names_words(const char *name, size_t len, bool upper, char *out)
{
	size_t o = 0;
	bool pending = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		bool alnum = c < 0x80 && isalnum(c);
		if (!alnum) {
			pending = o > 0;
			continue;
		}
		if (o > 0 && isupper(c) && i > 0) {
			unsigned char prev = (unsigned char)name[i - 1];
			unsigned char next = i + 1 < len ? (unsigned char)name[i + 1] : 0;
			if (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)))
				pending = true;
		}
		if (pending) {
			out[o++] = '_';
			pending = false;
		}
		out[o++] = (char)(upper ? toupper(c) : tolower(c));
	}
	out[o] = '\0';
	return o;
}

const char *names_snake(struct names *n, const char *name)
{
	/* The words go in the pool after room for "n_"; then move into place. */
	size_t len = strlen(name);
	names_room(n, 2 * len + 4);
	char *s = n->free;
	size_t w = names_words(name, len, false, s + 2);
	if (w == 0) {
		memcpy(s, "x", 2);
		w = 1;
	} else if (isdigit((unsigned char)s[2])) {
		memcpy(s, "n_", 2);
		w += 2;
	} else {
		memmove(s, s + 2, w + 1);
		if (names_is_reserved(s)) {
			s[w++] = '_';
			s[w] = '\0';
		}
	}
	return names_take(n, w + 1);
}

const char *names_upper(struct names *n, const char *name)
{
	size_t len = strlen(name);
	names_room(n, 2 * len + 2);
	char *s = n->free;
	size_t w = names_words(name, len, true, s);
	if (w == 0) {
		memcpy(s, "X", 2);
		w = 1;
	}
	return names_take(n, w + 1);
}

/* The snake_case name of a node, made once. */
static const char *names_snake_of(struct names *n, const void *node, const char *name)
{
	const char *s = names_memo_get(n, NK_SNAKE, node, NULL, NULL);
	return s ? s : names_memo_put(n, NK_SNAKE, node, NULL, NULL, names_snake(n, name));
}

/* "P_" and the snake_case name of a node, made once. */
static const char *names_prefixed(struct names *n, enum names_kind kind, const void *node,
				  const char *name)
{
	const char *s = names_memo_get(n, kind, node, NULL, NULL);
	return s ? s : names_memo_put(n, kind, node, NULL, NULL,
				      names_cat(n, n->prefix, "_", names_snake_of(n, node, name)));
}

const char *names_model(struct names *n, const struct ast_model *m)
{
	return names_prefixed(n, NK_MODEL, m, m->name);
}

const char *names_enum(struct names *n, const struct ast_enum *e)
{
	return names_prefixed(n, NK_ENUM, e, e->name);
}

const char *names_op(struct names *n, const struct ast_op *op)
{
	return names_prefixed(n, NK_OP, op, op->id);
}

const char *names_client_op(struct names *n, const struct ast_op *op, const char *suffix)
{
	return names_fmt(n, "%s_client_%s%s", n->prefix, names_snake_of(n, op, op->id), suffix);
}

const char *names_enum_const(struct names *n, const struct ast_enum *e,
			     const struct ast_enum_member *m)
{
	const char *s = names_memo_get(n, NK_CONST, e, m, NULL);
	return s ? s : names_memo_put(n, NK_CONST, e, m, NULL,
				      names_fmt(n, "%s_%s_%s", n->upper_prefix, names_upper(n, e->name),
						names_upper(n, m->name)));
}

const char *names_enum_unset(struct names *n, const struct ast_enum *e)
{
	const char *s = names_memo_get(n, NK_UNSET, e, NULL, NULL);
	return s ? s : names_memo_put(n, NK_UNSET, e, NULL, NULL,
				      names_fmt(n, "%s_%s__UNSET", n->upper_prefix, names_upper(n, e->name)));
}

/* A member's name: moved aside by names_check() (NK_MEMBER), else its
 * snake_case name. */
static const char *names_member(struct names *n, const void *node, const char *name)
{
	const char *s = names_memo_get(n, NK_MEMBER, node, NULL, NULL);
	return s ? s : names_snake_of(n, node, name);
}

const char *names_field(struct names *n, const struct ast_field *f)
{
	return names_member(n, f, f->name);
}

const char *names_param(struct names *n, const struct ast_param *p)
{
	return names_member(n, p, p->name);
}

const char *names_field_stem(struct names *n, const struct ast_model *m,
			     const struct ast_field *f)
{
	const char *s = names_memo_get(n, NK_STEM, m, f, NULL);
	return s ? s : names_memo_put(n, NK_STEM, m, f, NULL,
				      names_cat(n, names_model(n, m), "_", names_field(n, f)));
}

/* "BASE__SUFFIX" of a node, made once per suffix. */
static const char *names_fn(struct names *n, enum names_kind kind, const void *node,
			    const char *base, const char *suffix)
{
	return names_memo_put(n, kind, node, NULL, suffix, names_cat(n, base, "__", suffix));
}

const char *names_op_fn(struct names *n, const struct ast_op *op, const char *suffix)
{
	const char *s = names_memo_get(n, NK_OP_FN, op, NULL, suffix);
	return s ? s : names_fn(n, NK_OP_FN, op, names_op(n, op), suffix);
}

const char *names_model_fn(struct names *n, const struct ast_model *m, const char *suffix)
{
	const char *s = names_memo_get(n, NK_MODEL_FN, m, NULL, suffix);
	return s ? s : names_fn(n, NK_MODEL_FN, m, names_model(n, m), suffix);
}

const char *names_enum_fn(struct names *n, const struct ast_enum *e, const char *suffix)
{
	const char *s = names_memo_get(n, NK_ENUM_FN, e, NULL, suffix);
	return s ? s : names_fn(n, NK_ENUM_FN, e, names_enum(n, e), suffix);
}

const char *names_aux(struct names *n, const char *stem, const char *suffix)
{
	return names_cat(n, stem, "_", suffix);
}

/* ---- collision check ------------------------------------------------------ */

struct names_claim {
	const char *space;   /* "tag", "ident" or the struct whose member it is */
	const char *ident;
	const char *what;    /* for the message: "model 'Pet'" */
	struct apic_loc loc;
	size_t order;
};

struct names_claims {
	struct names *n;
	struct names_claim *v;
	size_t len, cap;
};

static void names_claim(struct names_claims *c, const char *space, const char *ident,
			const char *what, struct apic_loc loc)
{
	if (c->len == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 128;
		c->v = names_oom(realloc(c->v, c->cap * sizeof *c->v));
	}
	c->v[c->len] = (struct names_claim){ space, ident, what, loc, c->len };
	c->len++;
}

static int names_claim_cmp(const void *a, const void *b)
{
	const struct names_claim *x = a, *y = b;
	int r = strcmp(x->space, y->space);
	if (!r)
		r = strcmp(x->ident, y->ident);
	if (!r)
		r = x->order < y->order ? -1 : x->order > y->order;
	return r;
}

/* The auxiliary struct types a type needs below `stem` (see emit_c_types.c). */
static void names_claim_aux(struct names_claims *c, const struct ast_type *t,
			    const char *stem, bool field_level, const char *what,
			    struct apic_loc loc)
{
	struct names *n = c->n;
	if (t->kind == TYPE_ARRAY) {
		if (!field_level)
			names_claim(c, "tag", stem, what, loc);
		names_claim_aux(c, t->elem, names_aux(n, stem, "item"), false, what, loc);
	} else if (t->kind == TYPE_MAP) {
		if (!field_level)
			names_claim(c, "tag", stem, what, loc);
		names_claim(c, "tag", names_aux(n, stem, "entry"), what, loc);
		names_claim_aux(c, t->elem, names_aux(n, stem, "value"), false, what, loc);
	}
}

/* The members a field or parameter adds to its struct. */
static void names_claim_members(struct names_claims *c, const char *space,
				const char *member, const struct ast_type *t,
				bool has, bool is_null, const char *what,
				struct apic_loc loc)
{
	struct names *n = c->n;
	names_claim(c, space, member, what, loc);
	if (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP)
		names_claim(c, space, names_fmt(n, "%s_count", member), what, loc);
	if (has)
		names_claim(c, space, names_fmt(n, "has_%s", member), what, loc);
	if (is_null)
		names_claim(c, space, names_fmt(n, "%s_is_null", member), what, loc);
}

/* A member moved aside: its name gets a trailing '_' (the first move counts). */
static void names_override(struct names *n, const void *node, const char *name)
{
	if (!names_memo_get(n, NK_MEMBER, node, NULL, NULL))
		names_memo_put(n, NK_MEMBER, node, NULL, NULL, names_cat(n, name, "_", NULL));
}

/* The members generated next to values (see emit_member): NAME_count of
 * an array or map, has_NAME of an optional value, NAME_is_null of a
 * nullable one, each with the value it belongs to; sorted, so that a name
 * is looked up in log time (a model of 20000 fields stays linear-ish). */
struct names_aux_set {
	struct names_aux {
		const char *ident;
		const void *owner;
	} *v;
	size_t len, cap;
};

static void names_aux_add(struct names_aux_set *set, const char *ident, const void *owner)
{
	if (set->len == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 16;
		set->v = names_oom(realloc(set->v, set->cap * sizeof *set->v));
	}
	set->v[set->len].ident = ident;
	set->v[set->len].owner = owner;
	set->len++;
}

static void names_aux_of(struct names *n, struct names_aux_set *set, const char *member,
			 const struct ast_type *t, bool has, bool is_null, const void *owner)
{
	if (t->kind == TYPE_ARRAY || t->kind == TYPE_MAP)
		names_aux_add(set, names_fmt(n, "%s_count", member), owner);
	if (has)
		names_aux_add(set, names_fmt(n, "has_%s", member), owner);
	if (is_null)
		names_aux_add(set, names_fmt(n, "%s_is_null", member), owner);
}

static int names_aux_cmp(const void *a, const void *b)
{
	return strcmp(((const struct names_aux *)a)->ident, ((const struct names_aux *)b)->ident);
}

/* Whether `ident` is a member generated for a value other than `self`. */
static bool names_aux_taken(const struct names_aux_set *set, const char *ident, const void *self)
{
	size_t lo = 0, hi = set->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(set->v[mid].ident, ident) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < set->len && strcmp(set->v[lo].ident, ident) == 0; lo++)
		if (set->v[lo].owner != self)
			return true;
	return false;
}

/* A field named like a member generated for another field of its model
 * (`articlesCount` next to `articles: [Article]`, which makes
 * `articles_count`) keeps the schema's spelling apart with a trailing '_',
 * as C keywords do (silently, like them: the schema may be a fixed public
 * API); the generated member keeps the name the contract gives it. */
static void names_resolve_fields(struct names *n, const struct ast_model *m)
{
	struct names_aux_set set = { 0 };
	for (const struct ast_field *g = m->fields; g; g = g->next) {
		bool model = g->type->kind == TYPE_NAMED && g->type->model;
		names_aux_of(n, &set, names_snake_of(n, g, g->name), g->type, g->optional && !model, g->nullable, g);
	}
	if (set.len) /* qsort(NULL, 0, ...) is undefined */
		qsort(set.v, set.len, sizeof *set.v, names_aux_cmp);
	for (const struct ast_field *f = m->fields; f; f = f->next) {
		const char *mine = names_snake_of(n, f, f->name);
		if (names_aux_taken(&set, mine, f))
			names_override(n, f, mine);
	}
	free(set.v);
}

/* The same for the parameters of an operation (`tags: [string]` and
 * `tagsCount: int32` in one query), and for the headers of a response. */
static void names_resolve_params(struct names *n, const struct ast_param *list)
{
	struct names_aux_set set = { 0 };
	for (const struct ast_param *q = list; q; q = q->next)
		names_aux_of(n, &set, names_snake_of(n, q, q->name), q->type, q->optional, false, q);
	if (set.len) /* qsort(NULL, 0, ...) is undefined */
		qsort(set.v, set.len, sizeof *set.v, names_aux_cmp);
	for (const struct ast_param *p = list; p; p = p->next) {
		const char *mine = names_snake_of(n, p, p->name);
		if (names_aux_taken(&set, mine, p))
			names_override(n, p, mine);
	}
	free(set.v);
}

size_t names_check(struct names *n, const struct ast_schema *s, struct diag_ctx *d)
{
	for (const struct ast_model *m = s->models; m; m = m->next)
		names_resolve_fields(n, m);
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		names_resolve_params(n, op->params);
		for (const struct ast_response *r = op->responses; r; r = r->next)
			names_resolve_params(n, r->headers);
	}

	struct names_claims c = { n, NULL, 0, 0 };
	struct apic_loc svc = s->service ? s->service->loc : (struct apic_loc){ 0, 0, 0 };
	names_claim(&c, "ident", names_fmt(n, "%s_api", n->prefix), "the API description", svc);
	for (const struct ast_model *m = s->models; m; m = m->next) {
		const char *what = names_fmt(n, "model '%s'", m->name);
		const char *tag = names_model(n, m);
		names_claim(&c, "tag", tag, what, m->loc);
		for (const struct ast_field *f = m->fields; f; f = f->next) {
			const char *fw = names_fmt(n, "field '%s.%s'", m->name, f->name);
			bool model = f->type->kind == TYPE_NAMED && f->type->model;
			names_claim_members(&c, tag, names_field(n, f), f->type,
					    f->optional && !model, f->nullable, fw, f->loc);
			names_claim_aux(&c, f->type, names_field_stem(n, m, f), true, fw, f->loc);
		}
	}
	for (const struct ast_enum *e = s->enums; e; e = e->next) {
		const char *what = names_fmt(n, "enum '%s'", e->name);
		names_claim(&c, "tag", names_enum(n, e), what, e->loc);
		for (const struct ast_enum_member *m = e->members; m; m = m->next)
			names_claim(&c, "ident", names_enum_const(n, e, m),
				    names_fmt(n, "enum member '%s.%s'", e->name, m->name), m->loc);
	}
	/* the C client's functions (apic generate --client c) */
	names_claim(&c, "ident", names_fmt(n, "%s_client_new", n->prefix), "the client's constructor", svc);
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		static const char *const fns[] = { "", "_start", "_join" };
		for (size_t i = 0; i < 3; i++)
			names_claim(&c, "ident", names_client_op(n, op, fns[i]),
				    names_fmt(n, "the client call of operation '%s'", op->id), op->loc);
	}
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		const char *what = names_fmt(n, "operation '%s'", op->id);
		names_claim(&c, "ident", names_op(n, op), what, op->loc);
		const char *params = names_op_fn(n, op, "params");
		for (const struct ast_param *p = op->params; p; p = p->next)
			names_claim_members(&c, params, names_param(n, p), p->type,
					    p->optional, false,
					    names_fmt(n, "parameter '%s'", p->name), p->loc);
		if (op->body)
			names_claim_members(&c, params, "body", op->body,
					    op->body_optional && !(op->body->kind == TYPE_NAMED &&
								   op->body->model),
					    false, "the request body", op->body_loc);
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			if (!r->headers)
				continue;
			const char *tag = names_op_fn(n, op, names_fmt(n, "reply_%d_headers", r->status));
			names_claim(&c, "tag", tag, names_fmt(n, "the headers of %s's %d response",
							      op->id, r->status), r->loc);
			for (const struct ast_param *h = r->headers; h; h = h->next)
				names_claim_members(&c, tag, names_param(n, h), h->type, h->optional,
						    false, names_fmt(n, "response header '%s'", h->name),
						    h->loc);
		}
	}
	qsort(c.v, c.len, sizeof *c.v, names_claim_cmp);
	size_t errors = 0;
	for (size_t i = 1; i < c.len; i++) {
		const struct names_claim *a = &c.v[i - 1], *b = &c.v[i];
		if (strcmp(a->space, b->space) || strcmp(a->ident, b->ident))
			continue;
		/* The first claim of a run is the one every later one collides with. */
		size_t first = i - 1;
		while (first > 0 && !strcmp(c.v[first - 1].space, b->space) &&
		       !strcmp(c.v[first - 1].ident, b->ident))
			first--;
		diag_error(d, b->loc, "%s and %s both become the C name '%s'",
			   b->what, c.v[first].what, b->ident);
		diag_note(d, c.v[first].loc, "%s declared here", c.v[first].what);
		errors++;
	}
	free(c.v);
	return errors;
}
