#!/usr/bin/env bash
# Confirms who the admins are on a Docker deployment: runs the backend's admin command inside
# the running backend container, with the same settings as the server.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/admin.sh <command>

  list                     every ADMIN_EMAIL address and whether its account is admin yet
  promote EMAIL            confirm that the account with this listed address is your admin's
  revoke EMAIL             take that back: the account stays, without admin rights
  create EMAIL USERNAME    make a listed admin's account (for REGISTRATION_MODE=closed); prints
                           a one-time password to change after signing in
  -h, --help               this help
An ADMIN_EMAIL account becomes admin only once its address is verified; this is how an operator
verifies it. Every action is written to the audit log.
Environment: COMPOSE_FILE_PATH [docker-compose.prod.yml].
Without Docker (npm start): npm run admin -- <command>
USAGE
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  '') usage >&2; exit 2 ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
compose_file="${COMPOSE_FILE_PATH:-docker-compose.prod.yml}"
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose -f "$compose_file")
else
  compose=(docker-compose -f "$compose_file")
fi
exec "${compose[@]}" exec -T backend node backend/dist/modules/users/admin.cli.js "$@"
