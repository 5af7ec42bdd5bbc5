"""`govrules serve` recycles its worker after N decisions or M MB: a real server process on
loopback, a new worker pid after the limit, every request answered."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from tests.serve.conftest import example


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def _serve(*args: str) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "govrules", "serve", "--port", str(port), *args]
    process = subprocess.Popen(
        [*command, "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, lambda pid: True)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait(base: str, ready: Callable[[int], bool]) -> int:
    """The worker's pid once /healthz answers and `ready(pid)` holds (at most 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            pid: int = httpx.get(f"{base}/healthz", timeout=5).json()["pid"]
            if ready(pid):
                return pid
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        time.sleep(0.1)
    raise AssertionError("the server did not answer in time")


def test_recycled_after_n_decisions() -> None:
    doc = example("doc-outgoing.yaml")
    with _serve("--max-decisions", "3") as base:
        first = _wait(base, lambda pid: True)
        for _ in range(3):
            assert httpx.post(f"{base}/v1/route", json={"document": doc}, timeout=30).is_success
        second = _wait(base, lambda pid: pid != first)
        assert second != first and second != os.getpid()
        health = httpx.get(f"{base}/healthz", timeout=5).json()
        assert health["decisions"] == 0
        assert httpx.post(f"{base}/v1/route", json={"document": doc}, timeout=30).is_success


def test_recycled_past_m_megabytes() -> None:
    doc = example("doc-outgoing.yaml")
    with _serve("--max-memory-mb", "1") as base:  # every worker is past 1 MB
        first = _wait(base, lambda pid: True)
        assert httpx.post(f"{base}/v1/route", json={"document": doc}, timeout=30).is_success
        assert _wait(base, lambda pid: pid != first) != first
