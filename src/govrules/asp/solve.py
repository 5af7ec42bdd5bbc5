"""Bounded solving: every call has a wall-clock limit and a model cap.

Grounding cannot be interrupted, so callers bound input sizes before they get here;
solving runs asynchronously and is cancelled at the deadline, which surfaces as a
`SolverLimitError` (exit status 3) rather than a hang.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from clingo import Control, Function, Symbol

from govrules.errors import Bilingual, SolverLimitError

__all__ = ["Answer", "solve"]


@dataclass
class Answer:
    atoms: list[Symbol]  # the shown atoms of the (unique) first model
    orders: list[list[Symbol]] = field(default_factory=list)  # at/2 atoms, one list per order
    orders_complete: bool = True  # False when the model cap cut the enumeration
    messages: list[str] = field(default_factory=list)


def _limit(what: Bilingual, seconds: float) -> SolverLimitError:
    return SolverLimitError(
        Bilingual(
            f"求解超过时间上限 {seconds:g} 秒（{what.zh}）；可用 --timeout 放宽",
            f"solving exceeded the time limit of {seconds:g} s ({what.en}); "
            "raise it with --timeout",
        ),
        code="timeout",
    )


def _run(ctl: Control, timeout: float, models: list[list[Symbol]], what: Bilingual) -> bool:
    """Collect models until the cap set in the control; True when the search finished."""
    with ctl.solve(
        yield_=False,
        async_=True,
        on_model=lambda m: models.append(list(m.symbols(shown=True))),
    ) as handle:
        if not handle.wait(timeout):
            handle.cancel()
            raise _limit(what, timeout)
        result = handle.get()
    return bool(result.exhausted)


def solve(
    program: str,
    facts: Iterable[Symbol],
    *,
    interpretations: Sequence[str] = (),
    enumerate_orders: bool = False,
    order_cap: int = 0,
    timeout: float = 10.0,
) -> Answer:
    """Ground `program` with `facts`, answer once; then, if asked, enumerate orders."""
    messages: list[str] = []
    ctl = Control(
        ["--models=1", "--warn=none"],
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
    _run(ctl, timeout, first, Bilingual("规则推导", "deriving the answer"))
    if not first:
        raise SolverLimitError(
            Bilingual("规则程序无解：内核或规则有误", "the rule program has no answer"),
            code="unsatisfiable",
        )
    answer = Answer(first[0], messages=messages)
    if enumerate_orders:
        ctl.assign_external(Function("enumerate"), True)
        ctl.configuration.solve.models = str(order_cap)  # type: ignore[union-attr]
        orders: list[list[Symbol]] = []
        complete = _run(ctl, timeout, orders, Bilingual("列举审批顺序", "enumerating orders"))
        answer.orders = [[s for s in m if s.name == "at"] for m in orders]
        answer.orders_complete = complete or len(orders) < order_cap or order_cap == 0
    return answer
