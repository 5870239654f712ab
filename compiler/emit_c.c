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

#include "arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- translation units ------------------------------------------------------------ */

/* A big API's operations go to NAME_ops1.c, NAME_ops2.c... so that make -j
 * compiles them in parallel and a change recompiles little: operations are
 * grouped by the first segment of their path (a resource), and groups in
 * schema order fill units of up to opts->unit_ops operations (a group is
 * cut only when it alone is bigger). An API of at most unit_ops
 * operations is one NAME.c, as is every API with unit_ops 0. */
struct unit {
	const struct ast_op *first;
	size_t nops;
	size_t index;             /* of `first` in the schema's list */
};

static size_t resource_len(const char *path)
{
	size_t n = path[0] == '/';
	while (path[n] && path[n] != '/')
		n++;
	return n;
}

static bool same_resource(const struct ast_op *a, const struct ast_op *b)
{
	size_t n = resource_len(a->path);
	return n == resource_len(b->path) && memcmp(a->path, b->path, n) == 0;
}

/* The units (NULL and 0 when everything is NAME.c). */
static struct unit *plan_units(const struct ec *e, size_t *nunits)
{
	size_t nops = 0, limit = e->o->unit_ops;
	for (const struct ast_op *op = e->s->ops; op; op = op->next)
		nops++;
	*nunits = 0;
	if (limit == 0 || nops <= limit)
		return NULL;
	struct unit *u = calloc(nops, sizeof *u);
	if (!u) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	size_t k = 0, i = 0;
	for (const struct ast_op *op = e->s->ops; op; ) {
		size_t g = 0;
		const struct ast_op *end = op;
		while (end && same_resource(op, end))
			end = end->next, g++;
		if (k == 0 || u[k - 1].nops + g > limit)
			u[k++] = (struct unit){ op, 0, i };
		/* a group bigger than a unit fills units of its own */
		for (; op != end; op = op->next, i++) {
			if (u[k - 1].nops == limit)
				u[k++] = (struct unit){ op, 0, i };
			u[k - 1].nops++;
		}
	}
	*nunits = k;
	return u;
}

static void prologue(struct ec *e)
{
	ec_banner(e);
	/* NAME.h without what only the application's code calls */
	ec_ln(e, 0, "#define %s", ec_unit_macro(e));
	ec_ln(e, 0, "#include \"%s.h\"", e->o->name);
	ec_ln(e, 0, "%s", "");
	ec_ln(e, 0, "#include <stddef.h>");
	ec_ln(e, 0, "#include <stdint.h>");
	ec_ln(e, 0, "#include <stdlib.h>");
	ec_ln(e, 0, "#include <string.h>");
	ec_ln(e, 0, "%s", "");
}

/* `count` operations from `first` (the index-th): their tables, dispatch
 * and replies. */
static void emit_ops(struct ec *e, const struct ast_op *first, size_t index, size_t count)
{
	const struct ast_op *op = first;
	for (size_t i = 0; i < count; i++, op = op->next) {
		emit_op(e, op, &e->tables[index + i]);
		e->op_slot[index + i] = (unsigned)i;
		e->op_unit[index + i] = e->unit;
	}
	if (count)
		ec_call_fn(e, first, count, e->unit);
}

/* What NAME.c defines for the units: header setters, the error model's type. */
static void shared_decls(struct ec *e)
{
	struct names *n = e->n;
	size_t i = 0;
	for (const struct ast_enum *en = e->s->enums; en; en = en->next, i++)
		if (e->hdr_enum[i])
			ec_ln(e, 0, "bool %s(struct apic_ctx *ctx, const char *name, enum %s v);",
			      names_enum_fn(n, en, "header"), names_enum(n, en));
	if (e->need_error_check)
		ec_ln(e, 0, "extern const struct apic_type %s__error_type;", names_prefix(n));
}

/* What a unit defines for NAME.c's route table. */
static void unit_decls(struct ec *e, const struct unit *u, unsigned unit)
{
	struct names *n = e->n;
	const struct ast_op *op = u->first;
	ec_ln(e, 0, "int %s(struct apic_ctx *ctx, unsigned op, void *in);", ec_call_name(e, unit));
	for (size_t k = 0; k < u->nops; k++, op = op->next) {
		ec_ln(e, 0, "extern const struct apic_request %s;", names_op_fn(n, op, "request"));
		size_t nr = e->tables[u->index + k].n;
		if (nr)
			ec_ln(e, 0, "extern const struct apic_response %s[%s];", names_op_fn(n, op, "responses"),
			      names_uint(n, nr));
	}
}

/* The pattern definitions (unit 0) or declarations (the others) a unit
 * uses, before its body. */
static void unit_patterns(struct ec *e, unsigned unit, bool split)
{
	bool any = false;
	for (size_t p = 0; p < e->npats; p++) {
		if (unit == 0)
			ec_ln(e, 0, "%sstruct apic_pattern %s = { %s, NULL };", split ? "" : "static ",
			      ec_pattern_name(e, p), ec_str(e, e->pats[p]));
		else if (e->pat_unit[p] == unit)
			ec_ln(e, 0, "extern struct apic_pattern %s;", ec_pattern_name(e, p));
		else
			continue;
		any = true;
	}
	if (any)
		ec_ln(e, 0, "%s", "");
}

/* A C file as two pieces, written one after the other: what comes first
 * is known only once the body is written (the patterns it uses). */
struct c_file {
	struct out_buf head, body;
};

/* Where the files go: NAME.h and each unit are written as soon as they
 * are complete (NAME.h once NAME.c's model tables are), and their text
 * freed, so that a big API's output is not all in memory at once. Nothing
 * is written once emitting failed. */
struct sink {
	const char *const *names; /* NAME.h, NAME.c, the units */
	struct out_buf *h;
	int rc;                   /* -1 once writing failed */
	bool dirs, h_done;
};

static void sink_write(struct ec *e, struct sink *s, const char *name, const struct out_buf *a,
		       const struct out_buf *b)
{
	if (s->rc || e->failed)
		return;
	const char *dir = e->o->outdir;
	if (!s->dirs && dir && *dir && out_mkdirs(dir) != 0) {
		diag_fatal(e->d, "cannot create directory %s: %s", dir, strerror(errno));
		s->rc = -1;
		return;
	}
	s->dirs = true;
	s->rc = ec_write_file(e, name, a, b);
}

static void sink_header(struct ec *e, struct sink *s)
{
	if (s->h_done)
		return;
	s->h_done = true;
	sink_write(e, s, s->names[0], s->h, NULL);
	out_free(s->h);
}

static void unit_done(struct ec *e, struct sink *s, size_t k, struct c_file *u)
{
	sink_write(e, s, s->names[2 + k], &u->head, &u->body);
	out_free(&u->head);
	out_free(&u->body);
}

/* NAME.c into c and, for a big API, the units (written to `sink`). */
static void emit_source(struct ec *e, const char *openapi, struct c_file *c,
			struct c_file *units, const struct unit *plan, size_t nunits,
			struct sink *sink)
{
	bool split = nunits != 0;
	e->lk = split ? "" : "static ";
	/* Bodies first: they decide which patterns exist. */
	e->b = &c->body;
	ec_begin_unit(e, 0);
	size_t i = 0;
	for (const struct ast_enum *en = e->s->enums; en; en = en->next, i++) {
		ec_enum_tables(e, en);
		if (e->hdr_enum[i])
			ec_enum_header_fn(e, en);
	}
	ec_encoder_decls(e);
	for (const struct ast_model *m = e->s->models; m; m = m->next)
		ec_model_tables(e, m);
	for (const struct ast_union *u = e->s->unions; u; u = u->next)
		ec_union_tables(e, u);
	for (const struct ast_model *m = e->s->models; m; m = m->next)
		ec_model_encoder(e, m);
	if (e->need_error_check)
		emit_error_type(e);
	if (!split) {
		size_t nops = 0;
		for (const struct ast_op *op = e->s->ops; op; op = op->next)
			nops++;
		emit_ops(e, e->s->ops, 0, nops);
	}
	if (split)
		sink_header(e, sink);
	for (size_t k = 0; k < nunits; k++) {
		e->b = &units[k].body;
		ec_begin_unit(e, (unsigned)k + 1);
		emit_ops(e, plan[k].first, plan[k].index, plan[k].nops);
		/* now, while e->pat_unit says which patterns this unit uses */
		e->b = &units[k].head;
		prologue(e);
		unit_patterns(e, (unsigned)k + 1, true);
		shared_decls(e);
		unit_decls(e, &plan[k], (unsigned)k + 1);
		ec_ln(e, 0, "%s", "");
		unit_done(e, sink, k, &units[k]);
	}
	e->b = &c->body;
	ec_begin_unit(e, 0);
	for (size_t k = 0; k < nunits; k++)
		unit_decls(e, &plan[k], (unsigned)k + 1);
	if (split)
		ec_ln(e, 0, "%s", "");
	emit_api(e, openapi);

	e->b = &c->head;
	prologue(e);
	unit_patterns(e, 0, split);
	if (split) {
		shared_decls(e);
		ec_ln(e, 0, "%s", "");
	}
}

/* ---- entry point ----------------------------------------------------------------------- */

/* Writes b, then `more` unless it is NULL. */
int ec_write_file(struct ec *e, const char *fname, const struct out_buf *b,
		      const struct out_buf *more)
{
	if (b->oom || (more && more->oom)) {
		diag_fatal(e->d, "out of memory while generating %s", fname);
		return -1;
	}
	char *path = out_path(e->o->outdir, fname);
	if (!path) {
		diag_fatal(e->d, "out of memory");
		return -1;
	}
	int rc = 0;
	if (out_write2_if_changed(path, b->p ? b->p : "", b->len, more && more->p ? more->p : "",
				  more ? more->len : 0) == OUT_ERROR) {
		diag_fatal(e->d, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

/* NAME.h NAME.c [NAME_opsK.c...] NAME.openapi.json NAME.mk: SCHEMA IMPORTS... */
int ec_write_depfile(struct ec *e, const char *const *files, size_t nfiles)
{
	struct out_buf b;
	out_init(&b);
	for (size_t i = 0; i < nfiles; i++) {
		char *path = out_path(e->o->outdir, files[i]);
		if (i)
			out_put(&b, " ", 1);
		out_dep_path(&b, path ? path : "");
		free(path);
	}
	out_put(&b, ":", 1);
	for (size_t i = 0; i < e->o->ndeps; i++) {
		out_put(&b, " ", 1);
		out_dep_path(&b, e->o->deps[i]);
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

/* NAME.mk: the C files to compile, for a Makefile that includes it. */
static void emit_make_fragment(struct ec *e, struct out_buf *b, size_t nunits)
{
	const char *name = e->o->name;
	out_printf(b, "# Generated by apic %s from %s \xE2\x80\x94 do not edit.\n", PACKAGE_VERSION,
		   e->o->schema_path);
	out_printf(b, "# The C files apic writes for %s (in its output directory).\n", name);
	out_printf(b, "%s_C_SOURCES = %s.c", name, name);
	for (size_t k = 0; k < nunits; k++)
		out_printf(b, " %s_ops%zu.c", name, k + 1);
	out_puts(b, "\n");
}

/* NAME_opsK.c left by an earlier, bigger version of the schema would be
 * compiled by a wildcard rule: removed, from K = first up. */
static int remove_stale_units(struct ec *e, size_t first)
{
	for (size_t k = first; ; k++) {
		char *path = out_path(e->o->outdir, names_fmt(e->n, "%s_ops%zu.c", e->o->name, k));
		if (!path) {
			diag_fatal(e->d, "out of memory");
			return -1;
		}
		int r = unlink(path);
		int err = errno;
		free(path);
		if (r != 0) {
			if (err == ENOENT)
				return 0;
			diag_fatal(e->d, "cannot remove %s_ops%zu.c: %s", e->o->name, k, strerror(err));
			return -1;
		}
	}
}

int emit_c(const struct ast_schema *s, const struct emit_opts *opts,
	   const struct openapi_doc *doc, struct diag_ctx *d)
{
	const char *openapi = doc->text;
	if (!s->service) {
		diag_fatal(d, "the schema declares no service");
		return -1;
	}
	struct names *n = opts->names;
	struct ec e = { .s = s, .o = opts, .n = n, .d = d };
	e.hdr_enum = calloc(s->nenums + 1, sizeof *e.hdr_enum);
	if (!e.hdr_enum) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	ec_gzip_start(&e, openapi);
	size_t nops = 0;
	for (const struct ast_op *op = s->ops; op; op = op->next)
		nops++;
	e.op_unit = calloc(nops + 1, sizeof *e.op_unit);
	e.op_slot = calloc(nops + 1, sizeof *e.op_slot);
	if (!e.op_unit || !e.op_slot) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	ec_index_schema(&e);
	ec_reply_tables(&e, doc);
	size_t k = 0;
	for (const struct ast_op *op = s->ops; op; op = op->next, k++)
		for (size_t i = 0; i < e.tables[k].n; i++)
			e.need_error_check |= e.tables[k].v[i].error;
	size_t nunits;
	struct unit *plan = plan_units(&e, &nunits);
	struct out_buf h, mk;
	struct c_file c;
	struct c_file *units = calloc(nunits + 1, sizeof *units); /* zero: empty buffers */
	const char **files = calloc(nunits + 4, sizeof *files);
	if (!units || !files) {
		fputs("apic: out of memory\n", stderr);
		exit(3);
	}
	out_init(&h);
	out_init(&c.head);
	out_init(&c.body);
	out_init(&mk);
	const char *base = opts->name;
	size_t nfiles = 0;
	files[nfiles++] = names_fmt(n, "%s.h", base);
	files[nfiles++] = names_fmt(n, "%s.c", base);
	for (size_t u = 0; u < nunits; u++)
		files[nfiles++] = names_fmt(n, "%s_ops%zu.c", base, u + 1);
	e.b = &h;
	emit_header(&e);
	struct sink sink = { files, &h, 0, false, false };
	emit_source(&e, openapi, &c, units, plan, nunits, &sink);
	ec_gzip_end(&e);
	emit_make_fragment(&e, &mk, nunits);
	sink_header(&e, &sink);
	sink_write(&e, &sink, files[1], &c.head, &c.body);
	out_free(&c.head);
	out_free(&c.body);
	int rc = e.failed ? -1 : sink.rc;
	if (!rc)
		rc = remove_stale_units(&e, nunits + 1);
	files[nfiles] = names_fmt(n, "%s.openapi.json", base);
	if (!rc && openapi) {
		struct out_buf j = { (char *)openapi, doc->len, 0, false };
		rc = ec_write_file(&e, files[nfiles++], &j, NULL);
	}
	files[nfiles] = names_fmt(n, "%s.mk", base);
	if (!rc)
		rc = ec_write_file(&e, files[nfiles++], &mk, NULL);
	if (!rc)
		rc = emit_stubs(s, opts, n, d);
	if (!rc && opts->depfile)
		rc = ec_write_depfile(&e, files, nfiles);
	free(units);
	free(files);
	free(plan);
	out_free(&mk);
	out_free(&h);
	out_free(&c.head);
	out_free(&c.body);
	free(e.pats);
	free(e.pat_unit);
	free(e.hdr_enum);
	free(e.op_unit);
	free(e.op_slot);
	arena_free(e.arena);
	ec_free_reply_tables(&e);
	/* The caller prints diagnostics only when emitting fails: show the
	 * warnings of a successful run here. */
	if (!rc)
		diag_flush(d);
	return rc;
}
