"""A hostile environment: the command is told to stop (issue 15, items 6 and 12).

Ctrl-C (SIGINT) or SIGTERM stops `govrules batch` at once, with every answer finished in
order written and a message saying up to which line; and stops a long `leave --suggest`
even while it grounds (native code Python cannot interrupt). Each runs the real command
in a subprocess; the only times asserted are generous upper bounds on stopping.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"
STOPPED_WITHIN = 5.0  # seconds: the promise is about one; a loaded CI machine is slower


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "govrules", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _batch_file(tmp_path: Path, count: int) -> Path:
    names = ["doc-incoming.yaml", "doc-bad-order.yaml", "doc-outgoing.yaml", "doc-office.yaml"]
    docs = [YAML(typ="safe").load((EX / n).read_text(encoding="utf-8")) for n in names]
    path = tmp_path / "traces.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            doc = docs[i % len(docs)]
            doc["document"]["id"] = f"西府文〔2021〕{i + 1}号"
            out.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
    return path


def _wait_for_output(process: subprocess.Popen[str]) -> str:
    """The first answer line, once the batch has written one."""
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, process.communicate()[1]
    return line


def _rest(process: subprocess.Popen[str]) -> tuple[str, str]:
    """The rest of standard output (read through the same buffer as the first line), and
    standard error, once the process has ended."""
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    process.wait(timeout=60)
    return out, process.stderr.read()


@pytest.mark.parametrize(
    ("signum", "workers"), [(signal.SIGINT, "1"), (signal.SIGTERM, "2")], ids=["int", "term"]
)
def test_a_signal_stops_a_batch_with_what_is_done_written(
    tmp_path: Path, signum: signal.Signals, workers: str
) -> None:
    path = _batch_file(tmp_path, 20_000)  # minutes of work: it is stopped long before
    process = _start("batch", str(path), "--workers", workers, "--lang", "en")
    first = _wait_for_output(process)
    process.send_signal(signum)
    sent = time.monotonic()
    out, err = _rest(process)
    assert time.monotonic() - sent < STOPPED_WITHIN
    assert process.returncode == 128 + signum
    # Each line whole (split at line feeds only, as JSON Lines are).
    answers = [json.loads(x) for x in (first + out).split("\n") if x]
    numbers = [a["line"] for a in answers]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) < 20_000
    assert f"stopped by {signum.name}" in err
    assert "Traceback" not in err and "leaked" not in err
    assert f"up to line {numbers[-1]} " in err


def _crowded_plan(tmp_path: Path) -> Path:
    """2,000 vacations of the example office's people over four years: a repair with an
    8-day window grounds for tens of seconds (it is sized to fit --timeout 120)."""
    people = ["李副区长", "王副区长", "刘副区长", "陈副区长", "杨副区长"]
    people += ["钱副主任", "孙副主任", "周副主任", "吴副主任", "赵主任"]
    rng = random.Random(1)
    lines = ["absences:"]
    for i in range(2_000):
        start = date(2021, 1, 4) + timedelta(days=rng.randrange(0, 1400))
        end = start + timedelta(days=rng.randrange(0, 2))
        who = people[i % len(people)]
        lines.append(f"  - {{who: {who}, kind: vacation, from: {start}, to: {end}}}")
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ctrl_c_stops_a_repair_while_it_grounds(tmp_path: Path) -> None:
    plan = _crowded_plan(tmp_path)
    process = _start("leave", str(plan), "--suggest", "--window", "8", "--timeout", "120")
    time.sleep(3)  # past reading the plan and checking it: into the repair's grounding
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    process.communicate(timeout=60)
    assert time.monotonic() - sent < STOPPED_WITHIN
    assert process.returncode == -signal.SIGINT


def test_a_signal_while_waiting_for_workers_leaves_nothing_behind(tmp_path: Path) -> None:
    """Output to a file never blocks, so the signal finds the batch waiting for answers
    (inside the stream of chunks), not writing: the pool is collected all the same, and
    the resource tracker finds no semaphore left behind."""
    path = _batch_file(tmp_path, 20_000)
    out_path = tmp_path / "answers.jsonl"
    with out_path.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "govrules", "batch", str(path), "--workers", "2"],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while out_path.stat().st_size == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        _, err = process.communicate(timeout=60)
    assert time.monotonic() - sent < STOPPED_WITHIN
    assert process.returncode == 128 + signal.SIGTERM, err
    numbers = [json.loads(x)["line"] for x in out_path.read_text(encoding="utf-8").splitlines()]
    assert numbers == list(range(1, len(numbers) + 1)) and 0 < len(numbers) < 20_000
    assert "Traceback" not in err and "leaked" not in err, err
