#!/usr/bin/env python3
"""Graceful stop: SIGTERM to pheu while 16 clients post signed Zalo webhooks as fast as they
can. pheu must exit within 10 s, and every event it answered 200 must be in the database.
Usage: graceful_stop.py PHEU_BINARY WORKDIR [seconds_of_load_before_the_signal=3]"""
import hashlib
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

from pheu_server import wait_until_serving

binary, work = sys.argv[1], sys.argv[2]
load_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3
os.makedirs(work, exist_ok=True)
db_path, port = os.path.join(work, "pheu.db"), 18088
config_path = os.path.join(work, "config.json")
json.dump({"listen": {"host": "127.0.0.1", "port": port}, "database": db_path, "events_token": "bench-events-token-0123456789",
           "admin_token": "bench-admin-token-0123456789",
           "zalo": {"accounts": [{"oa_id": "bench_oa", "app_id": "bench_app",
                                  "oa_secret_key": "bench-oa-secret-key"}]}}, open(config_path, "w"))
pheu = subprocess.Popen([binary, "serve", "--config", config_path], stdout=subprocess.DEVNULL,
                        stderr=open(os.path.join(work, "pheu.log"), "w"), env=dict(os.environ, SPDLOG_LEVEL="warn"))
wait_until_serving(port)

acknowledged, lock, stop = set(), threading.Lock(), threading.Event()
counter = [0]


def sender():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    while not stop.is_set():
        with lock:
            i = counter[0]
            counter[0] += 1
        timestamp = str(int(time.time() * 1000))
        body = json.dumps({"app_id": "bench_app", "event_name": "user_send_text", "sender": {"id": "u%d" % (i % 5000)},
                           "recipient": {"id": "bench_oa"}, "message": {"text": "Chào shop", "msg_id": "g%d" % i},
                           "timestamp": timestamp}, separators=(",", ":"))
        mac = hashlib.sha256(("bench_app" + body + timestamp + "bench-oa-secret-key").encode()).hexdigest()
        try:
            connection.request("POST", "/webhooks/zalo", body.encode(), {"X-ZEvent-Signature": "mac=" + mac})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                with lock:
                    acknowledged.add("zalo:user_send_text:g%d" % i)
        except (OSError, http.client.HTTPException):
            if pheu.poll() is not None:
                return
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)


threads = [threading.Thread(target=sender) for _ in range(16)]
for t in threads:
    t.start()
time.sleep(load_seconds)
signalled = time.time()
pheu.send_signal(signal.SIGTERM)
try:
    pheu.wait(timeout=30)
except subprocess.TimeoutExpired:
    pheu.kill()
exit_seconds = time.time() - signalled
stop.set()
for t in threads:
    t.join()
db = sqlite3.connect(db_path)
stored = {row[0] for row in db.execute("SELECT dedupe_key FROM inbox_events")}
missing = len(acknowledged - stored)
print(f"graceful stop: SIGTERM after {load_seconds:.0f} s of load ({len(acknowledged)} events acknowledged); "
      f"exited in {exit_seconds:.2f} s with code {pheu.returncode}; acknowledged but missing: {missing}")
ok = exit_seconds < 10 and missing == 0 and pheu.returncode == 0
print("graceful stop:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
