# automake fragment: the C code emitter (part of the apic program).
apic_SOURCES += compiler/emit_c.c
