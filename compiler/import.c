/* `apic import [-o OUT] FILE`: the driver. Loads the document, checks it is
 * OpenAPI 3.0 or 3.1, generates the schema text (service, security,
 * models and enums, operations), lays it out as `apic fmt` does, and
 * checks the result with the front end before writing it. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "format.h"
#include "import.h"
#include "import_int.h"
#include "names.h"
#include "out.h"
#include "source.h"

enum { EXIT_DOC = 1, EXIT_IO = 3 };

/* Strings that live until the end of the run. */
static json_object *keep;

char *imp_strdup(struct imp *im, const char *s)
{
	(void)im;
	json_object *o = json_object_new_string(s);
	json_object_array_add(keep, o);
	return (char *)json_object_get_string(o);
}

void imp_warn(struct imp *im, const char *ptr, const char *fmt, ...)
{
	va_list ap;
	struct out_buf w;
	out_init(&w);
	out_printf(&w, "%s: %s: warning: ", im->file, ptr && *ptr ? ptr : "/");
	va_start(ap, fmt);
	out_vprintf(&w, fmt, ap);
	va_end(ap);
	out_put(&w, "", 1);
	/* once each: a shared component reports once, not at every use */
	if (!json_object_object_get_ex(im->warned, w.p, NULL)) {
		json_object_object_add(im->warned, w.p, NULL);
		im->nwarn++;
		out_printf(&im->warns, "%s\n", w.p);
	}
	out_free(&w);
}

const char *imp_ptr(struct imp *im, const char *base, const char *key)
{
	struct out_buf b;
	out_init(&b);
	out_puts(&b, base);
	out_puts(&b, "/");
	for (const char *p = key; *p; p++) {
		if (*p == '~')
			out_puts(&b, "~0");
		else if (*p == '/')
			out_puts(&b, "~1");
		else
			out_put(&b, p, 1);
	}
	out_put(&b, "", 1);
	const char *r = imp_strdup(im, b.p);
	out_free(&b);
	return r;
}

const char *imp_ptri(struct imp *im, const char *base, size_t i)
{
	char k[32];
	snprintf(k, sizeof k, "%zu", i);
	return imp_ptr(im, base, k);
}

json_object *imp_get(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

const char *imp_str(json_object *o, const char *key)
{
	json_object *v = imp_get(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

json_object *imp_deref(struct imp *im, const char *ptr, const char *ref, const char **target)
{
	if (ref[0] != '#') {
		imp_warn(im, ptr, "external $ref \"%s\" not followed (only references inside the document); "
			 "replaced by an open model", ref);
		return NULL;
	}
	/* percent-decoded (a URI fragment), then walked as a JSON pointer */
	size_t n = strlen(ref);
	char *dec = malloc(n + 1), *q = dec;
	if (!dec)
		abort();
	for (const char *p = ref + 1; *p; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*q++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		} else
			*q++ = *p;
	}
	*q = 0;
	json_object *cur = im->root;
	char *s = dec;
	while (cur && *s == '/') {
		s++;
		char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *key = malloc(len + 1), *k = key;
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '~' && i + 1 < len && (s[i + 1] == '0' || s[i + 1] == '1')) {
				*k++ = s[i + 1] == '0' ? '~' : '/';
				i++;
			} else
				*k++ = s[i];
		}
		*k = 0;
		if (json_object_is_type(cur, json_type_array)) {
			char *end;
			long idx = strtol(key, &end, 10);
			cur = *key && !*end && idx >= 0 ? json_object_array_get_idx(cur, (size_t)idx) : NULL;
		} else
			cur = imp_get(cur, key);
		free(key);
		s += len;
	}
	if (*s && *s != '/')
		cur = NULL;
	if (!cur)
		imp_warn(im, ptr, "$ref \"%s\" names nothing in the document; replaced by an open model", ref);
	else if (target)
		*target = imp_strdup(im, dec);
	free(dec);
	return cur;
}

json_object *imp_follow(struct imp *im, json_object *obj, const char **ptr)
{
	for (int depth = 0; obj && depth < 64; depth++) {
		const char *ref = imp_str(obj, "$ref");
		if (!ref)
			return obj;
		const char *t = NULL;
		json_object *next = imp_deref(im, *ptr, ref, &t);
		if (!next)
			return NULL;
		*ptr = t;
		obj = next;
	}
	if (obj)
		imp_warn(im, *ptr, "a cycle of $refs; dropped");
	return NULL;
}

/* apic's own documents: their runtime responses and Problem schemas are
 * what any generated server lists by itself. */
static void detect_apic(struct imp *im)
{
	json_object *resp = imp_get(imp_get(im->root, "components"), "responses");
	json_object *ni = imp_get(resp, "NotImplemented");
	const char *d = imp_str(ni, "description");
	if (!d || strcmp(d, "The server has no handler for this operation yet.") != 0)
		return;
	im->apic_doc = true;
	json_object *content = imp_get(ni, "content");
	json_object *js = imp_get(imp_get(content, "application/json"), "schema");
	const char *ref = imp_str(js, "$ref");
	if (ref && strncmp(ref, "#/components/schemas/", 21) == 0)
		im->error_model = imp_strdup(im, ref + 21);
}

static int generate(struct imp *im, struct out_buf *text)
{
	struct out_buf ops;
	out_init(&ops);
	struct out_buf sec;
	out_init(&sec);
	detect_apic(im);
	imp_security(im, &sec);
	imp_components(im);
	imp_service(im, text);
	out_put(text, sec.p ? sec.p : "", sec.len);
	out_free(&sec);
	imp_paths(im, &ops);
	out_puts(text, "\n");
	out_put(text, im->decls.p ? im->decls.p : "", im->decls.len);
	out_puts(text, "\n");
	out_put(text, ops.p ? ops.p : "", ops.len);
	out_free(&ops);
	return text->oom ? -1 : 0;
}

/* Checks the formatted text with the front end; its errors (a bug of the
 * import) go to stderr, its warnings (unused models) nowhere. */
static int check_text(const char *name, const char *text, size_t len, bool quiet)
{
	char *msgs = NULL;
	size_t msglen = 0;
	FILE *mf = open_memstream(&msgs, &msglen);
	if (!mf)
		return -1;
	struct arena *a = arena_new();
	struct source_table *src = src_new();
	struct diag_ctx *d = diag_new(src, mf);
	struct ast_schema *s = check_load_mem(a, src, d, name, text, len);
	diag_flush(d);
	if (s && diag_error_count(d) == 0) {
		check_schema(a, src, d, s);
		diag_flush(d);
	}
	/* and the C names, as `apic check` does */
	if (s && diag_error_count(d) == 0) {
		struct names *n = names_new("x");
		names_check(n, s, d);
		names_free(n);
		diag_flush(d);
	}
	size_t errs = diag_error_count(d);
	diag_free(d);
	fclose(mf);
	if (errs && !quiet) {
		fputs(msgs, stderr);
		fprintf(stderr, "apic: error: the imported schema does not check (%zu error%s): "
			"this is a bug of apic import\n", errs, errs == 1 ? "" : "s");
	}
	free(msgs);
	src_free(src);
	arena_free(a);
	return errs ? 1 : 0;
}

/* Generates, lays out and checks the schema; *out is malloc'd. Returns 0,
 * 1 when the result does not check (*out is still set) or -1. */
static int import_once(struct imp *im, const char *outname, bool quiet, char **out, size_t *outlen)
{
	struct out_buf text;
	out_init(&text);
	im->used = json_object_new_object();
	im->comp = json_object_new_object();
	im->busy = json_object_new_object();
	im->inline_done = json_object_new_object();
	im->cn = names_new("x");
	out_init(&im->decls);
	int r = generate(im, &text);
	if (r != 0) {
		fputs("apic: out of memory\n", stderr);
		exit(EXIT_IO);
	}
	/* the layout of `apic fmt` */
	struct arena *a = arena_new();
	struct source_table *src = src_new();
	struct diag_ctx *d = diag_new(src, stderr);
	struct ast_schema *s = check_load_mem(a, src, d, outname, text.p, text.len);
	diag_flush(d);
	char *formatted = NULL;
	size_t flen = 0;
	if (!s || diag_error_count(d) || format_file(src, 0, &formatted, &flen) != 0) {
		fprintf(stderr, "apic: error: the generated schema does not parse: this is a bug of apic import\n");
		formatted = malloc(text.len + 1);
		memcpy(formatted, text.p, text.len);
		flen = text.len;
		r = 1;
	}
	diag_free(d);
	src_free(src);
	arena_free(a);
	if (r == 0 && check_text(outname, formatted, flen, quiet) != 0)
		r = 1;
	*out = formatted;
	*outlen = flen;
	out_free(&text);
	out_free(&im->decls);
	json_object_put(im->used);
	json_object_put(im->comp);
	json_object_put(im->busy);
	json_object_put(im->inline_done);
	json_object_put(im->sec);
	json_object_put(im->opnames);
	names_free(im->cn);
	return r;
}

int import_main(const char *path, const char *output)
{
	const char *shown = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	bool io;
	keep = json_object_new_array();
	struct imp im = { .file = shown };
	out_init(&im.warns);
	im.warned = json_object_new_object();
	im.root = imp_load(path, shown, &io);
	int r = 0;
	char *formatted = NULL;
	size_t flen = 0;
	if (!im.root) {
		r = io ? EXIT_IO : EXIT_DOC;
		goto done;
	}
	const char *ver = imp_str(im.root, "openapi");
	if (!json_object_is_type(im.root, json_type_object) || !ver || strncmp(ver, "3.", 2) != 0) {
		const char *sw = imp_str(im.root, "swagger");
		fprintf(stderr, "%s: error: not OpenAPI 3 (%s%s%s); apic imports OpenAPI 3.0 and 3.1 documents\n",
			shown, sw ? "Swagger " : ver ? "openapi " : "no \"openapi\" version",
			sw ? sw : ver ? ver : "", sw ? ": convert it to OpenAPI 3 first" : "");
		r = EXIT_DOC;
		goto done;
	}
	im.v31 = strncmp(ver, "3.0", 3) != 0;
	const char *outname = output ? output : "imported.apic";
	/* Examples and defaults the document gets wrong (an example that breaks
	 * its own pattern) make the schema fail its check: then the schema
	 * comes without them, and a warning says so. */
	r = import_once(&im, outname, true, &formatted, &flen);
	if (r != 0) {
		free(formatted);
		im.nwarn = 0;
		im.warns.len = 0;
		json_object_put(im.warned);
		im.warned = json_object_new_object();
		im.no_values = true;
		imp_warn(&im, "", "a default or example is not valid for its type: the schema has no defaults "
			 "and no examples");
		r = import_once(&im, outname, false, &formatted, &flen);
		if (r != 0)
			r = EXIT_DOC;
	}
	if (strncmp(ver, "3.0", 3) != 0 && strncmp(ver, "3.1", 3) != 0)
		imp_warn(&im, "/openapi", "version %s is read as 3.1", ver);
	if (output) {
		if (out_write_if_changed(output, formatted, flen) == OUT_ERROR) {
			fprintf(stderr, "apic: error: cannot write '%s': %s\n", output, strerror(errno));
			r = EXIT_IO;
		}
	} else if (fwrite(formatted, 1, flen, stdout) != flen || fflush(stdout) != 0) {
		fprintf(stderr, "apic: error: cannot write the schema: %s\n", strerror(errno));
		r = EXIT_IO;
	}
	fwrite(im.warns.p ? im.warns.p : "", 1, im.warns.len, stderr);
	if (im.nwarn)
		fprintf(stderr, "%s: %zu warning%s\n", shown, im.nwarn, im.nwarn == 1 ? "" : "s");
done:
	free(formatted);
	out_free(&im.warns);
	json_object_put(im.warned);
	json_object_put(im.root);
	json_object_put(keep);
	return r;
}
