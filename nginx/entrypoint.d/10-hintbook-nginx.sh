#!/bin/sh
# Run by the nginx image's /docker-entrypoint.sh before nginx starts (POSIX sh: no bash there).
#  1. renders the configuration from the environment (render.sh, the same file the tests run);
#  2. in HTTPS mode without a certificate yet, writes a short-lived self-signed placeholder so
#     nginx can start and serve the ACME challenge (scripts/init-letsencrypt.sh replaces it);
#  3. starts a watcher that reloads nginx when certbot has renewed the certificate.
set -eu

case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: 10-hintbook-nginx.sh [--help]

Run by the web image's /docker-entrypoint.sh before nginx starts; takes no arguments.
Renders the nginx configuration from the environment (nginx/render.sh --help lists the
variables), writes a self-signed placeholder certificate in https mode when none exists yet, and
starts the watcher that reloads nginx when the certificate changes.
  NGINX_MODE                https (default) or http
  NGINX_CERT_CHECK_SECONDS  how often the certificate is compared [3600]
USAGE
    exit 0 ;;
  "") ;;
  *) echo "10-hintbook-nginx.sh: takes no arguments (see --help)" >&2; exit 2 ;;
esac

mode="${NGINX_MODE:-https}"
# Overridable so the tests can run this file outside the image.
conf_dir="${HINTBOOK_NGINX_CONF_DIR:-/etc/nginx}"
render="${HINTBOOK_NGINX_RENDER:-/opt/hintbook/nginx/render.sh}"
# The stock welcome server would also claim port 80.
rm -f "$conf_dir/conf.d/default.conf"
"$render" --mode "$mode" --out "$conf_dir"
# nginx.conf logs to logs/access.log under its prefix (/etc/nginx): send it to docker logs.
mkdir -p "$conf_dir/logs"
ln -sf /dev/stdout "$conf_dir/logs/access.log"

if [ "$mode" != https ]; then
  exit 0
fi

domains="$(printf '%s' "${DOMAINS:-localhost}" | tr ',' ' ' | tr -s ' ' | sed 's/^ //')"
cert_name="${NGINX_CERT_NAME:-${domains%% *}}"
live="/etc/letsencrypt/live/$cert_name"
cert="${NGINX_SSL_CERTIFICATE:-$live/fullchain.pem}"
key="${NGINX_SSL_CERTIFICATE_KEY:-$live/privkey.pem}"
chain="${NGINX_SSL_TRUSTED_CERTIFICATE:-$live/chain.pem}"

if [ ! -s "$cert" ] || [ ! -s "$key" ]; then
  echo "hintbook: no certificate at $cert yet; writing a self-signed placeholder" >&2
  mkdir -p "$(dirname "$cert")" "$(dirname "$key")" "$(dirname "$chain")"
  openssl req -x509 -nodes -newkey rsa:2048 -days 7 -subj "/CN=$cert_name" \
    -keyout "$key" -out "$cert" >/dev/null 2>&1
  cp "$cert" "$chain"
  # Marks the files as ours: init-letsencrypt.sh removes them before asking for the real one.
  touch "$(dirname "$cert")/.hintbook-placeholder"
fi

# Certbot renews in place (twice a day it checks). Reloading is graceful: open connections
# finish on the old workers. Checked every NGINX_CERT_CHECK_SECONDS (default one hour).
interval="${NGINX_CERT_CHECK_SECONDS:-3600}"
(
  last="$(cksum "$cert" 2>/dev/null || true)"
  while sleep "$interval"; do
    now="$(cksum "$cert" 2>/dev/null || true)"
    if [ -n "$now" ] && [ "$now" != "$last" ]; then
      echo "hintbook: certificate changed; reloading nginx" >&2
      nginx -s reload || true
      last="$now"
    fi
  done
) &
