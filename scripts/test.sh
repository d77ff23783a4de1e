#!/usr/bin/env bash
# The README's second command: build with AddressSanitizer and UndefinedBehaviorSanitizer
# and run every test (unit, store, integration and the console's browser tests) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPHEU_SANITIZE=ON -DPHEU_WERROR=ON
cmake --build build-test -j"$(nproc)"
cd build-test
ctest --output-on-failure -j"$(nproc)" "$@"
