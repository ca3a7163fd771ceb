# shellcheck shell=bash
# Sourced by scripts/backup.sh, restore.sh, verify-backup.sh and healthcheck.sh (on the host and
# in the backup image). Turns DATABASE_URL, when set, into the standard PG* variables that every
# PostgreSQL client reads, so the scripts only ever deal with PG* and a database name.

# Percent-decodes a URL component (passwords often hold '@', ':' or '/').
pg_url_decode() {
  local value="${1//+/ }"
  printf '%b' "${value//%/\\x}"
}

# pg_env_from_url URL: exports PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and PGSSLMODE).
pg_env_from_url() {
  local url="$1" rest auth hostport path query
  if [[ ! "$url" =~ ^postgres(ql)?:// ]]; then
    echo "not a postgres:// URL: ${url%%:*}://…" >&2
    return 2
  fi
  rest="${url#*://}"
  query=""
  if [[ "$rest" == *\?* ]]; then
    query="${rest#*\?}"
    rest="${rest%%\?*}"
  fi
  path=""
  if [[ "$rest" == */* ]]; then
    path="${rest#*/}"
    rest="${rest%%/*}"
  fi
  auth=""
  hostport="$rest"
  if [[ "$rest" == *@* ]]; then
    auth="${rest%@*}"
    hostport="${rest##*@}"
  fi
  if [[ -n "$auth" ]]; then
    if [[ "$auth" == *:* ]]; then
      PGUSER="$(pg_url_decode "${auth%%:*}")"
      PGPASSWORD="$(pg_url_decode "${auth#*:}")"
      export PGPASSWORD
    else
      PGUSER="$(pg_url_decode "$auth")"
    fi
    export PGUSER
  fi
  if [[ "$hostport" =~ ^\[(.*)\](:([0-9]+))?$ ]]; then
    PGHOST="${BASH_REMATCH[1]}"
    [[ -n "${BASH_REMATCH[3]}" ]] && PGPORT="${BASH_REMATCH[3]}"
  elif [[ "$hostport" == *:* ]]; then
    PGHOST="${hostport%%:*}"
    PGPORT="${hostport##*:}"
  elif [[ -n "$hostport" ]]; then
    PGHOST="$hostport"
  fi
  [[ -n "${PGHOST:-}" ]] && export PGHOST
  [[ -n "${PGPORT:-}" ]] && export PGPORT
  if [[ -n "$path" ]]; then
    PGDATABASE="$(pg_url_decode "$path")"
    export PGDATABASE
  fi
  local pair
  for pair in ${query//&/ }; do
    case "$pair" in
      sslmode=*) export PGSSLMODE="${pair#sslmode=}" ;;
    esac
  done
}

# Applies DATABASE_URL when set; then requires a database name from somewhere.
pg_env_init() {
  if [[ -n "${DATABASE_URL:-}" ]]; then
    pg_env_from_url "$DATABASE_URL"
  fi
  if [[ -z "${PGDATABASE:-}" ]]; then
    echo "no database named: set DATABASE_URL or PGDATABASE (and PGHOST, PGUSER, PGPASSWORD)" >&2
    return 2
  fi
}

# Quotes an identifier for SQL (double quotes doubled).
pg_quote_ident() {
  local value="${1//\"/\"\"}"
  printf '"%s"' "$value"
}

# Runs one SQL statement against a named database on the same server; prints unaligned rows.
pg_query() {
  local database="$1" sql="$2"
  psql --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 \
    --dbname "$database" --command "$sql"
}

# sha256 of a file, as hex.
pg_sha256() {
  sha256sum "$1" | cut -d ' ' -f 1
}

# Verifies FILE against FILE.sha256 (sha256sum format); non-zero with a message otherwise.
pg_verify_checksum() {
  local file="$1" expected actual
  if [[ ! -f "$file.sha256" ]]; then
    echo "no checksum file $file.sha256: refusing to use an unverified backup" >&2
    return 3
  fi
  expected="$(cut -d ' ' -f 1 <"$file.sha256")"
  actual="$(pg_sha256 "$file")"
  if [[ "$expected" != "$actual" ]]; then
    echo "checksum mismatch for $file: expected $expected, got $actual (corrupt or altered backup)" >&2
    return 3
  fi
}

# Row counts per table as "schema.table<TAB>count" lines, from the COPY blocks of a custom-format
# dump (one line per row in COPY text format), read without touching any database.
pg_dump_row_counts() {
  pg_restore --data-only --file - "$1" | awk '
    /^COPY [^ ]+ .*FROM stdin;$/ { table = $2; rows = 0; inside = 1; next }
    inside && /^\\\.$/ { print table "\t" rows; inside = 0; next }
    inside { rows++ }
  ' | sort
}

# Row counts per ordinary table of a live database, in the same format.
pg_database_row_counts() {
  local database="$1" table
  while IFS= read -r table; do
    [[ -z "$table" ]] && continue
    printf '%s\t%s\n' "$table" "$(pg_query "$database" "select count(*) from only $table")"
  done < <(pg_query "$database" "
    select quote_ident(n.nspname) || '.' || quote_ident(c.relname)
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
    order by 1") | sort
}
