#!/bin/sh
# systemd socket activation (examples/deploy/conduit@.service could use
# it): under systemd-socket-activate, which listens and execs the server
# with the socket as descriptor 3, the server serves on that socket (its
# --port ignored), logs its real address, and stops with status 0 on
# SIGTERM. Skipped without systemd-socket-activate.
set -u
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/conduit/lib.sh"

activate=$(command -v systemd-socket-activate)
if [ -z "$activate" ]; then
	echo "1..0 # SKIP systemd-socket-activate not found (apt-get install systemd)"
	exit 0
fi
echo "1..3"
p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$activate" -l "127.0.0.1:$p" "$CONDUIT_BIN" --db "$workdir/conduit.db" --port 9 \
	>"$workdir/server.log" 2>&1 &
server_pid=$!
code=
for i in $(seq 1 100); do
	code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/api/tags")
	[ "$code" = 200 ] && break
	sleep 0.1
done
is "$code" 200 "the server answers on the socket systemd-socket-activate made"
grep -q "listening on http://127.0.0.1:$p/ (.*socket from systemd)" "$workdir/server.log"
ok $? "it logs that socket's address"
stop_server
is "$server_status" 0 "SIGTERM: status 0"
[ "$tap_failed" -eq 0 ] || diag "$(cat "$workdir/server.log")"
[ "$tap_failed" -eq 0 ]
