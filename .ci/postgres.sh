# Functions to run a throwaway PostgreSQL cluster on a free loopback port.
# Source this file, call start_postgres (exports RELAIS_TEST_POSTGRES_URL),
# and stop_postgres when done. Needs root (it runs the server as "postgres").

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  return 1
}

free_port() {
  python3 - <<'PY' 2>/dev/null || echo 55432
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

start_postgres() {
  local bindir
  if ! bindir=$(pg_bindir); then
    echo "PostgreSQL server binaries not found; installing postgresql-15"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-contrib-15 >/dev/null
    bindir=$(pg_bindir)
  fi
  PG_TMP=$(mktemp -d /tmp/relais-pg.XXXXXX)
  chown postgres:postgres "$PG_TMP"
  PG_PORT=$(free_port)
  runuser -u postgres -- "$bindir/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1 \
    || { cat "$PG_TMP/initdb.log"; return 1; }
  runuser -u postgres -- "$bindir/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || { cat "$PG_TMP/server.log"; return 1; }
  runuser -u postgres -- "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres relais_test
  runuser -u postgres -- "$bindir/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d relais_test -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" >/dev/null
  PG_BINDIR=$bindir
  export RELAIS_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/relais_test?sslmode=disable"
}

stop_postgres() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP" ]; then
    runuser -u postgres -- "$PG_BINDIR/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
