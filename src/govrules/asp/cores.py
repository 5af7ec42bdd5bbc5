"""Why not: minimal sets of rules that rule a question out, from unsatisfiable cores.

Every rule of the policy can be *released* (`released(R)`, an external atom). The question
is solved assuming every rule holds; when that is unsatisfiable, clingo's core names
assumptions that cannot all hold together, and a deletion pass shrinks it to a minimal
set: with only those rules holding, the question is still ruled out, and without any one
of them it is not. The rules of a minimal set are then set aside and the question asked
again, so that independent reasons are each reported, until the rest admits an answer.
The program is ground once; each step is one bounded solve under new assumptions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from clingo import Control, Function, String, Symbol

from govrules.errors import Bilingual, SolverLimitError

__all__ = ["CoreAnswer", "minimal_cores"]

MAX_ROUNDS = 64


@dataclass
class CoreAnswer:
    cores: list[list[str]]  # each a minimal set of rule ids, in the order found
    witness: list[Symbol] | None = None  # a model once the remaining rules admit one
    unconditional: bool = False  # ruled out even with every rule released (kernel facts)
    atoms: dict[str, list[Symbol]] = field(default_factory=dict)  # shown atoms per core


def _released(rule: str) -> Symbol:
    return Function("released", [String(rule)])


class _Session:
    def __init__(self, ctl: Control, rules: Sequence[str], timeout: float) -> None:
        self.ctl = ctl
        self.rules = list(rules)
        self.timeout = timeout
        literals = {}
        for rule in self.rules:
            atom = ctl.symbolic_atoms[_released(rule)]
            if atom is not None:
                literals[atom.literal] = rule
                # An external keeps its assigned value (false by default) as a fact; freed,
                # it takes the value each solve's assumptions give it.
                ctl.assign_external(atom.symbol, None)
        self.by_literal = literals

    def ask(self, holding: set[str]) -> tuple[bool, list[str], list[Symbol]]:
        """Solve with `holding` rules held and the rest released: (satisfiable, core, model)."""
        assumptions = [(_released(r), r not in holding) for r in self.rules]
        core: list[int] = []
        model: list[Symbol] = []

        def on_model(m: object) -> None:
            model.extend(m.symbols(shown=True))  # type: ignore[attr-defined]

        # on_core is not reported by an asynchronous solve: solve in this thread and let a
        # timer interrupt it at the deadline.
        timer = threading.Timer(self.timeout, self.ctl.interrupt)
        timer.start()
        try:
            result = self.ctl.solve(assumptions=assumptions, on_core=core.extend, on_model=on_model)
        finally:
            timer.cancel()
        if result.interrupted:
            raise SolverLimitError(
                Bilingual(
                    f"求解超过时间上限 {self.timeout:g} 秒（查找不成立的原因）；"
                    "可用 --timeout 放宽",
                    f"solving exceeded the time limit of {self.timeout:g} s (finding why "
                    "not); raise it with --timeout",
                ),
                code="timeout",
            )
        named = sorted({self.by_literal[abs(lit)] for lit in core if abs(lit) in self.by_literal})
        return bool(result.satisfiable), named, model

    def shrink(self, core: list[str]) -> list[str]:
        """A minimal subset of `core` that still rules the question out on its own."""
        kept = list(core)
        for rule in list(core):
            trial = set(kept) - {rule}
            satisfiable, _, _ = self.ask(trial)
            if not satisfiable:
                kept.remove(rule)
        return kept


def minimal_cores(
    program: str,
    facts: Iterable[Symbol],
    rules: Sequence[str],
    *,
    externals: Sequence[Symbol] = (),
    hold: Iterable[str] | None = None,
    timeout: float = 10.0,
) -> CoreAnswer:
    """Independent minimal sets of `rules` that rule out the question `program` poses.

    `hold` limits the rules assumed to hold from the start (default: all of `rules`); the
    others are released throughout.
    """
    ctl = Control(["--models=1", "--warn=none"], message_limit=0)
    ctl.add("base", [], program)
    with ctl.backend() as backend:
        for sym in facts:
            backend.add_rule([backend.add_atom(sym)])
    ctl.ground([("base", [])])
    for sym in externals:
        ctl.assign_external(sym, True)
    session = _Session(ctl, sorted(set(rules)), timeout)
    answer = CoreAnswer(cores=[])
    holding = set(session.rules) if hold is None else set(hold) & set(session.rules)
    for _ in range(MAX_ROUNDS):
        satisfiable, core, model = session.ask(holding)
        core = [rule for rule in core if rule in holding]
        if satisfiable:
            answer.witness = model
            return answer
        if not core:
            answer.unconditional = True
            return answer
        minimal = session.shrink(core)
        answer.cores.append(minimal)
        holding -= set(minimal)
    return answer
