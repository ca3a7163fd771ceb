#!/bin/sh
# Writes Alertmanager's configuration from the environment (Alertmanager reads no variables):
# alerts go to ALERT_WEBHOOK_URL (a JSON POST per group of alerts) and/or by email to
# ALERT_EMAIL_TO through ALERT_SMTP_SMARTHOST. With neither, alerts only show in Alertmanager
# and Grafana. Usage: render.sh OUTPUT_FILE. POSIX sh: the Alertmanager image has busybox only.
set -eu
out="${1:?usage: render.sh OUTPUT_FILE}"

# printf, not echo: dash's echo would undo the escaping below.
line() { printf '%s\n' "$*"; }
# YAML double-quoted scalar: backslashes and quotes escaped.
quote() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"; }

webhook="${ALERT_WEBHOOK_URL:-}"
email="${ALERT_EMAIL_TO:-}"
if [ -n "$email" ] && [ -z "${ALERT_SMTP_SMARTHOST:-}" ]; then
  line "render.sh: ALERT_EMAIL_TO needs ALERT_SMTP_SMARTHOST (host:port)" >&2
  exit 1
fi

{
  line "# Rendered by monitoring/alertmanager/render.sh; edit .env, not this file."
  line "route:"
  line "  receiver: operators"
  line "  group_by: [alertname, provider]"
  line "  group_wait: 30s"
  line "  group_interval: 5m"
  line "  repeat_interval: 4h"
  line "inhibit_rules:"
  line "  # A backend that is down explains its other alerts."
  line "  - source_matchers: [alertname=\"HintbookDown\"]"
  line "    target_matchers: [severity=\"warning\"]"
  line "    equal: [instance]"
  line "receivers:"
  line "  - name: operators"
  if [ -n "$webhook" ]; then
    line "    webhook_configs:"
    line "      - url: $(quote "$webhook")"
    line "        send_resolved: true"
  fi
  if [ -n "$email" ]; then
    line "    email_configs:"
    line "      - to: $(quote "$email")"
    line "        from: $(quote "${ALERT_SMTP_FROM:-$email}")"
    line "        smarthost: $(quote "$ALERT_SMTP_SMARTHOST")"
    if [ -n "${ALERT_SMTP_USERNAME:-}" ]; then
      line "        auth_username: $(quote "$ALERT_SMTP_USERNAME")"
      line "        auth_password: $(quote "${ALERT_SMTP_PASSWORD:-}")"
    fi
    line "        require_tls: ${ALERT_SMTP_REQUIRE_TLS:-true}"
    line "        send_resolved: true"
  fi
} >"$out"
