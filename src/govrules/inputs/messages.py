"""pydantic's error types, said in Chinese and English as "expected …, found …".

pydantic's own messages are English and speak of Python types ("a valid tuple"); office
staff editing YAML need the YAML words and a hint at the likely fix.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from pydantic_core import ErrorDetails

from govrules.errors import Bilingual
from govrules.inputs.scalars import OPINION_PATTERN

__all__ = ["describe", "did_you_mean", "found", "printable"]

_SHOWN = 60

# type -> (expected in zh, expected in en); the ctx of the error fills the braces.
_EXPECTED: dict[str, tuple[str, str]] = {
    "bool_type": ("布尔值 true 或 false", "a boolean, true or false"),
    "bool_parsing": ("布尔值 true 或 false", "a boolean, true or false"),
    "int_type": ("整数", "a whole number"),
    "int_parsing": ("整数", "a whole number"),
    "int_from_float": ("整数（不能有小数）", "a whole number (no fraction)"),
    "greater_than_equal": ("不小于 {ge} 的数", "a number of at least {ge}"),
    "less_than_equal": ("不大于 {le} 的数", "a number of at most {le}"),
    "date_format": ("日期，格式如 2021-10-08", "a date such as 2021-10-08"),
    "date_has_time": (
        "只有日期、没有时刻，如 2021-10-08",
        "a date without a time, e.g. 2021-10-08",
    ),
    "date_type": ("日期，格式如 2021-10-08", "a date such as 2021-10-08"),
    "date_parsing": ("日期，格式如 2021-10-08", "a date such as 2021-10-08"),
    "datetime_format": (
        "日期时间，格式如 2021-10-08T09:00、2021-10-08 09:00 或 2021-10-08",
        "a date and time such as 2021-10-08T09:00, 2021-10-08 09:00 or 2021-10-08",
    ),
    "datetime_type": (
        "日期时间，格式如 2021-10-08T09:00",
        "a date and time such as 2021-10-08T09:00",
    ),
    "datetime_parsing": (
        "日期时间，格式如 2021-10-08T09:00",
        "a date and time such as 2021-10-08T09:00",
    ),
    "string_type": (
        "文本（数字、日期等作为名称时请加引号，如 '2021'）",
        "text (quote numbers and dates used as names, e.g. '2021')",
    ),
    "string_too_short": ("非空文本", "non-empty text"),
    "string_too_long": (
        "不超过 {max_length} 个字符的文本",
        "text of at most {max_length} characters",
    ),
    "list_type": ("列表，如 [甲, 乙]", "a list, e.g. [a, b]"),
    "tuple_type": ("列表，如 [甲, 乙]", "a list, e.g. [a, b]"),
    "too_short": ("至少有 {min_length} 项的列表", "a list of at least {min_length} items"),
    "dict_type": ("映射（键: 值）", "a mapping (key: value)"),
    "model_type": ("映射（键: 值）", "a mapping (key: value)"),
    "model_attributes_type": ("映射（键: 值）", "a mapping (key: value)"),
}


def printable(text: str) -> str:
    """`text` with lone surrogates escaped, so that printing a message cannot fail."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def found(value: Any) -> Bilingual:
    """How a value the user wrote is shown back to them."""
    if value is None:
        return Bilingual(zh="空值（null）", en="an empty value (null)")
    if isinstance(value, bool):
        return Bilingual(zh=f"布尔值 {str(value).lower()}", en=f"the boolean {str(value).lower()}")
    if isinstance(value, int | float):
        return Bilingual(zh=f"数字 {value}", en=f"the number {value}")
    if isinstance(value, date):
        return Bilingual(zh=f"日期 {value.isoformat()}", en=f"the date {value.isoformat()}")
    if isinstance(value, Mapping):
        return Bilingual(zh="一个映射（键: 值）", en="a mapping (key: value)")
    if isinstance(value, list | tuple):
        return Bilingual(zh=f"一个 {len(value)} 项的列表", en=f"a list of {len(value)} items")
    text = str(value)
    shown = repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")
    if isinstance(value, str) and not text:
        return Bilingual(zh="空文本 ''", en="empty text ''")
    return Bilingual(zh=shown, en=shown)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt `word`, ignoring case, if one is close enough."""
    options = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.6)
    return options[match[0]] if match else None


def _control_character(value: Any, pattern: str) -> Bilingual:
    text = str(value)
    prose = pattern == OPINION_PATTERN
    index, char = next(
        (
            (i, c)
            for i, c in enumerate(text)
            if unicodedata.category(c) in ("Cc", "Zl", "Zp")
            and not (prose and c in "\t\n\r\u2028\u2029")
        ),
        (0, "?"),
    )
    code = f"U+{ord(char):04X}"
    zh_rule, en_rule = (
        (
            "意见中只允许换行和制表符，不能有其他控制字符",
            "an opinion may hold line breaks and tabs but no other control characters",
        )
        if prose
        else (
            "名称、领域和编号不能包含控制字符（C0 U+0000–U+001F、DEL U+007F、"
            "C1 U+0080–U+009F）或行、段分隔符（U+2028、U+2029）",
            "names, fields and ids may not contain control characters "
            "(C0 U+0000-U+001F, DEL U+007F, C1 U+0080-U+009F) "
            "or line and paragraph separators (U+2028, U+2029)",
        )
    )
    return Bilingual(
        zh=f"含有控制字符 {code}（第 {index + 1} 个字符）；{zh_rule}",
        en=f"contains the control character {code} (character {index + 1}); {en_rule}",
    )


def _keys(allowed: Sequence[str]) -> tuple[str, str]:
    listed = ", ".join(allowed)
    return f"允许的键：{listed}", f"allowed keys: {listed}"


def _unknown_key(key: str, allowed: Sequence[str]) -> Bilingual:
    key = printable(key)
    zh_keys, en_keys = _keys(allowed)
    guess = did_you_mean(key, allowed)
    if guess:
        return Bilingual(
            zh=f"未知的键 '{key}'，是否应为 '{guess}'？{zh_keys}",
            en=f"unknown key '{key}', did you mean '{guess}'? {en_keys}",
        )
    return Bilingual(zh=f"未知的键 '{key}'；{zh_keys}", en=f"unknown key '{key}'; {en_keys}")


def _expected(kind: str, ctx: Mapping[str, Any], literals: Sequence[str]) -> tuple[str, str]:
    if kind == "literal_error":
        values = ", ".join(literals) if literals else str(ctx.get("expected", ""))
        return f"以下取值之一：{values}", f"one of: {values}"
    if kind == "too_short" and ctx.get("min_length") == 1:
        return "非空列表", "a non-empty list"
    zh, en = _EXPECTED[kind]
    return zh.format(**ctx), en.format(**ctx)


def describe(
    error: ErrorDetails, allowed_keys: Sequence[str] = (), literals: Sequence[str] = ()
) -> Bilingual:
    """The message for one pydantic error; `allowed_keys` are the keys of the mapping it is
    in (for unknown and missing keys), `literals` the values a Literal field accepts."""
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    last = error["loc"][-1] if error["loc"] else ""
    if kind == "govrules_rule":
        return Bilingual(zh=str(ctx["zh"]), en=str(ctx["en"]))
    if kind == "missing":
        return Bilingual(zh=f"缺少必填的键 '{last}'", en=f"missing required key '{last}'")
    if kind == "extra_forbidden":
        return _unknown_key(str(last), allowed_keys)
    if kind == "string_pattern_mismatch":
        return _control_character(value, str(ctx.get("pattern", "")))
    if kind == "string_unicode":
        return Bilingual(
            zh=f"{found(value).zh} 含有无效的 Unicode 字符（孤立的代理项，如 \\ud800）",
            en=f"{found(value).en} contains invalid Unicode (a lone surrogate such as \\ud800)",
        )
    if kind == "date_value":
        return Bilingual(
            zh=f"不存在的日期或时刻：{ctx['text']}", en=f"no such date or time: {ctx['text']}"
        )
    shown = found(value)
    if kind in _EXPECTED or kind == "literal_error":
        zh, en = _expected(kind, ctx, literals)
        if kind == "string_too_long":
            shown = Bilingual(zh=f"{len(str(value))} 个字符", en=f"{len(str(value))} characters")
        elif kind == "too_short" and isinstance(value, list | tuple):
            shown = Bilingual(zh="空列表 []", en="an empty list []") if not value else shown
        hint = _hint(kind, value)
        return Bilingual(
            zh=f"应为{zh}，实际为 {shown.zh}{hint.zh}",
            en=f"expected {en}, found {shown.en}{hint.en}",
        )
    return Bilingual(
        zh=f"无效的值 {shown.zh}（{error['msg']}）", en=f"invalid value {shown.en}: {error['msg']}"
    )


def _hint(kind: str, value: Any) -> Bilingual:
    if kind in ("list_type", "tuple_type") and isinstance(value, str):
        return Bilingual(
            zh=f"；只有一项时写作 [{value}]", en=f"; a single item is written [{value}]"
        )
    return Bilingual(zh="", en="")
