# automake fragment: the TypeScript client (apic generate --client ts,
# docs/clients.md): every schema's client compiles under tsc --strict,
# the type-level test (wrong calls do not compile), the petstore client's
# golden file, and the clients against the real servers. tsc comes from
# tests/npm (./setup.sh deps).
TESTS += \
	tests/ts/tsc.sh \
	tests/ts/types.sh \
	tests/ts/golden.sh \
	tests/ts/raw.sh \
	tests/ts/unions.sh \
	$(NULL)
EXTRA_DIST += \
	tests/ts/raw.sh \
	tests/ts/lib.sh \
	tests/ts/tsc.sh \
	tests/ts/types.sh \
	tests/ts/golden.sh \
	tests/ts/e2e.sh \
	tests/ts/e2e.mjs \
	tests/ts/edge.apic \
	tests/ts/unions.sh \
	tests/ts/unions.mjs \
	tests/ts/types-good.ts \
	tests/ts/types-bad.ts \
	tests/ts/petstore.client.ts \
	$(NULL)
CLEANDIRS += tests/ts/tsc.out tests/ts/types.out tests/ts/golden.out tests/ts/e2e.out tests/ts/raw.out \
	tests/ts/unions.out

# The petstore (SQLite) and Conduit (SQLite, libsodium, libpq) servers.
if HAVE_CONDUIT
TESTS += tests/ts/e2e.sh
endif
