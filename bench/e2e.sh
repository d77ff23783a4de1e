#!/usr/bin/env bash
# A new shopper's chat to pheu's first reply, end to end: pheu with the live transport
# against a local Zalo stand-in, new shoppers' chats at each rate for a set time (Release).
# Usage: bench/e2e.sh [rates=300,1000,2000,4000] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_config.sh
build_bench pheu pheu_e2e_bench
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; the sender and the stand-in share them"
build-bench/pheu_e2e_bench build-bench/pheu "$@"
