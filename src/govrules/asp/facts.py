"""Validated inputs → clingo symbols.

User text (names, fields, ids) enters the solver only as `clingo.String` values built
here, never as program text and never as a function name, so a name such as
`x). #include "/etc/passwd". y(` stays a name. Dates become day numbers (proleptic
ordinals) and times minutes of the day, so the kernel compares them as integers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import chain, count
from typing import TYPE_CHECKING, Any, Protocol

from clingo import Function, Number, String, Symbol, SymbolType

from govrules.errors import Bilingual, InputError
from govrules.inputs.scalars import time_order

if TYPE_CHECKING:  # annotations only: a kit's route (`quickroute`) never loads the models
    from govrules.inputs import Organisation, Plan
    from govrules.inputs.bulk import AbsenceTable, CheckedPlan

    # What a document's facts read of their inputs: the models' `DocumentFile`, or the
    # plain records of a kit's route (`quickroute`); both give the same facts. For the
    # type checker only: making protocol classes costs a one-shot start time.
    class EventLike(Protocol):
        """What a document's facts read of a trace entry (`inputs.models.TraceEvent`)."""

        @property
        def actor(self) -> str: ...
        @property
        def action(self) -> str: ...
        @property
        def at(self) -> datetime: ...
        @property
        def opinion(self) -> str | None: ...
        @property
        def acting_for(self) -> str | None: ...

    class ConsultationLike(Protocol):
        @property
        def unit(self) -> str: ...
        @property
        def adopted(self) -> bool: ...
        @property
        def explained(self) -> bool: ...

    class HeaderLike(Protocol):
        """What a document's facts read of its header (`inputs.models.Document`)."""

        @property
        def kind(self) -> str: ...
        @property
        def in_name_of(self) -> str | None: ...
        @property
        def fields(self) -> tuple[str, ...]: ...
        @property
        def flags(self) -> tuple[str, ...]: ...
        @property
        def values(self) -> tuple[tuple[str, str], ...]: ...
        @property
        def received(self) -> datetime | None: ...
        @property
        def drafter(self) -> str | None: ...
        @property
        def consultations(self) -> Sequence[ConsultationLike]: ...

    class DocumentLike(Protocol):
        """A validated document file: the models' `DocumentFile`, or the plain records a kit's
        route reads (`quickroute`); both give the same facts."""

        @property
        def document(self) -> HeaderLike: ...
        @property
        def trace(self) -> Sequence[EventLike]: ...

    class UnitsLike(Protocol):
        @property
        def units(self) -> Mapping[str, str]: ...


__all__ = [
    "constant",
    "day_number",
    "document_facts",
    "fact",
    "from_day_number",
    "number",
    "org_facts",
    "org_rows",
    "plan_facts",
    "plan_rows",
    "plan_tables",
    "rows_by_predicate",
    "symbol_to_python",
    "symbols_of",
    "text",
    "trace_order",
]


def fact(name: str, *args: Symbol) -> Symbol:
    """A fact over a predicate of the kernel's fixed vocabulary."""
    return Function(name, list(args))


def text(value: str) -> Symbol:
    """User text as a string symbol. clingo keeps C strings, so NUL would cut the text short:
    refuse it here even though input validation already does."""
    if "\0" in value:
        raise InputError(
            Bilingual("文本中含有 NUL 字符", "text contains a NUL character"), code="nul"
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            Bilingual("文本不是有效的 Unicode（含孤立代理项）", "text is not valid Unicode"),
            code="bad_unicode",
        ) from None
    return String(value)


def number(n: int) -> Symbol:
    return Number(n)


def step_symbol(action: str, actor: str) -> Symbol:
    """A step as the kernel names it: the pair (Action, Actor)."""
    return Function("", [text(action), text(actor)])


def constant(name: str) -> Symbol:
    """A kernel constant such as `route`; never built from user text."""
    return Function(name, [])


def day_number(day: date) -> int:
    return day.toordinal()


def from_day_number(n: int) -> date:
    return date.fromordinal(n)


def _minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def org_facts(org: Organisation) -> Iterator[Symbol]:
    return symbols_of(org_rows(org))


def org_rows(org: Organisation) -> Iterator[PlainFact]:
    """The organisation's facts as plain values (`org_facts` are their symbols)."""
    for person in org.people:
        name = person.name
        yield "person", (name,)
        for role in person.roles:
            yield "has_role", (name, role)
        for field in person.fields:
            yield "has_field", (name, field)
        for superior in person.reports_to or ():
            yield "reports_to", (name, superior)
        for partner in person.backup:
            yield "backup", (name, partner)
        for unit in person.units:
            yield "in_unit", (name, org.units.get(unit, unit))
    for unit_id, display in org.units.items():
        yield "unit", (unit_id, display)


def rows_by_predicate(facts: Iterable[PlainFact]) -> dict[tuple[str, int], list[PlainRow]]:
    """Plain facts grouped by predicate and arity: a table's rows each (`asp.columnar`)."""
    grouped: dict[tuple[str, int], list[PlainRow]] = {}
    for name, values in facts:
        grouped.setdefault((name, len(values)), []).append(values)
    return grouped


def symbols_of(rows: Iterable[PlainFact]) -> Iterator[Symbol]:
    """Plain facts as symbols; the texts and numbers an input repeats (names, kinds, days)
    are built once each: building a symbol is a call into clingo, a look-up is not."""
    texts: dict[str, Symbol] = {}
    numbers: dict[int, Symbol] = {}
    for name, values in rows:
        args: list[Symbol] = []
        for value in values:
            found: Symbol | None
            if isinstance(value, Name):
                found = constant(value)
            elif isinstance(value, str):
                found = texts.get(value)
                if found is None:
                    found = texts[value] = text(value)
            else:
                found = numbers.get(value)
                if found is None:
                    found = numbers[value] = Number(value)
            args.append(found)
        yield Function(name, args)


def unit_display_names(org: UnitsLike) -> dict[str, str]:
    """Trace actors may name a unit by its id or its display name: both mean the display name."""
    return {**{d: d for d in org.units.values()}, **dict(org.units)}


FactArgs = tuple[str, list[Symbol]]

# A document's time limit as inputs.vocabulary.time_limit_text writes it.
_LIMIT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")


def document_facts(
    doc: DocumentLike, org: UnitsLike, read_marks: frozenset[str] = frozenset()
) -> Iterator[Symbol]:
    for name, args in document_fact_args(doc, org, read_marks):
        yield Function(name, args)


def document_fact_args(
    doc: DocumentLike, org: UnitsLike, read_marks: frozenset[str] = frozenset()
) -> list[FactArgs]:
    """A document's facts as (predicate, arguments): what `document_facts` makes symbols of.
    Kept apart so that a batch can see each fact's predicate, and give it the document's
    number, without asking the solver library about every symbol."""
    return fact_args(document_fact_values(doc, org, read_marks))


def document_fact_values(
    doc: DocumentLike, org: UnitsLike, read_marks: frozenset[str] = frozenset()
) -> list[PlainFact]:
    """A document's facts in plain Python (`fact_args` makes them arguments): what a check's
    order type is computed from without a call into the solver library per value."""
    d = doc.document
    units = unit_display_names(org)
    out: list[PlainFact] = [("doc_kind", (d.kind,))]
    if d.in_name_of is not None:
        out.append(("doc_name", (d.in_name_of,)))
    for index, field in enumerate(d.fields):
        out.append(("doc_field", (field, index)))
    for flag in d.flags:
        out.append(("doc_flag", (flag,)))
    for condition, value in d.values:
        out.append(("doc_value", (condition, units.get(value, value))))
        moment = _LIMIT.fullmatch(value)
        if moment:  # a time limit, as conform_document writes it (the kernel reads it by trait)
            at = datetime.fromisoformat(value)
            out.append(("doc_time", (condition, day_number(at.date()), _minute(at))))
    if d.received is not None:
        out.append(("doc_received", (day_number(d.received.date()), _minute(d.received))))
    if d.drafter is not None:
        out.append(("doc_drafter", (units.get(d.drafter, d.drafter),)))
    for index, consulted in enumerate(d.consultations):
        out.append(("consultation", (index, consulted.unit)))
        if not consulted.adopted:
            out.append(("rejected", (index,)))
        if consulted.explained:
            out.append(("explained", (index,)))
    trace = doc.trace
    for index, position in enumerate(trace_order(doc)):
        event = trace[position]
        if is_explicit_opinion(event.opinion, read_marks):
            out.append(("explicit_opinion", (index,)))
        actor = units.get(event.actor, event.actor)
        out.append(("event", (index, actor, event.action)))
        if event.acting_for is not None:
            out.append(("event_for", (index, event.acting_for)))
        out.append(("event_at", (index, day_number(event.at.date()), _minute(event.at))))
    return out


class Name(str):
    """A kernel constant among plain fact values (a plain `str` is a string symbol)."""

    __slots__ = ()


# A fact in plain Python: its predicate and its arguments, each a string, a whole number or
# a kernel constant (`Name`).
PlainRow = tuple[str | int, ...]
PlainFact = tuple[str, PlainRow]


def symbol_of(value: str | int) -> Symbol:
    """A plain fact value as a symbol (texts and numbers interned)."""
    if isinstance(value, Name):
        return constant(value)
    if isinstance(value, str):
        return _cached_text(value)
    return _cached_number(value)


def fact_args(facts: Iterable[PlainFact]) -> list[FactArgs]:
    """Plain facts as (predicate, symbols)."""
    return [(name, [symbol_of(v) for v in values]) for name, values in facts]


def plain_fact(sym: Symbol) -> PlainFact | None:
    """A fact symbol in plain Python; None when an argument is neither a string, a number
    nor a constant."""
    values: list[str | int] = []
    for arg in sym.arguments:
        kind = arg.type
        if kind == SymbolType.Number:
            values.append(arg.number)
        elif kind == SymbolType.String:
            values.append(arg.string)
        elif kind == SymbolType.Function and not arg.arguments and arg.positive and arg.name:
            values.append(Name(arg.name))
        else:
            return None
    return sym.name, tuple(values)


def trace_order(doc: DocumentLike) -> list[int]:
    """The kernel numbers trace entries in time order (`scalars.time_order`); findings
    translate those numbers back to the list positions the user wrote."""
    return time_order(doc.trace)


# Symbols are values: the texts and numbers documents repeat (names, actions, days) are
# built once. Bounded, and cleared when full.
_TEXTS: dict[str, Symbol] = {}
_NUMBERS: dict[int, Symbol] = {}
_INTERNED_MAX = 1 << 16


def _cached_text(value: str) -> Symbol:
    found = _TEXTS.get(value)
    if found is None:
        if len(_TEXTS) >= _INTERNED_MAX:
            _TEXTS.clear()
        found = _TEXTS[value] = text(value)
    return found


def _cached_number(value: int) -> Symbol:
    found = _NUMBERS.get(value)
    if found is None:
        if len(_NUMBERS) >= _INTERNED_MAX:
            _NUMBERS.clear()
        found = _NUMBERS[value] = Number(value)
    return found


_MARK_PUNCTUATION = " \t\r\n。.，,！!、；;：:"


def is_explicit_opinion(opinion: str | None, read_marks: frozenset[str]) -> bool:
    """An opinion that says something: not empty and not a bare read mark, one of the
    policy's `read_marks` (such as 已阅), surrounding punctuation ignored."""
    if opinion is None:
        return False
    core = opinion.strip(_MARK_PUNCTUATION)
    return bool(core) and core.lower() not in read_marks


def plan_facts(plan: CheckedPlan) -> Iterator[Symbol]:
    return symbols_of(plan_rows(plan))


def plan_rows(plan: CheckedPlan) -> Iterator[PlainFact]:
    """A plan's facts as plain values (`plan_facts` are their symbols), from its models or,
    for a big plan, its absences' columns (`inputs.bulk`): the same facts either way."""
    from govrules.inputs.bulk import TabledPlan  # a plan's models are loaded already

    if isinstance(plan, TabledPlan):
        yield from _table_rows(plan.absences)
        rest = plan.rest
    else:
        rest = plan
        for index, absence in enumerate(plan.absences):
            start, end = day_number(absence.from_), day_number(absence.to)
            yield "absence", (index, absence.who, absence.kind, start, end)
            for report in absence.reported:
                yield "report", (index, report.to, day_number(report.on))
    yield from _meeting_rows(rest)
    yield from _matter_rows(rest)


def plan_tables(plan: CheckedPlan) -> dict[tuple[str, int], list[PlainRow]]:
    """`plan_rows` grouped by predicate (`rows_by_predicate`, what `asp.columnar` loads);
    an absence table's built column by column, without a tuple per fact to group."""
    from govrules.inputs.bulk import TabledPlan

    if not isinstance(plan, TabledPlan):
        return rows_by_predicate(plan_rows(plan))
    grouped = rows_by_predicate(chain(_meeting_rows(plan.rest), _matter_rows(plan.rest)))
    table = plan.absences
    starts, ends = _numbered_days(table)
    indices = range(len(table.who))
    absences: list[PlainRow] = list(zip(indices, table.who, table.kind, starts, ends, strict=True))
    reports: list[PlainRow] = [
        (index, to, day_number(on))
        for index, reported in zip(indices, table.reported, strict=True)
        for to, on in reported
    ]
    for sig, rows in ((("absence", 5), absences), (("report", 3), reports)):
        if rows:
            grouped.setdefault(sig, []).extend(rows)
    return grouped


def _table_rows(table: AbsenceTable) -> Iterator[PlainFact]:
    """An absence table's facts, in the order `plan_rows` gives a model's."""
    starts, ends = _numbered_days(table)
    rows = zip(count(), table.who, table.kind, starts, ends)
    for row, reported in zip(rows, table.reported, strict=True):
        yield "absence", row
        for to, on in reported:
            yield "report", (row[0], to, day_number(on))


def _numbered_days(table: AbsenceTable) -> tuple[Iterator[int], Iterator[int]]:
    """Each absence's first and last day as day numbers: each distinct day numbered once."""
    days = {day: day_number(day) for day in {*table.first, *table.last}}
    return map(days.__getitem__, table.first), map(days.__getitem__, table.last)


def _month(day: date) -> int:
    return day.year * 100 + day.month


def _month_end(first: date) -> date:
    """The last day of the month that starts on `first` (not `calendar.monthrange`: the
    `calendar` module imports `locale`, 15 ms of a one-shot route's start)."""
    if first.month == 12:
        return first.replace(day=31)
    return first.replace(month=first.month + 1) - timedelta(days=1)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _meeting_rows(plan: Plan) -> Iterator[PlainFact]:
    """Meetings carry their month (YYYYMM) and week (its Monday's day number), so a month
    or a week is held or not without a join."""
    for i, meeting in enumerate(plan.meetings):
        on = day_number(meeting.on)
        yield "meeting", (i, meeting.kind, on, _month(meeting.on))
        yield "meeting_week", (i, day_number(_monday(meeting.on)))
        if meeting.meeting is not None:
            yield "meeting_of", (i, meeting.meeting)
        if meeting.called_by is not None:
            yield "meeting_called", (i, meeting.called_by)
        for name in meeting.attendees:
            yield "meeting_attendee", (i, name)
        for name in meeting.observers:
            yield "meeting_observer", (i, name)
    if plan.period is not None:
        # Counted in day numbers: the day after December 9999 is no `date`.
        since, until = day_number(plan.period.from_), day_number(plan.period.to)
        first = plan.period.from_.replace(day=1)
        while True:
            last = _month_end(first)
            if day_number(last) > until:
                break  # a month not over by the period's end cannot have been missed yet
            start = max(day_number(first), since)
            yield "period_month", (_month(first), start, day_number(last))
            if last == date.max:
                break
            first = last + timedelta(days=1)
        # Weeks (Monday to Sunday) wholly inside the period: a week cut by either end of it
        # cannot be judged on its meetings.
        monday = since - plan.period.from_.weekday()
        if monday < since:
            monday += 7
        while monday + 6 <= until:
            yield "period_week", (monday, monday, monday + 6)
            monday += 7


def _matter_rows(plan: Plan) -> Iterator[PlainFact]:
    for m, matter in enumerate(plan.matters):
        yield "matter", (m, matter.who, day_number(matter.on))
        if matter.important and matter.kind is not None:
            yield "matter_of", (m, matter.kind)
        if matter.director_needed:
            yield "matter_director_needed", (m,)
        if matter.concluded is False:
            yield "matter_pending", (m,)
        if matter.field is not None:
            yield "matter_field", (m, matter.field)
        if matter.responsible is not None:
            yield "matter_has", (m, "responsible")
        if matter.deadline is not None:
            yield "matter_has", (m, "deadline")
        for entry in matter.requested:
            yield "matter_request", (m, entry.to, day_number(entry.on))
        for entry in matter.reported:
            yield "matter_report", (m, entry.to, day_number(entry.on))


def strings(values: Iterable[str]) -> list[Symbol]:
    return [text(v) for v in values]


Value = str | int | tuple["Value", ...]


_CONVERTED: dict[Symbol, Any] = {}
_CONVERTED_MAX = 1 << 16


def symbol_to_python(sym: Symbol) -> Any:
    """A solver answer back to plain Python: strings, integers, tuples, constant names.
    Symbols are values, so answers seen before are looked up rather than converted again."""
    found = _CONVERTED.get(sym)
    if found is None:
        found = _convert(sym)
        if len(_CONVERTED) >= _CONVERTED_MAX:
            _CONVERTED.clear()
        _CONVERTED[sym] = found
    return found


# A shown atom in plain Python: its predicate and its arguments (`symbol_to_python`).
PlainAtom = tuple[str, tuple[Any, ...]]


def plain_atoms(atoms: Iterable[Any]) -> list[PlainAtom]:
    """Shown atoms (symbols, or anything with a `name` and `arguments`) in plain Python:
    what answers are read from, and kept in (reading a symbol is a library call each)."""
    return [(a.name, tuple(symbol_to_python(x) for x in a.arguments)) for a in atoms]


def _convert(sym: Symbol) -> Any:
    from clingo import SymbolType

    if sym.type == SymbolType.String:
        return str(sym.string)
    if sym.type == SymbolType.Number:
        return int(sym.number)
    if sym.type == SymbolType.Function:
        name, arguments = sym.name, sym.arguments
        if name == "" or not arguments:
            if name == "":
                return tuple(_convert(a) for a in arguments)
            return str(name)
        return (str(name), *(_convert(a) for a in arguments))
    return str(sym)
