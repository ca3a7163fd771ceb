#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/..
# Nightly (or on demand) backup of Hintbook's PostgreSQL database: pg_dump in custom format
# (compressed), optional encryption to an age recipient, a sha256 checksum beside it, retention,
# and an off-site copy (rclone) so the backups survive losing the server. Runs in the backup
# container (daily) and on a host with the PostgreSQL client.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/backup.sh [--dir DIR] [--retention-days N] [--name PREFIX]

Dumps the database named by DATABASE_URL (or PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE) to
  DIR/PREFIX-YYYYMMDDTHHMMSSZ.dump        (pg_dump custom format, compressed)
  DIR/PREFIX-YYYYMMDDTHHMMSSZ.dump.age    (instead, when BACKUP_AGE_RECIPIENTS is set)
  ...and the same name + .sha256 (verify with: sha256sum -c FILE.sha256, in DIR)
then deletes this prefix's backups older than the retention.

Options (and environment):
  --dir DIR              where backups go                [BACKUP_DIR, default ./backups]
  --retention-days N     keep N days; 0 keeps everything [BACKUP_RETENTION_DAYS, default 30]
  --name PREFIX          file name prefix                [BACKUP_PREFIX, default hintbook]
  BACKUP_AGE_RECIPIENTS  age public keys (age1..., space separated): encrypt to them
  BACKUP_AGE_RECIPIENTS_FILE   or a file of recipients, one per line
  BACKUP_OFFSITE         an rclone destination: after the dump, the encrypted file and its
                         checksum are copied there, and this prefix's files older than
                         BACKUP_OFFSITE_RETENTION_DAYS [BACKUP_RETENTION_DAYS] deleted there.
                         A remote inline, e.g. ':s3,provider=AWS,access_key_id=…,secret_access_key=…,
                         region=eu-central-1:bucket/hintbook' or ':sftp,host=…,user=…,pass=<rclone
                         obscure …>:backups/hintbook'. Needs encryption (BACKUP_AGE_RECIPIENTS).
  -h, --help             this help

Restore with scripts/restore.sh FILE; test a backup with scripts/verify-backup.sh FILE. An
off-site copy comes back with: rclone copy "$BACKUP_OFFSITE/NAME" DIR (and NAME.sha256).
Exit codes: 0 done, 1 the dump or the off-site copy failed, 2 usage.
USAGE
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=backup/pg-env.sh
source "${HINTBOOK_PG_ENV:-$here/../backup/pg-env.sh}"

dir="${BACKUP_DIR:-./backups}"
retention="${BACKUP_RETENTION_DAYS:-30}"
prefix="${BACKUP_PREFIX:-hintbook}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
    --retention-days) retention="${2:?--retention-days needs a value}"; shift 2 ;;
    --name) prefix="${2:?--name needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "backup.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ ! "$retention" =~ ^[0-9]+$ ]]; then
  echo "backup.sh: retention must be a whole number of days, not '$retention'" >&2
  exit 2
fi
if [[ ! "$prefix" =~ ^[A-Za-z0-9._-]+$ ]]; then
  echo "backup.sh: the prefix may hold letters, digits, '.', '_' and '-' only" >&2
  exit 2
fi

offsite="${BACKUP_OFFSITE:-}"
offsite_retention="${BACKUP_OFFSITE_RETENTION_DAYS:-$retention}"
if [[ -n "$offsite" ]]; then
  if [[ -z "${BACKUP_AGE_RECIPIENTS:-}${BACKUP_AGE_RECIPIENTS_FILE:-}" ]]; then
    echo "backup.sh: BACKUP_OFFSITE needs encryption: set BACKUP_AGE_RECIPIENTS (the copy leaves this server)" >&2
    exit 2
  fi
  command -v rclone >/dev/null || { echo "backup.sh: BACKUP_OFFSITE is set but 'rclone' is not installed" >&2; exit 2; }
  [[ "$offsite_retention" =~ ^[0-9]+$ ]] || {
    echo "backup.sh: BACKUP_OFFSITE_RETENTION_DAYS must be a whole number of days" >&2
    exit 2
  }
fi

pg_env_init
mkdir -p "$dir"
umask 077

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
file="$dir/$prefix-$stamp.dump"
recipients=()
if [[ -n "${BACKUP_AGE_RECIPIENTS:-}" ]]; then
  for recipient in $BACKUP_AGE_RECIPIENTS; do recipients+=(--recipient "$recipient"); done
fi
if [[ -n "${BACKUP_AGE_RECIPIENTS_FILE:-}" ]]; then
  recipients+=(--recipients-file "$BACKUP_AGE_RECIPIENTS_FILE")
fi
if [[ ${#recipients[@]} -gt 0 ]]; then
  command -v age >/dev/null || { echo "backup.sh: encryption asked for but 'age' is not installed" >&2; exit 2; }
  file="$file.age"
fi
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

echo "backup.sh: dumping database '$PGDATABASE' on ${PGHOST:-local socket} to $file" >&2
# Custom format: compressed, restorable table by table, and pg_restore can list it.
if [[ ${#recipients[@]} -gt 0 ]]; then
  pg_dump --format=custom --compress=6 --no-password "$PGDATABASE" | age --encrypt "${recipients[@]}" >"$partial"
else
  pg_dump --format=custom --compress=6 --no-password --file="$partial" "$PGDATABASE"
fi
mv "$partial" "$file"
trap - EXIT
(cd "$(dirname "$file")" && sha256sum "$(basename "$file")" >"$(basename "$file").sha256")
size="$(wc -c <"$file" | tr -d ' ')"
echo "backup.sh: wrote $file ($size bytes) and $file.sha256" >&2

if [[ "$retention" -gt 0 ]]; then
  # Only this prefix's finished backups and checksums, and never the one just written.
  find "$dir" -maxdepth 1 -type f \
    \( -name "$prefix-*.dump" -o -name "$prefix-*.dump.age" -o -name "$prefix-*.sha256" \
       -o -name "$prefix-*.partial" \) \
    -mtime "+$((retention - 1))" ! -name "$(basename "$file")*" -print -delete |
    sed 's/^/backup.sh: removed (older than retention) /' >&2
fi

if [[ -n "$offsite" ]]; then
  # The destination is never printed: an inline remote carries its credentials.
  rclone_quiet=(--quiet --retries 3 --low-level-retries 5)
  # An inline remote needs no configuration file; a named one comes from RCLONE_CONFIG.
  [[ -n "${RCLONE_CONFIG:-}" ]] || rclone_quiet+=(--config /dev/null)
  if ! rclone copy "${rclone_quiet[@]}" --include "$(basename "$file")" --include "$(basename "$file").sha256" \
    "$(dirname "$file")" "$offsite"; then
    echo "backup.sh: the off-site copy of $file FAILED (BACKUP_OFFSITE)" >&2
    exit 1
  fi
  echo "backup.sh: copied $(basename "$file") and its checksum off-site" >&2
  if [[ "$offsite_retention" -gt 0 ]]; then
    rclone delete "${rclone_quiet[@]}" --min-age "${offsite_retention}d" \
      --include "$prefix-*.dump*" --include "$prefix-*.sha256" "$offsite" ||
      echo "backup.sh: could not apply the off-site retention (the copy itself is there)" >&2
  fi
fi
printf '%s\n' "$file"
