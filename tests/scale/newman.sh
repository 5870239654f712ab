#!/bin/sh
# The official RealWorld Postman collection through HAProxy in front of two
# Conduit instances sharing one PostgreSQL database (tests/scale/lib.sh),
# run twice (new user names the second time): every request executed,
# every assertion holds; then both instances stop cleanly on SIGTERM.
set -u
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/conduit/lib.sh"
. "$top_srcdir/tests/scale/lib.sh"

why=
[ -x "$newman" ] || why="newman is not installed: run ./setup.sh deps"
# HAProxy connects from 127.0.0.2, the only trusted proxy: the instances
# take the client from its X-Forwarded-For, and from nobody else's.
PROXY_SOURCE=127.0.0.2
TRUSTED_PROXY=127.0.0.2
scale_setup 10 "$why"

stamp=$$$(date +%s)
newman_run 1 "first$stamp" "$proxy/api" "through HAProxy, 2 instances"
newman_run 2 "second$stamp" "$proxy/api" "through HAProxy, 2 instances"
# Both instances served: each logged requests under /api.
for k in 1 2; do
	n=$(grep -c ' /api/' "$workdir/inst-$k.log")
	[ "$n" -gt 0 ]
	ok $? "instance $k answered $n API requests"
done
# --trusted-proxy: a client's own X-Forwarded-For does not name it.
curl -sS -o /dev/null -H 'X-Forwarded-For: 203.0.113.7' "$proxy/api/profiles/xffprobe1"
curl -sS -o /dev/null -H 'X-Forwarded-For: 203.0.113.7' "http://127.0.0.1:${inst_port[1]}/api/profiles/xffprobe2"
sleep 0.5 # the access log is written by its own thread
line=$(grep -h 'xffprobe1' "$workdir"/inst-*.log)
case $line in *' 127.0.0.1 GET /api/profiles/xffprobe1 '*) r=0 ;; *) r=1 ;; esac
ok $r "through the trusted proxy the access log names the client as the proxy saw it, not the proxy nor the forged address"
[ $r -eq 0 ] || diag "$line"
line=$(grep -h 'xffprobe2' "$workdir"/inst-1.log)
case $line in *' 127.0.0.1 GET /api/profiles/xffprobe2 '*) r=0 ;; *) r=1 ;; esac
ok $r "from an untrusted peer X-Forwarded-For is ignored"
[ $r -eq 0 ] || diag "$line"
n=$(grep '^[^ ]* 127\.0\.0\.2 ' "$workdir"/inst-1.log | grep -vc ' /readyz ')
is "$n" 0 "no access log line names the proxy's own address (but its health checks, which forward nobody)"
inst_stop 1
inst_stop 2
! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$workdir"/inst-*.log
ok $? "both instances stopped on SIGTERM with status ${inst_status[1]} and ${inst_status[2]}, no sanitizer report"
[ "${inst_status[1]}" = 0 ] && [ "${inst_status[2]}" = 0 ] || tap_failed=$((tap_failed + 1))
[ "$tap_failed" -eq 0 ]
