/* A minimal TAP producer for the runtime's C tests. */
#ifndef RT_TAP_H
#define RT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
static inline __attribute__((format(printf, 4, 5))) int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s %d - ", pass ? "ok" : "not ok", ++tap_n);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (!pass) {
		printf("#   failed at %s:%d\n", file, line);
		tap_failed++;
	}
	fflush(stdout);
	return pass;
}

#define is_int(got, want, ...)                                                        \
	do {                                                                              \
		long long g_ = (got), w_ = (want);                                            \
		if (!ok(g_ == w_, __VA_ARGS__))                                               \
			printf("#   got %lld, want %lld\n", g_, w_);                          \
	} while (0)

#define is_str(got, want, ...)                                                        \
	do {                                                                              \
		const char *g_ = (got), *w_ = (want);                                         \
		if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))                        \
			printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
