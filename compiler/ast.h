/* The schema's abstract syntax tree: the one interface between the front end
 * (lexer.l, parser.y, check.c) and the emitters (emit_c*.c, emit_stubs.c,
 * emit_openapi.c). The language itself is described in man/apic.5.
 *
 * Ownership: every node, string and list lives in the compilation arena
 * (arena.h) and is freed with it in one go; nothing here is freed piecemeal.
 * Lists are singly linked through `next`, in source order (imports first, in
 * the order they were imported, then the importing file), so emitters that
 * walk them produce deterministic output.
 *
 * Fields marked "check:" are filled by check.c; emitters may rely on them
 * only for a schema that checked without errors. */
#ifndef APIC_AST_H
#define APIC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A source range: file id in the source table, byte offset and length.
 * Line and column are computed only when a diagnostic is printed. */
struct apic_loc {
	uint32_t file, off, len;
};

/* A number literal as written. `text` keeps the exact spelling so emitters can
 * reproduce it (OpenAPI); `is_int` when it has no fraction or exponent and
 * fits int64 (then `i` holds it); `d` always holds the value as a double. */
struct ast_number {
	const char *text;
	bool is_int;
	int64_t i;
	double d;
	struct apic_loc loc;
};

/* A literal value: a default, an example, an enum member name. */
enum ast_value_kind {
	VAL_NULL,
	VAL_BOOL,
	VAL_NUMBER,
	VAL_STRING,
	VAL_IDENT, /* a bare name: an enum member in a default */
	VAL_ARRAY,
	VAL_OBJECT,
};

struct ast_value {
	enum ast_value_kind kind;
	struct apic_loc loc;
	bool b;                    /* VAL_BOOL */
	struct ast_number num;     /* VAL_NUMBER */
	const char *str;           /* VAL_STRING (unescaped, NUL-terminated), VAL_IDENT */
	size_t len;                /* VAL_STRING byte length (may hold \u0000) */
	struct ast_value *items;   /* VAL_ARRAY elements, VAL_OBJECT member values */
	const char *key;           /* member key when this value is inside a VAL_OBJECT */
	struct ast_value *next;    /* next element/member */
	struct ast_enum_member *member; /* check: VAL_IDENT resolved against the field's enum */
};

enum ast_format {
	FMT_NONE,
	FMT_EMAIL,
	FMT_UUID,
	FMT_DATE,
	FMT_DATE_TIME,
	FMT_URI,
	FMT_PASSWORD, /* documentation only (OpenAPI), no validation */
	FMT_IPV4,
	FMT_IPV6,
	FMT_HOSTNAME,
	FMT_URI_REFERENCE,
	FMT_BINARY, /* documentation only, like password */
};

/* A count (lengths, item counts): `set` when written. */
struct ast_count {
	bool set;
	uint64_t n;
	struct apic_loc loc;
};

/* A numeric bound: `set` when written; exclusive for xmin/xmax. */
struct ast_bound {
	bool set;
	bool exclusive;
	struct ast_number num;
};

/* Constraints written in parentheses after a type. Which ones apply to which
 * type is checked by check.c (lengths/pattern/format on strings, bounds on
 * numbers, items/unique on arrays). */
struct ast_constraints {
	struct ast_bound min, max;
	struct ast_count minlen, maxlen;     /* Unicode code points */
	const char *pattern;                 /* ECMA-262 style, compiled with PCRE2 */
	struct apic_loc pattern_loc;
	enum ast_format format;
	struct apic_loc format_loc;
	struct ast_count minitems, maxitems;
	bool unique;
	struct apic_loc unique_loc;          /* added by the front end: where `unique` is */
	struct ast_count minprops, maxprops; /* maps */
};

enum ast_prim {
	PRIM_STRING,
	PRIM_BOOL,
	PRIM_INT32,
	PRIM_INT64,
	PRIM_NUMBER, /* IEEE double */
};

enum ast_type_kind {
	TYPE_PRIM,  /* string, bool, int32, int64, number */
	TYPE_NAMED, /* a model or an enum, by name */
	TYPE_ARRAY, /* [T] */
	TYPE_MAP,   /* map<T>: JSON object with string keys and T values */
};

struct ast_type {
	enum ast_type_kind kind;
	struct apic_loc loc;
	enum ast_prim prim;          /* TYPE_PRIM */
	const char *name;            /* TYPE_NAMED as written */
	struct ast_model *model;     /* check: TYPE_NAMED naming a model */
	struct ast_enum *enm;        /* check: TYPE_NAMED naming an enum */
	struct ast_union *uni;       /* check: TYPE_NAMED naming a union */
	struct ast_type *elem;       /* TYPE_ARRAY element, TYPE_MAP value */
	struct ast_constraints c;    /* constraints on this level of the type */
};

/* One property of a model. `name: type` is required; `name?: type` is
 * optional; a default makes a field optional too (the default is applied by
 * the decoder when the property is absent). */
struct ast_field {
	struct ast_field *next;
	const char *name;
	struct apic_loc loc;         /* the name */
	const char *doc;             /* joined /// lines, NULL if none */
	struct ast_type *type;
	bool optional;               /* '?' written, or a default given */
	bool nullable;
	bool readonly;               /* server-set: never read from a request body (see apic.5) */
	bool writeonly;              /* accepted in requests, never encoded */
	bool deprecated;
	struct ast_value *def;       /* default, or NULL */
	struct ast_value *example;   /* example, or NULL */
	bool spread;                 /* parser: `...Name` placeholder (type names the model); check replaces it */
	struct apic_loc from;        /* check: the `...Name` this copy came from, or zero */
};

/* A `...Name` in a model body: kept after check expands it, for the LSP. */
struct ast_spread {
	struct ast_spread *next;
	struct ast_type *type;       /* TYPE_NAMED; check sets model */
};

struct ast_model {
	struct ast_model *next;
	const char *name;
	struct apic_loc loc;         /* the name */
	const char *doc;
	struct ast_field *fields;
	size_t nfields;
	bool open;                   /* `model X open { }`: unknown properties allowed */
	bool deprecated;
	bool used;                   /* check: referenced from an operation, directly or not */
	struct ast_value *example;
	struct ast_spread *spreads;  /* `...Name` entries, in order */
	int expand;                  /* check: 0 not yet, 1 expanding (cycle), 2 done */
	bool spread_src;             /* check: some model spreads it (so it is not "never used") */
};

struct ast_enum_member {
	struct ast_enum_member *next;
	const char *name;            /* the JSON spelling */
	struct apic_loc loc;
	const char *doc;
};

struct ast_enum {
	struct ast_enum *next;
	const char *name;
	struct apic_loc loc;
	const char *doc;
	struct ast_enum_member *members;
	size_t nmembers;
	bool used;                   /* check */
};

/* One branch of a union. In a discriminated union (`by "prop"`), `value`
 * is the discriminator value that selects it (the member name, or a string)
 * and `type` names a model; otherwise `value` is NULL and `type` is any type
 * (a model, a primitive, an array, a map). */
struct ast_branch {
	struct ast_branch *next;
	const char *value;
	struct apic_loc loc;         /* the value, or the type when undiscriminated */
	struct ast_type *type;
};

/* `union NAME [by "prop"] { ... }`: a value is exactly one of the branches
 * (OpenAPI oneOf). With `by`, the property `disc` of the object names the
 * branch; each branch model declares it as a required string field. */
struct ast_union {
	struct ast_union *next;
	const char *name;
	struct apic_loc loc;         /* the name */
	const char *doc;
	const char *disc;            /* discriminator property, or NULL */
	struct apic_loc disc_loc;
	struct ast_branch *branches;
	size_t nbranches;
	bool deprecated;
	bool used;                   /* check */
	int state;                   /* check: branch-cycle search */
};

enum ast_sec_kind {
	SEC_BEARER, /* Authorization: Bearer <token> */
	SEC_APIKEY, /* a header, query parameter or cookie, with an optional prefix */
	SEC_BASIC,  /* Authorization: Basic base64(user:password) */
};

enum ast_param_in {
	IN_PATH,
	IN_QUERY,
	IN_HEADER,
	IN_COOKIE,
};

/* `security NAME = bearer [format "JWT"]`
 * `security NAME = apikey header|query|cookie "Name" [prefix "Token "]`
 * `security NAME = basic` */
struct ast_security {
	struct ast_security *next;
	const char *name;
	struct apic_loc loc;
	const char *doc;
	enum ast_sec_kind kind;
	enum ast_param_in in;        /* SEC_APIKEY: IN_HEADER, IN_QUERY or IN_COOKIE */
	const char *key;             /* SEC_APIKEY: header/parameter/cookie name */
	const char *prefix;          /* SEC_APIKEY: required value prefix, e.g. "Token ", or NULL */
	const char *bearer_format;   /* SEC_BEARER: documentation only, or NULL */
	bool used;                   /* check */
};

/* An auth requirement: `auth NAME`, `auth optional NAME`, `auth none`. */
struct ast_auth {
	bool set;                    /* written at all (an operation without it takes the service default) */
	bool none;                   /* `auth none` */
	bool optional;               /* `auth optional NAME`: anonymous allowed, principal if valid */
	const char *name;
	struct apic_loc loc;
	struct ast_security *scheme; /* check: resolved */
};

/* A path, query, header or cookie parameter of an operation. */
struct ast_param {
	struct ast_param *next;
	enum ast_param_in in;
	const char *name;            /* as sent on the wire (header names as written) */
	struct apic_loc loc;
	const char *doc;
	struct ast_type *type;       /* a primitive or an enum, or an array of one (query) */
	bool optional;               /* '?' or a default; path parameters are always required */
	bool deprecated;
	struct ast_value *def;
	struct ast_value *example;
};

/* One piece of a path template: literal text or a {param}. */
struct ast_segment {
	struct ast_segment *next;
	bool is_param;
	const char *text;            /* literal text between slashes, or the parameter name */
	struct apic_loc loc;
	struct ast_param *param;     /* check: the IN_PATH parameter it names */
};

/* `-> STATUS [TYPE] ["description"] [{ header NAME[?]: TYPE ... }]` */
struct ast_response {
	struct ast_response *next;
	int status;                  /* 100..599 */
	struct apic_loc loc;
	struct ast_type *type;       /* NULL: no body, or the API's error shape (below) */
	const char *description;     /* NULL: the emitter uses the reason phrase */
	struct ast_param *headers;   /* declared response headers (in == IN_HEADER), or NULL */
	bool stream;                 /* `-> 200 stream Event`: text/event-stream of Events */
	struct apic_loc stream_loc;
	/* `-> 200 text as "text/csv" [download "r.csv"]`: a raw body of the
	 * given media type, sent as the handler's bytes (type is NULL then) */
	enum ast_raw { RAW_NONE, RAW_TEXT, RAW_BYTES } raw;
	const char *media;           /* the media type, as written */
	struct apic_loc media_loc;
	const char *download;        /* file name of Content-Disposition: attachment, or NULL */
	struct apic_loc download_loc;
};

/* A response without a type and a status >= 400 is an error response: its
 * body is the API's error shape (problem+json, or `errors MODEL`), the one
 * apic_ctx_reply_error() sends; both emitters follow this one rule. A
 * typeless response below 400 (204, 202, 304) has no body. */
bool ast_response_is_error(const struct ast_response *r);

/* The Content-Disposition of a `download` name (RFC 6266): attachment with
 * an ASCII filename= ('_' for other bytes) and, for a name that is not
 * ASCII, filename*= in UTF-8 (RFC 8187). `out` holds AST_DISPOSITION_MAX. */
#define AST_DOWNLOAD_MAX 200
#define AST_DISPOSITION_MAX (64 + 4 * AST_DOWNLOAD_MAX)
void ast_content_disposition(const char *name, char *out);

enum ast_method {
	METHOD_GET,
	METHOD_PUT,
	METHOD_POST,
	METHOD_DELETE,
	METHOD_PATCH,
	METHOD_HEAD,
	METHOD_OPTIONS,
};

struct ast_tag_ref {
	struct ast_tag_ref *next;
	const char *name;
	struct apic_loc loc;
};

struct ast_op {
	struct ast_op *next;
	enum ast_method method;
	const char *path;            /* the template as written, e.g. "/pets/{petId}" */
	struct apic_loc loc;         /* the method keyword */
	struct apic_loc path_loc;
	struct ast_segment *segments;/* split at '/', leading '/' dropped: "/" has none */
	const char *name;            /* `operation NAME`, or NULL */
	const char *id;              /* check: operationId: `name`, else derived (lowerCamel of method + path) */
	const char *summary;         /* `summary "..."`, else the first /// line */
	const char *doc;             /* the /// lines after the first (description), or NULL */
	struct ast_tag_ref *tags;
	bool deprecated;
	struct ast_auth auth;        /* as written */
	struct ast_auth eff_auth;    /* check: `auth` or the service default */
	struct ast_param *params;    /* every in, in source order */
	struct ast_type *body;       /* `body TYPE`, or NULL */
	bool body_optional;          /* `body? TYPE` */
	struct apic_loc body_loc;
	uint64_t max_body;           /* `maxbody N` in bytes, 0: the runtime default */
	const char *cache_control;   /* `cache "..."`: Cache-Control of its 2xx replies, or NULL */
	struct apic_loc cache_loc;
	bool etag;                   /* `etag`: ETag on 200 replies, If-None-Match -> 304 */
	struct apic_loc etag_loc;
	/* `receive IN` and `send OUT`: a WebSocket, with the messages each way */
	struct ast_type *ws_in, *ws_out;
	struct apic_loc ws_loc;
	bool async;                  /* `async`: the handler may suspend and reply later */
	struct apic_loc async_loc;
	unsigned deadline_ms;        /* `deadline 5s`: of a suspended request, 0: the server's */
	struct apic_loc deadline_loc;
	struct ast_response *responses;
};

struct ast_server {
	struct ast_server *next;
	const char *url;
	const char *description;
	struct apic_loc loc;
};

/* `service "Title" version "1.0.0" { ... }`: exactly one, in the root file. */
struct ast_service {
	const char *title;
	const char *version;
	struct apic_loc loc;
	const char *doc;             /* /// lines before `service` */
	const char *description;     /* `description "..."` */
	struct ast_server *servers;
	const char *basepath;        /* `basepath "/api"`: every path is served under it, or NULL */
	struct apic_loc basepath_loc;/* added by the front end: the basepath string */
	struct ast_auth auth;        /* `auth ...`: default for every operation */
	const char *error_model_name;/* `errors MODEL at "/pointer"`: the API's own error shape */
	struct apic_loc error_loc;
	struct ast_model *error_model; /* check */
	const char *error_pointer;   /* where the array of messages goes, e.g. "/errors/body" */
	const char *prefix;          /* `cprefix name`: C identifier prefix, else from the title */
};

struct ast_import {
	struct ast_import *next;
	const char *path;            /* as written */
	struct apic_loc loc;
	uint32_t file;               /* source table id of the imported file */
};

struct ast_schema {
	struct ast_service *service; /* NULL when none was declared (an error for emitters) */
	struct ast_import *imports;
	struct ast_model *models;
	struct ast_enum *enums;
	struct ast_security *securities;
	struct ast_op *ops;
	size_t nmodels, nenums, nsecurities, nops;
	struct ast_union *unions;
	size_t nunions;
};

#endif
