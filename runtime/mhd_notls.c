/* libmicrohttpd without GnuTLS, for servers that link libmicrohttpd from
 * its static archive (configure --with-static-microhttpd, the default when
 * libapic is a static library).
 *
 * Debian's libmicrohttpd is built with HTTPS support, so its archive refers
 * to GnuTLS, and loading the shared library maps GnuTLS, p11-kit, nettle,
 * gmp and five more libraries: about 2.3 MB of resident pages and a
 * GnuTLS initialisation at every start. libapic never turns TLS on (TLS ends
 * at the load balancer in front of the servers), so nothing of that is
 * reached except MHD's library constructor and destructor, which call
 * gnutls_global_init() and gnutls_global_deinit(). These definitions stand in
 * for the entry points the archive refers to: the two calls succeed and do
 * nothing, and every TLS entry point aborts, as reaching one would be a bug.
 *
 * They are hidden: they satisfy libmicrohttpd's references inside this
 * program and are not exported, so a library that uses the real GnuTLS
 * (libcurl, libldap) in the same process still gets the real one.
 *
 * configure links a test program with this file and the archive; a
 * libmicrohttpd that refers to a GnuTLS function not listed here makes that
 * check fail and the build fall back to the shared libmicrohttpd. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

#define APIC_HIDDEN __attribute__((visibility("hidden")))

/* For --version; referring to it is also what takes this file out of
 * libapic.a into every server (see server.c). */
const char apic__mhd_linkage[] = "static, without TLS";

APIC_HIDDEN int gnutls_global_init(void);
APIC_HIDDEN int gnutls_global_init(void)
{
	return 0;
}

APIC_HIDDEN void gnutls_global_deinit(void);
APIC_HIDDEN void gnutls_global_deinit(void)
{
}

/* gnutls_malloc is a variable in GnuTLS (a replaceable allocator). */
APIC_HIDDEN void *(*gnutls_malloc)(size_t);
APIC_HIDDEN void *(*gnutls_malloc)(size_t) = malloc;

static _Noreturn void no_tls(const char *fn)
{
	fprintf(stderr, "libapic: libmicrohttpd called %s(), but this server is built without TLS\n", fn);
	abort();
}

/* Never called: each is declared here as void(void), whatever its GnuTLS
 * prototype, because only the symbol is needed to link. */
#define APIC_NO_TLS(fn) \
	APIC_HIDDEN void fn(void); \
	APIC_HIDDEN void fn(void) { no_tls(#fn); }

APIC_NO_TLS(gnutls_alpn_set_protocols)
APIC_NO_TLS(gnutls_bye)
APIC_NO_TLS(gnutls_certificate_allocate_credentials)
APIC_NO_TLS(gnutls_certificate_free_credentials)
APIC_NO_TLS(gnutls_certificate_server_set_request)
APIC_NO_TLS(gnutls_certificate_set_dh_params)
APIC_NO_TLS(gnutls_certificate_set_retrieve_function2)
APIC_NO_TLS(gnutls_certificate_set_retrieve_function3)
APIC_NO_TLS(gnutls_certificate_set_x509_key_mem)
APIC_NO_TLS(gnutls_certificate_set_x509_key_mem2)
APIC_NO_TLS(gnutls_certificate_set_x509_trust_mem)
APIC_NO_TLS(gnutls_cipher_get)
APIC_NO_TLS(gnutls_credentials_set)
APIC_NO_TLS(gnutls_deinit)
APIC_NO_TLS(gnutls_dh_params_deinit)
APIC_NO_TLS(gnutls_dh_params_import_pkcs3)
APIC_NO_TLS(gnutls_dh_params_init)
APIC_NO_TLS(gnutls_handshake)
APIC_NO_TLS(gnutls_init)
APIC_NO_TLS(gnutls_priority_deinit)
APIC_NO_TLS(gnutls_priority_init)
APIC_NO_TLS(gnutls_priority_set)
APIC_NO_TLS(gnutls_protocol_get_version)
APIC_NO_TLS(gnutls_psk_allocate_server_credentials)
APIC_NO_TLS(gnutls_psk_free_server_credentials)
APIC_NO_TLS(gnutls_psk_set_server_credentials_function)
APIC_NO_TLS(gnutls_record_check_pending)
APIC_NO_TLS(gnutls_record_get_direction)
APIC_NO_TLS(gnutls_record_recv)
APIC_NO_TLS(gnutls_record_send)
APIC_NO_TLS(gnutls_session_get_ptr)
APIC_NO_TLS(gnutls_session_set_ptr)
APIC_NO_TLS(gnutls_strerror)
APIC_NO_TLS(gnutls_transport_set_int2)
