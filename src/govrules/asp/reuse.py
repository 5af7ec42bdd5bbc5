"""One grounding per question shape, reused: the inputs that vary are externals per call.

A question's shape is everything about it but the values of a few input predicates (a
route's `doc_field/2`, say). Its program slice is ground once with the shape's fixed facts
and, for the varying predicates, `#external` atoms over a finite domain (the fields the
organisation knows, the positions the shape has); each call switches on exactly the
document's atoms, leaves every other one false, and solves. An external assigned false is
an absent fact, so the answer equals a fresh grounding's; a document whose values fall
outside the domain does not fit the shape and the caller grounds afresh.

A clingo `Control` answers one call at a time: each grounding has its own lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from clingo import Control, Function, Number, String, Symbol
from clingo.ast import AST

from govrules.asp.facts import PlainAtom
from govrules.asp.ordertype import coded_atoms
from govrules.asp.shared import add_statements
from govrules.asp.solve import Answer, run_bounded
from govrules.errors import Bilingual
from govrules.lru import LRU as BaseLRU

__all__ = ["LRU", "Grounding", "KeptAnswer", "KeptPlanAnswer", "field_domain"]

# The varying predicate of a route and the domain predicates its externals range over:
# fixed program text, the values enter as symbols (never as text).
_EXTERNALS = "#external doc_field(F, I) : reuse_field(F), reuse_index(I)."


def field_domain(fields: Iterable[str], positions: int) -> list[Symbol]:
    """The domain facts of the `doc_field/2` externals."""
    return [
        *(Function("reuse_field", [String(f)]) for f in sorted(set(fields))),
        *(Function("reuse_index", [Number(i)]) for i in range(positions)),
    ]


class Grounding:
    """A program slice ground once, answered for many documents of one shape."""

    def __init__(self, statements: Sequence[AST], facts: Iterable[Symbol]) -> None:
        self._lock = threading.Lock()
        self.ctl = Control(["--models=1", "--warn=none"], message_limit=0)
        add_statements(self.ctl, statements)
        self.ctl.add("base", [], _EXTERNALS)
        with self.ctl.backend() as backend:
            add_atom, add_rule = backend.add_atom, backend.add_rule
            for sym in facts:
                add_rule([add_atom(sym)])
        self.ctl.ground([("base", [])])
        # Each external's program literal, looked up once: assigning by symbol costs clingo
        # a lookup, and every call into clingo releases the GIL, which threads sharing a
        # policy then contend for.
        self._literals = {
            a.symbol: a.literal
            for a in self.ctl.symbolic_atoms.by_signature("doc_field", 2)
            if a.is_external
        }
        self._true: frozenset[Symbol] = frozenset()  # the externals now true (all start false)
        self.broken = False

    def fits(self, on: Iterable[Symbol]) -> bool:
        """Whether every atom of the document is one of this grounding's externals."""
        return all(sym in self._literals for sym in on)

    def answer(self, on: Iterable[Symbol], timeout: float) -> list[Symbol] | None:
        """The shown atoms of the first model with exactly `on` among the externals true;
        None when there is no model (the caller asks afresh, for the proper error) or the
        grounding broke while this call waited."""
        wanted = frozenset(on)
        models: list[list[Symbol]] = []
        with self._lock:
            if self.broken:
                # Broken while this call waited for the lock (its externals may be half
                # assigned): the caller grounds afresh.
                return None
            try:
                # An external keeps its value between solves: only those whose value
                # changes since the last call are assigned. A bool, not TruthValue:
                # TruthValue.False_ left the atoms true here.
                for sym in self._true ^ wanted:
                    self.ctl.assign_external(self._literals[sym], sym in wanted)
                self._true = wanted
                run_bounded(self.ctl, timeout, models, Bilingual("求解", "solving"))
            except BaseException:
                self.broken = True  # interrupted mid-search: never reused
                raise
        return models[0] if models else None


@dataclass(frozen=True)
class KeptAnswer:
    """The shown atoms of a question's answer, kept for questions of the same order type
    (`asp.ordertype`); never broken, unlike a grounding interrupted mid-search."""

    atoms: tuple[PlainAtom, ...]
    coded: tuple[int, ...] = ()  # the atoms that have a code (`ordertype.coded_atoms`)
    broken: bool = False

    @classmethod
    def of(cls, atoms: Iterable[PlainAtom]) -> KeptAnswer:
        kept = tuple(atoms)
        return cls(kept, coded_atoms(kept))


@dataclass
class KeptPlanAnswer:
    """The answer of a plan question, kept for the same plan asked again about the same
    organisation on the same calendar (working days are counted on it); marked broken when
    the policy's calendar has changed since."""

    answer: Answer
    calendar: object
    broken: bool = False


class _Kept(Protocol):
    @property
    def broken(self) -> bool: ...


K = TypeVar("K", bound=_Kept)


class LRU(BaseLRU[K]):
    """The groundings (or answers) kept per organisation: one marked broken is dropped
    when met."""

    def _stale(self, value: K) -> bool:
        return value.broken
