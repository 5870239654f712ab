# automake fragment: the C code emitter (part of the apic program; the fuzz
# target of tests/frontend.mk links it too).
apic_emit_c_sources = compiler/emit_c.c compiler/emit_c_int.h compiler/emit_c_out.c \
	compiler/emit_c_types.c compiler/emit_c_tables.c compiler/emit_c_union.c \
	compiler/emit_c_ops.c compiler/emit_c_raw.c compiler/emit_c_api.c compiler/emit_c_client.c \
	compiler/c_names.c compiler/c_names.h \
	compiler/emit_stubs.c compiler/emit_stubs.h \
	compiler/emit_owning.c compiler/emit_owning.h \
	compiler/names.c compiler/names.h
apic_SOURCES += $(apic_emit_c_sources)
