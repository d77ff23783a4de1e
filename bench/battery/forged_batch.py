#!/usr/bin/env python3
"""Forged multi-page Messenger batches against a running pheu configured with pages A1, A2 (one
app's secret) and B (another app's). COUNT batches, each signed with app A's secret and
mixing entries of A1, A2, B and an unknown page, are posted; then the database must hold
exactly the A1/A2 items and none of B's or the unknown page's.
Usage: forged_batch.py PORT DATABASE [count=2000]"""
import hashlib
import hmac
import http.client
import json
import random
import sqlite3
import sys
import time

port, database = int(sys.argv[1]), sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
random.seed(29)
pages = ["page-a1", "page-a2", "page-b", "page-unknown"]
expected = {page: 0 for page in pages}
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
statuses = {}
started = time.time()
for n in range(count):
    entries = []
    for page in random.sample(pages, k=random.randint(1, 4)):
        text = random.choice(["dừng", "STOP", "Chào shop", "hủy đăng ký"])
        item = {"sender": {"id": f"psid-{page}-{n}"}, "recipient": {"id": page}, "timestamp": 1795428900000 + n,
                "message": {"mid": f"m.{page}.{n}", "text": text}}
        entries.append({"id": page, "time": 1795428900000 + n, "messaging": [item]})
    if entries[0]["id"] not in ("page-a1", "page-a2"):
        entries.insert(0, {"id": "page-a1", "messaging": []})  # entry[0] names the signing app's page
    for entry in entries:
        expected[entry["id"]] += len(entry["messaging"])
    body = json.dumps({"object": "page", "entry": entries}, ensure_ascii=False).encode()
    signature = "sha256=" + hmac.new(b"secret-of-app-a", body, hashlib.sha256).hexdigest()
    connection.request("POST", "/webhooks/messenger", body,
                       {"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    response = connection.getresponse()
    response.read()
    statuses[response.status] = statuses.get(response.status, 0) + 1
elapsed = time.time() - started
time.sleep(1)
db = sqlite3.connect(database)
stored = dict(db.execute("SELECT account_id, count(*) FROM inbox_events WHERE source = 'messenger' GROUP BY 1"))
allowed = expected["page-a1"] + expected["page-a2"]
refused = expected["page-b"] + expected["page-unknown"]
print(f"forged batches: {count} in {elapsed:.1f} s, answers {statuses}")
print(f"items of app A's pages: {allowed} sent, {stored.get('page-a1', 0) + stored.get('page-a2', 0)} stored; "
      f"items of page B and an unknown page: {refused} sent, "
      f"{stored.get('page-b', 0) + stored.get('page-unknown', 0)} stored")
ok = (statuses.get(200, 0) == count and stored.get("page-b", 0) == 0 and stored.get("page-unknown", 0) == 0
      and stored.get("page-a1", 0) + stored.get("page-a2", 0) == allowed)
print("forged_batch:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
