#!/usr/bin/env bash
# Upgrades a running Hintbook: backup, new images (built here or pulled), migrations applied by
# the new image while the old backend still serves, then each service replaced in turn. Users
# see a few seconds of 502 at most while the backend container is swapped.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/upgrade.sh [--build | --pull] [--no-backup] [--yes]

  --build      build the images from this checkout (default; `git pull` first)
  --pull       pull prebuilt images named by HINTBOOK_IMAGE_PREFIX and HINTBOOK_VERSION in .env
  --no-backup  skip the backup taken before migrating (not recommended)
  --yes        do not ask for confirmation
  -h, --help   this help
Steps: backup → images → migrate (advisory lock; the old backend keeps serving) → backend →
nginx reload → web, certbot, backup → scripts/healthcheck.sh.
Migrations must stay compatible with the previous release while it still runs (expand, then
contract in a later release). Roll back: restore the backup taken in step 1 (docs/operations.md).
Environment: COMPOSE_FILE_PATH [docker-compose.prod.yml] or compose's own COMPOSE_FILE and
COMPOSE_PROJECT_NAME.
USAGE
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
compose_file="${COMPOSE_FILE_PATH:-docker-compose.prod.yml}"

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

mode=build
backup=1
assume_yes=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) mode=build; shift ;;
    --pull) mode=pull; shift ;;
    --no-backup) backup=0; shift ;;
    --yes|-y) assume_yes=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "upgrade.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ "$assume_yes" -ne 1 && -t 0 ]]; then
  read -r -p "Upgrade Hintbook now ($mode images)? [y/N] " answer
  [[ "$answer" =~ ^[Yy] ]] || { echo "Nothing changed."; exit 0; }
fi

step() { printf '\n==> %s\n' "$*"; }

if [[ "$backup" -eq 1 ]]; then
  step "1/6 Backup before upgrading"
  compose exec -T backup backup.sh --dir /backups
fi

step "2/6 New images ($mode)"
if [[ "$mode" == pull ]]; then
  compose pull backend web backup certbot db
else
  compose build --pull backend web backup
fi

step "3/6 Migrations, with the new backend image (the running backend keeps serving)"
compose run --rm --no-deps -T backend node backend/dist/db/migrate.cli.js

step "4/6 Backend"
compose up -d --no-deps backend
for _ in $(seq 1 60); do
  state="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$(compose ps -q backend)" 2>/dev/null || true)"
  [[ "$state" == healthy ]] && break
  sleep 2
done
if [[ "${state:-}" != healthy ]]; then
  echo "upgrade.sh: the new backend is not healthy after 2 minutes:" \
    "docker compose -f $compose_file logs backend" >&2
  exit 1
fi

step "5/6 nginx: re-resolve the backend (graceful reload), then the new web image"
compose exec -T web nginx -s reload
compose up -d --no-deps web

step "6/6 Sidecars"
compose up -d --no-deps certbot backup
docker image prune -f >/dev/null || true

step "Health"
scripts/healthcheck.sh || true
