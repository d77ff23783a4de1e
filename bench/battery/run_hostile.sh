#!/usr/bin/env bash
# The hostile corpus (bench/battery/hostile.py) against the Release binary.
# Usage: bench/battery/run_hostile.sh [count=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake --build build-bench -j"$(nproc)" --target pheu >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/config.json" <<JSON
{"listen":{"host":"127.0.0.1","port":18085},"database":"$work/pheu.db","events_token":"bench","admin_token":"bench",
 "zalo":{"accounts":[{"oa_id":"bench_oa","app_id":"bench_app","oa_secret_key":"bench-oa-secret-key"}]}}
JSON
SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json" >"$work/pheu.log" 2>&1 &
pid=$!
sleep 1
python3 bench/battery/hostile.py 18085 $pid "${1:-100000}"
kill -0 $pid && echo "server still running after the corpus"
