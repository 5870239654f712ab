/* The API description of NAME.c: security schemes, the route table, the
 * embedded OpenAPI document, struct apic_api; the static helpers. */
#include "emit_c_int.h"

#include "arena.h"

#include <pthread.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

/* ---- the API description -------------------------------------------------------------- */

const char *ec_method_enum(enum ast_method m)
{
	static const char *const v[] = { "APIC_GET", "APIC_PUT", "APIC_POST", "APIC_DELETE",
					 "APIC_PATCH", "APIC_HEAD", "APIC_OPTIONS" };
	return v[m];
}

/* Containers nested in a body of type t; -1 when unbounded (recursive or
 * open models, or more than 64 models deep). Each model is walked once:
 * its answer is kept in e->depths (-2 while it is being walked, so
 * meeting it again is a recursion). `chain`: how many models with fields
 * its deepest path goes through. */
struct depth {
	int containers, chain;
};

static struct depth type_depth(struct ec *e, const struct ast_type *t)
{
	switch (t->kind) {
	case TYPE_PRIM:
		return (struct depth){ 0, 0 };
	case TYPE_ARRAY:
	case TYPE_MAP: {
		struct depth d = type_depth(e, t->elem);
		return d.containers < 0 ? d : (struct depth){ d.containers + 1, d.chain };
	}
	case TYPE_NAMED:
		break;
	}
	if (!t->model)
		return (struct depth){ 0, 0 };
	struct depth *memo = strmap_get(e->depths, t->model->name);
	if (memo)
		return memo->containers == -2 ? (struct depth){ -1, 0 } : *memo;
	memo = arena_alloc(e->arena, sizeof *memo);
	*memo = (struct depth){ -2, 0 };
	strmap_put(e->depths, t->model->name, memo);
	struct depth r = { -1, 0 };
	if (!t->model->open) {
		r = (struct depth){ 0, 0 };
		for (const struct ast_field *f = t->model->fields; f; f = f->next) {
			if (f->readonly)
				continue;
			struct depth d = type_depth(e, f->type);
			if (d.containers < 0) {
				r.containers = -1;
				break;
			}
			if (d.containers > r.containers)
				r.containers = d.containers;
			if (d.chain > r.chain)
				r.chain = d.chain;
		}
		bool fields = false;
		for (const struct ast_field *f = t->model->fields; f && !fields; f = f->next)
			fields = !f->readonly;
		if (r.containers >= 0) {
			r.containers++;
			r.chain += fields;
			if (r.chain >= 65)
				r.containers = -1;
		}
	}
	*memo = r;
	return r;
}

static unsigned json_depth(struct ec *e, const struct ast_op *op)
{
	if (!op->body)
		return 0;
	if (!e->depths)
		e->depths = strmap_new(e->arena);
	int d = type_depth(e, op->body).containers;
	/* +1: json-c counts the top level; +1: a container where the schema has
	 * a scalar is reported as a wrong type (422), not as too deep (400). */
	return d < 0 ? 0 : (unsigned)d + 2;
}

static const char *security_name(struct ec *e, const struct ast_security *sec)
{
	return names_fmt(e->n, "%s__security_%s", names_prefix(e->n), names_snake(e->n, sec->name));
}

/* Case-insensitive, then byte order: a total order, so the output does not
 * depend on qsort's handling of equal elements. */
static int header_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int c = strcasecmp(x, y);
	return c ? c : strcmp(x, y);
}

/* X-Request-Id and every declared response header once, sorted: what a
 * browser script may read when CORS is on. */
/* A ", "-separated literal of header names, sorted, each once (any case). */
static const char *header_list(struct ec *e, struct out_buf *names)
{
	struct out_buf b;
	out_init(&b);
	if (names->oom) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	const char **v = (const char **)(void *)names->p;
	size_t nv = names->len / sizeof *v;
	qsort(v, nv, sizeof *v, header_cmp);
	for (size_t i = 0; i < nv; i++)
		if (i == 0 || strcasecmp(v[i], v[i - 1]) != 0)
			out_printf(&b, "%s%s", b.len ? ", " : "", v[i]);
	const char *lit = ec_lit(e, b.p, b.len);
	out_free(names);
	out_free(&b);
	return lit;
}

static void add_name(struct out_buf *names, const char *name)
{
	out_put(names, (const char *)&name, sizeof name);
}

/* The default of --cors-expose: X-Request-Id and every declared response header. */
static const char *cors_expose(struct ec *e)
{
	struct out_buf names; /* an array of pointers */
	out_init(&names);
	add_name(&names, "X-Request-Id");
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		for (const struct ast_response *r = op->responses; r; r = r->next)
			for (const struct ast_param *h = r->headers; h; h = h->next)
				add_name(&names, h->name);
	return header_list(e, &names);
}

/* The default of --cors-headers: what a browser must be allowed to send,
 * Authorization, Content-Type, X-Request-Id, every header parameter and
 * every API key sent in a header. */
static const char *cors_headers(struct ec *e)
{
	struct out_buf names;
	out_init(&names);
	add_name(&names, "Authorization");
	add_name(&names, "Content-Type");
	add_name(&names, "X-Request-Id");
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		for (const struct ast_param *p = op->params; p; p = p->next)
			if (p->in == IN_HEADER)
				add_name(&names, p->name);
	for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next)
		if (sec->kind == SEC_APIKEY && sec->in == IN_HEADER)
			add_name(&names, sec->key);
	return header_list(e, &names);
}

/* The document as one gzip member (RFC 1952) at GZIP_LEVEL: no file name,
 * time 0 and OS "unknown", so the same text and zlib give the same bytes
 * wherever apic runs. Level 3 is the fastest of zlib's (levels 1 to 3 skip
 * lazy matching and 3 finds more matches for the time): the 9.9 MB
 * document of 5000 operations takes 26 ms to 314 kB where level 9 takes
 * 200 ms to 192 kB; the documents of schemas/ grow by 14% to 26%. */
#define GZIP_LEVEL 3
static unsigned char *gzip_doc(const char *text, size_t len, size_t *outlen)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	gz_header h;
	memset(&h, 0, sizeof h);
	h.os = 255;
	unsigned char *out = NULL;
	int rc = Z_BUF_ERROR; /* beyond what one zlib call takes */
	if (len <= UINT_MAX &&
	    (rc = deflateInit2(&zs, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY)) == Z_OK) {
		uLong cap = 0;
		if ((rc = deflateSetHeader(&zs, &h)) == Z_OK) {
			cap = deflateBound(&zs, (uLong)len);
			out = cap <= UINT_MAX ? malloc(cap) : NULL;
			rc = out ? Z_OK : Z_MEM_ERROR;
		}
		if (rc == Z_OK) {
			zs.next_in = (Bytef *)(uintptr_t)text;
			zs.avail_in = (uInt)len;
			zs.next_out = out;
			zs.avail_out = (uInt)cap;
			rc = deflate(&zs, Z_FINISH) == Z_STREAM_END ? Z_OK : Z_BUF_ERROR;
			*outlen = cap - zs.avail_out;
		}
		deflateEnd(&zs);
	}
	if (rc != Z_OK) {
		fprintf(stderr, "apic: cannot compress the OpenAPI document (zlib: %s)\n", zError(rc));
		exit(3);
	}
	return out;
}

/* The document is compressed on a thread of its own while the C code is
 * written: it is the biggest single piece of work. */
struct ec_gzip {
	pthread_t thread;
	const char *text;
	size_t len, outlen;
	unsigned char *out;
};

static void *gzip_main(void *arg)
{
	struct ec_gzip *g = arg;
	g->out = gzip_doc(g->text, g->len, &g->outlen);
	return NULL;
}

void ec_gzip_start(struct ec *e, const char *text)
{
	struct ec_gzip *g = text ? calloc(1, sizeof *g) : NULL;
	if (!g)
		return; /* emit_api() compresses it itself */
	g->text = text;
	g->len = strlen(text);
	if (pthread_create(&g->thread, NULL, gzip_main, g) != 0) {
		free(g);
		return;
	}
	e->gz = g;
}

/* The compressed document: the thread's, or compressed here. */
static unsigned char *gzip_take(struct ec *e, const char *text, size_t len, size_t *outlen)
{
	struct ec_gzip *g = e->gz;
	if (!g)
		return gzip_doc(text, len, outlen);
	pthread_join(g->thread, NULL);
	unsigned char *out = g->out;
	*outlen = g->outlen;
	free(g);
	e->gz = NULL;
	return out;
}

void ec_gzip_end(struct ec *e)
{
	size_t n;
	if (e->gz)
		free(gzip_take(e, NULL, 0, &n));
}

/* Bytes as decimal numbers, BYTES_PER_LINE a line: the shortest spelling
 * of an array initialiser, the quickest for the C compiler to read. */
#define BYTES_PER_LINE 24
static void emit_bytes(struct out_buf *b, const unsigned char *p, size_t n)
{
	char line[1 + 4 * BYTES_PER_LINE + 1]; /* a tab, "255," at most per byte, a newline */
	for (size_t i = 0; i < n; i += BYTES_PER_LINE) {
		size_t len = 0;
		line[len++] = '\t';
		for (size_t j = i; j < n && j < i + BYTES_PER_LINE; j++) {
			unsigned v = p[j];
			if (v >= 100)
				line[len++] = (char)('0' + v / 100);
			if (v >= 10)
				line[len++] = (char)('0' + v / 10 % 10);
			line[len++] = (char)('0' + v % 10);
			line[len++] = ',';
		}
		line[len++] = '\n';
		out_put(b, line, len);
	}
}

void emit_api(struct ec *e, const char *openapi)
{
	struct names *n = e->n;
	const char *P = names_prefix(n);
	const struct ast_service *svc = e->s->service;
	size_t nsec = 0;
	for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next) {
		static const char *const kind[] = { "APIC_AUTH_BEARER", "APIC_AUTH_APIKEY", "APIC_AUTH_BASIC" };
		bool apikey = sec->kind == SEC_APIKEY;
		ec_ln(e, 0, "static const struct apic_security %s = {", security_name(e, sec));
		ec_ln(e, 1, "%s, %s, %s, %s, %s", ec_str(e, sec->name), kind[sec->kind],
		   apikey ? ec_where_enum(sec->in) : "APIC_IN_HEADER",
		   apikey && sec->key ? ec_str(e, sec->key) : "NULL",
		   apikey && sec->prefix ? ec_str(e, sec->prefix) : "NULL");
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
		nsec++;
	}
	if (nsec) {
		ec_ln(e, 0, "static const struct apic_security *const %s__schemes[] = {", P);
		for (const struct ast_security *sec = e->s->securities; sec; sec = sec->next)
			ec_ln(e, 1, "&%s,", security_name(e, sec));
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
	}
	if (e->s->ops) {
		ec_ln(e, 0, "static const struct apic_route %s__routes[] = {", P);
		size_t i = 0;
		for (const struct ast_op *op = e->s->ops; op; op = op->next, i++) {
			const struct ast_auth *a = &op->eff_auth;
			bool auth = a->set && !a->none && a->scheme;
			const char *body = !op->body ? "APIC_BODY_NONE"
				: op->body_optional ? "APIC_BODY_OPTIONAL" : "APIC_BODY_REQUIRED";
			size_t nreplies = e->tables[i].n;
			ec_ln(e, 1, "{ %s, %s, %s, NULL, %s, %" PRIu64 ", %u, %s%s, %s, %s, %zu, %s, %s, %s, %u, &%s, %s, %u },",
			   ec_method_enum(op->method), ec_str(e, op->path), ec_str(e, op->id),
			   body, op->max_body, json_depth(e, op), auth ? "&" : "",
			   auth ? security_name(e, a->scheme) : "NULL",
			   auth && a->optional ? "true" : "false",
			   nreplies ? names_op_fn(n, op, "responses") : "NULL", nreplies,
			   op->cache_control ? ec_str(e, op->cache_control) : "NULL", op->etag ? "true" : "false",
			   op->async ? "true" : "false", op->deadline_ms, names_op_fn(n, op, "request"),
			   ec_call_name(e, e->op_unit[i]), e->op_slot[i]);
		}
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
	}
	if (e->npats) {
		ec_ln(e, 0, "static struct apic_pattern *const %s__patterns[] = {", P);
		for (size_t i = 0; i < e->npats; i++)
			ec_ln(e, 1, "&%s,", ec_pattern_name(e, i));
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
	}

	/* The OpenAPI document, gzipped: what a client that accepts gzip gets as
	 * it is, and a few times less for the C compiler to read. */
	size_t len = openapi ? strlen(openapi) : 0;
	if (openapi) {
		size_t gzlen;
		unsigned char *gz = gzip_take(e, openapi, len, &gzlen);
		ec_ln(e, 0, "static const unsigned char %s__openapi_gz[] = {", P);
		emit_bytes(e->b, gz, gzlen);
		ec_ln(e, 0, "};");
		ec_ln(e, 0, "%s", "");
		free(gz);
	}

	ec_ln(e, 0, "const struct apic_api %s_api = {", P);
	ec_ln(e, 1, "APIC_ABI_VERSION,");
	ec_ln(e, 1, "%s,", ec_str(e, svc && svc->title ? svc->title : ""));
	ec_ln(e, 1, "%s,", ec_str(e, svc && svc->version ? svc->version : ""));
	ec_ln(e, 1, "%s,", ec_str(e, svc && svc->basepath ? svc->basepath : ""));
	if (e->s->ops)
		ec_ln(e, 1, "%s__routes, sizeof %s__routes / sizeof %s__routes[0],", P, P, P);
	else
		ec_ln(e, 1, "NULL, 0,");
	if (nsec)
		ec_ln(e, 1, "%s__schemes, %zu,", P, nsec);
	else
		ec_ln(e, 1, "NULL, 0,");
	if (e->npats)
		ec_ln(e, 1, "%s__patterns, %zu,", P, e->npats);
	else
		ec_ln(e, 1, "NULL, 0,");
	if (openapi)
		ec_ln(e, 1, "%s__openapi_gz, sizeof %s__openapi_gz, %zu,", P, P, len);
	else
		ec_ln(e, 1, "NULL, 0, 0,");
	ec_ln(e, 1, "%s,", svc && svc->error_pointer ? ec_str(e, svc->error_pointer) : "NULL");
	ec_ln(e, 1, "%s,", cors_expose(e));
	ec_ln(e, 1, "%s,", cors_headers(e));
	ec_ln(e, 0, "};");
}
