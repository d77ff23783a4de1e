#!/usr/bin/env bash
# Forged multi-page Messenger batches (bench/battery/forged_batch.py) against the Release binary.
# Usage: bench/battery/run_forged_batch.sh [count=2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/bench_config.sh
build_bench
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
write_bench_config "$work/config.json" 18088 "$work/pheu.db" '"messenger":{"pages":[
  {"page_id":"page-a1","app_secret":"secret-of-app-a","verify_token":"v","page_access_token":"t"},
  {"page_id":"page-a2","app_secret":"secret-of-app-a","verify_token":"v","page_access_token":"t"},
  {"page_id":"page-b","app_secret":"secret-of-app-b","verify_token":"v","page_access_token":"t"}]},'
SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json" >"$work/pheu.log" 2>&1 &
sleep 1
python3 bench/battery/forged_batch.py 18088 "$work/pheu.db" "${1:-2000}"
