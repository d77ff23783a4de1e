#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the server on the
# embedded default (or pass --config FILE through to `pheu serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
# Only the server: a newcomer needs nothing else to run it (the tests are scripts/test.sh).
cmake --build build -j"$(nproc)" --target pheu
exec build/pheu serve "$@"
