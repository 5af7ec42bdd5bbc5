"""Turning YAML and JSON text into data, and their syntax errors into one clear message.

The YAML reader is ruamel's round-trip loader because it records the line and column of
every key and item. It leaves timestamps as text so that YAML and JSON inputs reach the
models identically and one date parser decides (see `types`).
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any

from govrules import clock
from govrules.errors import Bilingual, GovrulesError

if TYPE_CHECKING:
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor

__all__ = [
    "MAX_DEPTH",
    "MAX_YAML_VALUES",
    "SyntaxProblem",
    "TooManyValues",
    "json_position",
    "parse_json",
    "parse_yaml",
]

# Deeper than any input file needs; far below Python's recursion limit (ruamel composes,
# and constructs, recursively: ~250 levels was a RecursionError).
MAX_DEPTH = 64
# The round-trip reader keeps ~1 KB a value: a YAML file is held to this many (JSON, read by
# the C decoder at a tenth of the memory, to the caller's budget alone).
MAX_YAML_VALUES = 500_000


class SyntaxProblem(Exception):
    """A parse failure, already worded for users, with its 1-based position if known."""

    def __init__(self, message: Bilingual, line: int | None = None, column: int | None = None):
        super().__init__(message.en)
        self.message = message
        self.line = line
        self.column = column


class TooManyValues(Exception):
    """More keys, items and values than the caller's budget: stopped while composing."""

    def __init__(self, limit: int, line: int, column: int):
        super().__init__(limit)
        self.limit, self.line, self.column = limit, line, column


@functools.cache
def _reader_classes() -> tuple[type[RoundTripConstructor], type[Composer]]:
    """ruamel's constructor and composer as govrules reads with them, made on first use:
    importing ruamel costs a start that libyaml has already read the input for."""
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.constructor import RoundTripConstructor

    class _Constructor(RoundTripConstructor):
        pass

    class _Composer(Composer):
        """ruamel's composer, counting nodes against a budget and watching the question's
        clock: the round-trip reader takes about 1 KB and 0.1 ms a value, so a big file is
        cut short where it crosses either bound, not read whole first."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            loader: Any = self.loader
            loader.govrules_nodes += 1
            if loader.govrules_nodes > loader.govrules_budget:
                mark = self.parser.peek_event().start_mark
                raise TooManyValues(loader.govrules_budget, mark.line + 1, mark.column + 1)
            if loader.govrules_nodes % 1024 == 0:
                clock.check(Bilingual("读取输入", "reading the inputs"))
            return super().compose_node(parent, index)

    _Constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
    )
    return _Constructor, _Composer


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


def _too_deep() -> Bilingual:
    return Bilingual(
        zh=f"YAML 嵌套过深（最多 {MAX_DEPTH} 层）", en=f"YAML nested deeper than {MAX_DEPTH} levels"
    )


def parse_yaml(text: str, max_values: int = 2_000_000) -> Any:
    """The round-trip tree of `text`: mappings and sequences carry `.lc` positions. More
    than `max_values` nodes is `TooManyValues`; nesting deeper than `MAX_DEPTH` a
    positioned `SyntaxProblem`; the question's clock (`clock.check`) is watched."""
    from ruamel.yaml import YAML
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.Constructor, yaml.Composer = _reader_classes()
    yaml.max_depth = MAX_DEPTH + 1
    yaml.govrules_nodes = 0  # type: ignore[attr-defined]
    yaml.govrules_budget = min(max_values, MAX_YAML_VALUES)  # type: ignore[attr-defined]
    try:
        return yaml.load(text)
    except DuplicateKeyError as exc:
        raise _duplicate(exc, text) from None
    except MaxDepthExceededError as exc:
        mark = exc.problem_mark
        raise SyntaxProblem(
            _too_deep(), mark.line + 1 if mark else None, mark.column + 1 if mark else None
        ) from None
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
    except RecursionError:  # not expected below MAX_DEPTH; one clear message if it is
        raise SyntaxProblem(_too_deep()) from None
    except (YAMLError, ValueError, TypeError) as exc:
        # Tags ruamel cannot build (!!python/…, !!binary on bad data) land here.
        raise SyntaxProblem(
            Bilingual(zh=f"无法读取的 YAML 内容：{exc}", en=f"unreadable YAML content: {exc}")
        ) from None
    except (TooManyValues, GovrulesError, MemoryError):
        raise
    except Exception as exc:
        # ruamel's own failures, not YAML errors: its comment handling raises
        # NotImplementedError ("overlap in comment") and AssertionError on some comments
        # and block scalars. One clear message, never an internal error.
        raise SyntaxProblem(
            Bilingual(
                zh=f"YAML 读取器无法读取此内容（{type(exc).__name__}）；请检查注释和多行文本的写法",
                en=f"the YAML reader cannot read this content ({type(exc).__name__}); check "
                "the comments and multi-line texts",
            )
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


def parse_json(text: str) -> Any:
    """The data of strict JSON `text`, parsed once: positions are found in the text only
    when a message needs one (`json_position`)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        zh = next((v for k, v in _JSON_PROBLEMS.items() if exc.msg.startswith(k)), exc.msg)
        message = Bilingual(zh=f"JSON 语法错误：{zh}", en=f"JSON syntax error: {exc.msg}")
        raise SyntaxProblem(message, exc.lineno, exc.colno) from None
    except _DuplicateJsonKey as exc:
        try:
            parse_yaml(text)  # JSON is YAML: ruamel finds where the duplicate is
        except SyntaxProblem as located:
            raise located from None
        except (TooManyValues, RecursionError):
            pass
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


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def json_position(text: str, path: Any) -> tuple[int, int] | None:
    """The 0-based (line, column) of the deepest part of `path` in JSON `text`, as the
    YAML tree would give it: a scalar value itself, a mapping or sequence at its key (or
    item). Values passed over are skipped by the C decoder, so this costs about one parse
    of the text before the place, and nothing when no message asks."""
    at = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    found = at if at < len(text) else None
    try:
        for part in path:
            if at >= len(text) or text[at] not in "{[":
                break
            value_at = _json_child(text, at, part)
            if value_at is None:
                break
            key_at, at = value_at
            found = at if text[at] not in "{[" else key_at
    except (ValueError, IndexError, RecursionError):
        pass
    if found is None:
        return None
    line = text.count("\n", 0, found)
    return line, found - (text.rfind("\n", 0, found) + 1)


def _json_child(text: str, at: int, part: Any) -> tuple[int, int] | None:
    """(where the key or item starts, where its value starts) of `part` in the object or
    array at `at`, or None when it is not there."""
    opener = text[at]
    at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    index = 0
    while text[at] not in "}]":
        key_at = at
        if opener == "{":
            key, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
            at = _SPACE.match(text, at).end() + 1  # type: ignore[union-attr]  # the colon
            at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
            hit = key == str(part)
        else:
            hit = isinstance(part, int) and index == part
        if hit:
            return key_at, at
        _, at = _DECODER.raw_decode(text, at)
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text[at] == ",":
            at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        index += 1
    return None
