# Sourced by the bench scripts: the configuration every benchmarked pheu runs with, one
# Zalo account whose secret gen_zalo_bodies.py and the battery scripts sign with.
# Usage: write_bench_config FILE PORT DATABASE [EXTRA_JSON_MEMBERS,]
write_bench_config() {
  cat > "$1" <<JSON
{"listen":{"host":"127.0.0.1","port":$2},"database":"$3","events_token":"bench-events-token-0123456789","admin_token":"bench-admin-token-0123456789",${4:-}
 "zalo":{"accounts":[{"oa_id":"bench_oa","app_id":"bench_app","oa_secret_key":"bench-oa-secret-key"}]}}
JSON
}

# Builds the Release targets named (default: pheu) in build-bench.
build_bench() {
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHEU_BUILD_TESTS=OFF >/dev/null
  cmake --build build-bench -j"$(nproc)" --target "${@:-pheu}" >/dev/null
}
