/* apic diff: unions. A branch added breaks clients that read the union in
 * a response (they meet a shape they do not know); a branch removed breaks
 * requests that send it; a discriminator renamed breaks both. Branches are
 * matched by their discriminator value, or, undiscriminated, by their type
 * as written (without constraints, which diff_type then compares). */
#include "config.h"

#include <string.h>

#include "diff_int.h"

static const char *branch_key(struct diff *d, const struct ast_union *u, const struct ast_branch *b)
{
	return u->disc ? b->value : diff_type_str(d, b->type);
}

static const struct ast_branch *find_branch(struct diff *d, const struct ast_union *u,
					    const char *key)
{
	for (const struct ast_branch *b = u->branches; b; b = b->next)
		if (strcmp(branch_key(d, u, b), key) == 0)
			return b;
	return NULL;
}

void diff_union_pair(struct diff *d, unsigned dirs, const struct ast_union *o,
		     const struct ast_union *n)
{
	if (!o->disc != !n->disc || (o->disc && strcmp(o->disc, n->disc) != 0)) {
		diff_add(d, diff_kind_for(dirs, true, true), false, n->disc ? n->disc_loc : n->loc,
			 "union-discriminator-changed", n->name,
			 "the discriminator of union %s changed: %s -> %s", n->name,
			 o->disc ? o->disc : "none", n->disc ? n->disc : "none");
		return; /* the branches are keyed differently: nothing to pair */
	}
	for (const struct ast_branch *b = o->branches; b; b = b->next) {
		const char *key = branch_key(d, o, b);
		const char *subj = arena_printf(d->a, "%s.%s", n->name, key);
		const struct ast_branch *nb = find_branch(d, n, key);
		if (!nb)
			diff_add(d, diff_kind_for(dirs, true, false), true, b->loc, "union-branch-removed",
				 subj, "branch '%s' of union %s was removed", key, n->name);
		else
			diff_type(d, dirs, subj, b->type, nb->type);
	}
	for (const struct ast_branch *b = n->branches; b; b = b->next) {
		const char *key = branch_key(d, n, b);
		if (!find_branch(d, o, key))
			diff_add(d, diff_kind_for(dirs, false, true), false, b->loc, "union-branch-added",
				 arena_printf(d->a, "%s.%s", n->name, key),
				 "branch '%s' was added to union %s", key, n->name);
	}
}

void diff_unions(struct diff *d)
{
	for (const struct ast_union *u = d->os->unions; u; u = u->next) {
		const struct ast_union *n = d->ns->unions;
		while (n && strcmp(n->name, u->name) != 0)
			n = n->next;
		if (!n) {
			diff_add(d, DIFF_COMPATIBLE, true, u->loc, "union-removed", u->name,
				 "union %s was removed (its uses are listed where they changed)", u->name);
			continue;
		}
		diff_union_pair(d, diff_dirs(d, u->name), u, n);
		if (diff_text_differs(u->doc, n->doc))
			diff_add(d, DIFF_DOCS, false, n->loc, "doc-changed", n->name,
				 "the documentation of %s changed", n->name);
		if (u->deprecated != n->deprecated)
			diff_add(d, DIFF_DOCS, false, n->loc, "deprecated", n->name, "%s is %s deprecated",
				 n->name, n->deprecated ? "now" : "no longer");
	}
	for (const struct ast_union *u = d->ns->unions; u; u = u->next) {
		const struct ast_union *o = d->os->unions;
		while (o && strcmp(o->name, u->name) != 0)
			o = o->next;
		if (!o)
			diff_add(d, DIFF_COMPATIBLE, false, u->loc, "union-added", u->name,
				 "union %s was added", u->name);
	}
}
