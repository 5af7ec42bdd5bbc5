"""Counting the valid orders of a procedure exactly, however many there are.

The orders are the linear extensions of the precedence. Counting them by enumerating
models is exponential in the count; this dynamic programme over the sets of steps
already done is exponential only in the width of the precedence, which procedures keep
small.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

__all__ = ["count_orders"]


def count_orders(steps: Sequence[str], before: Iterable[tuple[str, str]]) -> int:
    """How many sequences of all `steps` respect every (earlier, later) pair; 0 on a cycle."""
    index = {s: i for i, s in enumerate(steps)}
    preds = [0] * len(steps)
    for a, b in before:
        preds[index[b]] |= 1 << index[a]
    full = (1 << len(steps)) - 1

    @functools.cache
    def ways(done: int) -> int:
        if done == full:
            return 1
        total = 0
        for i in range(len(steps)):
            bit = 1 << i
            if not done & bit and preds[i] & done == preds[i]:
                total += ways(done | bit)
        return total

    return ways(0)
