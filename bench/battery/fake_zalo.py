#!/usr/bin/env python3
"""A Zalo OpenAPI and OAuth stand-in that outlives the pheu processes the crash battery kills:
it honours one access token at a time (expiring it every EXPIRE_SECONDS, so pheu refreshes
while it runs), rotates single-use refresh tokens as Zalo does, and counts every consultation
message it accepts by (recipient, text), so a message sent twice is seen.
Like Zalo, it echoes each accepted message to the OA's webhook (event oa_send_text, signed),
retrying until answered 200 (pheu may be down): that is how pheu settles a message whose
send it could not confirm. Several webhook ports (several pheu instances behind what would be
a load balancer) take the echoes in turn, another when one is down.
Usage: fake_zalo.py PORT STATE_FILE [EXPIRE_SECONDS=3] [WEBHOOK_PORT[,WEBHOOK_PORT…]].
Writes its counts to STATE_FILE as JSON on SIGTERM, and on GET /state."""
import hashlib
import http.client
import queue
import json
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, state_file = int(sys.argv[1]), sys.argv[2]
expire_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3
webhook_ports = [int(p) for p in sys.argv[4].split(",")] if len(sys.argv) > 4 else []
echoes = queue.Queue()
lock = threading.Lock()
state = {"access": "zalo-access-0", "refresh": "zalo-refresh-0", "refreshes": 0, "refused_refreshes": 0,
         "expired": 0, "sent": {}, "calls": 0}
valid_since = [time.time()]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, body, status=200):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode() if length else ""

    def token_ok(self):
        with lock:
            if time.time() - valid_since[0] > expire_seconds and self.headers.get("access_token") == state["access"]:
                # The token expires: pheu must refresh (reactively, on -216).
                state["access"] = "zalo-access-expired-%d" % state["expired"]
                state["expired"] += 1
            return self.headers.get("access_token") == state["access"]

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        if path == "/state":
            with lock:
                return self.answer(state)
        if path == "/authorise":
            # The shop owner authorises the OA again: a fresh pair, as from the OAuth code flow.
            with lock:
                state["authorisations"] = state.get("authorisations", 0) + 1
                n = state["authorisations"]
                state["access"], state["refresh"] = "zalo-access-auth%d" % n, "zalo-refresh-auth%d" % n
                valid_since[0] = time.time()
                return self.answer({"access_token": state["access"], "refresh_token": state["refresh"]})
        if not self.token_ok():
            return self.answer({"error": -216, "message": "Access token is invalid"})
        if path == "/v3.0/oa/user/detail":
            return self.answer({"error": 0, "data": {"display_name": "Khách", "avatar": ""}})
        self.answer({"error": 0})

    def do_POST(self):
        path = urllib.parse.urlparse(self.path).path
        raw = self.body()
        if path == "/v4/oa/access_token":
            form = urllib.parse.parse_qs(raw)
            with lock:
                if form.get("refresh_token", [""])[0] != state["refresh"]:
                    state["refused_refreshes"] += 1
                    return self.answer({"error": -14014, "error_name": "Invalid refresh token"})
                state["refreshes"] += 1
                n = state["refreshes"]
                state["access"], state["refresh"] = "zalo-access-%d" % n, "zalo-refresh-%d" % n
                valid_since[0] = time.time()
                return self.answer({"access_token": state["access"], "refresh_token": state["refresh"],
                                    "expires_in": "90000"})
        if not self.token_ok():
            return self.answer({"error": -216, "message": "Access token is invalid"})
        if path == "/v3.0/oa/message/cs":
            message = json.loads(raw)
            key = message["recipient"]["user_id"] + "\t" + json.dumps(message["message"], sort_keys=True)
            with lock:
                state["sent"][key] = state["sent"].get(key, 0) + 1
                state["calls"] += 1
                n = state["calls"]
            if webhook_ports:
                echoes.put((message["recipient"]["user_id"], message["message"].get("text", ""), "zmsg-%d" % n))
            return self.answer({"error": 0, "data": {"message_id": "zmsg-%d" % n, "user_id": "?"}})
        self.answer({"error": 0, "message": "Success"})


def echo_sender():
    connection = None
    turn = 0
    while True:
        user, text, msg_id = echoes.get()
        timestamp = str(int(time.time() * 1000))
        body = json.dumps({"app_id": "bench_app", "event_name": "oa_send_text", "sender": {"id": "bench_oa"},
                           "recipient": {"id": user}, "message": {"text": text, "msg_id": msg_id},
                           "timestamp": timestamp}, ensure_ascii=False, separators=(",", ":"))
        mac = hashlib.sha256(("bench_app" + body + timestamp + "bench-oa-secret-key").encode()).hexdigest()
        while True:
            try:
                if connection is None:
                    turn += 1
                    connection = http.client.HTTPConnection("127.0.0.1", webhook_ports[turn % len(webhook_ports)],
                                                            timeout=5)
                connection.request("POST", "/webhooks/zalo", body.encode(),
                                   {"Content-Type": "application/json", "X-ZEvent-Signature": "mac=" + mac})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    break
            except (OSError, http.client.HTTPException):
                connection = None
                time.sleep(0.05)
        with lock:
            state["echoed"] = state.get("echoed", 0) + 1


threading.Thread(target=echo_sender, daemon=True).start()


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # pheu killed mid-request resets its connections: expected here, not worth a traceback


server = Server(("127.0.0.1", port), Handler)
server.daemon_threads = True


def stop(*_):
    with lock:
        json.dump(state, open(state_file, "w"))
    threading.Thread(target=server.shutdown).start()


signal.signal(signal.SIGTERM, stop)
server.serve_forever()
