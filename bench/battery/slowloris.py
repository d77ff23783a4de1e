#!/usr/bin/env python3
"""A slow-loris flood against a running pheu while platforms deliver signed webhooks, each on
a new connection as Zalo and Meta do. LORIS connections, spread over ADDRESSES loopback source
addresses (127.0.0.2, 127.0.0.3, ...), each send a request head one byte every 3 s and
reconnect whenever pheu closes them, as a flooder would. LEGIT threads post webhooks from
127.0.0.1, a new connection each, with a 10 s timeout. Passes when every webhook is answered
200 with p99 under 1 s.
Usage: slowloris.py HOST PORT BODIES_TSV [seconds=20] [loris=3000] [addresses=30] [legit=4]"""
import http.client
import socket
import sys
import threading
import time

host, port, bodies_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20
loris_count = int(sys.argv[5]) if len(sys.argv) > 5 else 3000
address_count = int(sys.argv[6]) if len(sys.argv) > 6 else 30
legit_count = int(sys.argv[7]) if len(sys.argv) > 7 else 4
bodies = [line.rstrip("\n").split("\t", 1) for line in open(bodies_path, encoding="utf-8")][:200000]
stop_at = time.time() + seconds
loris_stats = {"opened": 0, "closed_by_server": 0, "connect_failed": 0}

def open_loris(index):
    source = f"127.0.0.{2 + index % address_count}"
    try:
        s = socket.create_connection((host, port), timeout=2, source_address=(source, 0))
        s.sendall(b"POST /webhooks/zalo HTTP/1.1\r\nHost: pheu\r\n")
        s.setblocking(False)
        loris_stats["opened"] += 1
        return s
    except OSError:
        loris_stats["connect_failed"] += 1
        return None

def loris():
    sockets = [open_loris(i) for i in range(loris_count)]
    while time.time() < stop_at:
        for i, s in enumerate(sockets):
            if s is not None:
                try:
                    s.send(b"X")  # one more byte of a header that never ends
                    continue
                except OSError:
                    s.close()
                    loris_stats["closed_by_server"] += 1
            if time.time() < stop_at:
                sockets[i] = open_loris(i)
        time.sleep(3)
    held = 0
    for s in sockets:
        if s is not None:
            try:
                s.send(b"X")
                held += 1
            except OSError:
                pass
            s.close()
    loris_stats["held_at_end"] = held

latencies = []
outcomes = {}
lock = threading.Lock()
def legit(offset):
    i = offset
    while time.time() < stop_at:
        signature, body = bodies[i % len(bodies)]
        i += legit_count
        started = time.time()
        try:
            connection = http.client.HTTPConnection(host, port, timeout=10)
            connection.request("POST", "/webhooks/zalo", body.encode(),
                               {"Content-Type": "application/json", "X-ZEvent-Signature": signature})
            response = connection.getresponse()
            response.read()
            outcome = response.status
            connection.close()
        except socket.timeout:
            outcome = "timeout"
        except OSError as error:
            outcome = type(error).__name__
        with lock:
            latencies.append(time.time() - started)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        time.sleep(0.02)

flood = threading.Thread(target=loris)
flood.start()
time.sleep(min(5.0, seconds / 3))  # the flood is in place before the measured deliveries
legit_threads = [threading.Thread(target=legit, args=(i,)) for i in range(legit_count)]
for t in legit_threads:
    t.start()
for t in legit_threads + [flood]:
    t.join()
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
print(f"slow-loris: {loris_count} connections from {address_count} addresses; {loris_stats}")
print(f"webhooks on new connections: {len(latencies)} {outcomes}, p50 {pct(0.5):.1f} ms, "
      f"p99 {pct(0.99):.1f} ms, max {pct(1.0):.1f} ms")
ok = latencies and outcomes.get(200, 0) == len(latencies) and pct(0.99) < 1000
print("slowloris:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
