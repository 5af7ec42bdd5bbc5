"""Load test of `govrules serve` on loopback: latency and decisions per second at 1, 8 and
32 concurrent clients, against the same decision made in process.

    python -m bench.serve [--requests 600] [--out bench/RESULTS.md]

Starts its own server (a child process on 127.0.0.1 and a free port, default settings: one
worker, 2 solver threads, a queue of 16), sends a bounded number of requests (each client
one keep-alive connection, a minimal HTTP/1.1 client to keep its own cost low), stops the
server, and writes its section of bench/RESULTS.md (between the markers below; `make
bench` keeps it). Not a test: no figure fails anything.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench import sections

ROOT = Path(__file__).resolve().parent.parent
NAME = "bench.serve"
BEGIN, END = sections.markers(NAME)
CLIENTS = (1, 8, 32)


def _document() -> dict[str, Any]:
    from ruamel.yaml import YAML

    from govrules.resources import bundled_policy_dir

    path = bundled_policy_dir() / "examples" / "doc-outgoing.yaml"
    data: dict[str, Any] = json.loads(
        json.dumps(YAML(typ="safe").load(path.read_text(encoding="utf-8")), default=str)
    )
    return data


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def paired(port: int, body: bytes, count: int) -> tuple[dict[str, float], dict[str, float]]:
    """The same decision in process and over HTTP (one client), alternated call by call so
    that the machine's load (2 cores, shared) falls on both alike. In process as an
    embedder would call it: policy and organisation loaded once, the answer made JSON."""
    import govrules

    policy, org = govrules.load_policy(), govrules.load_org()
    doc = _document()
    for _ in range(20):
        policy.route(doc, org).to_dict()
    local: list[float] = []
    http_ok: list[float] = []
    client = RawClient(port, "POST", "/v1/route", body)
    stop = time.monotonic() + 120
    for _ in range(count):
        if time.monotonic() > stop:
            break
        started = time.perf_counter()
        json.dumps(policy.route(doc, org).to_dict(), ensure_ascii=False)
        local.append(time.perf_counter() - started)
        started = time.perf_counter()
        if client.call() == 200:
            http_ok.append(time.perf_counter() - started)
    client.close()
    return (
        {"p50": _percentile(local, 0.5) * 1000, "p99": _percentile(local, 0.99) * 1000},
        {"p50": _percentile(http_ok, 0.5) * 1000, "p99": _percentile(http_ok, 0.99) * 1000},
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "govrules", "serve", "--port", str(port)]
    process = subprocess.Popen([*command, "--log-level", "warning"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


class RawClient:
    """One keep-alive connection speaking just enough HTTP/1.1 to time the server: the
    request is built once and sent in one write, the response read by its Content-Length.
    http.client parses headers with the email package, which costs more per request than
    the difference the paired figure is after; this client's own cost is a few microseconds."""

    def __init__(self, port: int, method: str, path: str, body: bytes) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.request = (head + "\r\n").encode() + body
        self.buffer = b""

    def call(self) -> int:
        """Send the request, read the whole response; its status."""
        self.sock.sendall(self.request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in lines
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(rest) < length:
            rest += self._recv()
        self.buffer = rest[length:]
        return status

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


def _client(
    port: int, path: str, body: bytes, count: int, out: list[tuple[float, int]], stop: float
) -> None:
    client = RawClient(port, "POST" if body else "GET", path, body)
    for _ in range(count):
        if time.monotonic() > stop:
            break
        started = time.perf_counter()
        status = client.call()
        out.append((time.perf_counter() - started, status))
    client.close()


def load(port: int, clients: int, total: int, path: str, body: bytes) -> dict[str, Any]:
    results: list[list[tuple[float, int]]] = [[] for _ in range(clients)]
    each = max(total // clients, 10)
    stop = time.monotonic() + 120  # bounded in time as well as in count
    threads = [
        threading.Thread(target=_client, args=(port, path, body, each, results[i], stop))
        for i in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    flat = [r for part in results for r in part]
    ok = [t for t, status in flat if status == 200]
    shed = sum(status == 503 for _, status in flat)
    other = sum(status not in (200, 503) for _, status in flat)
    return {
        "clients": clients,
        "requests": len(flat),
        "ok": len(ok),
        "shed": shed,
        "other": other,
        "p50": _percentile(ok, 0.5) * 1000 if ok else float("nan"),
        "p99": _percentile(ok, 0.99) * 1000 if ok else float("nan"),
        "per_second": len(ok) / wall,
    }


def render(
    inproc: dict[str, float],
    over_http: dict[str, float],
    health: dict[str, Any],
    rows: list[dict[str, Any]],
) -> str:
    when, load_avg = sections.stamp()
    lines = [
        BEGIN,
        "## 6. The HTTP service on loopback (`python -m bench.serve`)",
        "",
        f"Measured {when}; {os.cpu_count()} cores shared by server and clients, load average "
        f"at the end {load_avg}. `govrules serve` with its defaults (one worker process, 2 "
        "solver threads, a queue of 16: past 18 decisions in flight a request gets 503 and "
        "Retry-After at once). `POST /v1/route` of doc-outgoing.yaml as JSON; each client one "
        "keep-alive connection; latency of answered requests.",
        "",
        "| clients | requests | answered | shed (503) | p50 ms | p99 ms | decisions/s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['clients']} | {r['requests']} | {r['ok']} | {r['shed']} | {r['p50']:.2f} | "
            f"{r['p99']:.2f} | {r['per_second']:.0f} |"
        )
    gap = over_http["p50"] - inproc["p50"]
    lines += [
        "",
        "The same decision in process (`Policy.route(doc, org)` + `to_dict` + JSON, policy and "
        "organisation loaded once) and over HTTP with one client, alternated call by call "
        f"(400 each): in process p50 **{inproc['p50']:.2f} ms** (p99 {inproc['p99']:.2f}), "
        f"over HTTP p50 **{over_http['p50']:.2f} ms** (p99 {over_http['p99']:.2f}): HTTP adds "
        f"**{gap:.2f} ms** at p50 (target: within 1 ms). A `GET /healthz` round trip (no "
        f"decision) takes p50 {health['p50']:.2f} ms.",
        "",
        (
            "No request failed otherwise than by shedding"
            if all(r["other"] == 0 for r in rows)
            else "Some requests failed otherwise than by shedding (see `other` in the script)"
        )
        + "; at 32 clients the queue bound turns the excess into prompt 503s rather than "
        "growing latency.",
        END,
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600, help="requests per level")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    port = _free_port()
    server = _start(port)
    try:
        body = json.dumps({"document": _document()}, ensure_ascii=False).encode()
        load(port, 1, 50, "/v1/route", body)  # warm-up
        health = load(port, 1, 300, "/healthz", b"")
        print("in process and over HTTP, alternated…", file=sys.stderr)
        inproc, over_http = paired(port, body, 400)
        rows = []
        for clients in CLIENTS:
            print(f"{clients} clients…", file=sys.stderr)
            rows.append(load(port, clients, args.requests, "/v1/route", body))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
    section = render(inproc, over_http, health, rows)
    sections.replace(Path(args.out), NAME, section)
    print(section)


if __name__ == "__main__":
    main()
