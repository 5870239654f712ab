/* The runtime tests' hand-written API (see handapi.c). */
#ifndef HANDAPI_H
#define HANDAPI_H

#include "apic_gen.h"

extern const struct apic_api handapi_api;        /* problem+json errors */
extern const struct apic_api handapi_api_custom; /* {"errors":{"body":[...]}} */
extern const char handapi_openapi[];
/* Installs the verifiers; 0 on success. */
int handapi_setup(struct apic_server *srv);

#endif
