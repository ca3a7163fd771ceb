#!/usr/bin/env bash
# The production stack, built and run end to end on this machine: every image built from this
# checkout, docker-compose.prod.yml started with a small test override, and the whole of it used
# through nginx over HTTPS. Each step prints its time; the summary goes to the CI report too.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/stack-test.sh [--official-images] [--keep] [--help]

  1. base images: scripts/build-base-images.sh (local stand-ins for the official images; cached)
  2. images: db, backend, web, backup (and the fake AI vendor) built from this checkout, FROM
     those base images through the Dockerfiles' build arguments (docker's layer cache applies)
  3. docker-compose.prod.yml up, with a test override: a self-signed certificate for localhost,
     the project's fake OpenAI server on the compose network, ports on 127.0.0.1 only
  4. wait until db, backend and web are healthy
  5. scripts/healthcheck.sh against it; the backend container recreated by hand at another
     address, and nginx still reaching it without a reload
  6. Chromium through nginx over HTTPS (e2e/stack/production-stack.test.ts): register, open the
     workspace (cross-origin isolated, Python runs), a tutor answer streamed over socket.io
  7. scripts/upgrade.sh --no-images while a loop requests /api/health through nginx: the swap of
     the backend must fail none of them
  8. backup (backup.sh in the backup container), verify-backup.sh, then restore into the
     database of a second, empty stack and compare the row counts of every table
  9. point-in-time recovery: a pgBackRest base backup to the off-site bucket (an S3-compatible
     test server on the stack's network), rows written, a moment noted, more rows and a dropped
     table, the WAL archived; restore-pitr.sh to that moment into a third, empty stack, whose
     database must hold exactly what was committed before it (its restore time is printed)
 10. tear everything down (containers, networks, volumes; the images stay as cache)

  --official-images  skip step 1: build FROM the official images the Dockerfiles name (a machine
                     that can pull them, e.g. GitHub's runners)
  --keep             leave the stacks running (tear down later with the command it prints)
  -h, --help         this help
Needs: root, a running Docker engine, docker-compose (1.29) or docker compose, debootstrap,
openssl, node with this checkout's npm dependencies, Chromium (/usr/bin/chromium).
Environment: HINTBOOK_TEST_REPORTS (a folder: the step summary is written there as
stack-test.md); registry settings (NODE_EXTRA_CA_CERTS, NPM_CONFIG_REGISTRY, PIP_CERT,
PIP_INDEX_URL, HTTP_PROXY, HTTPS_PROXY, NO_PROXY) are passed to the image builds as build
arguments when set.
USAGE
}

keep=0
official=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) keep=1; shift ;;
    --official-images) official=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "stack-test.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d /tmp/hintbook-stack-test.XXXXXX)"
project="hintbook-stacktest"
restore_project="$project-restore"
pitr_project="$project-pitr"
# The off-site bucket lives outside the three stacks, as it would. Two networks reach it: one
# for the databases (their WAL), one for the backup sidecars (base backups). Never one for both:
# a sidecar resolving "db" there would find every stack's database.
offsite_network="$project-offsite"
sidecar_network="$project-offsite-sidecar"
s3_container="$project-s3"
prefix="hintbook-stack"
version="test"
# Without buildx the docker CLI uses the classic builder; the Dockerfiles need nothing newer.
export DOCKER_BUILDKIT="${DOCKER_BUILDKIT:-0}"

compose_cli() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}
# The operator's scripts find this stack the standard way: COMPOSE_FILE and COMPOSE_PROJECT_NAME.
export COMPOSE_FILE="$work/docker-compose.prod.yml:$work/stack-test.override.yml"
export COMPOSE_PROJECT_NAME="$project"
export ENV_FILE="$work/.env"
stack() { COMPOSE_PROJECT_NAME="$project" compose_cli "$@"; }
# The restored stacks must not archive WAL into the production stack's repository.
restore_stack() { PITR_ARCHIVE=off COMPOSE_PROJECT_NAME="$restore_project" compose_cli "$@"; }
pitr_stack() { PITR_ARCHIVE=off COMPOSE_PROJECT_NAME="$pitr_project" compose_cli "$@"; }

started=$SECONDS
summary="$work/summary.md"
printf '| step | seconds | result |\n| --- | ---: | --- |\n' >"$summary"
current=""
step_started=$SECONDS
step() {
  current="$1"
  step_started=$SECONDS
  printf '\n[stack %4ss] %s\n' "$((SECONDS - started))" "$current"
}
step_done() {
  local seconds=$((SECONDS - step_started))
  printf '[stack %4ss]   ok: %s (%ss)\n' "$((SECONDS - started))" "$current" "$seconds"
  printf '| %s | %s | ok |\n' "$current" "$seconds" >>"$summary"
  current=""
}

publish_summary() {
  printf '| total | %s | %s |\n' "$((SECONDS - started))" "$1" >>"$summary"
  echo
  cat "$summary"
  if [[ -n "${HINTBOOK_TEST_REPORTS:-}" ]]; then
    mkdir -p "$HINTBOOK_TEST_REPORTS"
    cp "$summary" "$HINTBOOK_TEST_REPORTS/stack-test.md"
  fi
}

teardown() {
  stack down --volumes --remove-orphans >/dev/null 2>&1 || true
  restore_stack down --volumes --remove-orphans >/dev/null 2>&1 || true
  pitr_stack down --volumes --remove-orphans >/dev/null 2>&1 || true
  docker rm -f "$s3_container" >/dev/null 2>&1 || true
  docker network rm "$offsite_network" "$sidecar_network" >/dev/null 2>&1 || true
}

on_exit() {
  local status=$?
  if [[ "$status" -ne 0 ]]; then
    [[ -n "$current" ]] && printf '| %s | %s | FAILED |\n' "$current" "$((SECONDS - step_started))" >>"$summary"
    echo "stack-test.sh: FAILED at: ${current:-?}" >&2
    stack ps >&2 2>/dev/null || true
    stack logs --tail=60 >&2 2>/dev/null || true
    publish_summary FAILED
  fi
  if [[ "$keep" -eq 1 ]]; then
    echo "stack-test.sh: kept running; tear down with:" >&2
    echo "  COMPOSE_FILE=$COMPOSE_FILE COMPOSE_PROJECT_NAME=$project docker-compose down -v" >&2
  else
    teardown
    rm -rf "$work"
  fi
  exit "$status"
}
trap on_exit EXIT

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# --- 1 -----------------------------------------------------------------------------------------
if [[ "$official" -eq 0 ]]; then
  step "base images (scripts/build-base-images.sh)"
  scripts/build-base-images.sh --env-file "$work/base-images.env"
  step_done
else
  # The Dockerfiles' defaults; certbot as docker-compose.prod.yml names it.
  printf 'CERTBOT_IMAGE=%s\n' "$(sed -n 's/^    image: \(certbot\/certbot:.*\)$/\1/p' docker-compose.prod.yml)" \
    >"$work/base-images.env"
fi
# shellcheck disable=SC1091 # written just above: NODE_IMAGE=… lines
source "$work/base-images.env"
# --build-arg NAME=value for each base image named, none with --official-images.
base_arg() { if [[ -n "${!1:-}" ]]; then printf '%s\n' --build-arg "$1=${!1}"; fi; }

# --- 2 -----------------------------------------------------------------------------------------
step "images (db, backend, web, backup, fake AI vendor, S3 test server)"
build_args=()
for name in NODE_EXTRA_CA_CERTS NPM_CONFIG_REGISTRY PIP_CERT PIP_INDEX_URL HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [[ -n "${!name:-}" ]] && build_args+=(--build-arg "$name")
done
build() {
  local tag="$1" started_at=$SECONDS output
  shift
  if ! output="$(docker build --force-rm "${build_args[@]}" "$@" -t "$tag" . 2>&1)"; then
    printf '%s\n' "$output" | tail -n 60 >&2
    echo "stack-test.sh: building $tag failed" >&2
    return 1
  fi
  printf '  %-36s %4ss\n' "$tag" "$((SECONDS - started_at))"
}
mapfile -t node_arg < <(base_arg NODE_IMAGE)
mapfile -t web_args < <(base_arg NODE_IMAGE; base_arg PYTHON_IMAGE; base_arg DEBIAN_IMAGE)
mapfile -t db_arg < <(base_arg PGVECTOR_IMAGE)
mapfile -t backup_arg < <(base_arg POSTGRES_IMAGE)
mapfile -t python_arg < <(base_arg PYTHON_IMAGE)
build "$prefix/db:$version" -f db/Dockerfile "${db_arg[@]}"
build "$prefix/backend:$version" -f backend/Dockerfile --target runtime "${node_arg[@]}"
# The fake vendor runs from the backend's dependency stage (tsx and the sources' imports).
build "$prefix/backend-deps:$version" -f backend/Dockerfile --target deps "${node_arg[@]}"
build "$prefix/web:$version" -f frontend/Dockerfile --target web "${web_args[@]}"
build "$prefix/backup:$version" -f backup/Dockerfile "${backup_arg[@]}"
build "$prefix/s3:$version" -f docker/test/s3.Dockerfile "${python_arg[@]}"
step_done

# --- 3 -----------------------------------------------------------------------------------------
step "compose up (docker-compose.prod.yml + test override)"
https_port="$(free_port)"
http_port="$(free_port)"
fake_port="$(free_port)"
cp docker-compose.prod.yml "$work/"
# A self-signed certificate for localhost where Let's Encrypt would put one.
mkdir -p "$work/certs"
openssl req -x509 -nodes -newkey rsa:2048 -days 30 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost" -keyout "$work/certs/privkey.pem" \
  -out "$work/certs/fullchain.pem" >/dev/null 2>&1
cp "$work/certs/fullchain.pem" "$work/certs/chain.pem"
chmod 644 "$work/certs"/*.pem
# The bucket's certificate names the service "s3"; the database and the sidecar trust it.
mkdir -p "$work/s3"
openssl req -x509 -nodes -newkey rsa:2048 -days 30 -subj "/CN=s3" -addext "subjectAltName=DNS:s3" \
  -keyout "$work/s3/key.pem" -out "$work/s3/cert.pem" >/dev/null 2>&1
chmod 644 "$work/s3"/*.pem
# A run cut short may have left them behind.
docker rm -f "$s3_container" >/dev/null 2>&1 || true
docker network rm "$offsite_network" "$sidecar_network" >/dev/null 2>&1 || true
docker network create "$offsite_network" >/dev/null
docker network create "$sidecar_network" >/dev/null
docker run -d --name "$s3_container" --network "$offsite_network" --network-alias s3 \
  -v "$work/s3:/certs:ro" "$prefix/s3:$version" --cert /certs/cert.pem --key /certs/key.pem \
  --host 0.0.0.0 --port 9000 --bucket hintbook-offsite >/dev/null
docker network connect --alias s3 "$sidecar_network" "$s3_container"
spki="$(openssl x509 -in "$work/certs/fullchain.pem" -pubkey -noout |
  openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
# What an operator writes into .env, with test values.
cat >"$work/.env" <<ENV
DOMAINS=localhost
PUBLIC_URL=https://localhost:$https_port
HTTP_PORT=127.0.0.1:$http_port
HTTPS_PORT=127.0.0.1:$https_port
POSTGRES_PASSWORD=$(openssl rand -hex 24)
JWT_SECRET_KEY=$(openssl rand -base64 48 | tr -d '\n')
HINTBOOK_IMAGE_PREFIX=$prefix
HINTBOOK_VERSION=$version
LLM_PROVIDER=openai
OPENAI_API_KEY=sk-stack-test
OPENAI_BASE_URL=http://fake-ai:8080/v1
PITR_S3_BUCKET=hintbook-offsite
PITR_S3_ENDPOINT=s3
PITR_S3_PORT=9000
PITR_S3_URI_STYLE=path
PITR_S3_KEY=stack-test
PITR_S3_KEY_SECRET=$(openssl rand -hex 20)
PITR_CIPHER_PASS=$(openssl rand -base64 48 | tr -d '\n')
PITR_ARCHIVE_TIMEOUT=60
ENV
cat >"$work/stack-test.override.yml" <<YAML
# scripts/stack-test.sh: what differs from production on a test machine.
services:
  web:
    volumes:
      - $work/certs:/etc/letsencrypt/live/localhost:ro
  certbot:
    image: $CERTBOT_IMAGE
  fake-ai:
    image: $prefix/backend-deps:$version
    init: true
    working_dir: /app
    command: ['node_modules/.bin/tsx', 'backend/src/test/fake-providers/serve.ts', 'openai', '8080']
    environment:
      FAKE_HOST: 0.0.0.0
      FAKE_TIMING: realistic
    volumes:
      # The fake imports a little of the backend's own code (the mock embedder).
      - $root/backend/src:/app/backend/src:ro
    ports:
      - '127.0.0.1:$fake_port:8080'
    networks: [edge]
  db:
    environment:
      PGBACKREST_REPO1_STORAGE_CA_FILE: /pitr-ca/cert.pem
    volumes:
      - $work/s3/cert.pem:/pitr-ca/cert.pem:ro
  backup:
    # Healthy as soon as its first backup exists (it takes one at start), not after the
    # production start period of ten minutes: healthcheck.sh looks at it in step 5.
    healthcheck:
      interval: 5s
      start_period: 5s
    environment:
      PGBACKREST_REPO1_STORAGE_CA_FILE: /pitr-ca/cert.pem
    volumes:
      - $work/s3/cert.pem:/pitr-ca/cert.pem:ro
    # Production reaches the bucket through edge; here through a network the bucket is on.
    networks: [data, edge, offsite-sidecar]
networks:
  archive:
    external: true
    name: $offsite_network
  offsite-sidecar:
    external: true
    name: $sidecar_network
YAML
stack up -d --no-build
step_done

# --- 4 -----------------------------------------------------------------------------------------
step "healthy: db, backend, web"
wait_healthy() {
  local service id state
  for _ in $(seq 1 90); do
    local all=1
    for service in db backend web; do
      id="$(stack ps -q "$service" 2>/dev/null || true)"
      state="$(docker inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || echo missing)"
      [[ "$state" == healthy ]] || all=0
    done
    [[ "$all" -eq 1 ]] && return 0
    sleep 2
  done
  echo "stack-test.sh: not healthy after 3 minutes" >&2
  return 1
}
wait_healthy
step_done

# --- 5 -----------------------------------------------------------------------------------------
step "scripts/healthcheck.sh"
# The test certificate lasts 30 days; the backup sidecar writes its first backup at start.
scripts/healthcheck.sh --url "https://localhost:$https_port" --insecure
# The web image is Debian's nginx with brotli_static (frontend/Dockerfile): the workspace's
# files go out as their .br copies, which is what keeps a cold load under 8 MB.
encoding="$(curl -ks -o /dev/null -H 'Accept-Encoding: gzip, deflate, br' -w '%header{content-encoding}' \
  "https://localhost:$https_port/jupyterlite/bootstrap.js")"
[[ "$encoding" == br ]] || { echo "stack-test.sh: the workspace files are sent as '$encoding', not br" >&2; exit 1; }
echo "  workspace files sent brotli-compressed (content-encoding: br)"
step_done

step "backend recreated by hand: nginx reaches the new container without a reload"
backend_ip() { docker inspect -f "{{(index .NetworkSettings.Networks \"${project}_edge\").IPAddress}}" "$(stack ps -q backend)"; }
before="$(backend_ip)"
stack rm --stop --force backend >/dev/null 2>&1
# A placeholder takes the freed address, so the new container surely gets another one.
placeholder="$(docker run -d --rm --network "${project}_edge" --entrypoint sleep "$prefix/backend:$version" 600)"
stack up -d --no-deps backend
wait_healthy
after="$(backend_ip)"
docker rm -f "$placeholder" >/dev/null
[[ "$before" != "$after" ]] || { echo "stack-test.sh: the backend kept its address $before" >&2; exit 1; }
health=""
for _ in $(seq 1 30); do
  health="$(curl -ks -o /dev/null -w '%{http_code}' "https://localhost:$https_port/api/health" || true)"
  [[ "$health" == 200 ]] && break
  sleep 1
done
[[ "$health" == 200 ]] || { echo "stack-test.sh: nginx answers $health after the backend moved" >&2; exit 1; }
echo "  backend moved from $before to $after; nginx answers 200 without a reload"
step_done

# --- 6 -----------------------------------------------------------------------------------------
step "Chromium over HTTPS: register, workspace with Python, tutor answer over socket.io"
HINTBOOK_STACK_URL="https://localhost:$https_port" HINTBOOK_STACK_SPKI="$spki" \
  HINTBOOK_STACK_FAKE="http://127.0.0.1:$fake_port" HINTBOOK_STACK_ACCOUNT_FILE="$work/account" \
  HINTBOOK_TEST_REPORT_NAME=stack npx vitest run --root e2e stack/production-stack.test.ts
step_done

step "scripts/upgrade.sh swapping the backend under a steady request loop: zero failed requests"
loop_file="$work/requests.txt"
: >"$loop_file"
(
  while [[ ! -f "$work/stop-requests" ]]; do
    curl -ks -o /dev/null -w '%{http_code}\n' --max-time 10 "https://localhost:$https_port/api/health" \
      >>"$loop_file" || echo "curl-failed" >>"$loop_file"
    sleep 0.05
  done
) &
loop_pid=$!
sleep 2
scripts/upgrade.sh --no-images --yes
sleep 2
touch "$work/stop-requests"
wait "$loop_pid"
total="$(wc -l <"$loop_file" | tr -d ' ')"
failed="$(grep -cvx 200 "$loop_file" || true)"
echo "  $total requests during the upgrade, $failed failed"
if [[ "$failed" -ne 0 || "$total" -lt 20 ]]; then
  sort "$loop_file" | uniq -c >&2
  echo "stack-test.sh: requests failed while upgrade.sh swapped the backend" >&2
  exit 1
fi
step_done

# --- 7 -----------------------------------------------------------------------------------------
step "backup, verify, restore into an empty stack, compare rows"
in_backup() { stack exec -T backup bash -c "source /opt/hintbook/backup/pg-env.sh && $1"; }
dump="$(stack exec -T backup backup.sh --dir /backups | tail -n 1 | tr -d '\r')"
stack exec -T backup verify-backup.sh "$dump"
mkdir -p "$work/restore" && chmod 777 "$work/restore"
stack cp "backup:$dump" "$work/restore/" 2>/dev/null ||
  docker cp "$(stack ps -q backup):$dump" "$work/restore/"
docker cp "$(stack ps -q backup):$dump.sha256" "$work/restore/"
chmod 644 "$work/restore"/*
in_backup "pg_dump_row_counts '$dump'" >"$work/dump-rows.tsv"
restore_stack up -d --no-build db
for _ in $(seq 1 60); do
  [[ "$(docker inspect -f '{{.State.Health.Status}}' "$(restore_stack ps -q db)")" == healthy ]] && break
  sleep 2
done
restore_run() {
  restore_stack run --rm --no-deps -T -v "$work/restore:/restore:ro" --entrypoint bash backup \
    -c "source /opt/hintbook/backup/pg-env.sh && $1"
}
restore_started=$SECONDS
restore_run "restore.sh --force /restore/$(basename "$dump")"
echo "  restore took $((SECONDS - restore_started))s"
restore_run "pg_database_row_counts \"\$PGDATABASE\"" >"$work/restored-rows.tsv"
diff -u "$work/dump-rows.tsv" "$work/restored-rows.tsv"
tables="$(wc -l <"$work/restored-rows.tsv" | tr -d ' ')"
email="$(cat "$work/account")"
found="$(restore_run "pg_query \"\$PGDATABASE\" \"select count(*) from users where email = '$email'\"")"
[[ "$found" == 1 ]] || { echo "stack-test.sh: the student $email is not in the restored database" >&2; exit 1; }
echo "  $tables tables match; the student registered in step 6 is in the restored database"
step_done

# --- 9 -----------------------------------------------------------------------------------------
step "PITR: base backup off-site, restore into an empty stack to a moment, compare rows"
in_db() {
  stack exec -T -u postgres db psql --no-psqlrc -qtAX -v ON_ERROR_STOP=1 -U hintbook -d hintbook -c "$1" | tr -d '\r'
}
stack exec -T backup pitr-backup.sh --type full
in_db "create table pitr_drill (id int primary key); insert into pitr_drill select generate_series(1, 100)"
users_at_target="$(in_db "select count(*) from users")"
sleep 1.1
target="$(in_db "select to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")"
sleep 1.1
in_db "insert into pitr_drill select generate_series(101, 150); delete from users; drop table pitr_drill"
# pgBackRest's check switches to a new WAL segment and waits until the old one is off-site.
stack exec -T -u postgres db pgbackrest check
echo "  restoring to $target"
pitr_started=$SECONDS
pitr_stack run --rm --no-deps -T db restore-pitr.sh --drill --target-time "$target"
files_seconds=$((SECONDS - pitr_started))
pitr_stack up -d --no-build db
pitr_db() {
  pitr_stack exec -T -u postgres db psql --no-psqlrc -qtAX -U hintbook -d hintbook -c "$1" 2>/dev/null | tr -d '\r'
}
for _ in $(seq 1 150); do
  [[ "$(pitr_db "select pg_is_in_recovery()")" == f ]] && break
  sleep 1
done
[[ "$(pitr_db "select pg_is_in_recovery()")" == f ]] || { echo "stack-test.sh: the restored database never left recovery" >&2; exit 1; }
echo "  files restored in ${files_seconds}s; open for writing after $((SECONDS - pitr_started))s"
drill_rows="$(pitr_db "select count(*) || ' rows, ' || max(id) from pitr_drill")"
users_restored="$(pitr_db "select count(*) from users")"
[[ "$drill_rows" == "100 rows, 100" ]] || { echo "stack-test.sh: pitr_drill holds $drill_rows, not the 100 rows before $target" >&2; exit 1; }
[[ "$users_restored" == "$users_at_target" ]] || { echo "stack-test.sh: $users_restored users restored, $users_at_target at $target" >&2; exit 1; }
echo "  the 100 rows and $users_restored users committed before $target are back; nothing after it"
pitr_stack down --volumes >/dev/null 2>&1
step_done

step "tear down"
if [[ "$keep" -eq 0 ]]; then teardown; fi
step_done
publish_summary ok
