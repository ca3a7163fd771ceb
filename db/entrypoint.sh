#!/usr/bin/env bash
# The database container's entrypoint: the image's own (docker-entrypoint.sh: initialise an empty
# data folder, run as postgres), plus continuous WAL archiving when point-in-time recovery is
# configured (PITR_S3_BUCKET in .env becomes PGBACKREST_REPO1_S3_BUCKET here). Every finished WAL
# segment then goes off-site through backup/pgbackrest-archive-push.sh, and archive_timeout closes a segment
# at least every PITR_ARCHIVE_TIMEOUT seconds, so at most that much committed work can be lost.
set -euo pipefail

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  cat <<'USAGE'
Usage: entrypoint.sh [postgres [OPTIONS...] | COMMAND...]
Starts PostgreSQL through the image's docker-entrypoint.sh; with PGBACKREST_REPO1_S3_BUCKET set
(and PITR_ARCHIVE not "off") it adds archive_mode=on, archive_command=pgbackrest-archive-push.sh and
archive_timeout=PITR_ARCHIVE_TIMEOUT [300] seconds. Any other COMMAND runs as given
(e.g. restore-pitr.sh).
USAGE
  exit 0
fi

# shellcheck source=backup/alert.sh
source /opt/hintbook/backup/alert.sh

if [[ "${1:-}" == postgres ]] && pitr_configured; then
  timeout="${PITR_ARCHIVE_TIMEOUT:-300}"
  set -- "$@" -c archive_mode=on -c "archive_command=/opt/hintbook/backup/pgbackrest-archive-push.sh %p" \
    -c "archive_timeout=$timeout"
  echo "entrypoint.sh: WAL archiving to the pgBackRest repository, a segment at least every ${timeout}s" >&2
fi
exec docker-entrypoint.sh "$@"
