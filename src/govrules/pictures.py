"""SVG pictures of answers, drawn here (no browser library, no CDN): a route's procedure
as boxes and arrows, and a month of a leave plan as a calendar.

Both are pure functions of the answers' JSON, laid out by fixed rules (layers by longest
path, names in sorted order), so the same answer draws byte-identical pictures; the web
page and `--svg FILE` show the same picture.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape

from govrules.orders import depths

__all__ = ["leave_svg", "route_svg", "write_svg"]

_FONT = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif\""
_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _PAD = 168, 58, 72, 22, 20


def _width(text: str, size: float) -> float:
    """Rough rendered width: wide (CJK) characters a full em, others about half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.55 for c in text)


def _fit(text: str, size: float, room: float) -> str:
    if _width(text, size) <= room:
        return text
    while text and _width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def route_svg(route: Mapping[str, Any], lang: str = "zh") -> str:
    """The approval procedure: steps as boxes (action, actor, article), precedence as
    arrows from left to right; steps in one column may be done in any order."""
    steps = list(route["steps"])
    ids = [s["id"] for s in steps]
    edges = sorted({(e["before"], e["after"]) for e in route["precedence"]})
    depth = depths(ids, edges)  # each step's column
    columns: dict[int, list[dict[str, Any]]] = {}
    for step in sorted(steps, key=lambda s: (depth[s["id"]], s["id"])):
        columns.setdefault(depth[step["id"]], []).append(step)
    tallest = max((len(c) for c in columns.values()), default=1)
    width = _PAD * 2 + len(columns) * _BOX_W + max(len(columns) - 1, 0) * _GAP_X
    height = _PAD * 2 + tallest * _BOX_H + (tallest - 1) * _GAP_Y + 24
    where: dict[str, tuple[float, float]] = {}
    for col, members in sorted(columns.items()):
        top = _PAD + 24 + (tallest - len(members)) * (_BOX_H + _GAP_Y) / 2
        for row, step in enumerate(members):
            where[step["id"]] = (_PAD + col * (_BOX_W + _GAP_X), top + row * (_BOX_H + _GAP_Y))
    title = route.get("document", "")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" class="govrules-route">',
        f"<title>{escape(str(title))}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        'fill="#555"/></marker></defs>',
        f'<text x="{_PAD}" y="{_PAD + 6}" font-size="14" {_FONT} fill="#333">'
        f"{escape(str(title))}</text>",
    ]
    for a, b in edges:
        if a not in where or b not in where:
            continue
        (x1, y1), (x2, y2) = where[a], where[b]
        out.append(
            f'<line class="edge" data-from="{escape(a)}" data-to="{escape(b)}" '
            f'x1="{x1 + _BOX_W:.1f}" y1="{y1 + _BOX_H / 2:.1f}" x2="{x2:.1f}" '
            f'y2="{y2 + _BOX_H / 2:.1f}" stroke="#555" stroke-width="1.5" '
            'marker-end="url(#arrow)"/>'
        )
    article_label = "第{}条" if lang != "en" else "art. {}"
    for step in steps:
        x, y = where[step["id"]]
        action = step.get("action_label") or step["action"]
        label = _fit(f"{action} · {step['actor']}", 15, _BOX_W - 12)
        out += [
            f'<g class="step" data-step="{escape(step["id"])}">',
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{_BOX_W}" height="{_BOX_H}" rx="6" '
            'fill="#eef4fb" stroke="#2f6fb3" stroke-width="1.5"/>',
            f'<text x="{x + _BOX_W / 2:.1f}" y="{y + 22:.1f}" font-size="15" '
            f'text-anchor="middle" {_FONT} fill="#123">'
            f"{escape(label)}</text>",
            f'<text x="{x + _BOX_W / 2:.1f}" y="{y + 44:.1f}" font-size="12" '
            f'text-anchor="middle" {_FONT} fill="#555">'
            f"{escape(article_label.format(step['article']))}</text>",
            "</g>",
        ]
    out.append("</svg>")
    return "\n".join(out) + "\n"


_CELL_W, _CELL_H, _HEAD = 132, 96, 56


def _days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def leave_svg(
    leave: Mapping[str, Any],
    absences: Sequence[Mapping[str, Any]],
    month: str,
    changes: Sequence[Mapping[str, Any]] = (),
    lang: str = "zh",
) -> str:
    """One month (`YYYY-MM`) of a plan: who is absent each day, days of a clash (a finding
    with a period) in red, who acts for whom, and `--suggest`'s moves (old days struck
    through, new days in green)."""
    year, mon = (int(p) for p in month.split("-"))
    cells: dict[date, dict[str, list[str]]] = {}

    def cell(day: date) -> dict[str, list[str]]:
        return cells.setdefault(day, {"absent": [], "acting": [], "moved": [], "new": []})

    moved = {int(c["absence"]) for c in changes if c.get("kind") == "move"}
    for index, absence in enumerate(absences, start=1):
        for day in _days(str(absence["from"]), str(absence["to"])):
            key = "moved" if index in moved else "absent"
            cell(day)[key].append(str(absence["who"]))
    for change in changes:
        if change.get("kind") == "move":
            for day in _days(str(change["new_from"]), str(change["new_to"])):
                cell(day)["new"].append(str(change["who"]))
    for row in leave.get("acting", []):
        cell(date.fromisoformat(row["date"]))["acting"].append(f"{row['acting']}→{row['absent']}")
    clash: set[date] = set()
    for finding in leave.get("findings", []):
        facts = finding.get("facts", {})
        if "from" in facts and "to" in facts and finding.get("severity") == "violation":
            clash.update(_days(str(facts["from"]), str(facts["to"])))
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, mon)
    width, height = 7 * _CELL_W + 2, _HEAD + len(weeks) * _CELL_H + 2
    names = (
        ["一", "二", "三", "四", "五", "六", "日"]
        if lang != "en"
        else ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    )
    title = f"{year}年{mon}月" if lang != "en" else f"{calendar.month_name[mon]} {year}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="govrules-leave">',
        f"<title>{escape(title)}</title>",
        f'<text x="6" y="20" font-size="16" {_FONT} fill="#222">{escape(title)}</text>',
    ]
    for n, name in enumerate(names):
        out.append(
            f'<text x="{n * _CELL_W + _CELL_W / 2 + 1:.0f}" y="{_HEAD - 10}" font-size="13" '
            f'text-anchor="middle" {_FONT} fill="#555">{name}</text>'
        )
    for w, week in enumerate(weeks):
        for d, day in enumerate(week):
            x, y = d * _CELL_W + 1, _HEAD + w * _CELL_H + 1
            inside = day.month == mon
            fill = "#fdecea" if day in clash and inside else ("#fff" if inside else "#f4f4f4")
            classes = "day clash" if day in clash and inside else "day"
            out.append(
                f'<g class="{classes}" data-date="{day.isoformat()}">'
                f'<rect x="{x}" y="{y}" width="{_CELL_W}" height="{_CELL_H}" fill="{fill}" '
                'stroke="#ccc"/>'
                f'<text x="{x + 5}" y="{y + 15}" font-size="12" {_FONT} '
                f'fill="{"#222" if inside else "#aaa"}">{day.day}</text>'
            )
            if inside:
                lines: list[tuple[str, str, str]] = []
                here = cells.get(day, {"absent": [], "acting": [], "moved": [], "new": []})
                lines += [(n, "#a11" if day in clash else "#123", "") for n in here["absent"]]
                lines += [(n, "#999", "line-through") for n in here["moved"]]
                lines += [(f"+{n}", "#1a7f37", "") for n in here["new"]]
                lines += [(a, "#6a4c93", "") for a in sorted(set(here["acting"]))]
                for i, (text_, colour, deco) in enumerate(lines[:5]):
                    style = f' text-decoration="{deco}"' if deco else ""
                    out.append(
                        f'<text x="{x + 5}" y="{y + 32 + i * 14}" font-size="11" {_FONT} '
                        f'fill="{colour}"{style}>{escape(_fit(text_, 11, _CELL_W - 10))}</text>'
                    )
                if len(lines) > 5:
                    out.append(
                        f'<text x="{x + _CELL_W - 6}" y="{y + 15}" font-size="11" '
                        f'text-anchor="end" fill="#555">+{len(lines) - 5}</text>'
                    )
            out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_svg(path: str, svg: str) -> None:
    """Write a picture whole or not at all: a temporary file beside it, then a rename."""
    import os
    import tempfile
    from pathlib import Path

    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent if str(target.parent) else "."
    )
    mask = os.umask(0)
    os.umask(mask)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(svg)
        os.chmod(temporary, 0o666 & ~mask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
