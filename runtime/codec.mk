# automake fragment: the runtime's codec helpers used by generated code
# (strict text parsing, value checks, JSON writing, pattern compilation).
runtime_libapic_la_SOURCES += runtime/parse.c runtime/validate.c \
	runtime/jsonbuf.c runtime/codec.h
