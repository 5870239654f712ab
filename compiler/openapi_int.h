/* What the parts of the OpenAPI emitter share: emit_openapi.c writes the
 * document, its paths and operations; openapi_responses.c the operations'
 * responses and the shared error responses; openapi_schema.c the schemas of
 * types, models, enums and the runtime's error shape. All write into one
 * json_writer, in document order. The AsyncAPI emitter (emit_asyncapi.c)
 * writes its schemas and security schemes with the same functions. */
#ifndef APIC_OPENAPI_INT_H
#define APIC_OPENAPI_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "emit.h"
#include "json_writer.h"
#include "out.h"

/* The runtime errors an operation can answer (openapi_responses.c). */
#define OA_NERRORS 12

enum oa_view {
	OA_RESPONSE,
	OA_REQUEST,
};

struct oa {
	const struct ast_schema *s;
	/* AsyncAPI's Schema Object: "discriminator" is the property's name */
	bool asyncapi;
	struct json_writer w;
	struct out_buf scratch;  /* a string being built, e.g. a $ref */
	/* models sorted by address, with whether their views differ */
	const struct ast_model **models;
	bool *split;
	bool *input_used;        /* NAME-Input is referenced by a request body */
	size_t nmodels;
	const struct ast_union **unions; /* in schema order (openapi_union.c) */
	bool *uni_split, *uni_input;
	size_t nunions;
	const char *problem;     /* component names of the runtime's error shape */
	const char *violation;
	bool problem_used;
	/* each operation's "responses", planned before anything is written */
	struct oa_reply *replies;      /* all operations', in schema order */
	size_t *first;                 /* op i's: replies[first[i] .. first[i + 1]) */
	struct openapi_response *rec;  /* what the caller learns of them, alike */
	bool error_used[OA_NERRORS];   /* shared components.responses in use */
};

/* The summary of an operation the schema gives none: its operationId in
 * words, as FastAPI does ("listPets" -> "List Pets"), appended to b
 * (op_summary_words) or in oa->scratch, valid until its next use. */
void op_summary_words(struct out_buf *b, const char *id);
const char *oa_summary_of_id(struct oa *oa, const char *id);

/* Out of memory ends the compiler (exit 3). */
_Noreturn void oa_oom(void);
void *oa_calloc(size_t n, size_t size);

/* Sorts the models, decides which have two views and which request views a
 * request body or a WebSocket's received message reaches; oa_views_free()
 * releases that. */
void oa_views(struct oa *oa);
void oa_views_free(struct oa *oa);

/* Whether the model has two views (NAME and NAME-Input), and whether its
 * request view NAME-Input is in the document (a request body or a
 * WebSocket's `receive` reaches it); for the TypeScript client. */
bool oa_model_split(const struct oa *oa, const struct ast_model *m);
bool oa_model_input_used(const struct oa *oa, const struct ast_model *m);

/* openapi_union.c: the unions' views (after the models' are known; may
 * split more models), a request view reached, "$ref" and the schema. */
void oa_union_views(struct oa *oa);
bool oa_union_split(const struct oa *oa, const struct ast_union *u);
bool oa_union_input_used(const struct oa *oa, const struct ast_union *u);
void oa_union_mark_input(struct oa *oa, const struct ast_union *u,
			 void (*mark)(struct oa *, const struct ast_type *));
void oa_union_ref_member(struct oa *oa, const struct ast_union *u, enum oa_view view);
void oa_union(struct oa *oa, const struct ast_union *u, enum oa_view view);

/* A "$ref" member to a model's or enum's schema in a view. */
void oa_ref_member(struct oa *oa, const char *name, const struct ast_model *m,
		   enum oa_view view);
/* {"$ref": ...} as a value. */
void oa_ref(struct oa *oa, const char *name, const struct ast_model *m, enum oa_view view);

/* The members of the schema of `t`, into the object being written. */
void oa_type_members(struct oa *oa, const struct ast_type *t, enum oa_view view,
		     bool nullable);
/* The schema of `t` as an object. */
void oa_type(struct oa *oa, const struct ast_type *t, enum oa_view view);
/* A literal value (defaults, examples). */
void oa_value(struct oa *oa, const struct ast_value *v);

/* Decides each operation's responses, which shared error responses and
 * whether the runtime's Problem are in use; oa_replies_free() releases all
 * but oa->rec (the caller's). */
void oa_plan_replies(struct oa *oa);
void oa_replies_free(struct oa *oa);
/* "responses" of the i-th operation, recorded into oa->rec. */
void oa_responses(struct oa *oa, const struct ast_op *op, size_t i);
/* components.responses, when one is in use. */
void oa_error_responses(struct oa *oa);
/* The reason phrase of an HTTP status (RFC 9110), or "Response". */
const char *oa_reason(int status);
/* The description of the runtime's own error with this status, or NULL. */
const char *oa_runtime_error_description(int status);

/* "content": {"MEDIA": {"schema": ...}}: opens it up to the schema's value;
 * oa_content_end() closes it after the value. */
void oa_content(struct oa *oa, const char *media);
void oa_content_end(struct oa *oa);
/* What a parameter object and a header object share: description,
 * required, deprecated, schema, example. */
void oa_param_fields(struct oa *oa, const struct ast_param *p, enum oa_view view);

/* "path", "query", "header", "cookie": by enum ast_param_in. */
extern const char *const oa_in_names[4];

/* A security scheme object: http bearer or basic, or an API key whose
 * "type" is `apikey_type` ("apiKey" in OpenAPI, "httpApiKey" in AsyncAPI),
 * its prefix said in the description. */
void oa_security_scheme(struct oa *oa, const struct ast_security *sec, const char *apikey_type);

/* components.schemas: every model (and its used request view), enum and,
 * when in use, the runtime's Problem and Violation, sorted by name. */
void oa_schemas(struct oa *oa);

#endif
