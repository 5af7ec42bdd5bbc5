"""The Python API's own arguments checked: a wrong type is an `InputError`, not a bare
Python error from deep inside (or, worse, an answer: a string is iterable, so
`check_many("abc")` would check three documents named a, b and c).

Inputs themselves (documents, organisations, plans) are checked by `govrules.inputs`; this
module checks the arguments around them: counts, switches, languages, lists.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from govrules.errors import Bilingual, InputError

__all__ = [
    "check_directory",
    "check_flag",
    "check_interpretations",
    "check_language",
    "check_many",
    "check_steps",
    "check_whole",
]

LANGUAGES = ("zh", "en")


def _bad(zh: str, en: str) -> InputError:
    return InputError(Bilingual(zh, en), code="bad_argument")


def _type(value: Any) -> str:
    return type(value).__name__


def check_whole(name: str, value: Any, low: int, high: int | None = None) -> int:
    """A whole number (not a bool) from `low` to `high`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(
            f"参数 {name} 须为整数，实际为 {_type(value)}",
            f"{name} must be a whole number, got {_type(value)}",
        )
    if value < low or (high is not None and value > high):
        span = f"{low} 到 {high}" if high is not None else f"至少 {low}"
        span_en = f"{low}..{high}" if high is not None else f"at least {low}"
        raise _bad(
            f"参数 {name} 须在 {span} 之间，实际为 {value}",
            f"{name} must be {span_en}, got {value}",
        )
    return value


def check_flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(
            f"参数 {name} 须为 True 或 False，实际为 {_type(value)}",
            f"{name} must be True or False, got {_type(value)}",
        )
    return value


def check_language(value: Any) -> str:
    if value not in LANGUAGES or not isinstance(value, str):
        raise _bad(
            f'参数 lang 须为 "zh" 或 "en"，实际为 {value!r:.40}',
            f'lang must be "zh" or "en", got {value!r:.40}',
        )
    return value


def check_interpretations(value: Any) -> Mapping[str, bool] | None:
    """None, or a mapping of interpretation names to True/False."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _bad(
            f"参数 interpretations 须为「名称 → True/False」的字典，实际为 {_type(value)}",
            f"interpretations must be a mapping of names to True/False, got {_type(value)}",
        )
    for name, setting in value.items():
        if not isinstance(name, str) or not isinstance(setting, bool):
            raise _bad(
                f"解释的设置须为「名称 → True/False」，实际为 {name!r:.40} → {setting!r:.40}",
                f"an interpretation is set by name to True/False, got {name!r:.40}: "
                f"{setting!r:.40}",
            )
    return value


def check_many(name: str, value: Any) -> Iterable[Any]:
    """A collection of inputs: a list, a tuple, a generator; not one input (a string, a
    path, a mapping), which would otherwise be taken apart."""
    if isinstance(value, str | bytes | Path | Mapping) or not isinstance(value, Iterable):
        raise _bad(
            f"参数 {name} 须为多个输入组成的列表，实际为 {_type(value)}",
            f"{name} must be a list of inputs, got {_type(value)}",
        )
    return value


def check_steps(value: Any) -> list[str]:
    """An order of step ids: a list of strings such as "a:甲", not one string."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise _bad(
            f'参数 order 须为步骤编号的列表（如 ["a:甲", "b:乙"]），实际为 {_type(value)}',
            f'order must be a list of step ids (such as ["a:甲", "b:乙"]), got {_type(value)}',
        )
    steps = list(value)
    for step in steps:
        if not isinstance(step, str):
            raise _bad(
                f'步骤编号须为文字（如 "a:甲"），实际为 {_type(step)}',
                f'a step id is a text such as "a:甲", got {_type(step)}',
            )
    return steps


def check_directory(value: Any) -> str | os.PathLike[str] | None:
    if value is not None and not isinstance(value, str | os.PathLike):
        raise _bad(
            f"策略目录须为路径（str 或 Path），实际为 {_type(value)}",
            f"the policy directory must be a path (str or Path), got {_type(value)}",
        )
    return value
