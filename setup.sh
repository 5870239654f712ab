#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   ./setup.sh run    install what is missing, build apic and the petstore
#                     example, start it on http://127.0.0.1:8080 (docs at /docs)
#   ./setup.sh test   install what is missing, build, run the whole test suite
#                     (plain build, then ASan+UBSan build), print "N passed, N failed"
#   ./setup.sh deps   only install the dependencies
set -euo pipefail
cd "$(dirname "$0")"
top=$PWD
mode=${1:-run}

debian_packages=(
	build-essential autoconf automake libtool pkg-config bison flex
	libmicrohttpd-dev libjson-c-dev libyaml-dev libpcre2-dev zlib1g-dev libsqlite3-dev libsodium-dev \
	libpq-dev postgresql haproxy
	libcurl4-openssl-dev libwslay-dev libevent-dev nettle-dev curl jq clang valgrind mandoc wrk chromium strace
	vim
)

install_debian() {
	local missing=()
	for p in "${debian_packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	# Node.js may come from elsewhere than Debian (a newer release with its own
	# npm): Debian's npm would conflict with it, so install it only when absent.
	command -v node >/dev/null 2>&1 || missing+=(nodejs)
	command -v npm >/dev/null 2>&1 || missing+=(npm)
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "setup: installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# From the npm registry, pinned by each directory's package-lock.json:
# test-only tools (tests/npm) and the Swagger UI assets libapic embeds
# for /docs (runtime/swagger-ui).
install_npm() {
	local d
	for d in tests/npm runtime/swagger-ui; do
		[ -f $d/package.json ] || continue
		if [ ! -d $d/node_modules ] || [ $d/package-lock.json -nt $d/node_modules ]; then
			(cd $d && npm ci --no-audit --no-fund --loglevel=error)
			touch $d/node_modules
		fi
	done
}

configure_build() { # DIR [configure args...]
	local dir=$1; shift
	[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		(cd "$dir" && "$top/configure" -q --enable-werror "$@")
	fi
	make -s -C "$dir" -j"$(nproc)"
}

# Sums the test results of every .trs file under the given build directories.
summarise() {
	local pass=0 fail=0 skip=0 p f s
	for d in "$@"; do
		[ -d "$d" ] || continue
		p=$(find "$d" -name '*.trs' -exec cat {} + 2>/dev/null | grep -cE '^:test-result: (PASS|XFAIL)' || true)
		f=$(find "$d" -name '*.trs' -exec cat {} + 2>/dev/null | grep -cE '^:test-result: (FAIL|XPASS|ERROR)' || true)
		s=$(find "$d" -name '*.trs' -exec cat {} + 2>/dev/null | grep -cE '^:test-result: SKIP' || true)
		pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	done
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}

case $mode in
deps)
	install_debian
	install_npm
	;;
run)
	install_debian
	install_npm
	configure_build _build
	exec make -s -C _build run-petstore
	;;
test)
	install_debian
	install_npm
	status=0
	configure_build _build
	make -s -C _build check -j"$(nproc)" || status=1
	# The sanitizer build also covers the other ways to build: libapic.so on
	# the shared libmicrohttpd (the default build is static, see configure),
	# and without Swagger UI (/docs answers 404).
	configure_build _build-san --enable-sanitizers --enable-shared --without-swagger-ui CC=clang
	ASAN_OPTIONS=detect_leaks=1 make -s -C _build-san check -j"$(nproc)" APIC_SANITIZED=1 || status=1
	for f in $(find _build _build-san -name '*.log' -newer configure.ac 2>/dev/null | grep -v config.log); do
		grep -lqE '^(not ok|FAIL|ERROR)' "$f" 2>/dev/null && { echo "=== $f"; tail -n 40 "$f"; }
	done
	summarise _build _build-san || status=1
	exit $status
	;;
*)
	echo "usage: $0 run|test|deps" >&2
	exit 2
	;;
esac
