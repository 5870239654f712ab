/* `apic import [-o OUT.apic] FILE`: an OpenAPI 3.0 or 3.1 document, JSON or
 * YAML, to a schema in the layout of `apic fmt`; see apic(1), import. */
#ifndef APIC_IMPORT_H
#define APIC_IMPORT_H

/* Returns the exit status: 0 (warnings allowed), 1 the document cannot be
 * imported, 3 I/O. */
int import_main(const char *path, const char *output);

#endif
