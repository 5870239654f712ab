/* Private to the NAME.h/NAME.c emitter (emit_c*.c): its state and the
 * pieces each file gives the others. One file per construct:
 *   emit_c.c         the entry point, NAME.c's layout, files, the depfile
 *   emit_c_out.c     lines, C literals and numbers
 *   emit_c_types.c   NAME.h: structs, enums, prototypes
 *   emit_c_decode.c  which decoders are needed; decoders and checkers
 *   emit_c_encode.c  encoders and enum functions
 *   emit_c_params.c  path, query, header and cookie parameters
 *   emit_c_ops.c     request functions, dispatch, replies, response tables
 *   emit_c_api.c     routes, security schemes, the embedded document */
#ifndef APIC_EMIT_C_INT_H
#define APIC_EMIT_C_INT_H

#include "c_names.h"
#include "emit.h"
#include "emit_owning.h"
#include "emit_stubs.h"

#include "config.h"

#include "apic_gen.h"

/* The embedded OpenAPI text is split in string literals of this many bytes:
 * C11 promises only 4095 characters per literal (5.2.4.1). */
#define EC_CHUNK 4000

/* One response of an operation's table (--strict-responses). */
struct reply_entry {
	int status;
	unsigned media;                   /* APIC_MEDIA_* flags */
	const struct ast_response *typed; /* its type's checker takes a JSON body */
	bool error;                       /* the error model's checker takes one */
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
	struct out_buf *b;        /* where ln() writes */
	const char **pats;        /* distinct pattern sources, in first-use order */
	size_t npats, cappats;
	unsigned tmp;             /* suffix of the next generated local variable */
	bool failed;
	/* which models/enums need a decoder (reachable from a request), an
	 * encoder (reachable from a response) or a checker (reachable from a
	 * response or the API's error model: --strict-responses), and which
	 * enums a response header setter, by position in the schema lists */
	bool *dec_model, *enc_model, *dec_enum, *enc_enum, *hdr_enum, *chk_model, *chk_enum;
	bool need_int, need_unique, need_jtype;
	bool need_error_check;    /* P__check_error: the error model's checker */
	bool resp;                /* decoders being emitted check replies (P_model__check) */
	struct reply_table *tables; /* each operation's responses, from the document */
	unsigned ndefaults;       /* static arrays holding array defaults */
};

/* Where a value being checked came from: a place in the body (a jptr
 * expression) or a parameter (with the index of a repeated query value). */
struct site {
	const char *at;      /* body: `const struct apic_jptr *` expression */
	const char *where;   /* parameter: APIC_IN_QUERY, ... */
	const char *name;    /* parameter: its name as a C literal */
	const char *index;   /* parameter array element: index variable, or NULL */
};

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
/* The suffix of the next generated local variable. */
unsigned ec_tmp(struct ec *e);
void ec_banner(struct ec *e);

/* emit_c_types.c */
/* Members for a value of type t called `name` (arrays and maps take two). */
void ec_member(struct ec *e, int ind, const struct ast_type *t, const char *stem, const char *name);
/* Array member expressions of a value `v` of array/map type: the pointer
 * and the count, inline (top) or inside its aux struct. */
void ec_seq_exprs(struct ec *e, const struct ast_type *t, const char *v, bool top,
		  const char **ptr, const char **count);
bool ec_body_has_flag(const struct ast_op *op);
void emit_header(struct ec *e);

/* emit_c_decode.c */
size_t ec_enum_index(const struct ec *e, const struct ast_enum *en);
/* Marks in `models` and `enums` what a value of type t reaches: in a
 * request (readonly fields left out) or in a reply (writeonly ones). */
void ec_mark_in(struct ec *e, const struct ast_type *t, bool request, bool *models, bool *enums);
void ec_mark(struct ec *e, const struct ast_type *t, bool dec);
/* One violation call; `fmt` is a C literal body (no quotes), `args` the
 * extra arguments with their leading commas. */
void ec_vio(struct ec *e, int ind, const struct site *s, const char *code,
	    const char *fmt, const char *args);
const char *ec_pattern_name(struct ec *e, size_t i);
void ec_check_string(struct ec *e, int ind, const struct ast_constraints *c,
		     const char *v, const struct site *s);
void ec_check_bounds(struct ec *e, int ind, const struct ast_constraints *c,
		     const char *v, bool integer, const struct site *s);
void ec_check_count(struct ec *e, int ind, const struct ast_count *min,
		    const struct ast_count *max, const char *count, bool props,
		    const struct site *s);
/* "red, green, blue" as a C literal. */
const char *ec_enum_list(struct ec *e, const struct ast_enum *en);
/* Decodes json_object expression `src` (NULL for JSON null) of type t into
 * lvalue `dst`, reporting at jptr expression `at`. `top`: an array or map
 * value has its members inline (dst, dst_count) rather than in a struct. */
void ec_dec_value(struct ec *e, int ind, const struct ast_type *t, const char *stem,
		  const char *src, const char *dst, bool top, const char *at);
void ec_default(struct ec *e, int ind, const struct ast_type *t, const struct ast_value *v,
		const char *dst, const char *has, const char *is_null, const char *array_name);
bool ec_default_ok(struct ec *e, const struct ast_type *t, const struct ast_value *v,
		   bool nullable, const char **array_name);
void emit_model_decoder(struct ec *e, const struct ast_model *m);

/* emit_c_encode.c */
void ec_enc_value(struct ec *e, int ind, const struct ast_type *t, const char *v, bool top);
void emit_model_encoder(struct ec *e, const struct ast_model *m);
void emit_enum_fns(struct ec *e, const struct ast_enum *en, size_t idx);

/* emit_c_params.c */
const char *ec_where_enum(enum ast_param_in in);
void ec_param(struct ec *e, const struct ast_op *op, const struct ast_param *p,
	      unsigned path_idx, const char *array_name);

/* emit_c_ops.c */
/* Every operation's response table (e->tables, in schema order), read
 * from the document. */
void ec_read_reply_tables(struct ec *e, const char *openapi);
void ec_free_reply_tables(struct ec *e);
void emit_error_check(struct ec *e);
void emit_op(struct ec *e, const struct ast_op *op, const struct reply_table *t);

/* emit_c_api.c */
const char *ec_method_enum(enum ast_method m);
void emit_api(struct ec *e, const char *openapi);
void emit_helpers(struct ec *e);

#endif
