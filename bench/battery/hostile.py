#!/usr/bin/env python3
"""Hostile corpus against a running pheu (Release): COUNT bodies (invalid UTF-8, NUL bytes,
truncated JSON, 100,000 nested '[', 10 MB strings, huge numbers, duplicate keys, random
bytes), half of them correctly signed so they pass the signature check and reach the
parser, posted to the Zalo webhook and the events API. Every answer must be 4xx (or 200 for
a signed fragment that is a real event) within 2 s, the server must survive, and its RSS
must grow by less than 50 MB.
Usage: hostile.py PORT PID [count=100000]"""
import hashlib
import http.client
import json
import random
import socket
import sys
import time

port, pid = int(sys.argv[1]), int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
random.seed(11)


def rss_mib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0


valid = json.dumps({"app_id": "bench_app", "sender": {"id": "1"}, "recipient": {"id": "bench_oa"},
                    "event_name": "user_send_text", "message": {"text": "Chào shop", "msg_id": "h"},
                    "timestamp": "1795428900000"}, ensure_ascii=False).encode()
fixed = [
    b"", b"\xff\xfe\xfd", b'{"app_id":"bench_app","event_name":"user_send_text\x00"}', valid[: len(valid) // 2],
    b"[" * 100000, b'{"a":' + b"[" * 100000,
    b'{"app_id":"bench_app","timestamp":1' + b"9" * 5000 + b',"event_name":"follow"}',
    b'{"app_id":"bench_app","app_id":"x","event_name":"follow","timestamp":"1"}',
    b'{"app_id":"bench_app","event_name":"user_send_text","message":{"text":"' + b"a" * (10 * 1024 * 1024) + b'"}}',
    b'{"app_id":"bench_app","event_name":"user_send_text","message":{"text":"\xc3\x28"},"timestamp":"1"}',
    b'{"app_id":"bench_app","event_name":123,"timestamp":"1"}', b"null", b"[1,2,3]",
    b'{"app_id":"bench_app","event_name":"follow","timestamp":1e400}',
]


def body(i):
    kind = i % 4
    if kind == 0:
        return fixed[(i // 4) % len(fixed)]
    if kind == 1:
        return bytes(random.getrandbits(8) for _ in range(random.randrange(600)))
    if kind == 2:
        return valid[: random.randrange(len(valid))]
    # a valid body with a few bytes replaced
    b = bytearray(valid)
    for _ in range(random.randrange(1, 4)):
        b[random.randrange(len(b))] = random.getrandbits(8)
    return bytes(b)


def signature(raw):
    # Signed as Zalo would sign it, with the body's timestamp when it has one.
    try:
        timestamp = str(json.loads(raw).get("timestamp", ""))
    except Exception:
        timestamp = ""
    return "mac=" + hashlib.sha256(b"bench_app" + raw + timestamp.encode() + b"bench-oa-secret-key").hexdigest()


def connect():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    return c


def post_oversized(path, raw, headers):
    """A body over the server's limit, of which only the first 64 KB are sent before the
    answer is read: a 413 that arrives came before the server could have read the rest.
    (A client that sends all of it first gets the 413 too: pheu drains for up to 2 s.)"""
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    head = f"POST {path} HTTP/1.1\r\nHost: pheu\r\nContent-Length: {len(raw)}\r\n" + \
        "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    try:
        s.sendall(head.encode() + raw[:65536])
        answer = s.recv(4096)
        return int(answer.split(b" ")[1]) if answer else "closed"
    except OSError:
        return "error"
    finally:
        s.close()


connection = connect()
statuses, slow, errors = {}, 0, 0
for i in range(1, 50, 4):  # warm-up, on bodies under the limit
    connection.request("POST", "/webhooks/zalo", body(i), {"X-ZEvent-Signature": "mac=x"})
    connection.getresponse().read()
rss_before = rss_mib()
started_all = time.time()
for i in range(count):
    raw = body(i)
    for path, headers in (("/webhooks/zalo", {"X-ZEvent-Signature": signature(raw) if i % 2 else "mac=0"}),
                          ("/api/v1/events", {"Authorization": "Bearer bench-events-token-0123456789"})):
        headers["Content-Type"] = "application/json"
        started = time.time()
        if len(raw) > 1024 * 1024:
            status = post_oversized(path, raw, headers)
            slow += time.time() - started > 2
            statuses[status] = statuses.get(status, 0) + 1
            continue
        try:
            connection.request("POST", path, raw, headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = connect()
        except (OSError, http.client.HTTPException):
            status = "error"
            connection.close()
            connection = connect()
        slow += time.time() - started > 2
        statuses[status] = statuses.get(status, 0) + 1
rss_after = rss_mib()
bad = sum(n for s, n in statuses.items() if not (isinstance(s, int) and (400 <= s < 500 or s == 200)))
print(f"hostile corpus: {count} bodies x 2 endpoints in {time.time() - started_all:.0f} s: {statuses}")
print(f"  answered outside 4xx/200: {bad}; over 2 s: {slow}; server RSS {rss_before:.0f} -> {rss_after:.0f} MiB "
      f"(+{rss_after - rss_before:.0f})")
ok = bad == 0 and slow == 0 and rss_after - rss_before < 50
print("hostile corpus:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
