# shellcheck shell=bash
# Sourced by backup/entrypoint.sh (the backup sidecar) and backup/pgbackrest-archive-push.sh (the database's
# archive_command): one way to tell a person that a backup, a verification or the WAL archive
# failed. A log line nobody reads is not an alert.

# hintbook_alert SOURCE TEXT: logs TEXT and, when BACKUP_ALERT_URL (or ALERT_URL) is set, POSTs
# {"text": TEXT, "source": SOURCE}, the shape Slack, Mattermost, Discord's /slack endpoint and
# most chat tools accept. Never fails: an undeliverable alert is logged, the caller goes on.
hintbook_alert() {
  local source="$1" text="$2" url="${BACKUP_ALERT_URL:-${ALERT_URL:-}}" escaped
  echo "$source: ALERT: $text" >&2
  [[ -n "$url" ]] || return 0
  escaped="${text//\\/\\\\}"
  escaped="${escaped//\"/\\\"}"
  escaped="${escaped//$'\n'/\\n}"
  curl -fsS --max-time 20 -H 'Content-Type: application/json' \
    --data "{\"text\":\"$escaped\",\"source\":\"$source\"}" "$url" >/dev/null ||
    echo "$source: the alert could not be delivered to the alert URL" >&2
}

# pitr_configured: true when a pgBackRest repository is configured (docker-compose.prod.yml sets
# PGBACKREST_REPO1_S3_BUCKET from PITR_S3_BUCKET), i.e. WAL archiving and base backups are on.
# PITR_ARCHIVE=off turns them off for a stack that must not write there (a restore drill).
pitr_configured() {
  [[ -n "${PGBACKREST_REPO1_S3_BUCKET:-}" && "${PITR_ARCHIVE:-on}" != off ]]
}
