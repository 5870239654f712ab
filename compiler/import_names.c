/* `apic import`: names and literals. A declaration name keeps the
 * document's letters, digits and underscores (other runs of bytes become
 * one '_'); it is unique by its C spelling (case and '_' ignored, as the C
 * names are snake case), the later one getting 2, 3, ...; keywords and the
 * built-in type names get a trailing '_'. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

static const char *const keywords[] = {
#define KW(s, t) s,
#include "kwlist.h"
#undef KW
	"string", "bool", "int32", "int64", "number",
};

static bool is_keyword(const char *s)
{
	for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
		if (strcmp(keywords[i], s) == 0)
			return true;
	return false;
}

/* [A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)* */
bool imp_is_label(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == '-') {
			if (!(isalnum((unsigned char)p[1]) || p[1] == '_'))
				return false;
		} else if (!(isalnum((unsigned char)*p) || *p == '_'))
			return false;
	}
	return true;
}

bool imp_is_ident(const char *s)
{
	return imp_is_label(s) && !is_keyword(s);
}

/* The key two names collide on: lower case, without '_' and '-'. */
static char *c_key(const char *s)
{
	char *k = malloc(strlen(s) + 1), *q = k;
	if (!k)
		abort();
	for (; *s; s++)
		if (*s != '_' && *s != '-')
			*q++ = (char)tolower((unsigned char)*s);
	*q = 0;
	return k;
}

static char *sanitize(const char *want, const char *fallback)
{
	size_t n = strlen(want);
	char *s = malloc(n + 8), *q = s;
	if (!s)
		abort();
	bool sep = false;
	for (const char *p = want; *p; p++) {
		if (isalnum((unsigned char)*p) || *p == '_') {
			if (sep && q > s)
				*q++ = '_';
			sep = false;
			*q++ = *p;
		} else
			sep = true;
	}
	*q = 0;
	if (!*s) {
		free(s);
		return strdup(fallback);
	}
	if (isdigit((unsigned char)*s)) {
		memmove(s + 1, s, strlen(s) + 1);
		s[0] = 'N';
	}
	return s;
}

const char *imp_decl_name(struct imp *im, const char *want)
{
	char *base = sanitize(want, "Model");
	if (is_keyword(base))
		base[0] = (char)toupper((unsigned char)base[0]);   /* keywords are lower case */
	char *name = strdup(base);
	for (unsigned i = 2;; i++) {
		char *k = c_key(name);
		bool taken = json_object_object_get_ex(im->used, k, NULL);
		if (!taken) {
			json_object_object_add(im->used, k, json_object_new_boolean(1));
			free(k);
			break;
		}
		free(k);
		free(name);
		if (asprintf(&name, "%s%u", base, i) < 0)
			abort();
	}
	free(base);
	const char *r = imp_strdup(im, name);
	free(name);
	return r;
}

/* Appends the words of t, each capitalised (the first one of all as it is
 * when `first`). */
static void camel_words(struct out_buf *b, const char *t, bool first)
{
	bool up = !first;
	for (; *t; t++) {
		if (isalnum((unsigned char)*t)) {
			char c = *t;
			if (up)
				c = (char)toupper((unsigned char)c);
			out_put(b, &c, 1);
			up = false;
		} else
			up = true;
	}
}

char *imp_camel(struct imp *im, const char *a, const char *b)
{
	struct out_buf o;
	out_init(&o);
	camel_words(&o, a, false);
	if (b)
		camel_words(&o, b, false);
	out_put(&o, "", 1);
	char *r = imp_strdup(im, o.p);
	out_free(&o);
	return r;
}

char *imp_op_name(struct imp *im, const char *want)
{
	char *s = sanitize(want, "op");
	if (is_keyword(s)) {
		size_t n = strlen(s);
		s = realloc(s, n + 2);
		strcpy(s + n, "_");
	}
	char *r = imp_strdup(im, s);
	free(s);
	return r;
}

void imp_put_string(struct out_buf *b, const char *s)
{
	json_object *o = json_object_new_string(s);
	out_puts(b, json_object_to_json_string_ext(o, JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

void imp_put_name(struct out_buf *b, const char *s)
{
	if (imp_is_label(s))
		out_puts(b, s);
	else
		imp_put_string(b, s);
}

void imp_put_doc(struct out_buf *b, const char *doc, int ind)
{
	if (!doc)
		return;
	/* trailing blank lines go: a doc comment ends at its last text */
	size_t n = strlen(doc);
	while (n && (doc[n - 1] == '\n' || doc[n - 1] == ' ' || doc[n - 1] == '\r' || doc[n - 1] == '\t'))
		n--;
	size_t i = 0;
	while (i < n && (doc[i] == '\n' || doc[i] == '\r'))
		i++;
	while (i < n) {
		size_t j = i;
		while (j < n && doc[j] != '\n')
			j++;
		size_t e = j;
		while (e > i && (doc[e - 1] == '\r' || doc[e - 1] == ' ' || doc[e - 1] == '\t'))
			e--;
		out_printf(b, "%*s///", ind, "");
		if (e > i) {
			out_puts(b, " ");
			out_put(b, doc + i, e - i);
		}
		out_puts(b, "\n");
		i = j + 1;
	}
}

void imp_put_value(struct out_buf *b, json_object *v)
{
	if (!v) {
		out_puts(b, "null");
		return;
	}
	out_puts(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_NOSLASHESCAPE | JSON_C_TO_STRING_SPACED));
}

void imp_put_default(struct out_buf *b, json_object *v, bool is_enum)
{
	const char *sv = v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	if (is_enum && sv && imp_is_label(sv) && !strchr(sv, '-') && strcmp(sv, "true") && strcmp(sv, "false") && strcmp(sv, "null")) {
		out_puts(b, json_object_get_string(v));
		return;
	}
	if (is_enum && v && json_object_is_type(v, json_type_array)) {
		out_puts(b, "[");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			out_puts(b, i ? ", " : "");
			imp_put_default(b, json_object_array_get_idx(v, i), true);
		}
		out_puts(b, "]");
		return;
	}
	imp_put_value(b, v);
}
