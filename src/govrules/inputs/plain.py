"""Parsed YAML as plain Python data, refusing what an input file should never hold.

ruamel's round-trip objects (tagged scalars, anchored booleans, comment-carrying maps) stay
in the position tree; the models only ever see dicts, lists, text, numbers and booleans.
The walk also bounds the size after aliases are expanded, against "billion laughs".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from govrules.errors import Bilingual, InputError, Location

__all__ = ["MAX_DEPTH", "MAX_DOCUMENT_VALUES", "MAX_VALUES", "Spot", "plain"]

# A year of 200,000 absences (the engine's MAX_ABSENCES) with their reports fits; a bomb does not.
MAX_VALUES = 2_000_000
MAX_DEPTH = 64
# A document file's values (keys, items, scalars): a trace of the engine's 2,000 entries
# takes about 30,000; refused while parsing, before the rest of a huge file is read.
MAX_DOCUMENT_VALUES = 100_000

Spot = tuple[int, int] | None
_PLAIN_TAGS = {None, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"}


def _too_big(name: str) -> InputError:
    return InputError(
        Bilingual(
            zh=f"输入过大或嵌套过深（最多 {MAX_VALUES} 个值、{MAX_DEPTH} 层，别名展开后计算）",
            en=f"input too large or nested too deeply (at most {MAX_VALUES} values and "
            f"{MAX_DEPTH} levels, counting aliases expanded)",
        ),
        Location(name),
    )


def _tag(node: Any) -> str | None:
    value = getattr(getattr(node, "tag", None), "value", None)
    return str(value) if value is not None else None


def _unsupported(name: str, where: Spot, zh: str, en: str) -> InputError:
    line, column = (where[0] + 1, where[1] + 1) if where else (None, None)
    return InputError(Bilingual(zh=zh, en=en), Location(name, line, column), "input.unsupported")


def _child_spot(node: Any, key: Any, where: Spot) -> Spot:
    lc = getattr(node, "lc", None)
    spot = lc.data.get(key) if lc is not None else None
    if spot is None:
        return where
    return (spot[2], spot[3]) if isinstance(node, Mapping) else (spot[0], spot[1])


_BUILTIN_SCALARS = (str, int, float, bool, type(None), date)


def plain(node: Any, name: str, budget: list[int], depth: int = 0, where: Spot = None) -> Any:
    """Plain dicts, lists and scalars: the models never see ruamel's subclasses."""
    if type(node) in _BUILTIN_SCALARS:  # exactly a built-in scalar: nothing to convert
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_DEPTH:
            raise _too_big(name)
        return node
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise _too_big(name)
    # Exactly a dict or a list (data from Python or JSON, not ruamel's nodes): no tags and
    # no positions to look up, so the walk is a plain copy; a year of 100,000 absences is
    # half a million values.
    if type(node) is dict:
        out: dict[Any, Any] = {}
        scalars = 0
        for k, v in node.items():
            key = k if type(k) is str else _scalar(k, name, where)
            if type(v) in _BUILTIN_SCALARS:  # counted below, without a call each
                out[key] = v
                scalars += 1
            else:
                out[key] = plain(v, name, budget, depth + 1, where)
        _count(scalars, name, budget, depth + 1)
        return out
    if type(node) is list:
        items: list[Any] = []
        scalars = 0
        for item in node:
            if type(item) in _BUILTIN_SCALARS:
                items.append(item)
                scalars += 1
            else:
                items.append(plain(item, name, budget, depth + 1, where))
        _count(scalars, name, budget, depth + 1)
        return items
    tag = _tag(node)
    if tag not in _PLAIN_TAGS:
        raise _unsupported(
            name,
            where,
            f"不支持 YAML 标签 {tag}（输入只是数据，请删除该标签）",
            f"the YAML tag {tag} is not supported (inputs are plain data: remove the tag)",
        )
    if isinstance(node, Mapping):
        return {
            _scalar(k, name, where): plain(v, name, budget, depth + 1, _child_spot(node, k, where))
            for k, v in node.items()
        }
    if isinstance(node, list | tuple):
        return [
            plain(item, name, budget, depth + 1, _child_spot(node, i, where))
            for i, item in enumerate(node)
        ]
    return _scalar(node, name, where)


def _count(scalars: int, name: str, budget: list[int], depth: int) -> None:
    """Count `scalars` built-in scalars at `depth` against the budget, as `plain` would
    one by one (a year's plan is mostly scalars in small mappings)."""
    if scalars:
        budget[0] -= scalars
        if budget[0] < 0 or depth > MAX_DEPTH:
            raise _too_big(name)


def _scalar(value: Any, name: str, where: Spot) -> Any:
    if type(value) in _BUILTIN_SCALARS:  # keys read by libyaml or given in Python
        return value
    from ruamel.yaml.comments import TaggedScalar  # only ruamel's nodes get here
    from ruamel.yaml.scalarbool import ScalarBoolean

    if isinstance(value, TaggedScalar):  # only !!str gets here: _plain refused other tags
        return str(value.value)
    if isinstance(value, ScalarBoolean):  # an anchored YAML boolean: an int subclass
        return bool(value)
    if value is None or isinstance(value, date):  # dates only come from Python callers
        return value
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    raise _unsupported(
        name,
        where,
        f"不支持的值类型 {type(value).__name__}（请只用文本、数字、布尔值、列表和映射）",
        f"unsupported value of type {type(value).__name__} "
        "(use only text, numbers, booleans, lists and mappings)",
    )
