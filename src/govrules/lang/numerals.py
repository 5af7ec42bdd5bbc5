"""Article and day counts written in Chinese numerals (二十九, 四十五) or digits."""

from __future__ import annotations

__all__ = ["parse_number", "to_chinese"]

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100}


def parse_number(text: str) -> int | None:
    """The value of `text`, or None when it is not a well-formed number below 1000."""
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    total, pending, last_unit = 0, None, 1000
    for ch in text:
        if ch in _DIGITS:
            if _DIGITS[ch] == 0 and pending is None and last_unit < 1000:
                continue  # 一百零五: a zero after a unit only marks the empty tens place
            if pending is not None:
                return None  # two digits in a row: 二三
            pending = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None  # 十百, 十十
            total += (1 if pending is None else pending) * unit
            pending, last_unit = None, unit
        else:
            return None
    return total + (pending or 0)


def to_chinese(n: int) -> str:
    """1..999 in Chinese numerals as articles are numbered (十一, 二十九, 一百零五)."""
    if not 0 < n < 1000:
        raise ValueError(n)
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    if ones:
        out += digits[ones]
    return out
