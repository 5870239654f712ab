/* `apic dev [--port N] [DIR] [-- SERVER-ARGS...]`: the edit-and-try loop of
 * a project made by `apic new`. It builds with the project's Makefile
 * (`make APIC=<this apic>`), runs ./NAME --port N, and watches the schema,
 * the files it imports and the C sources with inotify. A change rebuilds;
 * a build that succeeds restarts the server on the same port, one that
 * fails leaves the last good server serving (make's and apic's errors are
 * printed as they come). Ctrl-C stops the server and apic dev. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "check.h"
#include "dev.h"
#include "diag.h"
#include "out.h"
#include "proc.h"
#include "source.h"

#define DEBOUNCE_MS 150
#define MAX_DIRS 64

struct dev {
	const char *name;          /* the schema NAME.apic, the program ./NAME */
	char *self;                /* this apic, for the Makefile's APIC */
	int port;
	char *const *server_args;
	int nserver_args;
	pid_t server;              /* 0: none running */
	struct stat built;         /* ./NAME as the running server was started from it */
	int inotify;
	char *dirs[MAX_DIRS];      /* watched */
	int ndirs;
	struct out_buf snap;       /* the watched files when the last build began */
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("apic dev: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the project ---- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The schema with the `service`: the project's root (others are imports). */
static char *find_name(void)
{
	DIR *d = opendir(".");
	char *found = NULL;
	int count = 0;
	if (!d)
		return NULL;
	for (struct dirent *e; (e = readdir(d));) {
		if (!ends_with(e->d_name, ".apic") || e->d_name[0] == '.')
			continue;
		FILE *f = fopen(e->d_name, "r");
		char line[4096];
		bool service = false;
		while (f && !service && fgets(line, sizeof line, f))
			service = strncmp(line, "service ", 8) == 0;
		if (f)
			fclose(f);
		if (!service)
			continue;
		count++;
		free(found);
		found = strndup(e->d_name, strlen(e->d_name) - 5);
	}
	closedir(d);
	if (count != 1) {
		say(count ? "more than one schema with a 'service' here: which is the project's?"
			  : "no schema with a 'service' here (is this a project made by apic new?)");
		free(found);
		return NULL;
	}
	return found;
}

/* The generated files: a change to one of them is make's, not the user's. */
static bool generated(const struct dev *v, const char *f)
{
	size_t n = strlen(v->name);
	if (strncmp(f, v->name, n) != 0)
		return false;
	const char *r = f + n;
	if (!strcmp(r, ".c") || !strcmp(r, ".h") || !strcmp(r, ".mk") || !strcmp(r, ".d") ||
	    !strcmp(r, ".openapi.json"))
		return true;
	return strncmp(r, "_ops", 4) == 0 && ends_with(r, ".c");
}

static bool watched_file(const struct dev *v, const char *f)
{
	if (f[0] == '.' || generated(v, f))
		return false;
	return ends_with(f, ".apic") || ends_with(f, ".c") || ends_with(f, ".h") ||
	       !strcmp(f, "Makefile") || !strcmp(f, "makefile") || !strcmp(f, "GNUmakefile");
}

static void watch_dir(struct dev *v, const char *dir)
{
	for (int i = 0; i < v->ndirs; i++)
		if (!strcmp(v->dirs[i], dir))
			return;
	if (v->ndirs == MAX_DIRS)
		return;
	if (inotify_add_watch(v->inotify, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
			      IN_DELETE | IN_MOVED_FROM) < 0) {
		say("cannot watch %s: %s", dir, strerror(errno));
		return;
	}
	v->dirs[v->ndirs++] = strdup(dir);
}

/* The directories of the schema's imports join the watch. */
static void watch_imports(struct dev *v)
{
	struct arena *a = arena_new();
	struct source_table *src = src_new();
	FILE *null = fopen("/dev/null", "w");
	struct diag_ctx *d = diag_new(src, null ? null : stderr);
	char *path;
	int err;
	if (asprintf(&path, "%s.apic", v->name) >= 0) {
		check_load(a, src, d, path, &err);
		free(path);
	}
	for (uint32_t i = 0; i < src_count(src); i++) {
		char *p = strdup(src_file(src, i)->path), *slash = p ? strrchr(p, '/') : NULL;
		if (p)
			watch_dir(v, slash ? (*slash = 0, p) : ".");
		free(p);
	}
	diag_free(d);
	if (null)
		fclose(null);
	src_free(src);
	arena_free(a);
}

/* Name, size and mtime of every watched file, in a fixed order. */
static void snapshot(const struct dev *v, struct out_buf *b)
{
	b->len = 0;
	for (int i = 0; i < v->ndirs; i++) {
		struct dirent **list;
		int n = scandir(v->dirs[i], &list, NULL, alphasort);
		for (int j = 0; j < n; j++) {
			char p[PATH_MAX];
			struct stat st;
			snprintf(p, sizeof p, "%s/%s", v->dirs[i], list[j]->d_name);
			if (watched_file(v, list[j]->d_name) && stat(p, &st) == 0 && S_ISREG(st.st_mode))
				out_printf(b, "%s %lld %lld.%09ld\n", p, (long long)st.st_size,
					   (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
			free(list[j]);
		}
		if (n >= 0)
			free(list);
	}
}

/* The first file that differs between two snapshots, for the message. */
static void first_change(const struct out_buf *a, const struct out_buf *b, char *name, size_t n)
{
	const char *x = a->p ? a->p : "", *y = b->p ? b->p : "";
	while (*x && *y) {
		const char *xe = strchr(x, '\n'), *ye = strchr(y, '\n');
		if (xe - x != ye - y || memcmp(x, y, (size_t)(xe - x)) != 0)
			break;
		x = xe + 1, y = ye + 1;
	}
	const char *l = *y ? y : x;
	snprintf(name, n, "%.*s", (int)strcspn(l, " "), l);
	if (!name[0])
		snprintf(name, n, "a file");
}

/* ---- the server ---- */

static void stop_server(struct dev *v)
{
	if (!v->server)
		return;
	kill(v->server, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(v->server, NULL, WNOHANG) == v->server) {
			v->server = 0;
			return;
		}
		usleep(50 * 1000);
	}
	say("the server did not stop in 5 s: killed");
	kill(v->server, SIGKILL);
	waitpid(v->server, NULL, 0);
	v->server = 0;
}

static bool listening(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static void start_server(struct dev *v)
{
	char prog[PATH_MAX], port[16];
	snprintf(prog, sizeof prog, "./%s", v->name);
	snprintf(port, sizeof port, "%d", v->port);
	char **argv = calloc((size_t)v->nserver_args + 4, sizeof *argv);
	if (!argv)
		arena_oom_handler();
	argv[0] = prog;
	argv[1] = "--port";
	argv[2] = port;
	for (int i = 0; i < v->nserver_args; i++)
		argv[3 + i] = v->server_args[i];
	stat(prog, &v->built);
	pid_t pid = proc_spawn(argv, -1, -1);
	free(argv);
	if (pid < 0)
		return;
	v->server = pid;
	for (int i = 0; i < 200; i++) {
		if (listening(v->port)) {
			say("serving http://127.0.0.1:%d/ (docs at /docs); watching for changes", v->port);
			return;
		}
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			v->server = 0;
			say("the server exited at its start; fix the cause and save to try again");
			return;
		}
		usleep(50 * 1000);
	}
	say("the server does not answer on port %d yet", v->port);
}

/* ---- building ---- */

static bool build(struct dev *v)
{
	char apic_var[PATH_MAX + 8];
	snprintf(apic_var, sizeof apic_var, "APIC=%s", v->self);
	char *const argv[] = { "make", apic_var, NULL };
	pid_t pid = proc_spawn(argv, -1, -1);
	return pid >= 0 && proc_wait(pid) == 0;
}

static void rebuild(struct dev *v, const char *why)
{
	say("%s: rebuilding", why);
	bool ok = build(v);
	watch_imports(v);
	if (!ok) {
		if (v->server)
			say("the build failed; the last good server keeps serving http://127.0.0.1:%d/",
			    v->port);
		else
			say("the build failed; no server is running");
		return;
	}
	struct stat st;
	char prog[PATH_MAX];
	snprintf(prog, sizeof prog, "./%s", v->name);
	bool changed = stat(prog, &st) != 0 || st.st_ino != v->built.st_ino ||
		       st.st_mtim.tv_sec != v->built.st_mtim.tv_sec ||
		       st.st_mtim.tv_nsec != v->built.st_mtim.tv_nsec;
	if (v->server && !changed) {
		say("built; ./%s did not change", v->name);
		return;
	}
	stop_server(v);
	start_server(v);
}

/* ---- the loop ---- */

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof sa;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &n) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

int dev_main(const char *self, const char *dir, int port, char *const *server_args, int n)
{
	struct dev v = { .port = port, .server_args = server_args, .nserver_args = n };
	if (dir && chdir(dir) != 0) {
		say("cannot enter %s: %s", dir, strerror(errno));
		return 3;
	}
	char *name = find_name();
	if (!name)
		return 2;
	v.name = name;
	/* this very apic generates the code, not another one on PATH */
	v.self = realpath("/proc/self/exe", NULL);
	if (!v.self)
		v.self = strdup(self);
	if (v.port == 0 && (v.port = free_port()) < 0) {
		say("no free port");
		return 3;
	}
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	v.inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (sfd < 0 || v.inotify < 0) {
		say("cannot watch files: %s", strerror(errno));
		return 3;
	}
	watch_dir(&v, ".");
	out_init(&v.snap);
	snapshot(&v, &v.snap);
	rebuild(&v, "starting");
	struct out_buf now;
	out_init(&now);
	long long due = -1;
	for (bool running = true; running;) {
		struct pollfd p[2] = { { .fd = v.inotify, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
		int timeout = due < 0 ? -1 : (int)(due - now_ms() > 0 ? due - now_ms() : 0);
		if (poll(p, 2, timeout) < 0 && errno != EINTR)
			break;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == sizeof si) {
				if (si.ssi_signo != SIGCHLD) {
					running = false;
					break;
				}
				int st;
				if (v.server && waitpid(v.server, &st, WNOHANG) == v.server) {
					v.server = 0;
					say("the server exited (%s %d); save a file to build and start it again",
					    WIFEXITED(st) ? "status" : "signal",
					    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
				}
				break;
			}
		}
		if (p[0].revents & POLLIN) {
			char buf[8192];
			while (read(v.inotify, buf, sizeof buf) > 0)
				;
			due = now_ms() + DEBOUNCE_MS; /* an editor writes in several steps */
		}
		if (running && due >= 0 && now_ms() >= due) {
			due = -1;
			snapshot(&v, &now);
			if (now.len != v.snap.len || memcmp(now.p, v.snap.p, now.len) != 0) {
				char why[PATH_MAX];
				first_change(&v.snap, &now, why, sizeof why);
				struct out_buf t = v.snap;
				v.snap = now;
				now = t;
				rebuild(&v, why);
			}
		}
	}
	say("stopping");
	stop_server(&v);
	out_free(&now);
	out_free(&v.snap);
	for (int i = 0; i < v.ndirs; i++)
		free(v.dirs[i]);
	close(v.inotify);
	close(sfd);
	free(v.self);
	free(name);
	return 0;
}
