# Shared by the scale-out tests (tests/scale/*.sh): a throwaway PostgreSQL
# cluster, Conduit instances on it and HAProxy in front (the configuration
# of examples/deploy/haproxy.cfg.in), all on loopback ports the kernel
# picks, all stopped by PID when the test exits, also on failure. Sourced
# after tests/conduit/lib.sh; needs $top_srcdir and $top_builddir.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
NODE=${NODE:-node}

# Prints why the test cannot run, or nothing.
scale_missing() {
	[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/psql" ] ||
		{ echo "PostgreSQL binaries not found in $PG_BIN (apt-get install postgresql)"; return; }
	[ -x "$HAPROXY" ] || { echo "haproxy not found (apt-get install haproxy)"; return; }
	command -v "$NODE" >/dev/null || { echo "node not found"; return; }
	[ -x "$CONDUIT_BIN" ] || echo "$CONDUIT_BIN not built"
}

# scale_setup PLAN [WHY-NOT]: the test's start. Without what it needs
# (scale_missing, or WHY-NOT) a skip, exit 0; else the TAP plan, then
# PostgreSQL, instances 1 and 2 and HAProxy in front of them, or PLAN
# failures and exit 1 when one did not start.
scale_setup() {
	local why=${2:-} i
	[ -n "$why" ] || why=$(scale_missing)
	if [ -n "$why" ]; then
		echo "1..0 # SKIP $why"
		exit 0
	fi
	echo "1..$1"
	if ! pg_start || ! inst_start 1 || ! inst_start 2 || ! haproxy_start 2; then
		for i in $(seq 1 "$1"); do echo "not ok $i - PostgreSQL, the instances or HAProxy did not start"; done
		exit 1
	fi
}

# load_start: 8 load.mjs clients through the proxy in the background
# ($load_pid) until $workdir/stop exists; results in $workdir/load.json.
load_start() {
	"$NODE" "$top_srcdir/tests/scale/load.mjs" "$proxy" 8 "$workdir/stop" "$workdir/load.json" \
		>"$workdir/load.out" 2>&1 &
	load_pid=$!
}

# A free loopback port: the kernel picks one for a socket bound to port 0.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# PostgreSQL refuses to run as root: as root the cluster belongs to an
# unprivileged user.
pg_user=
if [ "$(id -u)" = 0 ]; then
	pg_user=${APIC_PG_USER:-postgres}
	id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
fi
# A command prefix that runs the rest as that user (setpriv execs: the PID
# of a command started in the background is the program's own).
as_pg=()
[ -z "$pg_user" ] || as_pg=(setpriv --reuid="$pg_user" --regid="$(id -g "$pg_user")" --init-groups --)

pg_pid=
pg_port=
# Its own directory: the test's is private to the user running it.
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/conduit-pg.XXXXXX")
psql_() { "$PG_BIN/psql" -X -q -At -h 127.0.0.1 -p "$pg_port" -U conduit -d "${PGDB:-conduit}" "$@"; }

# Starts (first call: creates) the cluster in $pgdir on $pg_port; database
# "conduit", superuser "conduit", no password on loopback. Returns 1 after a
# diagnostic when it does not come up.
pg_start() {
	if [ ! -d "$pgdir/data" ]; then
		[ -n "$pg_port" ] || pg_port=$(free_port)
		[ -z "$pg_user" ] || chown "$pg_user" "$pgdir"
		"${as_pg[@]}" "$PG_BIN/initdb" -D "$pgdir/data" -U conduit -A trust --no-locale -E UTF8 \
			>"$workdir/initdb.log" 2>&1 || { diag "initdb failed:" "$(tail -n 20 "$workdir/initdb.log")"; return 1; }
		local created=no
	fi
	# fsync off: a test cluster, thrown away at the end.
	"${as_pg[@]}" "$PG_BIN/postgres" -D "$pgdir/data" -p "$pg_port" -k "$pgdir" \
		-c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100 \
		>>"$workdir/postgres.log" 2>&1 &
	pg_pid=$!
	local i
	for i in $(seq 1 100); do
		if PGDB=postgres psql_ -c 'SELECT 1' >/dev/null 2>&1; then
			[ "${created:-}" = no ] && { PGDB=postgres psql_ -c 'CREATE DATABASE conduit' || return 1; }
			return 0
		fi
		kill -0 "$pg_pid" 2>/dev/null || break
		sleep 0.1
	done
	diag "PostgreSQL did not start:" "$(tail -n 20 "$workdir/postgres.log")"
	return 1
}
pg_stop() { # [SIGNAL]: TERM (smart), INT (fast, the default)
	[ -n "$pg_pid" ] || return 0
	kill -"${1:-INT}" "$pg_pid" 2>/dev/null
	wait "$pg_pid" 2>/dev/null
	pg_pid=
}
pg_uri() { echo "postgresql://conduit@127.0.0.1:$pg_port/conduit"; }

# Instances: inst_pid[K], inst_port[K] (K from 1), logs in $workdir/inst-K.log.
declare -a inst_pid inst_port inst_status
INSTANCE_ARGS=${INSTANCE_ARGS:-}
# inst_start K: starts instance K (again on its port, once it has one).
inst_start() {
	local k=$1 log=$workdir/inst-$1.log seen i p
	seen=$( (wc -l <"$log") 2>/dev/null || echo 0)
	# shellcheck disable=SC2086
	"$CONDUIT_BIN" --bind 127.0.0.1 --port "${inst_port[$k]:-0}" --db "$(pg_uri)" \
		--threads 2 --db-pool 2 --drain-delay 3 --strict-responses \
		--trusted-proxy "${TRUSTED_PROXY:-127.0.0.1}" $INSTANCE_ARGS >>"$log" 2>&1 &
	inst_pid[$k]=$!
	for i in $(seq 1 100); do
		p=$(tail -n +"$((seen + 1))" "$log" 2>/dev/null |
			sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' | head -n 1)
		if [ -n "$p" ] && curl -fsS -o /dev/null "http://127.0.0.1:$p/readyz" 2>/dev/null; then
			inst_port[$k]=$p
			return 0
		fi
		kill -0 "${inst_pid[$k]}" 2>/dev/null || break
		sleep 0.1
	done
	diag "instance $k did not start:" "$(tail -n 20 "$log")"
	return 1
}
# inst_stop K [SIGNAL]: TERM by default; sets inst_status[K].
inst_stop() {
	local k=$1
	[ -n "${inst_pid[$k]:-}" ] || return 0
	kill -"${2:-TERM}" "${inst_pid[$k]}" 2>/dev/null
	wait "${inst_pid[$k]}" 2>/dev/null
	inst_status[$k]=$?
	inst_pid[$k]=
}

haproxy_pid=
proxy_port=
# haproxy_start N: HAProxy on a free port in front of instances 1..N; it
# connects to them from $PROXY_SOURCE when set (another loopback address).
haproxy_start() {
	local n=$1 k servers=
	proxy_port=$(free_port)
	for k in $(seq 1 "$n"); do
		servers+="	server c$k 127.0.0.1:${inst_port[$k]}"$'\n'
	done
	awk -v listen="127.0.0.1:$proxy_port" -v servers="$servers" -v source="${PROXY_SOURCE:-}" \
		'{ gsub(/@LISTEN@/, listen); if ($0 == "@SERVERS@") printf "%s", servers; else print }
		 /^backend / && source != "" { print "\tsource " source }
		 /^defaults/ { print "\tlog stderr format raw local0 info"; print "\toption httplog" }' \
		"$top_srcdir/examples/deploy/haproxy.cfg.in" >"$workdir/haproxy.cfg"
	"$HAPROXY" -f "$workdir/haproxy.cfg" -db >"$workdir/haproxy.log" 2>&1 &
	haproxy_pid=$!
	local i
	for i in $(seq 1 100); do
		if haproxy_routes; then
			proxy=http://127.0.0.1:$proxy_port
			return 0
		fi
		kill -0 "$haproxy_pid" 2>/dev/null || break
		sleep 0.1
	done
	diag "HAProxy did not start:" "$(tail -n 20 "$workdir/haproxy.log")"
	return 1
}
# Whether HAProxy routes: its own readiness through to an instance.
haproxy_routes() {
	curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$proxy_port/readyz" 2>/dev/null
}
haproxy_stop() {
	[ -n "$haproxy_pid" ] || return 0
	kill -TERM "$haproxy_pid" 2>/dev/null
	wait "$haproxy_pid" 2>/dev/null
	haproxy_pid=
}

scale_cleanup() {
	local k
	haproxy_stop
	for k in "${!inst_pid[@]}"; do inst_stop "$k" KILL; done
	pg_stop
	[ -n "${KEEP_WORKDIR:-}" ] || rm -rf "$workdir" "$pgdir"
}
trap scale_cleanup EXIT

# Server connections to the cluster from Conduit instances.
pg_conduit_connections() {
	psql_ -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'conduit'"
}
