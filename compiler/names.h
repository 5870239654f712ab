/* The only module that makes C identifiers for generated code (naming
 * contract: docs/generated-code.md). Every name is a deterministic function
 * of the schema and the prefix; names_check() reports two schema names that
 * map to one C name, at both locations.
 *
 * Ownership: every string returned lives in the `struct names` and is freed
 * by names_free(). Out of memory prints one message and exits with 3. */
#ifndef APIC_NAMES_H
#define APIC_NAMES_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

struct names;

/* `prefix_source` is NAME: lower-cased, other bytes than [a-z0-9] become '_'. */
struct names *names_new(const char *prefix_source);
void names_free(struct names *n);

/* The decimal spelling of v in the names pool, formatted once per value
 * below 4096 (statuses, lengths, indices): for %s-only formats. */
const char *names_uint(struct names *n, size_t v);

/* A string in the names pool, printf-style. */
const char *names_fmt(struct names *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *names_prefix(const struct names *n);        /* P */
const char *names_upper_prefix(const struct names *n);  /* P in capitals */

/* snake_case of a schema name ("petId" -> "pet_id", "HTTPCode" ->
 * "http_code", "X-Trace-Id" -> "x_trace_id"); a C keyword or a macro name
 * from the standard headers gets a trailing '_'; a leading digit gets "n_". */
const char *names_snake(struct names *n, const char *name);
/* The same in capitals, for enum constants ("veryHigh" -> "VERY_HIGH"). */
const char *names_upper(struct names *n, const char *name);

const char *names_model(struct names *n, const struct ast_model *m);  /* P_pet (struct tag) */
const char *names_enum(struct names *n, const struct ast_enum *e);    /* P_pet_status (enum tag) */
const char *names_enum_const(struct names *n, const struct ast_enum *e,
			     const struct ast_enum_member *m);          /* P_PET_STATUS_AVAILABLE */
const char *names_enum_unset(struct names *n, const struct ast_enum *e); /* P_PET_STATUS__UNSET */
const char *names_op(struct names *n, const struct ast_op *op);       /* P_get_pet (handler) */
/* The C client's call of an operation: "P_client_get_pet" + suffix. */
const char *names_client_op(struct names *n, const struct ast_op *op, const char *suffix);
const char *names_field(struct names *n, const struct ast_field *f);  /* member name */
const char *names_param(struct names *n, const struct ast_param *p);  /* member name */
/* Stem of the auxiliary types of a field: "P_pet_tags" (+ "_entry", "_item"). */
const char *names_field_stem(struct names *n, const struct ast_model *m,
			     const struct ast_field *f);

/* Generated helpers: "P_op__SUFFIX" (params, request, dispatch, reply_200),
 * "P_model__SUFFIX" (decode, encode), "P_enum__SUFFIX" (parse, write); the
 * double underscore keeps them apart from schema-derived names, whose
 * underscores never repeat. */
const char *names_op_fn(struct names *n, const struct ast_op *op, const char *suffix);
const char *names_model_fn(struct names *n, const struct ast_model *m, const char *suffix);
const char *names_enum_fn(struct names *n, const struct ast_enum *e, const char *suffix);
/* An auxiliary type below a stem: "STEM_SUFFIX" ("P_pet_tags" + "entry"). */
const char *names_aux(struct names *n, const char *stem, const char *suffix);

/* Registers every identifier the schema makes and reports collisions.
 * Returns the number of errors reported. */
size_t names_check(struct names *n, const struct ast_schema *s, struct diag_ctx *d);

#endif
