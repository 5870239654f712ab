/* The --dump-ast printer: a stable, readable text form of a checked schema,
 * one node per line, children indented, locations as line:col (with the
 * file's path when it is not the root file); and the rules of ast.h. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "check.h"
#include "source.h"

struct dump {
	const struct source_table *src;
	FILE *o;
};

bool ast_response_is_error(const struct ast_response *r)
{
	return r->type == NULL && !r->raw && r->status >= 400;
}

static const char *const dump_prims[] = { "string", "bool", "int32", "int64", "number" };
static const char *const dump_methods[] = { "get", "put", "post", "delete", "patch", "head",
					    "options" };
static const char *const dump_in[] = { "path", "query", "header", "cookie" };
static const char *const dump_formats[] = { "", "email", "uuid", "date", "date-time", "uri",
					    "password", "ipv4", "ipv6", "hostname", "uri-reference",
					    "binary" };

static void dump_loc(struct dump *d, struct apic_loc l)
{
	unsigned line, col;
	src_linecol(d->src, l.file, l.off, &line, &col);
	if (l.file)
		fprintf(d->o, " @%s:%u:%u", src_file(d->src, l.file)->path, line, col);
	else
		fprintf(d->o, " @%u:%u", line, col);
}

static void dump_str(struct dump *d, const char *s, size_t n)
{
	fputc('"', d->o);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(d->o, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", d->o);
		else if (c < 0x20 || c == 0x7f)
			fprintf(d->o, "\\u%04x", c);
		else
			fputc(c, d->o);
	}
	fputc('"', d->o);
}

static void dump_cstr(struct dump *d, const char *s)
{
	dump_str(d, s, strlen(s));
}

static void dump_value(struct dump *d, const struct ast_value *v)
{
	switch (v->kind) {
	case VAL_NULL: fputs("null", d->o); break;
	case VAL_BOOL: fputs(v->b ? "true" : "false", d->o); break;
	case VAL_NUMBER: fputs(v->num.text, d->o); break;
	case VAL_STRING: dump_str(d, v->str, v->len); break;
	case VAL_IDENT:
		fputs(v->str, d->o);
		if (v->member)
			fputs("(member)", d->o);
		break;
	case VAL_ARRAY:
	case VAL_OBJECT:
		fputc(v->kind == VAL_ARRAY ? '[' : '{', d->o);
		for (const struct ast_value *it = v->items; it; it = it->next) {
			if (v->kind == VAL_OBJECT) {
				dump_cstr(d, it->key);
				fputs(": ", d->o);
			}
			dump_value(d, it);
			if (it->next)
				fputs(", ", d->o);
		}
		fputc(v->kind == VAL_ARRAY ? ']' : '}', d->o);
		break;
	}
}

static void dump_sep(struct dump *d, bool *first)
{
	fputs(*first ? " (" : ", ", d->o);
	*first = false;
}

static void dump_count(struct dump *d, bool *first, const char *name, const struct ast_count *c)
{
	if (c->set) {
		dump_sep(d, first);
		fprintf(d->o, "%s %" PRIu64, name, c->n);
	}
}

static void dump_constraints(struct dump *d, const struct ast_constraints *c)
{
	bool first = true;
	if (c->min.set) {
		dump_sep(d, &first);
		fprintf(d->o, "%s %s", c->min.exclusive ? "xmin" : "min", c->min.num.text);
	}
	if (c->max.set) {
		dump_sep(d, &first);
		fprintf(d->o, "%s %s", c->max.exclusive ? "xmax" : "max", c->max.num.text);
	}
	dump_count(d, &first, "minlen", &c->minlen);
	dump_count(d, &first, "maxlen", &c->maxlen);
	if (c->pattern) {
		dump_sep(d, &first);
		fputs("pattern ", d->o);
		dump_cstr(d, c->pattern);
	}
	if (c->format) {
		dump_sep(d, &first);
		fprintf(d->o, "format %s", dump_formats[c->format]);
	}
	dump_count(d, &first, "minitems", &c->minitems);
	dump_count(d, &first, "maxitems", &c->maxitems);
	if (c->unique) {
		dump_sep(d, &first);
		fputs("unique", d->o);
	}
	dump_count(d, &first, "minprops", &c->minprops);
	dump_count(d, &first, "maxprops", &c->maxprops);
	if (!first)
		fputc(')', d->o);
}

static void dump_type(struct dump *d, const struct ast_type *t)
{
	switch (t->kind) {
	case TYPE_PRIM: fputs(dump_prims[t->prim], d->o); break;
	case TYPE_NAMED:
		fprintf(d->o, "%s%s", t->name, t->model ? "(model)" : t->enm ? "(enum)"
			: t->uni ? "(union)" : "(?)");
		break;
	case TYPE_ARRAY:
		fputc('[', d->o);
		dump_type(d, t->elem);
		fputc(']', d->o);
		break;
	case TYPE_MAP:
		fputs("map<", d->o);
		dump_type(d, t->elem);
		fputc('>', d->o);
		break;
	}
	dump_constraints(d, &t->c);
}

static void dump_doc(struct dump *d, int ind, const char *key, const char *doc)
{
	if (doc) {
		fprintf(d->o, "%*s%s ", ind, "", key);
		dump_cstr(d, doc);
		fputc('\n', d->o);
	}
}

static void dump_auth(struct dump *d, const char *key, const struct ast_auth *a)
{
	if (!a->set)
		return;
	fprintf(d->o, " %s=", key);
	if (a->none)
		fputs("none", d->o);
	else
		fprintf(d->o, "%s%s%s", a->optional ? "optional " : "", a->name,
			a->scheme ? "" : "(?)");
}

static void dump_mods(struct dump *d, bool optional, bool nullable, bool readonly,
		      bool writeonly, bool deprecated, const struct ast_value *def,
		      const struct ast_value *example)
{
	fputs(optional ? " optional" : " required", d->o);
	if (nullable)
		fputs(" nullable", d->o);
	if (readonly)
		fputs(" readonly", d->o);
	if (writeonly)
		fputs(" writeonly", d->o);
	if (deprecated)
		fputs(" deprecated", d->o);
	if (def) {
		fputs(" default=", d->o);
		dump_value(d, def);
	}
	if (example) {
		fputs(" example=", d->o);
		dump_value(d, example);
	}
}

/* An operation's parameter, or (response) a response header. */
static void dump_param(struct dump *d, int ind, bool response, const struct ast_param *p)
{
	fprintf(d->o, "%*s%s ", ind, "", response ? "header" : "param");
	if (!response)
		fprintf(d->o, "%s ", dump_in[p->in]);
	dump_cstr(d, p->name);
	fputs(": ", d->o);
	dump_type(d, p->type);
	dump_mods(d, p->optional, false, false, false, p->deprecated, p->def, p->example);
	dump_loc(d, p->loc);
	fputc('\n', d->o);
	dump_doc(d, ind + 2, "doc", p->doc);
}

void ast_dump(const struct ast_schema *s, const struct source_table *src, FILE *out)
{
	struct dump dd = { src, out }, *d = &dd;
	fprintf(out, "schema models=%zu enums=%zu securities=%zu ops=%zu\n", s->nmodels,
		s->nenums, s->nsecurities, s->nops);
	for (const struct ast_import *im = s->imports; im; im = im->next) {
		fputs("  import ", out);
		dump_cstr(d, im->path);
		fprintf(out, " file=%s", src_file(src, im->file)->path);
		dump_loc(d, im->loc);
		fputc('\n', out);
	}
	const struct ast_service *sv = s->service;
	if (sv) {
		fputs("  service ", out);
		dump_cstr(d, sv->title);
		fputs(" version ", out);
		dump_cstr(d, sv->version);
		dump_auth(d, "auth", &sv->auth);
		if (sv->prefix)
			fprintf(out, " cprefix=%s", sv->prefix);
		dump_loc(d, sv->loc);
		fputc('\n', out);
		dump_doc(d, 4, "doc", sv->doc);
		dump_doc(d, 4, "description", sv->description);
		if (sv->basepath) {
			fputs("    basepath ", out);
			dump_cstr(d, sv->basepath);
			fputc('\n', out);
		}
		for (const struct ast_server *x = sv->servers; x; x = x->next) {
			fputs("    server ", out);
			dump_cstr(d, x->url);
			if (x->description) {
				fputc(' ', out);
				dump_cstr(d, x->description);
			}
			fputc('\n', out);
		}
		if (sv->error_model_name) {
			fprintf(out, "    errors %s%s at ", sv->error_model_name,
				sv->error_model ? "(model)" : "(?)");
			dump_cstr(d, sv->error_pointer);
			fputc('\n', out);
		}
	}
	for (const struct ast_security *x = s->securities; x; x = x->next) {
		static const char *const kinds[] = { "bearer", "apikey", "basic" };
		fprintf(out, "  security %s %s", x->name, kinds[x->kind]);
		if (x->kind == SEC_APIKEY) {
			fprintf(out, " %s ", dump_in[x->in]);
			dump_cstr(d, x->key);
			if (x->prefix) {
				fputs(" prefix ", out);
				dump_cstr(d, x->prefix);
			}
		}
		if (x->bearer_format) {
			fputs(" format ", out);
			dump_cstr(d, x->bearer_format);
		}
		fputs(x->used ? " used" : " unused", out);
		dump_loc(d, x->loc);
		fputc('\n', out);
		dump_doc(d, 4, "doc", x->doc);
	}
	for (const struct ast_enum *e = s->enums; e; e = e->next) {
		fprintf(out, "  enum %s members=%zu%s", e->name, e->nmembers,
			e->used ? " used" : " unused");
		dump_loc(d, e->loc);
		fputc('\n', out);
		dump_doc(d, 4, "doc", e->doc);
		for (const struct ast_enum_member *m = e->members; m; m = m->next) {
			fputs("    member ", out);
			dump_cstr(d, m->name);
			dump_loc(d, m->loc);
			fputc('\n', out);
			dump_doc(d, 6, "doc", m->doc);
		}
	}
	for (const struct ast_union *u = s->unions; u; u = u->next) {
		fprintf(out, "  union %s branches=%zu%s%s", u->name, u->nbranches,
			u->used ? " used" : " unused", u->deprecated ? " deprecated" : "");
		if (u->disc) {
			fputs(" by ", out);
			dump_cstr(d, u->disc);
		}
		dump_loc(d, u->loc);
		fputc('\n', out);
		dump_doc(d, 4, "doc", u->doc);
		for (const struct ast_branch *b = u->branches; b; b = b->next) {
			fputs("    branch ", out);
			if (b->value) {
				dump_cstr(d, b->value);
				fputs(": ", out);
			}
			dump_type(d, b->type);
			dump_loc(d, b->loc);
			fputc('\n', out);
		}
	}
	for (const struct ast_model *m = s->models; m; m = m->next) {
		fprintf(out, "  model %s fields=%zu%s%s%s", m->name, m->nfields,
			m->used ? " used" : " unused", m->open ? " open" : "",
			m->deprecated ? " deprecated" : "");
		if (m->example) {
			fputs(" example=", out);
			dump_value(d, m->example);
		}
		dump_loc(d, m->loc);
		fputc('\n', out);
		dump_doc(d, 4, "doc", m->doc);
		for (const struct ast_field *f = m->fields; f; f = f->next) {
			fprintf(out, "    field %s: ", f->name);
			dump_type(d, f->type);
			dump_mods(d, f->optional, f->nullable, f->readonly, f->writeonly,
				  f->deprecated, f->def, f->example);
			dump_loc(d, f->loc);
			fputc('\n', out);
			dump_doc(d, 6, "doc", f->doc);
		}
	}
	for (const struct ast_op *op = s->ops; op; op = op->next) {
		fprintf(out, "  op %s %s id=%s%s", dump_methods[op->method], op->path,
			op->id ? op->id : "(none)", op->deprecated ? " deprecated" : "");
		dump_auth(d, "auth", &op->auth);
		dump_auth(d, "effective", &op->eff_auth);
		if (op->max_body)
			fprintf(out, " maxbody=%" PRIu64, op->max_body);
		if (op->ws_in || op->ws_out)
			fprintf(out, " websocket");
		if (op->async)
			fprintf(out, " async");
		if (op->deadline_ms)
			fprintf(out, " deadline=%ums", op->deadline_ms);
		if (op->cache_control) {
			fputs(" cache=", out);
			dump_cstr(d, op->cache_control);
		}
		if (op->etag)
			fputs(" etag", out);
		dump_loc(d, op->loc);
		fputc('\n', out);
		dump_doc(d, 4, "summary", op->summary);
		dump_doc(d, 4, "doc", op->doc);
		for (const struct ast_segment *sg = op->segments; sg; sg = sg->next)
			fprintf(out, "    segment %s%s%s%s\n", sg->is_param ? "{" : "", sg->text,
				sg->is_param ? "}" : "", sg->is_param && !sg->param ? "(?)" : "");
		for (const struct ast_tag_ref *t = op->tags; t; t = t->next) {
			fputs("    tag ", out);
			dump_cstr(d, t->name);
			fputc('\n', out);
		}
		for (const struct ast_param *p = op->params; p; p = p->next)
			dump_param(d, 4, false, p);
		if (op->body) {
			fputs("    body ", out);
			dump_type(d, op->body);
			fputs(op->body_optional ? " optional\n" : " required\n", out);
		}
		for (const struct ast_response *r = op->responses; r; r = r->next) {
			fprintf(out, "    response %d", r->status);
			if (r->type) {
				fputc(' ', out);
				dump_type(d, r->type);
			}
			if (r->raw) {
				fputs(r->raw == RAW_TEXT ? " text as " : " bytes as ", out);
				dump_cstr(d, r->media);
			}
			if (r->download) {
				fputs(" download ", out);
				dump_cstr(d, r->download);
			}
			if (r->description) {
				fputc(' ', out);
				dump_cstr(d, r->description);
			}
			fputc('\n', out);
			for (const struct ast_param *h = r->headers; h; h = h->next)
				dump_param(d, 6, true, h);
		}
	}
}

void ast_content_disposition(const char *name, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	bool ascii = true;
	for (const char *p = name; *p; p++)
		ascii &= (unsigned char)*p < 0x80;
	char *o = out + sprintf(out, "attachment; filename=\"");
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x80 || (unsigned char)*p >= 0xC0)
			*o++ = (unsigned char)*p < 0x80 ? *p : '_'; /* one per code point */
	o += sprintf(o, "\"");
	if (ascii)
		return;
	o += sprintf(o, "; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (isalnum(*p) && *p < 0x80) {
			*o++ = (char)*p;
		} else if (strchr("!#$&+-.^_`|~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
}
