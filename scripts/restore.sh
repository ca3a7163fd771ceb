#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/..
# Restores a Hintbook backup made by scripts/backup.sh into a fresh database. Checks the
# checksum first, and will not replace a database that holds tables unless told to (--force).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/restore.sh [--force] [--database NAME] [--identity FILE] BACKUP_FILE

Restores BACKUP_FILE (.dump, or .dump.age when encrypted) into the database named by
DATABASE_URL or PGDATABASE (or --database NAME) on the same server.
  1. verifies BACKUP_FILE against BACKUP_FILE.sha256 (refuses a missing or wrong checksum);
  2. decrypts it with the age identity (--identity or BACKUP_AGE_IDENTITY_FILE) if encrypted;
  3. creates the database if it does not exist; if it exists and holds tables, refuses unless
     --force, which disconnects its sessions, drops it and creates it again;
  4. runs pg_restore in one transaction (all or nothing), owned by the connecting user.

Options:
  --force            replace an existing, non-empty database (stop the backend first)
  --database NAME    target database [PGDATABASE / database of DATABASE_URL]
  --maintenance-db N database used to create/drop the target [postgres]
  --identity FILE    age identity (secret key) file for encrypted backups
  -h, --help         this help
Exit codes: 0 restored, 2 usage, 3 checksum or archive invalid, 4 refused to overwrite.
USAGE
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=backup/pg-env.sh
source "${HINTBOOK_PG_ENV:-$here/../backup/pg-env.sh}"

force=0
target=""
maintenance_db="postgres"
identity="${BACKUP_AGE_IDENTITY_FILE:-}"
file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=1; shift ;;
    --database) target="${2:?--database needs a value}"; shift 2 ;;
    --maintenance-db) maintenance_db="${2:?--maintenance-db needs a value}"; shift 2 ;;
    --identity) identity="${2:?--identity needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "restore.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
    *)
      if [[ -n "$file" ]]; then echo "restore.sh: one backup file at a time" >&2; exit 2; fi
      file="$1"; shift ;;
  esac
done
if [[ -z "$file" ]]; then
  echo "restore.sh: name the backup file to restore (see --help)" >&2
  exit 2
fi
if [[ ! -f "$file" ]]; then
  echo "restore.sh: no such file: $file" >&2
  exit 2
fi

pg_env_init
target="${target:-$PGDATABASE}"

pg_verify_checksum "$file" || exit 3
echo "restore.sh: checksum of $file verified" >&2

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
archive="$file"
if [[ "$file" == *.age ]]; then
  if [[ -z "$identity" ]]; then
    echo "restore.sh: $file is encrypted: pass --identity FILE or set BACKUP_AGE_IDENTITY_FILE" >&2
    exit 2
  fi
  archive="$work/backup.dump"
  (umask 077 && age --decrypt --identity "$identity" --output "$archive" "$file") || exit 3
fi
if ! pg_restore --list "$archive" >/dev/null 2>"$work/list.err"; then
  echo "restore.sh: $file is not a readable pg_dump archive: $(head -n 1 "$work/list.err")" >&2
  exit 3
fi

quoted_target="$(pg_quote_ident "$target")"
literal_target="${target//\'/\'\'}"
exists="$(pg_query "$maintenance_db" "select count(*) from pg_database where datname = '$literal_target'")"
if [[ "$exists" == 1 ]]; then
  tables="$(pg_query "$target" "
    select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'v', 'm', 'S')
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'")"
  if [[ "$tables" -gt 0 ]]; then
    if [[ "$force" -ne 1 ]]; then
      echo "restore.sh: database '$target' already holds $tables tables, sequences or views;" \
        "refusing to overwrite it. Stop the backend, then run again with --force to replace it," \
        "or restore into another database with --database NAME." >&2
      exit 4
    fi
    echo "restore.sh: --force: dropping database '$target' ($tables relations)" >&2
    pg_query "$maintenance_db" "select pg_terminate_backend(pid) from pg_stat_activity
      where datname = '$literal_target' and pid <> pg_backend_pid()" >/dev/null
    pg_query "$maintenance_db" "drop database $quoted_target" >/dev/null
    exists=0
  fi
fi
if [[ "$exists" != 1 ]]; then
  pg_query "$maintenance_db" "create database $quoted_target template template0 encoding 'UTF8'" >/dev/null
  echo "restore.sh: created database '$target'" >&2
fi

echo "restore.sh: restoring into '$target'" >&2
pg_restore --no-owner --no-acl --exit-on-error --single-transaction --dbname "$target" "$archive"

rows=0
count=0
while IFS=$'\t' read -r _table table_rows; do
  count=$((count + 1))
  rows=$((rows + table_rows))
done < <(pg_database_row_counts "$target")
echo "restore.sh: restored $count tables, $rows rows into '$target'" >&2
