/* Real servers for the C tests of tests/http: started as child processes
 * with --port 0 (the port is read back from their log), stopped by PID. */
#ifndef TESTS_HTTP_PROC_H
#define TESTS_HTTP_PROC_H

#include <stdbool.h>
#include <sys/types.h>

struct server {
	pid_t pid;
	unsigned port;
	char log[4200];
};

/* The server binary and the directory for logs, below $top_builddir. */
void proc_init(const char *server, const char *logs);
const char *proc_server_bin(void);
const char *proc_logdir(void);

void sleep_ms(long ms);
/* The whole file, NUL-terminated (malloc'd), or NULL. */
char *slurp(const char *path);
/* Starts the server with `args` (NULL-terminated) under an optional wrapper
 * and waits (up to wait_s) for its "listening on" line. */
bool start_server(struct server *s, const char *name, const char *const *wrapper,
		  const char *const *args, int wait_s);
/* SIGTERM, then the exit status (-1 if it did not exit within wait_s). */
int stop_server(struct server *s, int wait_s);
/* Waits for a server told to stop already (no second signal): its exit
 * status as stop_server's. */
int wait_server(struct server *s, int wait_s);
/* A TCP connection to 127.0.0.1:port, or -1. */
int dial(unsigned port);

#endif
