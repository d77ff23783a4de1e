#!/usr/bin/env python3
"""Probes a built pheu binary from the outside, as the tests outside the project do.

Usage: scripts/contract_probe.py [BINARY]   (default build/pheu)

Starts the binary on a private port with its own database and configuration, checks the
answers the outside surface fixes (the README's endpoints: status codes, error codes, exact
bodies), then checks the
log for the secrets and phone number it used. Prints one line per check and exits 1 on any
failure. It complements the integration tests: those link the code, this runs the binary.
"""
import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/pheu"
PORT = 18391
OA_SECRET = "probe-oa-secret-4f1c"
APP_SECRET = "probe-messenger-secret-9a2e"
ADMIN = "probe-admin-token-0123456789"
EVENTS = "probe-events-token-0123456789"
VERIFY = "probe-verify-token"
PHONE_LOCAL = "0912345678"

failures = []


def check(name, condition, detail=""):
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"  ({detail})"))
    if not condition:
        failures.append(name)


def request(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    data = body.encode() if isinstance(body, str) else body
    connection.request(method, path, body=data, headers=headers or {})
    response = connection.getresponse()
    payload = response.read()
    return response.status, payload, response


def error_code(payload):
    try:
        return json.loads(payload)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def zalo_post(body, mac=None):
    if mac is None:
        event = json.loads(body)
        mac = hashlib.sha256(
            (event.get("app_id", "") + body + str(event.get("timestamp", "")) + OA_SECRET).encode()
        ).hexdigest()
    return request("POST", "/webhooks/zalo", body,
                   {"X-ZEvent-Signature": "mac=" + mac,
                    "Content-Type": "application/json"})


def main():
    work = tempfile.mkdtemp(prefix="pheu-probe-")
    config = {
        "listen": {"host": "127.0.0.1", "port": PORT},
        "database": os.path.join(work, "pheu.db"),
        "admin_token": ADMIN, "events_token": EVENTS, "transport": "sandbox",
        "zalo": {"accounts": [{"oa_id": "probe_oa", "app_id": "probe_app",
                               "oa_secret_key": OA_SECRET, "app_secret": "probe-app-secret",
                               "access_token": "probe-access-tok", "refresh_token": "probe-refresh-tok"}]},
        "messenger": {"pages": [{"page_id": "probe_page", "app_secret": APP_SECRET,
                                 "verify_token": VERIFY, "page_access_token": "probe-page-tok"}]},
    }
    config_path = os.path.join(work, "config.json")
    with open(config_path, "w") as file:
        json.dump(config, file)
    log_path = os.path.join(work, "pheu.log")
    log = open(log_path, "w")
    server = subprocess.Popen([BINARY, "serve", "--config", config_path], stdout=log, stderr=log)
    try:
        for _ in range(200):
            try:
                request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        probe()
        backup = os.path.join(work, "backup.db")
        made = subprocess.run([BINARY, "backup", backup, "--config", config_path], capture_output=True, text=True)
        check("pheu backup while serving exits 0 and writes the copy", made.returncode == 0 and os.path.exists(backup),
              made.stderr)
        again = subprocess.run([BINARY, "backup", backup, "--config", config_path], capture_output=True, text=True)
        check("pheu backup onto an existing file exits non-zero with a message",
              again.returncode != 0 and again.stderr.strip(), again.stderr)
        refused = subprocess.run([BINARY, "restore", backup, "--config", config_path], capture_output=True, text=True)
        check("pheu restore while serving exits non-zero with a message",
              refused.returncode != 0 and refused.stderr.strip(), refused.stderr)
        probe_failed_auth()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        log.close()
    restored = subprocess.run([BINARY, "restore", backup, "--config", config_path], capture_output=True, text=True)
    check("pheu restore with the server stopped exits 0", restored.returncode == 0, restored.stderr)
    junk = os.path.join(work, "junk.db")
    with open(junk, "w") as file:
        file.write("not a database")
    bad = subprocess.run([BINARY, "restore", junk, "--config", config_path], capture_output=True, text=True)
    check("pheu restore of a non-database exits non-zero with a message", bad.returncode != 0 and bad.stderr.strip(),
          bad.stderr)
    for key, tokens in (("admin_token", {"admin_token": "short", "events_token": EVENTS}),
                        ("events_token", {"admin_token": ADMIN, "events_token": ADMIN})):
        weak = dict(config, **tokens)
        weak_path = os.path.join(work, f"weak-{key}.json")
        with open(weak_path, "w") as file:
            json.dump(weak, file)
        started = subprocess.run([BINARY, "serve", "--config", weak_path], capture_output=True, text=True, timeout=15)
        check(f"start-up refuses a weak or reused token, naming {key}",
              started.returncode != 0 and key in started.stderr, started.stderr)
    with open(log_path, errors="replace") as file:
        text = file.read()
    secrets = {"OA secret key": OA_SECRET, "Messenger app secret": APP_SECRET, "admin token": ADMIN,
               "events token": EVENTS, "Zalo access token": "probe-access-tok",
               "Zalo refresh token": "probe-refresh-tok", "page access token": "probe-page-tok",
               "full phone number": "912345678"}
    for kind, secret in secrets.items():
        check(f"log holds no {kind}", secret not in text)
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


def probe_failed_auth():
    answers = [request("GET", "/api/v1/customers", headers={"Authorization": f"Bearer wrong-{i}"})
               for i in range(30)]
    limited = [response for status, _, response in answers if status == 429]
    check("wrong admin tokens are answered 429 with Retry-After",
          limited and all(response.getheader("Retry-After") for response in limited),
          [status for status, _, _ in answers])


def voucher_reply_for(zalo_user_id, admin, seconds=15):
    """Polls the customer's messages until one carries a voucher code (the worker is asynchronous)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        status, body, _ = request("GET", "/api/v1/customers?zalo_user_id=" + zalo_user_id, headers=admin)
        items = json.loads(body).get("items", []) if status == 200 else []
        if items:
            status, body, _ = request("GET", f"/api/v1/customers/{items[0]['id']}/messages", headers=admin)
            messages = json.loads(body).get("items", []) if status == 200 else []
            if any(m.get("trigger", "").startswith("keyword:") and re.search(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9-]{6,}\b", m.get("text", ""))
                   for m in messages):
                return True
        time.sleep(0.2)
    return False


def probe():
    status, body, _ = request("GET", "/healthz")
    check("healthz is exactly {\"status\":\"ok\"}", status == 200 and body == b'{"status":"ok"}', body)

    now = int(time.time() * 1000)
    zalo = json.dumps({"app_id": "probe_app", "event_name": "user_send_text",
                       "sender": {"id": "8001"}, "recipient": {"id": "probe_oa"},
                       "message": {"text": "Shop có mã giảm giá không?", "msg_id": "m-probe-1"},
                       "timestamp": str(now)}, ensure_ascii=False)
    status, body, _ = zalo_post(zalo)
    check("signed Zalo webhook answers 200", status == 200, (status, body))
    status, body, _ = zalo_post(zalo)
    check("redelivered Zalo webhook answers 200", status == 200, (status, body))
    status, body, _ = zalo_post(zalo, mac="0" * 64)
    check("bad mac answers 401 invalid_signature",
          status == 401 and error_code(body) == "invalid_signature", (status, body))
    status, body, _ = request("POST", "/webhooks/zalo", zalo, {"Content-Type": "application/json"})
    check("missing signature answers 401", status == 401, (status, body))
    status, body, _ = zalo_post('[1,2]', mac="0" * 64)
    check("non-object Zalo body answers 400", status == 400 and error_code(body), (status, body))
    unnamed = json.dumps({"app_id": "probe_app", "sender": {"id": "8001"}, "timestamp": str(now)})
    status, body, _ = zalo_post(unnamed)
    check("signed body without event_name answers 400", status == 400 and error_code(body), (status, body))

    big = "{\"a\":\"" + "x" * (2 * 1024 * 1024) + "\"}"
    try:
        status, body, _ = request("POST", "/webhooks/zalo", big, {"Content-Type": "application/json"})
        check("2 MB body answers 413", status == 413 and error_code(body), (status, body[:80]))
    except OSError as error:
        check("2 MB body answers 413", False, error)

    auth = {"Authorization": "Bearer " + EVENTS, "Content-Type": "application/json"}
    bad_event = json.dumps({"event_id": "p-1", "type": "purchase", "occurred_at": "2026-11-20T10:00:00+07:00",
                            "customer": {"phone": PHONE_LOCAL}, "properties": {"total": 1000}})
    status, body, _ = request("POST", "/api/v1/events", bad_event, auth)
    path = (json.loads(body).get("error") or {}).get("path") if status == 400 else None
    check("purchase without order_id answers 400 with a path", status == 400 and path, (status, body))
    good_event = json.dumps({"event_id": "p-2", "type": "purchase", "occurred_at": "2026-11-20T10:00:00+07:00",
                             "customer": {"phone": PHONE_LOCAL, "name": "Lan"},
                             "properties": {"order_id": "1001", "total": 699000}})
    status, body, _ = request("POST", "/api/v1/events", good_event, auth)
    check("events API answers 202 accepted 1", status == 202 and json.loads(body) == {"accepted": 1, "duplicates": 0},
          (status, body))
    status, body, _ = request("POST", "/api/v1/events", good_event, auth)
    check("events API counts the duplicate", status == 202 and json.loads(body) == {"accepted": 0, "duplicates": 1},
          (status, body))
    status, body, _ = request("POST", "/api/v1/events", good_event, {"Authorization": "Bearer nope"})
    check("events API with a wrong token answers 401", status == 401, (status, body))

    status, body, _ = request("GET", "/api/v1/reports/funnel")
    check("admin API without a token answers 401", status == 401 and error_code(body), (status, body))
    admin = {"Authorization": "Bearer " + ADMIN}
    status, body, _ = request("GET", "/api/v1/reports/funnel", headers=admin)
    stages = json.loads(body).get("stages", {}) if status == 200 else {}
    check("funnel names the four stages", status == 200 and set(stages) == {
        "new_lead", "new_customer", "frequent_buyer", "dormant"}, (status, body[:200]))
    per_day = json.loads(body).get("per_day") if status == 200 else None
    check("funnel has 30 per_day entries", isinstance(per_day, list) and len(per_day) == 30, str(per_day)[:120])
    check("discount ask answered with a voucher code", voucher_reply_for("8001", admin))
    # The purchase was posted after the Zalo chat: wait for the worker to reach it too.
    deadline = time.time() + 15
    while True:
        status, body, _ = request("GET", "/api/v1/customers?phone=" + PHONE_LOCAL, headers=admin)
        items = json.loads(body).get("items", []) if status == 200 else []
        if items or time.time() > deadline:
            break
        time.sleep(0.2)
    check("customer found by phone, stored as 84…", len(items) == 1 and items[0].get("phone") == "84912345678",
          (status, body[:200]))
    status, body, _ = request("GET", "/api/v1/customers/999999", headers=admin)
    check("unknown customer answers 404", status == 404 and error_code(body), (status, body))
    status, body, _ = request("GET", "/api/v1/templates/no-such-template", headers=admin)
    check("unknown template answers 404", status == 404 and error_code(body), (status, body))
    status, body, _ = request("GET", "/no/such/path")
    check("unknown path answers 404 JSON", status == 404 and error_code(body), (status, body))

    status, body, _ = request("GET", f"/webhooks/messenger?hub.mode=subscribe&hub.verify_token={VERIFY}"
                                     "&hub.challenge=12345")
    check("messenger verify answers 200 with the challenge", status == 200 and body == b"12345", (status, body))
    status, body, _ = request("GET", "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=wrong"
                                     "&hub.challenge=12345")
    check("messenger verify with a wrong token answers 403", status == 403, (status, body))
    messenger = json.dumps({"object": "page", "entry": [{"id": "probe_page", "time": now, "messaging": [
        {"sender": {"id": "psid-1"}, "recipient": {"id": "probe_page"}, "timestamp": now,
         "message": {"mid": "mid-probe-1", "text": "voucher"}}]}]})
    signature = hmac.new(APP_SECRET.encode(), messenger.encode(), hashlib.sha256).hexdigest()
    status, body, _ = request("POST", "/webhooks/messenger", messenger,
                              {"X-Hub-Signature-256": "sha256=" + signature, "Content-Type": "application/json"})
    check("signed messenger webhook answers 200", status == 200, (status, body))
    status, body, _ = request("POST", "/webhooks/messenger", messenger,
                              {"X-Hub-Signature-256": "sha256=" + "0" * 64, "Content-Type": "application/json"})
    check("badly signed messenger webhook answers 401", status == 401, (status, body))

    status, body, _ = request("GET", "/metrics")
    check("metrics is Prometheus text", status == 200 and b"pheu_events_received_total" in body, (status, body[:80]))
    status, body, response = request("GET", "/admin")
    check("admin console is HTML", status == 200 and "text/html" in (response.getheader("Content-Type") or ""),
          (status, body[:80]))


if __name__ == "__main__":
    main()
