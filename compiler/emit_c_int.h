/* Private to the NAME.h/NAME.c emitter (emit_c*.c): its state and the
 * pieces each file gives the others. One file per construct:
 *   emit_c.c         the entry point, NAME.c's layout, files, the depfile
 *   emit_c_out.c     lines, C literals and numbers
 *   emit_c_types.c   NAME.h: structs, enums, prototypes
 *   emit_c_tables.c  descriptor tables of types, models, enums, requests
 *   emit_c_ops.c     call functions, replies, response tables
 *   emit_c_api.c     routes, security schemes, the embedded document
 *   emit_c_client.c  NAME.client.h/.c, the C client (--client c) */
#ifndef APIC_EMIT_C_INT_H
#define APIC_EMIT_C_INT_H

#include "c_names.h"
#include "emit.h"
#include "emit_owning.h"
#include "emit_stubs.h"

#include "config.h"

#include "apic_gen.h"

/* One response of an operation's table (--strict-responses). */
struct reply_entry {
	int status;
	unsigned media;                   /* APIC_MEDIA_* flags */
	const struct ast_response *typed; /* a JSON body of its type passes */
	bool error;                       /* so does one of the error model */
};
struct reply_table {
	struct reply_entry *v;
	size_t n;
};

struct ec {
	const struct ast_schema *s;
	const struct emit_opts *o;
	struct names *n;
	struct diag_ctx *d;
	struct out_buf *b;        /* where ec_ln() writes */
	const char **pats;        /* distinct pattern sources, in first-use order */
	unsigned *pat_unit;       /* the last unit using each pattern */
	size_t npats, cappats;
	unsigned unit;            /* the translation unit being written: 0 NAME.c, k NAME_opsK.c */
	const char *lk;           /* "static " for what only its own unit uses, else "" */
	bool failed;
	bool *hdr_enum;           /* which enums a response header setter needs, by position */
	bool need_error_check;    /* P__error_type: the error model's descriptor */
	struct reply_table *tables; /* each operation's responses, from the document */
	unsigned ndefaults;       /* static defaults and their arrays */
	unsigned ntypes;          /* type descriptors P__t0.. */
	struct arena *arena;      /* the maps below */
	struct strmap *enum_ids;  /* name -> position + 1 */
	struct strmap *types;     /* type descriptor initializer -> its name, in this unit */
	struct strmap *depths;    /* model name -> its nesting depth (emit_c_api.c) */
	struct ec_gzip *gz;       /* the document being compressed (emit_c_api.c) */
	unsigned *op_unit, *op_slot; /* by operation: its unit, its index there */
};

/* emit_c.c: the files of a run (each only when its text changed), the
 * output directory, the depfile naming them. 0, or -1 after reporting. */
int ec_write_file(struct ec *e, const char *fname, const struct out_buf *b, const struct out_buf *more);
int ec_write_depfile(struct ec *e, const char *const *files, size_t nfiles);

/* emit_c_out.c */
void ec_ln(struct ec *e, int ind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A C string literal body for bytes s[0..n): quotes, backslashes, '?'
 * (trigraphs) and everything outside printable ASCII escaped in octal. */
void ec_escape(struct out_buf *b, const char *s, size_t n);
/* A quoted C literal in the names pool (valid until names_free). */
const char *ec_lit(struct ec *e, const char *s, size_t n);
const char *ec_str(struct ec *e, const char *s);
/* A JSON string (quoted, escaped) for an object key, as a C literal body. */
const char *ec_json_key(struct ec *e, const char *key);
const char *ec_i64(struct ec *e, int64_t v);
const char *ec_double(struct ec *e, double v);
void ec_banner(struct ec *e);

/* emit_c_types.c */
/* Members for a value of type t called `name` (arrays and maps take two). */
void ec_member(struct ec *e, int ind, const struct ast_type *t, const char *stem, const char *name);
bool ec_body_has_flag(const struct ast_op *op);
void emit_header(struct ec *e);

/* emit_c_tables.c */
/* The index of enums; which enums need a response header setter. */
void ec_index_schema(struct ec *e);
size_t ec_enum_index(const struct ec *e, const struct ast_enum *en);
/* Starts translation unit `unit` (0: NAME.c): a new set of type descriptors. */
void ec_begin_unit(struct ec *e, unsigned unit);
const char *ec_pattern_name(struct ec *e, size_t i);
/* An enum's name table, descriptor and P_enum__parse. */
void ec_enum_tables(struct ec *e, const struct ast_enum *en);
/* The name of the descriptor of type t (defined before, on first use);
 * `stem` names its aux structs, `top` when its members are inline in the
 * parent, `by_value` for a model held by value (reply arrays). */
const char *ec_type(struct ec *e, const struct ast_type *t, const char *stem, bool top, bool by_value);
/* The same descriptor defined as `name`, with external linkage. */
void ec_type_export(struct ec *e, const struct ast_type *t, const char *stem, bool top, bool by_value,
		    const char *name);
/* The name of the struct apic_default of `v`, defined before; NULL after
 * reporting one the C code cannot express. */
const char *ec_default(struct ec *e, const struct ast_type *t, const struct ast_value *v, bool nullable);
/* NAME.h: extern declarations of the model and enum descriptors. */
void ec_desc_decls(struct ec *e);
/* emit_c_union.c */
void ec_union_types(struct ec *e);
const char *ec_union_desc(struct ec *e, const struct ast_union *u);
void ec_union_tables(struct ec *e, const struct ast_union *u);
void ec_aux_types(struct ec *e, const struct ast_type *t, const char *stem, bool top);
void ec_model_tables(struct ec *e, const struct ast_model *m);
const char *ec_where_enum(enum ast_param_in in);
/* P_op__request: what apic_request_decode() reads. */
void ec_request_table(struct ec *e, const struct ast_op *op);

/* Prototypes and definitions of the generated model encoders (the fast
 * path struct apic_model points to). */
void ec_encoder_decls(struct ec *e);
void ec_model_encoder(struct ec *e, const struct ast_model *m);

/* emit_c_ops.c */
/* Every operation's response table (e->tables, in schema order), from
 * what the document lists. */
void ec_reply_tables(struct ec *e, const struct openapi_doc *doc);
void ec_free_reply_tables(struct ec *e);
void emit_error_type(struct ec *e);
/* A reply without declared headers or a stream is static inline in NAME.h,
 * encoding with P_op__reply_STATUS_type (defined in the operation's unit). */
static inline bool ec_reply_inline(const struct ast_response *r)
{
	return !r->headers && !r->stream;
}
const char *ec_reply_type(struct ec *e, const struct ast_op *op, const struct ast_response *r);
/* The statements that send a reply of r's type (encoded with `type`). */
void ec_reply_body(struct ec *e, const struct ast_response *r, const char *type);
/* The statements of a raw reply (`-> 200 text as "text/csv"`): emit_c_raw.c */
void ec_raw_reply(struct ec *e, const struct ast_response *r);
/* NAME.h's guard of what only the application's code needs (the inline
 * replies and ownership helpers): NAME.c and the units define it. */
const char *ec_unit_macro(struct ec *e);
void emit_op(struct ec *e, const struct ast_op *op, const struct reply_table *t);
/* The call function of `count` operations from `first` in unit `unit`
 * (0: NAME.c), and its name. */
void ec_call_fn(struct ec *e, const struct ast_op *first, size_t count, unsigned unit);
const char *ec_call_name(struct ec *e, unsigned unit);
void ec_enum_header_fn(struct ec *e, const struct ast_enum *en);

/* emit_c_api.c */
const char *ec_method_enum(enum ast_method m);
void emit_api(struct ec *e, const char *openapi);
/* Starts compressing the document (NULL: none) for emit_api(); ec_gzip_end()
 * waits for what emit_api() did not take. */
void ec_gzip_start(struct ec *e, const char *text);
void ec_gzip_end(struct ec *e);

#endif
