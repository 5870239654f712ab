/* The schema grammar. Actions build the raw AST only; names, types and
 * everything else semantic are checked by check.c. See apic(5). */
%require "3.6"
%define api.pure full
%define api.prefix {apic_yy}
%define api.token.prefix {TOK_}
%define api.location.type {struct apic_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {struct apic_parse *ps}
%expect 0

%code requires {
#include <stdbool.h>
#include "ast.h"
#include "lexer.h"

/* One constraint inside (...), applied to the type by the rule above it. */
struct con {
	int kind;
	struct ast_number a, b;
	const char *str;
	struct apic_loc loc;
};

/* Modifiers after a field's or parameter's type. */
struct mods {
	bool nullable, readonly, writeonly, deprecated;
	struct ast_value *def, *example;
};

struct vlist {
	struct ast_value *head, **tail;
};

/* A location spans its first through last non-empty child; an empty rule
 * sits where the previous symbol ended. */
#define YYLLOC_DEFAULT(Cur, Rhs, N) do {                                       \
	if (N) {                                                               \
		int f_ = 1, l_ = (N);                                          \
		while (f_ < l_ && YYRHSLOC(Rhs, f_).len == 0) f_++;            \
		while (l_ > f_ && YYRHSLOC(Rhs, l_).len == 0) l_--;            \
		(Cur).file = YYRHSLOC(Rhs, f_).file;                           \
		(Cur).off = YYRHSLOC(Rhs, f_).off;                             \
		(Cur).len = YYRHSLOC(Rhs, l_).off + YYRHSLOC(Rhs, l_).len      \
			    - YYRHSLOC(Rhs, f_).off;                           \
	} else {                                                               \
		(Cur).file = YYRHSLOC(Rhs, 0).file;                            \
		(Cur).off = YYRHSLOC(Rhs, 0).off + YYRHSLOC(Rhs, 0).len;       \
		(Cur).len = 0;                                                 \
	}                                                                      \
} while (0)
}

%code provides {
int lexer_scan(struct lexer *lx, APIC_YYSTYPE *val, struct apic_loc *loc);
/* Describes the last token scanned ("identifier 'x'", "end of file"). */
void lexer_describe(const struct lexer *lx, char *buf, size_t n);
/* The last token was an identifier or keyword. */
bool lexer_last_is_word(const struct lexer *lx);
bool lexer_last_is_ident(const struct lexer *lx);
/* The last token starts a top-level declaration (model, get, ...). */
bool lexer_last_starts_decl(const struct lexer *lx);
/* Describes the token after the last one without consuming it. */
bool lexer_peek(const struct lexer *lx, struct apic_loc *loc, char *buf, size_t n);
}

%code {
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "source.h"
#include "suggest.h"

/* Nesting ([[[...]]], values) is bounded by the parser stack: deeper input
 * is an error ("nesting too deep"), never a stack overflow later on. */
#define YYMAXDEPTH 2000
#define YYINITDEPTH 200

static int apic_yylex(APIC_YYSTYPE *val, struct apic_loc *loc, struct apic_parse *ps)
{
	return lexer_scan(ps->lex, val, loc);
}

static void apic_yyerror(struct apic_loc *loc, struct apic_parse *ps, const char *msg)
{
	if (strcmp(msg, "memory exhausted") == 0)
		diag_error(ps->diag, *loc, "nesting too deep (the limit is %d levels)", YYMAXDEPTH / 2);
	else
		diag_error(ps->diag, *loc, "%s", msg);
}

enum { C_MIN, C_MAX, C_XMIN, C_XMAX, C_RANGE, C_LEN, C_LENRANGE, C_MINLEN, C_MAXLEN,
       C_PATTERN, C_FORMAT, C_ITEMS, C_MINITEMS, C_MAXITEMS, C_UNIQUE, C_MINPROPS,
       C_MAXPROPS };

static void *mk(struct apic_parse *ps, size_t n) { return arena_alloc(ps->arena, n); }

static struct ast_type *mk_type(struct apic_parse *ps, enum ast_type_kind k, struct apic_loc loc)
{
	struct ast_type *t = mk(ps, sizeof *t);
	t->kind = k;
	t->loc = loc;
	return t;
}

static struct ast_type *mk_named(struct apic_parse *ps, const char *name, struct apic_loc loc)
{
	static const struct { const char *n; enum ast_prim p; } prims[] = {
		{ "string", PRIM_STRING }, { "bool", PRIM_BOOL }, { "int32", PRIM_INT32 },
		{ "int64", PRIM_INT64 }, { "number", PRIM_NUMBER },
	};
	for (size_t i = 0; i < sizeof prims / sizeof *prims; i++)
		if (strcmp(name, prims[i].n) == 0) {
			struct ast_type *t = mk_type(ps, TYPE_PRIM, loc);
			t->prim = prims[i].p;
			return t;
		}
	struct ast_type *t = mk_type(ps, TYPE_NAMED, loc);
	t->name = name;
	return t;
}

static struct ast_value *mk_val(struct apic_parse *ps, enum ast_value_kind k, struct apic_loc loc)
{
	struct ast_value *v = mk(ps, sizeof *v);
	v->kind = k;
	v->loc = loc;
	return v;
}

static bool count_of(struct apic_parse *ps, const struct ast_number *n, struct ast_count *c)
{
	if (!n->is_int || n->i < 0) {
		diag_error(ps->diag, n->loc, "expected a non-negative integer, found '%s'", n->text);
		return false;
	}
	c->set = true;
	c->n = (uint64_t)n->i;
	c->loc = n->loc;
	return true;
}

static const char *const con_names[] = {
	"min", "max", "xmin", "xmax", "min", "len", "len", "minlen", "maxlen", "pattern",
	"format", "items", "minitems", "maxitems", "unique", "minprops", "maxprops",
};

static void dup_con(struct apic_parse *ps, const struct con *c, const char *what)
{
	diag_error(ps->diag, c->loc, "duplicate constraint '%s'", what);
}

static void set_bound(struct apic_parse *ps, const struct con *c, struct ast_bound *b,
		      const struct ast_number *n, bool excl, const char *what)
{
	if (b->set) {
		dup_con(ps, c, what);
		return;
	}
	b->set = true;
	b->exclusive = excl;
	b->num = *n;
}

static void set_count(struct apic_parse *ps, const struct con *c, struct ast_count *k,
		      const struct ast_number *n, const char *what)
{
	if (k->set) {
		dup_con(ps, c, what);
		return;
	}
	if (count_of(ps, n, k))
		k->loc = c->loc;
}

static void apply_con(struct apic_parse *ps, struct ast_constraints *cs, const struct con *c)
{
	const char *nm = con_names[c->kind];
	switch (c->kind) {
	case C_MIN: set_bound(ps, c, &cs->min, &c->a, false, nm); break;
	case C_MAX: set_bound(ps, c, &cs->max, &c->a, false, nm); break;
	case C_XMIN: set_bound(ps, c, &cs->min, &c->a, true, nm); break;
	case C_XMAX: set_bound(ps, c, &cs->max, &c->a, true, nm); break;
	case C_RANGE:
		set_bound(ps, c, &cs->min, &c->a, false, "min");
		set_bound(ps, c, &cs->max, &c->b, false, "max");
		break;
	case C_LEN:
		set_count(ps, c, &cs->minlen, &c->a, "minlen");
		set_count(ps, c, &cs->maxlen, &c->a, "maxlen");
		break;
	case C_LENRANGE:
		set_count(ps, c, &cs->minlen, &c->a, "minlen");
		set_count(ps, c, &cs->maxlen, &c->b, "maxlen");
		break;
	case C_MINLEN: set_count(ps, c, &cs->minlen, &c->a, nm); break;
	case C_MAXLEN: set_count(ps, c, &cs->maxlen, &c->a, nm); break;
	case C_ITEMS:
		set_count(ps, c, &cs->minitems, &c->a, "minitems");
		set_count(ps, c, &cs->maxitems, &c->b, "maxitems");
		break;
	case C_MINITEMS: set_count(ps, c, &cs->minitems, &c->a, nm); break;
	case C_MAXITEMS: set_count(ps, c, &cs->maxitems, &c->a, nm); break;
	case C_MINPROPS: set_count(ps, c, &cs->minprops, &c->a, nm); break;
	case C_MAXPROPS: set_count(ps, c, &cs->maxprops, &c->a, nm); break;
	case C_UNIQUE:
		if (cs->unique)
			dup_con(ps, c, nm);
		cs->unique = true;
		cs->unique_loc = c->loc;
		break;
	case C_PATTERN:
		if (cs->pattern)
			dup_con(ps, c, nm);
		cs->pattern = c->str;
		cs->pattern_loc = c->a.loc;
		break;
	case C_FORMAT: {
		static const struct { const char *n; enum ast_format f; } fmts[] = {
			{ "email", FMT_EMAIL }, { "uuid", FMT_UUID }, { "date", FMT_DATE },
			{ "date-time", FMT_DATE_TIME }, { "uri", FMT_URI },
			{ "password", FMT_PASSWORD }, { "ipv4", FMT_IPV4 }, { "ipv6", FMT_IPV6 },
			{ "hostname", FMT_HOSTNAME }, { "uri-reference", FMT_URI_REFERENCE },
			{ "binary", FMT_BINARY },
		};
		if (cs->format != FMT_NONE)
			dup_con(ps, c, nm);
		size_t i;
		for (i = 0; i < sizeof fmts / sizeof *fmts; i++)
			if (strcmp(c->str, fmts[i].n) == 0)
				break;
		if (i == sizeof fmts / sizeof *fmts) {
			diag_error(ps->diag, c->a.loc, "unknown format '%s' (known: email, uuid, "
				   "date, date-time, uri, password, ipv4, ipv6, hostname, "
				   "uri-reference, binary)", c->str);
			break;
		}
		cs->format = fmts[i].f;
		cs->format_loc = c->a.loc;
		break;
	}
	}
}

static void merge_mods(struct apic_parse *ps, struct mods *m, const struct mods *n,
		       struct apic_loc loc)
{
	if ((m->nullable && n->nullable) || (m->readonly && n->readonly) ||
	    (m->writeonly && n->writeonly) || (m->deprecated && n->deprecated) ||
	    (m->def && n->def) || (m->example && n->example))
		diag_error(ps->diag, loc, "duplicate modifier '%.*s'", (int)strcspn(
			   src_file(ps->src, loc.file)->data + loc.off, " \t\r\n"),
			   src_file(ps->src, loc.file)->data + loc.off);
	m->nullable |= n->nullable;
	m->readonly |= n->readonly;
	m->writeonly |= n->writeonly;
	m->deprecated |= n->deprecated;
	if (n->def)
		m->def = n->def;
	if (n->example)
		m->example = n->example;
}

/* Splits a path template at '/' into literal and {param} segments. */
static void split_path(struct apic_parse *ps, struct ast_op *op)
{
	const char *p = op->path;
	struct ast_segment **tail = &op->segments;
	size_t n = strlen(p);
	if (n > 1 && p[n - 1] == '/')
		diag_error(ps->diag, (struct apic_loc){ op->path_loc.file,
			   op->path_loc.off + (uint32_t)n - 1, 1 }, "path ends with '/'");
	if (n == 1)
		return;
	size_t i = 1;
	while (i <= n) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		struct apic_loc loc = { op->path_loc.file, op->path_loc.off + (uint32_t)i,
					(uint32_t)(j - i) };
		if (j == i) {
			if (j < n)
				diag_error(ps->diag, loc, "empty path segment");
			i = j + 1;
			continue;
		}
		struct ast_segment *s = mk(ps, sizeof *s);
		s->loc = loc;
		const char *ob = memchr(p + i, '{', j - i), *cb = memchr(p + i, '}', j - i);
		if (ob || cb) {
			if (p[i] != '{' || p[j - 1] != '}' || j - i < 3 ||
			    memchr(p + i + 1, '{', j - i - 2) || memchr(p + i + 1, '}', j - i - 2))
				diag_error(ps->diag, loc, "a path parameter must be a whole "
					   "segment: '{name}'");
			else {
				s->is_param = true;
				s->text = arena_strndup(ps->arena, p + i + 1, j - i - 2);
			}
		}
		if (!s->is_param)
			s->text = arena_strndup(ps->arena, p + i, j - i);
		*tail = s;
		tail = &s->next;
		i = j + 1;
	}
}

static void start_op(struct apic_parse *ps, const struct tok *m, struct apic_loc mloc,
		     const struct tok *path, struct apic_loc ploc)
{
	struct ast_op *op = mk(ps, sizeof *op);
	op->method = (enum ast_method)m->kind;
	op->loc = mloc;
	op->path = path->s;
	op->path_loc = ploc;
	if (m->doc) {
		const char *nl = strchr(m->doc, '\n');
		op->summary = nl ? arena_strndup(ps->arena, m->doc, (size_t)(nl - m->doc)) : m->doc;
		op->doc = nl && nl[1] ? nl + 1 : NULL;
	}
	split_path(ps, op);
	ps->cur_op = op;
	ps->param_tail = &op->params;
	ps->resp_tail = &op->responses;
	ps->tag_tail = &op->tags;
	*ps->op_tail = op;
	ps->op_tail = &op->next;
	ps->decls.nops++;
}

/* `IN NAME[?]: TYPE MODS`: a parameter, or a response header (IN_HEADER). */
static struct ast_param *mk_param(struct apic_parse *ps, enum ast_param_in in, const struct tok *kw,
				  const struct tok *name, struct apic_loc loc, bool q,
				  struct ast_type *type, const struct mods *m)
{
	struct ast_param *p = mk(ps, sizeof *p);
	p->in = in;
	p->name = name->s;
	p->loc = loc;
	p->doc = kw->doc;
	p->type = type;
	p->optional = q || m->def;
	p->deprecated = m->deprecated;
	p->def = m->def;
	p->example = m->example;
	return p;
}

static void add_tag(struct apic_parse *ps, const struct tok *t, struct apic_loc loc)
{
	struct ast_tag_ref *r = mk(ps, sizeof *r);
	r->name = t->s;
	r->loc = loc;
	*ps->tag_tail = r;
	ps->tag_tail = &r->next;
}

static void set_auth(struct apic_parse *ps, struct ast_auth *dst, const struct ast_auth *a,
		     struct apic_loc loc)
{
	if (dst->set)
		diag_error(ps->diag, loc, "duplicate 'auth'");
	*dst = *a;
}

static void new_model(struct apic_parse *ps, const struct tok *kw, const struct tok *name,
		      struct apic_loc loc)
{
	struct ast_model *m = mk(ps, sizeof *m);
	m->name = name->s;
	m->loc = loc;
	m->doc = kw->doc;
	ps->cur_model = m;
	ps->field_tail = &m->fields;
	*ps->model_tail = m;
	ps->model_tail = &m->next;
	ps->decls.nmodels++;
}

static void add_branch(struct apic_parse *ps, const char *value, struct apic_loc loc,
		       struct ast_type *type)
{
	struct ast_branch *b = mk(ps, sizeof *b);
	b->value = value;
	b->loc = loc;
	b->type = type;
	*ps->branch_tail = b;
	ps->branch_tail = &b->next;
	ps->cur_union->nbranches++;
}

static bool once(struct apic_parse *ps, const void *old, struct apic_loc loc, const char *what)
{
	if (old)
		diag_error(ps->diag, loc, "duplicate '%s'", what);
	return !old;
}

/* `-> 200 text as "text/csv"`: the type written before `as` names the kind
 * of raw body, `text` (UTF-8) or `bytes`; the media type is checked later. */
static void set_raw(struct apic_parse *ps, struct ast_response *r, const struct tok *media, struct apic_loc loc)
{
	const struct ast_type *t = r->type;
	const char *k = t && t->kind == TYPE_NAMED ? t->name : NULL;
	if (k && !strcmp(k, "text"))
		r->raw = RAW_TEXT;
	else if (k && !strcmp(k, "bytes"))
		r->raw = RAW_BYTES;
	else {
		diag_error(ps->diag, t ? t->loc : loc, "a raw body is 'text as \"MEDIA/TYPE\"' or "
			   "'bytes as \"MEDIA/TYPE\"'%s", t ? ", not a type" : "");
		return;
	}
	r->type = NULL;
	r->media = media->s;
	r->media_loc = loc;
	r->download = ps->raw_download;
	r->download_loc = ps->raw_download_loc;
}
}

%union {
	struct tok tok;
	struct ast_number num;
	struct ast_type *type;
	struct ast_value *val;
	struct vlist vlist;
	struct ast_auth auth;
	struct ast_constraints *cons;
	struct con con;
	struct mods mods;
	bool flag;
}

%token <tok> IDENT "identifier" LABEL "name" STRING "string" PATHLIT "path"
%token <num> NUMBER "number"
%token ARROW "'->'" DOTDOT "'..'" SPREAD "'...'"
%token <tok> APIKEY "'apikey'" AS "'as'" ASYNC "'async'" AT "'at'" AUTH "'auth'" BASEPATH "'basepath'"
	BASIC "'basic'" BEARER "'bearer'" BODY "'body'" CACHE "'cache'" COOKIE "'cookie'"
	STREAM "'stream'" RECEIVE "'receive'" SEND "'send'" CPREFIX "'cprefix'" DEADLINE "'deadline'" DELETE "'delete'" DEPRECATED "'deprecated'"
	DESCRIPTION "'description'" DOWNLOAD "'download'" ENUM "'enum'" ERRORS "'errors'" ETAG "'etag'"
	EXAMPLE "'example'" FALSE "'false'" FORMAT "'format'" GET "'get'"
	HEAD "'head'" HEADER "'header'" IMPORT "'import'" ITEMS "'items'"
	LEN "'len'" MAP "'map'" MAX "'max'" MAXBODY "'maxbody'"
	MAXITEMS "'maxitems'" MAXLEN "'maxlen'" MAXPROPS "'maxprops'" MIN "'min'"
	MINITEMS "'minitems'" MINLEN "'minlen'" MINPROPS "'minprops'"
	MODEL "'model'" NONE "'none'" NULL_ "'null'" NULLABLE "'nullable'"
	OPEN "'open'" OPERATION "'operation'" OPTIONAL "'optional'"
	OPTIONS "'options'" PATCH "'patch'" PATHKW "'path'" PATTERN "'pattern'"
	POST "'post'" PREFIX "'prefix'" PUT "'put'" QUERY "'query'"
	READONLY "'readonly'" SECURITY "'security'" SERVER "'server'"
	SERVICE "'service'" SUMMARY "'summary'" TAGS "'tags'" TRUE "'true'"
	UNION "'union'" UNIQUE "'unique'" VERSION "'version'" WRITEONLY "'writeonly'"
	XMAX "'xmax'" XMIN "'xmin'"
	DEPRECATED_NL "'deprecated' "

/* A parameter's trailing `deprecated` (on its line) belongs to it; on a
 * line of its own it deprecates the operation (DEPRECATED_NL). */
%precedence PARAM
%precedence DEPRECATED

%type <tok> method name member_name kw_any kw_plain fmt_name param_in
%type <type> type base_type opt_resp_type
%type <tok> opt_raw
%type <flag> opt_stream
%type <cons> opt_cons cons
%type <con> con
%type <val> value
%type <vlist> value_list values members_kv kv_list
%type <auth> auth
%type <mods> fmods fmod pmods pmod
%type <flag> opt_q
%type <tok> model_head enum_head opt_resp_desc

%%

file:
	  %empty
	| file decl
	;

decl:
	  IMPORT STRING {
		struct ast_import *im = mk(ps, sizeof *im);
		im->path = $2.s;
		im->loc = @2;
		*ps->import_tail = im;
		ps->import_tail = &im->next;
	  }
	| service
	| security
	| enum
	| model
	| union
	| op
	| error
	;

service:
	  SERVICE STRING VERSION STRING '{' {
		struct ast_service *s = mk(ps, sizeof *s);
		s->title = $2.s;
		s->version = $4.s;
		s->loc = @1;
		s->doc = $1.doc;
		ps->cur_service = s;
		ps->server_tail = &s->servers;
		if (ps->decls.service) {
			diag_error(ps->diag, @1, "more than one 'service' declaration");
			diag_note(ps->diag, ps->decls.service->loc, "the first one is here");
		} else
			ps->decls.service = s;
	  } svc_items '}'
	;

svc_items:
	  %empty
	| svc_items svc_item
	| svc_items error
	;

svc_item:
	  DESCRIPTION STRING {
		if (once(ps, ps->cur_service->description, @1, "description"))
			ps->cur_service->description = $2.s;
	  }
	| SERVER STRING opt_server_desc
	| BASEPATH STRING {
		if (once(ps, ps->cur_service->basepath, @1, "basepath")) {
			ps->cur_service->basepath = $2.s;
			ps->cur_service->basepath_loc = @2;
		}
	  }
	| AUTH auth { set_auth(ps, &ps->cur_service->auth, &$2, @1); }
	| ERRORS IDENT AT STRING {
		if (once(ps, ps->cur_service->error_model_name, @1, "errors")) {
			ps->cur_service->error_model_name = $2.s;
			ps->cur_service->error_loc = @2;
			ps->cur_service->error_pointer = $4.s;
		}
	  }
	| CPREFIX IDENT {
		if (once(ps, ps->cur_service->prefix, @1, "cprefix"))
			ps->cur_service->prefix = $2.s;
	  }
	;

opt_server_desc:
	  %empty {
		struct ast_server *sv = mk(ps, sizeof *sv);
		sv->url = $<tok>0.s;
		sv->loc = @0;
		*ps->server_tail = sv;
		ps->server_tail = &sv->next;
	  }
	| STRING {
		struct ast_server *sv = mk(ps, sizeof *sv);
		sv->url = $<tok>0.s;
		sv->description = $1.s;
		sv->loc = @0;
		*ps->server_tail = sv;
		ps->server_tail = &sv->next;
	  }
	;

auth:
	  NONE { $$ = (struct ast_auth){ .set = true, .none = true, .loc = @1 }; }
	| IDENT { $$ = (struct ast_auth){ .set = true, .name = $1.s, .loc = @1 }; }
	| OPTIONAL IDENT {
		$$ = (struct ast_auth){ .set = true, .optional = true, .name = $2.s, .loc = @2 };
	  }
	;

security:
	  SECURITY IDENT '=' {
		struct ast_security *s = mk(ps, sizeof *s);
		s->name = $2.s;
		s->loc = @2;
		s->doc = $1.doc;
		*ps->security_tail = s;
		ps->security_tail = &s->next;
		ps->decls.nsecurities++;
		ps->cur_security = s;
	  } sec_kind
	;

sec_kind:
	  BEARER { ps->cur_security->kind = SEC_BEARER; }
	| BEARER FORMAT STRING {
		ps->cur_security->kind = SEC_BEARER;
		ps->cur_security->bearer_format = $3.s;
	  }
	| APIKEY param_in STRING opt_prefix {
		ps->cur_security->kind = SEC_APIKEY;
		ps->cur_security->in = (enum ast_param_in)$2.kind;
		ps->cur_security->key = $3.s;
		if ($2.kind == IN_PATH)
			diag_error(ps->diag, @2, "an API key is sent in a header, query parameter "
				   "or cookie, not in the path");
	  }
	| BASIC { ps->cur_security->kind = SEC_BASIC; }
	;

opt_prefix:
	  %empty
	| PREFIX STRING { ps->cur_security->prefix = $2.s; }
	;

param_in:
	  PATHKW { $$ = $1; $$.kind = IN_PATH; }
	| QUERY { $$ = $1; $$.kind = IN_QUERY; }
	| HEADER { $$ = $1; $$.kind = IN_HEADER; }
	| COOKIE { $$ = $1; $$.kind = IN_COOKIE; }
	;

enum:
	  enum_head '{' members '}'
	| enum_head '{' error '}'
	;

enum_head:
	  ENUM IDENT {
		struct ast_enum *e = mk(ps, sizeof *e);
		e->name = $2.s;
		e->loc = @2;
		e->doc = $1.doc;
		ps->cur_enum = e;
		ps->member_tail = &e->members;
		*ps->enum_tail = e;
		ps->enum_tail = &e->next;
		ps->decls.nenums++;
		$$ = $2;
	  }
	;

members:
	  %empty
	| member_list opt_comma
	;

member_list:
	  member
	| member_list opt_comma member
	;

member:
	  member_name {
		struct ast_enum_member *m = mk(ps, sizeof *m);
		m->name = $1.s;
		m->loc = @1;
		m->doc = $1.doc;
		*ps->member_tail = m;
		ps->member_tail = &m->next;
		ps->cur_enum->nmembers++;
	  }
	;

member_name: IDENT | STRING | kw_any ;

opt_comma: %empty | ',' ;

model:
	  model_head '{' fields '}'
	;

model_head:
	  MODEL IDENT { new_model(ps, &$1, &$2, @2); $$ = $2; }
	| MODEL LABEL ':' IDENT {
		/* `model B : A` (the lexer reads `B :` as a field label) */
		new_model(ps, &$1, &$2, @2);
		diag_error(ps->diag, @3, "a model takes another's fields by a spread in its "
			   "body: `model %s { ...%s }`", $2.s, $4.s);
		$$ = $2;
	  }
	| model_head OPEN { ps->cur_model->open = true; }
	| model_head DEPRECATED { ps->cur_model->deprecated = true; }
	| model_head DEPRECATED_NL { ps->cur_model->deprecated = true; }
	| model_head EXAMPLE value {
		if (once(ps, ps->cur_model->example, @2, "example"))
			ps->cur_model->example = $3;
	  }
	| model_head IDENT IDENT {
		diag_error(ps->diag, @2, "'%s' is not a model modifier; a model takes another's fields "
			   "by a spread in its body: `model %s { ...%s }`", $2.s,
			   ps->cur_model->name, $3.s);
	  }
	;

/* `union NAME [by "prop"] { name: Model, "value": Model }` or
 * `union NAME { Type, Type }`; check.c enforces which form has which. */
union:
	  union_head '{' branches '}'
	| union_head '{' error '}'
	;

union_head:
	  UNION IDENT {
		struct ast_union *u = mk(ps, sizeof *u);
		u->name = $2.s;
		u->loc = @2;
		u->doc = $1.doc;
		ps->cur_union = u;
		ps->branch_tail = &u->branches;
		*ps->union_tail = u;
		ps->union_tail = &u->next;
		ps->decls.nunions++;
	  }
	| union_head IDENT STRING {
		if (strcmp($2.s, "by") != 0)
			diag_error(ps->diag, @2, "expected 'by \"property\"' or '{' after the "
				   "union's name, found '%s'", $2.s);
		else if (once(ps, ps->cur_union->disc, @2, "by"))
			ps->cur_union->disc = $3.s, ps->cur_union->disc_loc = @3;
	  }
	| union_head DEPRECATED { ps->cur_union->deprecated = true; }
	| union_head DEPRECATED_NL { ps->cur_union->deprecated = true; }
	;

branches:
	  %empty
	| branches branch opt_comma
	;

branch:
	  name ':' type { add_branch(ps, $1.s, @1, $3); }
	| type { add_branch(ps, NULL, @1, $1); }
	;

fields:
	  %empty
	| fields field opt_comma
	| fields error
	;

field:
	  name opt_q ':' type fmods {
		struct ast_field *f = mk(ps, sizeof *f);
		f->name = $1.s;
		f->loc = @1;
		f->doc = $1.doc;
		f->type = $4;
		f->optional = $2 || $5.def;
		f->nullable = $5.nullable;
		f->readonly = $5.readonly;
		f->writeonly = $5.writeonly;
		f->deprecated = $5.deprecated;
		f->def = $5.def;
		f->example = $5.example;
		*ps->field_tail = f;
		ps->field_tail = &f->next;
		ps->cur_model->nfields++;
	  }
	| SPREAD IDENT {
		struct ast_field *f = mk(ps, sizeof *f);
		f->name = $2.s;
		f->loc = @2;
		f->spread = true;
		f->type = mk_named(ps, $2.s, @2);
		*ps->field_tail = f;
		ps->field_tail = &f->next;
		struct ast_spread *sp = mk(ps, sizeof *sp);
		sp->type = f->type;
		struct ast_spread **t = &ps->cur_model->spreads;
		while (*t)
			t = &(*t)->next;
		*t = sp;
	  }
	;

name: LABEL | STRING ;

opt_q: %empty { $$ = false; } | '?' { $$ = true; } ;

fmods:
	  %empty { $$ = (struct mods){ 0 }; }
	| fmods fmod { $$ = $1; merge_mods(ps, &$$, &$2, @2); }
	;

fmod:
	  NULLABLE { $$ = (struct mods){ .nullable = true }; }
	| READONLY { $$ = (struct mods){ .readonly = true }; }
	| WRITEONLY { $$ = (struct mods){ .writeonly = true }; }
	| DEPRECATED { $$ = (struct mods){ .deprecated = true }; }
	| DEPRECATED_NL { $$ = (struct mods){ .deprecated = true }; }
	| '=' value { $$ = (struct mods){ .def = $2 }; }
	| EXAMPLE value { $$ = (struct mods){ .example = $2 }; }
	;

type:
	  base_type opt_cons {
		$$ = $1;
		if ($2)
			$$->c = *$2;
		@$ = @1;
	  }
	;

base_type:
	  IDENT { $$ = mk_named(ps, $1.s, @1); }
	| '[' type ']' {
		$$ = mk_type(ps, TYPE_ARRAY, @$);
		$$->elem = $2;
	  }
	| MAP '<' type '>' {
		$$ = mk_type(ps, TYPE_MAP, @$);
		$$->elem = $3;
	  }
	;

opt_cons:
	  %empty { $$ = NULL; }
	| '(' cons ')' { $$ = $2; }
	| '(' error ')' { $$ = NULL; }
	;

cons:
	  con { $$ = mk(ps, sizeof *$$); apply_con(ps, $$, &$1); }
	| cons ',' con { $$ = $1; apply_con(ps, $$, &$3); }
	;

con:
	  MIN NUMBER { $$ = (struct con){ .kind = C_MIN, .a = $2, .loc = @$ }; }
	| MAX NUMBER { $$ = (struct con){ .kind = C_MAX, .a = $2, .loc = @$ }; }
	| XMIN NUMBER { $$ = (struct con){ .kind = C_XMIN, .a = $2, .loc = @$ }; }
	| XMAX NUMBER { $$ = (struct con){ .kind = C_XMAX, .a = $2, .loc = @$ }; }
	| NUMBER DOTDOT NUMBER { $$ = (struct con){ .kind = C_RANGE, .a = $1, .b = $3, .loc = @$ }; }
	| LEN NUMBER { $$ = (struct con){ .kind = C_LEN, .a = $2, .loc = @$ }; }
	| LEN NUMBER DOTDOT NUMBER {
		$$ = (struct con){ .kind = C_LENRANGE, .a = $2, .b = $4, .loc = @$ };
	  }
	| MINLEN NUMBER { $$ = (struct con){ .kind = C_MINLEN, .a = $2, .loc = @$ }; }
	| MAXLEN NUMBER { $$ = (struct con){ .kind = C_MAXLEN, .a = $2, .loc = @$ }; }
	| PATTERN STRING {
		$$ = (struct con){ .kind = C_PATTERN, .str = $2.s, .loc = @$ };
		$$.a.loc = @2;
	  }
	| FORMAT fmt_name {
		$$ = (struct con){ .kind = C_FORMAT, .str = $2.s, .loc = @$ };
		$$.a.loc = @2;
	  }
	| ITEMS NUMBER DOTDOT NUMBER {
		$$ = (struct con){ .kind = C_ITEMS, .a = $2, .b = $4, .loc = @$ };
	  }
	| MINITEMS NUMBER { $$ = (struct con){ .kind = C_MINITEMS, .a = $2, .loc = @$ }; }
	| MAXITEMS NUMBER { $$ = (struct con){ .kind = C_MAXITEMS, .a = $2, .loc = @$ }; }
	| UNIQUE { $$ = (struct con){ .kind = C_UNIQUE, .loc = @$ }; }
	| MINPROPS NUMBER { $$ = (struct con){ .kind = C_MINPROPS, .a = $2, .loc = @$ }; }
	| MAXPROPS NUMBER { $$ = (struct con){ .kind = C_MAXPROPS, .a = $2, .loc = @$ }; }
	;

fmt_name: IDENT | STRING ;

value:
	  NUMBER { $$ = mk_val(ps, VAL_NUMBER, @1); $$->num = $1; }
	| STRING { $$ = mk_val(ps, VAL_STRING, @1); $$->str = $1.s; $$->len = $1.len; }
	| TRUE { $$ = mk_val(ps, VAL_BOOL, @1); $$->b = true; }
	| FALSE { $$ = mk_val(ps, VAL_BOOL, @1); }
	| NULL_ { $$ = mk_val(ps, VAL_NULL, @1); }
	| IDENT { $$ = mk_val(ps, VAL_IDENT, @1); $$->str = $1.s; $$->len = $1.len; }
	| kw_plain { $$ = mk_val(ps, VAL_IDENT, @1); $$->str = $1.s; $$->len = $1.len; }
	| '[' values ']' { $$ = mk_val(ps, VAL_ARRAY, @$); $$->items = $2.head; }
	| '{' members_kv '}' { $$ = mk_val(ps, VAL_OBJECT, @$); $$->items = $2.head; }
	;

values:
	  %empty { $$.head = NULL; }
	| value_list opt_comma { $$ = $1; }
	;

value_list:
	  value { $$.head = $1; $$.tail = &$1->next; }
	| value_list opt_comma value { $$ = $1; *$$.tail = $3; $$.tail = &$3->next; }
	;

members_kv:
	  %empty { $$.head = NULL; }
	| kv_list opt_comma { $$ = $1; }
	;

kv_list:
	  name ':' value { $3->key = $1.s; $$.head = $3; $$.tail = &$3->next; }
	| kv_list opt_comma name ':' value {
		$5->key = $3.s;
		$$ = $1;
		*$$.tail = $5;
		$$.tail = &$5->next;
	  }
	;

op:
	  method PATHLIT '{' { start_op(ps, &$1, @1, &$2, @2); } op_items '}'
	;

method:
	  GET { $$ = $1; $$.kind = METHOD_GET; }
	| PUT { $$ = $1; $$.kind = METHOD_PUT; }
	| POST { $$ = $1; $$.kind = METHOD_POST; }
	| DELETE { $$ = $1; $$.kind = METHOD_DELETE; }
	| PATCH { $$ = $1; $$.kind = METHOD_PATCH; }
	| HEAD { $$ = $1; $$.kind = METHOD_HEAD; }
	| OPTIONS { $$ = $1; $$.kind = METHOD_OPTIONS; }
	;

op_items:
	  %empty
	| op_items op_item
	| op_items error
	;

op_item:
	  OPERATION IDENT {
		if (once(ps, ps->cur_op->name, @1, "operation"))
			ps->cur_op->name = $2.s;
	  }
	| SUMMARY STRING { ps->cur_op->summary = $2.s; }
	| DESCRIPTION STRING { ps->cur_op->doc = $2.s; }
	| TAGS tag_list
	| DEPRECATED { ps->cur_op->deprecated = true; }
	| DEPRECATED_NL { ps->cur_op->deprecated = true; }
	| AUTH auth { set_auth(ps, &ps->cur_op->auth, &$2, @1); }
	| param_in name opt_q ':' type pmods %prec PARAM {
		struct ast_param *p = mk_param(ps, (enum ast_param_in)$1.kind, &$1, &$2, @2, $3, $5, &$6);
		if ($1.kind == IN_PATH && $3)
			diag_error(ps->diag, @3, "path parameters are always required");
		*ps->param_tail = p;
		ps->param_tail = &p->next;
	  }
	| BODY opt_q type {
		if (once(ps, ps->cur_op->body, @1, "body")) {
			ps->cur_op->body = $3;
			ps->cur_op->body_optional = $2;
			ps->cur_op->body_loc = @1;
		}
	  }
	| CACHE STRING {
		if (once(ps, ps->cur_op->cache_control, @1, "cache")) {
			ps->cur_op->cache_control = $2.s;
			ps->cur_op->cache_loc = @2;
		}
	  }
	| ETAG {
		if (ps->cur_op->etag)
			diag_error(ps->diag, @1, "'etag' is given twice");
		ps->cur_op->etag = true;
		ps->cur_op->etag_loc = @1;
	  }
	| RECEIVE type {
		if (once(ps, ps->cur_op->ws_in, @1, "receive")) {
			ps->cur_op->ws_in = $2;
			ps->cur_op->ws_loc = @1;
		}
	  }
	| SEND type {
		if (once(ps, ps->cur_op->ws_out, @1, "send")) {
			ps->cur_op->ws_out = $2;
			if (!ps->cur_op->ws_in)
				ps->cur_op->ws_loc = @1;
		}
	  }
	| ASYNC {
		if (ps->cur_op->async)
			diag_error(ps->diag, @1, "'async' is given twice");
		ps->cur_op->async = true;
		ps->cur_op->async_loc = @1;
	  }
	| DEADLINE NUMBER IDENT {
		double scale = !strcmp($3.s, "ms") ? 1 : !strcmp($3.s, "s") ? 1000 : 0;
		double ms = $2.is_int ? (double)$2.i * scale : 0;
		if (ps->cur_op->deadline_ms)
			diag_error(ps->diag, @1, "'deadline' is given twice");
		else if (scale == 0)
			diag_error(ps->diag, @3, "expected a unit of time, 'ms' or 's', found '%s'", $3.s);
		else if (!$2.is_int || $2.i <= 0 || ms > 86400000.0)
			diag_error(ps->diag, @2, "expected a whole number of %s from 1 up to 24 hours, found '%s'",
				   scale == 1 ? "milliseconds" : "seconds", $2.text);
		else {
			ps->cur_op->deadline_ms = (unsigned)ms;
			ps->cur_op->deadline_loc = @1;
		}
	  }
	| MAXBODY NUMBER {
		if (!$2.is_int || $2.i <= 0)
			diag_error(ps->diag, @2, "expected a positive number of bytes, found '%s'", $2.text);
		else
			ps->cur_op->max_body = (uint64_t)$2.i;
	  }
	| ARROW NUMBER opt_stream opt_resp_type opt_raw opt_resp_desc {
		struct ast_response *r = mk(ps, sizeof *r);
		r->loc = @2;
		r->status = $2.is_int && $2.i >= 0 && $2.i <= 9999 ? (int)$2.i : -1;
		r->stream = $3;
		r->stream_loc = @3;
		r->type = $4;
		if ($5.s)
			set_raw(ps, r, &$5, @5);
		r->description = $6.s;
		*ps->resp_tail = r;
		ps->resp_tail = &r->next;
		ps->hdr_tail = &r->headers;
	  } opt_resp_headers
	;

opt_resp_type: %empty { $$ = NULL; } | type ;
/* `as "text/csv" [download "name.csv"]` after `text` or `bytes`: a raw body;
 * the download name travels in $$.kind's place as a second token (see set_raw) */
opt_raw:
	  %empty { $$.s = NULL; }
	| AS STRING { $$ = $2; ps->raw_download = NULL; }
	| AS STRING DOWNLOAD STRING { $$ = $2; ps->raw_download = $4.s; ps->raw_download_loc = @4; }
	;
/* `-> 200 stream Event`: Server-Sent Events, each one an Event */
opt_stream: %empty { $$ = false; } | STREAM { $$ = true; } ;
opt_resp_desc: %empty { $$.s = NULL; } | STRING ;

/* `{ header NAME[?]: TYPE ... }` after a response: the headers it sends. */
opt_resp_headers:
	  %empty
	| '{' resp_headers '}'
	;

resp_headers:
	  %empty
	| resp_headers resp_header
	| resp_headers error
	;

resp_header:
	  HEADER name opt_q ':' type pmods {
		struct ast_param *p = mk_param(ps, IN_HEADER, &$1, &$2, @2, $3, $5, &$6);
		*ps->hdr_tail = p;
		ps->hdr_tail = &p->next;
	  }
	;

tag_list:
	  tag
	| tag_list opt_comma tag
	;

tag:
	  IDENT { add_tag(ps, &$1, @1); }
	| STRING { add_tag(ps, &$1, @1); }
	;

pmods:
	  %empty { $$ = (struct mods){ 0 }; }
	| pmods pmod { $$ = $1; merge_mods(ps, &$$, &$2, @2); }
	;

pmod:
	  DEPRECATED { $$ = (struct mods){ .deprecated = true }; }
	| '=' value { $$ = (struct mods){ .def = $2 }; }
	| EXAMPLE value { $$ = (struct mods){ .example = $2 }; }
	;

kw_any: kw_plain | TRUE | FALSE | NULL_ ;

kw_plain:
	  APIKEY | AS | AT | AUTH | BASEPATH | BASIC | BEARER | BODY | COOKIE | CPREFIX
	| DELETE | DEPRECATED | DEPRECATED_NL | DESCRIPTION | DOWNLOAD | ENUM | ERRORS | EXAMPLE
	| FORMAT | GET | HEAD | HEADER | IMPORT | ITEMS | LEN | MAP | MAX
	| MAXBODY | MAXITEMS | MAXLEN | MAXPROPS | MIN | MINITEMS | MINLEN | MINPROPS
	| MODEL | NONE | NULLABLE | OPEN | OPERATION | OPTIONAL | OPTIONS
	| PATCH | PATHKW | PATTERN | POST | PREFIX | PUT | QUERY | READONLY
	| SECURITY | SERVER | SERVICE | SUMMARY | TAGS | UNION | UNIQUE | VERSION
	| WRITEONLY | XMAX | XMIN
	;

%%

/* "expected X or Y, found Z", naming at most four expected tokens. */
static const char *tok_name(yysymbol_kind_t k, char *buf, size_t n)
{
	const char *s = yysymbol_name(k);
	size_t len = strlen(s);
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s++;
		len -= 2;
	}
	while (len && s[len - 1] == ' ')
		len--;
	snprintf(buf, n, "%.*s", (int)len, s);
	return buf;
}

/* Other languages' spellings of a union: JSON Schema's `oneof` as a
 * declaration, and inheritance `model Dog : Pet`. */
static bool union_misuse(const yypcontext_t *ctx, struct apic_parse *ps,
			 const struct apic_loc *at, const char *text)
{
	static const char *const words[] = { "oneof", "oneOf", "anyof", "anyOf" };
	yysymbol_kind_t tok = yypcontext_token(ctx);
	if (tok == YYSYMBOL_IDENT)
		for (size_t i = 0; i < sizeof words / sizeof *words; i++)
			if (at->len == strlen(words[i]) && memcmp(text, words[i], at->len) == 0) {
				diag_error(ps->diag, *at, "'%s' is not a declaration; a value that is "
					   "exactly one of several types is a union: 'union NAME "
					   "{ A, B }'", words[i]);
				diag_fixit(ps->diag, "union");
				return true;
			}
	if (tok != YYSYMBOL_LABEL)
		return false;
	const char *data = src_file(ps->src, ps->file)->data;
	size_t i = at->off;
	while (i > 0 && strchr(" \t", data[i - 1]))
		i--;
	if (i < 5 || memcmp(data + i - 5, "model", 5) != 0)
		return false;
	diag_error(ps->diag, *at, "models do not inherit ('model %.*s : ...'); a value that is one "
		   "of several models is a union: 'union NAME { A, B }'", (int)at->len, text);
	return true;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, struct apic_parse *ps)
{
	yysymbol_kind_t exp[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	char found[160], msg[600], name[64];
	lexer_describe(ps->lex, found, sizeof found);
	/* `tag string`: a name where a field or parameter name is expected,
	 * not followed by ':' */
	bool want_label = false;
	bool want_ident = false;
	for (int i = 0; i < n; i++) {
		want_label |= exp[i] == YYSYMBOL_LABEL;
		want_ident |= exp[i] == YYSYMBOL_IDENT;
	}
	/* after `model`, a label is only `model B : A`: a name is wanted */
	if (want_ident && want_label) {
		int k = 0;
		for (int i = 0; i < n; i++)
			if (exp[i] != YYSYMBOL_LABEL)
				exp[k++] = exp[i];
		n = k;
	}
	want_label &= !want_ident;
	struct apic_loc next;
	char word[64];
	const struct apic_loc *at = yypcontext_location(ctx);
	const char *text = src_file(ps->src, ps->file)->data + at->off;
	if (want_label && lexer_last_starts_decl(ps->lex)) {
		diag_error(ps->diag, *at, "expected '}' before '%.*s'", (int)at->len, text);
		return 0;
	}
	if (want_label && lexer_last_is_word(ps->lex) &&
	    lexer_peek(ps->lex, &next, word, sizeof word)) {
		if (!word[0])
			return 0; /* an invalid character follows: the scanner reports it */
		diag_error(ps->diag, next, "expected ':' or '?' after the name '%.*s', found %s",
			   (int)yypcontext_location(ctx)->len,
			   src_file(ps->src, ps->file)->data + yypcontext_location(ctx)->off, word);
		return 0;
	}
	if (union_misuse(ctx, ps, at, text))
		return 0;
	if (lexer_last_is_ident(ps->lex)) {
		/* a misspelt keyword: `modle` */
		struct suggest sg;
		char *w = arena_strndup(ps->arena, text, at->len);
		suggest_init(&sg, w);
		for (int i = 0; i < n; i++) {
			const char *nm = tok_name(exp[i], name, sizeof name);
			size_t l = strlen(nm);
			if (l > 2 && nm[0] == '\'' && nm[l - 1] == '\'')
				suggest_add(&sg, arena_strndup(ps->arena, nm + 1, l - 2));
		}
		const char *best = suggest_result(&sg);
		if (best) {
			diag_error(ps->diag, *at, "unexpected %s; did you mean '%s'?", found, best);
			diag_fixit(ps->diag, best);
			return 0;
		}
	}
	if (n <= 0 || n > 4) {
		diag_error(ps->diag, *yypcontext_location(ctx), "unexpected %s", found);
		return 0;
	}
	size_t len = (size_t)snprintf(msg, sizeof msg, "expected ");
	int shown = 0;
	const char *names[4];
	for (int i = 0; i < n; i++) {
		char *nm = arena_strdup(ps->arena, tok_name(exp[i], name, sizeof name));
		bool dup = false;
		for (int j = 0; j < shown; j++)
			dup |= strcmp(names[j], nm) == 0;
		if (!dup)
			names[shown++] = nm;
	}
	for (int i = 0; i < shown; i++)
		len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s",
					i == 0 ? "" : i == shown - 1 ? " or " : ", ", names[i]);
	diag_error(ps->diag, *yypcontext_location(ctx), "%s, found %s", msg, found);
	return 0;
}

int parse_run(struct apic_parse *ps)
{
	struct source_file *f = src_file(ps->src, ps->file);
	ps->import_tail = &ps->decls.imports;
	ps->model_tail = &ps->decls.models;
	ps->enum_tail = &ps->decls.enums;
	ps->security_tail = &ps->decls.securities;
	ps->op_tail = &ps->decls.ops;
	ps->union_tail = &ps->decls.unions;
	size_t before = diag_error_count(ps->diag);
	ps->lex = lexer_new(ps, f->data, f->len);
	int r = apic_yyparse(ps);
	lexer_free(ps->lex);
	ps->lex = NULL;
	return r == 0 && diag_error_count(ps->diag) == before ? 0 : -1;
}
