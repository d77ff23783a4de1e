#!/usr/bin/env bash
# 500 slow-loris connections and 2 MB bodies against a Release pheu while 4 keep-alive
# clients post signed webhooks: their p99 must stay under 1 s, and each 2 MB body is
# answered 413 after only its first 64 KB was sent.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/bench_config.sh
build_bench
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 bench/gen_zalo_bodies.py 20000 > "$work/bodies.tsv"
write_bench_config "$work/config.json" 18084 "$work/pheu.db"
SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json" >"$work/pheu.log" 2>&1 &
sleep 1
ulimit -n 4096
python3 bench/battery/slow_clients.py 127.0.0.1 18084 "$work/bodies.tsv" 10 500 4 4 "${BLIND:-4}"
