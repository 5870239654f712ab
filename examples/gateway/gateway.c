/* The dashboard gateway (examples/gateway/gateway.apic; README.md there):
 * GET /dashboard makes three upstream calls at once through the generated
 * C clients of schemas/petstore.apic and schemas/conduit.apic, on
 * libapic's event loop, and answers one Dashboard, or the problem detail
 * of the first call that failed. One client per upstream, shared by every
 * request (its connections kept alive); the credentials come from the
 * environment and appear in no answer and no log line. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "petstore.client.h"
#include "conduit.client.h"

static struct apic_client *pets, *conduit;
static unsigned timeout_ms = 1000;

/* ---- one dashboard: three calls, the first failure or the last answer replies ---------- */

struct dash {
	struct apic_ctx *ctx;
	atomic_uint refs;           /* the calls not back, + 1 for the handler */
	atomic_bool replied;        /* whoever sets it replies; then ctx is gone */
	struct petstore_list_pets__result *p;
	struct conduit_get_articles__result *a;
	struct conduit_get_tags__result *t;
};

/* The problem detail of a call that failed (README.md's table): 502 or
 * 504, naming the upstream and the operation. The upstream's own error
 * body is not passed on. */
static void reply_failed(struct apic_ctx *ctx, const char *upstream, const char *op,
			 const struct apic_call *call)
{
	const char *who = apic_ctx_printf(ctx, "%s %s", upstream, op);
	const char *detail;
	int status = 502;
	switch (call->error) {
	case APIC_CALL_OK:
	case APIC_CALL_STATUS:
		detail = apic_ctx_printf(ctx, "%s: answered %d", who, call->status);
		break;
	case APIC_CALL_TIMEOUT:
		status = 504;
		detail = apic_ctx_printf(ctx, "%s: no answer within %u ms", who, timeout_ms);
		break;
	case APIC_CALL_BODY:
		if (call->nviolations)
			detail = apic_ctx_printf(ctx, "%s: off contract at '%s': %s", who,
						 call->violations[0].pointer, call->violations[0].message);
		else
			detail = apic_ctx_printf(ctx, "%s: off contract: %s", who, call->message);
		break;
	case APIC_CALL_CONNECT:
	case APIC_CALL_TRANSPORT:
		detail = apic_ctx_printf(ctx, "%s: unreachable (%s)", who, call->message);
		break;
	case APIC_CALL_CANCELLED:
		detail = apic_ctx_printf(ctx, "%s: cancelled (the gateway is stopping)", who);
		break;
	default:
		detail = apic_ctx_printf(ctx, "%s: the call could not be made (%s)", who, call->message);
		break;
	}
	apic_ctx_reply_error(ctx, status, detail ? detail : "an upstream call failed");
}

static bool ok(const struct apic_call *call)
{
	return call->error == APIC_CALL_OK && call->status == 200;
}

static enum gateway_pet_status pet_status(const struct petstore_pet *p)
{
	if (!p->has_status)
		return GATEWAY_PET_STATUS_AVAILABLE; /* the pet store's default */
	switch (p->status) {
	case PETSTORE_PET_STATUS_PENDING: return GATEWAY_PET_STATUS_PENDING;
	case PETSTORE_PET_STATUS_SOLD: return GATEWAY_PET_STATUS_SOLD;
	default: return GATEWAY_PET_STATUS_AVAILABLE;
	}
}

/* The three are back and good: the Dashboard, in the request's memory
 * (its strings still the results', freed after the reply). */
static void reply_dashboard(struct dash *d)
{
	struct apic_ctx *ctx = d->ctx;
	size_t np = d->p->body_200_count;
	const struct conduit_multiple_articles_response *ar = d->a->body_200;
	size_t na = ar ? ar->articles_count : 0;
	struct gateway_pet_summary *ps = apic_ctx_alloc(ctx, (np + 1) * sizeof *ps);
	const struct gateway_pet_summary **pp = apic_ctx_alloc(ctx, (np + 1) * sizeof *pp);
	struct gateway_article_summary *as = apic_ctx_alloc(ctx, (na + 1) * sizeof *as);
	const struct gateway_article_summary **ap = apic_ctx_alloc(ctx, (na + 1) * sizeof *ap);
	if (ps == NULL || pp == NULL || as == NULL || ap == NULL) {
		apic_ctx_reply_error(ctx, 500, "out of memory");
		return;
	}
	for (size_t i = 0; i < np; i++) {
		const struct petstore_pet *p = d->p->body_200[i];
		ps[i] = (struct gateway_pet_summary){
			.id = p->id, .name = p->name, .tag = p->tag, .has_tag = p->has_tag,
			.status = pet_status(p),
		};
		pp[i] = &ps[i];
	}
	for (size_t i = 0; i < na; i++) {
		const struct conduit_article_list_item *x = ar->articles[i];
		as[i] = (struct gateway_article_summary){
			.slug = x->slug, .title = x->title, .description = x->description,
			.tag_list = x->tag_list, .tag_list_count = x->tag_list_count,
			.created_at = x->created_at, .favorites_count = x->favorites_count,
			.author = x->author ? x->author->username : (struct apic_str){ "", 0 },
		};
		ap[i] = &as[i];
	}
	const struct conduit_tags_response *tr = d->t->body_200;
	struct gateway_dashboard m = {
		.pets = pp, .pets_count = np,
		.articles = ap, .articles_count = na,
		.tags = tr ? tr->tags : NULL, .tags_count = tr ? tr->tags_count : 0,
	};
	gateway_get_dashboard__reply_200(ctx, &m);
}

/* The last reference (a call's callback, or the handler) replies with the
 * Dashboard when no failure replied first, then frees the results. */
static void dash_release(struct dash *d)
{
	if (atomic_fetch_sub(&d->refs, 1) != 1)
		return;
	if (!atomic_exchange(&d->replied, true))
		reply_dashboard(d); /* every call is back and good */
	petstore_list_pets__result_free(d->p);
	conduit_get_articles__result_free(d->a);
	conduit_get_tags__result_free(d->t);
	free(d);
}

/* One call is back (on the loop's thread): a failure replies at once if
 * nothing did; the answers still to come are then dropped. */
static void came_back(struct dash *d, const char *upstream, const char *op, const struct apic_call *call)
{
	if (!ok(call) && !atomic_exchange(&d->replied, true))
		reply_failed(d->ctx, upstream, op, call);
	dash_release(d);
}

static void pets_back(struct petstore_list_pets__result *r, void *cls)
{
	struct dash *d = cls;
	d->p = r;
	came_back(d, "petstore", "listPets", &r->call);
}

static void articles_back(struct conduit_get_articles__result *r, void *cls)
{
	struct dash *d = cls;
	d->a = r;
	came_back(d, "conduit", "GetArticles", &r->call);
}

static void tags_back(struct conduit_get_tags__result *r, void *cls)
{
	struct dash *d = cls;
	d->t = r;
	came_back(d, "conduit", "GetTags", &r->call);
}

/* A call that could not be started: it will not come back. */
static void not_started(struct dash *d, const char *what)
{
	if (!atomic_exchange(&d->replied, true))
		apic_ctx_reply_error(d->ctx, 502, apic_ctx_printf(d->ctx, "%s: the call could not be started", what));
	dash_release(d);
}

int gateway_get_dashboard(struct apic_ctx *ctx, const struct gateway_get_dashboard__params *in)
{
	struct dash *d = calloc(1, sizeof *d);
	if (d == NULL)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	if (apic_ctx_suspend(ctx, NULL, NULL) != 0) {
		free(d);
		return apic_ctx_reply_error(ctx, 500, "cannot suspend");
	}
	d->ctx = ctx;
	atomic_init(&d->refs, 4);
	atomic_init(&d->replied, false);
	int64_t limit = in->has_limit ? in->limit : 5;
	/* the calls carry the request's X-Request-Id on */
	if (petstore_client_list_pets_start(pets, &(struct petstore_list_pets__params){
		    .limit = (int32_t)limit, .has_limit = true }, pets_back, d) != 0)
		not_started(d, "petstore listPets");
	if (conduit_client_get_articles_start(conduit, &(struct conduit_get_articles__params){
		    .limit = limit, .has_limit = true }, articles_back, d) != 0)
		not_started(d, "conduit GetArticles");
	if (conduit_client_get_tags_start(conduit, &(struct conduit_get_tags__params){ 0 }, tags_back, d) != 0)
		not_started(d, "conduit GetTags");
	dash_release(d); /* the handler's reference */
	return 0;
}

/* ---- start -------------------------------------------------------------------------- */

static const char *need_env(const char *name)
{
	const char *v = getenv(name);
	if (v == NULL || *v == '\0') {
		fprintf(stderr, "gateway: %s is not set (see examples/gateway/README.md)\n", name);
		return NULL;
	}
	return v;
}

static bool env_uint(const char *name, unsigned dflt, unsigned lo, unsigned hi, unsigned *out)
{
	const char *v = getenv(name);
	*out = dflt;
	if (v == NULL || *v == '\0')
		return true;
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "gateway: %s=%s: not a number from %u to %u\n", name, v, lo, hi);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* The API root as the README gives it (".../v1") less the schema's
 * basepath, which the client adds. */
static char *server_root(const char *url, const char *basepath)
{
	size_t n = strlen(url), b = strlen(basepath);
	while (n > 0 && url[n - 1] == '/')
		n--;
	if (n >= b && memcmp(url + n - b, basepath, b) == 0)
		n -= b;
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, url, n);
		s[n] = '\0';
	}
	return s;
}

static struct apic_client *make_client(const char *label, struct apic_client *(*make)(const char *),
				       const char *url, const char *basepath, unsigned conns)
{
	char *root = server_root(url, basepath);
	struct apic_client *c = root ? make(root) : NULL;
	free(root);
	if (c == NULL) {
		fprintf(stderr, "gateway: cannot make the %s client for %s\n", label, url);
		return NULL;
	}
	unsigned connect = timeout_ms < 1000 ? timeout_ms : 1000;
	apic_client_set_timeouts(c, connect, timeout_ms);
	apic_client_set_retries(c, 0, 0); /* the dashboard has its own deadline */
	apic_client_set_max_connections(c, conns);
	return c;
}

/* No CONDUIT_TOKEN: log in with CONDUIT_EMAIL and CONDUIT_PASSWORD (a
 * blocking call, before the server starts). The JWT, malloc'd, or NULL. */
static char *log_in_to_conduit(void)
{
	const char *email = getenv("CONDUIT_EMAIL"), *password = getenv("CONDUIT_PASSWORD");
	if (email == NULL || password == NULL || *email == '\0') {
		fprintf(stderr, "gateway: CONDUIT_TOKEN is not set, nor CONDUIT_EMAIL and CONDUIT_PASSWORD "
			"to log in with (see examples/gateway/README.md)\n");
		return NULL;
	}
	struct conduit_login_user u = { { email, strlen(email) }, { password, strlen(password) } };
	struct conduit_login_user_request rq = { &u };
	struct conduit_login__result r;
	char *jwt = NULL;
	if (conduit_client_login(conduit, &(struct conduit_login__params){ &rq }, &r) == 0 &&
	    r.call.status == 200 && r.body_200 && r.body_200->user)
		jwt = strndup(r.body_200->user->token.ptr, r.body_200->user->token.len);
	else if (r.call.error == APIC_CALL_OK || r.call.error == APIC_CALL_STATUS)
		fprintf(stderr, "gateway: conduit login as %s: answered %d\n", email, r.call.status);
	else
		fprintf(stderr, "gateway: conduit login as %s: %s\n", email, r.call.message);
	conduit_login__result_free(&r);
	return jwt;
}

int main(int argc, char **argv)
{
	struct apic_server *srv = apic_server_new(&gateway_api);
	if (srv == NULL)
		return 1;
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc != 0) {
		apic_server_free(srv);
		return rc == APIC_ARGS_EXIT ? 0 : rc;
	}
	rc = 1;
	char *jwt = NULL;
	unsigned conns;
	const char *pet_url = need_env("PETSTORE_URL"), *pet_token = pet_url ? need_env("PETSTORE_TOKEN") : NULL;
	const char *conduit_url = pet_token ? need_env("CONDUIT_URL") : NULL;
	if (conduit_url == NULL || !env_uint("UPSTREAM_TIMEOUT_MS", 1000, 1, 600000, &timeout_ms) ||
	    !env_uint("UPSTREAM_CONNECTIONS", 512, 1, 65536, &conns))
		goto out;
	pets = make_client("petstore", petstore_client_new, pet_url, "/v1", conns);
	conduit = pets ? make_client("conduit", conduit_client_new, conduit_url, "/api", conns) : NULL;
	if (conduit == NULL)
		goto out;
	const char *token = getenv("CONDUIT_TOKEN");
	if (token == NULL || *token == '\0') {
		if ((jwt = log_in_to_conduit()) == NULL)
			goto out;
		token = jwt;
	}
	/* listPets declares no security (the pet store lists without one),
	 * but the gateway's pet store may check it: sent on every call */
	char bearer[4096];
	int bn = snprintf(bearer, sizeof bearer, "Bearer %s", pet_token);
	if (bn < 0 || (size_t)bn >= sizeof bearer || apic_client_add_header(pets, "Authorization", bearer) != 0 ||
	    apic_client_set_token(conduit, "Token", token) != 0 ||
	    apic_client_attach(pets, srv) != 0 || apic_client_attach(conduit, srv) != 0) {
		fprintf(stderr, "gateway: cannot set up the upstream clients\n");
		goto out;
	}
	rc = apic_server_run(srv);
out:
	/* after the server stopped (calls in flight were cancelled), before it is freed */
	apic_client_free(pets);
	apic_client_free(conduit);
	apic_server_free(srv);
	free(jwt);
	return rc;
}
