# Sourced by the shell tests of tests/http: start_server LOG COMMAND... runs
# the server on a free port (--port 0), sets $pid and waits up to 10 s for
# its "listening on" line; $port is then its port, or empty if it never came.
# The server is killed when the test exits. check DESCRIPTION COMMAND...
# prints one TAP line for COMMAND's status ($n tests, $fails failed);
# req STATUS CURL-ARGS... checks a reply's status (its body in $out),
# jqeq FILTER EXPECTED its JSON, eventually COMMAND... retries for 10 s.
start_server() {
	log=$1; shift
	# Emptied here, not only by the redirection below: that happens in the
	# background child, and on a busy machine the loop could read the log
	# before it does, i.e. the previous run's "listening on" line and port.
	: >"$log"
	# APIC_SERVER_WRAP: a command the server runs under (valgrind, by
	# tests/async/valgrind.sh); it must exec the server, keeping its PID.
	${APIC_SERVER_WRAP:-} "$@" --port 0 --threads 2 >"$log" 2>&1 &
	pid=$!
	trap 'kill $pid 2>/dev/null' EXIT
	port=
	for _ in $(seq ${APIC_START_TRIES:-100}); do
		port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$log")
		[ -n "$port" ] && break
		sleep 0.1
	done
}

n=0
fails=0
check() {
	desc=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fails=$((fails + 1)); fi
}

req() { # expected-status curl-args... ; body in $out
	want=$1; shift
	got=$(curl -s -o "$out" -w '%{http_code}' "$@")
	[ "$got" = "$want" ] || { echo "# got $got, want $want: $(head -c 300 "$out")"; return 1; }
}
jqeq() { # FILTER EXPECTED
	got=$(jq -c "$1" "$out" 2>/dev/null)
	[ "$got" = "$2" ] || { echo "# $1: got $got, want $2"; return 1; }
}
eventually() {
	for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
	"$@"
}
