#!/usr/bin/env bash
# Installs the Debian 12 packages pheu builds, runs and tests with. Safe to run again:
# it asks apt only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache tzdata ca-certificates
  libcpp-httplib-dev libssl-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev libsimdjson-dev
  libspdlog-dev catch2 libhowardhinnant-date-dev prometheus-cpp-dev libutf8proc-dev
  libgoogle-perftools-dev
)
# `--tests` adds what only the tests need: Chromium for the console's browser tests, and
# Node.js to drive it (machines of this kind have it; Debian's package serves elsewhere).
with_tests=false
if [ "${1:-}" = "--tests" ]; then
  with_tests=true
  packages+=(chromium)
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
  # playwright-core, pinned by tests/browser/package-lock.json; it drives Debian's Chromium.
  [ "$with_tests" = true ] || return 0
  local dir
  dir="$(dirname "$0")/../tests/browser"
  if [ ! -d "$dir/node_modules/playwright-core" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
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
