#!/usr/bin/env bash
# PostgreSQL's archive_command in the database container (db/entrypoint.sh sets it when
# point-in-time recovery is configured; pgBackRest insists the command names "pgbackrest", hence
# the file name): hands one WAL segment to pgBackRest, which compresses,
# encrypts (repository cipher) and stores it off-site. A failure exits non-zero, so PostgreSQL
# keeps the segment and tries again, and alerts once (then at most once an hour while it lasts);
# the first success after a failure says so.
set -uo pipefail

usage() {
  cat <<'USAGE'
Usage: pgbackrest-archive-push.sh WAL_PATH        (as archive_command: 'pgbackrest-archive-push.sh %p')

Runs `pgbackrest archive-push WAL_PATH` with the repository named by the PGBACKREST_*
environment (docker-compose.prod.yml sets it from the PITR_* variables of .env).
Exit codes: 0 archived, pgBackRest's own code (non-zero) when it failed, 2 usage.
Environment: BACKUP_ALERT_URL or ALERT_URL (webhook for the alert),
  HINTBOOK_ARCHIVE_STATE [/tmp/hintbook-archive-failing] (when the failure was last told),
  HINTBOOK_ARCHIVE_REALERT_MINUTES [60].
USAGE
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=backup/alert.sh
source "$here/alert.sh"

state="${HINTBOOK_ARCHIVE_STATE:-/tmp/hintbook-archive-failing}"
realert="${HINTBOOK_ARCHIVE_REALERT_MINUTES:-60}"
segment="$(basename "$1")"

output="$(pgbackrest archive-push "$1" 2>&1)"
status=$?
if [[ "$status" -eq 0 ]]; then
  if [[ -f "$state" ]]; then
    rm -f "$state"
    hintbook_alert hintbook-wal-archive "Hintbook WAL archiving works again at $(date -u +%FT%TZ) (segment $segment archived)."
  fi
  exit 0
fi
printf '%s\n' "$output" >&2
# PostgreSQL retries a failed segment every minute: one alert per hour is enough to be heard.
if [[ -z "$(find "$state" -mmin "-$realert" 2>/dev/null)" ]]; then
  reason="$(printf '%s\n' "$output" | grep -m 1 -E '^(ERROR|WARN)' || true)"
  hintbook_alert hintbook-wal-archive "Hintbook WAL archiving FAILED at $(date -u +%FT%TZ) on ${HOSTNAME:-the database container} (segment $segment, exit $status): ${reason:-see the database log}. Until it works again, the point-in-time recovery window stops growing and WAL piles up on the database disk."
  touch "$state"
fi
exit "$status"
