/* Model composition: `model Book { ...BookSummary  isbn: string }` copies
 * BookSummary's fields, in order, where the spread is written. Spreads are
 * expanded before anything else looks at fields, so every later pass (and
 * every emitter) sees a plain, flat model. A field name given twice, by
 * either route, is an error naming both places: there is no override rule,
 * since a silent override would change a model by editing another. */
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "check.h"
#include "diag.h"
#include "suggest.h"

struct spr {
	struct arena *a;
	struct diag_ctx *d;
	struct ast_schema *s;
};

static struct ast_model *find_model(const struct ast_schema *s, const char *name)
{
	for (struct ast_model *m = s->models; m; m = m->next)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

static const struct ast_enum *find_enum(const struct ast_schema *s, const char *name)
{
	for (const struct ast_enum *e = s->enums; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static void unknown(struct spr *p, const struct ast_field *f)
{
	struct suggest sg;
	suggest_init(&sg, f->name);
	for (const struct ast_model *m = p->s->models; m; m = m->next)
		suggest_add(&sg, m->name);
	const char *best = suggest_result(&sg);
	if (best) {
		diag_error(p->d, f->loc, "unknown model '%s' in spread; did you mean '%s'?",
			   f->name, best);
		diag_fixit(p->d, best);
	} else
		diag_error(p->d, f->loc, "unknown model '%s' in spread", f->name);
}

static void expand(struct spr *p, struct ast_model *m);

/* Appends a copy of src's fields (already flat) at *tail. */
static struct ast_field **copy_fields(struct spr *p, struct ast_field **tail,
				      const struct ast_model *src, struct apic_loc at)
{
	for (const struct ast_field *f = src->fields; f; f = f->next) {
		struct ast_field *c = arena_alloc(p->a, sizeof *c);
		*c = *f;
		c->next = NULL;
		c->from = at; /* the nearest spread: what a conflict note points at */
		*tail = c;
		tail = &c->next;
	}
	return tail;
}

static void expand(struct spr *p, struct ast_model *m)
{
	if (m->expand == 2)
		return;
	m->expand = 1;
	struct ast_field *out = NULL, **tail = &out;
	struct ast_spread *sp = m->spreads;
	for (struct ast_field *f = m->fields, *next; f; f = next) {
		next = f->next;
		if (!f->spread) {
			f->next = NULL;
			*tail = f;
			tail = &f->next;
			continue;
		}
		struct ast_type *t = sp->type;
		sp = sp->next;
		struct ast_model *src = find_model(p->s, f->name);
		if (!src) {
			const struct ast_enum *e = find_enum(p->s, f->name);
			if (e) {
				diag_error(p->d, f->loc, "cannot spread enum '%s': only a model's "
					   "fields can be spread into a model", f->name);
				diag_note(p->d, e->loc, "'%s' is declared here", f->name);
			} else
				unknown(p, f);
			continue;
		}
		t->model = src;
		src->spread_src = true;
		if (src->expand == 1) {
			diag_error(p->d, f->loc, "spreading '%s' into '%s' makes a cycle of spreads",
				   src->name, m->name);
			diag_note(p->d, src->loc, "'%s' is declared here", src->name);
			continue;
		}
		expand(p, src);
		tail = copy_fields(p, tail, src, f->loc);
	}
	m->fields = out;
	m->nfields = 0;
	for (struct ast_field *f = out; f; f = f->next)
		m->nfields++;
	m->expand = 2;
}

/* Two fields of one name: say where each came from. */
static void conflicts(struct spr *p, const struct ast_model *m)
{
	for (const struct ast_field *f = m->fields; f; f = f->next)
		for (const struct ast_field *g = m->fields; g != f; g = g->next) {
			if (strcmp(f->name, g->name) != 0)
				continue;
			if (!f->from.len && !g->from.len)
				break; /* both written here: check_models reports it */
			struct apic_loc at = f->from.len ? f->from : f->loc;
			diag_error(p->d, at, "field '%s' of model '%s' is given twice (a spread "
				   "does not override; rename or remove one)", f->name, m->name);
			if (g->from.len)
				diag_note(p->d, g->from, "'%s' also comes from this spread", f->name);
			diag_note(p->d, g->loc, "'%s' is declared here", f->name);
			if (f->from.len && (f->loc.file != g->loc.file || f->loc.off != g->loc.off))
				diag_note(p->d, f->loc, "'%s' is declared here too", f->name);
			break;
		}
}

void check_spreads(struct arena *a, struct diag_ctx *d, struct ast_schema *s)
{
	struct spr p = { .a = a, .d = d, .s = s };
	for (struct ast_model *m = s->models; m; m = m->next)
		expand(&p, m);
	for (struct ast_model *m = s->models; m; m = m->next)
		if (m->spreads)
			conflicts(&p, m);
}
