#!/usr/bin/env bash
# Crash safety across instances (issue 33): two pheu instances (Release) on one PostgreSQL
# that syncs its commits, 20,000 webhooks spread over both (a follow and three chats per
# shopper), kill -9 of either instance at random and `pg_ctl -m immediate` restarts of the
# database in between (bench/battery/crash.py).
# Usage: bench/battery/run_crash_instances.sh [events=20000] [kills=50] [database restarts=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/bench_config.sh
build_bench
source scripts/test_postgres.sh
start_test_postgres durable >/dev/null
work=$(mktemp -d)
# KEEP_WORK=1 keeps the instances' logs and configurations for reading.
trap '[ -n "${KEEP_WORK:-}" ] && echo "kept: $work" || rm -rf "$work"; stop_test_postgres' EXIT
bin="$(test_postgres_bin)"
restart="$bin/pg_ctl -D $TEST_POSTGRES_DIR/data -l $TEST_POSTGRES_DIR/server.log -m immediate -w restart"
if [ "$(id -u)" -eq 0 ]; then
  restart="runuser -u postgres -- $restart"
fi
python3 bench/battery/crash.py build-bench/pheu "$work" "${1:-20000}" "${2:-50}" 2000 \
  --database "$PHEU_TEST_POSTGRES" --instances 2 --chats 3 \
  --database-restarts "${3:-5}" --restart-command "$restart"
# The logs of every run and restart, searched for what must never be logged.
if grep -E -q "bench-oa-secret-key|bench-app-secret|zalo-access-[0-9]|zalo-refresh-[0-9]" "$work"/pheu*.log; then
  echo "secrets in the logs: FOUND"; exit 1
fi
echo "secrets in the logs ($(cat "$work"/pheu*.log | wc -l) lines over every run of both instances): none"
