#!/usr/bin/env bash
# `pheu backup` while webhooks pour in: a Release pheu is filled for WARM seconds by wrk (16
# connections, signed Zalo chats, the worker deciding replies), then wrk goes on for 30 s and
# `pheu backup` runs 5 s into it. Reports how long the copy took, the log's size before and
# after, the webhooks' rate and latency over the 30 s against the warm-up's, and checks the
# copy: integrity, and every event committed (that is, acknowledged) before the backup began.
# Usage: bench/battery/run_backup_under_load.sh   (WARM=20 seconds)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/bench_config.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3
build_bench
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 bench/gen_zalo_bodies.py 600000 > "$work/bodies.tsv"
write_bench_config "$work/config.json" 18089 "$work/pheu.db"
SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json" >"$work/pheu.log" 2>&1 &
sleep 1
load() { wrk -t2 -c16 -d"$1" --latency -s bench/zalo.lua http://127.0.0.1:18089 -- "$work/bodies.tsv" 2; }
summary() { awk '/Requests\/sec/ {rate=$2} /^ +99%/ {p99=$2} /^ +50%/ {p50=$2} END {printf "%s webhooks/s, p50 %s, p99 %s", rate, p50, p99}'; }
load "${WARM:-20}s" > "$work/warm.txt"
echo "warm-up: $(summary < "$work/warm.txt")"
load 30s > "$work/during.txt" &
sleep 5
wal_before=$(stat -c %s "$work/pheu.db-wal")
committed=$(sqlite3 "$work/pheu.db" "SELECT max(seq) FROM inbox_events")
start=$(date +%s%N)
build-bench/pheu backup "$work/copy.db" --config "$work/config.json"
took=$(( ($(date +%s%N) - start) / 1000000 ))
wal_after=$(stat -c %s "$work/pheu.db-wal")
wait %2 2>/dev/null || wait
echo "during the 30 s with the backup: $(summary < "$work/during.txt")"
in_copy=$(sqlite3 "$work/copy.db" "SELECT count(*) FROM inbox_events WHERE seq <= $committed")
live_before=$(sqlite3 "$work/pheu.db" "SELECT count(*) FROM inbox_events WHERE seq <= $committed")
integrity=$(sqlite3 "$work/copy.db" "PRAGMA integrity_check")
echo "backup: $(stat -c %s "$work/copy.db") bytes in ${took} ms; log ${wal_before} -> ${wal_after} bytes"
echo "events committed before the backup began: ${live_before}, in the copy: ${in_copy}; integrity: ${integrity}"
[ "$in_copy" = "$live_before" ] && [ "$integrity" = ok ] && echo "backup_under_load: PASS" || { echo "backup_under_load: FAIL"; exit 1; }
