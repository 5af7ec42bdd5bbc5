"""One grounding, many questions: assumptions decide what each solve asks.

Analysis asks hundreds of yes/no questions of one bounded space of scenarios ("can this
rule ever fire?"); grounding once and solving under assumptions keeps that cheap. Every
solve has a wall-clock limit (a timer interrupts it), like every other solve here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from clingo import Control, Function, Number, String, Symbol

from govrules import clock
from govrules.errors import Bilingual, SolverLimitError

__all__ = ["Grounded", "atom", "symbol_of"]


def atom(name: str, *args: Symbol) -> Symbol:
    return Function(name, list(args))


def symbol_of(name: str, key: str | int | tuple[str | int, ...]) -> Symbol:
    """The atom `name(key…)` for a key of plain strings and integers."""
    parts = key if isinstance(key, tuple) else (key,)
    return Function(name, [Number(p) if isinstance(p, int) else String(p) for p in parts])


class Grounded:
    """A program ground once with its facts, asked many questions under assumptions."""

    def __init__(self, program: str, facts: Iterable[Symbol], *, timeout: float) -> None:
        self.timeout = timeout
        # Choices lean true: a scenario with more people, entries and absences makes more
        # rules fire at once, so fewer solves settle every question.
        self.ctl = Control(["--models=1", "--warn=none", "--sign-def=pos"], message_limit=0)
        self.ctl.add("base", [], program)
        with self.ctl.backend() as backend:
            for sym in facts:
                backend.add_rule([backend.add_atom(sym)])
        self.ctl.ground([("base", [])])

    def free(self, externals: Iterable[Symbol]) -> None:
        """Let assumptions decide these externals (an assigned external is a fixed fact)."""
        for sym in externals:
            if self.ctl.symbolic_atoms[sym] is not None:
                self.ctl.assign_external(sym, None)

    def atoms(self, name: str, arity: int) -> list[Symbol]:
        """The ground atoms of a signature: what could hold in some scenario."""
        return sorted(a.symbol for a in self.ctl.symbolic_atoms.by_signature(name, arity))

    def size(self) -> dict[str, int]:
        """Grounding size, for bounding the space analysed."""
        stats = self.ctl.statistics
        program = stats.get("problem", {}).get("lp", {}) if isinstance(stats, dict) else {}
        return {"atoms": int(program.get("atoms", 0)), "rules": int(program.get("rules", 0))}

    def ask(self, true: Sequence[Symbol] = (), false: Sequence[Symbol] = ()) -> list[Symbol] | None:
        """A scenario where `true` hold and `false` do not (its shown atoms), or None."""
        assumptions = [(s, True) for s in true] + [(s, False) for s in false]
        model: list[Symbol] = []
        # Inside a question (the whole analysis), what is left of its clock.
        limit = clock.user_limit(self.timeout)
        left = clock.remaining(self.timeout)
        if left <= 0:
            raise self._limit(limit)
        timer = threading.Timer(left, self.ctl.interrupt)
        timer.start()
        try:
            result = self.ctl.solve(
                assumptions=assumptions,
                on_model=lambda m: model.extend(m.symbols(shown=True)),
            )
        finally:
            timer.cancel()
        if result.interrupted:
            raise self._limit(limit)
        return model if result.satisfiable else None

    @staticmethod
    def _limit(seconds: float) -> SolverLimitError:
        return SolverLimitError(
            Bilingual(
                f"分析超过时间上限 {seconds:g} 秒；可用 --timeout 放宽或缩小范围",
                f"analysis exceeded the time limit of {seconds:g} s; raise --timeout "
                "or narrow the bounds",
            ),
            code="timeout",
        )
