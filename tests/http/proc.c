/* Server processes for the C tests of tests/http (proc.h). */
#include "proc.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char server_bin[4096], logdir[4096];

void proc_init(const char *server, const char *logs)
{
	const char *top = getenv("top_builddir");
	snprintf(server_bin, sizeof server_bin, "%s/%s", top ? top : ".", server);
	snprintf(logdir, sizeof logdir, "%s/%s", top ? top : ".", logs);
	mkdir(logdir, 0755);
}

const char *proc_server_bin(void)
{
	return server_bin;
}

const char *proc_logdir(void)
{
	return logdir;
}

void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

bool start_server(struct server *s, const char *name, const char *const *wrapper,
			 const char *const *args, int wait_s)
{
	snprintf(s->log, sizeof s->log, "%s/%s.log", logdir, name);
	const char *argv[64];
	int n = 0;
	for (const char *const *w = wrapper; w && *w; w++)
		argv[n++] = *w;
	argv[n++] = server_bin;
	for (const char *const *a = args; *a; a++)
		argv[n++] = *a;
	argv[n] = NULL;
	/* Gone before the fork: the child truncates it on its own time, and the
	 * loop below must never read the previous run's "listening on" line. */
	unlink(s->log);
	s->pid = fork();
	if (s->pid == 0) {
		int fd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		dup2(fd, 1);
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	for (int i = 0; i < wait_s * 20; i++) {
		sleep_ms(50);
		char *log = slurp(s->log);
		const char *p = log ? strstr(log, "listening on http://127.0.0.1:") : NULL;
		if (p) {
			s->port = (unsigned)atoi(p + strlen("listening on http://127.0.0.1:"));
			free(log);
			return s->port > 0;
		}
		free(log);
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			return false;
		}
	}
	return false;
}

int stop_server(struct server *s, int wait_s)
{
	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	return wait_server(s, wait_s);
}

int wait_server(struct server *s, int wait_s)
{
	if (s->pid <= 0)
		return -1;
	for (int i = 0; i < wait_s * 20; i++) {
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		sleep_ms(50);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
	return -1;
}

int dial(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}
