/* `apic new NAME`: a standalone project for a user's own API. */
#ifndef APIC_SCAFFOLD_H
#define APIC_SCAFFOLD_H

/* Creates directory `dir` (NAME when NULL) holding NAME.apic, a Makefile that
 * regenerates and rebuilds with `pkg-config libapic`, and a README. Returns an
 * exit status (0, 2 usage, 3 I/O) after printing any message to stderr. */
int scaffold_new(const char *name, const char *dir);

#endif
