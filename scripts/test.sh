#!/usr/bin/env bash
# The README's second command: build with AddressSanitizer and UndefinedBehaviorSanitizer
# and run every test (unit, store, integration and the console's browser tests) through CTest,
# then check every exchange the integration tests made against docs/openapi.json. The store's
# conformance suite and the integration tests run on SQLite and again on a throwaway
# PostgreSQL cluster started here.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
source scripts/test_postgres.sh
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPHEU_SANITIZE=ON -DPHEU_WERROR=ON
cmake --build build-test -j"$(nproc)"
cd build-test
# Every exchange the integration tests make is recorded, then checked against the OpenAPI
# document: an answer the document does not describe fails the run.
export PHEU_EXCHANGE_LOG="$PWD/exchanges.jsonl"
rm -f "$PHEU_EXCHANGE_LOG"
start_test_postgres
trap stop_test_postgres EXIT
ctest --output-on-failure -j"$(nproc)" "$@"
if [ -s "$PHEU_EXCHANGE_LOG" ]; then
  node ../tests/openapi/check_exchanges.mjs "$PHEU_EXCHANGE_LOG"
fi
