/* Table-driven decoder tests: every request in cases.txt runs through the
 * whole in-process pipeline (runtime/apic_test.h) of a server generated from
 * schemas/testapi.apic whose handlers echo what they decoded; the status and
 * the body are compared byte for byte. TAP output, one line per case.
 *
 * Case file format (blank lines and lines starting with '#' between cases
 * are ignored):
 *     === name
 *     METHOD TARGET
 *     H Name: value          (any number; a body gets application/json)
 *     B body                 (one line, sent as is)
 *     BX body                (one line, %HH escapes decoded: raw bytes)
 *     --- STATUS
 *     expected body          (one line; absent for an empty body)
 * DECODE_ACCEPT=1 rewrites the file with what the server answered, to be
 * reviewed with `git diff` before committing. */
#include "testapi.h"
#include "apic_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The echo handlers (what was decoded, re-encoded) are in echo_handlers.c. */

/* Parameters come back in a Scalars object: id -> i64, limit -> i32, q -> s,
 * ratio -> r, flag -> b, color -> color, level -> level, when -> date,
 * X-Trace-Id -> uuid, session -> pw, X-Count -> big, tags joined in pat. */
int testapi_get_item(struct apic_ctx *ctx, const struct testapi_get_item__params *in)
{
	struct testapi_scalars out = { 0 };
	out.i32 = in->limit;
	out.i64 = in->id;
	out.has_i64 = true;
	out.color = in->color;
	out.has_color = true;
	out.s = in->q;
	out.has_s = in->has_q;
	out.r = in->ratio;
	out.has_r = in->has_ratio;
	out.b = in->flag;
	out.has_b = in->has_flag;
	out.level = in->level;
	out.has_level = in->has_level;
	out.date = in->when;
	out.has_date = in->has_when;
	out.uuid = in->x_trace_id;
	out.has_uuid = in->has_x_trace_id;
	out.pw = in->session;
	out.has_pw = in->has_session;
	out.big = in->x_count;
	out.has_big = in->has_x_count;
	if (in->has_tag) {
		size_t len = 0;
		for (size_t i = 0; i < in->tag_count; i++)
			len += in->tag[i].len + 1;
		char *p = apic_ctx_alloc(ctx, len + 1);
		if (!p)
			return apic_ctx_reply_error(ctx, 500, "out of memory");
		size_t o = 0;
		for (size_t i = 0; i < in->tag_count; i++) {
			if (i)
				p[o++] = '|';
			memcpy(p + o, in->tag[i].ptr, in->tag[i].len);
			o += in->tag[i].len;
		}
		out.pat.ptr = p;
		out.pat.len = o;
		out.has_pat = true;
	}
	return testapi_get_item__reply_200(ctx, &out);
}

int testapi_delete_item(struct apic_ctx *ctx, const struct testapi_delete_item__params *in)
{
	if (in->id == 404) {
		struct testapi_error e = { { "no such item", 12 } };
		return testapi_delete_item__reply_404(ctx, &e);
	}
	return testapi_delete_item__reply_204(ctx);
}

/* ---- the case file ------------------------------------------------------------ */

struct tcase {
	char *name;
	char *method, *target;
	char *headers[32];
	size_t nheaders;
	char *body;
	size_t body_len;
	int status;
	char *expect;        /* NULL: empty body expected */
	size_t first_line, expect_line; /* for rewriting */
};

static char *dup_range(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *unpct(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	char *p = malloc(n + 1);
	if (!p)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			p[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			p[o++] = s[i];
		}
	}
	p[o] = '\0';
	*len = o;
	return p;
}

static char **read_lines(const char *path, size_t *nlines)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("Bail out! cannot open %s\n", path);
		exit(1);
	}
	char **lines = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t got;
	while ((got = getline(&line, &lcap, f)) >= 0) {
		while (got > 0 && line[got - 1] == '\n')
			line[--got] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			lines = realloc(lines, cap * sizeof *lines);
			if (!lines)
				abort();
		}
		lines[n++] = dup_range(line, (size_t)got);
	}
	free(line);
	fclose(f);
	*nlines = n;
	return lines;
}

static size_t parse_cases(char **lines, size_t nlines, struct tcase **out)
{
	struct tcase *cs = NULL;
	size_t n = 0, cap = 0;
	size_t i = 0;
	while (i < nlines) {
		if (strncmp(lines[i], "=== ", 4) != 0) {
			i++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			cs = realloc(cs, cap * sizeof *cs);
			if (!cs)
				abort();
		}
		struct tcase *c = &cs[n++];
		memset(c, 0, sizeof *c);
		c->first_line = i;
		c->name = lines[i++] + 4;
		char *sp = i < nlines ? strchr(lines[i], ' ') : NULL;
		if (!sp) {
			printf("Bail out! case '%s': no request line\n", c->name);
			exit(1);
		}
		c->method = dup_range(lines[i], (size_t)(sp - lines[i]));
		c->target = sp + 1;
		i++;
		for (; i < nlines && strncmp(lines[i], "--- ", 4) != 0; i++) {
			if (!strncmp(lines[i], "H ", 2)) {
				char *colon = strchr(lines[i] + 2, ':');
				if (!colon || c->nheaders + 3 > 32) {
					printf("Bail out! case '%s': bad header line\n", c->name);
					exit(1);
				}
				c->headers[c->nheaders++] = dup_range(lines[i] + 2, (size_t)(colon - lines[i] - 2));
				c->headers[c->nheaders++] = dup_range(colon + 2, strlen(colon + 2));
			} else if (!strncmp(lines[i], "B ", 2)) {
				c->body = dup_range(lines[i] + 2, strlen(lines[i] + 2));
				c->body_len = strlen(c->body);
			} else if (!strncmp(lines[i], "BX ", 3)) {
				c->body = unpct(lines[i] + 3, &c->body_len);
			}
		}
		if (i >= nlines) {
			printf("Bail out! case '%s': no '--- STATUS' line\n", c->name);
			exit(1);
		}
		c->status = atoi(lines[i] + 4);
		c->expect_line = i;
		i++;
		if (i < nlines && lines[i][0] && strncmp(lines[i], "=== ", 4) && lines[i][0] != '#')
			c->expect = lines[i++];
	}
	*out = cs;
	return n;
}

int main(void)
{
	const char *srcdir = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/decode/cases.txt", srcdir ? srcdir : ".");
	size_t nlines;
	char **lines = read_lines(path, &nlines);
	struct tcase *cs;
	size_t n = parse_cases(lines, nlines, &cs);
	bool accept = getenv("DECODE_ACCEPT") && !strcmp(getenv("DECODE_ACCEPT"), "1");
	char **got_body = calloc(n + 1, sizeof *got_body);
	int *got_status = calloc(n + 1, sizeof *got_status);

	struct apic_tester *t = apic_tester_new(&testapi_api);
	if (!t || !got_body || !got_status) {
		printf("Bail out! cannot make the tester\n");
		return 1;
	}
	printf("1..%zu\n", n);
	int failed = 0;
	for (size_t k = 0; k < n; k++) {
		struct tcase *c = &cs[k];
		const char *hdrs[40];
		size_t h = 0;
		bool ctype = false;
		for (size_t j = 0; j < c->nheaders; j += 2) {
			hdrs[h++] = c->headers[j];
			hdrs[h++] = c->headers[j + 1];
			ctype |= !strcasecmp(c->headers[j], "Content-Type");
		}
		if (c->body && !ctype) {
			hdrs[h++] = "Content-Type";
			hdrs[h++] = "application/json";
		}
		hdrs[h] = NULL;
		struct apic_test_request rq = { c->method, c->target, hdrs, c->body, c->body_len };
		struct apic_test_response rs;
		memset(&rs, 0, sizeof rs);
		if (apic_tester_run(t, &rq, &rs) != 0) {
			printf("Bail out! out of memory\n");
			return 1;
		}
		const char *body = rs.body ? rs.body : "";
		const char *want = c->expect ? c->expect : "";
		bool ok = rs.status == c->status && !strcmp(body, want);
		got_status[k] = rs.status;
		got_body[k] = dup_range(body, strlen(body));
		if (!ok) {
			failed++;
			printf("not ok %zu - %s\n", k + 1, c->name);
			printf("#   request: %s %s\n", c->method, c->target);
			printf("#   expected: %d %s\n", c->status, want);
			printf("#        got: %d %s\n", rs.status, body);
		} else {
			printf("ok %zu - %s\n", k + 1, c->name);
		}
		apic_test_response_free(&rs);
	}
	apic_tester_free(t);

	if (accept) {
		FILE *f = fopen(path, "wb");
		if (!f) {
			printf("# cannot rewrite %s\n", path);
			return 1;
		}
		size_t next = 0;
		for (size_t i = 0; i < nlines; i++) {
			if (next < n && i == cs[next].expect_line) {
				fprintf(f, "--- %d\n", got_status[next]);
				if (got_body[next][0])
					fprintf(f, "%s\n", got_body[next]);
				if (cs[next].expect)
					i++;
				next++;
				continue;
			}
			fprintf(f, "%s\n", lines[i]);
		}
		fclose(f);
		printf("# rewrote %s: review it with git diff\n", path);
	}
	for (size_t k = 0; k < n; k++) {
		free(got_body[k]);
		free(cs[k].method);
		free(cs[k].body);
		for (size_t j = 0; j < cs[k].nheaders; j++)
			free(cs[k].headers[j]);
	}
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	free(cs);
	free(got_body);
	free(got_status);
	return failed && !accept ? 1 : 0;
}
