/* The scanner's interface (flex stays behind it) and the state shared by
 * scanner and parser for one file. The grammar builds the raw AST of the
 * file into `decls`; names are resolved later by check.c. */
#ifndef APIC_LEXER_H
#define APIC_LEXER_H

#include <stdint.h>

#include "ast.h"

struct arena;
struct diag_ctx;
struct source_table;
struct lexer;

/* One parse: the file's declarations in source order, with tail pointers. */
struct apic_parse {
	struct arena *arena;
	struct diag_ctx *diag;
	struct source_table *src;
	uint32_t file;
	struct lexer *lex;
	struct ast_schema decls;          /* this file only */
	struct ast_import **import_tail;
	struct ast_model **model_tail;
	struct ast_enum **enum_tail;
	struct ast_security **security_tail;
	struct ast_op **op_tail;
	struct ast_union **union_tail;
	struct ast_union *cur_union;
	struct ast_branch **branch_tail;
	/* the declaration being parsed */
	struct ast_model *cur_model;
	struct ast_field **field_tail;
	struct ast_enum *cur_enum;
	struct ast_enum_member **member_tail;
	struct ast_op *cur_op;
	struct ast_param **param_tail;
	struct ast_response **resp_tail;
	const char *raw_download;       /* `download "NAME"` of the response being parsed */
	struct apic_loc raw_download_loc;
	struct ast_param **hdr_tail;         /* the headers of the last response */
	struct ast_tag_ref **tag_tail;
	struct ast_security *cur_security;
	struct ast_service *cur_service;
	struct ast_server **server_tail;
};

/* A token's value: its text (identifiers, keywords, unescaped strings,
 * paths), the /// doc comment lines before it, and whether a newline
 * separated it from the previous token. */
struct tok {
	const char *s;
	size_t len;
	const char *doc;
	int kind;
};

struct lexer *lexer_new(struct apic_parse *ps, const char *data, size_t len);
void lexer_free(struct lexer *lx);

/* Parses one file of ps->src into ps->decls. Returns 0, or -1 after
 * reporting diagnostics. */
int parse_run(struct apic_parse *ps);

#endif
