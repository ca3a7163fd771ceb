#!/usr/bin/env bash
# Checks the GitHub Actions workflows with actionlint (expressions, job graph, runner labels,
# and ShellCheck over every run: block when shellcheck is installed). Part of `npm run check`.
# Installs actionlint from PyPI into a cache folder the first time (pinned by hash).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/actionlint.sh [--install-only] [--help]

Runs actionlint over .github/workflows/*.yml; exit 0 when clean, 1 with each finding printed.
  --install-only  install it (when not there yet) and exit
  -h, --help      this help
Installs scripts/actionlint.requirements.txt into HINTBOOK_ACTIONLINT_VENV
[${XDG_CACHE_HOME:-~/.cache}/hintbook/actionlint-<hash>]. Needs python3 with venv.
USAGE
}

install_only=0
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --install-only) install_only=1 ;;
  "") ;;
  *) echo "actionlint.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requirements="$root/scripts/actionlint.requirements.txt"
venv="${HINTBOOK_ACTIONLINT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/hintbook/actionlint-$(sha256sum "$requirements" | cut -c1-12)}"
# The stamp is written last: an install cut short is made again, not used.
if [[ ! -f "$venv/.installed" ]]; then
  echo "actionlint.sh: installing actionlint into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes \
    --only-binary=:all: -r "$requirements"
  touch "$venv/.installed"
fi
[[ "$install_only" -eq 1 ]] && exit 0

cd "$root"
"$venv/bin/actionlint" -version | head -n 1
exec "$venv/bin/actionlint" .github/workflows/*.yml
