# automake fragment: the TypeScript client emitter (apic generate --client
# ts). Its fixed part is compiler/ts_runtime.ts, turned into C strings at
# build time.
apic_emit_ts_sources = compiler/emit_ts.c compiler/emit_ts_ops.c compiler/emit_ts_int.h \
	compiler/emit_ts_validate.c
apic_SOURCES += $(apic_emit_ts_sources)
nodist_apic_SOURCES = compiler/ts_runtime.h
BUILT_SOURCES += compiler/ts_runtime.h
CLEANFILES += compiler/ts_runtime.h
EXTRA_DIST += compiler/ts_runtime.ts compiler/ts_runtime.awk
compiler/ts_runtime.h: $(top_srcdir)/compiler/ts_runtime.ts $(top_srcdir)/compiler/ts_runtime.awk
	$(AM_V_GEN)$(MKDIR_P) compiler && \
	$(AWK) -f $(top_srcdir)/compiler/ts_runtime.awk $(top_srcdir)/compiler/ts_runtime.ts >$@.tmp && \
	mv $@.tmp $@
compiler/apic-emit_ts.$(OBJEXT): compiler/ts_runtime.h
