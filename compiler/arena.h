/* The compilation arena: every AST node, name and list of one compilation
 * lives here and is released by one arena_free(). Also a string-keyed hash
 * map (allocated in the arena) for name lookup, so checking stays linear. */
#ifndef APIC_ARENA_H
#define APIC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Called when memory runs out; must not return. The default prints a
 * message and aborts; apic's main() installs one that exits with status 3. */
extern void (*arena_oom_handler)(void);

struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Zeroed memory, aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Open-addressing map from NUL-terminated keys (not copied: they must live
 * as long as the map, e.g. in the same arena) to pointers. */
struct strmap;
struct strmap *strmap_new(struct arena *a);
/* The value stored under key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/* Stores value under key unless the key is present; returns the existing
 * value in that case, else NULL. */
void *strmap_put(struct strmap *m, const char *key, void *value);

#endif
