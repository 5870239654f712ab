#!/bin/bash
# A local scale-out of the Conduit example, thrown away on exit: a
# PostgreSQL cluster in a temporary directory, N Conduit instances on it and
# HAProxy in front (haproxy.cfg.in), all on loopback ports the kernel picks.
# Ctrl-C (or any exit) stops them, each by its PID, and removes the
# directory.
#
#     examples/deploy/local.sh [-n N] [-p PORT] [CONDUIT]
#
# N instances (default 2); HAProxy on 127.0.0.1:PORT (default a free one);
# CONDUIT is the server binary (default examples/conduit/conduit in the
# current directory, a build directory). As root, PostgreSQL runs as the
# user "postgres" (it refuses root).
set -eu
n=2
port=
while getopts n:p: opt; do
	case $opt in
	n) n=$OPTARG ;;
	p) port=$OPTARG ;;
	*) echo "usage: $0 [-n N] [-p PORT] [CONDUIT]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
here=$(cd "$(dirname "$0")" && pwd)
conduit=${1:-$PWD/examples/conduit/conduit}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
haproxy=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
for f in "$conduit" "$pg_bin/initdb" "$pg_bin/postgres" "$haproxy"; do
	[ -x "$f" ] || { echo "$0: $f not found" >&2; exit 1; }
done

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
dir=$(mktemp -d "${TMPDIR:-/tmp}/conduit-deploy.XXXXXX")
pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg=()
if [ "$(id -u)" = 0 ]; then
	chown postgres "$dir"
	as_pg=(setpriv --reuid=postgres --regid="$(id -g postgres)" --init-groups --)
fi
pg_port=$(free_port)
"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U conduit -A trust --no-locale -E UTF8 >"$dir/initdb.log"
"${as_pg[@]}" "$pg_bin/postgres" -D "$dir/data" -p "$pg_port" -k "$dir" \
	-c listen_addresses=127.0.0.1 >"$dir/postgres.log" 2>&1 &
pids+=($!)
until "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U conduit -d postgres -c 'SELECT 1' >/dev/null 2>&1; do
	sleep 0.1
done
"$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U conduit -d postgres -c 'CREATE DATABASE conduit'
uri=postgresql://conduit@127.0.0.1:$pg_port/conduit

servers=
export CONDUIT_JWT_SECRET=${CONDUIT_JWT_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
for k in $(seq 1 "$n"); do
	p=$(free_port)
	"$conduit" --bind 127.0.0.1 --port "$p" --db "$uri" --threads 1 --db-pool 2 \
		--drain-delay 3 --trusted-proxy 127.0.0.1 \
		>"$dir/conduit-$k.log" 2>&1 &
	pids+=($!)
	servers+="	server c$k 127.0.0.1:$p"$'\n'
done
[ -n "$port" ] || port=$(free_port)
awk -v listen="127.0.0.1:$port" -v servers="$servers" \
	'{ gsub(/@LISTEN@/, listen); if ($0 == "@SERVERS@") printf "%s", servers; else print }' \
	"$here/haproxy.cfg.in" >"$dir/haproxy.cfg"
"$haproxy" -f "$dir/haproxy.cfg" -db >"$dir/haproxy.log" 2>&1 &
pids+=($!)
echo "conduit: http://127.0.0.1:$port/api through HAProxy, $n instances on $uri"
echo "logs in $dir; Ctrl-C stops everything"
wait
