"""Counting the valid orders of a procedure exactly, however many there are, in bounded time.

The orders are the linear extensions of the precedence. Counting them by enumerating
models is exponential in the count. The precedence is first split where it decomposes:
steps in separate connected parts interleave freely (a multinomial), and a set of steps
that all precede the rest multiplies with it. What does not decompose is counted by a
dynamic programme over the sets of steps already done, exponential in the width of that
part; it stops with a `SolverLimitError` (exit status 3) past `max_states` sets or the
deadline, rather than run for hours on a document with dozens of parallel opinions.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence

from govrules.errors import Bilingual, SolverLimitError

__all__ = ["MAX_COUNT_STATES", "count_orders", "first_orders", "step_id"]

MAX_COUNT_STATES = 2_000_000


def step_id(action: str, actor: str) -> str:
    """A step is one action by one actor; its id reads as `action:actor`."""
    return f"{action}:{actor}"


def _limit() -> SolverLimitError:
    return SolverLimitError(
        Bilingual(
            "审批顺序过多，无法在上限内精确计数（流程中并列的步骤过多）",
            "too many approval orders to count exactly within the limit "
            "(too many steps side by side in the procedure)",
        ),
        code="order_count_limit",
    )


class _Counter:
    def __init__(self, n: int, preds: list[int], max_states: int, deadline: float) -> None:
        self.preds = preds  # bit masks of direct predecessors
        self.succs = [0] * n
        for b, mask in enumerate(preds):
            for a in range(n):
                if mask >> a & 1:
                    self.succs[a] |= 1 << b
        self.states = 0
        self.max_states = max_states
        self.deadline = deadline

    def _tick(self) -> None:
        self.states += 1
        if self.states > self.max_states or (
            self.states % 4096 == 0 and time.monotonic() > self.deadline
        ):
            raise _limit()

    def _components(self, nodes: int) -> list[int]:
        parts = []
        left = nodes
        while left:
            start = left & -left
            part, frontier = start, start
            while frontier:
                bit = frontier & -frontier
                frontier ^= bit
                i = bit.bit_length() - 1
                near = (self.preds[i] | self.succs[i]) & nodes & ~part
                part |= near
                frontier |= near
            parts.append(part)
            left &= ~part
        return parts

    def _topological(self, nodes: int) -> list[int] | None:
        order, done = [], 0
        while done != nodes:
            ready = [i for i in _bits(nodes & ~done) if self.preds[i] & nodes & ~done == 0]
            if not ready:
                return None  # a cycle
            order += ready
            for i in ready:
                done |= 1 << i
        return order

    def count(self, nodes: int) -> int:
        """Linear extensions of the steps in the bit set `nodes`."""
        self._tick()
        size = nodes.bit_count()
        if size <= 1:
            return 1
        parts = self._components(nodes)
        if len(parts) > 1:
            total, placed = 1, 0
            for part in parts:
                k = part.bit_count()
                placed += k
                total *= math.comb(placed, k) * self.count(part)
            return total
        order = self._topological(nodes)
        if order is None:
            return 0
        # A series cut: a prefix whose every step precedes every step after it.
        below = self._below(nodes)
        prefix = 0
        for i in order[:-1]:
            prefix |= 1 << i
            rest = nodes & ~prefix
            if all(below[j] & rest == rest for j in _bits(prefix)):
                return self.count(prefix) * self.count(rest)
        return self._dp(nodes)

    def _below(self, nodes: int) -> dict[int, int]:
        """For each step, the steps of `nodes` that come after it (transitively)."""
        after: dict[int, int] = {}
        order = self._topological(nodes) or []
        for i in reversed(order):
            mask = 0
            for j in _bits(self.succs[i] & nodes):
                mask |= (1 << j) | after.get(j, 0)
            after[i] = mask
        return after

    def _dp(self, nodes: int) -> int:
        memo: dict[int, int] = {nodes: 1}
        preds = self.preds

        def ways(done: int) -> int:
            found = memo.get(done)
            if found is not None:
                return found
            self._tick()
            total = 0
            for i in _bits(nodes & ~done):
                if preds[i] & nodes & ~done == 0:
                    total += ways(done | 1 << i)
            memo[done] = total
            return total

        return ways(0)


def _bits(mask: int) -> Iterable[int]:
    while mask:
        bit = mask & -mask
        yield bit.bit_length() - 1
        mask ^= bit


def count_orders(
    steps: Sequence[str],
    before: Iterable[tuple[str, str]],
    *,
    max_states: int = MAX_COUNT_STATES,
    timeout: float | None = None,
) -> int:
    """How many sequences of all `steps` respect every (earlier, later) pair; 0 on a cycle.

    Raises `SolverLimitError` when counting would take more than `max_states` sets of steps
    or `timeout` seconds. Counts are kept (bounded): documents of one kind repeat their
    steps and precedence, and a count found once needs no time limit again."""
    pairs = frozenset(before)
    key = (tuple(steps), pairs)
    found = _COUNTED.get(key) if max_states == MAX_COUNT_STATES else None
    if found is not None:
        return found
    index = {s: i for i, s in enumerate(steps)}
    preds = [0] * len(steps)
    for a, b in pairs:
        if a == b:
            return 0
        preds[index[b]] |= 1 << index[a]
    deadline = time.monotonic() + timeout if timeout is not None else math.inf
    counter = _Counter(len(steps), preds, max_states, deadline)
    total = counter.count((1 << len(steps)) - 1)
    if max_states == MAX_COUNT_STATES:
        if len(_COUNTED) >= _COUNTED_MAX:
            _COUNTED.clear()  # one thread may clear while another adds: both stay correct
        _COUNTED[key] = total
    return total


# (steps, precedence) -> the count of orders, for the default bound only.
_COUNTED: dict[tuple[tuple[str, ...], frozenset[tuple[str, str]]], int] = {}
_COUNTED_MAX = 4096


def first_orders(
    steps: Sequence[str],
    before: Iterable[tuple[str, str]],
    limit: int,
    *,
    timeout: float | None = None,
) -> list[list[str]]:
    """The first `limit` sequences of all `steps` respecting every (earlier, later) pair, in
    lexicographic order of step ids: the canonical order every run and version lists.

    A depth-first walk that always tries the smallest step whose predecessors are done:
    every partial sequence that respects the pairs extends to a whole one, so the walk never
    backtracks from a dead end and yields the sequences in lexicographic order, each in
    O(steps²). Raises `SolverLimitError` past `timeout` seconds; [] on a cycle."""
    ordered = sorted(steps)
    index = {s: i for i, s in enumerate(ordered)}
    preds = [0] * len(ordered)
    for a, b in before:
        if a == b:
            return []
        preds[index[b]] |= 1 << index[a]
    if limit <= 0 or not ordered:
        return []
    deadline = time.monotonic() + timeout if timeout is not None else math.inf
    full = (1 << len(ordered)) - 1
    out: list[list[str]] = []
    sequence: list[int] = []

    def walk(done: int) -> bool:
        """Extend `sequence`; False once `limit` orders are found."""
        if done == full:
            out.append([ordered[i] for i in sequence])
            return len(out) < limit
        if time.monotonic() > deadline:
            raise SolverLimitError(
                Bilingual("列举审批顺序超过时间上限", "listing the approval orders took too long"),
                code="order_list_limit",
            )
        for i in range(len(ordered)):
            bit = 1 << i
            if not done & bit and preds[i] & done == preds[i]:
                sequence.append(i)
                going = walk(done | bit)
                sequence.pop()
                if not going:
                    return False
        return True

    if not _acyclic(preds):
        return []
    walk(0)
    return out


def _acyclic(preds: Sequence[int]) -> bool:
    """Whether the steps can be done at all: no step waits, through others, on itself."""
    done, left = 0, set(range(len(preds)))
    while left:
        ready = [i for i in left if preds[i] & done == preds[i]]
        if not ready:
            return False
        for i in ready:
            done |= 1 << i
        left.difference_update(ready)
    return True


def depths(ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Each step's longest chain of predecessors: the order a person reads the steps in,
    and a route picture's columns. Settles in at most len(ids) rounds on an acyclic
    relation; on a cycle it stops there."""
    depth = dict.fromkeys(ids, 0)
    edges = list(pairs)
    for _ in range(len(depth)):
        changed = False
        for a, b in edges:
            if a in depth and b in depth and depth[b] < depth[a] + 1 <= len(depth):
                depth[b] = depth[a] + 1
                changed = True
        if not changed:
            break
    return depth
