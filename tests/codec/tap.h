/* A minimal TAP producer for the codegen unit tests. */
#ifndef CG_TAP_H
#define CG_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5)))
static int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

/* Compares n bytes of got with the NUL-terminated want. */
__attribute__((unused))
static int is_bytes(const char *got, size_t n, const char *want, const char *name)
{
	int cond = n == strlen(want) && memcmp(got, want, n) == 0;
	tap_ok(cond, __FILE__, __LINE__, "%s", name);
	if (!cond)
		printf("#   got:  '%.*s'\n#   want: '%s'\n", (int)n, got, want);
	return cond;
}

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
