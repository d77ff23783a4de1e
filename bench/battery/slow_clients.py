#!/usr/bin/env python3
"""Slow and large clients against a running pheu: SLOW slow-loris connections (headers sent a
byte at a time), BIG senders posting 2 MB bodies in a loop, while LEGIT keep-alive clients
post signed Zalo webhooks. Prints the legitimate requests' p50/p99 and how the large bodies
were answered (413, and how many bytes each had sent when the answer came).
Usage: slow_clients.py HOST PORT BODIES_TSV [seconds=10] [slow=500] [big=4] [legit=4]"""
import http.client
import selectors
import socket
import sys
import threading
import time

host, port, bodies_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10
slow_count = int(sys.argv[5]) if len(sys.argv) > 5 else 500
big_count = int(sys.argv[6]) if len(sys.argv) > 6 else 4
legit_count = int(sys.argv[7]) if len(sys.argv) > 7 else 4
deadline = time.time() + seconds
bodies = [line.rstrip("\n").split("\t", 1) for line in open(bodies_path, encoding="utf-8")][:200000]

def slow_loris():
    selector = selectors.DefaultSelector()
    sockets = []
    for _ in range(slow_count):
        try:
            s = socket.create_connection((host, port))
            s.sendall(b"POST /webhooks/zalo HTTP/1.1\r\nHost: pheu\r\n")
            sockets.append(s)
        except OSError:
            pass
    while time.time() < deadline:
        for s in list(sockets):
            try:
                s.send(b"X")  # a header that never ends
            except OSError:
                sockets.remove(s)
        time.sleep(1)
    for s in sockets:
        s.close()
    slow_alive.append(len(sockets))

big_results = []
def big_sender():
    # Declares 2 MB, sends the first 64 KB and waits: a 413 that arrives then came before
    # the server read the rest (it never could: the rest was never sent).
    head = b"{" + b"a" * 65535
    while time.time() < deadline:
        s = socket.create_connection((host, port))
        s.settimeout(2)
        s.sendall(b"POST /webhooks/zalo HTTP/1.1\r\nHost: pheu\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % (2 * 1024 * 1024) + head)
        try:
            data = s.recv(4096)
            status = data.split(b" ")[1].decode() if data else "closed"
        except OSError as error:
            status = type(error).__name__
        big_results.append((status, len(head)))
        s.close()

latencies = []
statuses = {}
lock = threading.Lock()
def legit(offset):
    connection = http.client.HTTPConnection(host, port, timeout=10)
    i = offset
    while time.time() < deadline:
        signature, body = bodies[i % len(bodies)]
        i += legit_count
        started = time.time()
        try:
            connection.request("POST", "/webhooks/zalo", body.encode(),
                               {"Content-Type": "application/json", "X-ZEvent-Signature": signature})
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = "error"
            connection = http.client.HTTPConnection(host, port, timeout=10)
        with lock:
            latencies.append(time.time() - started)
            statuses[status] = statuses.get(status, 0) + 1
        time.sleep(0.005)

slow_alive = []
threads = [threading.Thread(target=slow_loris)]
threads += [threading.Thread(target=big_sender) for _ in range(big_count)]
threads[0].start()
time.sleep(1.5)  # the slow connections are all open before the measured traffic starts
for t in threads[1:]:
    t.start()
legit_threads = [threading.Thread(target=legit, args=(i,)) for i in range(legit_count)]
for t in legit_threads:
    t.start()
for t in threads + legit_threads:
    t.join()
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
big_413 = sum(1 for status, _ in big_results if status == "413")
max_sent = max((sent for _, sent in big_results), default=0)
print(f"slow-loris connections held open: {slow_alive[0] if slow_alive else 0} of {slow_count}")
print(f"legit webhooks: {len(latencies)} answered {statuses}, p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {pct(1.0):.1f} ms")
print(f"2 MB bodies: {len(big_results)} declared, {big_413} answered 413 with only {max_sent} bytes of each sent")
ok = statuses.get(200, 0) == len(latencies) and pct(0.99) < 1000 and big_413 == len(big_results)
print("slow_clients:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
