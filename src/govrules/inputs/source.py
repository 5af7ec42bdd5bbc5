"""An input file read once, keeping where every key and item came from.

Errors found later (by the models or the cross-checks) only know a path of keys and
indexes; `Source.locate` turns that path back into a line and column of the file, so that
every message can name the exact place.
"""

from __future__ import annotations

import sys
import unicodedata
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govrules.errors import Bilingual, InputError, Location
from govrules.inputs.libyaml_reader import Declined, read_plain
from govrules.inputs.plain import MAX_VALUES, plain
from govrules.inputs.syntax import (
    MAX_YAML_VALUES,
    SyntaxProblem,
    TooManyValues,
    json_position,
    parse_json,
    parse_yaml,
)

__all__ = [
    "MAX_BYTES",
    "MAX_EXCERPT",
    "MAX_LINES",
    "STDIN",
    "Source",
    "read_source",
    "source_from_text",
]

STDIN = "-"
# Checked before parsing, in this order: bytes, lines; then values (keys, items and
# scalars) while parsing, against the caller's budget (see `loaders`).
MAX_BYTES = 10_000_000
MAX_LINES = 500_000
# A message quotes at most this many characters of a line (a one-line 3 MB document).
MAX_EXCERPT = 120

LocPath = Sequence[str | int]


@dataclass(frozen=True)
class Source:
    """Parsed data plus what is needed to point into the text it came from."""

    name: str
    data: dict[str, Any]
    tree: Any = None  # ruamel round-trip tree, for positions; None for Python input
    lines: tuple[str, ...] = field(default=(), repr=False)
    json_text: str | None = field(default=None, repr=False, compare=False)  # positions
    # YAML read by libyaml: its round-trip tree is parsed only when a message needs a place.
    yaml_text: str | None = field(default=None, repr=False, compare=False)

    def _tree(self) -> Any:
        if self.tree is None and self.yaml_text is not None:
            try:
                tree = parse_yaml(self.yaml_text)
            except (SyntaxProblem, TooManyValues, RecursionError):
                return None  # not expected: libyaml_reader declines what ruamel refuses
            object.__setattr__(self, "tree", tree)  # the same tree, whichever thread wins
        return self.tree

    def locate(self, loc: LocPath) -> tuple[int | None, int | None]:
        """The 1-based (line, column) of the deepest part of `loc` present in the file.

        A scalar value is pointed at itself, a mapping or sequence at its key, so that a
        missing key is reported on the line of the mapping that lacks it.
        """
        if self.tree is None and self.json_text is not None:
            found = json_position(self.json_text, loc)
            return (found[0] + 1, found[1] + 1) if found is not None else (None, None)
        node = self._tree()
        position = _own_position(node)
        for part in loc:
            step = _step(node, part)
            if step is None and _marker(part):
                continue  # a union's tag in pydantic's path, not a key of the file
            if step is None:
                break
            node, found = step
            position = found or position
        if position is None:
            return None, None
        return position[0] + 1, position[1] + 1

    def field_path(self, loc: LocPath) -> str:
        """`people[2].roles[0]`: keys dotted, sequence indexes (0-based) in brackets."""
        text = ""
        node: Any = self.data
        for part in loc:
            if isinstance(part, int) and not isinstance(node, Mapping):
                text += f"[{part}]"
            elif _marker(part):
                continue  # pydantic's markers ('[key]', union tags), not a user's key
            else:
                text += f".{part}" if text else str(part)
            node = _child(node, part)
        return text

    def location(self, loc: LocPath) -> Location:
        line, column = self.locate(loc)
        return Location(self.name, line, column, self.field_path(loc))

    def excerpt(self, line: int | None, column: int | None) -> str:
        """The source line and a caret under `column`, aligned for wide CJK characters."""
        if line is None or not 0 < line <= len(self.lines):
            return ""
        text = self.lines[line - 1].rstrip("\r\n").replace("\t", " ")
        gutter = f"{line:>4} | "
        caret = ""
        if len(text) > MAX_EXCERPT:  # a window of the line around the column
            start = max(0, min((column or 1) - 1 - MAX_EXCERPT // 2, len(text) - MAX_EXCERPT))
            head, tail = ("…" if start else ""), ("…" if start + MAX_EXCERPT < len(text) else "")
            text = head + text[start : start + MAX_EXCERPT] + tail
            if column is not None:
                column = column - start + len(head)
        if column is not None:
            width = sum(
                2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text[: column - 1]
            )
            caret = "\n" + " " * (len(gutter) - 2) + "| " + " " * width + "^"
        return f"{gutter}{text}{caret}"

    def error(self, loc: LocPath, message: Bilingual, code: str = "input") -> InputError:
        """An `InputError` pointing at `loc`, with an excerpt of the line when there is one."""
        where = self.location(loc)
        return InputError(message, where, code, self.excerpt(where.line, where.column))


def _marker(part: str | int) -> bool:
    """pydantic's markers in an error's path ('[key]', union tags), not a user's key."""
    return isinstance(part, str) and part.startswith(("[", "function-", "literal["))


def _own_position(node: Any) -> tuple[int, int] | None:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return None
    return int(lc.line), int(lc.col)


def _matching_key(node: Mapping[Any, Any], part: str | int) -> Any:
    if part in node:
        return part
    return next((key for key in node if str(key) == str(part)), None)


def _step(node: Any, part: str | int) -> tuple[Any, tuple[int, int] | None] | None:
    """The child of `node` at `part` and its position, or None when it is not there."""
    lc = getattr(node, "lc", None)
    if isinstance(node, Mapping):
        key = _matching_key(node, part)
        if key is None:
            return None
        child = node[key]
        spot = lc.data.get(key) if lc is not None else None
        if spot is None:  # e.g. a key merged in with '<<'
            return child, None
        scalar = not isinstance(child, Mapping | list)
        return child, (spot[2], spot[3]) if scalar else (spot[0], spot[1])
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        spot = lc.data.get(part) if lc is not None else None
        return node[part], (spot[0], spot[1]) if spot is not None else None
    return None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, Mapping):
        key = _matching_key(node, part)
        return node[key] if key is not None else None
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _read_bytes(path: str | Path) -> tuple[str, bytes]:
    if str(path) == STDIN:
        return "<stdin>", sys.stdin.buffer.read(MAX_BYTES + 1)
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        reason = Bilingual(zh="文件不存在", en="no such file")
    except IsADirectoryError:
        reason = Bilingual(zh="这是一个目录，不是文件", en="is a directory, not a file")
    except PermissionError:
        reason = Bilingual(zh="没有读取权限", en="permission denied")
    except OSError as exc:
        reason = Bilingual(zh=f"无法读取（{exc.strerror}）", en=f"cannot read ({exc.strerror})")
    else:
        return name, raw
    raise InputError(reason, Location(name), "input.unreadable")


def _decode(name: str, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise InputError(
            Bilingual(
                zh=f"文件过大（超过 {MAX_BYTES} 字节）", en=f"file larger than {MAX_BYTES} bytes"
            ),
            Location(name),
            "input.too_large",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            Bilingual(
                zh=f"文件不是 UTF-8 编码（第 {exc.start} 字节处为 0x{raw[exc.start]:02x}）；"
                "请另存为 UTF-8",
                en=f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                "save it as UTF-8",
            ),
            Location(name, line, column),
            "input.encoding",
        ) from None


def _too_large(name: str, zh: str, en: str, line: int | None = None) -> InputError:
    return InputError(Bilingual(zh=zh, en=en), Location(name, line), "input.too_large")


def _parse(
    name: str, text: str, lines: tuple[str, ...], as_json: bool, max_values: int
) -> tuple[Any, Any]:
    try:
        if as_json:
            return parse_json(text), None
        tree = parse_yaml(text, max_values)
        return tree, tree
    except TooManyValues as many:
        raise _too_large(
            name,
            f"输入过大：超过 {many.limit} 个值（键、列表项和值）",
            f"input too large: more than {many.limit} values (keys, items and values)",
            many.line,
        ) from None
    except SyntaxProblem as problem:
        where = Location(name, problem.line, problem.column)
        excerpt = Source(name, {}, lines=lines).excerpt(problem.line, problem.column)
        raise InputError(problem.message, where, "input.syntax", excerpt) from None


def read_source(
    value: Source | str | Path | Mapping[str, Any],
    label: str = "<input>",
    max_values: int = MAX_VALUES,
) -> Source:
    """Read a file (YAML, or JSON by a .json extension; `-` is standard input) or take a
    dict from Python, and check that its top level is a non-empty mapping of at most
    `max_values` values. A source already read (to look at it before choosing what to
    ask) is taken as it is."""
    if isinstance(value, Source):
        return value
    if isinstance(value, Mapping):
        return Source(label, plain(value, label, [max_values]))
    if not isinstance(value, str | Path):
        raise InputError(
            Bilingual(
                zh=f"应为文件路径或映射，实际为 {type(value).__name__}",
                en=f"expected a file path or a mapping, found {type(value).__name__}",
            ),
            Location(label),
            "input.not_mapping",
        )
    name, raw = _read_bytes(value)
    text = _decode(name, raw)
    as_json = str(value).lower().endswith(".json")
    return source_from_text(text, name, as_json=as_json, max_values=max_values)


def source_from_text(
    text: str, name: str, *, as_json: bool = False, max_values: int = MAX_VALUES
) -> Source:
    """YAML (or JSON) text already in memory, e.g. pasted into a web form: positions kept,
    its values bounded as a file's are."""
    lines = tuple(text.splitlines())
    if len(lines) > MAX_LINES:
        raise _too_large(
            name, f"文件过长（超过 {MAX_LINES} 行）", f"file longer than {MAX_LINES} lines"
        )
    if not as_json:
        quick = _read_by_libyaml(text, lines, name, max_values)
        if quick is not None:
            return quick
    data, tree = _parse(name, text, lines, as_json, max_values)
    if data is None:
        raise InputError(
            Bilingual(zh="文件为空（没有任何内容）", en="the file is empty"),
            Location(name, 1, 1),
            "input.empty",
        )
    if not isinstance(data, Mapping):
        line, column = (
            _own_position(tree) or (json_position(text, ()) if as_json else None) or (0, 0)
        )
        found = Bilingual(zh="列表", en="a list") if isinstance(data, list) else None
        raise InputError(
            Bilingual(
                zh=f"顶层应为映射（键: 值），而不是{found.zh if found else '单个值'}",
                en=f"the top level should be a mapping (key: value), not "
                f"{found.en if found else 'a single value'}",
            ),
            Location(name, line + 1, column + 1),
            "input.not_mapping",
        )
    converted = plain(data, name, [max_values], where=_own_position(tree))
    return Source(name, converted, tree, lines, json_text=text if as_json else None)


def _read_by_libyaml(
    text: str, lines: tuple[str, ...], name: str, max_values: int
) -> Source | None:
    """The source of YAML `text` read by libyaml (`libyaml_reader`), or None where it
    declines: the round-trip reader then reads it and words any message with its
    positions, exactly as it always has. What libyaml gives is already plain data within
    the bounds `plain` checks (fewer values than `max_values`, keys included; half its
    depth), so it is used as it is.

    libyaml reads to the caller's budget (a year of 100,000 absences is about a million
    values); the round-trip reader holds a YAML file to MAX_YAML_VALUES (about 1 KB a
    value), so a message about a file bigger than that names the field but not the line."""
    try:
        data, values = read_plain(text, max_values)
    except Declined:
        return None
    small = values <= MAX_YAML_VALUES
    return Source(name, data, None, lines, yaml_text=text if small else None)


# The source each loaded model was read from, beside the model (not inside it, so that two
# equal inputs from different files stay equal), while the model lives.
_SOURCES: dict[int, Source] = {}


def source_of(model: object) -> Source | None:
    """The source a model was loaded from, while the model lives."""
    return _SOURCES.get(id(model))


def remember_source(model: object, source: Source) -> None:
    key = id(model)
    if key not in _SOURCES:
        weakref.finalize(model, _SOURCES.pop, key, None)
    _SOURCES[key] = source
