#!/usr/bin/env bash
# Point-in-time recovery: restores the database's files from the off-site pgBackRest repository
# into an empty data folder, set to replay the archived WAL up to a moment and then open for
# writing. Start the database on that folder afterwards; it fetches the WAL it needs itself.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/restore-pitr.sh --target-time TIME [--data-dir DIR] [--force] [--drill]
       scripts/restore-pitr.sh --info

  --target-time TIME  the moment to restore to, as PostgreSQL reads it, with its time zone:
                      '2026-03-02 14:05:00+00'. Transactions committed after it are not there.
  --data-dir DIR      the data folder to fill [PGBACKREST_PG1_PATH, else PGDATA]; must be
                      empty unless --force
  --force             restore over an existing data folder (pgBackRest --delta: only files that
                      differ are fetched). The database must be stopped.
  --drill             a rehearsal: the restored copy does not archive WAL into the repository
                      (archive_mode off), so it cannot mix a drill's history into production's
  --info              list the backups and the WAL range in the repository (the earliest and
                      latest times you can restore to), change nothing
  -h, --help          this help
In the compose stack, with the stack stopped (docker compose stop backend db):
  docker compose -f docker-compose.prod.yml run --rm --no-deps db \
    restore-pitr.sh --force --target-time '2026-03-02 14:05:00+00'
  docker compose -f docker-compose.prod.yml up -d
Run as root, it gives the folder to the postgres user and runs as that user.
Exit codes: 0 restored (start the database next), 1 the restore failed, 2 usage or not
configured, 4 refused: the folder is not empty (without --force) or a server runs on it.
USAGE
}

target=""
dir="${PGBACKREST_PG1_PATH:-${PGDATA:-}}"
force=0
drill=0
info=0
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --target-time) target="${2:?--target-time needs a value}"; shift 2 ;;
    --data-dir) dir="${2:?--data-dir needs a value}"; shift 2 ;;
    --force) force=1; shift ;;
    --drill) drill=1; shift ;;
    --info) info=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "restore-pitr.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
command -v pgbackrest >/dev/null || { echo "restore-pitr.sh: pgbackrest is not installed" >&2; exit 2; }
if [[ -z "${PGBACKREST_REPO1_TYPE:-}" || -z "${PGBACKREST_STANZA:-}" ]]; then
  echo "restore-pitr.sh: no pgBackRest repository configured (the PITR_* variables of .env)" >&2
  exit 2
fi
if [[ "$info" -eq 1 ]]; then
  exec pgbackrest info
fi
if [[ -z "$target" ]]; then
  echo "restore-pitr.sh: name the moment to restore to with --target-time (see --help)" >&2
  exit 2
fi
# A time without a zone would be read in the server's zone: say it.
if [[ ! "$target" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}[\ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\ ?(Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?)$ ]]; then
  echo "restore-pitr.sh: --target-time needs a date, a time and a zone, e.g. '2026-03-02 14:05:00+00', not '$target'" >&2
  exit 2
fi
[[ -n "$dir" ]] || { echo "restore-pitr.sh: name the data folder with --data-dir" >&2; exit 2; }

# PostgreSQL's files belong to its user; so does the restore.
if [[ "$(id -u)" -eq 0 ]]; then
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$(readlink -f "${BASH_SOURCE[0]}")" "${args[@]}"
fi

mkdir -p "$dir"
if [[ -f "$dir/postmaster.pid" ]] && kill -0 "$(head -n 1 "$dir/postmaster.pid")" 2>/dev/null; then
  echo "restore-pitr.sh: a server runs on $dir: stop it first" >&2
  exit 4
fi
delta=()
if [[ -n "$(ls -A "$dir")" ]]; then
  if [[ "$force" -ne 1 ]]; then
    echo "restore-pitr.sh: $dir is not empty; refusing to overwrite it (stop the database and add --force)" >&2
    exit 4
  fi
  delta=(--delta)
fi
archive_mode=()
[[ "$drill" -eq 1 ]] && archive_mode=(--archive-mode=off)

echo "restore-pitr.sh: restoring to $target into $dir" >&2
started=$SECONDS
if ! pgbackrest restore --pg1-path="$dir" --type=time --target="$target" --target-action=promote \
  "${delta[@]}" "${archive_mode[@]}"; then
  echo "restore-pitr.sh: the restore FAILED (is there a backup older than $target? see --info)" >&2
  exit 1
fi
echo "restore-pitr.sh: files restored in $((SECONDS - started))s. Start the database now: it" \
  "replays the archived WAL up to $target, then opens for writing on a new timeline." >&2
