#!/usr/bin/env bash
# Installs the Debian 12 packages pheu builds, runs and tests with. Safe to run again:
# it asks apt only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache tzdata ca-certificates
  libcpp-httplib-dev libssl-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev libsimdjson-dev
  libspdlog-dev catch2 libhowardhinnant-date-dev prometheus-cpp-dev libutf8proc-dev
  libgoogle-perftools-dev libsodium-dev libpq-dev
)
# `--tests` adds what only the tests need: Chromium for the console's browser tests, Node.js
# to drive it (machines of this kind have it; Debian's package serves elsewhere), and a
# PostgreSQL 15 server, of which scripts/test.sh starts a throwaway cluster.
with_tests=false
if [ "${1:-}" = "--tests" ]; then
  with_tests=true
  packages+=(chromium postgresql-15)
  if ! command -v node >/dev/null 2>&1; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

install_browser_test_packages() {
  # The npm tools the tests use, pinned by their package-lock.json: playwright-core drives
  # Debian's Chromium (tests/browser); Redocly's linter and Ajv check docs/openapi.json
  # (tests/openapi).
  [ "$with_tests" = true ] || return 0
  local dir
  for dir in "$(dirname "$0")/../tests/browser" "$(dirname "$0")/../tests/openapi"; do
    if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
       ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.json.source"; then
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.package-lock.json.source)
    fi
  done
}

if [ ${#missing[@]} -eq 0 ]; then
  install_browser_test_packages
  exit 0
fi

sudo_if_needed=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_if_needed=(sudo)
fi
echo "installing: ${missing[*]}"
"${sudo_if_needed[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_browser_test_packages
