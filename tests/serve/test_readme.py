"""Every curl of the README's HTTP section works as written (against a live server on a
free loopback port instead of 8181)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from tests.serve.conftest import live_server

README = Path(__file__).resolve().parents[2] / "README.md"


def _curls() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The HTTP service") :]
    section = section[: section.index("\n## ")]
    return [line for line in section.splitlines() if line.startswith("curl ")]


def test_every_curl_works_as_written() -> None:
    # The README's commands must work as written: without curl this fails, never skips.
    assert shutil.which("curl"), "no curl: apt-get install curl (make test does so as root)"
    curls = _curls()
    assert {re.search(r"8181(/\S*)", c).group(1) for c in curls} >= {  # type: ignore[union-attr]
        "/v1/route",
        "/v1/check",
        "/v1/leave",
        "/v1/deadline",
        "/v1/explain",
        "/v1/why-not",
        "/v1/next",
        "/v1/articles/39",
        "/healthz",
        "/metrics",
    }
    with live_server() as base:
        for line in curls:
            command = line.replace("127.0.0.1:8181", base.removeprefix("http://"))
            command = command.replace("curl -s ", "curl -sS --fail --max-time 60 ", 1)
            done = subprocess.run(
                ["bash", "-c", f"H='Content-Type: application/json'\n{command}"],
                capture_output=True,
                text=True,
                timeout=90,
            )
            assert done.returncode == 0, (line, done.stderr, done.stdout[:500])
            if "/metrics" in line:
                assert "govrules_decisions_total" in done.stdout
            else:
                json.loads(done.stdout)
