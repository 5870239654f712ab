#!/bin/sh
# TAP: schemas/conduit.apic's OpenAPI document against the RealWorld spec
# (../shared/realworld/openapi.yml beside the repository); see conduit.cjs.
set -u
. "$top_srcdir/tests/openapi/npm.sh"
spec="${APIC_SHARED_DIR:-$top_srcdir/../shared}/realworld/openapi.yml"
if [ ! -f "$spec" ]; then
	[ "${CI:-}" = true ] && { echo "1..1"; echo "not ok 1 - $spec is missing"; exit 1; }
	echo "1..0 # SKIP $spec is missing (../shared beside the repository, or APIC_SHARED_DIR)"
	exit 0
fi
out=tests/openapi/conduit.out
rm -rf "$out" && mkdir -p "$out" || exit 1
if ! "$APIC" openapi "$top_srcdir/schemas/conduit.apic" -o "$out/conduit.openapi.json" 2>"$out/err"; then
	echo "1..1"
	echo "not ok 1 - apic openapi schemas/conduit.apic"
	sed 's/^/# /' "$out/err"
	exit 1
fi
exec node "$top_srcdir/tests/openapi/conduit.cjs" "$out/conduit.openapi.json" "$spec"
