#!/bin/sh
# Server-Sent Events on a real server (tests/async/async.apic, GET /ticks):
# several clients get the same events in order, with ids; a client that
# reconnects with Last-Event-ID gets what it missed; a client that reads
# nothing is dropped (a log line) while the others get every event;
# --max-streams answers 503 beyond it; SIGTERM ends the open streams
# cleanly and the server exits 0.
b="$top_builddir/tests/async"
d="$b/sse.d"
mkdir -p "$d"
. "$top_srcdir/tests/http/server.sh"
start_server "$d/server.log" "$b/async-server" --max-streams 5 --stream-queue 2m --heartbeat 1
u="http://127.0.0.1:$port"
if [ -z "$port" ]; then
	echo "not ok 1 - server starts"; cat "$d/server.log"; echo "1..1"; exit 1
fi
check "server starts" test -n "$port"
subs_are() { [ "$(curl -s "$u/ticks/subscribers")" = "$1" ]; }
# ids and n of the events a client received, "id n" per line
events_of() {
	awk '/^id: /{id=$2} /^data: /{sub(/^data: /,""); if (match($0, /"n":[0-9]+/)) print id, substr($0, RSTART+4, RLENGTH-4)}' "$1"
}
pubs() { curl -s -o /dev/null -w '%{http_code}' -X POST "$u/ticks?count=$1&pad=${2:-0}" | grep -qx 204; }

for i in 1 2 3; do
	curl -sN --max-time 60 "$u/ticks" >"$d/c$i.out" 2>/dev/null &
	eval "c$i=\$!"
done
check "three subscribers" eventually subs_are 3
check "publish 20 events" pubs 20
same_events() {
	for i in 1 2 3; do
		[ "$(events_of "$d/c$i.out" | wc -l)" = 20 ] || return 1
	done
	seq 20 | awk '{print $1, $1}' >"$d/want"
	for i in 1 2 3; do events_of "$d/c$i.out" | cmp -s - "$d/want" || return 1; done
}
check "every client got the 20 events, in order, ids 1..20" eventually same_events
check "the stream is text/event-stream and not cached" sh -c \
	"curl -s -D - -o /dev/null --max-time 1 '$u/ticks' | tr -d '\r' | grep -qi '^Content-Type: text/event-stream' && \
	 curl -s -D - -o /dev/null --max-time 1 '$u/ticks' | tr -d '\r' | grep -qi '^Cache-Control: no-store'"
check "heartbeats: comment lines on an idle stream" sh -c "curl -sN --max-time 2.5 '$u/ticks' | grep -qx ':'"

resume() {
	curl -sN --max-time 1 -H 'Last-Event-ID: 15' "$u/ticks" >"$d/resume.out" 2>/dev/null
	events_of "$d/resume.out" | awk '{print $1}' | tr '\n' ' ' | grep -qx '16 17 18 19 20 '
}
check "reconnecting with Last-Event-ID: 15 replays 16..20" resume

# A client that reads (almost) nothing: its queue passes --stream-queue
# while the others read every event.
curl -sN --limit-rate 1k --max-time 60 "$u/ticks" >/dev/null 2>&1 &
slow=$!
check "four subscribers" eventually subs_are 4
burst() { # 40 bursts of 100 events of 10 kB: each fits a reading client's queue
	for _ in $(seq 40); do pubs 100 10000 || return 1; sleep 0.05; done
}
check "publish 4000 events of 10 kB" burst
check "the slow client is dropped, with a log line" eventually grep -q 'does not keep up' "$d/server.log"
check "three subscribers left" eventually subs_are 3
all_got() {
	for i in 1 2 3; do [ "$(events_of "$d/c$i.out" | wc -l)" = 4020 ] || return 1; done
	events_of "$d/c1.out" | awk '$1 != NR || $2 != NR { bad = 1 } END { exit bad }'
}
check "the others got all 4020 events, in order" eventually all_got
kill $slow 2>/dev/null

limit() {
	curl -sN --max-time 30 "$u/ticks" >/dev/null 2>&1 &
	l1=$!
	curl -sN --max-time 30 "$u/ticks" >/dev/null 2>&1 &
	l2=$!
	eventually subs_are 5 || return 1
	code=$(curl -s -o "$d/limit.out" -w '%{http_code}' --max-time 2 "$u/ticks")
	kill $l1 $l2 2>/dev/null
	[ "$code" = 503 ] && grep -q '"status":503' "$d/limit.out"
}
check "beyond --max-streams: 503 problem details" limit
check "a client that leaves is unsubscribed" eventually subs_are 3

stop() {
	kill -TERM "$pid"; wait "$pid"; rc=$?
	r=0
	for i in 1 2 3; do eval "wait \$c$i"; r=$((r + $?)); done
	echo "# server exit $rc, clients' curl exit statuses summed: $r"
	[ "$rc" = 0 ] && [ "$r" = 0 ]
}
check "SIGTERM ends every stream cleanly and the server exits 0" stop

echo "1..$n"
[ "$fails" -eq 0 ]
