# Start a throwaway PostgreSQL and Redis on free loopback ports, for tests. Source it:
#   source .ci/services.sh
# It exports DATABASE_URL and REDIS_URL and stops both servers when the sourcing shell exits.
# Needs Debian's postgresql and redis-server packages (.ci/run installs them). Works as root: PostgreSQL
# refuses to run as root, so its server runs as the `postgres` user.

_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$_pg_bin" ] || ! command -v redis-server >/dev/null; then
  echo "services.sh: PostgreSQL or Redis is not installed (apt-get install postgresql redis-server)" >&2
  return 1
fi

SERVICES_DIR=$(mktemp -d /tmp/mentorship-services.XXXXXX)
chmod 755 "$SERVICES_DIR"
PG_DIR="$SERVICES_DIR/pg"
PG_PORT=$(_free_port)
REDIS_PORT=$(_free_port)

mkdir -p "$PG_DIR"
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$PG_DIR"
  _as_pg() { runuser -u postgres -- "$@"; }
else
  _as_pg() { "$@"; }
fi

_as_pg "$_pg_bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$SERVICES_DIR/initdb.log"
PG_OPTIONS="-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
_as_pg "$_pg_bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start -o "$PG_OPTIONS" >/dev/null
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE mentorship LOGIN CREATEDB PASSWORD 'mentorship'" \
  -c "CREATE DATABASE mentorship OWNER mentorship"

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
  --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log" --dir "$SERVICES_DIR"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://mentorship:mentorship@127.0.0.1:$PG_PORT/mentorship"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
# For the fault tests that stop and start this server under the app.
export PG_CTL="$_pg_bin/pg_ctl" PG_DATA="$PG_DIR/data" PG_OPTIONS PG_LOG="$PG_DIR/server.log"

services_stop() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  _as_pg "$_pg_bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$SERVICES_DIR"
}
trap services_stop EXIT

echo "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"
