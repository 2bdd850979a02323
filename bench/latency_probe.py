#!/usr/bin/python3
"""Measures how quickly the host answers while something else loads it.

Every INTERVAL seconds, for SECONDS, it sends two probes and times each one:
  healthz   GET /healthz on one keep-alive connection. The host answers it on its
            worker pool, like every routed request, so this is what a load
            balancer's health check sees (queueing behind database work included).
  listener  a new TCP connection sending a request line that does not start with a
            method; the network (Pistache) thread answers it with 400 itself, never
            touching the worker pool. Its latency shows whether the listener stalls.
Open loop at a fixed rate, so a stall shows as long samples, not as fewer requests.
Prints one JSON object: count, p50, p99 and max in milliseconds per probe.

usage: latency_probe.py PORT SECONDS [INTERVAL]
"""
import http.client
import json
import socket
import sys
import time


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def summary(samples, failures):
    s = sorted(samples)
    return {"count": len(s), "failures": failures,
            "p50_ms": round(percentile(s, 50), 3) if s else None,
            "p99_ms": round(percentile(s, 99), 3) if s else None,
            "max_ms": round(s[-1], 3) if s else None}


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.02
    health, listener = [], []
    health_failures = listener_failures = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    end = time.monotonic() + seconds
    next_at = time.monotonic()
    while time.monotonic() < end:
        t0 = time.perf_counter()
        try:
            conn.request("GET", "/healthz", headers={"Connection": "keep-alive"})
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200:
                health.append((time.perf_counter() - t0) * 1000)
            else:
                health_failures += 1
        except (OSError, http.client.HTTPException):
            health_failures += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        t0 = time.perf_counter()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(b"probe / HTTP/1.1\r\nHost: probe\r\n\r\n")
                first = s.recv(64)
            if first.startswith(b"HTTP/1.1 400"):
                listener.append((time.perf_counter() - t0) * 1000)
            else:
                listener_failures += 1
        except OSError:
            listener_failures += 1
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            next_at = time.monotonic()
    print(json.dumps({"healthz": summary(health, health_failures),
                      "listener": summary(listener, listener_failures)}))


if __name__ == "__main__":
    main()
