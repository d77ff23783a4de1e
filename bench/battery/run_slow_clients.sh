#!/usr/bin/env bash
# 500 slow-loris connections and 2 MB bodies against a Release pheu while 4 keep-alive
# clients post signed webhooks: their p99 must stay under 1 s, and each 2 MB body is
# answered 413 after only its first 64 KB was sent.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake --build build-bench -j"$(nproc)" --target pheu >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 bench/gen_zalo_bodies.py 20000 > "$work/bodies.tsv"
cat > "$work/config.json" <<JSON
{"listen":{"host":"127.0.0.1","port":18084},"database":"$work/pheu.db","events_token":"bench","admin_token":"bench",
 "zalo":{"accounts":[{"oa_id":"bench_oa","app_id":"bench_app","oa_secret_key":"bench-oa-secret-key"}]}}
JSON
SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json" >"$work/pheu.log" 2>&1 &
sleep 1
ulimit -n 4096
python3 bench/battery/slow_clients.py 127.0.0.1 18084 "$work/bodies.tsv" 10 500 4 4
