#!/usr/bin/env bash
# How the petstore server is linked, seen from the running process: with
# libmicrohttpd from its static archive (configure's default for a static
# libapic) no TLS library is mapped, and --version says so; either way the
# server answers requests.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/e2e-petstore/lib.sh"

petstore=$top_builddir/examples/petstore/petstore

version=$("$petstore" --version)
is "$?" 0 "--version exits 0"
like "$version" '\(libapic [0-9.]+, libmicrohttpd [0-9]+\.[0-9]+\.[0-9]+ ' "--version names libapic and libmicrohttpd: $version"

start_server "$petstore" --db "$tmp/pets.db"
req GET /v1/pets
is "$status" 200 "the server answers"
maps=$(cat "/proc/$server_pid/maps")
# nettle alone is libapic's own (the SHA-1 of the WebSocket handshake);
# the rest is the GnuTLS stack.
tls_libs=$(printf '%s\n' "$maps" | grep -oE 'lib(gnutls|p11-kit|hogweed|gmp|tasn1)\.so[.0-9]*' | sort -u | tr '\n' ' ')
is "$(printf '%s\n' "$maps" | grep -qE '/libc\.so' && echo yes)" yes "the process's map is readable (libc is in it)"
if [ "$APIC_MHD_STATIC" = yes ]; then
	like "$version" 'libmicrohttpd [0-9.]+ static, without TLS\)$' "--version says libmicrohttpd is static, without TLS"
	is "$tls_libs" "" "no TLS library is mapped"
	is "$(printf '%s\n' "$maps" | grep -q 'libmicrohttpd\.so' && echo mapped)" "" "nor libmicrohttpd.so"
else
	like "$version" 'libmicrohttpd [0-9.]+ shared\)$' "--version says libmicrohttpd is shared"
	ok "no TLS library is mapped # SKIP libmicrohttpd is shared (configure --without-static-microhttpd or --enable-shared)"
	ok "nor libmicrohttpd.so # SKIP libmicrohttpd is shared"
fi
stop_server
is "$server_status" 0 "it stops cleanly"

done_testing
