#!/bin/sh
# The part of the official nginx image's /docker-entrypoint.sh that Hintbook relies on: before
# nginx starts, run every executable /docker-entrypoint.d/*.sh in name order; stop if one fails.
set -eu
if [ "${1:-}" = nginx ] || [ "${1:-}" = nginx-debug ]; then
  for script in /docker-entrypoint.d/*.sh; do
    [ -x "$script" ] || continue
    echo "$0: running $script"
    "$script"
  done
fi
exec "$@"
