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

__all__ = ["check_calendar"]

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


def _check_day(problems: Problems, year: int, key: str, loc: Loc, day: date) -> None:
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
        problems.add(
            loc,
            Bilingual(
                zh=f"假日 {shown.zh}是周末，本来就不上班；holidays 只列本应上班的周一至周五放假的"
                "日子（是否写错了日期？）",
                en=f"the holiday {shown.en} is on a weekend, which is no working day anyway; "
                "holidays lists only Monday-to-Friday days off (is the date mistyped?)",
            ),
        )


def check_calendar(calendar: CalendarFile, source: Source) -> None:
    """Dates inside their year, each listed once, each changing the weekly pattern."""
    problems = Problems(source)
    for year, lists in calendar.years.items():
        places: dict[date, list[Loc]] = {}
        for key in ("holidays", "workdays"):
            for k, day in enumerate(getattr(lists, key)):
                places.setdefault(day, []).append(("years", year, key, k))
        for day, locs in places.items():
            first, *again = problems.in_file_order(locs)
            _check_day(problems, year, str(first[2]), first, day)  # repeats: say "twice"
            for loc in again:
                both = loc[2] != first[2]
                where = problems.where(first)
                problems.add(
                    loc,
                    Bilingual(
                        zh=f"日期 {day.isoformat()} 重复列出（{where.zh}已列出"
                        + ("，不能同时出现在 holidays 和 workdays 中" if both else "")
                        + "）",
                        en=f"the date {day.isoformat()} is listed twice (already on {where.en}"
                        + ("; a day cannot be in both holidays and workdays" if both else "")
                        + ")",
                    ),
                )
    problems.raise_first("input.calendar")
