"""Turning YAML and JSON text into data, and their syntax errors into one clear message.

The YAML reader is ruamel's round-trip loader because it records the line and column of
every key and item. It leaves timestamps as text so that YAML and JSON inputs reach the
models identically and one date parser decides (see `types`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from govrules.errors import Bilingual

__all__ = ["SyntaxProblem", "parse_json", "parse_yaml"]


class SyntaxProblem(Exception):
    """A parse failure, already worded for users, with its 1-based position if known."""

    def __init__(self, message: Bilingual, line: int | None = None, column: int | None = None):
        super().__init__(message.en)
        self.message = message
        self.line = line
        self.column = column


class _Constructor(RoundTripConstructor):
    pass


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)

# ruamel's problem texts, most common first; the English original is kept in the message.
_YAML_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    ("mapping values are not allowed", "此处不能出现“键: 值”", "check the indentation"),
    ("cannot start any token", "含有不能开始一个记号的字符（缩进请用空格，不能用 Tab）", ""),
    ("expected <block end>", "缩进不一致", "inconsistent indentation"),
    ("could not find expected ':'", "缺少冒号 ':'", ""),
    ("unexpected end of stream", "文件意外结束（引号或括号没有闭合？）", ""),
    ("expected ',' or", "缺少逗号或右括号", ""),
    ("found undefined alias", "使用了未定义的别名（*name）", ""),
    ("expected a single document", "文件只能包含一个 YAML 文档（多了一个 ---）", ""),
    ("unknown escape character", "字符串中有未知的转义字符", ""),
    ("found unhashable key", "键不能是列表或映射", ""),
)

_JSON_PROBLEMS: dict[str, str] = {
    "Expecting ',' delimiter": "缺少逗号 ','",
    "Expecting ':' delimiter": "缺少冒号 ':'",
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "键名须用双引号括起",
    "Extra data": "JSON 值之后还有多余内容",
    "Unterminated string starting at": "字符串没有结束引号",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "字符串中有无效的转义",
}


def _yaml_message(problem: str, context: str | None, started: int | None) -> Bilingual:
    zh = f"YAML 语法错误：{problem}"
    for needle, zh_text, en_hint in _YAML_PROBLEMS:
        if needle in problem:
            zh = f"YAML 语法错误：{zh_text}（{problem}）"
            if en_hint:
                problem = f"{problem} ({en_hint})"
            break
    en = f"YAML syntax error: {problem}"
    if context:
        en += f", {context}"
    if started is not None:
        zh += f"；相关结构始于第 {started} 行"
        en += f" (started on line {started})"
    return Bilingual(zh=zh, en=en)


def _first_occurrence(text: str, key: str, start: int, stop: int) -> int | None:
    """The line (1-based) where a duplicated key first appears in block style, if found."""
    pattern = re.compile(rf"^\s*(?:-\s+)?[\"']?{re.escape(key)}[\"']?\s*:")
    for number, line in enumerate(text.splitlines()[start:stop], start=start + 1):
        if pattern.match(line):
            return number
    return None


def _duplicate(exc: DuplicateKeyError, text: str) -> SyntaxProblem:
    match = re.search(r'found duplicate key "(.*?)" with value', str(exc.problem))
    key = match.group(1) if match else "?"
    mark = exc.problem_mark
    line = mark.line + 1 if mark is not None else None
    start = exc.context_mark.line if exc.context_mark is not None else 0
    first = _first_occurrence(text, key, start, (line or 1) - 1)
    where_zh = f"，第一次出现在第 {first} 行" if first else ""
    where_en = f", first given on line {first}" if first else ""
    message = Bilingual(
        zh=f"重复的键 '{key}'{where_zh}；同一映射中每个键只能出现一次",
        en=f"duplicate key '{key}'{where_en}; a key may appear only once in a mapping",
    )
    return SyntaxProblem(message, line, mark.column + 1 if mark is not None else None)


def parse_yaml(text: str) -> Any:
    """The round-trip tree of `text`: mappings and sequences carry `.lc` positions."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    try:
        return yaml.load(text)
    except DuplicateKeyError as exc:
        raise _duplicate(exc, text) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        start = exc.context_mark if exc.context_mark is not mark else None
        raise SyntaxProblem(
            _yaml_message(
                str(exc.problem or "invalid YAML"),
                exc.context,
                start.line + 1 if start is not None and start.line != mark.line else None,
            ),
            mark.line + 1 if mark is not None else None,
            mark.column + 1 if mark is not None else None,
        ) from None
    except (YAMLError, ValueError, TypeError) as exc:
        # Tags ruamel cannot build (!!python/…, !!binary on bad data) land here.
        raise SyntaxProblem(
            Bilingual(zh=f"无法读取的 YAML 内容：{exc}", en=f"unreadable YAML content: {exc}")
        ) from None


class _DuplicateJsonKey(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key.encode("utf-8", "backslashreplace").decode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateJsonKey(key)
        result[key] = value
    return result


def parse_json(text: str) -> tuple[Any, Any]:
    """The data of strict JSON `text`, and a YAML tree of it for positions (or None)."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        zh = next((v for k, v in _JSON_PROBLEMS.items() if exc.msg.startswith(k)), exc.msg)
        message = Bilingual(zh=f"JSON 语法错误：{zh}", en=f"JSON syntax error: {exc.msg}")
        raise SyntaxProblem(message, exc.lineno, exc.colno) from None
    except _DuplicateJsonKey as exc:
        try:
            parse_yaml(text)  # JSON is YAML: ruamel finds where the duplicate is
        except SyntaxProblem as located:
            raise located from None
        raise SyntaxProblem(
            Bilingual(
                zh=f"重复的键 '{exc.key}'；同一对象中每个键只能出现一次",
                en=f"duplicate key '{exc.key}'; a key may appear only once in an object",
            )
        ) from None
    except RecursionError:
        raise SyntaxProblem(
            Bilingual(zh="JSON 嵌套层次过深", en="JSON nested too deeply")
        ) from None
    try:
        tree = parse_yaml(text)
    except (SyntaxProblem, RecursionError):
        tree = None  # valid JSON that ruamel cannot read: no positions, same data
    return data, tree
