#!/usr/bin/env bash
# bench/lsp-latency.sh: how long `apic lsp` takes from a didChange to its
# publishDiagnostics on a large schema: the schema-scale API of N=1000
# (5,000 operations, 1,001 models, 1,000 enums; see bench/schema-scale.sh),
# ~50 one-character edits, median and 95th percentile. Not a test.
#
#   BUILD=../_build bench/lsp-latency.sh
#   N=2000 EDITS=100 APIC=/path/to/apic bench/lsp-latency.sh
#
# Environment: APIC (default $BUILD/apic), BUILD (default .), N (1000),
# EDITS (50), GEN (default ../shared/bench/schema-scale/gen.py next to the
# source tree), KEEP=1 to keep the working directory.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-.}
apic=${APIC:-$build/apic}
n=${N:-1000}
edits=${EDITS:-50}
gen=${GEN:-$top/../shared/bench/schema-scale/gen.py}

die() { echo "bench/lsp-latency.sh: $*" >&2; exit 1; }
[ -x "$apic" ] || die "no apic at $apic (set APIC, or BUILD to a build directory)"
[ -f "$gen" ] || die "no gen.py at $gen (set GEN)"
for t in python3 node; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/lsp-latency.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "work: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

python3 "$gen" --outdir "$work" "$n" >/dev/null
python3 "$top/bench/schema-scale-apic.py" "$work/api-$n.json" "$work/api-$n.apic"
echo "N=$n: $(node "$top/bench/lsp-latency.js" "$apic" "$work/api-$n.apic" "$edits")"
