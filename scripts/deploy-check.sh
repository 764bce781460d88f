#!/usr/bin/env bash
# Runs the deployment docs/DEPLOY.md describes, on this machine: the server with the settings of
# its systemd unit, behind the Caddyfile given there (with a certificate of Caddy's own instead
# of Let's Encrypt, on free ports). Checks the app and the API through HTTPS, the server key,
# and that each client counts by its own address behind the proxy while a client cannot
# choose that address itself.
set -euo pipefail
cd "$(dirname "$0")/.."

server=${BUURTBEL_SERVER_BIN:-target/debug/buurtbel-server}
[ -x "$server" ] || { echo "deploy-check: $server is missing" >&2; exit 1; }
command -v caddy >/dev/null || { echo "deploy-check: caddy is missing (scripts/setup.sh installs it)" >&2; exit 1; }
[ -f dist/index.html ] || { echo "deploy-check: dist/ is missing; run scripts/build.sh" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "deploy-check: $*" >&2; echo "--- server log" >&2; tail -n 20 "$work/server.log" >&2; echo "--- caddy log" >&2; tail -n 20 "$work/caddy.log" >&2; exit 1; }
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# The server, with the Environment= settings of the documented unit; its credentials (%d) are
# random files in a folder of this run, as the set-up commands make them.
credentials="$work/credentials"
mkdir -m 700 "$credentials"
secret() { od -An -N32 -tx1 /dev/urandom | tr -d " \n"; }
(umask 077; secret >"$credentials/server-key"; secret >"$credentials/metrics-token")
while IFS= read -r line; do
  line=${line#Environment=}
  export "${line//%d/$credentials}"
done < <(awk '/^## The server: a systemd unit/ { on = 1; next } /^## / { on = 0 } on' docs/DEPLOY.md | grep -E '^Environment=BUURTBEL_')
export BUURTBEL_ADDR=127.0.0.1:0 BUURTBEL_DATABASE="$work/buurtbel.sqlite3" BUURTBEL_DIST=dist
export BUURTBEL_PUBLIC_HOSTS=buurtbel.test
# The port a server logs that it listens on (waits up to 10 s for the line; empty without).
logged_port() {
  local p=
  for _ in $(seq 1 100); do
    p=$(grep -o 'addr=127.0.0.1:[0-9]*' "$1" | head -n 1 | cut -d: -f2 || true)
    [ -n "$p" ] && break
    sleep 0.1
  done
  echo "$p"
}
NO_COLOR=1 RUST_LOG=info "$server" >"$work/server.log" 2>&1 &
pids+=($!)
port=$(logged_port "$work/server.log")
[ -n "$port" ] || fail "the server did not start"

# Caddy, with the documented Caddyfile: its site block, for a test name and free ports.
https_port=$(free_port)
# The first Caddyfile of the page (read to the end: an early exit would break the pipe).
first_caddyfile() { awk '/^```caddyfile$/ && !done { on = 1; next } /^```$/ && on { on = 0; done = 1 } on'; }
site=$(first_caddyfile <docs/DEPLOY.md)
[ -n "$site" ] || fail "no Caddyfile in docs/DEPLOY.md"
# A Caddyfile for this run: Caddy's own certificates and storage, the documented site block
# ($1) for the test name on port $2, its upstream addresses replaced as `sed` expression $3 says.
caddyfile() {
  printf '{\n\tadmin off\n\tauto_https disable_redirects\n\tskip_install_trust\n\tstorage file_system %s/caddy\n}\n' "$work"
  printf '%s\n' "$1" |
    sed -e "s|^buurtbel.example.nl {|https://buurtbel.test:$2 {\n\ttls internal|" -e "$3"
}
caddyfile "$site" "$https_port" "s|127.0.0.1:8080|127.0.0.1:$port|" >"$work/Caddyfile"
XDG_DATA_HOME="$work" XDG_CONFIG_HOME="$work" caddy run --config "$work/Caddyfile" --adapter caddyfile >"$work/caddy.log" 2>&1 &
pids+=($!)

url="https://buurtbel.test:$https_port"
# -k: Caddy's own certificate authority, not a public one. --interface: which loopback address
# the client speaks from, so several clients can be told apart.
get() { curl -sk --resolve "buurtbel.test:$https_port:127.0.0.1" "$@"; }
for _ in $(seq 1 100); do
  get -o /dev/null "$url/api/health" && break
  sleep 0.1
done

page=$(get -D "$work/headers" "$url/team")
grep -q '<title>Buurtbel</title>' <<<"$page" || fail "the app is not served through the proxy"
grep -qi '^content-security-policy:' "$work/headers" || fail "no Content-Security-Policy through the proxy"
grep -qi '^strict-transport-security:' "$work/headers" || fail "no Strict-Transport-Security through the proxy"
body='{"name":"Team","neighbourhood":"Buurt","display_name":"Anna"}'
status=$(get -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -d "$body" "$url/api/v1/teams")
[ "$status" = 403 ] || fail "a team without the server key: $status, not 403"
# The key goes to curl in a header file, as the docs say: never on a command line.
(umask 077; printf 'x-server-key: %s\n' "$(cat "$credentials/server-key")" >"$work/key-header")
status=$(get -o "$work/team.json" -w '%{http_code}' -H 'content-type: application/json' -H @"$work/key-header" -d "$body" "$url/api/v1/teams")
[ "$status" = 201 ] || fail "a team with the server key: $status, not 201"

# Each client has its own join limit (10 at once): spend one client's, through the proxy, while
# claiming to be another in X-Forwarded-For (the proxy replaces it); another client still joins.
join='{"code":"ABCD-EFGH","display_name":"Piet"}'
for _ in $(seq 1 10); do
  get -o /dev/null --interface 127.0.0.2 -H 'content-type: application/json' -H 'x-forwarded-for: 127.0.0.9' -d "$join" "$url/api/v1/join"
done
status=$(get -o /dev/null -w '%{http_code}' --interface 127.0.0.2 -H 'content-type: application/json' -H 'x-forwarded-for: 127.0.0.9' -d "$join" "$url/api/v1/join")
[ "$status" = 429 ] || fail "the eleventh join of one client: $status, not 429"
status=$(get -o /dev/null -w '%{http_code}' --interface 127.0.0.3 -H 'content-type: application/json' -d "$join" "$url/api/v1/join")
[ "$status" = 404 ] || fail "another client behind the same proxy: $status, not 404 (an unknown code)"
echo "deploy-check: the documented server and Caddyfile serve the app and API over HTTPS; clients count by their own address"

# With a PostgreSQL cluster beside it (scripts/pg.sh): the two instances of the docs' PostgreSQL
# section on one database, behind its Caddyfile. A team made through one instance is joined
# through either, and with one instance killed the proxy still answers from the other.
[ -n "${BUURTBEL_TEST_POSTGRES:-}" ] || exit 0
psql -q "$BUURTBEL_TEST_POSTGRES" -c 'CREATE DATABASE deploy_check' || fail "no database in the cluster"
section() { awk '/^## PostgreSQL: many teams, several instances/ { on = 1; next } /^## / { on = 0 } on' docs/DEPLOY.md; }
while IFS= read -r line; do
  line=${line#Environment=}
  case "$line" in
    BUURTBEL_DATABASE=postgres://*) export "BUURTBEL_DATABASE=${BUURTBEL_TEST_POSTGRES%/*}/deploy_check" ;;
    BUURTBEL_INVITE_KEY=*) export "BUURTBEL_INVITE_KEY=$work/invite-key" ;;
    *) fail "unexpected setting in the PostgreSQL section: $line" ;;
  esac
done < <(section | grep -E '^Environment=BUURTBEL_')
[[ "$BUURTBEL_DATABASE" == postgres://* && -n "${BUURTBEL_INVITE_KEY:-}" ]] || fail "the PostgreSQL section names no database or invite key"
ports=()
instances=()
for n in 1 2; do
  NO_COLOR=1 RUST_LOG=info "$server" >"$work/instance-$n.log" 2>&1 &
  instances+=($!)
  pids+=($!)
  p=$(logged_port "$work/instance-$n.log")
  [ -n "$p" ] || { tail -n 20 "$work/instance-$n.log" >&2; fail "instance $n did not start"; }
  ports+=("$p")
done
lb_port=$(free_port)
site=$(section | first_caddyfile)
[ -n "$site" ] || fail "no Caddyfile in the PostgreSQL section"
caddyfile "$site" "$lb_port" "s|127.0.0.1:8080 127.0.0.1:8081|127.0.0.1:${ports[0]} 127.0.0.1:${ports[1]}|" >"$work/Caddyfile-two"
XDG_DATA_HOME="$work" XDG_CONFIG_HOME="$work" caddy run --config "$work/Caddyfile-two" --adapter caddyfile >"$work/caddy-two.log" 2>&1 &
pids+=($!)
lb="https://buurtbel.test:$lb_port"
lb_get() { curl -sk --resolve "buurtbel.test:$lb_port:127.0.0.1" "$@"; }
for _ in $(seq 1 100); do
  lb_get -o /dev/null "$lb/api/health" && break
  sleep 0.1
done
status=$(lb_get -o "$work/team-two.json" -w '%{http_code}' -H 'content-type: application/json' -H @"$work/key-header" -d "$body" "$lb/api/v1/teams")
[ "$status" = 201 ] || { tail -n 20 "$work/caddy-two.log" >&2; fail "a team through two instances: $status, not 201"; }
code=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["invite"]["code"])' "$work/team-two.json")
token=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["device"]["token"])' "$work/team-two.json")
# Four joins from four clients, spread over both instances: the invite key is shared.
for n in 4 5 6 7; do
  status=$(lb_get -o /dev/null -w '%{http_code}' --interface "127.0.0.$n" -H 'content-type: application/json' \
    -d "{\"code\":\"$code\",\"display_name\":\"Lid $n\"}" "$lb/api/v1/join")
  [ "$status" = 201 ] || fail "join $n through two instances: $status, not 201"
done
grep -q 'device joined' "$work/instance-1.log" && grep -q 'device joined' "$work/instance-2.log" ||
  fail "the joins did not reach both instances"
kill "${instances[0]}"
wait "${instances[0]}" 2>/dev/null || true
# Requests sent to the stopped instance before Caddy's readiness check (every 2 s) notices may
# fail; after it, every request is answered by the other one.
pull() {
  lb_get -o "$work/pull.json" -w '%{http_code}' -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"protocol_version":1,"after":0,"limit":100}' "$lb/api/v1/pull"
}
sleep 3
for n in 1 2 3 4 5 6; do
  status=$(pull)
  [ "$status" = 200 ] || { tail -n 5 "$work/caddy-two.log" >&2; fail "pull $n with one instance down: $status, not 200"; }
done
ops=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["ops"]))' "$work/pull.json")
[ "$ops" -ge 6 ] || fail "the log holds $ops operations, not the team, its creator and four joins"
echo "deploy-check: two instances on PostgreSQL behind the documented Caddyfile share teams and invites, and with one stopped the other answers"
