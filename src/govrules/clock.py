"""One wall clock per question: reading the inputs, grounding, solving and counting share it.

A question (`Policy.check`, `suggest_leave`, ...) opens a `question(timeout)`; everything
done inside it, including parsing its input files and nested questions (a repair checks the
plan before and after), spends the same budget, and a limit reached names the limit the
user set, not the time that happened to be left.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from govrules.errors import Bilingual, InputError, SolverLimitError

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_TIMEOUT",
    "MIN_TIMEOUT",
    "check",
    "check_timeout",
    "limit_reached",
    "question",
    "remaining",
    "user_limit",
]

# A question's time limit when none is given (the API's and the CLI's --timeout).
DEFAULT_TIMEOUT = 10.0
MIN_TIMEOUT = 0.01
MAX_TIMEOUT = 3600.0


@dataclass(frozen=True)
class _Budget:
    deadline: float  # time.monotonic()
    limit: float  # what the user set, for messages


_CURRENT: ContextVar[_Budget | None] = ContextVar("govrules_question", default=None)


def check_timeout(timeout: object, name: str = "timeout") -> float:
    """`timeout` as seconds, or an `InputError` naming the accepted range: not a number,
    NaN, infinite, zero or negative, or above an hour are refused."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        shown = type(timeout).__name__
        raise InputError(
            Bilingual(
                f"{name} 应为秒数（{MIN_TIMEOUT:g} 到 {MAX_TIMEOUT:g}），实际为 {shown}",
                f"{name} must be a number of seconds ({MIN_TIMEOUT:g} to {MAX_TIMEOUT:g}), "
                f"got {shown}",
            ),
            code="bad_timeout",
        )
    value = float(timeout)
    if math.isnan(value) or not MIN_TIMEOUT <= value <= MAX_TIMEOUT:
        raise InputError(
            Bilingual(
                f"{name} 须在 {MIN_TIMEOUT:g} 到 {MAX_TIMEOUT:g} 秒之间，实际为 {value:g}",
                f"{name} must be from {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g} seconds, got {value:g}",
            ),
            code="bad_timeout",
        )
    return value


@contextmanager
def question(timeout: float) -> Iterator[float]:
    """The budget of one question; inside another question, the outer one's budget."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer.limit
        return
    seconds = check_timeout(timeout)
    token = _CURRENT.set(_Budget(time.monotonic() + seconds, seconds))
    try:
        yield seconds
    finally:
        _CURRENT.reset(token)


def remaining(timeout: float) -> float:
    """Seconds left of the current question, or `timeout` outside any question."""
    budget = _CURRENT.get()
    if budget is None:
        return timeout
    return budget.deadline - time.monotonic()


def user_limit(timeout: float) -> float:
    """The limit the user set for the current question (for messages)."""
    budget = _CURRENT.get()
    return timeout if budget is None else budget.limit


def limit_reached(what: Bilingual, seconds: float) -> SolverLimitError:
    return SolverLimitError(
        Bilingual(
            f"超过时间上限 {seconds:g} 秒（{what.zh}）；可用 --timeout 放宽",
            f"exceeded the time limit of {seconds:g} s ({what.en}); raise it with --timeout",
        ),
        code="timeout",
    )


def check(what: Bilingual) -> None:
    """Raise the time limit when the current question's deadline has passed."""
    budget = _CURRENT.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise limit_reached(what, budget.limit)


def too_big(size: int, limit: int, units_per_second: float, timeout: float) -> Bilingual | None:
    """Why a program of `size` (in a question's own units, measured at `units_per_second`)
    may not be ground: above `limit`, or longer to prepare than the time left (grounding
    cannot be interrupted, so this is decided before it starts); None when it fits."""
    seconds = size / units_per_second
    left = remaining(timeout)
    if size <= limit and seconds <= left:
        return None
    if size > limit:
        return Bilingual(f"超过上限 {limit}", f"above the limit of {limit}")
    total = user_limit(timeout)
    return Bilingual(
        f"准备至少约需 {seconds:.1f} 秒，多于时间上限 {total:g} 秒所剩的 {max(left, 0):.1f} 秒",
        f"preparing it takes about {seconds:.1f} s or more, more than the "
        f"{max(left, 0):.1f} s left of the time limit of {total:g} s",
    )
