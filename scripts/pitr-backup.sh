#!/usr/bin/env bash
# A base backup for point-in-time recovery: pgBackRest copies the database's files (full, or
# only what changed since the last full: diff) to the off-site repository, encrypted, then
# expires what the retention no longer needs. With the WAL the database archives continuously
# (backup/pgbackrest-archive-push.sh), any moment since the oldest kept full backup can be restored
# (scripts/restore-pitr.sh). Runs in the backup container, nightly after the dump.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/pitr-backup.sh [--type full|diff|incr|auto] [--info] [--help]

  --type T   full: every file; diff: what changed since the last full; incr: since the last
             backup of any type; auto [default]: full on PITR_FULL_WEEKDAY, diff otherwise
             (pgBackRest makes a full one anyway when none exists yet)
  --info     print the repository's backups and WAL range, change nothing
  -h, --help this help
Creates the stanza (PGBACKREST_STANZA) first when the repository has none. Needs pgBackRest,
the database's data folder (PGBACKREST_PG1_PATH, read-only is enough) and its socket folder
(PGBACKREST_PG1_SOCKET_PATH), and the repository settings (PGBACKREST_REPO1_*), which
docker-compose.prod.yml sets from the PITR_* variables of .env.
Environment: PITR_FULL_WEEKDAY  1 (Monday) to 7 (Sunday) [7]
Exit codes: 0 done, 1 the backup failed, 2 usage or not configured.
USAGE
}

type=auto
info=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --type) type="${2:?--type needs a value}"; shift 2 ;;
    --info) info=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "pitr-backup.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$type" in full|diff|incr|auto) ;; *) echo "pitr-backup.sh: --type is full, diff, incr or auto" >&2; exit 2 ;; esac
command -v pgbackrest >/dev/null || { echo "pitr-backup.sh: pgbackrest is not installed" >&2; exit 2; }
if [[ -z "${PGBACKREST_REPO1_TYPE:-}" || -z "${PGBACKREST_STANZA:-}" ]]; then
  echo "pitr-backup.sh: no pgBackRest repository configured (set PITR_S3_BUCKET and the other PITR_* variables in .env)" >&2
  exit 2
fi

if [[ "$info" -eq 1 ]]; then
  exec pgbackrest info
fi

full_weekday="${PITR_FULL_WEEKDAY:-7}"
if [[ "$type" == auto ]]; then
  type="diff"
  [[ "$(date +%u)" == "$full_weekday" ]] && type=full
fi

# Idempotent: "already exists and is valid" when the repository knows this database.
pgbackrest stanza-create >/dev/null || {
  echo "pitr-backup.sh: could not create or check the stanza '$PGBACKREST_STANZA' in the repository" >&2
  exit 1
}
started=$SECONDS
if ! pgbackrest backup --type="$type"; then
  echo "pitr-backup.sh: the $type base backup FAILED" >&2
  exit 1
fi
echo "pitr-backup.sh: $type base backup done in $((SECONDS - started))s" >&2
pgbackrest info --output=text | sed -n 's/^ *\(wal archive min\/max.*\)$/pitr-backup.sh: \1/p' >&2
