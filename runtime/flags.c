/* The server's flags: the table of runtime flags with their hardened
 * defaults, the environment (APIC_NAME), application options, defaults an
 * application sets, and --help / --version (libapic(3), OPTIONS). */
#include "internal.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <microhttpd.h>

enum opt_kind { OPT_UINT, OPT_SIZE, OPT_PATH, OPT_STR, OPT_BOOL, OPT_NOBOOL, OPT_LOGFMT, OPT_ORIGIN };

struct opt {
	const char *name;
	enum opt_kind kind;
	size_t off;
	const char *metavar, *help;
	unsigned long min, max;
};

#define F(field) offsetof(struct apic_server, field)
static const struct opt opts[] = {
	{ "port", OPT_UINT, F(port), "PORT", "TCP port, 0 for any free one (default 8080)", 0, 65535 },
	{ "bind", OPT_STR, F(bind), "ADDR", "IPv4 or IPv6 address to listen on (default 127.0.0.1)", 0, 0 },
	{ "threads", OPT_UINT, F(threads), "N", "worker threads (default: online CPUs)", 1, 1024 },
	{ "max-body", OPT_SIZE, F(max_body), "BYTES", "request body limit, k/m suffixes (default 1m)", 0, 1u << 30 },
	{ "timeout", OPT_UINT, F(timeout), "SECONDS", "idle connection timeout (default 10)", 1, 3600 },
	{ "head-timeout", OPT_UINT, F(head_timeout), "SECONDS",
	  "request line and headers must arrive in full within this long (default 20)", 1, 3600 },
	{ "body-deadline", OPT_UINT, F(body_deadline), "SECONDS",
	  "after this long a body must arrive at 500 bytes/s or more (default 20)", 1, 3600 },
	{ "shutdown-timeout", OPT_UINT, F(shutdown_timeout), "SECONDS",
	  "how long SIGTERM waits for requests in flight (default 10)", 0, 3600 },
	{ "drain-delay", OPT_UINT, F(drain_delay), "SECONDS",
	  "after SIGTERM, keep serving this long (readiness 503, Connection: close) before"
	  " no longer accepting connections, so a load balancer moves away first (default 0)", 0, 3600 },
	{ "deadline", OPT_UINT, F(deadline), "SECONDS",
	  "a suspended (async) request without its own deadline answers 504 after this long (default 30)",
	  1, 86400 },
	{ "max-streams", OPT_UINT, F(max_streams), "N",
	  "event streams open at most; beyond it 503 (default 1000)", 0, 1000000 },
	{ "stream-queue", OPT_SIZE, F(stream_queue), "BYTES",
	  "unsent bytes an event stream may hold before its client is dropped, k/m suffixes (default 256k)",
	  1024, 1u << 30 },
	{ "heartbeat", OPT_UINT, F(heartbeat), "SECONDS",
	  "a comment line on idle event streams this often (default 15)", 1, 3600 },
	{ "ws-ping", OPT_UINT, F(ws_ping), "SECONDS",
	  "a ping on every WebSocket this often; silent for two: dropped (default 30)", 1, 3600 },
	{ "ws-max-message", OPT_SIZE, F(ws_max_message), "BYTES",
	  "largest WebSocket message received, k/m suffixes; larger closes with 1009 (default 64k)", 16, 1u << 30 },
	{ "ws-queue", OPT_SIZE, F(ws_queue), "BYTES",
	  "unsent bytes a WebSocket may hold before it is closed with 1008 (default 1m)", 1024, 1u << 30 },
	{ "job-threads", OPT_UINT, F(job_threads), "N", "threads running background work (default 2)", 1, 256 },
	{ "job-queue", OPT_UINT, F(job_queue), "N",
	  "background work queued at most; beyond it queueing fails (default 1024)", 1, 1000000 },
	{ "max-connections", OPT_UINT, F(max_connections), "N",
	  "connection limit, lowered to fit the descriptor limit (default 1024)", 1, 1000000 },
	{ "fd-reserve", OPT_UINT, F(fd_reserve), "N",
	  "descriptors kept for the application: database files, logs, outgoing connections (default 32)", 0, 1000000 },
	{ "per-ip-connections", OPT_UINT, F(per_ip_connections), "N",
	  "connections per client address, 0 for no limit (default 32; a --trusted-proxy's are not counted)", 0, 1000000 },
	{ "reuse-port", OPT_BOOL, F(reuse_port), NULL,
	  "SO_REUSEPORT: servers started so on one port share its connections", 0, 0 },
	{ "no-reuse-port", OPT_NOBOOL, F(reuse_port), NULL, "a port in use is an error (default)", 0, 0 },
	{ "compress", OPT_BOOL, F(compress), NULL,
	  "gzip the API's replies when the client accepts it (the built-in documents always are)", 0, 0 },
	{ "compress-min", OPT_SIZE, F(compress_min), "BYTES", "replies smaller than this go uncompressed (default 1k)",
	  0, 1u << 30 },
	{ "json-depth", OPT_UINT, F(json_depth), "N", "JSON nesting limit + 1 where the schema sets none (default 32)", 2, 1000 },
	{ "docs", OPT_BOOL, F(docs), NULL, "serve the OpenAPI document and Swagger UI (default)", 0, 0 },
	{ "no-docs", OPT_NOBOOL, F(docs), NULL, "do not serve them", 0, 0 },
	{ "docs-path", OPT_PATH, F(docs_path), "PATH", "Swagger UI (default /docs)", 0, 0 },
	{ "openapi-path", OPT_PATH, F(openapi_path), "PATH", "OpenAPI document (default /openapi.json)", 0, 0 },
	{ "health-path", OPT_PATH, F(health_path), "PATH", "health check (default /healthz)", 0, 0 },
	{ "ready-path", OPT_PATH, F(ready_path), "PATH",
	  "readiness check: 503 while the application is not ready or the server stops (default /readyz)", 0, 0 },
	{ "log-format", OPT_LOGFMT, F(log_format), "text|json", "log lines as text or JSON (default text)", 0, 0 },
	{ "access-log", OPT_BOOL, F(access_log), NULL, "one log line per request (default)", 0, 0 },
	{ "no-access-log", OPT_NOBOOL, F(access_log), NULL, "no access log", 0, 0 },
	{ "strict-responses", OPT_BOOL, F(strict_responses), NULL,
	  "hold every handler reply to the API document: a mismatch is logged and becomes a 500", 0, 0 },
	{ "trusted-proxy", OPT_STR, F(trusted_proxy), "LIST",
	  "proxies (addresses, ADDR/BITS networks; comma list) whose X-Forwarded-For names the client (default none)", 0, 0 },
	{ "cors-origin", OPT_ORIGIN, 0, "ORIGIN", "allow this origin (repeatable, comma list, * for any); CORS is off without it", 0, 0 },
	{ "cors-credentials", OPT_BOOL, F(cors_credentials), NULL, "Access-Control-Allow-Credentials: true", 0, 0 },
	{ "cors-max-age", OPT_UINT, F(cors_max_age), "SECONDS", "preflight cache time (default 600)", 0, 86400 },
	{ "cors-headers", OPT_STR, F(cors_headers), "LIST",
	  "request headers allowed (default Authorization, Content-Type, X-Request-Id and the declared ones)", 0, 0 },
	{ "cors-expose", OPT_STR, F(cors_expose), "LIST", "response headers exposed (default X-Request-Id and the declared ones)", 0, 0 },
};
#undef F

void apic__server_defaults(struct apic_server *srv)
{
	srv->port = 8080;
	srv->bind = (char *)"127.0.0.1";
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	srv->threads = cpus > 0 ? (unsigned)cpus : 1;
	srv->max_body = 1024 * 1024;
	srv->timeout = 10;
	srv->body_deadline = 20;
	srv->head_timeout = 20;
	srv->shutdown_timeout = 10;
	srv->deadline = 30;
	srv->max_streams = 1000;
	srv->stream_queue = 256 * 1024;
	srv->heartbeat = 15;
	srv->ws_ping = 30;
	srv->ws_max_message = 64 * 1024;
	srv->ws_queue = 1024 * 1024;
	srv->job_threads = 2;
	srv->job_queue = 1024;
	srv->max_connections = 1024;
	srv->fd_reserve = 32;
	srv->compress_min = 1024;
	srv->per_ip_connections = 32;
	srv->json_depth = APIC__DEFAULT_DEPTH;
	srv->reuse_port = false;
	srv->docs = true;
	srv->docs_path = (char *)"/docs";
	srv->openapi_path = (char *)"/openapi.json";
	srv->health_path = (char *)"/healthz";
	srv->ready_path = (char *)"/readyz";
	srv->log_format = APIC__LOG_TEXT;
	srv->access_log = true;
	srv->strict_responses = false;
	srv->cors_max_age = 600;
	srv->cors_headers = (char *)(srv->api->cors_headers ? srv->api->cors_headers
							     : "Authorization, Content-Type, X-Request-Id");
	srv->cors_expose = (char *)(srv->api->cors_expose ? srv->api->cors_expose : "X-Request-Id");
}

void apic_server_add_option(struct apic_server *srv, const char *name, const char *metavar,
			    const char *help, const char **dest)
{
	struct apic__option *o = realloc(srv->options, (srv->noptions + 1) * sizeof *o);
	if (o == NULL)
		return;
	srv->options = o;
	o[srv->noptions].name = name;
	o[srv->noptions].metavar = metavar;
	o[srv->noptions].help = help;
	o[srv->noptions].dest = dest;
	srv->noptions++;
}

static int add_origins(struct apic_server *srv, const char *list)
{
	while (*list) {
		size_t n = strcspn(list, ",");
		const char *s = list;
		size_t len = n;
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == 1 && s[0] == '*') {
			srv->cors_any = true;
		} else if (len) {
			char **v = realloc(srv->cors_origins, (srv->ncors_origins + 1) * sizeof *v);
			if (v == NULL)
				return -1;
			srv->cors_origins = v;
			if ((v[srv->ncors_origins] = strndup(s, len)) == NULL)
				return -1;
			srv->ncors_origins++;
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return 0;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
		*out = false;
	else
		return false;
	return true;
}

/* Applies one runtime flag. 0, or -1 after printing why. */
static int apply(struct apic_server *srv, const struct opt *o, const char *value, const char *from)
{
	char *base = (char *)srv;
	char *end;
	switch (o->kind) {
	case OPT_UINT:
	case OPT_SIZE: {
		errno = 0;
		unsigned long long v = strtoull(value, &end, 10);
		if (o->kind == OPT_SIZE && end != value) {
			if (*end == 'k' || *end == 'K')
				v *= 1024, end++;
			else if (*end == 'm' || *end == 'M')
				v *= 1024 * 1024, end++;
		}
		if (errno || end == value || *end || value[0] == '-' || v < o->min || v > o->max) {
			fprintf(stderr, "apic: %s: invalid value '%s' (expected %lu..%lu)\n", from, value,
				o->min, o->max);
			return -1;
		}
		if (o->kind == OPT_UINT)
			*(unsigned *)(base + o->off) = (unsigned)v;
		else
			*(size_t *)(base + o->off) = (size_t)v;
		return 0;
	}
	case OPT_PATH:
		if (value[0] != '/' || strpbrk(value, "?# \t") != NULL) {
			fprintf(stderr, "apic: %s: a path must start with '/': '%s'\n", from, value);
			return -1;
		}
		*(const char **)(base + o->off) = value;
		return 0;
	case OPT_STR:
		*(const char **)(base + o->off) = value;
		return 0;
	case OPT_BOOL:
	case OPT_NOBOOL: {
		bool b = true;
		if (value != NULL && !parse_bool(value, &b)) {
			fprintf(stderr, "apic: %s: expected true or false, got '%s'\n", from, value);
			return -1;
		}
		*(bool *)(base + o->off) = o->kind == OPT_BOOL ? b : !b;
		return 0;
	}
	case OPT_LOGFMT:
		if (strcmp(value, "text") == 0)
			srv->log_format = APIC__LOG_TEXT;
		else if (strcmp(value, "json") == 0)
			srv->log_format = APIC__LOG_JSON;
		else {
			fprintf(stderr, "apic: %s: expected text or json, got '%s'\n", from, value);
			return -1;
		}
		return 0;
	case OPT_ORIGIN:
		return add_origins(srv, value);
	}
	return -1;
}

/* APIC_NAME for flag "name": upper case, '-' -> '_'. */
static const char *env_of(const char *name, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "APIC_");
	for (; *name && n + 1 < cap; name++)
		buf[n++] = *name == '-' ? '_' : (char)(*name >= 'a' && *name <= 'z' ? *name - 32 : *name);
	buf[n] = '\0';
	return getenv(buf);
}

static bool is_bool(const struct opt *o)
{
	return o->kind == OPT_BOOL || o->kind == OPT_NOBOOL;
}

/* Replaces the default --help shows for opts[i] with `value` (taken). */
static void keep_default(struct apic_server *srv, size_t i, char *value)
{
	free(srv->flag_defaults[i]);
	srv->flag_defaults[i] = value;
}

int apic_server_set_default(struct apic_server *srv, const char *flag, const char *value)
{
	const size_t n = sizeof opts / sizeof opts[0];
	size_t i = 0;
	while (flag != NULL && i < n && strcmp(opts[i].name, flag) != 0)
		i++;
	/* --cors-origin adds to a list: a default could not be overridden. */
	if (flag == NULL || i == n || value == NULL || opts[i].kind == OPT_ORIGIN)
		return -1;
	if (srv->flag_defaults == NULL && (srv->flag_defaults = calloc(n, sizeof *srv->flag_defaults)) == NULL)
		return -1;
	char from[96];
	snprintf(from, sizeof from, "default of --%s", flag);
	if (!is_bool(&opts[i])) {
		/* Strings are kept by pointer: the copy lives as long as srv. */
		char *copy = strdup(value);
		if (copy == NULL || apply(srv, &opts[i], copy, from) != 0) {
			free(copy);
			return -1;
		}
		keep_default(srv, i, copy);
		return 0;
	}
	if (apply(srv, &opts[i], value, from) != 0)
		return -1;
	/* Both flags of a pair (--docs, --no-docs) keep the field's new state,
	 * so --help marks the right one. */
	bool on = *(bool *)((char *)srv + opts[i].off);
	for (size_t k = 0; k < n; k++) {
		if (!is_bool(&opts[k]) || opts[k].off != opts[i].off)
			continue;
		char *state = strdup(on ? "true" : "false");
		if (state == NULL)
			return -1;
		keep_default(srv, k, state);
	}
	return 0;
}

/* One line of --help for opts[i]: its help text, where the application set
 * a default (apic_server_set_default()) with that default in place of the
 * built-in one: "(default X" replaced, or the "(default)" of a boolean on
 * the flag that is now the default. */
static void usage_flag(const struct apic_server *srv, size_t i)
{
	const struct opt *o = &opts[i];
	const char *def = srv->flag_defaults ? srv->flag_defaults[i] : NULL;
	const char *mark = strstr(o->help, " (default");
	int head = mark ? (int)(mark - o->help) : (int)strlen(o->help);
	char left[64];
	snprintf(left, sizeof left, "--%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
	bool paired = false; /* --docs/--no-docs: the help of one says which is the default */
	for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
		paired |= k != i && is_bool(&opts[k]) && opts[k].off == o->off;
	if (def == NULL && o->kind == OPT_BOOL && mark == NULL && !paired)
		printf("  %-32s %s (default %s)\n", left, o->help,
		       *(const bool *)((const char *)srv + o->off) ? "on" : "off");
	else if (def == NULL)
		printf("  %-32s %s\n", left, o->help);
	else if (is_bool(o))
		printf("  %-32s %.*s%s\n", left, head, o->help,
		       (strcmp(def, "true") == 0) == (o->kind == OPT_BOOL) ? " (default)" : "");
	else
		printf("  %-32s %.*s (default %s%s\n", left, head, o->help, def,
		       mark ? mark + strcspn(mark, ";)") : ")");
}

static void usage(const struct apic_server *srv, const char *prog)
{
	const struct apic_api *api = srv->api;
	printf("usage: %s [OPTIONS]\n\n%s %s (libapic %s)\n\noptions (also read from APIC_<NAME>, "
	       "e.g. APIC_PORT=9000):\n",
	       prog, api->title ? api->title : "API server", api->version ? api->version : "",
	       APIC_VERSION_STRING);
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		usage_flag(srv, i);
	for (size_t i = 0; i < srv->noptions; i++) {
		char left[64];
		snprintf(left, sizeof left, "--%s %s", srv->options[i].name,
			 srv->options[i].metavar ? srv->options[i].metavar : "VALUE");
		const char *help = srv->options[i].help ? srv->options[i].help : "";
		const char *def = *srv->options[i].dest;
		if (def != NULL && strstr(help, "(default") == NULL)
			printf("  %-32s %s (default %s)\n", left, help, def[0] ? def : "empty");
		else
			printf("  %-32s %s\n", left, help);
	}
	printf("  %-32s %s\n  %-32s %s\n", "--help", "print this and exit", "--version",
	       "print the version and exit");
}

int apic_server_parse_args(struct apic_server *srv, int argc, char **argv)
{
	char env[96], from[128];
	/* The environment first, so flags override it. */
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (opts[i].kind == OPT_NOBOOL)
			continue;
		const char *v = env_of(opts[i].name, env, sizeof env);
		if (v != NULL && apply(srv, &opts[i], v, env) != 0)
			return 2;
	}
	for (size_t i = 0; i < srv->noptions; i++) {
		const char *v = env_of(srv->options[i].name, env, sizeof env);
		if (v != NULL)
			*srv->options[i].dest = v;
	}
	const char *prog = argc > 0 && argv[0] ? argv[0] : "server";
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			usage(srv, prog);
			return APIC_ARGS_EXIT;
		}
		if (strcmp(arg, "--version") == 0) {
			printf("%s %s (libapic %s, libmicrohttpd %s %s)\n",
			       srv->api->title ? srv->api->title : "server",
			       srv->api->version ? srv->api->version : "", APIC_VERSION_STRING,
			       MHD_get_version(), apic__mhd_linkage);
			return APIC_ARGS_EXIT;
		}
		if (strncmp(arg, "--", 2) != 0) {
			fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", prog, arg);
			return 2;
		}
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const char *value = eq ? eq + 1 : NULL;
		snprintf(from, sizeof from, "--%.*s", (int)nlen, name);
		const struct opt *o = NULL;
		for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
			if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, name, nlen) == 0)
				o = &opts[k];
		struct apic__option *ao = NULL;
		for (size_t k = 0; o == NULL && k < srv->noptions; k++)
			if (strlen(srv->options[k].name) == nlen && strncmp(srv->options[k].name, name, nlen) == 0)
				ao = &srv->options[k];
		if (o == NULL && ao == NULL) {
			fprintf(stderr, "%s: unknown option '%s' (see --help)\n", prog, from);
			return 2;
		}
		bool flag = o && (o->kind == OPT_BOOL || o->kind == OPT_NOBOOL);
		if (value == NULL && !flag) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: %s needs a value\n", prog, from);
				return 2;
			}
			value = argv[++i];
		}
		if (ao != NULL)
			*ao->dest = value;
		else if (apply(srv, o, value, from) != 0)
			return 2;
	}
	return 0;
}

void apic__flags_free(struct apic_server *srv)
{
	if (srv->flag_defaults)
		for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
			free(srv->flag_defaults[i]);
	free(srv->flag_defaults);
	free(srv->options);
}
