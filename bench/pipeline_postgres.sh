#!/usr/bin/env bash
# The worker on PostgreSQL beside SQLite (Release build): events decided per second by 1, 2
# and 4 workers side by side, each as a pheu instance would run it, against a throwaway
# PostgreSQL 15 cluster that syncs its commits to disk as a shop's server would.
# Usage: bench/pipeline_postgres.sh [events=50000]
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-50000}"
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHEU_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target pheu_pipeline_bench >/dev/null
source scripts/test_postgres.sh
start_test_postgres durable >/dev/null
trap stop_test_postgres EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; PostgreSQL $(psql --version | awk '{print $3}') on a Unix socket, fsync on"
build-bench/pheu_pipeline_bench "$events" 0 0 | grep '^worker: [0-9]'
for workers in 1 2 4; do
  PHEU_BENCH_DATABASE="$PHEU_TEST_POSTGRES" PHEU_BENCH_WORKERS="$workers" \
    build-bench/pheu_pipeline_bench "$events" 0 0 | grep '^worker: [0-9]'
done
