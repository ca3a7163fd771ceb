#!/usr/bin/env bash
# The official postgres image's start-up contract, as far as Hintbook uses it:
#  - as root: own PGDATA and the socket folder, then run again as the postgres user;
#  - an empty PGDATA: initdb with POSTGRES_USER / POSTGRES_PASSWORD (scram-sha-256 over TCP),
#    create POSTGRES_DB, run /docker-entrypoint-initdb.d/*.sh and *.sql;
#  - then exec the command (postgres), listening on every interface of the container.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is needed to initialise the database}"
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
    -D "$PGDATA" >/dev/null
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  printf "listen_addresses = '*'\nunix_socket_directories = '/var/run/postgresql,/tmp'\n" \
    >>"$PGDATA/postgresql.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$user" --host /var/run/postgresql)
  if [ "$database" != postgres ]; then
    "${psql[@]}" --dbname postgres -qc "create database \"${database//\"/\"\"}\""
  fi
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh) echo "$0: running $file"; bash "$file" ;;
      *.sql) echo "$0: running $file"; "${psql[@]}" --dbname "$database" -f "$file" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "$0: database '$database' initialised for '$user'"
fi
exec "$@"
