/* What the parts of the TypeScript client emitter share: emit_ts.c writes
 * the file, its types and operations; emit_ts_validate.c the checks of
 * `validate: true`; ts_runtime.ts (through ts_runtime.h, made from it at
 * build time) is the fixed part copied in. docs/clients.md describes the
 * client. */
#ifndef APIC_EMIT_TS_INT_H
#define APIC_EMIT_TS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "openapi_int.h"
#include "out.h"

/* A model's or an enum's TypeScript names. */
struct ts_named {
	const char *ts;      /* the type (a model's response view) */
	const char *input;   /* a model's request view: ts, or NAMEInput where the document has NAME-Input */
	const char *check;   /* its check function, $check_TS */
	const struct ast_model *model;
	const struct ast_enum *enm;
	const struct ast_union *uni;
	bool needed;         /* its check is referenced: it is written */
};

/* The check helpers of ts_runtime.ts that are used (its "check-NAME"
 * sections): only those are copied, so that a client compiles with
 * noUnusedLocals too. */
enum {
	TS_H_BOOL = 1, TS_H_NUM = 2, TS_H_STR = 4, TS_H_RE = 8, TS_H_ENUM = 16,
	TS_H_ARR = 32, TS_H_MAP = 64, TS_H_ANY = 128, TS_H_UNION = 256,
};

struct ts {
	const struct ast_schema *s;
	struct oa views;              /* oa_views(): which models have two views */
	struct out_buf *b;
	struct arena *a;
	struct strmap *named;         /* schema name -> struct ts_named */
	struct strmap *types, *values;/* TypeScript names taken, types and values apart */
	const char *problem, *violation; /* the runtime's Problem and Violation; NULL with `errors MODEL` */
	const char *problem_check, *violation_check;
	/* the fixed exports' names (see ts_names) */
	const char *options, *api_error, *api_violation, *stream_event, *socket, *create_client;
	unsigned helpers;             /* TS_H_*: the check helpers used */
	struct ts_named **queue;      /* checks referenced, to be written, in order */
	size_t nqueue;
	bool problem_needed;
	struct strmap *patterns;      /* pattern source -> its RegExp constant */
	size_t npatterns;
	struct out_buf pattern_decls; /* const $rN = $re("..."); */
};

/* One operation's names. */
struct ts_op {
	const char *fn, *params, *result, *body_key, *desc;
};

_Noreturn void ts_oom(void);
/* A doc comment of `text` (lines) indented by `ind` tabs; nothing for NULL. */
void ts_doc(struct out_buf *b, int ind, const char *text);
/* The same of a declaration's doc, with @default and @deprecated. */
void ts_doc_parts(struct out_buf *b, int ind, const char *doc, const struct ast_value *def,
		  bool deprecated);
/* The TypeScript type of values of `ty` in a view. */
void ts_type(struct ts *t, struct out_buf *b, const struct ast_type *ty, enum oa_view view);
bool ts_has_ws(const struct ast_schema *s);
bool ts_has_stream(const struct ast_schema *s);
/* An operation's params and result types, descriptor and function. */
void ts_operation(struct ts *t, const struct ast_op *op, const struct ts_op *x,
		  const struct openapi_op_responses *rs);
void ts_create_client(struct ts *t, const struct ts_op *ops);

/* A TypeScript string literal (double quotes) of s[0..n). */
void ts_str(struct out_buf *b, const char *s, size_t n);
/* A property name: bare when it is an identifier, else a string literal. */
void ts_key(struct out_buf *b, const char *name);
const struct ts_named *ts_named(const struct ts *t, const char *name);

/* The check function of a model or an enum, to be written. */
const char *ts_need(struct ts *t, const char *name);
/* A $Check expression for values of type `ty` (response view). */
void ts_check_expr(struct ts *t, struct out_buf *b, const struct ast_type *ty);
/* The check functions referenced (ts_need: of models' response views and
 * enums; the runtime's Problem), then the RegExp constants of the patterns
 * used. */
void ts_checks(struct ts *t);
void ts_pattern_decls(struct ts *t);

#endif
