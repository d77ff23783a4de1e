#!/usr/bin/env bash
# A broadcast to a large segment, end to end (Release): pheu with the live transport against a
# local Zalo stand-in; messages a second, and the busiest second against the Zalo rate limit.
# Usage: bench/broadcast.sh [customers=100000] [zalo_per_second=500]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_config.sh
build_bench pheu pheu_broadcast_bench
build-bench/pheu_broadcast_bench build-bench/pheu "$@"
