# automake fragment: the OpenAPI emitter and the AsyncAPI emitter, which
# writes its schemas with the OpenAPI emitter's functions (part of the apic
# program; the fuzz target of tests/frontend.mk links them too).
apic_emit_openapi_sources = compiler/emit_openapi.c compiler/openapi_int.h \
	compiler/openapi_responses.c compiler/openapi_schema.c compiler/openapi_union.c \
	compiler/openapi_summary.c \
	compiler/emit_asyncapi.c \
	compiler/json_writer.c compiler/json_writer.h
apic_SOURCES += $(apic_emit_openapi_sources)
