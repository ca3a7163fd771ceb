#!/usr/bin/env bash
# Starts the built server the way `npm start` does (embedded database in a scratch folder),
# waits for /api/health to answer 200 and for the SPA to be served, then stops it.
set -euo pipefail
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: scripts/smoke-start.sh"
  echo "Smoke-tests the built backend (npm run build first): health 200, SPA served, clean stop."
  exit 0
fi
cd "$(dirname "$0")/.."
data_dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
log="$data_dir/server.log"
cleanup() {
  if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$data_dir"
}
trap cleanup EXIT
DATA_DIR="$data_dir" PORT="$port" HOST=127.0.0.1 node backend/dist/main.js >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; echo "server exited during start"; exit 1; }
  sleep 0.5
done
health=$(curl -fsS "http://127.0.0.1:$port/api/health") || { cat "$log"; exit 1; }
echo "GET /api/health -> $health"
curl -fsS "http://127.0.0.1:$port/login" | grep -q '<div id="root">' || { echo "SPA not served"; exit 1; }
echo "GET /login -> SPA index.html"
kill -TERM "$server_pid"
wait "$server_pid" || { cat "$log"; echo "server did not stop cleanly"; exit 1; }
server_pid=
echo "smoke start: ok"
