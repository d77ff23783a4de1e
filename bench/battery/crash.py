#!/usr/bin/env python3
"""Crash safety: KILLS kill -9 of the real pheu at random moments while EVENTS signed Zalo
follows are delivered (each retried, as Zalo does, until answered 200), with the worker, the
dispatcher (live transport, against fake_zalo.py) and token refreshes all running. After each
kill: PRAGMA integrity_check, then a restart. At the end it checks
  - every acknowledged event is in the inbox and processed, none twice (one customer and
    one welcome message each);
  - no message reached the fake platform twice;
  - every message ended sent, or failed as outcome_unknown (in doubt, never resent); the
    fake echoes what it accepted, as Zalo does, so a message in doubt that did arrive is
    settled as sent by its echo.
A low RATE (messages per second to the OA) keeps claimed messages waiting for the rate limit
at each kill: those never sent must go after the restart, not be held in doubt; the run
counts messages that ended in doubt without the platform ever receiving them.
Usage: crash.py PHEU_BINARY WORKDIR [events=20000] [kills=50] [rate=2000]"""
import hashlib
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

from pheu_server import wait_until_serving

binary, work = sys.argv[1], sys.argv[2]
events = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
kills = int(sys.argv[4]) if len(sys.argv) > 4 else 50
rate = int(sys.argv[5]) if len(sys.argv) > 5 else 2000
os.makedirs(work, exist_ok=True)
db_path = os.path.join(work, "pheu.db")
pheu_port, fake_port = 18086, 18087
random.seed(50)
config = {
    "listen": {"host": "127.0.0.1", "port": pheu_port}, "database": db_path, "transport": "live",
    "events_token": "bench-events-token-0123456789", "admin_token": "bench-admin-token-0123456789",
    "zalo": {"api_base": f"http://127.0.0.1:{fake_port}", "oauth_base": f"http://127.0.0.1:{fake_port}",
             "zns_base": f"http://127.0.0.1:{fake_port}",
             "accounts": [{"oa_id": "bench_oa", "app_id": "bench_app", "oa_secret_key": "bench-oa-secret-key",
                           "app_secret": "bench-app-secret", "access_token": "zalo-access-0",
                           "refresh_token": "zalo-refresh-0"}]},
    "delivery": {"concurrency": 8, "zalo_per_second": rate, "in_doubt_grace_seconds": 5, "retry_base_ms": 100,
                 "retry_max_ms": 2000, "interval_ms": 200},
}
config_path = os.path.join(work, "config.json")
json.dump(config, open(config_path, "w"))

fake = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "fake_zalo.py"), str(fake_port),
                         os.path.join(work, "fake_state.json"), "3", str(pheu_port)])
log = open(os.path.join(work, "pheu.log"), "a")
pheu = None
log_offset = 0


log_path = os.path.join(work, "pheu.log")
reauthorised = [0]


def stopped_since(offset):
    with open(log_path, errors="replace") as f:
        f.seek(offset)
        return "refused the refresh token" in f.read()


def reauthorise_if_stopped(offset):
    """A kill between Zalo rotating the single-use refresh token and pheu committing the new
    pair loses the pair: pheu stops the OA and says so. The shop owner then authorises it
    again; pheu takes the new pair from its configuration. Returns whether that happened."""
    if not stopped_since(offset):
        return False
    pair = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{fake_port}/authorise").read())
    config["zalo"]["accounts"][0]["access_token"] = pair["access_token"]
    config["zalo"]["accounts"][0]["refresh_token"] = pair["refresh_token"]
    json.dump(config, open(config_path, "w"))
    reauthorised[0] += 1
    pheu.send_signal(signal.SIGTERM)
    pheu.wait()
    start()
    return True


def start():
    global pheu, log_offset
    log.flush()
    log_offset = os.path.getsize(log_path) if os.path.exists(log_path) else 0
    pheu = subprocess.Popen([binary, "serve", "--config", config_path], stdout=log, stderr=log,
                            env=dict(os.environ, SPDLOG_LEVEL="info"))
    wait_until_serving(pheu_port)


run_started_ms = int(time.time() * 1000)


def body_of(i):
    # Current times: a follow days old is recorded but not welcomed.
    timestamp = str(run_started_ms + i)
    body = json.dumps({"app_id": "bench_app", "oa_id": "bench_oa", "follower": {"id": "crash-user-%d" % i},
                       "event_name": "follow", "source": "oa_profile", "timestamp": timestamp},
                      separators=(",", ":"))
    mac = hashlib.sha256(("bench_app" + body + timestamp + "bench-oa-secret-key").encode()).hexdigest()
    return body, "mac=" + mac


acknowledged = set()
ack_lock = threading.Lock()
next_event = [0]


def sender():
    connection = None
    while True:
        with ack_lock:
            i = next_event[0]
            if i >= events:
                return
            next_event[0] += 1
        body, signature = body_of(i)
        while True:  # as Zalo does: deliver again until answered 200
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", pheu_port, timeout=5)
                connection.request("POST", "/webhooks/zalo", body.encode(),
                                   {"Content-Type": "application/json", "X-ZEvent-Signature": signature})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    with ack_lock:
                        acknowledged.add(i)
                    break
            except (OSError, http.client.HTTPException):
                connection = None
                time.sleep(0.02)


def integrity():
    db = sqlite3.connect(db_path)
    result = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    return result


start()
threads = [threading.Thread(target=sender) for _ in range(8)]
started = time.time()
for t in threads:
    t.start()
integrity_failures = 0
for k in range(kills):
    time.sleep(random.uniform(0.1, 1.2))
    pheu.send_signal(signal.SIGKILL)
    pheu.wait()
    if integrity() != "ok":
        integrity_failures += 1
    previous_offset = log_offset
    start()
    reauthorise_if_stopped(previous_offset)
for t in threads:
    t.join()
ingest_seconds = time.time() - started

# Let the worker and the dispatcher finish (in-doubt messages wait out their grace).
db = sqlite3.connect(db_path, timeout=10)
for _ in range(600):
    pending = db.execute("SELECT count(*) FROM inbox_events WHERE state = 'pending'").fetchone()[0]
    unsettled = db.execute("SELECT count(*) FROM outbox WHERE kind = 'message' "
                           "AND status IN ('queued', 'sending')").fetchone()[0]
    echoed = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{fake_port}/state").read()).get("echoed", 0)
    calls = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{fake_port}/state").read())["calls"]
    if pending == 0 and unsettled == 0 and echoed == calls:
        break
    reauthorise_if_stopped(log_offset)
    time.sleep(0.5)
q = lambda sql: db.execute(sql).fetchone()[0]
inbox = q("SELECT count(DISTINCT dedupe_key) FROM inbox_events WHERE kind = 'follow'")
# The inbox is a log: a redelivery the writer missed would be a second row (the worker
# would mark it 'duplicate'). There must be none.
copies = q("SELECT count(*) FROM inbox_events WHERE kind = 'follow'") - inbox
processed = q("SELECT count(*) FROM inbox_events WHERE kind = 'follow' AND state = 'processed'")
customers = q("SELECT count(*) FROM customers")
welcomes = q("SELECT count(*) FROM outbox WHERE kind = 'message'")
statuses = dict(db.execute("SELECT status || coalesce(':' || substr(reason, 1, 15), ''), count(*) FROM outbox "
                           "WHERE kind = 'message' GROUP BY 1").fetchall())
sent_rows = q("SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'")
unknown_rows = q("SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'failed' "
                 "AND reason LIKE 'outcome_unknown%'")
db.close()
pheu.send_signal(signal.SIGTERM)
pheu.wait()
final_integrity = integrity()
fake.send_signal(signal.SIGTERM)
fake.wait()
state = json.load(open(os.path.join(work, "fake_state.json")))
twice = sum(1 for count in state["sent"].values() if count > 1)
delivered = sum(state["sent"].values())
lost = len(acknowledged) - inbox if inbox < len(acknowledged) else 0

print(f"crash battery: {events} follows, {kills} kill -9 in {ingest_seconds:.0f} s, "
      f"{state['refreshes']} token refreshes ({state['refused_refreshes']} refused); the OA was authorised again "
      f"{reauthorised[0]} time(s) after a kill lost a rotated pair")
print(f"  acknowledged {len(acknowledged)}, in the inbox {inbox} (and {copies} stored copies), processed {processed}, "
      f"lost {lost}; "
      f"customers {customers}, welcome messages {welcomes}")
print(f"  messages: {statuses}; the fake received {delivered} in {len(state['sent'])} distinct, "
      f"{twice} sent twice, and echoed {state.get('echoed', 0)}")
# A message in doubt that had reached the fake was echoed and settled as sent: what is left
# in doubt never reached the platform.
print(f"  in doubt without ever reaching the platform: {unknown_rows} (at {rate} messages/s)")
print(f"  integrity_check after each kill: {kills - integrity_failures} ok of {kills}; after the run: {final_integrity}")
ok = (len(acknowledged) == events and inbox == events and copies == 0 and processed == events and customers == events
      and welcomes == events and twice == 0 and integrity_failures == 0 and final_integrity == "ok"
      and sent_rows + unknown_rows == events and delivered == sent_rows)
print("crash battery:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
