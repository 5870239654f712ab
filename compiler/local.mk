# automake fragment: the apic compiler. The front end (scanner, parser,
# checker, diagnostics) is a convenience library so the fuzz target and the
# apic program share it; emitters add themselves to apic_SOURCES.
noinst_LTLIBRARIES += compiler/libapicparse.la compiler/libapicfront.la
BUILT_SOURCES += compiler/parser.h

# Generated scanner and parser: no per-target flags, so their file names stay
# compiler/parser.{c,h} and compiler/lexer.c.
compiler_libapicparse_la_SOURCES = compiler/parser.y compiler/lexer.l \
	compiler/lexer.h compiler/kwlist.h

compiler_libapicfront_la_SOURCES = compiler/arena.c compiler/arena.h \
	compiler/source.c compiler/source.h compiler/diag.c compiler/diag.h \
	compiler/suggest.c compiler/suggest.h compiler/check.c compiler/check_union.c compiler/check.h \
	compiler/check_spread.c \
	compiler/ast.c compiler/ast.h
compiler_libapicfront_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(PCRE2_CFLAGS)
compiler_libapicfront_la_LIBADD = compiler/libapicparse.la $(JSONC_LIBS) $(PCRE2_LIBS)

bin_PROGRAMS += apic
apic_SOURCES = compiler/main.c compiler/out.c compiler/out.h compiler/emit.h \
	compiler/scaffold.c compiler/scaffold.h compiler/handlers.c compiler/handlers.h \
	compiler/diff.c compiler/diff.h compiler/diff_int.h compiler/diff_types.c compiler/diff_union.c \
	compiler/diff_report.c compiler/diff_git.c compiler/proc.c compiler/proc.h \
	compiler/format.c compiler/format.h compiler/format_int.h compiler/format_scan.c \
	compiler/format_cmd.c compiler/dev.c compiler/dev.h compiler/lsp.c compiler/lsp.h \
	compiler/lsp_int.h compiler/lsp_feat.h compiler/lsp_pos.c compiler/lsp_docs.c \
	compiler/lsp_features.c compiler/lsp_complete.c compiler/import.c compiler/import.h \
	compiler/import_int.h compiler/import_load.c compiler/import_names.c compiler/import_schema.c \
	compiler/import_decls.c compiler/import_ops.c compiler/import_paths.c compiler/import_resp.c
# zlib: the C emitter stores the OpenAPI document gzipped.
# libyaml: apic import reads YAML documents.
apic_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(PCRE2_CFLAGS) $(ZLIB_CFLAGS) $(YAML_CFLAGS)
apic_LDADD = compiler/libapicfront.la $(JSONC_LIBS) $(PCRE2_LIBS) $(ZLIB_LIBS) $(YAML_LIBS) -lpthread

EXTRA_DIST += compiler/README
