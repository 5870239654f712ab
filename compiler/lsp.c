/* `apic lsp`: the transport (JSON-RPC 2.0 messages framed by a
 * Content-Length header on standard input and output), the dispatch of
 * requests and notifications, and the lifecycle (initialize, initialized,
 * shutdown, exit). Documents are in lsp_docs.c, features in lsp_features.c. */
#include "config.h"

#include "lsp.h"
#include "lsp_int.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"

enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
	RPC_SERVER_NOT_INITIALIZED = -32002,
	RPC_REQUEST_FAILED = -32803,
};

/* A message larger than this is refused (and skipped). */
#define LSP_MAX_MESSAGE (256u * 1024 * 1024)

static void send_msg(struct lsp_server *s, json_object *msg)
{
	(void)s;
	size_t n;
	const char *t = json_object_to_json_string_length(msg, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	printf("Content-Length: %zu\r\n\r\n", n);
	fwrite(t, 1, n, stdout);
	fflush(stdout);
	json_object_put(msg);
}

static json_object *envelope(json_object *id)
{
	json_object *m = json_object_new_object();
	json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(m, "id", id ? json_object_get(id) : NULL);
	return m;
}

static void reply(struct lsp_server *s, json_object *id, json_object *result)
{
	json_object *m = envelope(id);
	json_object_object_add(m, "result", result);
	s->send(s, m);
}

static void reply_error(struct lsp_server *s, json_object *id, int code, const char *msg)
{
	json_object *m = envelope(id), *e = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_int(code));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(m, "error", e);
	s->send(s, m);
}

static json_object *jstrs(const char *const *v)
{
	json_object *a = json_object_new_array();
	for (; *v; v++)
		json_object_array_add(a, json_object_new_string(*v));
	return a;
}

static json_object *initialize(struct lsp_server *s, json_object *params)
{
	/* utf-8 when the client offers it (no conversion), else utf-16 */
	json_object *encs = lsp_get(lsp_get(lsp_get(params, "capabilities"), "general"),
				    "positionEncodings");
	s->utf8 = false;
	if (encs && json_object_is_type(encs, json_type_array))
		for (size_t i = 0; i < json_object_array_length(encs); i++) {
			const char *e = json_object_get_string(json_object_array_get_idx(encs, i));
			if (e && strcmp(e, "utf-8") == 0)
				s->utf8 = true;
		}
	json_object *caps = json_object_new_object();
	json_object_object_add(caps, "positionEncoding",
			       json_object_new_string(s->utf8 ? "utf-8" : "utf-16"));
	json_object *sync = json_object_new_object();
	json_object_object_add(sync, "openClose", json_object_new_boolean(1));
	json_object_object_add(sync, "change", json_object_new_int(2)); /* incremental */
	json_object *save = json_object_new_object();
	json_object_object_add(save, "includeText", json_object_new_boolean(0));
	json_object_object_add(sync, "save", save);
	json_object_object_add(caps, "textDocumentSync", sync);
	json_object_object_add(caps, "definitionProvider", json_object_new_boolean(1));
	json_object_object_add(caps, "referencesProvider", json_object_new_boolean(1));
	json_object_object_add(caps, "hoverProvider", json_object_new_boolean(1));
	json_object *comp = json_object_new_object();
	static const char *const triggers[] = { ":", "(", "=", "<", "[", NULL };
	json_object_object_add(comp, "triggerCharacters", jstrs(triggers));
	json_object_object_add(caps, "completionProvider", comp);
	json_object *ren = json_object_new_object();
	json_object_object_add(ren, "prepareProvider", json_object_new_boolean(1));
	json_object_object_add(caps, "renameProvider", ren);
	json_object_object_add(caps, "documentSymbolProvider", json_object_new_boolean(1));
	json_object_object_add(caps, "documentFormattingProvider", json_object_new_boolean(1));
	json_object *r = json_object_new_object(), *info = json_object_new_object();
	json_object_object_add(r, "capabilities", caps);
	json_object_object_add(info, "name", json_object_new_string("apic"));
	json_object_object_add(info, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(r, "serverInfo", info);
	return r;
}

typedef json_object *(*feature_fn)(struct lsp_server *, json_object *);

static const struct {
	const char *method;
	feature_fn fn;
} features[] = {
	{ "textDocument/definition", lsp_definition },
	{ "textDocument/references", lsp_references },
	{ "textDocument/hover", lsp_hover },
	{ "textDocument/completion", lsp_completion },
	{ "textDocument/documentSymbol", lsp_symbols },
	{ "textDocument/formatting", lsp_formatting },
};

/* Handles one message; returns false after `exit`. */
static bool handle(struct lsp_server *s, json_object *msg, int *status)
{
	if (!json_object_is_type(msg, json_type_object)) {
		reply_error(s, NULL, RPC_INVALID_REQUEST, "a message is a JSON object");
		return true;
	}
	json_object *id = lsp_get(msg, "id");
	bool has_id = json_object_object_get_ex(msg, "id", NULL);
	const char *method = lsp_str(msg, "method");
	json_object *params = lsp_get(msg, "params");
	if (!method) {
		if (!has_id || lsp_get(msg, "result") || lsp_get(msg, "error"))
			return true; /* a response to nothing we asked: ignore */
		reply_error(s, id, RPC_INVALID_REQUEST, "no method");
		return true;
	}
	if (has_id && id && !json_object_is_type(id, json_type_int) &&
	    !json_object_is_type(id, json_type_string)) {
		reply_error(s, NULL, RPC_INVALID_REQUEST, "an id is a number or a string");
		return true;
	}
	if (strcmp(method, "exit") == 0) {
		*status = s->shutdown ? 0 : 1;
		return false;
	}
	if (!has_id) { /* a notification: never answered */
		if (!s->initialized || s->shutdown)
			return true;
		if (strcmp(method, "textDocument/didOpen") == 0)
			lsp_did_open(s, params);
		else if (strcmp(method, "textDocument/didChange") == 0)
			lsp_did_change(s, params);
		else if (strcmp(method, "textDocument/didClose") == 0)
			lsp_did_close(s, params);
		else if (strcmp(method, "textDocument/didSave") == 0)
			lsp_did_save(s, params);
		return true;
	}
	if (strcmp(method, "initialize") == 0) {
		if (s->initialized)
			reply_error(s, id, RPC_INVALID_REQUEST, "initialize was already sent");
		else {
			s->initialized = true;
			reply(s, id, initialize(s, params));
		}
		return true;
	}
	if (!s->initialized) {
		reply_error(s, id, RPC_SERVER_NOT_INITIALIZED, "initialize first");
		return true;
	}
	if (s->shutdown) {
		reply_error(s, id, RPC_INVALID_REQUEST, "the server is shut down");
		return true;
	}
	lsp_docs_flush(s); /* a request sees every change before it */
	if (strcmp(method, "shutdown") == 0) {
		s->shutdown = true;
		reply(s, id, NULL);
		return true;
	}
	for (size_t i = 0; i < sizeof features / sizeof *features; i++)
		if (strcmp(method, features[i].method) == 0) {
			reply(s, id, features[i].fn(s, params));
			return true;
		}
	bool prep = strcmp(method, "textDocument/prepareRename") == 0;
	if (prep || strcmp(method, "textDocument/rename") == 0) {
		int err = 0;
		const char *emsg = NULL;
		json_object *r = prep ? lsp_prepare_rename(s, params, &err, &emsg)
				      : lsp_rename(s, params, &err, &emsg);
		if (err)
			reply_error(s, id, err, emsg);
		else
			reply(s, id, r);
		return true;
	}
	reply_error(s, id, RPC_METHOD_NOT_FOUND, "method not found");
	return true;
}

/* Standard input, buffered here so that "more input is waiting" can be
 * asked (a burst of changes is then analysed once). */
struct reader {
	char buf[65536];
	size_t pos, len;
	bool eof;
};

static bool fill(struct reader *r)
{
	if (r->pos < r->len)
		return true;
	if (r->eof)
		return false;
	for (;;) {
		ssize_t k = read(STDIN_FILENO, r->buf, sizeof r->buf);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r->eof = true;
			return false;
		}
		r->pos = 0;
		r->len = (size_t)k;
		return true;
	}
}

static bool pending(const struct reader *r)
{
	if (r->pos < r->len)
		return true;
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	return !r->eof && poll(&p, 1, 0) > 0;
}

static int get_byte(struct reader *r)
{
	return fill(r) ? (unsigned char)r->buf[r->pos++] : EOF;
}

/* One header line without its line end, at most cap - 1 bytes kept;
 * false at the end of input. */
static bool get_line(struct reader *r, char *line, size_t cap, bool *any)
{
	size_t k = 0;
	int c;
	while ((c = get_byte(r)) != EOF && c != '\n') {
		*any = true;
		if (k + 1 < cap)
			line[k++] = (char)c;
	}
	while (k && line[k - 1] == '\r')
		k--;
	line[k] = '\0';
	return c != EOF;
}

static size_t get_bytes(struct reader *r, char *dst, size_t n)
{
	size_t got = 0;
	while (got < n && fill(r)) {
		size_t k = r->len - r->pos < n - got ? r->len - r->pos : n - got;
		memcpy(dst + got, r->buf + r->pos, k);
		r->pos += k;
		got += k;
	}
	return got;
}

/* Reads the header block of one message. Returns the Content-Length, -1 at
 * the end of input, -2 for a block without a valid Content-Length. */
static long long read_header(struct reader *in)
{
	char line[1024];
	long long n = -2;
	bool any = false;
	for (;;) {
		bool seen = false;
		if (!get_line(in, line, sizeof line, &seen))
			return any || seen ? -2 : -1;
		if (line[0] == '\0') {
			if (!any)
				continue; /* blank lines between messages */
			return n;
		}
		any = true;
		if (strncasecmp(line, "Content-Length:", 15) == 0) {
			char *end;
			errno = 0;
			long long v = strtoll(line + 15, &end, 10);
			while (*end == ' ' || *end == '\t')
				end++;
			n = errno || *end || v < 0 ? -2 : v;
		}
	}
}

int lsp_main(void)
{
	struct lsp_server s = { .send = send_msg };
	struct reader *in = calloc(1, sizeof *in);
	if (!in)
		arena_oom_handler();
	int status = 1; /* the input ended without exit */
	json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	if (!tok)
		arena_oom_handler();
	for (;;) {
		if (!pending(in))
			lsp_docs_flush(&s);
		long long n = read_header(in);
		if (n == -1)
			break;
		if (n == -2) {
			reply_error(&s, NULL, RPC_PARSE_ERROR, "no valid Content-Length header");
			continue;
		}
		if ((unsigned long long)n > LSP_MAX_MESSAGE) {
			fprintf(stderr, "apic lsp: a message of %lld bytes: too large\n", n);
			break;
		}
		char *body = malloc((size_t)n + 1);
		if (!body)
			arena_oom_handler();
		size_t got = get_bytes(in, body, (size_t)n);
		body[got] = '\0';
		if (got < (size_t)n) {
			free(body);
			break;
		}
		json_tokener_reset(tok);
		json_object *msg = json_tokener_parse_ex(tok, body, (int)n);
		enum json_tokener_error je = json_tokener_get_error(tok);
		bool whole = je == json_tokener_success && (size_t)json_tokener_get_parse_end(tok) == (size_t)n;
		if (je == json_tokener_success && !whole) {
			/* trailing bytes after the value: only white space is fine */
			whole = true;
			for (size_t i = json_tokener_get_parse_end(tok); i < (size_t)n; i++)
				if (!strchr(" \t\r\n", body[i]))
					whole = false;
		}
		free(body);
		if (!whole || n == 0) {
			json_object_put(msg);
			reply_error(&s, NULL, RPC_PARSE_ERROR, "the message is not valid JSON");
			continue;
		}
		bool go = handle(&s, msg, &status);
		json_object_put(msg);
		if (!go)
			break;
	}
	json_tokener_free(tok);
	lsp_docs_free(&s);
	free(in);
	return status;
}
