#!/usr/bin/env python3
"""Writes N correctly signed, realistic Zalo webhook bodies (Vietnamese text, 300-800 bytes)
as 'signature<TAB>body' lines for the wrk script.

Each msg_id is 19 random hex digits, like the one sample Zalo documents ("96d3cdf3af150460909";
the ids are opaque, nothing says they grow with time). That matters: while pheu deduplicated
them through a unique index in the acknowledgement's commit, random keys dirtied one index
page per event where counting ones (bench000000000001, ...) kept appending to the same page,
and cost 25-40% of the acknowledgements a second at 64 connections on 2 cores. That is why
the inbox became an append-only log (migration 10, store/unsettled_keys.h).

The events are dated just before the bodies are written, one millisecond apart: pheu answers
only chats that are recent (a chat dated days back decides nothing), and a benchmark must
measure the work a live chat causes."""
import hashlib
import json
import random
import sys
import time

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
app_id, oa_id, secret = "bench_app", "bench_oa", "bench-oa-secret-key"
phrases = [
    "Shop ơi cho mình hỏi áo thun cotton size M còn hàng không ạ?",
    "Có mã giảm giá cho đơn đầu tiên không shop?",
    "Mình muốn đổi size, đơn hàng hôm qua giao chưa ạ? Cảm ơn shop nhiều 🙏",
    "Khuyến mãi cuối tuần này áp dụng cho cả váy liền thân không ạ?",
    "Giá bao nhiêu vậy shop, ship về Đà Nẵng mất mấy ngày?",
]
random.seed(7)
out = sys.stdout
first_ms = int(time.time() * 1000) - count
for i in range(count):
    timestamp = str(first_ms + i)
    text = " ".join(random.choice(phrases) for _ in range(random.randint(1, 5)))
    body = json.dumps({
        "app_id": app_id,
        "sender": {"id": str(8958041078911298472 - (i % 50000))},
        "user_id_by_app": str(552177279717587730 + (i % 50000)),
        "recipient": {"id": oa_id},
        "event_name": "user_send_text",
        "message": {"text": text, "msg_id": "%019x" % random.getrandbits(76)},
        "timestamp": timestamp,
    }, ensure_ascii=False, separators=(",", ":"))
    mac = hashlib.sha256((app_id + body + timestamp + secret).encode()).hexdigest()
    out.write("mac=" + mac + "\t" + body + "\n")
