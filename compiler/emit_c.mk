# automake fragment: the C code emitter (part of the apic program).
apic_SOURCES += compiler/emit_c.c compiler/emit_stubs.c compiler/emit_stubs.h \
	compiler/emit_owning.c compiler/emit_owning.h \
	compiler/names.c compiler/names.h
