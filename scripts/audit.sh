#!/usr/bin/env bash
# make audit: Lighthouse (mobile) on every page of the release build served by the real
# server, with a fresh database on a free port. Installs Lighthouse into audit/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d audit/node_modules/lighthouse ]; then
  echo "audit: installing Lighthouse (npm ci in audit/)"
  (cd audit && npm ci --no-audit --no-fund)
fi
server=target/debug/buurtbel-server
work=$(mktemp -d)
BUURTBEL_JOIN_BURST=100 NO_COLOR=1 "$server" --addr 127.0.0.1:0 --database "$work/audit.sqlite3" --dist dist >"$work/server.log" 2>&1 &
pid=$!
# The trap stops the server and removes the folder on every way out; so node runs as a child
# (an exec would replace this shell and drop the trap).
cleanup() {
  kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=
for _ in $(seq 1 100); do
  port=$(grep -o 'addr=127.0.0.1:[0-9]*' "$work/server.log" | head -n 1 | cut -d: -f2 || true)
  [ -n "$port" ] && curl -fsS "http://127.0.0.1:$port/api/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/server.log" >&2; echo "audit: server did not start" >&2; exit 1; }
# The coach's pages need a coach: made by the operator's command on the same database.
BUURTBEL_AUDIT_COACH_LINK=$("$server" --database "$work/audit.sqlite3" coach \
  --organisation "Buurtwerk Utrecht" --name "Sanne de Vries" --url "http://127.0.0.1:$port" 2>/dev/null) \
  node audit/audit.mjs "http://127.0.0.1:$port"
