# automake fragment: the bookshop (tests/bookshop/), a project as `apic new`
# lays it out, built by tests/bookshop/run.sh against a `make install`ed apic
# and libapic: its own tests, its server on loopback, an operation added to
# and one renamed in its schema.
EXTRA_DIST += \
	tests/bookshop/.gitignore \
	tests/bookshop/Makefile \
	tests/bookshop/README.md \
	tests/bookshop/app.c \
	tests/bookshop/app.h \
	tests/bookshop/bookshop.apic \
	tests/bookshop/bookshop_handlers.c \
	tests/bookshop/main.c \
	tests/bookshop/store.c \
	tests/bookshop/store.h \
	tests/bookshop/test_bookshop.c \
	tests/bookshop/run.sh \
	$(NULL)
TESTS += tests/bookshop/run.sh
# What a failed run keeps for a look (not run.*: that is the script).
CLEANDIRS += tests/bookshop/scratch.*
