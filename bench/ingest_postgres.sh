#!/usr/bin/env bash
# Ingest on PostgreSQL: correctly signed Zalo webhooks under wrk at 64 connections against one
# pheu on SQLite, one pheu on PostgreSQL and two pheu instances sharing that PostgreSQL (32
# connections each, half the bodies each), in one run. The PostgreSQL is a throwaway cluster
# on this machine (Unix socket) that syncs every commit to disk, as a shop's server would.
# Each pheu runs its worker, scheduler and dispatcher as in production.
# Usage: bench/ingest_postgres.sh   (CONNECTIONS=64, DURATION=10s; WORKER=off measures the
# inbox writer alone, no event decided while it runs)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_config.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
build_bench pheu
source scripts/test_postgres.sh
start_test_postgres durable >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; stop_test_postgres; rm -rf "$work"' EXIT
connections=${CONNECTIONS:-64}
duration=${DURATION:-10s}
python3 bench/gen_zalo_bodies.py 400000 > "$work/bodies.tsv"
awk 'NR % 2 == 1' "$work/bodies.tsv" > "$work/bodies-a.tsv"
awk 'NR % 2 == 0' "$work/bodies.tsv" > "$work/bodies-b.tsv"

# A database of its own for each run: an SQLite file, or a schema of the cluster.
database_for() {
  if [ "$1" = sqlite ]; then
    echo "$work/$2.db"
  else
    psql "$PHEU_TEST_POSTGRES" -qc "CREATE SCHEMA $2"
    echo "$PHEU_TEST_POSTGRES&options=-csearch_path%3D$2"
  fi
}
start_pheu() { # PORT DATABASE NAME
  write_bench_config "$work/$3.json" "$1" "$2" "$([ "${WORKER:-on}" = off ] && echo '"worker":{"enabled":false},')"
  SPDLOG_LEVEL=warn build-bench/pheu serve --config "$work/$3.json" >"$work/$3.log" 2>&1 &
  echo $!
}
stop_pheu() { # PID NAME: a pheu that is gone already says why
  if ! kill -TERM "$1" 2>/dev/null; then
    echo "pheu $2 stopped on its own:" >&2
    tail -5 "$work/$2.log" >&2
  fi
  while kill -0 "$1" 2>/dev/null; do sleep 0.1; done # started in a subshell: not ours to wait for
}
run_wrk() { # PORT CONNECTIONS BODIES THREADS
  wrk -t"$4" -c"$2" -d"$duration" --latency -s bench/zalo.lua "http://127.0.0.1:$1" -- "$3" "$4"
}
field() { awk -v k="$2" '$1==k {print $2}' <<<"$1"; }
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
stored() { # DATABASE
  if [[ "$1" == postgres* ]]; then
    psql "$1" -Atc "SELECT count(*) FROM inbox_events"
  else
    sqlite3 "$1" "SELECT count(*) FROM inbox_events" 2>/dev/null || echo "?"
  fi
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; wrk -d$duration, keep-alive;" \
     "PostgreSQL $(psql --version | awk '{print $3}') on a Unix socket, fsync on"
echo
echo "| database | instances | connections | req/s | p50 | p99 | stored rows |"
echo "|---|---|---|---|---|---|---|"
for backend in sqlite postgresql; do
  db=$(database_for "$backend" "one_$backend")
  pid=$(start_pheu 18080 "$db" "one_$backend")
  sleep 2
  out=$(run_wrk 18080 "$connections" "$work/bodies.tsv" 2)
  stop_pheu "$pid" "one_$backend"
  echo "| $backend | 1 | $connections | $(rps "$out") | $(field "$out" 50%) | $(field "$out" 99%) | $(stored "$db") |"
done
db=$(database_for postgresql two_instances)
pid_a=$(start_pheu 18080 "$db" two_a)
pid_b=$(start_pheu 18083 "$db" two_b)
sleep 2
run_wrk 18080 $((connections / 2)) "$work/bodies-a.tsv" 1 >"$work/wrk-a.txt" &
wrk_a=$!
run_wrk 18083 $((connections / 2)) "$work/bodies-b.tsv" 1 >"$work/wrk-b.txt"
wait "$wrk_a"
stop_pheu "$pid_a" two_a
stop_pheu "$pid_b" two_b
out_a=$(cat "$work/wrk-a.txt")
out_b=$(cat "$work/wrk-b.txt")
total=$(awk -v a="$(rps "$out_a")" -v b="$(rps "$out_b")" 'BEGIN {printf "%.2f", a + b}')
echo "| postgresql | 2 | $((connections / 2)) + $((connections / 2)) | $total | $(field "$out_a" 50%) / $(field "$out_b" 50%) | $(field "$out_a" 99%) / $(field "$out_b" 99%) | $(stored "$db") |"
