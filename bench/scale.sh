#!/usr/bin/env bash
# Scale of state: one million customers, each with an order and two stage changes. Prints the
# database size, the scheduler's cost to find and update the due ones and its RSS (from
# pheu_pipeline_bench), then serves that database with the real binary and times the funnel
# report over HTTP (a 30-day period with stages per day), segment counts and the stage threshold
# preview, with the server's RSS.
# Usage: bench/scale.sh [customers=1000000] [due=20000]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_config.sh
customers=${1:-1000000}
due=${2:-20000}
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHEU_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target pheu pheu_pipeline_bench >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
PHEU_BENCH_KEEP_DB="$work/scale.db" build-bench/pheu_pipeline_bench 0 "$customers" "$due" | grep -v '^worker'
write_bench_config "$work/config.json" 18083 "$work/scale.db"
SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/config.json" >"$work/pheu.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18083/healthz >/dev/null && break; sleep 0.2; done
times=()
for _ in 1 2 3 4 5; do
  t=$(curl -s -o "$work/funnel.json" -w '%{time_total}' -H 'Authorization: Bearer bench-admin-token-0123456789' \
      "http://127.0.0.1:18083/api/v1/reports/funnel?from=2026-10-26&to=2026-11-24")
  times+=("$t")
done
total=$(python3 -c "import json; print(json.load(open('$work/funnel.json'))['total'])")
days=$(python3 -c "import json; print(len(json.load(open('$work/funnel.json')).get('per_day', [])))")
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "funnel report over HTTP, 30 days with stages per day, $total customers, $days days: times (s) $sorted(median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) s)"
# Segment counts, as the console asks while a filter is edited: the median of five each.
for filter in '{}' '{"stage":"new_customer"}' '{"orders_count":{"min":1},"total_spent":{"min":300000}}' \
              '{"last_order_days_ago":{"min":30},"reachable":"any"}' '{"city":"TP.HCM","birthday_month":1}' \
              '{"bought_category":"ao"}' '{"gender":"female"}' '{"zalo_tag":"VIP","gender":"nữ"}' \
              '{"stage":"new_lead","temperature":"warm"}'; do
  times=()
  for _ in 1 2 3 4 5; do
    t=$(curl -s -o "$work/count.json" -w '%{time_total}' -H 'Authorization: Bearer bench-admin-token-0123456789' \
        -d "{\"filter\":$filter}" "http://127.0.0.1:18083/api/v1/segments/count")
    times+=("$t")
  done
  echo "segment count $filter: $(python3 -c "import json; print(json.load(open('$work/count.json'))['count'])") customers, median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) s"
done
# The stage threshold preview the settings screen asks for: every customer through decide_stage.
times=()
for _ in 1 2 3; do
  t=$(curl -s -o "$work/preview.json" -w '%{time_total}' -H 'Authorization: Bearer bench-admin-token-0123456789' \
      -d '{"frequent_min_orders":2}' "http://127.0.0.1:18083/api/v1/settings/stage_thresholds/preview")
  times+=("$t")
done
echo "stage threshold preview: $(cat "$work/preview.json"), median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p) s"
echo "server RSS after the reports: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
kill -TERM $pid; wait $pid || true
