#!/usr/bin/env bash
# An S3-compatible server for tests, on TLS: moto's S3 (the AWS wire format, kept in memory)
# served by gunicorn, which keeps connections alive the way S3 does (pgBackRest reuses its
# connections; Werkzeug's development server drops them). It stands in for the off-site bucket
# of point-in-time recovery in e2e/ops/pitr.test.ts and in scripts/stack-test.sh.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/s3-test-server.sh --cert FILE --key FILE [--host HOST] [--port PORT] [--venv DIR]
                                 [--bucket NAME]
       scripts/s3-test-server.sh --install-only [--venv DIR]

  --cert, --key   the TLS certificate and key to serve (clients verify the endpoint's name)
  --host HOST     address to listen on [127.0.0.1]
  --port PORT     port [9000]
  --venv DIR      where moto and gunicorn are installed, from PyPI with pinned hashes
                  (scripts/s3-test-server.requirements.txt) [/var/tmp/hintbook-s3-test/<hash>]
  --bucket NAME   make this bucket once the server answers (else: PUT /NAME yourself)
  --install-only  install into the venv (when not there yet) and exit
  -h, --help      this help
Any access key is accepted; buckets are made with a PUT /BUCKET. Data lives in memory only.
Needs python3 with venv.
USAGE
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
requirements="$here/s3-test-server.requirements.txt"
cert=""
key=""
host=127.0.0.1
port=9000
venv=""
install_only=0
bucket=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cert) cert="${2:?--cert needs a file}"; shift 2 ;;
    --key) key="${2:?--key needs a file}"; shift 2 ;;
    --host) host="${2:?--host needs a value}"; shift 2 ;;
    --port) port="${2:?--port needs a value}"; shift 2 ;;
    --venv) venv="${2:?--venv needs a folder}"; shift 2 ;;
    --bucket) bucket="${2:?--bucket needs a name}"; shift 2 ;;
    --install-only) install_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "s3-test-server.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ -n "$venv" ]] || venv="/var/tmp/hintbook-s3-test/$(sha256sum "$requirements" | cut -c1-12)"

# The stamp is written last: an install cut short is made again, not used.
if [[ ! -f "$venv/.installed" ]]; then
  echo "s3-test-server.sh: installing moto and gunicorn into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes \
    --only-binary=:all: -r "$requirements"
  touch "$venv/.installed"
fi
[[ "$install_only" -eq 1 ]] && exit 0

if [[ -z "$cert" || -z "$key" ]]; then
  echo "s3-test-server.sh: --cert and --key are needed (S3 clients such as pgBackRest speak TLS only)" >&2
  exit 2
fi
serve=("$venv/bin/gunicorn" --worker-class gthread --threads 8 --workers 1
  --certfile "$cert" --keyfile "$key" --bind "$host:$port" --log-level warning
  'moto.server:create_backend_app("s3")')
[[ -n "$bucket" ]] || exec "${serve[@]}"

"${serve[@]}" &
server=$!
trap 'kill "$server" 2>/dev/null' TERM INT
# The certificate names the service, not 127.0.0.1: this one local call skips the name check.
"$venv/bin/python" - "$port" "$bucket" <<'PY'
import ssl, sys, time, urllib.request
port, bucket = sys.argv[1], sys.argv[2]
context = ssl._create_unverified_context()
for _ in range(100):
    try:
        urllib.request.urlopen(urllib.request.Request(f"https://127.0.0.1:{port}/{bucket}", method="PUT"), context=context)
        print(f"s3-test-server.sh: bucket {bucket} ready", file=sys.stderr)
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("s3-test-server.sh: the server did not answer")
PY
wait "$server"
