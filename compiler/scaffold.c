/* `apic new`. */
#include "scaffold.h"

#include <stdio.h>

int scaffold_new(const char *name, const char *dir)
{
	(void)dir;
	fprintf(stderr, "apic: new %s: not implemented yet\n", name);
	return 3;
}
