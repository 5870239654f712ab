# automake fragment: the apic compiler.
bin_PROGRAMS += apic
apic_SOURCES = compiler/out.c compiler/out.h compiler/emit.h compiler/diag.h \
	compiler/ast.h compiler/scaffold.c compiler/scaffold.h
apic_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(PCRE2_CFLAGS)
apic_LDADD = $(JSONC_LIBS) $(PCRE2_LIBS)
