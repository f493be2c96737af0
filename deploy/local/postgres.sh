#!/usr/bin/env bash
# PostgreSQL from Debian's packages, as a private cluster under .run/postgres.
# Usage: postgres.sh start|stop|status
source "$(dirname "$0")/common.sh"

PORT="${PG_PORT:-5432}"
DATA="$RUN/postgres/data"
SOCK="$RUN/postgres/socket"
LOG="$LOGS/postgres.log"
DATABASES="${PG_DATABASES:-switchboard switchboard_test}"

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ]; then apt_install postgresql; dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
  echo "$dir"
}

# Postgres refuses to run as root: as root, run its tools as the `postgres` user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

psql_admin() { as_pg "$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
  BIN=$(pg_bin)
  if running; then say "already running"; else
    port_open "$PORT" && die "port $PORT is taken by another process; stop it or set PG_PORT"
    mkdir -p "$DATA" "$SOCK"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$RUN/postgres" && chown postgres "$LOGS"
    if [ ! -f "$DATA/PG_VERSION" ]; then
      as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$LOGS/postgres-initdb.log" 2>&1 \
        || die "initdb failed; see $LOGS/postgres-initdb.log"
    fi
    say "starting PostgreSQL on 127.0.0.1:$PORT"
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
      -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${PG_FSYNC:-on}" \
      start >/dev/null || { tail -n 20 "$LOG" >&2; die "PostgreSQL did not start; its log is $LOG"; }
  fi
  provision
  say "PostgreSQL is up (data $DATA, log $LOG)"
}

# The owner role runs migrations; databases for the stack and for the test suite.
provision() {
  psql_admin -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='switchboard') THEN
    CREATE ROLE switchboard LOGIN PASSWORD 'switchboard' CREATEROLE CREATEDB; END IF; END\$\$;"
  # The owner runs migrations and operator tools across tenants; the app role never bypasses.
  psql_admin -c "ALTER ROLE switchboard BYPASSRLS"
  for db in $DATABASES; do
    [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$db'")" = 1 ] \
      || psql_admin -c "CREATE DATABASE $db OWNER switchboard"
  done
}

stop() {
  BIN=$(pg_bin)
  if running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; say "PostgreSQL stopped"; fi
}

status() { BIN=$(pg_bin); running && echo "postgres: running" || echo "postgres: stopped"; }

"${1:?usage: postgres.sh start|stop|status}"
