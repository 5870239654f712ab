/* Shared by the parts of `apic diff`: diff.c (service, security schemes,
 * operations), diff_types.c (types, models, enums) and diff_accept.c. */
#ifndef APIC_DIFF_INT_H
#define APIC_DIFF_INT_H

#include <stdbool.h>

#include "arena.h"
#include "ast.h"
#include "diff.h"

/* The directions a model, an enum or a type travels in. A change is
 * breaking when it is breaking for one of its directions: for requests
 * when the server may refuse what it accepted, for responses when a client
 * may get what it could not get before. */
enum { DIR_REQ = 1, DIR_RESP = 2 };

struct diff {
	struct arena *a;
	const struct ast_schema *os, *ns;
	struct strmap *ouse, *nuse;  /* model or enum name -> unsigned directions */
	struct strmap *pairs;        /* models of different names already compared */
	struct diff_result *r;
};

void diff_add(struct diff *d, enum diff_kind k, bool in_old, struct apic_loc loc,
	      const char *code, const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* BREAKING when breaking for a direction in `dirs`, else COMPATIBLE. */
enum diff_kind diff_kind_for(unsigned dirs, bool breaks_req, bool breaks_resp);

/* Fills d->ouse and d->nuse from the operations of each schema. */
void diff_usage(struct diff *d);
/* The directions of a model or enum by name, in either schema. */
unsigned diff_dirs(const struct diff *d, const char *name);

/* A type at a use site (a parameter, a body, a response, a field): its
 * kind, constraints and, for named types of different names, the two
 * models or enums compared field by field. Models and enums of the same
 * name are compared once, by diff_models(). */
void diff_type(struct diff *d, unsigned dirs, const char *subject,
	       const struct ast_type *o, const struct ast_type *n);
/* Two optional texts (docs, descriptions) differ? */
bool diff_text_differs(const char *a, const char *b);
/* A default value, an example: the same value? */
bool diff_value_eq(const struct ast_value *a, const struct ast_value *b);
/* Every model and enum the two schemas share by name, and the ones only
 * one of them has. */
void diff_models(struct diff *d);
/* diff_union.c: two unions at the same place, branch by branch; and the
 * unions of both schemas by name. */
void diff_union_pair(struct diff *d, unsigned dirs, const struct ast_union *o,
		     const struct ast_union *n);
void diff_unions(struct diff *d);
/* The type as the schema spells it, without constraints: "[Pet]". */
const char *diff_type_str(struct diff *d, const struct ast_type *t);

#endif
