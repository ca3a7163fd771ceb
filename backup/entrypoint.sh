#!/usr/bin/env bash
# Backup sidecar: one backup at start when the newest is more than a day old, then one every day
# at BACKUP_TIME (HH:MM, in TZ, default UTC), and once a week (BACKUP_VERIFY_WEEKDAY) a restore of
# the newest backup into a scratch database to prove it (verify-backup.sh). A failed backup or
# verification is logged, reported to BACKUP_ALERT_URL when set, and tried again at the next
# turn; the container's health check turns unhealthy when no backup is younger than 26 hours.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: entrypoint.sh [--check | --once | --pitr | --verify | --help]
  (none)    run the daily schedule (BACKUP_TIME, default 02:30; TZ, default UTC): the dump, then
            a point-in-time recovery base backup when PITR_S3_BUCKET is set (pitr-backup.sh:
            full on PITR_FULL_WEEKDAY, else diff; a full one at start when the repository has none)
  --once    one backup now, then exit: 0 when it worked, 1 (and an alert) when it failed
  --pitr    one PITR base backup now (pitr-backup.sh): 0 when it worked, 1 (and an alert) not
  --verify  verify the newest backup now (verify-backup.sh): 0 verified, 1 (and an alert) not
  --check   exit 0 when the newest backup in BACKUP_DIR is younger than 26 hours
Environment: BACKUP_DIR [/backups], BACKUP_TIME [02:30], TZ [UTC], BACKUP_PREFIX [hintbook],
  BACKUP_VERIFY_WEEKDAY  day of the weekly verification after the backup, 1 (Monday) to 7
                         (Sunday), 0 never [7]; an encrypted backup is skipped unless
                         BACKUP_AGE_IDENTITY_FILE names its key in the container
  BACKUP_ALERT_URL  a webhook: a failure POSTs {"text": "...", "source": "hintbook-backup"}
  (the shape Slack, Mattermost, Discord's /slack endpoint and most chat tools accept)
and those of backup.sh (backup.sh --help).
USAGE
}

dir="${BACKUP_DIR:-/backups}"
prefix="${BACKUP_PREFIX:-hintbook}"

newest_is_recent() {
  local minutes="$1"
  [[ -n "$(find "$dir" -maxdepth 1 -type f \( -name "$prefix-*.dump" -o -name "$prefix-*.dump.age" \) \
    -mmin "-$minutes" -print -quit 2>/dev/null)" ]]
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=backup/alert.sh
source "$here/alert.sh"
alert() { hintbook_alert hintbook-backup "$1"; }

run_backup() {
  if backup.sh --dir "$dir"; then
    echo "backup: done at $(date -u +%FT%TZ)"
  else
    alert "Hintbook backup FAILED at $(date -u +%FT%TZ) on ${HOSTNAME:-the backup container} (database ${PGDATABASE:-?} on ${PGHOST:-?}): see its log"
    return 1
  fi
}

run_pitr_backup() {
  pitr_configured || return 0
  if pitr-backup.sh "$@"; then
    echo "backup: PITR base backup done at $(date -u +%FT%TZ)"
  else
    alert "Hintbook PITR base backup FAILED at $(date -u +%FT%TZ) on ${HOSTNAME:-the backup container}: the point-in-time recovery window no longer grows from a fresh base; see its log"
    return 1
  fi
}

newest_backup() {
  find "$dir" -maxdepth 1 -type f \( -name "$prefix-*.dump" -o -name "$prefix-*.dump.age" \) \
    -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -n 1 | cut -d ' ' -f 2-
}

run_verification() {
  local newest
  newest="$(newest_backup)"
  if [[ -z "$newest" ]]; then
    alert "Hintbook backup verification FAILED at $(date -u +%FT%TZ): no backup in $dir to verify"
    return 1
  fi
  if [[ "$newest" == *.age && -z "${BACKUP_AGE_IDENTITY_FILE:-}" ]]; then
    # The secret key is meant to live elsewhere: so does the verification of encrypted backups.
    echo "backup: $newest is encrypted and the key is not here: verify it where the key is" \
      "(verify-backup.sh --identity KEY FILE)"
    return 0
  fi
  if verify-backup.sh "$newest"; then
    echo "backup: verified $newest at $(date -u +%FT%TZ)"
  else
    alert "Hintbook backup verification FAILED at $(date -u +%FT%TZ) for $(basename "$newest"): it did not restore as dumped; see the backup log"
    return 1
  fi
}

verify_weekday="${BACKUP_VERIFY_WEEKDAY:-7}"
if [[ ! "$verify_weekday" =~ ^[0-7]$ ]]; then
  echo "backup: BACKUP_VERIFY_WEEKDAY must be 0 (never) or 1 (Monday) to 7 (Sunday)" >&2
  exit 2
fi
# The nightly run: the dump, the PITR base backup, then on the verification day a restore test
# of the dump.
nightly() {
  local dumped=1
  run_backup || dumped=0
  run_pitr_backup || true
  if [[ "$dumped" -eq 1 && "$verify_weekday" != 0 && "$(date +%u)" == "$verify_weekday" ]]; then
    run_verification || true
  fi
}

seconds_until() {
  local hh="${1%%:*}" mm="${1##*:}" now target
  now=$(( 10#$(date +%H) * 3600 + 10#$(date +%M) * 60 + 10#$(date +%S) ))
  target=$(( 10#$hh * 3600 + 10#$mm * 60 ))
  echo $(( (target - now + 86400) % 86400 + 1 ))
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --check) newest_is_recent $((26 * 60)); exit ;;
  --once) run_backup; exit ;;
  --pitr) run_pitr_backup; exit ;;
  --verify) run_verification; exit ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac

time_of_day="${BACKUP_TIME:-02:30}"
if [[ ! "$time_of_day" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]]; then
  echo "backup: BACKUP_TIME must be HH:MM (24-hour), not '$time_of_day'" >&2
  exit 2
fi
trap 'exit 0' TERM INT
if ! newest_is_recent $((24 * 60)); then
  run_backup || true
fi
# Point-in-time recovery starts at the first base backup: make it now, not tonight.
if pitr_configured && ! pitr-backup.sh --info 2>/dev/null | grep -q 'full backup:'; then
  run_pitr_backup --type full || true
fi
while true; do
  wait_for="$(seconds_until "$time_of_day")"
  echo "backup: next backup at $time_of_day (${TZ:-UTC}), in ${wait_for}s"
  sleep "$wait_for" &
  wait $!
  # A failure has alerted; the schedule goes on (the next night may work).
  nightly
done
