"""Bounded solving: every call has a wall-clock limit and a model cap.

Grounding cannot be interrupted, so callers bound input sizes before they get here;
solving runs asynchronously and is cancelled at the deadline, which surfaces as a
`SolverLimitError` (exit status 3) rather than a hang.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from clingo import Control, Function, Symbol

from govrules.errors import Bilingual, SolverLimitError

__all__ = ["Answer", "solve"]


@dataclass
class Answer:
    atoms: list[Symbol]  # the shown atoms of the (unique) first model
    orders: list[list[Symbol]] = field(default_factory=list)  # at/2 atoms, one list per order
    orders_complete: bool = True  # False when the model cap cut the enumeration
    messages: list[str] = field(default_factory=list)
    satisfiable: bool = True  # False only when `allow_unsatisfiable` and there is no model
    optimal: bool = False  # an optimising solve proved its last model optimal
    cost: list[int] = field(default_factory=list)  # the last model's cost, by priority
    statistics: dict[str, int] = field(default_factory=dict)  # grounding size


def _limit(what: Bilingual, seconds: float) -> SolverLimitError:
    return SolverLimitError(
        Bilingual(
            f"求解超过时间上限 {seconds:g} 秒（{what.zh}）；可用 --timeout 放宽",
            f"solving exceeded the time limit of {seconds:g} s ({what.en}); "
            "raise it with --timeout",
        ),
        code="timeout",
    )


def _run(
    ctl: Control,
    timeout: float,
    models: list[list[Symbol]],
    what: Bilingual,
    costs: list[list[int]] | None = None,
) -> bool:
    """Collect models until the cap set in the control; True when the search finished."""

    def on_model(m: Any) -> None:
        models.append(list(m.symbols(shown=True)))
        if costs is not None:
            costs.append(list(m.cost))

    with ctl.solve(yield_=False, async_=True, on_model=on_model) as handle:
        if not handle.wait(timeout):
            handle.cancel()
            raise _limit(what, timeout)
        result = handle.get()
    return bool(result.exhausted)


def _left(deadline: float, timeout: float, what: Bilingual) -> float:
    """The time left before `deadline`; past it, the limit is reached."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _limit(what, timeout)
    return left


def solve(
    program: str,
    facts: Iterable[Symbol],
    *,
    interpretations: Sequence[str] = (),
    enumerate_orders: bool = False,
    order_cap: int = 0,
    timeout: float = 10.0,
    optimize: bool = False,
    allow_unsatisfiable: bool = False,
) -> Answer:
    """Ground `program` with `facts`, answer once; then, if asked, enumerate orders.

    With `optimize`, the program's `#minimize` statements are solved to optimality within
    the time limit and the last (optimal) model is the answer; with `allow_unsatisfiable`,
    no model is an answer (`satisfiable` False) rather than an error.
    """
    # One wall-clock budget for the whole question: grounding cannot be interrupted, but a
    # question whose grounding used up the budget stops there instead of solving on.
    deadline = time.monotonic() + timeout
    messages: list[str] = []
    mode = ["--opt-mode=opt", "--models=0", "--opt-strategy=usc"] if optimize else ["--models=1"]
    ctl = Control(
        [*mode, "--warn=none", "--stats"],
        logger=lambda _code, msg: messages.append(msg),
        message_limit=20,
    )
    ctl.add("base", [], program)
    with ctl.backend() as backend:
        for sym in facts:
            backend.add_rule([backend.add_atom(sym)])
        for name in interpretations:
            from clingo import String

            backend.add_rule([backend.add_atom(Function("interp", [String(name)]))])
    ctl.ground([("base", [])])
    first: list[list[Symbol]] = []
    costs: list[list[int]] = []
    what = (
        Bilingual("寻找最小调整", "optimising")
        if optimize
        else Bilingual("规则推导", "deriving the answer")
    )
    exhausted = _run(ctl, _left(deadline, timeout, what), first, what, costs)
    statistics = _grounding(ctl)
    if not first:
        if allow_unsatisfiable:
            return Answer([], messages=messages, satisfiable=False, statistics=statistics)
        raise SolverLimitError(
            Bilingual("规则程序无解：内核或规则有误", "the rule program has no answer"),
            code="unsatisfiable",
        )
    answer = Answer(
        first[-1],
        messages=messages,
        optimal=optimize and exhausted,
        cost=costs[-1] if costs else [],
        statistics=statistics,
    )
    if enumerate_orders:
        ctl.assign_external(Function("enumerate"), True)
        ctl.configuration.solve.models = str(order_cap)  # type: ignore[union-attr]
        orders: list[list[Symbol]] = []
        listing = Bilingual("列举审批顺序", "enumerating orders")
        complete = _run(ctl, _left(deadline, timeout, listing), orders, listing)
        answer.orders = [[s for s in m if s.name == "at"] for m in orders]
        answer.orders_complete = complete or len(orders) < order_cap or order_cap == 0
    return answer


def _grounding(ctl: Control) -> dict[str, int]:
    """The size of the ground program: atoms, rules and bodies, as clingo counts them."""
    try:
        lp = ctl.statistics["problem"]["lp"]
        return {
            "atoms": int(lp["atoms"]),
            "rules": int(lp["rules"]),
            "bodies": int(lp["bodies"]),
        }
    except (KeyError, RuntimeError, TypeError):
        return {}
