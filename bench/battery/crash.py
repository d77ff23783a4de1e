#!/usr/bin/env python3
"""Crash safety: KILLS kill -9 of the real pheu at random moments while EVENTS signed Zalo
webhooks are delivered (each retried, as Zalo does, until answered 200), with the worker, the
dispatcher (live transport, against fake_zalo.py) and token refreshes all running. After each
kill: PRAGMA integrity_check (SQLite), then a restart. At the end it checks
  - every acknowledged event is in the inbox and processed, none twice (one customer, one
    welcome message and one counted interaction per event);
  - no message reached the fake platform twice: for every shopper, the fake received as many
    messages as pheu recorded sent;
  - every message ended sent, or failed as outcome_unknown (in doubt, never resent); the
    fake echoes what it accepted, as Zalo does, so a message in doubt that did arrive is
    settled as sent by its echo;
  - each shopper's events were decided in the order they were delivered;
  - one token refresh per expiry of the access token.
A low RATE (messages per second to the OA) keeps claimed messages waiting for the rate limit
at each kill: those never sent must go after the restart, not be held in doubt; the run
counts messages that ended in doubt without the platform ever receiving them.

Several instances (--instances N, with --database naming a PostgreSQL URL) share one
database; webhooks go to any of them as a load balancer would send them (to another while
one is down), each kill takes a random one, and --database-restarts restarts PostgreSQL
with `pg_ctl -m immediate` (--restart-command) between kills while the instances run on.
--chats K sends K chats after each follow, one shopper's webhooks one at a time, in order.

Usage: crash.py PHEU_BINARY WORKDIR [events=20000] [kills=50] [rate=2000]
       [--database URL] [--instances N] [--chats K] [--database-restarts R --restart-command CMD]"""
import argparse
import hashlib
import http.client
import json
import os
import random
import shlex
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

from pheu_server import wait_until_serving

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("work")
parser.add_argument("events", nargs="?", type=int, default=20000)
parser.add_argument("kills", nargs="?", type=int, default=50)
parser.add_argument("rate", nargs="?", type=int, default=2000)
parser.add_argument("--database", default="")
parser.add_argument("--instances", type=int, default=1)
parser.add_argument("--chats", type=int, default=0)
parser.add_argument("--database-restarts", type=int, default=0)
parser.add_argument("--restart-command", default="")
args = parser.parse_args()
work, events, kills, rate = args.work, args.events, args.kills, args.rate
os.makedirs(work, exist_ok=True)
on_postgres = args.database.startswith(("postgresql://", "postgres://"))
database = args.database or os.path.join(work, "pheu.db")
if args.instances > 1 and not on_postgres:
    raise SystemExit("several instances need a PostgreSQL --database")
fake_port = 18087
pheu_ports = [18086] + [18090 + i for i in range(1, args.instances)]
random.seed(50)

CHATS = ["có khuyến mãi gì không shop", "gia ao thun bao nhieu vay shop", "Shop ơi áo này còn size M không ạ?",
         "ship về Đà Nẵng mấy ngày vậy shop", "cảm ơn shop nha"]
events_per_shopper = 1 + args.chats
shoppers = events // events_per_shopper
events = shoppers * events_per_shopper


def query(sql):
    """The first column of the first row of `sql`, from SQLite or PostgreSQL."""
    return rows(sql)[0][0]


def rows(sql):
    if on_postgres:
        for _ in range(100):  # the database may be restarting
            done = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-d", database, "-c", sql],
                                  capture_output=True, text=True)
            if done.returncode == 0:
                return [[int(v) if v.lstrip("-").isdigit() else v for v in line.split("\t")]
                        for line in done.stdout.splitlines()]
            time.sleep(0.2)
        raise SystemExit("psql: " + done.stderr)
    db = sqlite3.connect(database, timeout=10)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def integrity():
    return query("PRAGMA integrity_check") if not on_postgres else "ok"


account = {"oa_id": "bench_oa", "app_id": "bench_app", "oa_secret_key": "bench-oa-secret-key",
           "app_secret": "bench-app-secret", "access_token": "zalo-access-0", "refresh_token": "zalo-refresh-0"}


def write_configs():
    for i, port in enumerate(pheu_ports):
        config = {
            "listen": {"host": "127.0.0.1", "port": port}, "database": database, "transport": "live",
            "events_token": "bench-events-token-0123456789", "admin_token": "bench-admin-token-0123456789",
            "zalo": {"api_base": f"http://127.0.0.1:{fake_port}", "oauth_base": f"http://127.0.0.1:{fake_port}",
                     "zns_base": f"http://127.0.0.1:{fake_port}", "accounts": [account]},
            "delivery": {"concurrency": 8, "zalo_per_second": rate, "in_doubt_grace_seconds": 5,
                         "retry_base_ms": 100, "retry_max_ms": 2000, "interval_ms": 200},
        }
        json.dump(config, open(os.path.join(work, f"config-{i}.json"), "w"))


write_configs()
fake = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "fake_zalo.py"), str(fake_port),
                         os.path.join(work, "fake_state.json"), "3", ",".join(map(str, pheu_ports))])


class Instance:
    """One pheu process, restarted on the same configuration after each kill."""

    def __init__(self, index):
        self.index = index
        self.port = pheu_ports[index]
        self.log_path = os.path.join(work, "pheu.log" if index == 0 else f"pheu-{index}.log")
        self.log = open(self.log_path, "a")
        self.process = None
        self.log_offset = 0

    def start(self):
        self.log.flush()
        self.log_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        self.process = subprocess.Popen(
            [args.binary, "serve", "--config", os.path.join(work, f"config-{self.index}.json")],
            stdout=self.log, stderr=self.log, env=dict(os.environ, SPDLOG_LEVEL="info"))
        wait_until_serving(self.port)

    def signal(self, number):
        self.process.send_signal(number)
        self.process.wait()

    def refused_refresh_since(self, offset):
        with open(self.log_path, errors="replace") as f:
            f.seek(offset)
            return "refused the refresh token" in f.read()


instances = [Instance(i) for i in range(args.instances)]
reauthorised = [0]


def reauthorise_if_stopped(offsets):
    """A kill between Zalo rotating the single-use refresh token and pheu committing the new
    pair loses the pair: pheu stops the OA and says so. The shop owner then authorises it
    again; pheu takes the new pair from its configuration. Returns whether that happened."""
    if not any(instance.refused_refresh_since(offset) for instance, offset in zip(instances, offsets)):
        return False
    pair = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{fake_port}/authorise").read())
    account["access_token"], account["refresh_token"] = pair["access_token"], pair["refresh_token"]
    write_configs()
    reauthorised[0] += 1
    for instance in instances:
        instance.signal(signal.SIGTERM)
        instance.start()
    return True


run_started_ms = int(time.time() * 1000)


def sign(body, timestamp):
    mac = hashlib.sha256(("bench_app" + body + timestamp + "bench-oa-secret-key").encode()).hexdigest()
    return "mac=" + mac


def webhooks_of(shopper):
    """The shopper's follow, then their chats, with current times (a follow days old is
    recorded but not welcomed)."""
    user = "crash-user-%d" % shopper
    for n in range(events_per_shopper):
        timestamp = str(run_started_ms + shopper * events_per_shopper + n)
        if n == 0:
            event = {"app_id": "bench_app", "oa_id": "bench_oa", "follower": {"id": user}, "event_name": "follow",
                     "source": "oa_profile", "timestamp": timestamp}
        else:
            event = {"app_id": "bench_app", "sender": {"id": user}, "recipient": {"id": "bench_oa"},
                     "event_name": "user_send_text",
                     "message": {"text": CHATS[(shopper + n) % len(CHATS)], "msg_id": "crash-msg-%d-%d" % (shopper, n)},
                     "timestamp": timestamp}
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        yield body, sign(body, timestamp)


acknowledged = [0]
ack_lock = threading.Lock()
next_shopper = [0]


def sender(number):
    connections = {}
    turn = number
    while True:
        with ack_lock:
            shopper = next_shopper[0]
            if shopper >= shoppers:
                return
            next_shopper[0] += 1
        for body, signature in webhooks_of(shopper):
            while True:  # as Zalo does: deliver again until answered 200, to any instance
                port = pheu_ports[turn % len(pheu_ports)]
                turn += 1
                try:
                    if port not in connections:
                        connections[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    connections[port].request("POST", "/webhooks/zalo", body.encode(),
                                              {"Content-Type": "application/json", "X-ZEvent-Signature": signature})
                    response = connections[port].getresponse()
                    response.read()
                    if response.status == 200:
                        with ack_lock:
                            acknowledged[0] += 1
                        break
                except (OSError, http.client.HTTPException):
                    connections.pop(port, None)
                    time.sleep(0.02)


for instance in instances:
    instance.start()
threads = [threading.Thread(target=sender, args=(n,)) for n in range(8)]
started = time.time()
for t in threads:
    t.start()
integrity_failures = 0
restarts_at = set(random.sample(range(kills), min(args.database_restarts, kills)))
database_restarts = 0
for k in range(kills):
    time.sleep(random.uniform(0.1, 1.2))
    victim = random.choice(instances)
    victim.signal(signal.SIGKILL)
    if integrity() != "ok":
        integrity_failures += 1
    offsets = [instance.log_offset for instance in instances]
    if k in restarts_at:
        # The database dies too, and comes back while the other instances run on.
        # (its output is not waited for: the new server keeps it open)
        subprocess.run(shlex.split(args.restart_command), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        database_restarts += 1
    victim.start()
    reauthorise_if_stopped(offsets)
for t in threads:
    t.join()
ingest_seconds = time.time() - started


def fake_state():
    return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{fake_port}/state").read())


# Let the workers and the dispatchers finish (in-doubt messages wait out their grace).
for _ in range(1200):
    pending = query("SELECT count(*) FROM inbox_events WHERE state = 'pending'")
    unsettled = query("SELECT count(*) FROM outbox WHERE kind = 'message' AND status IN ('queued', 'sending')")
    state = fake_state()
    if pending == 0 and unsettled == 0 and state.get("echoed", 0) == state["calls"]:
        break
    reauthorise_if_stopped([instance.log_offset for instance in instances])
    time.sleep(0.5)
settle_seconds = time.time() - started - ingest_seconds

shopper_kinds = "kind IN ('follow', 'message')"
inbox = query(f"SELECT count(DISTINCT dedupe_key) FROM inbox_events WHERE {shopper_kinds}")
# The inbox is a log: a redelivery the writer missed would be a second row (the worker
# would mark it 'duplicate'). There must be none.
copies = query(f"SELECT count(*) FROM inbox_events WHERE {shopper_kinds}") - inbox
processed = query(f"SELECT count(*) FROM inbox_events WHERE {shopper_kinds} AND state = 'processed'")
customers = query("SELECT count(*) FROM customers")
interactions = query("SELECT coalesce(sum(interaction_count), 0) FROM customers")
welcomes = query("SELECT count(*) FROM outbox WHERE kind = 'message' AND trigger = 'event:follow'")
messages = query("SELECT count(*) FROM outbox WHERE kind = 'message'")
statuses = dict((status, count) for status, count in rows(
    "SELECT status || coalesce(':' || substr(reason, 1, 15), ''), count(*) FROM outbox WHERE kind = 'message' "
    "GROUP BY 1"))
sent_rows = query("SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'")
unknown_rows = query("SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'failed' "
                     "AND reason LIKE 'outcome_unknown%'")
# Decided and recorded, never to be sent: a second question pheu cannot answer, within the
# fallback's cooldown, is a repeat.
skipped_rows = query("SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'skipped'")
sent_by_recipient = dict((recipient, count) for recipient, count in rows(
    "SELECT recipient, count(*) FROM outbox WHERE kind = 'message' AND status = 'sent' GROUP BY 1"))
# A shopper's later event decided before an earlier one (in a later batch) shows as an
# earlier processed_at: delivered in order, they must be decided in order.
out_of_order = query(f"SELECT count(*) FROM inbox_events a JOIN inbox_events b ON b.customer_id = a.customer_id "
                     f"AND b.seq > a.seq WHERE a.{shopper_kinds} AND b.{shopper_kinds} "
                     f"AND b.processed_at < a.processed_at")
for instance in instances:
    instance.signal(signal.SIGTERM)
final_integrity = integrity()
fake.send_signal(signal.SIGTERM)
fake.wait()
state = json.load(open(os.path.join(work, "fake_state.json")))
received_by_recipient = {}
for key, count in state["sent"].items():
    recipient = key.split("\t", 1)[0]
    received_by_recipient[recipient] = received_by_recipient.get(recipient, 0) + count
twice = sum(1 for count in state["sent"].values() if count > 1)
more_than_recorded = sum(1 for recipient, count in received_by_recipient.items()
                         if count > sent_by_recipient.get(recipient, 0))
delivered = sum(state["sent"].values())
lost = acknowledged[0] - inbox if inbox < acknowledged[0] else 0

print(f"crash battery: {events} webhooks ({shoppers} shoppers, a follow and {args.chats} chat(s) each) over "
      f"{args.instances} instance(s) on {'PostgreSQL' if on_postgres else 'SQLite'}, {kills} kill -9 and "
      f"{database_restarts} database restart(s) in {ingest_seconds:.0f} s; all settled {settle_seconds:.0f} s later")
print(f"  token: {state['expired']} expiries, {state['refreshes']} refreshes ({state['refused_refreshes']} refused); "
      f"the OA was authorised again {reauthorised[0]} time(s) after a kill lost a rotated pair")
print(f"  acknowledged {acknowledged[0]}, in the inbox {inbox} (and {copies} stored copies), processed {processed}, "
      f"lost {lost}; customers {customers}, interactions counted {interactions}, welcome messages {welcomes}; "
      f"decided out of order {out_of_order}")
print(f"  messages: {messages} {statuses}; the fake received {delivered} ({twice} with the same text to the same "
      f"shopper twice), echoed {state.get('echoed', 0)}; shoppers who received more than pheu recorded sent: "
      f"{more_than_recorded}")
# A message in doubt that had reached the fake was echoed and settled as sent: what is left
# in doubt never reached the platform.
print(f"  in doubt without ever reaching the platform: {unknown_rows} (at {rate} messages/s)")
if not on_postgres:
    print(f"  integrity_check after each kill: {kills - integrity_failures} ok of {kills}; after the run: "
          f"{final_integrity}")
# Each refresh answers an expiry (a token that stopped working), except those a lost pair
# made: the spent refresh token is refused, once by each instance that tries it.
refreshes_ok = state["refreshes"] <= state["expired"] + reauthorised[0] and \
    state["refused_refreshes"] <= reauthorised[0] * args.instances
ok = (acknowledged[0] == events and inbox == events and copies == 0 and processed == events
      and customers == shoppers and interactions == events and welcomes == shoppers and out_of_order == 0
      and more_than_recorded == 0 and integrity_failures == 0 and final_integrity == "ok"
      and sent_rows + unknown_rows + skipped_rows == messages and delivered == sent_rows and refreshes_ok)
print("crash battery:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
