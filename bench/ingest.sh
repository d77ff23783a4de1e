#!/usr/bin/env bash
# Ingest benchmark: signed Zalo webhooks against pheu (durable, synchronous=FULL, worker on)
# and against a bare cpp-httplib handler with the same server settings, in the same run.
# Usage: bench/ingest.sh [connections ...]   (default: 16 64 256), DURATION=10s
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHEU_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target pheu pheu_bare_server >/dev/null

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
connections=("${@:-16 64 256}")
connections=(${connections[*]})
duration=${DURATION:-10s}
threads=2
python3 bench/gen_zalo_bodies.py 400000 > "$work/bodies.tsv"

cat > "$work/config.json" <<JSON
{"listen":{"host":"127.0.0.1","port":18080},"database":"$work/pheu.db",
 "events_token":"bench","admin_token":"bench",
 "http":{"threads":320},${EXTRA_CONFIG:-}
 "zalo":{"accounts":[{"oa_id":"bench_oa","app_id":"bench_app","oa_secret_key":"bench-oa-secret-key"}]}}
JSON

echo "machine: $(nproc) cores; wrk -t$threads -d$duration; bodies: $(head -c 2000 "$work/bodies.tsv" | head -1 | cut -f2 | wc -c) bytes (first)"
for c in "${connections[@]}"; do
  rm -f "$work"/pheu.db*
  SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json" >"$work/pheu.log" 2>&1 &
  pheu_pid=$!
  build-bench/pheu_bare_server 18081 320 >/dev/null 2>&1 &
  bare_pid=$!
  sleep 1
  pheu_out=$(wrk -t$threads -c"$c" -d"$duration" --latency -s bench/zalo.lua http://127.0.0.1:18080 -- "$work/bodies.tsv" $threads)
  bare_out=$(wrk -t$threads -c"$c" -d"$duration" --latency -s bench/zalo.lua http://127.0.0.1:18081 -- "$work/bodies.tsv" $threads)
  kill -TERM $pheu_pid; wait $pheu_pid || true
  kill $bare_pid; wait $bare_pid 2>/dev/null || true
  stored=$(sqlite3 "$work/pheu.db" "select count(*) from inbox_events" 2>/dev/null || echo "?")
  pheu_rps=$(echo "$pheu_out" | awk '/Requests\/sec/ {print $2}')
  bare_rps=$(echo "$bare_out" | awk '/Requests\/sec/ {print $2}')
  pheu_p50=$(echo "$pheu_out" | awk '$1=="50%" {print $2}'); pheu_p99=$(echo "$pheu_out" | awk '$1=="99%" {print $2}')
  bare_p50=$(echo "$bare_out" | awk '$1=="50%" {print $2}'); bare_p99=$(echo "$bare_out" | awk '$1=="99%" {print $2}')
  pheu_non2xx=$(echo "$pheu_out" | awk '/Non-2xx/ {print $4}')
  ratio=$(python3 -c "print(f'{$pheu_rps/$bare_rps*100:.0f}%')")
  echo "c=$c  pheu: ${pheu_rps} req/s p50 ${pheu_p50} p99 ${pheu_p99} (stored rows ${stored}, non-2xx ${pheu_non2xx:-0})  bare: ${bare_rps} req/s p50 ${bare_p50} p99 ${bare_p99}  ratio ${ratio}"
done
