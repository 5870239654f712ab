#!/usr/bin/env bash
# bench/schema-scale.sh: how apic and the code it generates scale with the
# size of the API. For each size N, ../shared/bench/schema-scale/gen.py N
# writes a synthetic API (5N operations, 2N paths, N+1 models, N enums),
# bench/schema-scale-apic.py renders it as an apic schema, and the script
# measures, once each, with GNU time:
#   - apic generate: wall time, peak RSS, total bytes of the files written;
#   - apic openapi: wall time (its document is then compared with the IR);
#   - when compiling: every .c that apic wrote, the handlers file included
#     (user code, but generated once), with gcc -O2 -c under make -j2: make's
#     wall time, CPU seconds (user+sys) summed over the files, and the
#     largest peak RSS of one compile.
# One line per size, e.g.
#   N=100 ops=500 generate 0.22 s 28 MB out 6.6 MB | openapi 0.05 s | ...
# MB are 10^6 bytes.
#
#   BUILD=../_build bench/schema-scale.sh
#   SIZES="100 1000" COMPILE_MAX=100 APIC=/path/to/apic bench/schema-scale.sh
#
# Environment:
#   APIC         the apic binary (default $BUILD/apic)
#   BUILD        a build directory (default .)
#   SIZES        the sizes N (default "100 1000 2000 4000")
#   COMPILE      1 (default): compile the sizes up to COMPILE_MAX; 0: never
#   COMPILE_MAX  the largest size compiled (default 1000; 1000 is several
#                minutes of CPU)
#   APIC_SRC     the source tree whose runtime/ headers the generated code
#                includes (default the one holding this script)
#   GEN          gen.py (default ../shared/bench/schema-scale/gen.py next to
#                the source tree)
#   CC, CFLAGS   the compiler and its flags (default gcc, -O2 with the
#                project's -std=c11 -D_GNU_SOURCE)
#   KEEP=1       keep the working directory (named on stderr)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-.}
apic=${APIC:-$build/apic}
sizes=${SIZES:-100 1000 2000 4000}
compile=${COMPILE:-1}
compile_max=${COMPILE_MAX:-1000}
src=${APIC_SRC:-$top}
gen=${GEN:-$top/../shared/bench/schema-scale/gen.py}
render=$top/bench/schema-scale-apic.py
cc=${CC:-gcc}
cflags=${CFLAGS:--std=c11 -D_GNU_SOURCE -O2}
gtime=/usr/bin/time

die() { echo "bench/schema-scale.sh: $*" >&2; exit 1; }
[ -x "$apic" ] || die "no apic at $apic (set APIC, or BUILD to a build directory)"
apic=$(cd "$(dirname "$apic")" && pwd)/$(basename "$apic")
[ -f "$gen" ] || die "no gen.py at $gen (set GEN)"
[ -f "$src/runtime/apic_gen.h" ] || die "no runtime headers under $src (set APIC_SRC)"
"$gtime" -f %e true 2>/dev/null || die "GNU time is needed at $gtime"
for t in python3 make pkg-config "$cc"; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done
cppflags="$(pkg-config --cflags json-c libmicrohttpd) -I$src/runtime"

work=$(mktemp -d "${TMPDIR:-/tmp}/schema-scale.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
	echo "bench/schema-scale.sh: working directory $work" >&2
else
	trap 'rm -rf "$work"' EXIT
fi

# timed OUT CMD...: runs CMD under GNU time, "wall_s peak_kB" into OUT.
timed() {
	local out=$1
	shift
	"$gtime" -f '%e %M' -o "$out" "$@" || die "failed: $*"
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# compile_all N GENDIR: compiles GENDIR/*.c in $work/obj-N with make -j2;
# prints the part of the line that reports it.
compile_all() {
	local n=$1 gdir=$2 obj=$work/obj-$1 f srcs=()
	mkdir -p "$obj"
	for f in "$gdir"/*.c; do
		srcs+=("$(basename "$f" .c).o")
	done
	# Each compile writes its own "user sys peak_kB" next to its object.
	printf 'all: %s\n%%.o: %s/%%.c\n\t%s\n' "${srcs[*]}" "$gdir" \
		"$gtime -f '%U %S %M' -o \$@.time $cc $cflags $cppflags -I$gdir -c \$< -o \$@" \
		> "$obj/Makefile"
	timed "$work/make-$n.time" make -s -j2 -C "$obj"
	local wall
	wall=$(cut -d' ' -f1 "$work/make-$n.time")
	(cd "$obj" && for f in *.o.time; do echo "${f%.o.time}.c $(cat "$f")"; done) |
		awk -v wall="$wall" -v files="${#srcs[@]}" '
			{ cpu += $2 + $3; if ($4 > peak) { peak = $4; big = $1 } }
			END { printf " | compile %d .c (handlers included) cpu %.1f s make -j2 %.1f s peak %.0f MB (%s)",
			      files, cpu, wall, peak * 1024 / 1e6, big }'
}

for n in $sizes; do
	python3 "$gen" --outdir "$work" "$n" > /dev/null
	python3 "$render" "$work/api-$n.json" "$work/api-$n.apic"
	gdir=$work/gen-$n
	mkdir -p "$gdir"
	timed "$work/gen-$n.time" "$apic" generate --quiet --name synth -o "$gdir" "$work/api-$n.apic"
	read -r gwall grss < "$work/gen-$n.time"
	out=$(find "$gdir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
	timed "$work/openapi-$n.time" "$apic" openapi -o "$work/api-$n.openapi.json" "$work/api-$n.apic"
	read -r owall _ < "$work/openapi-$n.time"
	counts=$(python3 "$render" --compare "$work/api-$n.json" "$work/api-$n.openapi.json") ||
		die "N=$n: the OpenAPI document does not have the IR's API: $counts"
	ops=$(echo "$counts" | sed 's/.* operations \([0-9]*\)\/.*/\1/')
	line="N=$n ops=$ops generate $gwall s $(awk -v k="$grss" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }') MB out $(mb "$out") MB | openapi $owall s"
	if [ "$compile" = 1 ] && [ "$n" -le "$compile_max" ]; then
		line+=$(compile_all "$n" "$gdir")
	fi
	echo "$line"
	[ "${KEEP:-0}" = 1 ] || rm -rf "$gdir" "$work/obj-$n"
done
