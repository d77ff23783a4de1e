#!/usr/bin/env bash
# 3,000 slow-loris connections against a Release pheu started with 1,024 descriptors (soft and
# hard, so raising the soft limit cannot help), while webhooks arrive on new connections: every
# one must be answered 200, p99 under 1 s. Run twice: the flood from 30 addresses (the total
# cap on waiting connections decides) and from one (the per-address cap does).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/bench_config.sh
build_bench
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 bench/gen_zalo_bodies.py 20000 > "$work/bodies.tsv"
write_bench_config "$work/config.json" 18087 "$work/pheu.db"
(ulimit -n 1024 && exec env SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json") >"$work/pheu.log" 2>&1 &
sleep 1
ulimit -n 16384
status=0
python3 bench/battery/slowloris.py 127.0.0.1 18087 "$work/bodies.tsv" "${SECONDS_EACH:-20}" 3000 30 4 || status=1
python3 bench/battery/slowloris.py 127.0.0.1 18087 "$work/bodies.tsv" "${SECONDS_EACH:-20}" 3000 1 4 || status=1
echo "'Too many open files' in the log: $(grep -c 'Too many open files' "$work/pheu.log" || true)"
exit $status
