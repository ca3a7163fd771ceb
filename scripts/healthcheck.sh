#!/usr/bin/env bash
# One look at a Hintbook installation: containers, disk space, database and migrations (through
# /api/health), AI provider status, certificate expiry, and the age of the newest backup.
# Exit status for monitoring: 0 all OK, 1 a warning, 2 something is down. Run every minute or
# so from cron with an alert address, it tells a person when a problem has lasted
# --alert-after-minutes (and again when it is over).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/healthcheck.sh [--url URL] [--no-compose] [--insecure] [--cert-warn-days N]
                              [--disk-warn-percent N] [--backup-dir DIR]
                              [--alert-url URL] [--alert-after-minutes N]

  --url URL              public address [https://<first of DOMAINS in .env>[:HTTPS_PORT]]
  --no-compose           skip the docker compose checks (e.g. when run from another machine)
  --insecure             do not verify the TLS certificate (self-signed, staging)
  --cert-warn-days N     warn when the certificate expires within N days [14]; below 3: down
  --disk-warn-percent N  warn when a file system is fuller than N percent [85]; 95: down
  --backup-dir DIR       also check the newest backup in this host folder is under 26 hours old
  --alert-url URL        a webhook [ALERT_URL in .env]: once a warning or failure has lasted
                         --alert-after-minutes, POST {"text": "...", "source": "hintbook-health"}
                         with what is wrong; once more when all is OK again
  --alert-after-minutes N  [5] (state in HINTBOOK_HEALTH_STATE [/var/tmp/hintbook-health.state])
  -h, --help             this help
Exit codes: 0 OK, 1 warning, 2 down. Environment: COMPOSE_FILE_PATH [docker-compose.prod.yml] or compose's own COMPOSE_FILE and
COMPOSE_PROJECT_NAME, ENV_FILE [.env].
USAGE
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
compose_file="${COMPOSE_FILE_PATH:-docker-compose.prod.yml}"
env_file="${ENV_FILE:-.env}"

env_value() {
  [[ -f "$env_file" ]] || return 0
  grep -E "^$1=" "$env_file" | tail -n 1 | cut -d '=' -f 2- | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"
}

compose() {
  local files=(-f "$compose_file")
  # Compose's own COMPOSE_FILE (say, with an override file) counts when COMPOSE_FILE_PATH is unset.
  if [[ -z "${COMPOSE_FILE_PATH:-}" && -n "${COMPOSE_FILE:-}" ]]; then files=(); fi
  if docker compose version >/dev/null 2>&1; then
    docker compose "${files[@]}" "$@"
  else
    docker-compose "${files[@]}" "$@"
  fi
}

url=""
use_compose=1
insecure=0
cert_warn_days=14
disk_warn=85
backup_dir=""
alert_url=""
alert_after=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="${2:?--url needs a value}"; shift 2 ;;
    --no-compose) use_compose=0; shift ;;
    --insecure) insecure=1; shift ;;
    --cert-warn-days) cert_warn_days="${2:?}"; shift 2 ;;
    --disk-warn-percent) disk_warn="${2:?}"; shift 2 ;;
    --backup-dir) backup_dir="${2:?}"; shift 2 ;;
    --alert-url) alert_url="${2:?}"; shift 2 ;;
    --alert-after-minutes) alert_after="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "healthcheck.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ -z "$url" ]]; then
  domains="$(env_value DOMAINS)"
  first="${domains%% *}"
  url="https://${first:-localhost}"
  # A published port other than 443 (HTTPS_PORT, possibly with an address: 127.0.0.1:8443).
  https_port="$(env_value HTTPS_PORT || true)"
  https_port="${https_port##*:}"
  if [[ -n "$https_port" && "$https_port" != 443 ]]; then url="$url:$https_port"; fi
fi
url="${url%/}"

[[ -n "$alert_url" ]] || alert_url="$(env_value ALERT_URL || true)"
[[ "$alert_after" =~ ^[0-9]+$ ]] || { echo "healthcheck.sh: --alert-after-minutes takes minutes" >&2; exit 2; }

status=0
problems=""
report() {
  local level="$1" what="$2" detail="$3"
  printf '%-5s %-14s %s\n' "$level" "$what" "$detail"
  [[ "$level" == OK ]] || problems+="$level $what: $detail"$'\n'
  case "$level" in
    WARN) [[ $status -lt 1 ]] && status=1 ;;
    DOWN) status=2 ;;
  esac
  return 0
}

# --- containers -------------------------------------------------------------------------------
if [[ "$use_compose" -eq 1 ]]; then
  if ! command -v docker >/dev/null 2>&1; then
    report DOWN services "docker is not installed here (use --no-compose from elsewhere)"
  else
    for service in db backend web certbot backup; do
      id="$(compose ps -q "$service" 2>/dev/null || true)"
      if [[ -z "$id" ]]; then
        report DOWN "$service" "not created (docker compose -f $compose_file up -d)"
        continue
      fi
      state="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id" 2>/dev/null || echo unknown)"
      case "$state" in
        "running healthy"|"running ") report OK "$service" "$state" ;;
        "running starting") report WARN "$service" "$state" ;;
        *) report DOWN "$service" "$state (docker compose -f $compose_file logs $service)" ;;
      esac
    done
  fi
fi

# --- disk space -------------------------------------------------------------------------------
paths=(/)
[[ -d /var/lib/docker ]] && paths+=(/var/lib/docker)
[[ -n "$backup_dir" && -d "$backup_dir" ]] && paths+=("$backup_dir")
while read -r _fs _size _used _avail percent mount; do
  used="${percent%\%}"
  if [[ "$used" -ge 95 ]]; then report DOWN disk "$mount ${used}% used"
  elif [[ "$used" -ge "$disk_warn" ]]; then report WARN disk "$mount ${used}% used"
  else report OK disk "$mount ${used}% used"
  fi
done < <(df -P "${paths[@]}" | tail -n +2 | sort -u)

# --- application, database, migrations, AI ------------------------------------------------------
curl_args=(--silent --show-error --max-time 10)
[[ "$insecure" -eq 1 ]] && curl_args+=(--insecure)
if body="$(curl "${curl_args[@]}" --write-out '\n%{http_code}' "$url/api/health" 2>&1)"; then
  code="${body##*$'\n'}"
  json="${body%$'\n'*}"
  if [[ "$code" == 200 ]]; then
    report OK database "$url/api/health: $json"
  else
    report DOWN database "$url/api/health answered $code: $json"
  fi
  # The readiness answer may carry an "ai" section; shown as is when it does.
  if [[ "$json" =~ \"ai\":(\{[^}]*\}) ]]; then
    ai="${BASH_REMATCH[1]}"
    if [[ "$ai" == *'"status":"ok"'* ]]; then report OK ai "$ai"; else report WARN ai "$ai"; fi
  fi
else
  report DOWN application "$url/api/health unreachable: $body"
fi
if ai_body="$(curl "${curl_args[@]}" --fail "$url/api/health/ai" 2>/dev/null)"; then
  if [[ "$ai_body" == *'"status":"ok"'* ]]; then report OK ai "$ai_body"; else report WARN ai "$ai_body"; fi
fi

# --- certificate ------------------------------------------------------------------------------
if [[ "$url" == https://* ]]; then
  hostport="${url#https://}"
  hostport="${hostport%%/*}"
  host="${hostport%%:*}"
  port=443
  [[ "$hostport" == *:* ]] && port="${hostport##*:}"
  if end="$(openssl s_client -connect "$host:$port" -servername "$host" </dev/null 2>/dev/null |
    openssl x509 -noout -enddate 2>/dev/null)"; then
    end="${end#notAfter=}"
    days=$(( ($(date -d "$end" +%s) - $(date +%s)) / 86400 ))
    issuer="$(openssl s_client -connect "$host:$port" -servername "$host" </dev/null 2>/dev/null |
      openssl x509 -noout -issuer 2>/dev/null || true)"
    if [[ "$days" -lt 3 ]]; then report DOWN certificate "expires in $days days ($end); ${issuer}"
    elif [[ "$days" -lt "$cert_warn_days" ]]; then
      report WARN certificate "expires in $days days ($end): is certbot renewing? ${issuer}"
    else report OK certificate "expires in $days days; ${issuer}"
    fi
  else
    report DOWN certificate "no TLS answer from $host:$port"
  fi
fi

# --- backups ----------------------------------------------------------------------------------
if [[ -n "$backup_dir" ]]; then
  newest="$(find "$backup_dir" -maxdepth 1 -type f \( -name '*.dump' -o -name '*.dump.age' \) -printf '%T@ %p\n' 2>/dev/null |
    sort -rn | head -n 1 || true)"
  if [[ -z "$newest" ]]; then
    report WARN backup "no backup in $backup_dir"
  else
    age_hours=$(( ($(date +%s) - ${newest%%.*}) / 3600 ))
    if [[ "$age_hours" -ge 26 ]]; then report WARN backup "newest is ${age_hours}h old: ${newest#* }"
    else report OK backup "newest is ${age_hours}h old: ${newest#* }"
    fi
  fi
elif [[ "$use_compose" -eq 1 ]] && command -v docker >/dev/null 2>&1; then
  if compose exec -T backup /opt/hintbook/backup/entrypoint.sh --check >/dev/null 2>&1; then
    report OK backup "a backup younger than 26 hours exists"
  else
    report WARN backup "no backup younger than 26 hours (docker compose -f $compose_file logs backup)"
  fi
fi

# --- alert ------------------------------------------------------------------------------------
json_string() {
  local value="${1//\\/\\\\}"
  value="${value//\"/\\\"}"
  value="${value//$'\n'/\\n}"
  value="${value//$'\t'/ }"
  printf '"%s"' "$value"
}
post_alert() {
  curl --silent --show-error --max-time 20 --fail -H 'Content-Type: application/json' \
    --data "{\"text\":$(json_string "$1"),\"source\":\"hintbook-health\"}" "$alert_url" >/dev/null ||
    echo "healthcheck.sh: the alert could not be delivered to $alert_url" >&2
}
if [[ -n "$alert_url" ]]; then
  # One line per state: "since <epoch>" when the trouble began, "alerted" once told.
  state_file="${HINTBOOK_HEALTH_STATE:-/var/tmp/hintbook-health.state}"
  now="$(date +%s)"
  if [[ "$status" -eq 0 ]]; then
    if grep -qx alerted "$state_file" 2>/dev/null; then
      post_alert "Hintbook at $url is healthy again."
    fi
    rm -f "$state_file"
  else
    since="$(sed -n 's/^since //p' "$state_file" 2>/dev/null || true)"
    if [[ -z "$since" ]]; then
      since="$now"
      echo "since $now" >"$state_file"
    fi
    if (( now - since >= alert_after * 60 )) && ! grep -qx alerted "$state_file"; then
      post_alert "Hintbook at $url needs attention (for $(( (now - since) / 60 )) min):"$'\n'"$problems"
      echo alerted >>"$state_file"
    fi
  fi
fi

exit "$status"
