"""Working days on China's official calendar, with its make-up working days (调休).

The State Council publishes each year's holidays only late in the previous year, so the
calendar knows exactly which years it covers and refuses any other: a due date computed
on a guessed calendar would look right and be wrong. A user calendar file adds or
replaces years (`--calendar FILE`).

Each year knows where its data came from (`YearSource`: the bundled library, a calendar
file, a directory) and whether it is provisional (a template of the statutory holidays,
before the State Council's notice); an answer that counted days in a provisional year, or
that comes close to the last covered day, says so (`CalendarNote`). `calendars` finds the
sources and applies their precedence.

Every covered year is precomputed into a sorted list of working days, so that a due date
is a bisection, not a day-by-day walk: this runs in request paths.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import chinese_calendar.constants as official_data

from govrules.calendar_note import WARN_DAYS, CalendarNote, nearest_to_end
from govrules.calendar_template import FIRST_YEAR, LAST_YEAR
from govrules.errors import Bilingual, CalendarError, InputError, Location
from govrules.inputs.loaders import load_calendar_file, source_of
from govrules.inputs.models import CalendarFile

__all__ = [
    "WARN_DAYS",
    "CalendarNote",
    "Deadline",
    "WorkCalendar",
    "YearSource",
    "as_date",
    "library",
]


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
    """The ordinals of `year`'s working days (ordinal 1, 0001-01-01, was a Monday)."""
    worked = {d.toordinal() for d in on}
    rest = {d.toordinal() for d in off}
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    return [o for o in range(first, last + 1) if o in worked or ((o + 6) % 7 < 5 and o not in rest)]


def library() -> str:
    """The bundled calendar library with its version, e.g. 'chinesecalendar 1.11.0'."""
    from importlib.metadata import PackageNotFoundError, version  # slow: only when asked

    try:
        return f"chinesecalendar {version('chinesecalendar')}"
    except PackageNotFoundError:  # pragma: no cover - vendored without metadata
        return "chinesecalendar"


# Kinds of source, highest precedence first (`calendars` applies this order).
SOURCE_KINDS = ("file", "user", "policy", "bundled", "python")


@dataclass(frozen=True)
class YearSource:
    """Where one year's holidays come from: a kind of source and its place."""

    kind: str  # one of SOURCE_KINDS
    where: str  # a file's path, or the library and its version
    provisional: bool = False

    def describe(self) -> Bilingual:
        label = {
            "file": Bilingual("--calendar 文件", "--calendar file"),
            "user": Bilingual("用户日历目录", "user calendar directory"),
            "policy": Bilingual("策略日历目录", "policy calendar directory"),
            "bundled": Bilingual("内置数据", "built-in data"),
            "python": Bilingual("程序给出", "given in Python"),
        }[self.kind]
        return Bilingual(f"{label.zh} {self.where}", f"{label.en} {self.where}")

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "where": self.where,
            "status": "provisional" if self.provisional else "official",
        }


@dataclass(frozen=True)
class Deadline:
    """A due date, and what the calendar it was counted on owes the reader."""

    start: date
    working_days: int
    due: date
    calendar: CalendarNote = CalendarNote()  # noqa: RUF009 - frozen: one shared empty note

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "due_is_weekend_workday": self.due.weekday() >= 5,
        }
        if self.calendar:
            data["calendar"] = self.calendar.to_json(lang)
        return data

    def to_json(self, lang: str = "zh") -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, sort_keys=True)


class WorkCalendar:
    """Which days are worked, for the years it has data for; immutable and shareable."""

    __slots__ = ("_off", "_on", "_ordinals", "_provisional", "_sources", "_years")

    def __init__(
        self,
        years: Mapping[int, tuple[Iterable[date], Iterable[date]]],
        sources: Mapping[int, tuple[YearSource, ...]] | None = None,
    ):
        """`years` maps a year to (holidays, make-up working days) of that year; `sources`
        each year to the sources that offered it, the one used first."""
        self._off = {y: frozenset(off) for y, (off, _) in years.items()}
        self._on = {y: frozenset(on) for y, (_, on) in years.items()}
        self._years = tuple(sorted(years))
        given = sources or {}
        self._sources = {
            y: tuple(given.get(y, ())) or (YearSource("python", "WorkCalendar"),)
            for y in self._years
        }
        self._provisional = frozenset(y for y in self._years if self._sources[y][0].provisional)
        self._ordinals: list[int] | None = None  # made when days are first counted

    def _workday_ordinals(self) -> list[int]:
        """Every covered working day's ordinal, in order; made once (two threads racing
        make equal lists, and either is kept)."""
        ordinals = self._ordinals
        if ordinals is None:
            ordinals = []
            for year in self._years:
                ordinals += _year_workdays(year, self._off[year], self._on[year])
            self._ordinals = ordinals
        return ordinals

    @classmethod
    def official(cls) -> WorkCalendar:
        """The calendar of the `chinese_calendar` package alone (shared, built once)."""
        return _official()

    @classmethod
    def load(cls, path: str | Path | Mapping[str, Any] | CalendarFile | None) -> WorkCalendar:
        """The official calendar, with the years of a user calendar file replacing its own
        (`calendars.layered` adds the calendar directories too)."""
        if path is None:
            return cls.official()
        return cls.official().overlay(load_calendar_file(path))

    def overlay(
        self, calendar: CalendarFile, kind: str = "file", where: str | None = None
    ) -> WorkCalendar:
        """A new calendar where each year of `calendar` replaces this one's data; `kind`
        and `where` say where it came from (by default: the file it was read from)."""
        if where is None:
            found = source_of(calendar)
            where = found.name if found is not None else "<calendar>"
        years: dict[int, tuple[Iterable[date], Iterable[date]]] = {
            y: (self._off[y], self._on[y]) for y in self._years
        }
        sources = dict(self._sources)
        for year, lists in calendar.years.items():
            years[year] = (lists.holiday_dates, lists.workday_dates)
            offered = YearSource(kind, where, lists.provisional)
            sources[year] = (offered, *sources.get(year, ()))
        return WorkCalendar(years, sources)

    @property
    def covered_years(self) -> tuple[int, ...]:
        return self._years

    @property
    def provisional_years(self) -> frozenset[int]:
        return self._provisional

    def sources(self, year: int) -> tuple[YearSource, ...]:
        """The sources that offered `year`, the one used first; () when none did."""
        return self._sources.get(year, ())

    def last_covered_day(self, day: date) -> date:
        """The last day of the run of covered years from `day`'s year on."""
        year = day.year
        while year + 1 in self._off:
            year += 1
        return date(year, 12, 31)

    def _last_covered_or_none(self, day: date) -> date | None:
        return self.last_covered_day(day) if day.year in self._off else None

    def note(
        self, spans: Iterable[tuple[date, date]] = (), dates: Iterable[date] = ()
    ) -> CalendarNote:
        """What an answer must say: the provisional years among the days it counted over
        (`spans`, both ends included) and whether any of its dates (`dates`, and the spans'
        ends) lies within WARN_DAYS of the last covered day."""
        provisional: set[int] = set()
        seen: list[date] = list(dates)
        for first, last in spans:
            seen += (first, last)
            provisional.update(
                y for y in range(first.year, last.year + 1) if y in self._provisional
            )
        near, end = nearest_to_end(seen, self._last_covered_or_none)
        if end is None and provisional:
            end = self.last_covered_day(date(max(provisional), 1, 1))
        return CalendarNote(tuple(sorted(provisional)), near, end)

    def deadline(self, start: date | str, n: int) -> Deadline:
        """`add_working_days`, with the note its answer owes (see `note`)."""
        begin = as_date(start, "start")
        due = self.add_working_days(begin, n)
        return Deadline(begin, n, due, self.note([(begin, due)]))

    def _require(self, first: int, last: int | None = None) -> None:
        for year in range(first, (first if last is None else last) + 1):
            if year not in self._off:
                raise self._missing(year)

    def _missing(self, year: int) -> CalendarError:
        covered = _ranges(self._years)
        hint = Bilingual("", "")
        if FIRST_YEAR <= year <= LAST_YEAR:
            hint = Bilingual(
                f"；国务院公布放假安排前，可用 govrules calendar template {year} -o "
                f"{year}.yaml 生成临时日历",
                f"; until the State Council publishes its arrangement, govrules calendar "
                f"template {year} -o {year}.yaml makes a provisional one",
            )
        return CalendarError(
            Bilingual(
                zh=f"没有 {year} 年的节假日安排（已有数据的年份：{covered}），无法计算工作日；"
                f"请用 --calendar FILE 提供日历文件，在 years.{year} 下列出 holidays（放假的"
                "工作日）和 workdays（调休上班的周末），或放入日历目录（见 govrules calendar "
                f"status）{hint.zh}；格式见 govrules schema calendar",
                en=f"no holiday calendar for {year} (years covered: {covered}), so working days "
                f"cannot be counted; supply a calendar file with --calendar FILE listing, under "
                f"years.{year}, the holidays (weekdays off) and workdays (weekend make-up "
                "working days), or place it in a calendar directory (see govrules calendar "
                f"status){hint.en}; format: govrules schema calendar",
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
        ordinals = self._workday_ordinals()
        index = bisect_right(ordinals, start.toordinal()) + max(n, 1) - 1
        if index >= len(ordinals):
            year = start.year
            while year in self._off:
                year += 1
            raise self._missing(year)
        result = date.fromordinal(ordinals[index])
        self._require(start.year, result.year)  # no uncovered year skipped on the way
        return result

    def working_days_between(self, a: date | str, b: date | str) -> int:
        """The working days in (a, b]; negative, minus those in (b, a], when b is before a."""
        a, b = as_date(a, "from"), as_date(b, "to")
        self._require(min(a, b).year, max(a, b).year)
        ordinals = self._workday_ordinals()
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
    bundled = (YearSource("bundled", library()),)
    return WorkCalendar(years, dict.fromkeys(years, bundled))
