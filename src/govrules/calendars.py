"""Where the working-day calendar's years come from, and which source wins a year.

Four sources, highest precedence first: the file given with `--calendar` (or to the API),
the user's calendar directory named by the environment variable GOVRULES_CALENDAR_DIR,
the policy directory's `calendars/`, and the data bundled with the `chinesecalendar`
package. A directory holds one file per year, named after it (`2027.yaml`). A year offered
by several sources is taken whole from the highest one: an office's own arrangement
overrides the policy's, and both override the library's.

The result is an immutable `WorkCalendar` that remembers every candidate of every year, so
that `govrules calendar status` can say which one won and why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from govrules.errors import Bilingual, InputError, Location
from govrules.inputs import load_calendar_file, source_of
from govrules.inputs.calendar_file import calendar_problems
from govrules.inputs.models import CalendarFile
from govrules.inputs.source import Source, read_source
from govrules.inputs.validate import validate
from govrules.workdays import SOURCE_KINDS, WorkCalendar, YearSource, library

__all__ = ["ENV_DIR", "POLICY_SUBDIR", "check_file", "layered", "status", "user_directory"]

ENV_DIR = "GOVRULES_CALENDAR_DIR"
POLICY_SUBDIR = "calendars"
_FILE_NAME = re.compile(r"^(\d{4})\.(yaml|yml|json)$")


def _directory_files(folder: Path) -> list[tuple[int, Path]]:
    """The files named after a year in `folder`, by year (other files are not read)."""
    found = []
    try:
        for path in folder.iterdir():
            match = _FILE_NAME.match(path.name)
            if match and path.is_file():
                found.append((int(match.group(1)), path))
    except OSError as exc:
        raise InputError(
            Bilingual(
                f"无法读取日历目录（{exc.strerror}）",
                f"cannot read the calendar directory ({exc.strerror})",
            ),
            Location(str(folder)),
            "input.unreadable",
        ) from None
    years = [year for year, _ in found]
    for year in {y for y in years if years.count(y) > 1}:
        names = ", ".join(sorted(p.name for y, p in found if y == year))
        raise InputError(
            Bilingual(
                f"日历目录中 {year} 年有多个文件（{names}）；每年只能有一个",
                f"the calendar directory has several files for {year} ({names}); keep one",
            ),
            Location(str(folder)),
            "calendar.duplicate_file",
        )
    return sorted(found)


def _one_year(calendar: CalendarFile, year: int, path: Path) -> None:
    """A directory's file holds the year it is named after, and only that."""
    source = source_of(calendar) or Source(str(path), {})
    problems = _year_problems(calendar, year, source)
    if problems:
        raise problems[0]


def _year_problems(calendar: CalendarFile, year: int, source: Source) -> list[InputError]:
    found = []
    for other in calendar.years:
        if other != year:
            found.append(
                source.error(
                    ("years", other),
                    Bilingual(
                        f"文件名表示 {year} 年，却列出了 {other} 年；日历目录中每年一个文件，"
                        f"以年份命名（{other} 年请放到 {other}.yaml）",
                        f"the file is named for {year} but lists {other}; a calendar directory "
                        f"holds one file per year, named after it ({other} goes in {other}.yaml)",
                    ),
                    "calendar.wrong_year",
                )
            )
    if year not in calendar.years:
        found.append(
            source.error(
                ("years",),
                Bilingual(
                    f"文件名表示 {year} 年，但 years 下没有 {year}",
                    f"the file is named for {year}, but years has no {year}",
                ),
                "calendar.wrong_year",
            )
        )
    return found


def check_file(path: str | Path) -> tuple[CalendarFile | None, list[InputError]]:
    """A calendar file and every problem in it, in file order (`govrules calendar check`):
    the first of a file that cannot be read as a calendar, else all those of its dates; a
    file named after a year (as in a calendar directory) must hold that year alone."""
    try:
        source = read_source(path, "<calendar>")
        calendar = validate(source, CalendarFile)
    except InputError as err:
        return None, [err]
    errors = calendar_problems(calendar, source).errors("input.calendar")
    match = _FILE_NAME.match(Path(path).name)
    if match:
        errors = _year_problems(calendar, int(match.group(1)), source) + errors
    return calendar, errors


def _add_directory(calendar: WorkCalendar, folder: Path, kind: str) -> WorkCalendar:
    for year, path in _directory_files(folder):
        loaded = load_calendar_file(path)
        _one_year(loaded, year, path)
        calendar = calendar.overlay(loaded, kind, str(path))
    return calendar


def user_directory(environ: Mapping[str, str] | None = None) -> Path | None:
    """The directory GOVRULES_CALENDAR_DIR names; an error when it names no directory (a
    setting that silently did nothing would leave an office on the wrong calendar)."""
    value = (os.environ if environ is None else environ).get(ENV_DIR, "")
    if not value:
        return None
    folder = Path(value)
    if not folder.is_dir():
        raise InputError(
            Bilingual(
                f"环境变量 {ENV_DIR} 指向的目录不存在",
                f"the environment variable {ENV_DIR} names no directory",
            ),
            Location(value),
            "calendar.no_directory",
        )
    return folder


def layered(
    policy_dir: Path | None = None,
    calendar_file: str | Path | Mapping[str, Any] | CalendarFile | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> WorkCalendar:
    """The calendar from every source, each year from the highest source offering it."""
    calendar = WorkCalendar.official()
    if policy_dir is not None and (policy_dir / POLICY_SUBDIR).is_dir():
        calendar = _add_directory(calendar, policy_dir / POLICY_SUBDIR, "policy")
    user = user_directory(environ)
    if user is not None:
        calendar = _add_directory(calendar, user, "user")
    if calendar_file is not None:
        calendar = calendar.overlay(load_calendar_file(calendar_file), "file")
    return calendar


_KIND_NAMES = {
    "file": Bilingual("--calendar 文件", "the --calendar file"),
    "user": Bilingual(f"用户日历目录（{ENV_DIR}）", f"the user calendar directory ({ENV_DIR})"),
    "policy": Bilingual(f"策略目录的 {POLICY_SUBDIR}/", f"the policy directory's {POLICY_SUBDIR}/"),
    "bundled": Bilingual("内置数据", "the built-in data"),
    "python": Bilingual("程序给出的日历", "a calendar given in Python"),
}


def _reason(candidates: tuple[YearSource, ...]) -> Bilingual:
    """Why the first candidate won, and a hint when it hides an official arrangement."""
    winner, *others = candidates
    name = _KIND_NAMES[winner.kind]
    if not others:
        reason = Bilingual(f"唯一来源：{name.zh}", f"the only source: {name.en}")
    else:
        beaten = [_KIND_NAMES[o.kind] for o in others]
        reason = Bilingual(
            f"{name.zh}优先于" + "、".join(b.zh for b in beaten),
            f"{name.en} takes precedence over " + ", ".join(b.en for b in beaten),
        )
    official = next((o for o in others if not o.provisional), None)
    if winner.provisional and official is not None:
        hidden = _KIND_NAMES[official.kind]
        reason = Bilingual(
            f"{reason.zh}；但{hidden.zh}（{official.where}）已有正式安排，请删除临时文件 "
            f"{winner.where}",
            f"{reason.en}; but {hidden.en} ({official.where}) has the official arrangement: "
            f"remove the provisional file {winner.where}",
        )
    return reason


def status(calendar: WorkCalendar, lang: str = "zh") -> dict[str, Any]:
    """Each covered year: its source, official or provisional, every candidate and why the
    winner won; with the precedence and the library's version (`govrules calendar`)."""
    years = []
    for year in calendar.covered_years:
        candidates = calendar.sources(year)
        winner = candidates[0]
        years.append(
            {
                "year": year,
                "status": "provisional" if winner.provisional else "official",
                "source": winner.to_json(),
                "candidates": [c.to_json() for c in candidates],
                "reason": _reason(candidates)(lang),
            }
        )
    last = calendar.covered_years[-1] if calendar.covered_years else None
    return {
        "years": years,
        "provisional_years": sorted(calendar.provisional_years),
        "last_covered_day": f"{last}-12-31" if last is not None else None,
        "precedence": [k for k in SOURCE_KINDS if k != "python"],
        "library": library(),
    }
