#!/bin/sh
# TAP: ajv and the generated C decoders reach the same verdict on every
# generated request body of schemas/testapi.apic, petstore.apic and
# conduit.apic (see diff.cjs). The documents checked are the ones
# `apic generate` wrote beside the code it generated (and embedded in it).
set -u
. "$top_srcdir/tests/openapi/npm.sh"
gen=tests/diff/gen
exec node "$top_srcdir/tests/diff/diff.cjs" ./tests/diff/diff_driver tests/diff/out \
	testapi=$gen/testapi.openapi.json petstore=$gen/petstore.openapi.json \
	conduit=$gen/conduit.openapi.json
