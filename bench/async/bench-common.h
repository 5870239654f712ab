/* bench-common.h: what the load tools of bench/async share: clocks, the
 * /proc figures of the server under test, RLIMIT_NOFILE, option parsing
 * helpers and a log-linear latency histogram. Header only, all static. */
#ifndef BENCH_ASYNC_COMMON_H
#define BENCH_ASYNC_COMMON_H

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static inline int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int64_t real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline void sleep_until_ns(int64_t t)
{
	for (;;) {
		int64_t d = t - mono_ns();
		if (d <= 0)
			return;
		struct timespec ts = { d / 1000000000, d % 1000000000 };
		nanosleep(&ts, NULL);
	}
}

/* The server's figures: CPU (utime+stime, in microseconds), VmRSS,
 * VmHWM (kB), Threads. Fields not readable stay -1. */
struct proc_figures {
	int64_t cpu_us;
	long rss_kb, hwm_kb, threads;
};

static inline struct proc_figures proc_read(long pid)
{
	struct proc_figures f = { -1, -1, -1, -1 };
	char path[64], buf[4096];
	FILE *fp;
	if (pid <= 0)
		return f;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) != NULL) {
		size_t n = fread(buf, 1, sizeof buf - 1, fp);
		fclose(fp);
		buf[n] = '\0';
		/* The command name may hold spaces and parentheses: count the
		 * fields from the last ')'. utime and stime are fields 14, 15. */
		char *p = strrchr(buf, ')');
		if (p != NULL) {
			unsigned long long ut = 0, st = 0;
			int field = 2;
			for (p++; *p != '\0' && field < 15;) {
				while (*p == ' ')
					p++;
				field++;
				if (field == 14)
					ut = strtoull(p, &p, 10);
				else if (field == 15)
					st = strtoull(p, &p, 10);
				else
					while (*p != '\0' && *p != ' ')
						p++;
			}
			if (field == 15) {
				long hz = sysconf(_SC_CLK_TCK);
				f.cpu_us = (int64_t)(ut + st) * 1000000 / (hz > 0 ? hz : 100);
			}
		}
	}
	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	if ((fp = fopen(path, "r")) != NULL) {
		while (fgets(buf, sizeof buf, fp) != NULL) {
			if (strncmp(buf, "VmRSS:", 6) == 0)
				f.rss_kb = strtol(buf + 6, NULL, 10);
			else if (strncmp(buf, "VmHWM:", 6) == 0)
				f.hwm_kb = strtol(buf + 6, NULL, 10);
			else if (strncmp(buf, "Threads:", 8) == 0)
				f.threads = strtol(buf + 8, NULL, 10);
		}
		fclose(fp);
	}
	return f;
}

/* The whole machine's CPU time from the first line of /proc/stat, in
 * clock ticks: all of it, idle (with iowait), softirq (much of loopback
 * TCP runs there, in ksoftirqd, charged to no process) and steal. */
struct sys_cpu {
	unsigned long long total, idle, softirq, steal;
};

static inline struct sys_cpu sys_cpu_read(void)
{
	struct sys_cpu c = { 0, 0, 0, 0 };
	unsigned long long v[8] = { 0 };
	FILE *fp = fopen("/proc/stat", "r");
	if (fp == NULL)
		return c;
	if (fscanf(fp, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		for (int i = 0; i < 8; i++)
			c.total += v[i];
		c.idle = v[3] + v[4];
		c.softirq = v[6];
		c.steal = v[7];
	}
	fclose(fp);
	return c;
}

/* Prints machine_idle_pct, machine_softirq_pct, machine_steal_pct over
 * the interval a..b, as shares of all CPUs. */
static inline void sys_cpu_print(struct sys_cpu a, struct sys_cpu b)
{
	double t = (double)(b.total - a.total);
	if (t <= 0)
		return;
	printf("machine_idle_pct=%.0f\n", 100.0 * (double)(b.idle - a.idle) / t);
	printf("machine_softirq_pct=%.0f\n", 100.0 * (double)(b.softirq - a.softirq) / t);
	printf("machine_steal_pct=%.0f\n", 100.0 * (double)(b.steal - a.steal) / t);
}

/* This process's own CPU time (all threads), microseconds. */
static inline int64_t self_cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* Raise the soft limit of open files to at least want (and the hard
 * limit too when allowed); returns the soft limit in force. */
static inline long raise_nofile(long want)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1;
	if ((rlim_t)want > rl.rlim_max) {
		struct rlimit up = { (rlim_t)want, (rlim_t)want };
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			return want;
	}
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	return (long)rl.rlim_cur;
}

static inline long opt_long(const char *name, const char *v, long lo, long hi)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "bad value for %s: %s (%ld..%ld)\n", name, v, lo, hi);
		exit(2);
	}
	return n;
}

static inline double opt_double(const char *name, const char *v, double lo, double hi)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(d >= lo && d <= hi)) {
		fprintf(stderr, "bad value for %s: %s (%g..%g)\n", name, v, lo, hi);
		exit(2);
	}
	return d;
}

/* Log-linear histogram of microsecond values: exact below 1024 us, then
 * 512 sub-buckets per power of two (relative error under 0.2 %). */
#define HIST_SUB 512
#define HIST_BUCKETS (1024 + 23 * HIST_SUB)

struct hist {
	uint64_t n[HIST_BUCKETS];
	uint64_t count, max;
};

static inline int hist_index(uint64_t v)
{
	if (v < 1024)
		return (int)v;
	if (v > UINT32_MAX)
		v = UINT32_MAX;
	int msb = 63 - __builtin_clzll(v);
	int s = msb - 9;
	return 1024 + (s - 1) * HIST_SUB + (int)((v >> s) - HIST_SUB);
}

static inline uint64_t hist_value(int i)
{
	if (i < 1024)
		return (uint64_t)i;
	int s = (i - 1024) / HIST_SUB + 1;
	uint64_t m = (uint64_t)((i - 1024) % HIST_SUB + HIST_SUB);
	return (m << s) + ((uint64_t)1 << (s - 1));
}

static inline void hist_add(struct hist *h, uint64_t v)
{
	h->n[hist_index(v)]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

static inline void hist_merge(struct hist *into, const struct hist *h)
{
	for (int i = 0; i < HIST_BUCKETS; i++)
		into->n[i] += h->n[i];
	into->count += h->count;
	if (h->max > into->max)
		into->max = h->max;
}

/* The smallest recorded value v such that at least q of the values are
 * at most v (q in 0..1); 0 when empty. */
static inline uint64_t hist_quantile(const struct hist *h, double q)
{
	if (h->count == 0)
		return 0;
	uint64_t rank = (uint64_t)(q * (double)h->count);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (int i = 0; i < HIST_BUCKETS; i++) {
		seen += h->n[i];
		if (seen >= rank) {
			uint64_t v = hist_value(i);
			return v > h->max ? h->max : v;
		}
	}
	return h->max;
}

#endif
