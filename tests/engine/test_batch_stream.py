"""`govrules batch` reads lines as bytes split at line feeds, each line alone (issue 15, items
11 and 12): a bad line is that line's error and the batch goes on; the file is streamed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govrules.cli import batch as batch_cli
from govrules.cli.main import cli

from .test_batch import _docs


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _line(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")


def _answers(out: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in out.splitlines()]


def test_each_bad_line_is_its_own_error_and_the_others_keep_their_numbers(
    tmp_path: Path,
) -> None:
    good = _docs(4)
    with_separator = dict(good[1])
    with_separator["trace"] = [dict(e) for e in good[1]["trace"]]
    with_separator["trace"][0]["opinion"] = "同意\u2028请办理\u2029"  # inside a JSON string
    lines = [
        b"\xef\xbb\xbf" + _line(good[0]),  # a BOM on line 1, as single files accept
        _line(with_separator),
        b"[" * 100_000,  # nested 100,000 deep
        _line(good[2])[:-2] + b"\xff\xfe" + b"}}",  # invalid UTF-8
        b'{"document": ' * 70 + b"1" + b"}" * 70,  # deeper than inputs may be
        _line(good[3]),
    ]
    path = tmp_path / "traces.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    code, out, err = _run("batch", str(path), "--lang", "en", "--workers", "1")
    answers = _answers(out)
    assert code == 2
    assert [a["line"] for a in answers] == [1, 2, 3, 4, 5, 6]
    assert [("result" in a) for a in answers] == [True, True, False, False, False, True]
    assert answers[3]["error"]["code"] == "input.encoding"
    assert f"{path}:4:" in answers[3]["error"]["message"]
    assert answers[5]["result"]["document"] == good[3]["document"]["id"]
    assert "Traceback" not in err and "internal error" not in err
    for number in (3, 4, 5):
        assert f"{path}:{number}" in err


def test_a_line_longer_than_a_file_may_be_is_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_cli, "MAX_BYTES", 4_000)
    good = _line(_docs(1)[0])
    path = tmp_path / "traces.jsonl"
    path.write_bytes(b"\n".join([b'{"x": "' + b"y" * 10_000 + b'"}', good]) + b"\n")
    code, out, _ = _run("batch", str(path), "--lang", "en", "--workers", "1")
    answers = _answers(out)
    assert code == 2 and [a["line"] for a in answers] == [1, 2]
    assert answers[0]["error"]["code"] == "input.too_large" and "result" in answers[1]


def test_the_file_is_read_a_chunk_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lines are read lazily: when the first answers are written, the reader has not
    gone more than the chunks in flight past them."""
    monkeypatch.setattr(batch_cli, "CHUNK_LINES", 2)
    monkeypatch.setattr(batch_cli, "PARALLEL_MIN", 4)
    read: list[int] = []
    lines = batch_cli._lines

    def counting(path: str, stream: Any) -> Any:
        for item in lines(path, stream):
            read.append(item[0])
            yield item

    seen: list[int] = []
    monkeypatch.setattr(batch_cli, "_lines", counting)
    original = batch_cli._error_line

    def first_written(number: int, *rest: Any) -> str:
        seen.append(len(read))
        return original(number, *rest)

    monkeypatch.setattr(batch_cli, "_error_line", first_written)
    path = tmp_path / "traces.jsonl"
    path.write_bytes(b"{}\n" * 50)
    code, out, _ = _run("batch", str(path), "--workers", "1")
    assert code == 2 and len(out.splitlines()) == 50
    # The 4 lines read to choose a pool or not, two chunks of two in flight, one being read.
    assert seen[0] <= 4 + 2 * 2 + 2


def test_workers_above_the_cores_are_capped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "traces.jsonl"
    path.write_bytes(_line(_docs(1)[0]) + b"\n")
    code, out, err = _run("batch", str(path), "--workers", "256", "--lang", "en")
    assert code == 1 and len(out.splitlines()) == 1
    assert "--workers 256 is more than the" in err


def test_an_unguarded_script_checks_in_process_with_a_warning(tmp_path: Path) -> None:
    """check_many from a plain script (no `if __name__ == "__main__":`): spawned workers
    would run the script again; it answers in this process and says why."""
    script = tmp_path / "plain.py"
    script.write_text(
        "import json\n"
        "from govrules import load_policy\n"
        "from govrules.resources import bundled_policy_dir\n"
        "doc = bundled_policy_dir() / 'examples' / 'doc-outgoing.yaml'\n"
        "results = load_policy().check_many([doc] * 250, workers=2)\n"
        "print(json.dumps([r.compliant for r in results][:3]), len(results))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("250") and done.stdout.count("\n") == 1
    assert 'if __name__ == "__main__"' in done.stderr and "BrokenProcessPool" not in done.stderr


class _Trickle:
    """A byte stream that takes at most `step` bytes a write, and is once full (a
    non-blocking stream's BlockingIOError, after taking some bytes) and once takes none."""

    def __init__(self, step: int) -> None:
        self.step = step
        self.data = bytearray()
        self.calls = 0

    def write(self, data: Any) -> int | None:
        self.calls += 1
        if self.calls == 2:
            self.data += bytes(data[:3])
            raise BlockingIOError(11, "full", 3)
        if self.calls == 3:
            return None
        part = bytes(data[: self.step])
        self.data += part
        return len(part)

    def flush(self) -> None:
        pass


class _Text:
    encoding = "utf-8"
    errors = "strict"

    def __init__(self, raw: _Trickle) -> None:
        self.buffer = raw

    def flush(self) -> None:
        pass


def test_a_chunk_is_written_whole_when_the_stream_takes_part_of_each_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unbuffered standard output under a signal, or a full non-blocking pipe, takes
    part of a write: the batch writes the rest until every byte of its answers is out."""
    raw = _Trickle(step=7)
    monkeypatch.setattr(sys, "stdout", _Text(raw))
    text = "".join(f'{{"line": {n}, "result": "审核通过"}}\n' for n in range(1, 40))
    batch_cli._write_all(text)
    assert raw.data.decode("utf-8") == text
    assert raw.calls > len(text.encode()) // 7
