#!/usr/bin/env bash
# Backup sidecar: one backup at start when the newest is more than a day old, then one every day
# at BACKUP_TIME (HH:MM, in TZ, default UTC). A failed run is logged and retried the next day;
# the container's health check turns unhealthy when no backup is younger than 26 hours.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: entrypoint.sh [--check | --once | --help]
  (none)    run the daily schedule (BACKUP_TIME, default 02:30; TZ, default UTC)
  --once    one backup now, then exit
  --check   exit 0 when the newest backup in BACKUP_DIR is younger than 26 hours
USAGE
}

dir="${BACKUP_DIR:-/backups}"
prefix="${BACKUP_PREFIX:-hintbook}"

newest_is_recent() {
  local minutes="$1"
  [[ -n "$(find "$dir" -maxdepth 1 -type f \( -name "$prefix-*.dump" -o -name "$prefix-*.dump.age" \) \
    -mmin "-$minutes" -print -quit 2>/dev/null)" ]]
}

run_backup() {
  if backup.sh --dir "$dir"; then
    echo "backup: done at $(date -u +%FT%TZ)"
  else
    echo "backup: FAILED at $(date -u +%FT%TZ); next try at the next scheduled time" >&2
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
  --once) run_backup; exit 0 ;;
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
  run_backup
fi
while true; do
  wait_for="$(seconds_until "$time_of_day")"
  echo "backup: next backup at $time_of_day (${TZ:-UTC}), in ${wait_for}s"
  sleep "$wait_for" &
  wait $!
  run_backup
done
