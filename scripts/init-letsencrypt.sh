#!/usr/bin/env bash
# First Let's Encrypt certificate for a running Hintbook, through the ACME webroot: nginx keeps
# serving (on a self-signed placeholder) the whole time, then reloads onto the real certificate.
# Afterwards the certbot service renews it and the web container reloads nginx by itself.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/init-letsencrypt.sh [--staging] [--domains "a.org www.a.org"] [--email ADDRESS] [--force]

Asks Let's Encrypt for one certificate covering every name in DOMAINS (from .env, or --domains),
named after the first, via the HTTP-01 challenge served by the running web container.
  --staging   use Let's Encrypt's staging server (untrusted certificate, generous rate limits):
              try this first; running again without it replaces the staging certificate
  --domains   space separated names [DOMAINS in .env]
  --email     expiry notices go here [LETSENCRYPT_EMAIL in .env]
  --force     replace an existing production certificate (e.g. after changing DOMAINS)
  -h, --help  this help
Needs: DNS of every name pointing at this server, port 80 reachable from the internet.
Environment: COMPOSE_FILE_PATH [docker-compose.prod.yml], ENV_FILE [.env].
USAGE
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
compose_file="${COMPOSE_FILE_PATH:-docker-compose.prod.yml}"
env_file="${ENV_FILE:-.env}"

# Reads one variable from .env without executing it (values may hold spaces).
env_value() {
  [[ -f "$env_file" ]] || return 0
  grep -E "^$1=" "$env_file" | tail -n 1 | cut -d '=' -f 2- | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"
}

compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose -f "$compose_file" "$@"
  else
    docker-compose -f "$compose_file" "$@"
  fi
}

staging=0
force=0
domains=""
email=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --staging) staging=1; shift ;;
    --force) force=1; shift ;;
    --domains) domains="${2:?--domains needs a value}"; shift 2 ;;
    --email) email="${2:?--email needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "init-letsencrypt.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

domains="${domains:-$(env_value DOMAINS)}"
email="${email:-$(env_value LETSENCRYPT_EMAIL)}"
read -r -a names <<<"${domains//,/ }"
if [[ ${#names[@]} -eq 0 ]]; then
  echo "init-letsencrypt.sh: no domains: set DOMAINS in $env_file or pass --domains" >&2
  exit 2
fi
for name in "${names[@]}"; do
  if [[ ! "$name" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; then
    echo "init-letsencrypt.sh: not a host name: $name" >&2
    exit 2
  fi
done
cert_name="${names[0]}"
if [[ -z "$email" ]]; then
  echo "init-letsencrypt.sh: set LETSENCRYPT_EMAIL in $env_file or pass --email" >&2
  exit 2
fi

echo "==> Starting nginx (a self-signed placeholder covers HTTPS until the real certificate)"
compose up -d web

# What /etc/letsencrypt holds for this name: none, placeholder, staging or production.
state="$(compose run --rm --no-deps --entrypoint /bin/sh certbot -c "
  live=/etc/letsencrypt/live/$cert_name
  if [ ! -e \"\$live/fullchain.pem\" ]; then echo none
  elif [ -e \"\$live/.hintbook-placeholder\" ]; then echo placeholder
  elif grep -qs acme-staging /etc/letsencrypt/renewal/$cert_name.conf; then echo staging
  else echo production; fi" | tr -d '\r' | tail -n 1)"
echo "==> Current certificate for $cert_name: $state"

if [[ "$state" == production && "$force" -ne 1 ]]; then
  echo "A Let's Encrypt certificate already exists; certbot renews it. Use --force to replace it."
  exit 0
fi

# nginx holds the current certificate in memory, so removing its files does not interrupt it.
if [[ "$state" != none ]]; then
  echo "==> Removing the $state certificate files for $cert_name"
  compose run --rm --no-deps --entrypoint /bin/sh certbot -c "rm -rf \
    /etc/letsencrypt/live/$cert_name /etc/letsencrypt/archive/$cert_name \
    /etc/letsencrypt/renewal/$cert_name.conf"
fi

args=(certonly --webroot -w /var/www/certbot --cert-name "$cert_name" --email "$email"
  --agree-tos --no-eff-email --non-interactive --key-type ecdsa)
for name in "${names[@]}"; do args+=(-d "$name"); done
if [[ "$staging" -eq 1 ]]; then args+=(--staging); fi

echo "==> Requesting a certificate for: ${names[*]}$([[ $staging -eq 1 ]] && echo ' (staging)')"
if ! compose run --rm --no-deps --entrypoint certbot certbot "${args[@]}"; then
  echo "init-letsencrypt.sh: certbot failed. Check that every name resolves to this server and" \
    "that port 80 is reachable; then try --staging. nginx keeps running; on its next restart" \
    "it writes a new placeholder." >&2
  exit 1
fi

echo "==> Reloading nginx onto the new certificate"
compose exec -T web nginx -s reload
echo "Done. https://$cert_name/ now uses the $([[ $staging -eq 1 ]] && echo staging || echo Let\'s Encrypt) certificate."
