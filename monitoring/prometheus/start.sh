#!/bin/sh
# Starts Prometheus with the backends' METRICS_TOKEN (from .env) in the file prometheus.yml's
# `credentials_file` names: Prometheus reads no variables, it reads that file at every scrape,
# and the token never sits in a file of this folder. Without a token the file is empty, and
# Prometheus then sends a bare `Bearer` that a backend without METRICS_TOKEN ignores.
# Usage: start.sh PROMETHEUS_ARGUMENTS... POSIX sh: the Prometheus image has busybox only.
set -eu
token_file="${METRICS_TOKEN_FILE:-/run/hintbook/metrics-token}"
umask 077
printf '%s' "${METRICS_TOKEN:-}" >"$token_file"
exec "${PROMETHEUS_BIN:-/bin/prometheus}" "$@"
