#!/usr/bin/env bash
# Ingest benchmark: correctly signed Zalo webhooks (300-800 bytes, Vietnamese text) under wrk,
# side by side in one run against
#   pheu  - durable (synchronous=FULL), worker, scheduler and dispatcher running;
#   bare  - a bare cpp-httplib handler answering "ok" with the same server settings;
#   node  - bench/node-peer: fastify + better-sqlite3 doing the same work (verify, durable
#           insert, answer), installed from npm by this script.
# Prints one markdown table row per server and connection count, then the pipeline lag of the
# pheu runs: acknowledgement (received_at) to decided outbox rows (processed_at, same commit).
# After each throughput run, a second run of WIRE_DURATION against a fresh instance of the
# same server is captured with tcpdump on loopback: its answer times as they crossed the wire
# (bench/wire_latency.py), free of wrk's own scheduling on the shared cores. The capture takes
# CPU too, so those runs' throughput is not reported.
# Usage: bench/ingest.sh [connections ...]   (default: 16 64 256), DURATION=10s, WIRE_DURATION=5s,
#        PEER=0 skips node, WIRE=0 skips the captures
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_config.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3
wire=${WIRE:-1}
if [ "$wire" = 1 ] && ! command -v tcpdump >/dev/null; then apt-get install -y -qq tcpdump >/dev/null; fi
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHEU_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target pheu pheu_bare_server >/dev/null
peer=${PEER:-1}
if [ "$peer" = 1 ] && [ ! -d bench/node-peer/node_modules/better-sqlite3/build ]; then
  # better-sqlite3 compiles its native part here: the Node headers come from Debian's libnode-dev.
  (cd bench/node-peer && npm_config_nodedir=/usr npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
connections=("${@:-16 64 256}")
connections=(${connections[*]})
duration=${DURATION:-10s}
threads=2
python3 bench/gen_zalo_bodies.py 400000 > "$work/bodies.tsv"

write_bench_config "$work/config.json" 18080 "$work/pheu.db" "${EXTRA_CONFIG:-}"

run_wrk() { wrk -t$threads -c"$1" -d"${3:-$duration}" --latency -s bench/zalo.lua "http://127.0.0.1:$2" -- "$work/bodies.tsv" $threads; }
field() { awk -v k="$2" '$1==k {print $2}' <<<"$1"; }
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
non2xx() { awk '/Non-2xx/ {print $4; f=1} END {if (!f) print 0}' <<<"$1"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; wrk -t$threads -d$duration, keep-alive;" \
     "bodies $(awk -F'\t' 'NR<=1000 {n+=length($2)} END {printf "%.0f", n/1000}' "$work/bodies.tsv") bytes on average"
echo
start_bare() { build-bench/pheu_bare_server 18081 320 >/dev/null 2>&1 & server_pid=$!; sleep 1; }
start_node() {
  rm -f "$work"/peer.db*
  node bench/node-peer/server.js 18082 "$work/peer.db" >"$work/node.log" 2>&1 & server_pid=$!
  sleep 1.5
}
start_pheu() {
  rm -f "$work"/pheu.db*
  SPDLOG_LEVEL=warn "${PHEU_BINARY:-build-bench/pheu}" serve --config "$work/config.json" >"$work/pheu.log" 2>&1 & server_pid=$!
  sleep 1.5
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; }
# wire_pass START_FUNCTION PORT CONNECTIONS: prints wire_latency.py's line for a fresh server.
wire_pass() {
  [ "$wire" = 1 ] || { echo "wire: not captured (WIRE=0)"; return; }
  "$1"
  tcpdump -i lo -nn -s 128 -B 32768 -w "$work/wire.pcap" "tcp port $2" 2>"$work/tcpdump.log" &
  local capture_pid=$!
  sleep 0.5
  run_wrk "$3" "$2" "${WIRE_DURATION:-5s}" >/dev/null
  kill -INT $capture_pid; wait $capture_pid 2>/dev/null || true
  stop_server
  python3 bench/wire_latency.py "$work/wire.pcap" "$2" \
    "$(awk '/dropped by kernel/ {print $1}' "$work/tcpdump.log")" || echo "wire: capture unreadable"
  rm -f "$work/wire.pcap"
}
wire_p99() { awk '{for (i = 1; i < NF; i++) if ($i == "p99") {print $(i + 1) "ms"; exit}}' <<<"$1"; }

echo "| connections | server | req/s | p50 | p99 | wire p99 | non-2xx | stored rows | vs bare | pheu vs node |"
echo "|---|---|---|---|---|---|---|---|---|---|"
lag_lines=()
wire_lines=()
for c in "${connections[@]}"; do
  # One server at a time: pheu's worker drains its backlog after its run, and would take CPU
  # from whichever server ran next.
  start_bare
  bare_out=$(run_wrk "$c" 18081)
  stop_server
  bare_wire=$(wire_pass start_bare 18081 "$c")
  node_out=
  if [ "$peer" = 1 ]; then
    start_node
    node_out=$(run_wrk "$c" 18082)
    stop_server
    node_stored=$(sqlite3 "$work/peer.db" "select count(*) from inbox_events" 2>/dev/null || echo "?")
    node_wire=$(wire_pass start_node 18082 "$c")
  fi
  start_pheu
  pheu_out=$(run_wrk "$c" 18080)
  server_side=$(python3 bench/server_latency.py http://127.0.0.1:18080/metrics zalo_webhook || echo "server-side: /metrics unreadable")
  # Let the worker finish the backlog, then read the lag before stopping.
  for _ in $(seq 1 600); do
    pending=$(sqlite3 "$work/pheu.db" "select count(*) from inbox_events where state='pending'" 2>/dev/null || echo 1)
    [ "$pending" = 0 ] && break
    sleep 0.5
  done
  lag_lines+=("c=$c: $(sqlite3 "$work/pheu.db" "
    with lag as (select processed_at - received_at as ms, row_number() over (order by processed_at - received_at) as n,
                 count(*) over () as total from inbox_events where state = 'processed')
    select 'events ' || max(total) || ', lag p50 ' || max(case when n = (total + 1) / 2 then ms end) || ' ms, p99 '
           || max(case when n = (total * 99 + 99) / 100 then ms end) || ' ms, max ' || max(ms) || ' ms' from lag;"),"\
" outbox rows $(sqlite3 "$work/pheu.db" "select count(*) from outbox"); $server_side")
  stop_server
  stored=$(sqlite3 "$work/pheu.db" "select count(*) from inbox_events")
  pheu_wire=$(wire_pass start_pheu 18080 "$c")
  wire_lines+=("c=$c pheu $pheu_wire" "c=$c bare $bare_wire")
  [ -z "$node_out" ] || wire_lines+=("c=$c node $node_wire")
  pheu_rps=$(rps "$pheu_out"); bare_rps=$(rps "$bare_out")
  vs_node="-"
  if [ -n "$node_out" ]; then
    node_rps=$(rps "$node_out")
    vs_node=$(python3 -c "print(f'{$pheu_rps/$node_rps:.1f}x')")
  fi
  echo "| $c | pheu | $pheu_rps | $(field "$pheu_out" 50%) | $(field "$pheu_out" 99%) | $(wire_p99 "$pheu_wire") |" \
       "$(non2xx "$pheu_out") | $stored | $(python3 -c "print(f'{$pheu_rps/$bare_rps*100:.0f}%')") | $vs_node |"
  echo "| $c | bare httplib | $bare_rps | $(field "$bare_out" 50%) | $(field "$bare_out" 99%) | $(wire_p99 "$bare_wire") |" \
       "$(non2xx "$bare_out") | - | 100% | |"
  [ -z "$node_out" ] || echo "| $c | node peer | $node_rps | $(field "$node_out" 50%) | $(field "$node_out" 99%) |" \
       "$(wire_p99 "$node_wire") | $(non2xx "$node_out") | $node_stored | $(python3 -c "print(f'{$node_rps/$bare_rps*100:.0f}%')") | |"
done
echo
echo "Pipeline lag under that load (acknowledged to decided outbox rows; the worker drains the backlog after wrk stops),"
echo "and the webhook answer times pheu measured itself (wrk's figures add its own scheduling on the shared cores):"
for line in "${lag_lines[@]}"; do echo "- $line"; done
echo
echo "Answer times on the wire (tcpdump on loopback, a second ${WIRE_DURATION:-5s} run against a fresh server;"
echo "request's first segment to the answer's first segment):"
for line in "${wire_lines[@]}"; do echo "- $line"; done
