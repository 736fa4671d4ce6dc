#!/usr/bin/env bash
# A throw-away PostgreSQL + PostGIS cluster for the integration tests: its own
# folder, a unix socket in that folder and no TCP port (listen_addresses = ''),
# owned by the postgres account when run as root.
#
#   scripts/pg_scratch.sh start DIR   initdb (if needed) and start; prints
#                                     export REDLINE_TEST_PG=postgresql:///postgres?host=DIR&user=…
#   scripts/pg_scratch.sh stop DIR    pg_ctl stop and remove DIR
#
# From a script (what .ci/run does):
#   pgdir=$(mktemp -d /tmp/redline-pg.XXXXXX)
#   trap 'scripts/pg_scratch.sh stop "$pgdir"' EXIT
#   eval "$(scripts/pg_scratch.sh start "$pgdir")"
#
# Installs postgresql and postgresql-15-postgis-3 with apt-get when they are
# missing (needs root). Authentication: the cluster's own superuser connects
# without a password over the socket; every other role needs its password
# (scram-sha-256), so the tests can check what a wrong password gives.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

pgbin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_owner() {
  # initdb and pg_ctl refuse to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  if [ -z "$(pgbin)" ] || [ ! -f "$(pgbin)/initdb" ] || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql postgresql-15-postgis-3 >&2
  fi
  bin=$(pgbin)
  owner=$(id -un)
  [ "$(id -u)" = 0 ] && owner=postgres
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U "$owner" --auth-local=trust --auth-host=reject -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >"$dir/data/pg_hba.conf" <<EOF
# scratch cluster: unix socket only
local all $owner trust
local all all   scram-sha-256
EOF
    cat >>"$dir/data/postgresql.conf" <<EOF
# scratch cluster for redline's tests (throw-away data: durability off)
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
max_connections = 50
jit = off
EOF
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; exit 1; }
  psql -X -q -h "$dir" -U "$owner" -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE EXTENSION IF NOT EXISTS postgis" -c "CREATE EXTENSION IF NOT EXISTS postgres_fdw" >&2
  echo "export REDLINE_TEST_PG='postgresql:///postgres?host=$dir&user=$owner'"
  ;;
stop)
  bin=$(pgbin)
  if [ -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  case "$dir" in
  /tmp/*) rm -rf "$dir" ;;
  esac
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
