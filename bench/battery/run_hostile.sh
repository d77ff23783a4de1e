#!/usr/bin/env bash
# The hostile corpus (bench/battery/hostile.py) against the Release binary.
# Usage: bench/battery/run_hostile.sh [count=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/bench_config.sh
build_bench
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
write_bench_config "$work/config.json" 18085 "$work/pheu.db"
SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json" >"$work/pheu.log" 2>&1 &
pid=$!
sleep 1
python3 bench/battery/hostile.py 18085 $pid "${1:-100000}"
kill -0 $pid && echo "server still running after the corpus"
