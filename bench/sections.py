"""Sections of bench/RESULTS.md that a separate benchmark owns (between its markers), so
that `make bench` rewriting the file keeps them and each benchmark rewrites only its own."""

from __future__ import annotations

from pathlib import Path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name} -->", f"<!-- /{name} -->"


def section(name: str, lines: list[str]) -> str:
    """`lines` between the markers of section `name`, as `replace` writes it."""
    begin, end = markers(name)
    return "\n".join([begin, *lines, "", end, ""])


def kept(path: Path, name: str) -> str:
    """The section `name` of an existing file, or "" (for bench.run to carry over)."""
    begin, end = markers(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    if begin in text and end in text:
        return "\n" + text[text.index(begin) : text.index(end) + len(end)] + "\n"
    return ""


def replace(path: Path, name: str, section: str) -> None:
    """Write `section` (which starts and ends with the markers) in place of the old one,
    or append it."""
    begin, end = markers(name)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + section.rstrip("\n") + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def stamp() -> tuple[str, str]:
    """When a section was measured and the load average then (the machine is shared)."""
    import os
    import time

    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return when, " ".join(f"{x:.2f}" for x in os.getloadavg())
