#!/usr/bin/env bash
# Upgrades a running Hintbook: backup, new images (built here or pulled), migrations applied by
# the new image while the old backend still serves, then each service replaced in turn. No
# request fails: a single backend without Redis gets a new container beside it, nginx sends
# requests to both, and the old one stops once the new one is healthy. With several replicas (or
# REDIS_URL set) they are rolled one at a time: a new one turns healthy, nginx learns it, then an
# old one drains (SIGTERM: readiness fails, its sockets move, its answers finish) and goes.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/upgrade.sh [--build | --pull | --no-images] [--no-backup] [--yes]

  --build      build the images from this checkout (default; `git pull` first)
  --pull       pull prebuilt images named by HINTBOOK_IMAGE_PREFIX and HINTBOOK_VERSION in .env
  --no-images  use the images already tagged so (built or loaded beforehand)
  --no-backup  skip the backup taken before migrating (not recommended)
  --yes        do not ask for confirmation
  -h, --help   this help
Steps: backup → images → migrate (advisory lock; the old backend keeps serving) → a new backend
beside the old one, the old one stopped once the new one is healthy (no failed request) →
web (if its image changed), certbot, backup → scripts/healthcheck.sh.
Migrations must stay compatible with the previous release while it still runs (expand, then
contract in a later release). Roll back: restore the backup taken in step 1 (docs/operations.md).
Environment: COMPOSE_FILE_PATH [docker-compose.prod.yml] or compose's own COMPOSE_FILE and
COMPOSE_PROJECT_NAME, ENV_FILE [.env], DRAIN_SECONDS [60] (how long an old replica may drain
before docker kills it, when replicas are rolled).
USAGE
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
compose_file="${COMPOSE_FILE_PATH:-docker-compose.prod.yml}"
env_file="${ENV_FILE:-.env}"
drain_seconds="${DRAIN_SECONDS:-60}"

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
    --no-images) mode=none; shift ;;
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
elif [[ "$mode" == build ]]; then
  compose build --pull backend web backup
else
  echo "using the images already tagged"
fi

step "3/6 Migrations, with the new backend image (the running backend keeps serving)"
compose run --rm --no-deps -T backend node backend/dist/db/migrate.cli.js

# Waits until a container's health check passes (2 minutes at most).
wait_healthy() {
  local id="$1" state=""
  for _ in $(seq 1 60); do
    state="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id" 2>/dev/null || true)"
    [[ "$state" == healthy ]] && return 0
    sleep 2
  done
  echo "upgrade.sh: the new backend $id is not healthy after 2 minutes:" \
    "docker compose -f $compose_file logs backend" >&2
  return 1
}

redis_configured() {
  [[ -f "$env_file" ]] && grep -Eq '^REDIS_URL=.+' "$env_file"
}

# One at a time: start a new replica beside the old ones, wait for it, let nginx see it, then
# drain one old replica (docker stop sends SIGTERM, then waits DRAIN_SECONDS) and remove it.
roll_backends() {
  local old_ids=("$@") count=$# old id new_id ids
  for old in "${old_ids[@]}"; do
    compose up -d --no-deps --no-recreate --scale "backend=$((count + 1))" backend
    new_id=""
    mapfile -t ids < <(compose ps -q backend)
    for id in "${ids[@]}"; do
      [[ " ${old_ids[*]} " == *" $id "* ]] && continue
      [[ " ${rolled[*]:-} " == *" $id "* ]] && continue
      new_id="$id"
    done
    [[ -n "$new_id" ]] || { echo "upgrade.sh: no new backend container appeared" >&2; return 1; }
    wait_healthy "$new_id"
    rolled+=("$new_id")
    compose exec -T web nginx -s reload
    docker stop --time "$drain_seconds" "$old"
    docker rm "$old" >/dev/null
    compose exec -T web nginx -s reload
  done
}

mapfile -t running_backends < <(compose ps -q backend)
rolled=()
if [[ ${#running_backends[@]} -gt 1 ]] || { [[ ${#running_backends[@]} -eq 1 ]] && redis_configured; }; then
  step "4/6 Backends, one replica at a time (${#running_backends[@]} running)"
  roll_backends "${running_backends[@]}"
else
  step "4/6 Backend: the new one beside the old one, then the old one stopped"
  healthy() {
    [[ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1" 2>/dev/null)" == healthy ]]
  }
  old_backends="$(compose ps -q backend)"
  compose up -d --no-deps --no-recreate --scale backend=2 backend
  new_backend=""
  for _ in $(seq 1 60); do
    for id in $(compose ps -q backend); do
      if [[ "$old_backends" != *"$id"* ]] && healthy "$id"; then new_backend="$id"; fi
    done
    [[ -n "$new_backend" ]] && break
    sleep 2
  done
  if [[ -z "$new_backend" ]]; then
    echo "upgrade.sh: the new backend is not healthy after 2 minutes; the old one still serves." \
      "Look at: docker compose -f $compose_file logs backend" >&2
    exit 1
  fi
  # nginx asks Docker's DNS again after 10 s (nginx/templates/http.conf.template): from then on
  # it knows both addresses, and retries a refused connection on the other one.
  sleep 11
  for id in $old_backends; do
    # The old backend finishes what it is answering (graceful shutdown), then is removed.
    docker stop --time 30 "$id" >/dev/null
    docker rm "$id" >/dev/null
  done
  echo "backend replaced: $(docker inspect -f '{{.Name}}' "$new_backend")"
fi

step "5/6 web (recreated only when its image or settings changed)"
compose up -d --no-deps web

step "6/6 Sidecars"
compose up -d --no-deps certbot backup
docker image prune -f >/dev/null || true

step "Health"
scripts/healthcheck.sh || true
