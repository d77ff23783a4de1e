#!/usr/bin/env bash
# Runs clang-tidy (Debian's 14) with .clang-tidy's checks over every source of the product,
# using the compile commands of a configured build (default build-test, which scripts/test.sh
# makes). Fails on any finding.
# Usage: scripts/check_tidy.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-test}
if ! command -v run-clang-tidy >/dev/null; then
  sudo_if_needed=(); [ "$(id -u)" = 0 ] || sudo_if_needed=(sudo)
  "${sudo_if_needed[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq --no-install-recommends clang-tidy >/dev/null
fi
[ -f "$build/compile_commands.json" ] || { echo "tidy: no $build/compile_commands.json; run scripts/test.sh first" >&2; exit 1; }
root=$(pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# run-clang-tidy exits non-zero on any finding (WarningsAsErrors); its output is coloured.
if ! run-clang-tidy -p "$build" -j "$(nproc)" -quiet "^$root/(app|bot|common|handlers|store|templates)/.*\.cpp\$" >"$log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E -A3 "(warning|error): " >&2 || tail -40 "$log" >&2
  echo "tidy: findings above (.clang-tidy)" >&2
  exit 1
fi
echo "tidy: $(grep -c 'clang-tidy' "$log") sources, no findings"
