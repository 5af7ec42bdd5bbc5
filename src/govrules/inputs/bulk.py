"""A big plan's absences read as columns: an audit's way past per-object validation.

A year of 20,000 people has 200,000 absences. Validated one by one into models, each cost
about 6 µs here (pydantic builds an object, its dict and its set of fields, and calls back
into Python twice for the dates), most of an audit's time. This reader checks the absences
column by column instead, each distinct name, kind and date once, by the same rules the
models apply (`models.Absence` and `Report`, `checks.check_plan`, `checks.units_by_name`,
`vocabulary.conform_plan`), and keeps them as columns (`AbsenceTable`). The rest of the
plan (period, meetings, matters) is small and still goes through the models.

It only ever accepts. Whatever it is not sure of (a key it does not expect, a value that
is not exactly text or a date, a name the models would trim, an unknown person or kind, a
date out of order, more values than the budget) makes it decline, and the models read the
whole plan instead: every message is theirs, word for word. `tests/inputs/test_bulk.py`
holds an accepted plan's facts equal to the models' on generated plans, and every plan the
models refuse to a decline here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import itemgetter, lt
from typing import Any

from govrules.errors import InputError
from govrules.inputs.checks import unit_renaming
from govrules.inputs.loaders import load_plan
from govrules.inputs.models import Matter, Meeting, Organisation, Period, Plan
from govrules.inputs.plain import MAX_VALUES, plain
from govrules.inputs.scalars import MAX_NAME, NAME_PATTERN
from govrules.inputs.source import Source
from govrules.inputs.types import parse_date
from govrules.inputs.vocabulary import Vocabulary

__all__ = [
    "AbsenceTable",
    "CheckedPlan",
    "TabledPlan",
    "absence_days",
    "absentees",
    "tabled_plan",
]

_ABSENCE_KEYS = frozenset({"who", "kind", "from", "to", "reported"})
_REPORT_KEYS = {"to": None, "on": None}.keys()  # exactly these two: both are required
_REQUIRED = ("who", "kind", "from", "to")
_REPORT = itemgetter("to", "on")
_NAME = re.compile(NAME_PATTERN).fullmatch
_SURROGATE = re.compile("[\ud800-\udfff]").search  # pydantic: "invalid Unicode"
_DATE_TYPES = frozenset({str, date})

Reports = tuple[tuple[str, date], ...]


@dataclass(frozen=True, eq=False)
class AbsenceTable:
    """A plan's absences as columns, in the plan's order (an absence's index is its
    position, as in the models): whose, which kind (the vocabulary's identifier), first and
    last day, and for each its reports (whom, as the kernel names them, and when)."""

    who: tuple[str, ...]
    kind: tuple[str, ...]
    first: tuple[date, ...]
    last: tuple[date, ...]
    reported: tuple[Reports, ...]

    def __len__(self) -> int:
        return len(self.who)


@dataclass(frozen=True, eq=False)
class TabledPlan:
    """A checked plan whose absences are columns; its period, meetings and matters are the
    models' (`rest`, a plan without absences)."""

    rest: Plan
    absences: AbsenceTable

    @property
    def period(self) -> Period | None:
        return self.rest.period

    @property
    def meetings(self) -> tuple[Meeting, ...]:
        return self.rest.meetings

    @property
    def matters(self) -> tuple[Matter, ...]:
        return self.rest.matters


# A plan as a check of absences reads it: the models', or a big one's columns.
CheckedPlan = Plan | TabledPlan


def _is_name(value: object) -> bool:
    """Text a `Name` field takes unchanged: not trimmed (the models would trim it: declined,
    whichever trimming), within the length, and without control characters."""
    return (
        type(value) is str
        and 0 < len(value) <= MAX_NAME
        and value.strip() == value
        and _NAME(value) is not None
        and _SURROGATE(value) is None
    )


def _dates(values: list[Any]) -> dict[Any, date] | None:
    """Each distinct value of `values` read as the models read a `LocalDate`, or None if
    one is not a date (looked at by type first: a list as a date is not even hashable)."""
    if not set(map(type, values)) <= _DATE_TYPES:
        return None
    read: dict[Any, date] = {}
    for value in set(values):
        try:
            read[value] = parse_date(value)
        except (ValueError, TypeError, OverflowError):  # pydantic's error is a ValueError
            return None
    return read


def _values(items: list[dict[str, Any]], reports: int) -> int:
    """The values `plain` counts in the absences: the list, each mapping and each of its
    values (a list of reports as one), and each report with its two values."""
    return 1 + len(items) + sum(map(len, items)) + 3 * reports


_NO_REPORTS: list[Any] = []  # what an absence without the key `reported` has (never changed)


def _reports(
    items: list[dict[str, Any]], names: frozenset[str], org: Organisation
) -> tuple[tuple[Reports, ...], int] | None:
    """Each absence's reports, checked as `Report` and `check_plan` check them and named
    as `units_by_name` names them; and how many there are. None to decline."""
    lists = [item.get("reported", _NO_REPORTS) for item in items]
    if any(type(r) is not list for r in lists):  # an explicit null too: the models refuse it
        return None
    flat = [report for r in lists if r for report in r]
    if any(type(r) is not dict or r.keys() != _REPORT_KEYS for r in flat):
        return None
    if not set(map(type, chain.from_iterable(flat))) <= {str}:  # a str subclass as a key
        return None
    pairs = list(map(_REPORT, flat))
    tos = [to for to, _ in pairs]
    if not set(map(type, tos)) <= {str}:
        return None
    targets = set(tos)
    if not all(map(_is_name, targets)):
        return None
    if any(to not in names and org.unit_id(to) is None for to in targets):
        return None
    renaming = unit_renaming(org)
    shown = {to: to if (unit := renaming(to)) is None else unit for to in targets}
    days = _dates([on for _, on in pairs])
    if days is None:
        return None
    read = [(shown[to], days[on]) for to, on in pairs]
    none: Reports = ()
    out: list[Reports] = []
    at = 0
    for r in lists:  # `read` in the order of `lists`: each list's reports are the next ones
        if r:
            out.append(tuple(read[at : at + len(r)]))
            at += len(r)
        else:
            out.append(none)
    return tuple(out), len(flat)


def _table(
    items: list[Any], org: Organisation, vocabulary: Vocabulary
) -> tuple[AbsenceTable, int] | None:
    """The absences as columns, and the values they count; None to decline."""
    if set(map(type, items)) != {dict}:
        return None
    if not _ABSENCE_KEYS.issuperset(set().union(*items)):
        return None
    # Keys exactly text: `plain` writes a str subclass's key as its str(), which the
    # models may not know (an Enum member's is 'K.who').
    if not set(map(type, chain.from_iterable(items))) <= {str}:
        return None
    try:  # a column at a time: four maps cost a fifth of one map and a transpose
        who, kind, first, last = (tuple(map(itemgetter(key), items)) for key in _REQUIRED)
    except KeyError:
        return None
    if not set(map(type, who)) | set(map(type, kind)) <= {str}:
        return None
    names = frozenset(p.name for p in org.people)
    people = set(who)
    if not (all(map(_is_name, people)) and people <= names):
        return None
    kinds: dict[str, str] = {}
    for word in set(kind):
        found = vocabulary.find("absence", word) if _is_name(word) else None
        if found is None:
            return None
        kinds[word] = found.ident
    days = _dates([*first, *last])
    if days is None:
        return None
    first_days = tuple(map(days.__getitem__, first))
    last_days = tuple(map(days.__getitem__, last))
    if any(map(lt, last_days, first_days)):
        return None
    reports = _reports(items, names, org)
    if reports is None:
        return None
    reported, count = reports
    table = AbsenceTable(
        who=who,
        kind=tuple(map(kinds.__getitem__, kind)),
        first=first_days,
        last=last_days,
        reported=reported,
    )
    return table, _values(items, count)


def tabled_plan(
    value: Source | Mapping[str, Any],
    org: Organisation,
    vocabulary: Vocabulary,
    at_least: int,
) -> TabledPlan | None:
    """`value` (plain data, or a source already read) as a checked plan with its absences
    as columns, or None: fewer than `at_least` absences (`policy_core.BULK_FROM`), or
    anything this reader is not sure of. Then `load_plan` reads it, and words any problem."""
    data = value.data if isinstance(value, Source) else value
    name = value.name if isinstance(value, Source) else "<plan>"
    if type(data) is not dict or not all(type(key) is str for key in data):
        return None
    items = data.get("absences")
    if type(items) is not list or len(items) < at_least:
        return None
    found = _table(items, org, vocabulary)
    if found is None:
        return None
    table, values = found
    rest = {k: v for k, v in data.items() if k != "absences"}
    try:
        if not isinstance(value, Source):  # a source was read within the budget already
            rest = plain(rest, name, [MAX_VALUES - values])
        model = load_plan(Source(name, rest), org, vocabulary)
    except InputError:
        return None  # the models read the whole plan again, and say what is wrong
    return TabledPlan(rest=model, absences=table)


def absence_days(plan: CheckedPlan) -> Iterator[tuple[date, date]]:
    """Each absence's first and last day, in the plan's order, from either form."""
    absences = plan.absences
    if isinstance(absences, AbsenceTable):
        return zip(absences.first, absences.last, strict=True)
    return ((a.from_, a.to) for a in absences)


def absentees(plan: CheckedPlan) -> Iterator[str]:
    """Who each absence is of, in the plan's order, from either form."""
    absences = plan.absences
    if isinstance(absences, AbsenceTable):
        return iter(absences.who)
    return (a.who for a in absences)
