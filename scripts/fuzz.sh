#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for FUZZ_SECONDS
# (default 60), starting from the seed corpus in tests/fuzz/corpus/<target>/. Exits non-zero
# on the first crash, sanitizer report or leak; the input that caused it is left in
# build-fuzz/fuzz/crash-*. Prints the executions of each target and the total.
# Usage: scripts/fuzz.sh [target ...]   (default: all)   FUZZ_SECONDS=600 for long runs
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# clang and libFuzzer's runtime: on machines of this kind already, installed where missing.
if [ "$(dpkg-query -W -f='${Status}\n' clang libclang-rt-14-dev 2>/dev/null | grep -c 'install ok installed')" != 2 ]; then
  sudo_if_needed=(); [ "$(id -u)" -ne 0 ] && sudo_if_needed=(sudo)
  "${sudo_if_needed[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
fi
# -O1 with line tables: quick to build (CI builds it cold) and enough for readable reports.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DPHEU_FUZZ=ON -DPHEU_WERROR=ON \
  -DPHEU_BUILD_TESTS=OFF -DPHEU_BUILD_BENCH=OFF >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(zalo_webhook messenger_webhook events_api config templates http_request)
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/pheu_fuzz_}"
seconds=${FUZZ_SECONDS:-60}
total=0
for target in "${targets[@]}"; do
  work="build-fuzz/fuzz/corpus-$target"
  mkdir -p "$work"
  log="build-fuzz/fuzz/$target.log"
  # -rss_limit_mb bounds memory per run; -max_len lets inputs grow to realistic webhook size.
  (cd build-fuzz/fuzz && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "./pheu_fuzz_$target" -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=2048 -print_final_stats=1 \
    "corpus-$target" "../../tests/fuzz/corpus/$target" >"$target.log" 2>&1) || {
    echo "fuzz $target: FAILED"; tail -40 "$log"; exit 1; }
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  echo "fuzz $target: ${runs} executions in ${seconds}s, no crash or sanitizer report"
  total=$((total + runs))
done
echo "fuzz total: $total executions"
