#!/usr/bin/env python3
"""Slow and large clients against a running pheu: SLOW slow-loris connections (headers sent a
byte at a time), BIG senders posting 2 MB bodies in a loop and BLIND ones sending each whole
before reading, while LEGIT keep-alive clients post signed Zalo webhooks. Prints the
legitimate requests' p50/p99 and how the large bodies were answered (413, and how many bytes
each had sent when the answer came).
Usage: slow_clients.py HOST PORT BODIES_TSV [seconds=10] [slow=500] [big=4] [legit=4] [blind=big]"""
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
blind_count = int(sys.argv[8]) if len(sys.argv) > 8 else big_count
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
blind_results = []
def big_sender():
    # Declares 2 MB, sends the first 64 KB and waits: a 413 that arrives then came before
    # the server read the rest (it never could: the rest was never sent).
    head = b"{" + b"a" * 65535
    while time.time() < deadline:
        s = socket.create_connection((host, port))
        s.settimeout(2)
        s.sendall(b"POST /webhooks/zalo HTTP/1.1\r\nHost: pheu\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % (2 * 1024 * 1024) + head)
        big_results.append((answer_status(s), len(head)))
        s.close()

def blind_sender():
    # Sends all 2 MB before reading, as most HTTP client libraries do: the 413 must still
    # arrive, not a connection reset.
    body = b"{" + b"a" * (2 * 1024 * 1024 - 1)
    while time.time() < deadline:
        s = socket.create_connection((host, port))
        s.settimeout(5)
        try:
            s.sendall(b"POST /webhooks/zalo HTTP/1.1\r\nHost: pheu\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body)
        except OSError as error:
            blind_results.append(type(error).__name__)
            s.close()
            continue
        blind_results.append(answer_status(s))
        s.close()

def answer_status(s):
    try:
        data = s.recv(4096)
        return data.split(b" ")[1].decode() if data else "closed"
    except OSError as error:
        return type(error).__name__

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
threads += [threading.Thread(target=blind_sender) for _ in range(blind_count)]
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
blind_outcomes = {outcome: blind_results.count(outcome) for outcome in set(blind_results)}
print(f"2 MB bodies: {len(big_results)} declared, {big_413} answered 413 with only {max_sent} bytes of each sent")
print(f"2 MB bodies sent whole before reading: {len(blind_results)}, outcomes {blind_outcomes}")
ok = (statuses.get(200, 0) == len(latencies) and pct(0.99) < 1000 and big_413 == len(big_results)
      and blind_outcomes.get("413", 0) == len(blind_results) and (blind_results or not blind_count))
print("slow_clients:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
