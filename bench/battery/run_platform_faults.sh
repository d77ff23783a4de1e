#!/usr/bin/env bash
# 5,000 sends through platform faults (tests/battery/platform_faults_test.cpp, hidden from
# CTest as it takes about a minute): builds the sanitizer test binary and runs that case.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPHEU_SANITIZE=ON >/dev/null
cmake --build build-test -j"$(nproc)" --target pheu_tests >/dev/null
build-test/tests/pheu_tests "[faults]" 2>/dev/null | grep -v "^\[20" | grep -E "^platform faults|test cases|All tests passed|FAILED|with expansion|==" 
