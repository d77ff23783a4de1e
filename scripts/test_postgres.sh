#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests, sourced by scripts/test.sh:
#
#   source scripts/test_postgres.sh
#   start_test_postgres    # exports PHEU_TEST_POSTGRES, a libpq URL to its database
#                          # (`start_test_postgres durable`: synced to disk, for benchmarks)
#   ...
#   stop_test_postgres     # stops it and removes its directory
#
# The cluster lives in a temporary directory, listens on a Unix socket there and on no TCP
# port, trusts local connections and is never synced to disk (fsync=off: it is thrown away,
# and the tests that need a database's durability run on SQLite or kill their own server,
# not the machine). initdb refuses to run as root, so as root it runs as the `postgres`
# user the Debian package created.

test_postgres_bin() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    if [ -x "$bin/initdb" ]; then
      echo "$bin"
      return 0
    fi
  done
  return 1
}

as_cluster_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_test_postgres() {
  local bin
  if ! bin="$(test_postgres_bin)"; then
    echo "test_postgres: no PostgreSQL server found (scripts/install-deps.sh --tests installs postgresql-15)" >&2
    return 1
  fi
  TEST_POSTGRES_DIR="$(mktemp -d /tmp/pheu-test-postgres.XXXXXX)"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$TEST_POSTGRES_DIR"
  fi
  as_cluster_owner "$bin/initdb" -D "$TEST_POSTGRES_DIR/data" --auth=trust --username=pheu \
    --encoding=UTF8 --locale=C.UTF-8 >"$TEST_POSTGRES_DIR/initdb.log" 2>&1 || {
    cat "$TEST_POSTGRES_DIR/initdb.log" >&2
    return 1
  }
  # Enough connections for ctest -j with several servers each holding a pool. Never synced,
  # unless `start_test_postgres durable` (the benchmarks: a commit waits for the disk, as on
  # a shop's server).
  local unsynced="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [ "${1:-}" = "durable" ]; then
    unsynced=""
  fi
  as_cluster_owner "$bin/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -l "$TEST_POSTGRES_DIR/server.log" -w \
    -o "-k $TEST_POSTGRES_DIR -c listen_addresses='' $unsynced -c max_connections=300" \
    start >/dev/null || {
    cat "$TEST_POSTGRES_DIR/server.log" >&2
    return 1
  }
  export PHEU_TEST_POSTGRES="postgresql://pheu@/postgres?host=$TEST_POSTGRES_DIR"
  echo "test_postgres: a throwaway cluster at $TEST_POSTGRES_DIR (PHEU_TEST_POSTGRES=$PHEU_TEST_POSTGRES)"
}

stop_test_postgres() {
  [ -n "${TEST_POSTGRES_DIR:-}" ] || return 0
  local bin
  if bin="$(test_postgres_bin)"; then
    as_cluster_owner "$bin/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$TEST_POSTGRES_DIR"
  unset TEST_POSTGRES_DIR PHEU_TEST_POSTGRES
}
