"""Bounded solving: every call has a wall-clock limit and a model cap.

Grounding cannot be interrupted, so callers bound input sizes before they get here;
solving is interrupted at the deadline by one shared watchdog thread (cheaper than an
asynchronous solve, which starts a thread per call), which surfaces as a
`SolverLimitError` (exit status 3) rather than a hang.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from clingo import Control, Function, String, Symbol

from govrules import clock
from govrules.errors import Bilingual, SolverLimitError

if TYPE_CHECKING:  # a program given as text needs no slicing (`quickroute` imports none)
    from govrules.asp.slicing import Signature, Slicer

__all__ = ["Answer", "run_bounded", "solve", "watch_deadline"]


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
    # The shown atoms in plain Python (`facts.symbol_to_python`), when the answer came from
    # DuckDB (`asp.columnar`) rather than clingo; `atoms` is then empty.
    plain: list[tuple[str, tuple[Any, ...]]] | None = None


class Interruptible(Protocol):
    """What the watchdog can stop: a clingo control, a DuckDB connection (asp.columnar)."""

    def interrupt(self) -> None: ...


class _Watchdog:
    """One daemon thread that interrupts the solves whose deadline has passed."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._live: dict[int, Interruptible] = {}
        # Targets interrupted again and again past their deadline until released: DuckDB
        # forgets an interrupt that finds no statement running.
        self._again: dict[int, Interruptible] = {}
        self._expired: set[int] = set()
        self._count = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, ctl: Interruptible, seconds: float, *, repeat: bool = False) -> int:
        token = next(self._count)
        with self._lock:
            self._live[token] = ctl
            if repeat:
                self._again[token] = ctl
            heapq.heappush(self._heap, (time.monotonic() + seconds, token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="govrules-watchdog")
                self._thread.daemon = True
                self._thread.start()
            self._lock.notify()
        return token

    def release(self, token: int) -> bool:
        """Stop watching; True when the deadline had already passed."""
        with self._lock:
            self._again.pop(token, None)
            expired = token in self._expired
            self._expired.discard(token)
            return self._live.pop(token, None) is None or expired

    def _loop(self) -> None:
        with self._lock:
            while True:
                while self._heap and self._heap[0][1] not in self._live:
                    heapq.heappop(self._heap)  # finished in time
                if not self._heap:
                    self._lock.wait()
                    continue
                deadline, token = self._heap[0]
                now = time.monotonic()
                if deadline > now:
                    self._lock.wait(deadline - now)
                    continue
                heapq.heappop(self._heap)
                if token in self._again:
                    self._expired.add(token)
                    self._again[token].interrupt()
                    heapq.heappush(self._heap, (now + REPEAT_INTERRUPT, token))
                    continue
                ctl = self._live.pop(token)
                ctl.interrupt()


REPEAT_INTERRUPT = 0.05  # seconds between interrupts of a target that asked for them again
_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def watch_deadline(target: Interruptible, deadline: float) -> Iterator[None]:
    """Interrupt `target` if it is still working at `deadline` (time.monotonic), and again
    every REPEAT_INTERRUPT seconds until it is released: an interrupt that came between two
    statements would otherwise be lost, and the next statement run to its end."""
    token = _WATCHDOG.watch(target, deadline - time.monotonic(), repeat=True)
    try:
        yield
    finally:
        _WATCHDOG.release(token)


def _run(
    ctl: Control,
    timeout: float,
    models: list[list[Symbol]],
    what: Bilingual,
    costs: list[list[int]] | None = None,
    limit: float | None = None,
) -> bool:
    """Collect models until the cap set in the control; True when the search finished.
    `limit` is the user's limit (for the message), `timeout` what is left of it."""

    def on_model(m: Any) -> None:
        models.append(list(m.symbols(shown=True)))
        if costs is not None:
            costs.append(list(m.cost))

    token = _WATCHDOG.watch(ctl, timeout)
    try:
        result = ctl.solve(on_model=on_model)
    finally:
        expired = _WATCHDOG.release(token)
    if expired or result.interrupted:
        raise clock.limit_reached(what, timeout if limit is None else limit)
    return bool(result.exhausted)


def run_bounded(ctl: Control, timeout: float, models: list[list[Symbol]], what: Bilingual) -> bool:
    """Solve `ctl` as configured, collecting shown atoms, within `timeout` seconds (or what
    is left of the current question's)."""
    left = clock.remaining(timeout)
    if left <= 0:
        raise clock.limit_reached(what, clock.user_limit(timeout))
    return _run(ctl, left, models, what, limit=clock.user_limit(timeout))


_ENUMERATE = Function("enumerate")


def solve(
    program: str | Slicer,
    facts: Iterable[Symbol],
    *,
    interpretations: Sequence[str] = (),
    enumerate_orders: bool = False,
    order_cap: int = 0,
    timeout: float = 10.0,
    optimize: bool = False,
    allow_unsatisfiable: bool = False,
    exact: Sequence[Symbol] = (),
    present: Iterable[Signature] | None = None,
    goals: Iterable[Signature] | None = None,
    statistics: dict[str, float] | None = None,
) -> Answer:
    """Ground `program` with `facts`, answer once; then, if asked, enumerate orders.

    With `optimize`, the program's `#minimize` statements are solved to optimality within
    the time limit and the last (optimal) model is the answer; with `allow_unsatisfiable`,
    no model is an answer (`satisfiable` False) rather than an error.

    A `Slicer`'s program is cut to the rules the question can fire (see `asp.slicing`):
    `exact` are the facts over its exact predicates (`mode/1`, `doc_kind/1`, ...), also
    found among `facts`; `present` the input predicates that have facts, None if unknown;
    `goals` the only predicates the question reads (`SlicedProgram.program`; a program
    given as text is used whole, its own #show included).
    `statistics`, when given, receives the grounding's size (atoms, rules) and timings;
    reading clingo's statistics costs about as much as a small solve, so only then (and
    when optimising, where `Answer.statistics` reports it) are they read.
    """
    started = time.perf_counter()
    # Inside a question (see `clock`), what is left of its budget: reading the inputs
    # counted too. The message names the limit the user set.
    limit = clock.user_limit(timeout)
    budget = clock.remaining(timeout)
    if budget <= 0:
        raise clock.limit_reached(Bilingual("读取输入", "reading the inputs"), limit)
    messages: list[str] = []
    mode = ["--opt-mode=opt", "--models=0", "--opt-strategy=usc"] if optimize else ["--models=1"]
    ctl = Control(
        [*mode, "--warn=none"],
        logger=lambda _code, msg: messages.append(msg),
        message_limit=20,
    )
    switched = [Function("interp", [String(name)]) for name in interpretations]
    program_facts: Sequence[Symbol] = ()
    if not isinstance(program, str):  # a Slicer
        keys = [*exact, *switched]
        if enumerate_orders:
            keys.append(_ENUMERATE)
        sliced = program.program(keys, present, goals)
        if sliced.source:
            ctl.add("base", [], sliced.source)
        else:
            from govrules.asp.shared import add_statements

            add_statements(ctl, sliced.statements)
        program_facts = sliced.facts
    else:
        ctl.add("base", [], program)
    with ctl.backend() as backend:
        add_atom, add_rule = backend.add_atom, backend.add_rule
        for group in (program_facts, facts, switched):
            for sym in group:
                add_rule([add_atom(sym)])
    ctl.ground([("base", [])])
    grounded = time.perf_counter()
    # One wall-clock budget for the whole question: grounding cannot be interrupted, but a
    # question whose grounding used up the budget stops there instead of solving on.
    left = budget - (grounded - started)
    if left <= 0:
        raise clock.limit_reached(Bilingual("规则实例化", "grounding"), limit)
    models: list[list[Symbol]] = []
    try:
        answer = _answer(
            ctl,
            models,
            messages,
            enumerate_orders,
            order_cap,
            left,
            optimize,
            allow_unsatisfiable,
            limit,
        )
        if optimize:
            answer.statistics = _grounding(ctl)
        return answer
    finally:
        if statistics is not None:
            statistics.update(_grounding(ctl))
            statistics.update(
                ground_seconds=grounded - started,
                solve_seconds=time.perf_counter() - grounded,
            )


def _answer(
    ctl: Control,
    models: list[list[Symbol]],
    messages: list[str],
    enumerate_orders: bool,
    order_cap: int,
    timeout: float,
    optimize: bool,
    allow_unsatisfiable: bool,
    limit: float,
) -> Answer:
    if enumerate_orders and not optimize:
        # One search: every order is a model whose other atoms are the unique answer.
        ctl.assign_external(_ENUMERATE, True)
        ctl.configuration.solve.models = str(order_cap)  # type: ignore[union-attr]
        complete = _run(
            ctl, timeout, models, Bilingual("列举审批顺序", "enumerating orders"), limit=limit
        )
        if models:
            answer = Answer([s for s in models[0] if s.name != "at"], messages=messages)
            answer.orders = [[s for s in m if s.name == "at"] for m in models]
            answer.orders_complete = complete or len(models) < order_cap or order_cap == 0
            return answer
        # No valid order (a precedence cycle): answer without enumerating.
        ctl.assign_external(_ENUMERATE, False)
        ctl.configuration.solve.models = "1"  # type: ignore[union-attr]
    costs: list[list[int]] = []
    what = (
        Bilingual("寻找最小调整", "optimising")
        if optimize
        else Bilingual("规则推导", "deriving the answer")
    )
    exhausted = _run(ctl, timeout, models, what, costs, limit)
    if not models:
        if allow_unsatisfiable:
            return Answer([], messages=messages, satisfiable=False)
        raise SolverLimitError(
            Bilingual("规则程序无解：内核或规则有误", "the rule program has no answer"),
            code="unsatisfiable",
        )
    return Answer(
        models[-1],
        messages=messages,
        optimal=optimize and exhausted,
        cost=costs[-1] if costs else [],
    )


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
