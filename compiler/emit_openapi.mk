# automake fragment: the OpenAPI emitter (part of the apic program).
apic_SOURCES += compiler/emit_openapi.c
