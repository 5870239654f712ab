/* Reading the user's handlers file (handlers.h). A handler is found by its
 * definition's shape, with PCRE2: the signature every stub has. A function
 * the file only declares or mentions is not a definition, and a comment line
 * (" *   int P_op__reply_200(...)") does not start with "int". */
#include "handlers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "suggest.h"

static const char handler_shape[] =
	"^[ \\t]*int\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(\\s*struct\\s+apic_ctx\\s*\\*\\s*"
	"[A-Za-z_][A-Za-z0-9_]*\\s*,\\s*const\\s+struct\\s+[A-Za-z_][A-Za-z0-9_]*__params\\s*\\*"
	"\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*\\{";

static int add_def(struct handlers *h, const char *text, size_t off, size_t len)
{
	struct handlers_def *v = realloc(h->defs, (h->ndefs + 1) * sizeof *v);
	if (!v)
		return ENOMEM;
	h->defs = v;
	v[h->ndefs].name = strndup(text + off, len);
	if (!v[h->ndefs].name)
		return ENOMEM;
	v[h->ndefs].off = (uint32_t)off;
	v[h->ndefs].len = (uint32_t)len;
	h->ndefs++;
	return 0;
}

static int scan(struct handlers *h, const char *text, size_t len, const char *prefix)
{
	int err;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)handler_shape, PCRE2_ZERO_TERMINATED,
				       PCRE2_MULTILINE, &err, &erroff, NULL);
	pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
	int rc = md ? 0 : ENOMEM;
	size_t plen = strlen(prefix), at = 0;
	while (rc == 0 && at < len &&
	       pcre2_match(re, (PCRE2_SPTR)text, len, at, 0, md, NULL) >= 2) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		size_t off = ov[2], n = ov[3] - ov[2];
		/* Another API's handlers (or the user's own helpers) are not ours. */
		if (n > plen + 1 && strncmp(text + off, prefix, plen) == 0 && text[off + plen] == '_')
			rc = add_def(h, text, off, n);
		at = ov[1];
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc;
}

int handlers_read(struct handlers *h, struct source_table *src, const char *path,
		  const struct ast_schema *s, struct names *n)
{
	memset(h, 0, sizeof *h);
	for (const struct ast_op *op = s->ops; op; op = op->next)
		h->nops++;
	h->defined = calloc(h->nops + 1, sizeof *h->defined);
	if (!h->defined)
		return ENOMEM;
	struct stat st;
	if (stat(path, &st) != 0 && errno == ENOENT)
		return 0;
	int rc = src_load(src, path, &h->file);
	if (rc)
		return rc;
	h->exists = true;
	const struct source_file *f = src_file(src, h->file);
	if ((rc = scan(h, f->data, f->len, names_prefix(n))) != 0)
		return rc;
	size_t i = 0;
	for (const struct ast_op *op = s->ops; op; op = op->next, i++)
		for (size_t k = 0; k < h->ndefs && !h->defined[i]; k++)
			h->defined[i] = strcmp(h->defs[k].name, names_op(n, op)) == 0;
	return 0;
}

size_t handlers_report_stale(const struct handlers *h, const struct ast_schema *s,
			     struct names *n, struct diag_ctx *d, bool strict)
{
	size_t reported = 0;
	for (size_t k = 0; k < h->ndefs; k++) {
		const struct handlers_def *def = &h->defs[k];
		bool known = false;
		for (const struct ast_op *op = s->ops; op && !known; op = op->next)
			known = strcmp(def->name, names_op(n, op)) == 0;
		if (known)
			continue;
		/* A rename leaves the new handler missing: suggest among those. */
		struct suggest sg;
		suggest_init(&sg, def->name);
		size_t i = 0;
		for (const struct ast_op *op = s->ops; op; op = op->next, i++)
			if (!h->defined[i])
				suggest_add(&sg, names_op(n, op));
		const char *best = suggest_result(&sg);
		struct apic_loc at = { h->file, def->off, def->len };
		char msg[512];
		snprintf(msg, sizeof msg, "'%s' is the handler of no operation (renamed or removed?)%s%s%s",
			 def->name, best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
		if (strict)
			diag_error(d, at, "%s", msg);
		else
			diag_warning(d, at, "%s", msg);
		reported++;
	}
	return reported;
}

void handlers_free(struct handlers *h)
{
	for (size_t k = 0; k < h->ndefs; k++)
		free(h->defs[k].name);
	free(h->defs);
	free(h->defined);
	memset(h, 0, sizeof *h);
}
