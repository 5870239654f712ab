/* The chat example: the handlers of examples/chat/chat.apic and main().
 * Rooms exist while they have members; a member joins with a WebSocket
 * (GET /rooms/{room}/ws?name=alice) and every message it sends goes to
 * every member of its room, the sender included, with who sent it and
 * when. The browser page is served at /. Everything about members runs on
 * the event loop's thread except listRooms and the join, so the room list
 * has one mutex. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "chat.h"
#include "page.h"

struct member {
	struct member *next;
	struct apic_ws *ws;
	struct room *room;
	char name[130];               /* 32 code points of UTF-8, at most */
	bool joined;
};

struct room {
	struct room *next;
	char name[65];
	struct member *members;
	int count;
};

static pthread_mutex_t rooms_mu = PTHREAD_MUTEX_INITIALIZER;
static struct room *rooms;

int chat_list_rooms(struct apic_ctx *ctx, const struct chat_list_rooms__params *in)
{
	(void)in;
	pthread_mutex_lock(&rooms_mu);
	size_t n = 0;
	for (struct room *r = rooms; r; r = r->next)
		n++;
	struct chat_room *list = apic_ctx_alloc(ctx, (n ? n : 1) * sizeof *list);
	size_t i = 0;
	for (struct room *r = rooms; r && list; r = r->next, i++)
		list[i] = (struct chat_room){ .name = { apic_ctx_strndup(ctx, r->name, strlen(r->name)), strlen(r->name) },
					      .members = r->count };
	pthread_mutex_unlock(&rooms_mu);
	if (list == NULL)
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	return chat_list_rooms__reply_200(ctx, list, n);
}

static void opened(struct apic_ws *ws, void *cls)
{
	struct member *m = cls;
	m->ws = ws;
	pthread_mutex_lock(&rooms_mu);
	struct room *r = rooms;
	while (r && strcmp(r->name, m->room->name) != 0)
		r = r->next;
	if (r == NULL) {
		r = m->room; /* the new member's own: now the room */
		r->next = rooms;
		rooms = r;
	} else {
		free(m->room);
		m->room = r;
	}
	m->next = r->members;
	r->members = m;
	r->count++;
	m->joined = true;
	pthread_mutex_unlock(&rooms_mu);
}

static int message(struct apic_ws *ws, const struct chat_chat_in *msg, void *cls)
{
	(void)ws;
	struct member *m = cls;
	struct timeval tv;
	struct tm tm;
	char at[32];
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	size_t k = strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(at + k, sizeof at - k, ".%03dZ", (int)(tv.tv_usec / 1000));
	struct chat_chat_out out = { .from = { m->name, strlen(m->name) }, .text = msg->text,
				     .at = { at, strlen(at) } };
	pthread_mutex_lock(&rooms_mu);
	for (struct member *o = m->room->members; o; o = o->next)
		chat_join_room__send(o->ws, &out);
	pthread_mutex_unlock(&rooms_mu);
	return 0;
}

static void closed(struct apic_ws *ws, int code, void *cls)
{
	(void)ws;
	(void)code;
	struct member *m = cls;
	pthread_mutex_lock(&rooms_mu);
	if (m->joined) {
		struct room *r = m->room;
		for (struct member **pp = &r->members; *pp; pp = &(*pp)->next)
			if (*pp == m) {
				*pp = m->next;
				break;
			}
		if (--r->count == 0) {
			for (struct room **pp = &rooms; *pp; pp = &(*pp)->next)
				if (*pp == r) {
					*pp = r->next;
					break;
				}
			free(r);
		}
	} else {
		free(m->room);
	}
	pthread_mutex_unlock(&rooms_mu);
	free(m);
}

static const struct chat_join_room__socket callbacks = { opened, message, closed };

int chat_join_room(struct apic_ctx *ctx, const struct chat_join_room__params *in)
{
	struct member *m = calloc(1, sizeof *m);
	struct room *r = calloc(1, sizeof *r);
	if (m == NULL || r == NULL) {
		free(m);
		free(r);
		return apic_ctx_reply_error(ctx, 500, "out of memory");
	}
	snprintf(m->name, sizeof m->name, "%.*s", (int)in->name.len, in->name.ptr);
	snprintf(r->name, sizeof r->name, "%.*s", (int)in->room.len, in->room.ptr);
	m->room = r;
	int rc = chat_join_room__accept(ctx, &callbacks, m);
	if (apic_ctx_ws_accepted(ctx))
		return rc;
	free(r); /* refused (426, 403, 503): no WebSocket, no callback */
	free(m);
	return rc;
}

int main(int argc, char **argv)
{
	struct apic_server *srv = apic_server_new(&chat_api);
	if (srv == NULL)
		return 1;
	if (apic_server_add_static(srv, "/", "text/html; charset=utf-8", chat_page, sizeof chat_page - 1) != 0) {
		apic_server_free(srv);
		return 1;
	}
	int rc = apic_server_parse_args(srv, argc, argv);
	if (rc == 0)
		rc = apic_server_run(srv);
	else if (rc == APIC_ARGS_EXIT)
		rc = 0;
	apic_server_free(srv);
	return rc;
}
