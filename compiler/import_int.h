/* `apic import`: an OpenAPI 3.0/3.1 document (JSON or YAML) to a schema.
 * The document is loaded into json-c objects (import_load.c), then the
 * schema text is generated (import_schema.c: schemas to types, models and
 * enums; import_ops.c: service, security, operations), then run through
 * the front end and `apic fmt`'s layout (import.c). Whatever the language
 * cannot say is a warning with the JSON pointer into the document and what
 * was done instead. See apic(1), import, and docs/openapi.md. */
#ifndef APIC_IMPORT_INT_H
#define APIC_IMPORT_INT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "out.h"

struct imp {
	const char *file;          /* the document's name in diagnostics */
	json_object *root;
	bool v31;                  /* openapi 3.1 (else 3.0) */
	bool apic_doc;
	bool no_values;            /* leave out defaults and examples (second try) */             /* written by `apic openapi`: its runtime parts are known */
	size_t nwarn;
	struct out_buf warns;      /* the warnings, printed at the end */
	json_object *warned;       /* the warnings given (each once) */
	struct out_buf decls;      /* models and enums, in the order they were finished */
	json_object *used;         /* declaration names taken -> true */
	json_object *comp;         /* "#/components/schemas/X" -> declared name (string), or null: inlined */
	json_object *busy;         /* pointers of schemas being rendered (cycles) */
	json_object *inline_done;  /* pointer of an inline schema -> the name it got */
	const char *error_model;   /* the `errors` model of an apic document, if any */
	struct names *cn;          /* C names (names.h), to see two that collide */
	json_object *sec;          /* security scheme key -> declared name */
	json_object *opnames;      /* operation names taken (C spelling) */
};

/* import_load.c: the file's text as json-c objects; NULL after a message
 * (*io: the file could not be read). */
json_object *imp_load(const char *path, const char *shown, bool *io);

/* import.c: diagnostics. `ptr` is a JSON pointer (already escaped). */
void imp_warn(struct imp *im, const char *ptr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A JSON pointer: `base` + "/" + the key escaped (~0 ~1); arena-like: malloc'd,
 * kept until the end of the run. */
const char *imp_ptr(struct imp *im, const char *base, const char *key);
const char *imp_ptri(struct imp *im, const char *base, size_t i);
/* Follows a local $ref ("#/..."); NULL (and a warning) when it is external
 * or does not resolve. *target is the pointer it names. */
json_object *imp_deref(struct imp *im, const char *ptr, const char *ref, const char **target);
/* obj itself, or what its $ref chain leads to; *ptr updated. */
json_object *imp_follow(struct imp *im, json_object *obj, const char **ptr);
const char *imp_str(json_object *o, const char *key);
json_object *imp_get(json_object *o, const char *key);
char *imp_strdup(struct imp *im, const char *s);

/* import_names.c */
bool imp_is_ident(const char *s);       /* a valid apic IDENT, not a keyword */
bool imp_is_label(const char *s);       /* usable as a bare field/parameter name */
/* A declaration name from any text: letters, digits, '_', first letter kept,
 * made unique (Name, Name2, ...) and recorded in im->used. */
const char *imp_decl_name(struct imp *im, const char *want);
/* Text joined in camel case: "get", "/pets/{id}" -> "getPetsId". */
char *imp_camel(struct imp *im, const char *a, const char *b);
/* An operation name: an IDENT (the formatter checks the rest). */
char *imp_op_name(struct imp *im, const char *want);
/* Writes s as a schema string literal. */
void imp_put_string(struct out_buf *b, const char *s);
/* Writes s as a field/parameter name: bare when possible, else a string. */
void imp_put_name(struct out_buf *b, const char *s);
/* Writes `///` lines of doc text (indented by ind spaces). */
void imp_put_doc(struct out_buf *b, const char *doc, int ind);
/* Writes a JSON value as a schema value. */
void imp_put_value(struct out_buf *b, json_object *v);
/* A default: enum members bare (as names) when the type is an enum. */
void imp_put_default(struct out_buf *b, json_object *v, bool is_enum);

/* import_schema.c */
struct imp_mods {
	bool nullable, readonly, writeonly, deprecated, def_null;
	bool is_enum;              /* the type is an enum or an array of one: defaults are members */
	json_object *def, *example;
	const char *doc;
};
/* Writes the type of the schema at `ptr` (with its constraints) to b;
 * `hint` names an inline model or enum it needs. Fills *m. */
void imp_type(struct imp *im, json_object *s, const char *ptr, const char *hint,
	      struct out_buf *b, struct imp_mods *m);
/* Declares every components.schemas entry that is a model or an enum. */
void imp_components(struct imp *im);
/* Whether the schema (after $refs) is a primitive or an enum: a parameter's or
 * header's type. */
bool imp_is_scalar(struct imp *im, json_object *s, const char *ptr);

bool imp_value_fits(const char *type_text, json_object *v);
/* The helpers import_decls.c shares. */
const char *imp_any_model(struct imp *im);
bool imp_truthy(json_object *s, const char *key);
const char *imp_type_of(struct imp *im, json_object *s, const char *ptr, bool *nullable);
bool imp_string_enum(json_object *s);
bool imp_members_collide(json_object *e, const char **a, const char **b);
int imp_allof_single(json_object *s);
json_object *imp_single_alt(json_object *alts, bool *nullable, size_t *n);
void imp_own_mods(struct imp *im, json_object *s, struct imp_mods *m);

/* import_decls.c */
void imp_render_enum(struct imp *im, json_object *s, const char *ptr, const char *name);
void imp_render_model(struct imp *im, json_object *s, const char *ptr, const char *name);
/* What a component becomes: 'm' a model, 'e' an enum, 0 written where used. */
int imp_component_kind(struct imp *im, json_object *s, const char *ptr);

/* import_ops.c */
void imp_service(struct imp *im, struct out_buf *b);
void imp_security(struct imp *im, struct out_buf *b);
/* A security requirement list as an `auth` line (service: none is no line). */
void imp_auth(struct imp *im, json_object *sec, const char *ptr, struct out_buf *b, bool service);
/* The `errors ... at` pointer of an apic document's errors model. */
const char *imp_error_pointer(struct imp *im);

/* import_resp.c */
struct imp_op {
	const char *name;          /* the operation's name (hints for inline types) */
	bool method_get;
	const char *cache;         /* Cache-Control of its 2xx replies */
	bool etag, saw_413, websocket;
	unsigned long long maxbody;
};
bool imp_json_media(const char *mt);
json_object *imp_content(struct imp *im, json_object *content, const char *cptr, const char **ptr,
			 bool *found, const char *what);
void imp_responses(struct imp *im, json_object *resps, const char *ptr, struct imp_op *op, struct out_buf *b);

/* import_paths.c */
void imp_paths(struct imp *im, struct out_buf *b);

#endif
