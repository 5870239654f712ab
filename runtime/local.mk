# libapic: the runtime generated servers link against (libapic(3)).
# runtime/codec.mk (codegen) adds the codec helpers to the same library.
lib_LTLIBRARIES += runtime/libapic.la
include_HEADERS += runtime/apic.h runtime/apic_gen.h runtime/apic_test.h runtime/apic_client.h
pkgconfig_DATA += runtime/libapic.pc
runtime_libapic_la_SOURCES = \
	runtime/internal.h \
	runtime/arena.c \
	runtime/async.c \
	runtime/auth.c \
	runtime/client.c \
	runtime/client_int.h \
	runtime/client_loop.c \
	runtime/client_req.c \
	runtime/client_resp.c \
	runtime/copy.c \
	runtime/compress.c \
	runtime/cors.c \
	runtime/deadline.c \
	runtime/desc.h \
	runtime/desc_decode.c \
	runtime/desc_encode.c \
	runtime/desc_owning.c \
	runtime/desc_request.c \
	runtime/docs.c \
	runtime/flags.c \
	runtime/hooks.c \
	runtime/jobs.c \
	runtime/json.c \
	runtime/log.c \
	runtime/loop.c \
	runtime/reqinfo.c \
	runtime/request.c \
	runtime/response.c \
	runtime/router.c \
	runtime/server.c \
	runtime/sse.c \
	runtime/strict.c \
	runtime/testing.c \
	runtime/violation.c \
	runtime/ws.c \
	$(NULL)
nodist_runtime_libapic_la_SOURCES = runtime/swagger-config.h
runtime_libapic_la_CPPFLAGS = $(AM_CPPFLAGS) $(MHD_CFLAGS) $(JSONC_CFLAGS) $(PCRE2_CFLAGS) $(ZLIB_CFLAGS) $(EVENT_CFLAGS) $(NETTLE_CFLAGS) $(CURL_CFLAGS)
runtime_libapic_la_LIBADD = $(APIC_MHD_LIBS) $(JSONC_LIBS) $(PCRE2_LIBS) $(ZLIB_LIBS) $(EVENT_LIBS) $(WS_LIBS) $(CURL_LIBS) -lpthread
# libmicrohttpd from its static archive, without GnuTLS (configure.ac).
if MHD_STATIC
runtime_libapic_la_SOURCES += runtime/mhd_notls.c
runtime_libapic_la_CPPFLAGS += -DAPIC_MHD_WITHOUT_TLS
endif
runtime_libapic_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 -no-undefined \
	-Wl,--version-script=$(srcdir)/runtime/libapic.sym
EXTRA_runtime_libapic_la_DEPENDENCIES = runtime/libapic.sym
# The libtool archive is not installed (Debian policy): it would not name
# libmicrohttpd.a, which libtool leaves out of static dependencies;
# pkg-config libapic is the way to link. Without it `libtool --mode=uninstall`
# cannot find the library files, so they are removed here.
install-exec-hook:
	rm -f '$(DESTDIR)$(libdir)/libapic.la'
uninstall-hook:
	rm -f '$(DESTDIR)$(libdir)'/libapic.a '$(DESTDIR)$(libdir)'/libapic.so*
EXTRA_DIST += runtime/libapic.sym runtime/swagger-ui/package.json runtime/swagger-ui/package-lock.json

# Swagger UI is embedded into libapic (configure checked that `npm ci` ran
# in runtime/swagger-ui, or was told --without-swagger-ui); the header says
# where its files are. Rewritten only when its text changes, checked on
# every build. APIC_SWAGGER_DIST comes from configure.
BUILT_SOURCES += runtime/swagger-config.h
CLEANFILES += runtime/swagger-config.h
runtime/swagger-config.h: apic-swagger-check
	@$(MKDIR_P) runtime
	@if test '$(APIC_WITH_SWAGGER_UI)' = no; then \
	  echo '/* configure --without-swagger-ui: /docs answers 404 */'; \
	elif test -f '$(APIC_SWAGGER_DIST)/swagger-ui-bundle.js' && \
	    test -f '$(APIC_SWAGGER_DIST)/swagger-ui.css'; then \
	  echo '#define APIC_SWAGGER_DIR "$(APIC_SWAGGER_DIST)"'; \
	else echo 'swagger-ui-dist is gone from $(APIC_SWAGGER_DIST): (cd runtime/swagger-ui && npm ci)' >&2; \
	  exit 1; fi > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
apic-swagger-check:
$(runtime_libapic_la_OBJECTS): runtime/swagger-config.h
dist_man_MANS += man/libapic.3
