#!/usr/bin/env bash
# Build Hintbook's self-hosted JupyterLite site (served under /jupyterlite/) into jupyterlite/dist.
# The same script runs on a developer machine, in CI and in the Docker image build.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/build-jupyterlite.sh [--force] [--help]

Builds the JupyterLite workspace with the official CLI (jupyterlite-core and
jupyterlite-pyodide-kernel, pinned in jupyterlite/requirements.txt), a self-hosted Pyodide
core (npm `pyodide`, pinned in jupyterlite/pins.env), the kernel's pure-Python wheels
(jupyterlite/kernel-wheels.txt), the WebAssembly builds of numpy/pandas/matplotlib that can be
had (jupyterlite/wasm-wheels.txt), a rewritten pyodide-lock.json and the Hintbook bridge
extension (jupyterlite/bridge). The student's browser then loads everything from our origin.

Needs: Python >= 3.10, Node.js with npm, and the npm and PyPI registries (only while building).
A second run with unchanged inputs finishes in seconds (stamp in the cache folder).

Options:
  --force   rebuild even if nothing changed
  --help    show this help

Environment:
  PYTHON                     Python used to create the build venv (default: python3)
  HINTBOOK_LITE_CACHE        cache folder (default: jupyterlite/.cache)
  HINTBOOK_LITE_OUT          output folder (default: jupyterlite/dist)
  HINTBOOK_WASM_WHEELS_DIR   optional folder of extra Pyodide wheels (for example numpy,
                             pandas, matplotlib and their dependencies taken from a Pyodide
                             314 release); they are shipped and locked like the others
EOF
}

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "build-jupyterlite: unknown option: $arg (see --help)" >&2
      exit 2
      ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lite="$root/jupyterlite"
cache="${HINTBOOK_LITE_CACHE:-$lite/.cache}"
out="${HINTBOOK_LITE_OUT:-$lite/dist}"
python="${PYTHON:-python3}"
extra_wheels="${HINTBOOK_WASM_WHEELS_DIR:-}"
stub_modules=(numpy pandas matplotlib scipy sklearn)
# Kernel packages loaded straight from the lock at start, so nothing is looked up at runtime.
preload=(micropip piplite ipykernel pyodide-kernel comm ipython jedi)

# shellcheck disable=SC1091 # plain KEY=value pins, checked in review
source "$lite/pins.env"

started=$SECONDS
step_no=0
step_started=$SECONDS
step() {
  step_no=$((step_no + 1))
  step_started=$SECONDS
  printf '[jupyterlite %d] %s\n' "$step_no" "$1"
}
done_step() {
  printf '[jupyterlite %d]   done in %ds\n' "$step_no" $((SECONDS - step_started))
}
die() {
  printf 'build-jupyterlite: ERROR: %s\n' "$1" >&2
  exit 1
}

step "checking tools"
command -v "$python" >/dev/null || die "$python not found: install Python >= 3.10 or set PYTHON"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
  die "Python >= 3.10 is needed for the JupyterLite CLI; $python is $("$python" -V 2>&1)"
command -v node >/dev/null || die "node not found: install Node.js (see README)"
command -v npm >/dev/null || die "npm not found: install Node.js with npm (see README)"
done_step

# Every input of the site, hashed: unchanged inputs mean the existing dist is current.
# The bridge protocol lives in contracts/ (bridge/src/protocol.ts is a symlink to it, which
# `-type f` skips), so it is listed by its own path.
inputs_hash() {
  {
    cd "$root"
    find scripts/build-jupyterlite.sh jupyterlite/requirements.txt jupyterlite/pins.env \
      jupyterlite/kernel-wheels.txt jupyterlite/wasm-wheels.txt jupyterlite/site \
      jupyterlite/tools jupyterlite/bridge/package.json jupyterlite/bridge/package-lock.json \
      jupyterlite/bridge/tsconfig.json jupyterlite/bridge/src contracts/src/workspace-bridge.ts \
      -type f -not -name '*.pyc' |
      LC_ALL=C sort | xargs sha256sum
    if [[ -n "$extra_wheels" ]]; then
      find "$extra_wheels" -maxdepth 1 -name '*.whl' -type f | LC_ALL=C sort | xargs -r sha256sum
    fi
  } | sha256sum | cut -d' ' -f1
}
hash="$(inputs_hash)"
stamp="$cache/dist.stamp"
if [[ $force -eq 0 && -f "$stamp" && -f "$out/index.html" && "$(cat "$stamp")" == "$hash" ]]; then
  echo "[jupyterlite] up to date ($out, inputs ${hash:0:12}); use --force to rebuild"
  exit 0
fi
mkdir -p "$cache"
rm -f "$stamp"

step "build venv with the pinned CLI ($cache/venv)"
venv="$cache/venv"
req_hash="$(sha256sum "$lite/requirements.txt" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/jupyter" || "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$req_hash" ]]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lite/requirements.txt"
  echo "$req_hash" >"$venv/.requirements.sha256"
fi
"$venv/bin/jupyter" lite --version >/dev/null || die "jupyter lite is not usable in $venv"
done_step

step "Pyodide core: npm pyodide@$PYODIDE_VERSION"
tarball="$cache/npm/pyodide-$PYODIDE_VERSION.tgz"
if [[ ! -f "$tarball" ]]; then
  mkdir -p "$cache/npm"
  (cd "$cache/npm" && npm pack --silent "pyodide@$PYODIDE_VERSION" >/dev/null)
fi
# Python, not openssl: Python is required anyway, and slim build images lack the openssl CLI.
actual="sha512-$("$python" -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tarball")"
if [[ "$actual" != "$PYODIDE_INTEGRITY" ]]; then
  rm -f "$tarball"
  die "pyodide-$PYODIDE_VERSION.tgz does not match PYODIDE_INTEGRITY in jupyterlite/pins.env"
fi
core="$cache/pyodide-core"
rm -rf "$core"
mkdir -p "$core"
tar -xzf "$tarball" -C "$core" --strip-components=1 package
for file in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json; do
  [[ -f "$core/$file" ]] || die "npm pyodide@$PYODIDE_VERSION has no $file"
done
done_step

stage="$cache/stage"
static="$stage/static/pyodide"
rm -rf "$stage"
mkdir -p "$stage"
cp -R "$lite/site/." "$stage/"
mkdir -p "$static"
for file in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip; do
  cp "$core/$file" "$static/"
done

pip_wheels=(--disable-pip-version-check --no-input --only-binary=:all: --python-version "$PYODIDE_PYTHON")
step "kernel wheels from PyPI (jupyterlite/kernel-wheels.txt)"
mkdir -p "$cache/wheels"
"$venv/bin/python" -m pip download --quiet "${pip_wheels[@]}" --no-deps --implementation py \
  --abi none --platform any -d "$cache/wheels" -r "$lite/kernel-wheels.txt"
while read -r pin; do
  name="${pin%%==*}"
  version="${pin#*==}"
  pattern="$(echo "$name" | tr '-' '_')"
  wheel="$(find "$cache/wheels" -maxdepth 1 -iname "${pattern}-${version}-*.whl" | head -n1)"
  [[ -n "$wheel" ]] || die "no wheel for $pin in $cache/wheels"
  cp "$wheel" "$static/"
done < <(grep -Ev '^\s*(#|$)' "$lite/kernel-wheels.txt" | sed 's/[[:space:]]*#.*//')
# The kernel's own shim wheels (piplite, pyodide_kernel, ipykernel) come with its extension.
shims="$venv/share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
for shim in piplite pyodide_kernel ipykernel; do
  found="$(find "$shims" -maxdepth 1 -name "${shim}-*.whl" | head -n1)"
  [[ -n "$found" ]] || die "the kernel extension has no $shim wheel in $shims"
  cp "$found" "$static/"
done
done_step

step "WebAssembly wheels (jupyterlite/wasm-wheels.txt)"
mkdir -p "$cache/wasm-wheels"
shipped_wasm=()
while read -r pin; do
  log="$cache/wasm-wheels/download.log"
  if "$venv/bin/python" -m pip download "${pip_wheels[@]}" --implementation cp \
    --abi "cp${PYODIDE_PYTHON/./}" --abi abi3 --abi none --platform "$PYODIDE_PLATFORM" \
    --platform any -d "$cache/wasm-wheels/${pin%%==*}" "$pin" >"$log" 2>&1; then
    cp "$cache/wasm-wheels/${pin%%==*}"/*.whl "$static/"
    shipped_wasm+=("$pin")
  elif grep -q 'No matching distribution found' "$log"; then
    echo "  $pin: no $PYODIDE_PLATFORM wheel on the package index; left out"
  else
    cat "$log" >&2
    die "could not download $pin"
  fi
done < <(grep -Ev '^\s*(#|$)' "$lite/wasm-wheels.txt" | sed 's/[[:space:]]*#.*//')
if [[ -n "$extra_wheels" ]]; then
  [[ -d "$extra_wheels" ]] || die "HINTBOOK_WASM_WHEELS_DIR=$extra_wheels is not a folder"
  cp "$extra_wheels"/*.whl "$static/"
  shipped_wasm+=("wheels from $extra_wheels")
fi
echo "  shipped: ${shipped_wasm[*]:-none}"
done_step

step "stub wheel and pyodide-lock.json rewrite"
"$venv/bin/python" "$lite/tools/make_stub_wheel.py" --dist-dir "$static" \
  "${stub_modules[@]/#/--module=}"
if compgen -G "$static/hintbook_unavailable-*.whl" >/dev/null; then
  preload+=(hintbook-unavailable)
fi
"$venv/bin/python" "$lite/tools/rewrite_lock.py" --stock-lock "$core/pyodide-lock.json" \
  --dist-dir "$static" "${preload[@]/#/--preload=}"
done_step

step "bridge extension (jupyterlite/bridge)"
bridge="$lite/bridge"
lock_hash="$(sha256sum "$bridge/package-lock.json" | cut -d' ' -f1)"
if [[ "$(cat "$bridge/node_modules/.hintbook-lock.sha256" 2>/dev/null)" != "$lock_hash" ]]; then
  (cd "$bridge" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$bridge/node_modules/.hintbook-lock.sha256"
fi
rm -rf "${bridge:?}/lib" "${bridge:?}/labextension"
(cd "$bridge" && npm run --silent build >"$cache/bridge-build.log" 2>&1) ||
  {
    cat "$cache/bridge-build.log" >&2
    die "the bridge extension did not build"
  }
"$venv/bin/python" "$lite/tools/configure_stage.py" --stage "$stage" \
  --bridge "$bridge/labextension" "${preload[@]/#/--preload=}"
done_step

step "jupyter lite build"
tmp_out="$out.tmp"
rm -rf "$tmp_out" "$stage/.jupyterlite.doit.db"
# The CLI's per-task lines go to a log; it is printed if the build fails.
if ! (cd "$stage" && PYTHONWARNINGS=ignore "$venv/bin/jupyter" lite build --lite-dir "$stage" \
  --output-dir "$tmp_out" >"$cache/lite-build.log" 2>&1); then
  cat "$cache/lite-build.log" >&2
  die "jupyter lite build failed"
fi
for file in index.html lab/index.html jupyter-lite.json service-worker.js \
  static/pyodide/pyodide.mjs static/pyodide/pyodide-lock.json \
  extensions/@hintbook/jupyterlite-bridge/package.json \
  extensions/@jupyterlite/pyodide-kernel-extension/package.json; do
  [[ -f "$tmp_out/$file" ]] || die "the built site has no $file"
done
# nginx's CSP for /jupyterlite/ allows no inline script: the pages' bootstrap moves into files.
"$python" "$lite/tools/externalize_inline_scripts.py" "$tmp_out" >/dev/null ||
  die "could not move the pages' inline scripts into files"
if grep -rl --include='jupyter-lite.json' 'cdn.jsdelivr.net' "$tmp_out" >/dev/null; then
  die "a jupyter-lite.json in the built site still points at the CDN"
fi
done_step

step "precompress (.gz beside large text and wasm files, for gzip_static)"
find "$tmp_out" -type f -size +1k \( -name '*.js' -o -name '*.mjs' -o -name '*.wasm' \
  -o -name '*.json' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.map' \) \
  -print0 | xargs -0 -r -n 16 -P "$(nproc 2>/dev/null || echo 2)" gzip -k -6 -n -f
done_step

rm -rf "$out"
mv "$tmp_out" "$out"
echo "$hash" >"$stamp"
size="$(du -sh --exclude='*.gz' "$out" | cut -f1)"
packages="$("$venv/bin/python" -c 'import json,sys; print(", ".join(sorted(json.load(open(sys.argv[1]))["packages"])))' "$out/static/pyodide/pyodide-lock.json")"
echo "[jupyterlite] built $out in $((SECONDS - started))s: $size without .gz copies"
echo "[jupyterlite] Python packages: $packages"
