"""Checks of a user calendar file: each listed day must change something in its year.

A holiday on a weekend or a make-up working day on a weekday changes nothing, so it is
almost always a typo in the date; it is rejected rather than silently ignored.
"""

from __future__ import annotations

from datetime import date

from govrules.errors import Bilingual
from govrules.inputs.checks import Loc, Problems
from govrules.inputs.models import CalendarFile
from govrules.inputs.source import Source

__all__ = ["calendar_problems", "check_calendar"]

_WEEKDAYS = (
    ("星期一", "Monday"),
    ("星期二", "Tuesday"),
    ("星期三", "Wednesday"),
    ("星期四", "Thursday"),
    ("星期五", "Friday"),
    ("星期六", "Saturday"),
    ("星期日", "Sunday"),
)


def _day(day: date) -> Bilingual:
    zh, en = _WEEKDAYS[day.weekday()]
    return Bilingual(zh=f"{day.isoformat()}（{zh}）", en=f"{day.isoformat()} ({en})")


def _check_day(problems: Problems, year: int, key: str, loc: Loc, day: date, name: str) -> None:
    shown = _day(day)
    if day.year != year:
        problems.add(
            loc,
            Bilingual(
                zh=f"日期 {day.isoformat()} 不在 {year} 年内；请放到 years.{day.year} 下",
                en=f"the date {day.isoformat()} is not in {year}; list it under years.{day.year}",
            ),
        )
    elif key == "workdays" and day.weekday() < 5:
        problems.add(
            loc,
            Bilingual(
                zh=f"调休上班日 {shown.zh}不是周末，本来就是工作日；workdays 只列周末补班的日子",
                en=f"the make-up working day {shown.en} is not on a weekend, so it is a working "
                "day anyway; workdays lists only weekend days that are worked",
            ),
        )
    elif key == "holidays" and day.weekday() >= 5:
        named = Bilingual(zh=f"（{name}）", en=f" ({name})") if name else Bilingual("", "")
        problems.add(
            loc,
            Bilingual(
                zh=f"假日{named.zh or ' '}{shown.zh}是周末，本来就不上班；holidays 只列本应上班"
                "的周一至周五放假的日子（是否写错了日期？）",
                en=f"the holiday{named.en} {shown.en} is on a weekend, which is no working day "
                "anyway; holidays lists only Monday-to-Friday days off (is the date mistyped?)",
            ),
        )


def calendar_problems(calendar: CalendarFile, source: Source) -> Problems:
    """Every problem of a calendar file: dates inside their year, each listed once, each
    changing the weekly pattern (`calendar check` lists them all; loading reports the first)."""
    problems = Problems(source)
    for year, lists in calendar.years.items():
        places: dict[date, list[tuple[Loc, str]]] = {}
        for key in ("holidays", "workdays"):
            for day, name, where in lists.entries(key):
                places.setdefault(day, []).append((("years", year, *where), name or ""))
        for day, found in places.items():
            names = dict(found)
            first, *again = problems.in_file_order([loc for loc, _ in found])
            _check_day(problems, year, str(first[2]), first, day, names[first])
            for loc in again:  # repeats: say "twice"
                both = loc[2] != first[2]
                shown = problems.where(first)
                problems.add(
                    loc,
                    Bilingual(
                        zh=f"日期 {day.isoformat()} 重复列出（{shown.zh}已列出"
                        + ("，不能同时出现在 holidays 和 workdays 中" if both else "")
                        + "）",
                        en=f"the date {day.isoformat()} is listed twice (already on {shown.en}"
                        + ("; a day cannot be in both holidays and workdays" if both else "")
                        + ")",
                    ),
                )
    return problems


def check_calendar(calendar: CalendarFile, source: Source) -> None:
    """The first problem of `calendar_problems`, as an `InputError`."""
    calendar_problems(calendar, source).raise_first("input.calendar")
