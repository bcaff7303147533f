#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server for tests, from Debian's
# postgresql package: a fresh cluster in a temporary directory, listening on
# a unix socket and 127.0.0.1 only, owned by the postgres user (initdb refuses
# to run as root).
#
#   scripts/postgres.sh start   # prints: export REFUNDKIT_TEST_POSTGRES=postgres://...
#   scripts/postgres.sh stop
#   scripts/postgres.sh pause    # stop the server, keep its data (an outage, for tests)
#   scripts/postgres.sh resume   # start it again after pause
#
# The cluster lives in $REFUNDKIT_PGDIR (default /tmp/refundkit-pg) and the
# server listens on $REFUNDKIT_PGPORT (default 54329). `make db` runs `start`.
set -euo pipefail

dir="${REFUNDKIT_PGDIR:-/tmp/refundkit-pg}"
port="${REFUNDKIT_PGPORT:-54329}"
db=refundkit_test

bindir() {
	if command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(readlink -f "$(command -v pg_ctl)")"
		return
	fi
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
	if [ -z "$d" ]; then
		echo "postgres.sh: installing Debian's postgresql package" >&2
		apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
		d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
	fi
	echo "$d"
}

# as runs a command as the postgres user when we are root, as ourselves otherwise.
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start() {
	local bin
	bin=$(bindir)
	if [ -f "$dir/data/postmaster.pid" ] && as "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		echo "export REFUNDKIT_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir/socket"
	if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir"; fi
	as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	up "$bin"
	as "$bin/psql" -h "$dir/socket" -p "$port" -U postgres -qAt -c "CREATE DATABASE $db" postgres >/dev/null
	echo "export REFUNDKIT_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"
}

# up starts the server on the cluster in $dir. fsync off: the cluster is
# thrown away; tests of crash safety kill our processes, not the server.
up() {
	as "$1/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c fsync=off -c max_connections=200" >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
}

pause() { as "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; }

resume() { up "$(bindir)"; }

stop() {
	local bin
	bin=$(bindir)
	if [ -d "$dir/data" ]; then
		as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
pause) pause ;;
resume) resume ;;
*) echo "usage: $0 start|stop|pause|resume" >&2; exit 2 ;;
esac
