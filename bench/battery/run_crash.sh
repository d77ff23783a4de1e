#!/usr/bin/env bash
# Crash safety: 50 kill -9 of the Release binary during 20,000 events (bench/battery/crash.py).
# Usage: bench/battery/run_crash.sh [events=20000] [kills=50] [rate=2000 messages/s]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3
. bench/bench_config.sh
build_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/battery/crash.py build-bench/pheu "$work" "${1:-20000}" "${2:-50}" "${3:-2000}"
# The log of every run and restart, searched for what must never be logged.
if grep -E -q "bench-oa-secret-key|bench-app-secret|zalo-access-[0-9]|zalo-refresh-[0-9]" "$work"/pheu*.log; then
  echo "secrets in the log: FOUND"; exit 1
fi
echo "secrets in the log ($(wc -l < "$work/pheu.log") lines over every run): none"
