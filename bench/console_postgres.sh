#!/usr/bin/env bash
# The memory of pheu's PostgreSQL sessions while the console is used: a Release pheu on a
# throwaway PostgreSQL 15 cluster answers the console's reads (customers, settings,
# templates, playbook, funnel, vouchers, segments, products) in turn, and the resident memory
# of its database sessions is read before and after. Each request builds the stores it needs
# on a pooled connection that lives for days, so whatever a request leaves in its session
# (a prepared statement not deallocated) adds up here.
# Usage: bench/console_postgres.sh [requests=4000]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_config.sh
build_bench pheu
source scripts/test_postgres.sh
start_test_postgres >/dev/null
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; stop_test_postgres; rm -rf "$work"' EXIT
requests="${1:-4000}"
psql -X -q -d "$PHEU_TEST_POSTGRES" -c "CREATE DATABASE console"
port=18093
write_bench_config "$work/pheu.json" "$port" "postgresql://pheu@/console?host=$TEST_POSTGRES_DIR"
(cd "$work" && exec "$OLDPWD/build-bench/pheu" serve --config pheu.json >pheu.log 2>&1) &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
python3 - "$port" "$requests" <<'PY'
import http.client, subprocess, sys
port, requests = int(sys.argv[1]), int(sys.argv[2])
paths = ["/api/v1/customers?limit=20", "/api/v1/settings", "/api/v1/templates", "/api/v1/playbook",
         "/api/v1/reports/funnel", "/api/v1/vouchers", "/api/v1/segments", "/api/v1/products"]
def sessions_rss_mib():
    rows = subprocess.run(["ps", "-C", "postgres", "-o", "rss=,args="], capture_output=True, text=True).stdout
    return sum(int(row.split()[0]) for row in rows.splitlines() if " console " in row) / 1024
connection = http.client.HTTPConnection("127.0.0.1", port)
def drive(count):
    statuses = {}
    for i in range(count):
        connection.request("GET", paths[i % len(paths)],
                           headers={"Authorization": "Bearer bench-admin-token-0123456789"})
        response = connection.getresponse()
        response.read()
        statuses[response.status] = statuses.get(response.status, 0) + 1
    return statuses
drive(len(paths) * 25)  # every session warmed up: its catalog caches and the stores' first plans
before = sessions_rss_mib()
statuses = drive(requests)
after = sessions_rss_mib()
print(f"console: {requests} reads, statuses {statuses}; pheu's PostgreSQL sessions {before:.1f} MiB -> "
      f"{after:.1f} MiB ({(after - before) * 1024 / requests:.1f} KiB a request)")
PY
