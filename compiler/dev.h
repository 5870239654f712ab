/* `apic dev`: rebuild and restart a project made by `apic new` on every
 * change (see dev.c and apic(1)). */
#ifndef APIC_DEV_H
#define APIC_DEV_H

/* self: this program's path (argv[0]); dir: the project (NULL: the current
 * directory); port 0: a free one. Returns the exit status. */
int dev_main(const char *self, const char *dir, int port, char *const *server_args, int n);

#endif
