#!/usr/bin/env python3
"""The probe and two of the attackers of bench/hostile.sh (Python 3 standard library only, 127.0.0.1 only).

  hostile-clients.py probe PORT SECONDS OUT
      A normal `GET /` on a new connection every 100 ms for SECONDS seconds (SECONDS * 10 probes), each on its own
      thread so that a slow one does not delay the next; a probe fails on anything but a 200, a connection error, or
      no complete answer within 2 s of its start. Writes one line per probe to OUT:
          <epoch ms at start> <ok|failed> <status or -> <latency ms> <detail>
      and prints a summary: probes=N ok=N failed=N p50_ms=X p99_ms=X max_ms=X (latencies of all probes; a failed one
      counts with the time it took to fail, at most 2 s).
  hostile-clients.py idle PORT CONNECTIONS SECONDS
      Opens CONNECTIONS TCP connections (1 s connect timeout each), sends nothing, holds them until SECONDS after the
      start, then closes them. Prints how many opened, failed to open, and were closed by the proxy meanwhile.
  hostile-clients.py heads PORT CONNECTIONS KIB ROUNDS SECONDS
      ROUNDS times: opens CONNECTIONS connections and on each, as fast as the proxy reads, sends
      `GET / HTTP/1.1\\r\\nHost: x\\r\\n` and then KIB KiB of `X-Filler-N: <1000 chars>\\r\\n` header lines, never the
      blank line that ends the head, and holds the connection open. A round ends when the proxy closed every
      connection, or when nothing moved (no byte sent, no connection closed) for 5 s; its connections are then closed.
      Stops at SECONDS after the start whatever the round. Prints per round: connections, fully sent (to the kernel:
      loopback socket buffers hold a few MB), closed or reset by the proxy, answers seen (status:count) and MiB sent.
"""
import errno
import os
import selectors
import socket
import sys
import threading
import time

HOST = "127.0.0.1"
HOLD_SECONDS = 5.0   # heads: a round ends when nothing moved (no byte sent, no connection closed) for this long


def now_ms():
    return int(time.time() * 1000)


# ---- probe ----

def probe_once(port, timeout, results, index):
    started = time.monotonic()
    epoch = now_ms()
    deadline = started + timeout
    status = "-"
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise socket.timeout("no complete answer within %.0f s" % timeout)
                s.settimeout(left)
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            line = data.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            status = parts[1] if len(parts) > 1 else "-"
            if not line.startswith("HTTP/1.") or status != "200":
                outcome, detail = "failed", (line or "(no answer)").replace(" ", "_")
            else:
                outcome, detail = "ok", "-"
    except (OSError, socket.timeout) as e:
        outcome, detail = "failed", (type(e).__name__ + ":" + str(e)).replace(" ", "_")
    results[index] = (epoch, outcome, status, (time.monotonic() - started) * 1000.0, detail)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = max(0, min(len(sorted_values) - 1, -(-p * len(sorted_values) // 100) - 1))
    return sorted_values[int(index)]


def probe(port, seconds, out):
    count = seconds * 10
    results = [None] * count
    threads = []
    start = time.monotonic()
    for i in range(count):
        wait = start + i * 0.1 - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        t = threading.Thread(target=probe_once, args=(port, 2.0, results, i), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(10)
    done = [r for r in results if r is not None]
    with open(out, "w") as f:
        for r in done:
            f.write("%d %s %s %.1f %s\n" % r)
    failed = sum(1 for r in done if r[1] != "ok") + (count - len(done))
    latencies = sorted(r[3] for r in done)
    print("probes=%d ok=%d failed=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f" % (
        count, count - failed, failed, percentile(latencies, 50), percentile(latencies, 99),
        latencies[-1] if latencies else float("nan")), flush=True)


# ---- idle connections ----

def idle(port, connections, seconds):
    end = time.monotonic() + seconds
    sel = selectors.DefaultSelector()
    opened = failed = closed = 0
    errors = {}
    for _ in range(connections):
        if time.monotonic() >= end:
            break
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(1.0)
        try:
            s.connect((HOST, port))
        except OSError as e:
            failed += 1
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
            s.close()
            continue
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        opened += 1
    print("idle: opened=%d failed_to_open=%d in %.1f s %s" % (
        opened, failed, seconds - (end - time.monotonic()), errors or ""), flush=True)
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        for key, _ in sel.select(min(left, 1.0)):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                closed += 1
                sel.unregister(s)
                s.close()
    still = len(sel.get_map())
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    print("idle: opened=%d failed_to_open=%d closed_by_proxy=%d still_open_at_end=%d" % (
        opened, failed, closed, still), flush=True)


# ---- unfinished heads ----

def heads_payload(kib):
    parts = [b"GET / HTTP/1.1\r\nHost: x\r\n"]
    size = len(parts[0])
    n = 0
    value = b"a" * 1000
    while size < kib * 1024:
        line = b"X-Filler-%d: %s\r\n" % (n, value)
        parts.append(line)
        size += len(line)
        n += 1
    return b"".join(parts)


def heads_round(port, connections, payload, end):
    sel = selectors.DefaultSelector()
    sent = {}
    connected = refused = full = closed = 0
    answers = {}
    total = 0
    for _ in range(connections):
        if time.monotonic() >= end:
            break
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(1.0)
        try:
            s.connect((HOST, port))
        except OSError:
            refused += 1
            s.close()
            continue
        s.setblocking(False)
        sent[s] = 0
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
        connected += 1
    view = memoryview(payload)
    active = set(sent)       # still sending
    open_ = set(sent)        # not closed by the proxy
    last_progress = time.monotonic()
    while open_ and time.monotonic() < end and time.monotonic() - last_progress < HOLD_SECONDS:
        for key, events in sel.select(0.5):
            s = key.fileobj
            if events & selectors.EVENT_READ:
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    data = None
                except OSError:
                    data = b""
                if data:
                    line = data.split(b"\r\n", 1)[0].decode("latin-1")
                    if line.startswith("HTTP/"):
                        code = line.split(" ")[1] if " " in line else "?"
                        answers[code] = answers.get(code, 0) + 1
                elif data is not None:   # closed or reset by the proxy
                    closed += 1
                    active.discard(s)
                    open_.discard(s)
                    sel.unregister(s)
                    last_progress = time.monotonic()
                    continue
            if events & selectors.EVENT_WRITE and s in active:
                try:
                    n = s.send(view[sent[s]:sent[s] + 262144])
                except BlockingIOError:
                    n = 0
                except OSError:
                    closed += 1
                    active.discard(s)
                    open_.discard(s)
                    sel.unregister(s)
                    last_progress = time.monotonic()
                    continue
                if n:
                    sent[s] += n
                    total += n
                    last_progress = time.monotonic()
                if sent[s] >= len(payload):
                    full += 1
                    active.discard(s)
                    sel.modify(s, selectors.EVENT_READ)
    for s in sent:
        s.close()
    sel.close()
    return connected, refused, full, closed, answers, total


def heads(port, connections, kib, rounds, seconds):
    end = time.monotonic() + seconds
    payload = heads_payload(kib)
    for r in range(1, rounds + 1):
        if time.monotonic() >= end:
            print("heads: round %d not started: time is up" % r, flush=True)
            break
        started = time.monotonic()
        connected, refused, full, closed, answers, total = heads_round(port, connections, payload, end)
        print("heads: round %d: connected=%d failed_to_connect=%d fully_sent=%d closed_by_proxy=%d answers=%s "
              "sent_mib=%.0f in %.1f s" % (r, connected, refused, full, closed,
                                            ",".join("%s:%d" % kv for kv in sorted(answers.items())) or "none",
                                            total / 1048576.0, time.monotonic() - started), flush=True)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    mode, args = argv[1], argv[2:]
    if mode == "probe" and len(args) == 3:
        probe(int(args[0]), int(args[1]), args[2])
    elif mode == "idle" and len(args) == 3:
        idle(int(args[0]), int(args[1]), int(args[2]))
    elif mode == "heads" and len(args) == 5:
        heads(int(args[0]), int(args[1]), int(args[2]), int(args[3]), int(args[4]))
    else:
        print(__doc__, file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
