"""`govrules batch FILE.jsonl`: many recorded traces checked at once, one JSON line each.

Each input line is a document file as JSON (`document` and `trace`); each output line is
`{"line": N, "result": {...}}` (the answer of `govrules check --format json`) or
`{"line": N, "error": {"code": ..., "message": ...}}` for a line that could not be checked,
in input order. Blank lines are skipped. Exit status: 2 when the file cannot be read or a
line is bad (each bad line is also named on standard error), else 1 when a violation was
found, else 0.
"""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import Any

import click

from govrules.cli.main import cli
from govrules.cli.options import common, interpretation_options, load, parse_interpretations
from govrules.errors import Bilingual, GovrulesError, InputError, Location


def _read_lines(path: str) -> list[str]:
    try:
        if path == "-":
            return sys.stdin.read().splitlines()
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(
            Bilingual(f"无法读取批量文件：{reason}", f"cannot read the batch file: {reason}"),
            Location(path),
            code="unreadable",
        ) from None


def _parse(path: str, number: int, line: str) -> Any:
    from govrules.inputs import read_source

    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(
            Bilingual(f"不是有效的 JSON：{err.msg}", f"not valid JSON: {err.msg}"),
            Location(path, number, err.colno),
            code="input.syntax",
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            Bilingual("每行应为一个 JSON 对象", "each line should be a JSON object"),
            Location(path, number, 1),
            code="input.not_mapping",
        )
    return read_source(data, f"{path}:{number}")


def _parse_item(path: str, item: tuple[int, str]) -> Any:
    return _parse(path, item[0], item[1])


def _result_json(result: Any, lang: str) -> tuple[bool, str]:
    """Whether a result is compliant, and its JSON on one line (keys sorted)."""
    return result.compliant, json.dumps(result.to_dict(lang), ensure_ascii=False, sort_keys=True)


def _error_line(number: int, err: GovrulesError, lang: str) -> str:
    body = {"code": err.code, "message": err.render(lang)}
    return json.dumps({"line": number, "error": body}, ensure_ascii=False, sort_keys=True)


@cli.command()
@click.argument("file")
@common
@interpretation_options
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="并行进程数（默认：每核一个）/ worker processes (default: one per core)",
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
    del fmt  # always JSON Lines
    lines = _read_lines(file)
    loaded = load(policy)
    settings = parse_interpretations(interpretations)
    items = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    numbers = [n for n, _ in items]
    out: dict[int, str] = {}
    bad = False
    # Each line is read, checked and rendered where it is checked (in the worker processes).
    results = loaded._map_checks(
        items,
        org,
        settings,
        timeout,
        lang,
        workers,
        partial(_result_json, lang=lang),
        partial(_parse_item, file),
    )
    violation = False
    for number, item in zip(numbers, results, strict=True):
        if isinstance(item, GovrulesError):
            out[number] = _error_line(number, item, lang)
            click.echo(item.render(lang), err=True)
            bad = True
            continue
        compliant, body = item
        violation |= not compliant
        out[number] = f'{{"line": {number}, "result": {body}}}'
    for number in sorted(out):
        click.echo(out[number])
    sys.exit(2 if bad else 1 if violation else 0)
