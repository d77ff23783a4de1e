#!/usr/bin/env bash
# A new shopper's chat to pheu's first reply (bench/e2e.sh), with pheu on PostgreSQL: a
# throwaway PostgreSQL 15 cluster that syncs its commits to disk, a fresh database for each
# rate, and the same rates on SQLite in the same run to compare.
# Usage: bench/e2e_postgres.sh [rates=100,300,1000] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_config.sh
build_bench pheu pheu_e2e_bench
source scripts/test_postgres.sh
start_test_postgres durable >/dev/null
trap stop_test_postgres EXIT
rates="${1:-100,300,1000}"
seconds="${2:-10}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; the sender, the stand-in, pheu and PostgreSQL $(psql --version | awk '{print $3}') share them"
for rate in ${rates//,/ }; do
  echo "SQLite:     $(build-bench/pheu_e2e_bench build-bench/pheu "$rate" "$seconds")"
  psql -X -q -d "$PHEU_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS e2e" -c "CREATE DATABASE e2e"
  echo "PostgreSQL: $(PHEU_BENCH_DATABASE="postgresql://pheu@/e2e?host=$TEST_POSTGRES_DIR" \
    build-bench/pheu_e2e_bench build-bench/pheu "$rate" "$seconds")"
done
