#!/usr/bin/env bash
# Worker throughput and the time-driven scheduler among one million customers (Release build).
# Usage: bench/pipeline.sh [events] [customers] [due]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHEU_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target pheu_pipeline_bench >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
build-bench/pheu_pipeline_bench "$@"
