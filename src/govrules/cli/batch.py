"""`govrules batch FILE.jsonl`: many recorded traces checked at once, one JSON line each.

Each input line is a document file as JSON (`document` and `trace`); each output line is
`{"line": N, "result": {...}}` (the answer of `govrules check --format json`) or
`{"line": N, "error": {"code": ..., "message": ...}}` for a line that could not be checked,
in input order. Lines end at a line feed only (a U+2028 inside a JSON string is text), and
each is read, decoded and parsed alone: a bad line (invalid UTF-8, nested too deep, too
long) is that line's error and the batch goes on. Blank lines are skipped.

The file is streamed: lines are read a chunk at a time and answers written (and flushed)
as soon as every earlier line's are, so memory does not grow with the file. SIGINT or
SIGTERM stops the work at once: every answer finished in order is written, and standard
error says up to which line. Exit status: 2 when the file cannot be read or a line is bad
(each bad line is also named on standard error), else 1 when a violation was found, else
0; 130 (SIGINT) or 143 (SIGTERM) when stopped.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import IO, Any

import click

from govrules.cli.main import cli
from govrules.cli.options import common, interpretation_options, load, parse_interpretations
from govrules.errors import Bilingual, GovrulesError, InputError, Location
from govrules.inputs.source import MAX_BYTES

# A chunk is handed to a worker whole: this many lines, or fewer when they are long.
CHUNK_LINES = 64
CHUNK_BYTES = 4_000_000
# Below this many lines a process pool costs more than it saves: one thread checks them.
PARALLEL_MIN = 200


def _open(path: str) -> IO[bytes]:
    try:
        if path == "-":
            return sys.stdin.buffer
        return open(path, "rb")  # closed by the caller
    except OSError as err:
        reason = err.strerror or str(err)
        raise InputError(
            Bilingual(f"无法读取批量文件：{reason}", f"cannot read the batch file: {reason}"),
            Location(path),
            code="unreadable",
        ) from None


def _lines(path: str, stream: IO[bytes]) -> Iterator[tuple[int, str | GovrulesError]]:
    """(number, text) of each non-blank line, split at line feeds only; a line that cannot
    be text (invalid UTF-8, longer than a file may be) is its error instead."""
    number = 0
    while True:
        raw = stream.readline(MAX_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(MAX_BYTES)) and not rest.endswith(b"\n"):
                pass  # the rest of the line, skipped in pieces
            yield (
                number,
                InputError(
                    Bilingual(
                        f"此行过长（超过 {MAX_BYTES} 字节）", f"line longer than {MAX_BYTES} bytes"
                    ),
                    Location(path, number),
                    "input.too_large",
                ),
            )
            continue
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as err:
            yield (
                number,
                InputError(
                    Bilingual(
                        f"此行不是 UTF-8 编码（第 {err.start + 1} 字节为 0x{raw[err.start]:02x}）",
                        f"the line is not UTF-8 (byte 0x{raw[err.start]:02x} at {err.start + 1})",
                    ),
                    Location(path, number, err.start + 1),
                    "input.encoding",
                ),
            )
            continue
        if text.strip():
            yield number, text


def _chunks(items: Iterator[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item[1]) if isinstance(item[1], str) else 0
        if len(chunk) >= CHUNK_LINES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _parse(path: str, number: int, line: str | GovrulesError) -> Any:
    from govrules.inputs import read_source
    from govrules.inputs.syntax import SyntaxProblem, parse_json

    if isinstance(line, GovrulesError):
        raise line
    try:
        data = parse_json(line)
    except SyntaxProblem as problem:
        raise InputError(
            problem.message, Location(path, number, problem.column), code="input.syntax"
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            Bilingual("每行应为一个 JSON 对象", "each line should be a JSON object"),
            Location(path, number, 1),
            code="input.not_mapping",
        )
    return read_source(data, f"{path}:{number}")


def _parse_item(path: str, item: tuple[int, str | GovrulesError]) -> Any:
    return _parse(path, item[0], item[1])


def _result_json(result: Any, lang: str) -> tuple[bool, str]:
    """Whether a result is compliant, and its JSON on one line (keys sorted)."""
    return result.compliant, json.dumps(result.to_dict(lang), ensure_ascii=False, sort_keys=True)


def _error_line(number: int, err: GovrulesError, lang: str) -> str:
    body = {"code": err.code, "message": err.render(lang)}
    return json.dumps({"line": number, "error": body}, ensure_ascii=False, sort_keys=True)


def _write_all(text: str) -> None:
    """All of `text` on standard output, flushed. A chunk's answers are one write, and an
    unbuffered standard output (`python -u`, PYTHONUNBUFFERED) writes what a pipe takes
    when a signal comes and drops the rest: so the bytes are written until all are."""
    stream = sys.stdout
    if stream is None:  # no standard output at all (pythonw): nothing to write to
        return
    raw = getattr(stream, "buffer", None)
    if raw is None:  # a text-only stream (an embedding's): it writes the whole text
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    data = memoryview(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    while data:
        try:
            written = raw.write(data)
        except BlockingIOError as full:  # a buffered non-blocking stream, full for now
            written = full.characters_written
        if not written:  # a raw non-blocking stream, full for now
            time.sleep(0.001)
            continue
        data = data[written:]
    while True:
        try:
            raw.flush()
            return
        except BlockingIOError:
            time.sleep(0.001)


class _Stopped(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_SIGNALLED: list[int] = []


def _stop(signum: int, _frame: Any) -> None:
    """Only noted: raising here could cut a line being written in two."""
    _SIGNALLED.append(signum)


def _poll() -> None:
    if _SIGNALLED:
        raise _Stopped(_SIGNALLED[0])


def _worker_count(asked: int | None, lang: str) -> int:
    from govrules.checkpool import cores

    have = cores()
    if asked is None:
        return have
    if asked > have:
        click.echo(
            Bilingual(
                f"govrules: 警告：--workers {asked} 超过可用的 {have} 个核，按 {have} 个进程运行",
                f"govrules: warning: --workers {asked} is more than the {have} cores "
                f"available; running {have}",
            )(lang),
            err=True,
        )
        return have
    return asked


@cli.command()
@click.argument("file")
@common
@interpretation_options
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="并行进程数（默认且至多：每核一个）/ worker processes (default and most: one per core)",
)
def batch(
    file: str,
    policy: Path | None,
    org: str | None,
    fmt: str,
    lang: str,
    interpretations: tuple[str, ...],
    timeout: float,
    workers: int | None,
) -> None:
    """批量核查处理记录（JSON Lines）/ check many recorded traces, one JSON document a line."""
    from govrules.checkpool import CheckStream, spawn_safe, unguarded_warning

    del fmt  # always JSON Lines
    stream = _open(file)
    loaded = load(policy)
    settings = loaded.interpretations(parse_interpretations(interpretations))
    org_model = loaded._org(org)
    count = _worker_count(workers, lang)
    items = _lines(file, stream)
    # A pool for a file of more than a few lines only: read that many first to know.
    first: list[tuple[int, str | GovrulesError]] = []
    for item in items:
        first.append(item)
        if len(first) >= PARALLEL_MIN:
            break
    if count > 1 and len(first) >= PARALLEL_MIN and not spawn_safe():
        unguarded_warning()
        count = 1
    checker = CheckStream(
        loaded,
        org_model,
        settings,
        timeout,
        lang,
        partial(_result_json, lang=lang),
        partial(_parse_item, file),
        count if len(first) >= PARALLEL_MIN else 1,
    )
    last = 0  # the last line whose answer is written: every earlier one is too
    bad = violation = False
    _SIGNALLED.clear()
    previous = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM)}
    signum = 0  # the signal that stopped the batch, if one did
    finished = False
    try:
        try:
            for chunk, answers in checker.run(_chunks(itertools.chain(first, items)), _poll):
                out: list[str] = []  # a chunk's answers written at once, not a write per line
                for (number, _), item in zip(chunk, answers, strict=True):
                    if isinstance(item, GovrulesError):
                        click.echo(item.render(lang), err=True)
                        out.append(_error_line(number, item, lang))
                        bad = True
                    else:
                        compliant, body = item
                        violation |= not compliant
                        out.append(f'{{"line": {number}, "result": {body}}}')
                _write_all("\n".join(out) + "\n")
                last = chunk[-1][0]
                _poll()
            checker.close()
            finished = True
        except _Stopped as stopped:
            signum = stopped.signum
        # Stopped outside the handler: its traceback holds the stream's frame, and with it
        # the pool, which stop() must be able to collect before os._exit.
        if signum:
            checker.stop()
            finished = True
            sys.stdout.flush()
            name = signal.Signals(signum).name
            click.echo(
                Bilingual(
                    f"govrules: 收到 {name}，已停止：第 {last} 行及之前各行的结果已全部输出，"
                    "其后各行未核查",
                    f"govrules: stopped by {name}: the answers of every line up to line {last} "
                    "are written; the lines after it were not checked",
                )(lang),
                err=True,
            )
            sys.stderr.flush()
            os._exit(128 + signum)  # not waiting for the check in progress on the thread
    finally:
        if not finished:  # an error or a gone reader: no more chunks are started
            checker.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
        if stream is not sys.stdin.buffer:
            stream.close()
    sys.exit(2 if bad else 1 if violation else 0)
