#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/..
# Proves a backup restores: verifies its checksum, restores it into a scratch database on the
# same server, and compares the row count of every table with the rows inside the dump itself.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/verify-backup.sh [--identity FILE] [--keep] BACKUP_FILE

  1. verifies BACKUP_FILE against BACKUP_FILE.sha256;
  2. restores it into a scratch database (hintbook_verify_<time>_<pid>) on the server named by
     DATABASE_URL or PG* variables (the live database is only used to connect);
  3. compares, table by table, the rows in the dump with the rows restored;
  4. drops the scratch database (unless --keep).
Options:
  --identity FILE   age identity for encrypted backups [BACKUP_AGE_IDENTITY_FILE]
  --keep            keep the scratch database for inspection
  -h, --help        this help
Exit codes: 0 verified, 2 usage, 3 checksum or archive invalid, 5 counts differ.
USAGE
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=backup/pg-env.sh
source "${HINTBOOK_PG_ENV:-$here/../backup/pg-env.sh}"

identity="${BACKUP_AGE_IDENTITY_FILE:-}"
keep=0
file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --identity) identity="${2:?--identity needs a value}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "verify-backup.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) file="$1"; shift ;;
  esac
done
if [[ -z "$file" || ! -f "$file" ]]; then
  echo "verify-backup.sh: name an existing backup file (see --help)" >&2
  exit 2
fi

pg_env_init
pg_verify_checksum "$file" || exit 3

scratch="hintbook_verify_$(date -u +%Y%m%d%H%M%S)_$$"
work="$(mktemp -d)"
cleanup() {
  rm -rf "$work"
  if [[ "$keep" -ne 1 ]]; then
    pg_query "${PGDATABASE}" "drop database if exists $scratch" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

archive="$file"
if [[ "$file" == *.age ]]; then
  [[ -n "$identity" ]] || { echo "verify-backup.sh: encrypted backup: pass --identity FILE" >&2; exit 2; }
  archive="$work/backup.dump"
  (umask 077 && age --decrypt --identity "$identity" --output "$archive" "$file") || exit 3
fi
if ! pg_dump_row_counts "$archive" >"$work/expected.tsv" 2>"$work/list.err"; then
  echo "verify-backup.sh: $file is not a readable pg_dump archive: $(head -n 1 "$work/list.err")" >&2
  exit 3
fi

pg_query "${PGDATABASE}" "create database $scratch template template0 encoding 'UTF8'" >/dev/null
pg_restore --no-owner --no-acl --exit-on-error --single-transaction --dbname "$scratch" "$archive"
pg_database_row_counts "$scratch" >"$work/actual.tsv"

if ! diff -u "$work/expected.tsv" "$work/actual.tsv" >"$work/diff.txt"; then
  echo "verify-backup.sh: row counts differ between the dump (-) and the restore (+):" >&2
  cat "$work/diff.txt" >&2
  exit 5
fi
tables="$(wc -l <"$work/expected.tsv" | tr -d ' ')"
rows="$(awk -F '\t' '{ sum += $2 } END { print sum + 0 }' "$work/expected.tsv")"
echo "verify-backup.sh: OK: $file restores $tables tables and $rows rows, matching the dump" >&2
if [[ "$keep" -eq 1 ]]; then
  echo "verify-backup.sh: kept scratch database $scratch" >&2
fi
