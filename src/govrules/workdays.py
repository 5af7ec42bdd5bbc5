"""Working days on China's official calendar, with its make-up working days (调休).

The State Council publishes each year's holidays only late in the previous year, so the
calendar knows exactly which years it covers and refuses any other: a due date computed
on a guessed calendar would look right and be wrong. A user calendar file adds or
replaces years (`--calendar FILE`).

Every covered year is precomputed into a sorted list of working days, so that a due date
is a bisection, not a day-by-day walk: this runs in request paths.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import chinese_calendar.constants as official_data

from govrules.errors import Bilingual, CalendarError, InputError, Location
from govrules.inputs.loaders import load_calendar_file
from govrules.inputs.models import CalendarFile

__all__ = ["WorkCalendar", "as_date"]

_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_HERE = Location("<calendar>")


def as_date(value: date | str, what: str = "date") -> date:
    """A date from a `date`, a `datetime` (its day) or ISO text such as 2021-10-08."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(value) if isinstance(value, str) else None
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise InputError(
        Bilingual(
            zh=f"{value!r} 不是有效的日期；格式应如 2021-10-08",
            en=f"{value!r} is not a valid date; expected a date such as 2021-10-08",
        ),
        Location(field=what),
        "input.date",
    )


def _ranges(years: Iterable[int]) -> str:
    """'2004–2026, 2030': consecutive years folded into ranges."""
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and spans[-1][1] == year - 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in spans) or "-"


def _year_workdays(year: int, off: frozenset[date], on: frozenset[date]) -> list[int]:
    day = date(year, 1, 1)
    result = []
    while day.year == year:
        if day in on or (day.weekday() < 5 and day not in off):
            result.append(day.toordinal())
        day += timedelta(days=1)
    return result


class WorkCalendar:
    """Which days are worked, for the years it has data for; immutable and shareable."""

    __slots__ = ("_off", "_on", "_ordinals", "_years")

    def __init__(self, years: Mapping[int, tuple[Iterable[date], Iterable[date]]]):
        """`years` maps a year to (holidays, make-up working days) of that year."""
        self._off = {y: frozenset(off) for y, (off, _) in years.items()}
        self._on = {y: frozenset(on) for y, (_, on) in years.items()}
        self._years = tuple(sorted(years))
        self._ordinals: list[int] = []
        for year in self._years:
            self._ordinals += _year_workdays(year, self._off[year], self._on[year])

    @classmethod
    def official(cls) -> WorkCalendar:
        """The calendar of the `chinese_calendar` package alone (shared, built once)."""
        return _official()

    @classmethod
    def load(cls, path: str | Path | Mapping[str, Any] | CalendarFile | None) -> WorkCalendar:
        """The official calendar, with the years of a user calendar file replacing its own."""
        if path is None:
            return cls.official()
        return cls.official().overlay(load_calendar_file(path))

    def overlay(self, calendar: CalendarFile) -> WorkCalendar:
        """A new calendar where each year of `calendar` replaces this one's data."""
        years: dict[int, tuple[Iterable[date], Iterable[date]]] = {
            y: (self._off[y], self._on[y]) for y in self._years
        }
        for year, lists in calendar.years.items():
            years[year] = (lists.holidays, lists.workdays)
        return WorkCalendar(years)

    @property
    def covered_years(self) -> tuple[int, ...]:
        return self._years

    def _require(self, first: int, last: int | None = None) -> None:
        for year in range(first, (first if last is None else last) + 1):
            if year not in self._off:
                raise self._missing(year)

    def _missing(self, year: int) -> CalendarError:
        covered = _ranges(self._years)
        return CalendarError(
            Bilingual(
                zh=f"没有 {year} 年的节假日安排（已有数据的年份：{covered}），无法计算工作日；"
                f"请用 --calendar FILE 提供日历文件，在 years.{year} 下列出 holidays（放假的"
                "工作日）和 workdays（调休上班的周末），格式见 schemas/calendar.schema.json",
                en=f"no holiday calendar for {year} (years covered: {covered}), so working days "
                f"cannot be counted; supply a calendar file with --calendar FILE listing, under "
                f"years.{year}, the holidays (weekdays off) and workdays (weekend make-up "
                "working days); format: schemas/calendar.schema.json",
            ),
            _HERE,
            "calendar.year_missing",
        )

    def is_workday(self, day: date | str) -> bool:
        day = as_date(day)
        off = self._off.get(day.year)
        if off is None:
            raise self._missing(day.year)
        return day in self._on[day.year] or (day.weekday() < 5 and day not in off)

    def add_working_days(self, start: date | str, n: int) -> date:
        """The n-th working day after `start` (not counted); n = 0: `start` itself if it is
        a working day, else the next one. A due date "within N working days" is this."""
        start = as_date(start, "start")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InputError(
                Bilingual(
                    zh=f"工作日数应为不小于 0 的整数，实际为 {n!r}",
                    en=f"the number of working days must be a whole number of at least 0, "
                    f"found {n!r}",
                ),
                Location(field="days"),
                "input.days",
            )
        self._require(start.year)
        if n == 0 and self.is_workday(start):
            return start
        index = bisect_right(self._ordinals, start.toordinal()) + max(n, 1) - 1
        if index >= len(self._ordinals):
            year = start.year
            while year in self._off:
                year += 1
            raise self._missing(year)
        result = date.fromordinal(self._ordinals[index])
        self._require(start.year, result.year)  # no uncovered year skipped on the way
        return result

    def working_days_between(self, a: date | str, b: date | str) -> int:
        """The working days in (a, b]; negative, minus those in (b, a], when b is before a."""
        a, b = as_date(a, "from"), as_date(b, "to")
        self._require(min(a, b).year, max(a, b).year)
        ordinals = self._ordinals
        return bisect_right(ordinals, b.toordinal()) - bisect_right(ordinals, a.toordinal())

    def __repr__(self) -> str:
        return f"WorkCalendar(years={_ranges(self._years)})"


@cache
def _official() -> WorkCalendar:
    years: dict[int, tuple[list[date], list[date]]] = {}
    for day in official_data.holidays:
        years.setdefault(day.year, ([], []))[0].append(day)
    for day in official_data.workdays:
        years.setdefault(day.year, ([], []))[1].append(day)
    # The package answers for every year between its first and last; so do we.
    for year in range(min(years), max(years) + 1):
        years.setdefault(year, ([], []))
    return WorkCalendar(years)
