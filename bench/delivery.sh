#!/usr/bin/env bash
# Delivery throughput: the dispatcher against a local Zalo stand-in, beside bare HTTP calls
# from as many threads (Release build).
# Usage: bench/delivery.sh [messages] [latencies_ms] [concurrencies]   e.g. 5000 0,20 8,32
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHEU_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target pheu_delivery_bench >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "command: bench/delivery.sh $*"
build-bench/pheu_delivery_bench "$@"
