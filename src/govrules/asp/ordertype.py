"""A check's facts up to the order of its dates: checks that differ only in when things
happened, not in what order, share one answer.

The kernel judges a trace's days and minutes only by comparing them (which entry came
first, whether an entry fell after its working-day deadline, before the in-force date,
inside an absence) and by joining equal values; the one exception, hours deadlines
(`due_hours`), subtracts minutes, and a program that has it is never abstracted. So every
day and every minute the facts carry is replaced by its rank among the question's days (or
minutes), coded far above any real day number; the facts of two checks with the same steps
and the same order of dates are then identical, and so is the answer, whose codes map back
to each check's own days and minutes. Which arguments are days and minutes is fixed here,
per input predicate; a fact of any other predicate must not carry a date.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from clingo import Function, Symbol

from govrules.asp.facts import PlainAtom, PlainFact, symbol_of

__all__ = [
    "DATE_ARGUMENTS",
    "KNOWN_PREDICATES",
    "OrderType",
    "abstract",
    "below_codes",
    "coded_atoms",
]

# predicate -> (positions of days, positions of minutes of the day)
DATE_ARGUMENTS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "event_at": ((1,), (2,)),
    "doc_received": ((0,), (1,)),
    "doc_time": ((1,), (2,)),
    "workday_after": ((0, 2), ()),
    "in_force_from": ((0,), ()),
}
# Every input predicate a check may have (the organisation's facts, the document's and the
# question's): the dated ones above and these, which carry no date. A question with any other
# predicate is not abstracted, so a new input that carries a date cannot slip through unranked
# and be compared with the codes.
KNOWN_PREDICATES = frozenset(DATE_ARGUMENTS) | {
    "person", "has_role", "has_field", "reports_to", "backup", "in_unit", "unit",
    "doc_kind", "doc_name", "doc_field", "doc_flag", "doc_value", "doc_drafter",
    "consultation", "rejected", "explained", "explicit_opinion", "event", "event_for",
    "mode", "enum_cap",
}  # fmt: skip
# Codes of ranks: clingo numbers are 32-bit; day numbers are about 740,000, minutes < 1,440.
_DAY_CODE = 1_000_000_000
_MINUTE_CODE = 1_500_000_000


_NUMBER = re.compile(r"(?<![A-Za-z0-9_])[0-9]+")


def below_codes(program: str) -> bool:
    """Whether every number written in `program` is below the codes: a shown number of the
    program's own (an article, a count of days) must never be taken for a code when an
    answer is mapped back. Conservative: a number inside a string counts too."""
    return all(int(n) < _DAY_CODE for n in _NUMBER.findall(program))


@dataclass(frozen=True)
class OrderType:
    """The abstracted facts (the key to share an answer by) and the values their codes
    stand for."""

    facts: tuple[PlainFact, ...]
    days: tuple[int, ...]
    minutes: tuple[int, ...]

    @property
    def key(self) -> Hashable:
        return frozenset(self.facts)

    def symbols(self) -> list[Symbol]:
        """The abstracted facts as symbols: what an order type not seen before is solved
        with."""
        return [Function(name, [symbol_of(v) for v in values]) for name, values in self.facts]

    def restore(
        self, atoms: Sequence[PlainAtom], coded: Iterable[int] | None = None
    ) -> list[PlainAtom]:
        """The answer's atoms (in plain Python, `facts.plain_atoms`) with every code back to
        this question's own day or minute; `coded`, when known (`coded_atoms`), are the
        positions of the atoms that have a code, and only those are looked into. Only codes
        are this big: every other number of a check (positions, day counts, the program's
        own numbers, `below_codes`) is small."""
        value = self._value
        if coded is None:
            return [(name, tuple(value(a) for a in args)) for name, args in atoms]
        out = list(atoms)
        for i in coded:
            name, args = atoms[i]
            out[i] = (name, tuple(value(a) for a in args))
        return out

    def _value(self, value: Any) -> Any:
        if type(value) is int:
            if value >= _MINUTE_CODE:
                return self.minutes[value - _MINUTE_CODE]
            if value >= _DAY_CODE:
                return self.days[value - _DAY_CODE]
            return value
        if type(value) is tuple:
            return tuple(self._value(v) for v in value)
        return value


def coded_atoms(atoms: Sequence[PlainAtom]) -> tuple[int, ...]:
    """The positions of the atoms of an abstracted answer that have a code somewhere."""

    def has_code(value: Any) -> bool:
        if type(value) is int:
            return value >= _DAY_CODE
        return type(value) is tuple and any(has_code(v) for v in value)

    return tuple(i for i, (_, args) in enumerate(atoms) if any(has_code(a) for a in args))


def abstract(facts: Sequence[PlainFact]) -> OrderType | None:
    """`facts` (in plain Python, `facts.PlainFact`) up to the order of their dates; None
    when a value cannot be coded (a non-number where a date belongs, or a number already in
    the codes' range)."""
    days: set[int] = set()
    minutes: set[int] = set()
    for name, values in facts:
        spots = DATE_ARGUMENTS.get(name)
        if spots is None:
            continue
        for positions, seen in ((spots[0], days), (spots[1], minutes)):
            for p in positions:
                value = values[p]
                if type(value) is not int or not 0 <= value < _DAY_CODE:
                    return None
                seen.add(value)
    day_list, minute_list = sorted(days), sorted(minutes)
    day_rank = {d: _DAY_CODE + i for i, d in enumerate(day_list)}
    minute_rank = {m: _MINUTE_CODE + i for i, m in enumerate(minute_list)}
    out: list[PlainFact] = []
    for name, values in facts:
        spots = DATE_ARGUMENTS.get(name)
        if spots is None:
            out.append((name, values))
            continue
        coded = list(values)
        for p in spots[0]:
            coded[p] = day_rank[values[p]]  # type: ignore[index]
        for p in spots[1]:
            coded[p] = minute_rank[values[p]]  # type: ignore[index]
        out.append((name, tuple(coded)))
    return OrderType(tuple(out), tuple(day_list), tuple(minute_list))
