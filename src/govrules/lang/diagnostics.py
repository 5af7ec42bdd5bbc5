"""Source excerpts with a caret under the offending column, aligned for full-width text.

A terminal shows a CJK character two columns wide, so the caret line pads with two
spaces (or a full-width space) for each such character before the column.
"""

from __future__ import annotations

import unicodedata

__all__ = ["display_width", "excerpt"]


def _width(ch: str) -> int:
    if ch == "\t":
        return 4
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(_width(c) for c in text)


def excerpt(source: str, line: int, column: int, span: int = 1) -> str:
    """The line (1-based) and a caret under `column` (1-based, in characters)."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].replace("\t", "    ")
    raw = lines[line - 1]
    prefix = raw[: max(column - 1, 0)]
    marked = raw[max(column - 1, 0) : max(column - 1, 0) + max(span, 1)]
    pad = " " * display_width(prefix)
    carets = "^" * max(display_width(marked), 1)
    gutter = f"{line:>4} | "
    return f"{gutter}{text}\n{' ' * len(gutter)}{pad}{carets}"
