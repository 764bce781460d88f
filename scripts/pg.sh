#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL cluster of Debian's PostgreSQL server: initdb in
# a temporary folder, the server on a free port of 127.0.0.1, stopped and removed when the
# command ends, however it ends. The command finds the cluster in BUURTBEL_TEST_POSTGRES, the
# URL of its `postgres` database as the superuser `buurtbel` (tests make a database each).
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "${bindir:-}/initdb" ] || {
  echo "pg: Debian's PostgreSQL server is missing (package postgresql); run scripts/setup.sh" >&2
  exit 1
}

dir=$(mktemp -d)
# PostgreSQL refuses to run as root: then the cluster belongs to the package's own user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -ne 0 ] || chown postgres "$dir"
stop() {
  as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_pg "$bindir/initdb" -D "$dir/data" -U buurtbel --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

# A free port is chosen by the operating system and released again; should another process
# take it before the server does, the next one is tried.
started=
for _ in 1 2 3 4 5; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # Durable as in production (fsync and synchronous_commit stay on); room for the connections
  # of tests running side by side.
  if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB" \
    start >/dev/null; then
    started=yes
    break
  fi
done
[ -n "$started" ] || { cat "$dir/server.log" >&2; echo "pg: the cluster did not start" >&2; exit 1; }

export BUURTBEL_TEST_POSTGRES="postgres://buurtbel@127.0.0.1:$port/postgres"
"$@"
