/* NAME.h / NAME.c emitter: types, decoders that check every constraint and
 * collect every violation, encoders writing JSON straight into the response
 * buffer, typed replies, weak 501 handlers, the route table and the API
 * description. The shape of the output is documented in
 * docs/generated-code.md; every identifier comes from names.c.
 *
 * Output is a pure function of the AST and the options (fixed section order,
 * schema order inside sections, no timestamps), so regenerating an unchanged
 * schema rewrites nothing. */
#include "emit_c_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void emit_source(struct ec *e, const char *openapi)
{
	struct names *n = e->n;
	/* The body is generated first: it decides which helpers and patterns exist. */
	struct out_buf body;
	out_init(&body);
	struct out_buf *file = e->b;
	e->b = &body;
	emit_owning_defs(e->b, n, e->s);
	size_t i = 0;
	for (const struct ast_enum *en = e->s->enums; en; en = en->next, i++)
		emit_enum_fns(e, en, i);
	i = 0;
	for (const struct ast_model *m = e->s->models; m; m = m->next, i++) {
		if (e->dec_model[i])
			ec_ln(e, 0, "static int %s(struct apic_ctx *ctx, struct json_object *j, const struct apic_jptr *at, struct %s *out);",
			   names_model_fn(n, m, "decode"), names_model(n, m));
		if (e->chk_model[i])
			ec_ln(e, 0, "static int %s(struct apic_ctx *ctx, struct json_object *j, const struct apic_jptr *at, struct %s *out);",
			   names_model_fn(n, m, "check"), names_model(n, m));
		if (e->enc_model[i])
			ec_ln(e, 0, "static void %s(struct apic_buf *b, const struct %s *v);",
			   names_model_fn(n, m, "encode"), names_model(n, m));
	}
	ec_ln(e, 0, "%s", "");
	i = 0;
	for (const struct ast_model *m = e->s->models; m; m = m->next, i++)
		if (e->dec_model[i])
			emit_model_decoder(e, m);
	e->resp = true;
	i = 0;
	for (const struct ast_model *m = e->s->models; m; m = m->next, i++)
		if (e->chk_model[i])
			emit_model_decoder(e, m);
	e->resp = false;
	if (e->need_error_check)
		emit_error_check(e);
	i = 0;
	for (const struct ast_model *m = e->s->models; m; m = m->next, i++)
		if (e->enc_model[i])
			emit_model_encoder(e, m);
	i = 0;
	for (const struct ast_op *op = e->s->ops; op; op = op->next, i++)
		emit_op(e, op, &e->tables[i]);
	emit_api(e, openapi);

	e->b = file;
	ec_banner(e);
	ec_ln(e, 0, "#include \"%s.h\"", e->o->name);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#include <json-c/json.h>");
	ec_ln(e, 0, "#include <inttypes.h>");
	ec_ln(e, 0, "#include <math.h>");
	ec_ln(e, 0, "#include <stdint.h>");
	ec_ln(e, 0, "#include <stdlib.h>");
	ec_ln(e, 0, "#include <string.h>");
	ec_ln(e, 0, "%s", "");
	for (size_t p = 0; p < e->npats; p++)
		ec_ln(e, 0, "static struct apic_pattern %s = { %s, NULL };", ec_pattern_name(e, p),
		   ec_str(e, e->pats[p]));
	if (e->npats)
		ec_ln(e, 0, "%s", "");
	emit_helpers(e);
	out_put(e->b, body.p ? body.p : "", body.len);
	out_free(&body);
}

/* ---- entry point ----------------------------------------------------------------------- */

static int write_file(struct ec *e, const char *fname, const struct out_buf *b)
{
	if (b->oom) {
		diag_fatal(e->d, "out of memory while generating %s", fname);
		return -1;
	}
	char *path = out_path(e->o->outdir, fname);
	if (!path) {
		diag_fatal(e->d, "out of memory");
		return -1;
	}
	int rc = 0;
	if (out_write_if_changed(path, b->p ? b->p : "", b->len) == OUT_ERROR) {
		diag_fatal(e->d, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

/* mkdir -p: the output directory may not exist yet (a fresh build tree). */
static int make_dirs(const char *dir)
{
	char *p = strdup(dir);
	if (!p)
		return -1;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return 0;
}

/* Make syntax: spaces and '#' escaped with a backslash, '$' doubled. */
static void dep_path(struct out_buf *b, const char *p)
{
	for (; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == '\\')
			out_put(b, "\\", 1);
		else if (*p == '$')
			out_put(b, "$", 1);
		out_put(b, p, 1);
	}
}

static int write_depfile(struct ec *e)
{
	struct out_buf b;
	out_init(&b);
	static const char *const suffix[] = { ".h", ".c", ".openapi.json" };
	for (int i = 0; i < 3; i++) {
		char *fname = NULL;
		if (asprintf(&fname, "%s%s", e->o->name, suffix[i]) < 0) {
			diag_fatal(e->d, "out of memory");
			out_free(&b);
			return -1;
		}
		char *path = out_path(e->o->outdir, fname);
		free(fname);
		if (i)
			out_put(&b, " ", 1);
		dep_path(&b, path ? path : "");
		free(path);
	}
	out_put(&b, ":", 1);
	for (size_t i = 0; i < e->o->ndeps; i++) {
		out_put(&b, " ", 1);
		dep_path(&b, e->o->deps[i]);
	}
	out_put(&b, "\n", 1);
	int rc = 0;
	if (b.oom || out_write_if_changed(e->o->depfile, b.p, b.len) == OUT_ERROR) {
		diag_fatal(e->d, "cannot write %s: %s", e->o->depfile, b.oom ? "out of memory" : strerror(errno));
		rc = -1;
	}
	out_free(&b);
	return rc;
}

int emit_c(const struct ast_schema *s, const struct emit_opts *opts,
	   const char *openapi, struct diag_ctx *d)
{
	if (!s->service) {
		diag_fatal(d, "the schema declares no service");
		return -1;
	}
	struct names *n = names_new(opts->name);
	/* diag_error_count: names' warnings count as errors under --Werror */
	if (names_check(n, s, d) != 0 || diag_error_count(d) != 0) {
		names_free(n);
		return -1;
	}
	struct ec e = { .s = s, .o = opts, .n = n, .d = d };
	e.dec_model = calloc(s->nmodels + 1, sizeof *e.dec_model);
	e.enc_model = calloc(s->nmodels + 1, sizeof *e.enc_model);
	e.dec_enum = calloc(s->nenums + 1, sizeof *e.dec_enum);
	e.enc_enum = calloc(s->nenums + 1, sizeof *e.enc_enum);
	e.hdr_enum = calloc(s->nenums + 1, sizeof *e.hdr_enum);
	e.chk_model = calloc(s->nmodels + 1, sizeof *e.chk_model);
	e.chk_enum = calloc(s->nenums + 1, sizeof *e.chk_enum);
	if (!e.dec_model || !e.enc_model || !e.dec_enum || !e.enc_enum || !e.hdr_enum ||
	    !e.chk_model || !e.chk_enum) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		ec_mark(&e, op->body, true);
		for (const struct ast_param *p = op->params; p; p = p->next)
			ec_mark(&e, p->type, true);
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			ec_mark(&e, r->type, false);
			ec_mark_in(&e, r->type, false, e.chk_model, e.chk_enum);
			for (const struct ast_param *h = r->headers; h; h = h->next)
				if (c_is_enum(h->type))
					e.hdr_enum[ec_enum_index(&e, h->type->enm)] = true;
		}
	}
	ec_read_reply_tables(&e, openapi);
	size_t k = 0;
	for (const struct ast_op *op = s->ops; op; op = op->next, k++)
		for (size_t i = 0; i < e.tables[k].n; i++)
			e.need_error_check |= e.tables[k].v[i].error;
	if (e.need_error_check)
		ec_mark_in(&e, &(struct ast_type){ .kind = TYPE_NAMED, .model = s->service->error_model },
			false, e.chk_model, e.chk_enum);
	struct out_buf h, c;
	out_init(&h);
	out_init(&c);
	e.b = &h;
	emit_header(&e);
	e.b = &c;
	emit_source(&e, openapi);
	int rc = e.failed ? -1 : 0;
	const char *base = opts->name;
	if (!rc && opts->outdir && *opts->outdir && make_dirs(opts->outdir) != 0) {
		diag_fatal(d, "cannot create directory %s: %s", opts->outdir, strerror(errno));
		rc = -1;
	}
	if (!rc)
		rc = write_file(&e, names_fmt(n, "%s.h", base), &h);
	if (!rc)
		rc = write_file(&e, names_fmt(n, "%s.c", base), &c);
	if (!rc && openapi) {
		struct out_buf j = { (char *)openapi, strlen(openapi), 0, false };
		rc = write_file(&e, names_fmt(n, "%s.openapi.json", base), &j);
	}
	if (!rc)
		rc = emit_stubs(s, opts, n, d);
	if (!rc && opts->depfile)
		rc = write_depfile(&e);
	out_free(&h);
	out_free(&c);
	free(e.pats);
	free(e.dec_model);
	free(e.enc_model);
	free(e.dec_enum);
	free(e.enc_enum);
	free(e.hdr_enum);
	free(e.chk_model);
	free(e.chk_enum);
	ec_free_reply_tables(&e);
	names_free(n);
	/* The caller prints diagnostics only when emitting fails: show the
	 * warnings of a successful run here. */
	if (!rc)
		diag_flush(d);
	return rc;
}
