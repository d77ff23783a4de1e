#!/usr/bin/env python3
"""Answer times as they crossed the wire: reads a tcpdump capture (pcap, loopback) of one
server's port and, per connection, pairs each request's first segment with the first segment
of the answer after it. wrk shares the cores with the server, and every answer it reads late
(its own thread not running) counts as a slow answer in its figures; the capture's clock
stamps each segment as it passes the loopback device, the moment a remote client would have
it. Requests must not be pipelined (wrk's are not). A segment the capture dropped can only
make a pair longer, never shorter: the figures err on the slow side.
Usage: wire_latency.py CAPTURE.pcap SERVER_PORT [KERNEL_DROPS]
Prints one line: answers paired, p50, p99, max and the share over 10 ms."""
import struct
import sys

LINK_ETHERNET = 1  # what tcpdump records on Linux's `lo`
LINK_LINUX_SLL = 113


def segments(path):
    """Yields (seconds, source port, destination port, payload bytes) of each TCP segment."""
    with open(path, "rb") as capture:
        header = capture.read(24)
        if len(header) < 24:
            return
        magic = struct.unpack("<I", header[:4])[0]
        if magic == 0xA1B2C3D4:
            order, fraction = "<", 1e-6
        elif magic == 0xD4C3B2A1:
            order, fraction = ">", 1e-6
        elif magic == 0xA1B23C4D:
            order, fraction = "<", 1e-9
        else:
            raise SystemExit(f"{path}: not a pcap capture")
        link = struct.unpack(order + "I", header[20:24])[0]
        link_bytes = {LINK_ETHERNET: 14, LINK_LINUX_SLL: 16}.get(link)
        if link_bytes is None:
            raise SystemExit(f"{path}: link type {link} is not loopback Ethernet")
        while True:
            record = capture.read(16)
            if len(record) < 16:
                return
            seconds, part, captured, _ = struct.unpack(order + "IIII", record)
            packet = capture.read(captured)
            ip = packet[link_bytes:]
            if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
                continue  # IPv4 TCP only: the benchmark listens on 127.0.0.1
            ip_bytes = (ip[0] & 15) * 4
            total = struct.unpack(">H", ip[2:4])[0]
            tcp = ip[ip_bytes:]
            if len(tcp) < 13:
                continue
            source, destination = struct.unpack(">HH", tcp[:4])
            payload = total - ip_bytes - (tcp[12] >> 4) * 4
            yield seconds + part * fraction, source, destination, payload


def percentile(ordered, share):
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main():
    path, port = sys.argv[1], int(sys.argv[2])
    drops = sys.argv[3] if len(sys.argv) > 3 else "?"
    asked_at = {}  # client port -> when its open request's first segment passed
    times = []
    for seconds, source, destination, payload in segments(path):
        if payload <= 0:
            continue  # bare acknowledgements, handshakes
        if destination == port:
            asked_at.setdefault(source, seconds)
        elif source == port and destination in asked_at:
            times.append((seconds - asked_at.pop(destination)) * 1000)
    if not times:
        print(f"wire: no answers paired in {path}")
        return
    times.sort()
    over_goal = sum(1 for t in times if t > 10)
    print(f"wire: {len(times)} answers, p50 {percentile(times, 0.5):.2f} ms, p99 {percentile(times, 0.99):.2f} ms, "
          f"max {times[-1]:.1f} ms, {over_goal / len(times) * 100:.2f}% over 10 ms; capture drops {drops}")


if __name__ == "__main__":
    main()
