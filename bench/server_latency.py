#!/usr/bin/env python3
"""Reads pheu's /metrics and summarises one route's answer times as the server measured them
(from routing the request to handing over its answer): the share within 10 ms and the
histogram bucket that holds the p99. wrk on the same cores adds its own scheduling delay to
every figure it reports; this is the part that is pheu's.
Usage: server_latency.py METRICS_URL ROUTE"""
import re
import sys
import urllib.request


def main():
    url, route = sys.argv[1], sys.argv[2]
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    buckets = []
    pattern = re.compile(r'^pheu_http_request_duration_seconds_bucket\{(.*)\} (\S+)$')
    for line in text.splitlines():
        found = pattern.match(line)
        if not found or f'route="{route}"' not in found.group(1):
            continue
        bound = re.search(r'le="([^"]+)"', found.group(1)).group(1)
        buckets.append((float('inf') if bound == '+Inf' else float(bound), float(found.group(2))))
    buckets.sort()
    if not buckets or buckets[-1][1] == 0:
        print(f"server-side: no answers recorded for route {route}")
        return
    total = buckets[-1][1]
    # The first bucket reaching 10 ms: named by its own bound, should the buckets change.
    goal_bound, within_goal = next((bound, count) for bound, count in buckets if bound >= 0.01)
    p99_bound = next(bound for bound, count in buckets if count >= 0.99 * total)
    largest = max(bound for bound, _ in buckets if bound != float('inf'))
    p99_text = f"over {largest:g} s" if p99_bound == float('inf') else f"at most {p99_bound * 1000:g} ms"
    print(f"server-side ({route}, routing to answer, {total:.0f} answers): "
          f"{within_goal / total * 100:.1f}% within {goal_bound * 1000:g} ms, p99 {p99_text}")


if __name__ == "__main__":
    main()
