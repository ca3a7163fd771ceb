#!/bin/sh
# Renders Hintbook's nginx templates from the environment. The web image runs it at start (from
# /docker-entrypoint.d) and the tests run this same file, so production, development and the test
# stack are served by the same configuration. POSIX sh: the nginx image has no bash.
set -eu

usage() {
  cat <<'USAGE'
Usage: render.sh [--mode https|http] [--out DIR] [--templates DIR]

Writes DIR/conf.d/hintbook.conf and DIR/hintbook/locations.conf from the templates, and, when
nginx has the brotli_static module, DIR/modules.d/hintbook-brotli.conf (load_module) and
DIR/conf.d/hintbook-brotli.conf (brotli_static on).
  --mode https   port 80 (ACME challenge + redirect) and 443 with TLS (production; default)
  --mode http    one plain HTTP server (development, tests)
  --out DIR      nginx configuration folder holding nginx.conf (default /etc/nginx)
  --templates D  template folder (default: templates/ beside this script)

Environment (defaults in brackets):
  DOMAINS                     space/comma separated names; the first names the certificate
  NGINX_SERVER_NAME           [DOMAINS or _]
  NGINX_CERT_NAME             [first of DOMAINS]
  NGINX_HTTP_LISTEN           [80]        NGINX_HTTPS_LISTEN      [443]
  NGINX_BACKEND_UPSTREAM      [backend:3000]
  NGINX_SPA_ROOT              [/usr/share/nginx/html]
  NGINX_JUPYTERLITE_ROOT      [/usr/share/nginx/jupyterlite]
  NGINX_ACME_ROOT             [/var/www/certbot]
  NGINX_SSL_CERTIFICATE       [/etc/letsencrypt/live/$NGINX_CERT_NAME/fullchain.pem]
  NGINX_SSL_CERTIFICATE_KEY   [.../privkey.pem]   NGINX_SSL_TRUSTED_CERTIFICATE [.../chain.pem]
  NGINX_CLIENT_MAX_BODY_SIZE  [10m]
  NGINX_AUTH_RATE             [10r/s]     NGINX_AUTH_BURST        [100]   (/api/auth/, per address)
  NGINX_API_RATE              [30r/s]     NGINX_API_BURST         [300]   (/api/, per address)
  NGINX_SOCKET_RATE           [10r/s]     NGINX_SOCKET_BURST      [200]   (/socket.io/ requests)
  NGINX_SOCKET_CONNECTIONS    [150]       open /socket.io/ connections per address
  NGINX_HSTS                  [max-age=63072000]
  NGINX_RESOLVER              [127.0.0.11] (Docker's DNS: the backend's address, OCSP stapling)
  NGINX_MODULES_DIRS          [/usr/lib/nginx/modules /etc/nginx/modules] where to look for
                              ngx_http_brotli_static_module.so
  NGINX_VERSION               [from `nginx -v`] the nginx that will read the configuration:
                              before 1.25.1, HTTP/2 is written `listen ... ssl http2;`, from
                              1.25.1 on (and when no nginx is found) `http2 on;`
USAGE
}

mode="${NGINX_MODE:-https}"
out="/etc/nginx"
templates="$(cd "$(dirname "$0")" && pwd)/templates"

while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode="${2:?--mode needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    --templates) templates="${2:?--templates needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "render.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$mode" in
  https|http) ;;
  *) echo "render.sh: --mode must be https or http, not '$mode'" >&2; exit 2 ;;
esac

domains="$(printf '%s' "${DOMAINS:-}" | tr ',' ' ' | tr -s ' ' | sed 's/^ //; s/ $//')"
first_domain="${domains%% *}"

: "${NGINX_SERVER_NAME:=${domains:-_}}"
: "${NGINX_CERT_NAME:=${first_domain:-localhost}}"
: "${NGINX_HTTP_LISTEN:=80}"
: "${NGINX_HTTPS_LISTEN:=443}"
: "${NGINX_BACKEND_UPSTREAM:=backend:3000}"
: "${NGINX_SPA_ROOT:=/usr/share/nginx/html}"
: "${NGINX_JUPYTERLITE_ROOT:=/usr/share/nginx/jupyterlite}"
: "${NGINX_ACME_ROOT:=/var/www/certbot}"
: "${NGINX_SSL_CERTIFICATE:=/etc/letsencrypt/live/$NGINX_CERT_NAME/fullchain.pem}"
: "${NGINX_SSL_CERTIFICATE_KEY:=/etc/letsencrypt/live/$NGINX_CERT_NAME/privkey.pem}"
: "${NGINX_SSL_TRUSTED_CERTIFICATE:=/etc/letsencrypt/live/$NGINX_CERT_NAME/chain.pem}"
: "${NGINX_CLIENT_MAX_BODY_SIZE:=10m}"
: "${NGINX_AUTH_RATE:=10r/s}"
: "${NGINX_AUTH_BURST:=100}"
: "${NGINX_API_RATE:=30r/s}"
: "${NGINX_API_BURST:=300}"
: "${NGINX_SOCKET_RATE:=10r/s}"
: "${NGINX_SOCKET_BURST:=200}"
: "${NGINX_SOCKET_CONNECTIONS:=150}"
: "${NGINX_HSTS:=max-age=63072000}"
: "${NGINX_RESOLVER:=127.0.0.11}"

# A value must not be able to end a directive or open a block: that would let .env rewrite the
# configuration. HSTS is quoted in the template, so it may hold ';'.
check() {
  name="$1"; value="$2"; forbidden="$3"
  if [ -z "$value" ]; then
    echo "render.sh: $name is empty" >&2; exit 2
  fi
  case "$value" in
    *[$forbidden]*)
      echo "render.sh: $name contains a forbidden character ($forbidden): $value" >&2; exit 2 ;;
  esac
  if [ "$(printf '%s' "$value" | wc -l)" -ne 0 ]; then
    echo "render.sh: $name contains a newline" >&2; exit 2
  fi
}
# Every name the templates may use; nothing else is substituted, so nginx's own variables
# ($host, $uri, ...) stay untouched.
names='NGINX_SERVER_NAME NGINX_HTTP_LISTEN NGINX_HTTPS_LISTEN NGINX_BACKEND_UPSTREAM
  NGINX_SPA_ROOT NGINX_JUPYTERLITE_ROOT NGINX_ACME_ROOT NGINX_SSL_CERTIFICATE
  NGINX_SSL_CERTIFICATE_KEY NGINX_SSL_TRUSTED_CERTIFICATE NGINX_CLIENT_MAX_BODY_SIZE
  NGINX_AUTH_RATE NGINX_AUTH_BURST NGINX_API_RATE NGINX_API_BURST NGINX_SOCKET_RATE
  NGINX_SOCKET_BURST NGINX_SOCKET_CONNECTIONS NGINX_HSTS NGINX_RESOLVER'

vars=''
for var in $names; do
  eval "value=\${$var}"
  if [ "$var" = NGINX_HSTS ]; then
    forbidden='{}"'"'"'\\$#'
  else
    forbidden=';{}"'"'"'\\$#'
  fi
  # shellcheck disable=SC2154 # assigned by the eval above
  check "$var" "$value" "$forbidden"
  # shellcheck disable=SC2163 # exports the variable named by $var
  export "$var"
  vars="$vars \${$var}"
done

mkdir -p "$out/conf.d" "$out/hintbook"
{
  envsubst "$vars" <"$templates/http.conf.template"
  envsubst "$vars" <"$templates/server-$mode.conf.template"
} >"$out/conf.d/hintbook.conf.tmp"
envsubst "$vars" <"$templates/locations.conf.template" >"$out/hintbook/locations.conf.tmp"
# The templates say `http2 on;` (nginx 1.25.1+, where `listen ... http2` is deprecated); an
# older nginx cannot parse it, and only knows the listen parameter.
version="${NGINX_VERSION:-$(nginx -v 2>&1 | sed -n 's|^nginx version: [^/]*/\([0-9.]*\).*|\1|p' || true)}"
if [ -n "$version" ] && [ "$(printf '%s\n%s\n' "$version" 1.25.1 | sort -t . -k1,1n -k2,2n -k3,3n | head -n 1)" != 1.25.1 ]; then
  sed -e '/^ *http2 on;$/d' -e 's/^\( *listen [^;]* ssl\);$/\1 http2;/' \
    "$out/conf.d/hintbook.conf.tmp" >"$out/conf.d/hintbook.conf.legacy"
  mv "$out/conf.d/hintbook.conf.legacy" "$out/conf.d/hintbook.conf.tmp"
  http2="listen ... ssl http2 (nginx $version)"
else
  http2="http2 on (nginx ${version:-version unknown})"
fi
mv "$out/conf.d/hintbook.conf.tmp" "$out/conf.d/hintbook.conf"
mv "$out/hintbook/locations.conf.tmp" "$out/hintbook/locations.conf"

# Brotli: where this nginx has the brotli_static module (Debian's package
# libnginx-mod-http-brotli-static; the official nginx image has none), browsers that accept br
# get the .br copies of the JupyterLite site (about a quarter smaller than the .gz ones);
# elsewhere they get the .gz copies. nginx.conf includes modules.d/ before anything else.
brotli_module=''
for dir in ${NGINX_MODULES_DIRS:-/usr/lib/nginx/modules /etc/nginx/modules}; do
  if [ -f "$dir/ngx_http_brotli_static_module.so" ]; then
    brotli_module="$dir/ngx_http_brotli_static_module.so"
    break
  fi
done
mkdir -p "$out/modules.d"
if [ -n "$brotli_module" ]; then
  printf 'load_module %s;\n' "$brotli_module" >"$out/modules.d/hintbook-brotli.conf"
  printf 'brotli_static on;\n' >"$out/conf.d/hintbook-brotli.conf"
else
  rm -f "$out/modules.d/hintbook-brotli.conf" "$out/conf.d/hintbook-brotli.conf"
fi
echo "render.sh: wrote $mode configuration for '$NGINX_SERVER_NAME' to $out; HTTP/2: $http2" >&2
