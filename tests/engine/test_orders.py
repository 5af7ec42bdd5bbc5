"""Order enumeration (ASP kernel) and order counting (DP) against brute force."""

from __future__ import annotations

import itertools
import math

import pytest
from clingo import Function, Number, String, Symbol
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.asp.facts import fact, symbol_to_python
from govrules.asp.solve import solve
from govrules.compiler import kernel_text
from govrules.errors import SolverLimitError
from govrules.orders import count_orders, first_orders


def _brute(n: int, pairs: set[tuple[int, int]]) -> int:
    return sum(
        all(p.index(a) < p.index(b) for a, b in pairs) for p in itertools.permutations(range(n))
    )


@st.composite
def dags(draw: st.DrawFn, most: int = 6) -> tuple[int, set[tuple[int, int]]]:
    n = draw(st.integers(1, most))
    edges = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=10))
    return n, {(a, b) for a, b in edges if a < b}  # a < b keeps it acyclic


def _kernel_orders(n: int, pairs: set[tuple[int, int]], cap: int) -> tuple[list[list[int]], bool]:
    def sid(i: int) -> Symbol:
        return Function("", [String("act"), String(f"p{i}")])

    facts = [fact("step", sid(i)) for i in range(n)] + [fact("enum_cap", Number(64))]
    facts += [fact("prec", sid(a), sid(b), String("r")) for a, b in pairs]
    answer = solve(kernel_text(), facts, enumerate_orders=True, order_cap=cap)
    orders = []
    for model in answer.orders:
        ranked = sorted(model, key=lambda s: s.arguments[1].number)
        orders.append([int(symbol_to_python(s.arguments[0])[1][1:]) for s in ranked])
    return orders, answer.orders_complete


@settings(max_examples=60, deadline=None)
@given(dags())
def test_kernel_enumerates_exactly_the_valid_orders(
    graph: tuple[int, set[tuple[int, int]]],
) -> None:
    n, pairs = graph
    orders, complete = _kernel_orders(n, pairs, cap=1000)
    expected = sorted(
        list(p)
        for p in itertools.permutations(range(n))
        if all(p.index(a) < p.index(b) for a, b in pairs)
    )
    assert complete
    assert sorted(orders) == expected


@settings(max_examples=300, deadline=None)
@given(dags())
def test_count_matches_brute_force(graph: tuple[int, set[tuple[int, int]]]) -> None:
    n, pairs = graph
    assert count_orders([str(i) for i in range(n)], {(str(a), str(b)) for a, b in pairs}) == _brute(
        n, pairs
    )


def test_cycle_has_no_order() -> None:
    assert count_orders(["a", "b"], {("a", "b"), ("b", "a")}) == 0


def test_cap_cuts_the_listing_but_not_the_count() -> None:
    orders, complete = _kernel_orders(5, set(), cap=7)
    assert len(orders) == 7 and not complete
    assert count_orders([str(i) for i in range(5)], set()) == 120


def test_count_is_exact_when_far_too_many_to_list() -> None:
    # 14 independent steps: 14! orders, counted without listing them.
    assert count_orders([str(i) for i in range(14)], set()) == 87178291200


def _plain_dp(n: int, pairs: set[tuple[int, int]]) -> int:
    """The textbook count over sets of steps done, without any decomposition."""
    import functools

    preds = [0] * n
    for a, b in pairs:
        preds[b] |= 1 << a

    @functools.cache
    def ways(done: int) -> int:
        if done == (1 << n) - 1:
            return 1
        return sum(
            ways(done | 1 << i)
            for i in range(n)
            if not done >> i & 1 and preds[i] & done == preds[i]
        )

    return ways(0)


@settings(max_examples=200, deadline=None)
@given(dags(most=11))
def test_decomposed_count_matches_the_plain_count(graph: tuple[int, set[tuple[int, int]]]) -> None:
    """Splitting into parallel parts and series cuts changes nothing (larger than brute force
    can check)."""
    n, pairs = graph
    assert count_orders([str(i) for i in range(n)], {(str(a), str(b)) for a, b in pairs}) == (
        _plain_dp(n, pairs)
    )


def test_dozens_of_parallel_steps_are_counted_at_once() -> None:
    """Regression: 22 assisting deputies' opinions side by side made the count run for
    minutes (2^22 sets), past every time limit; parallel parts are now a multinomial."""
    steps = ["first", *(f"opine{i}" for i in range(60)), "last"]
    pairs = {("first", f"opine{i}") for i in range(60)} | {("first", "last")}
    assert count_orders(steps, pairs) == math.factorial(61)


def test_a_count_that_cannot_decompose_stops_at_its_bound() -> None:
    """A zigzag a0<b0>a1<b1>... neither splits nor cuts: past `max_states`, exit 3."""
    n = 40
    steps = [f"a{i}" for i in range(n)] + [f"b{i}" for i in range(n)]
    pairs = {(f"a{i}", f"b{i}") for i in range(n)} | {(f"a{i + 1}", f"b{i}") for i in range(n - 1)}
    with pytest.raises(SolverLimitError) as caught:
        count_orders(steps, pairs, max_states=5_000)
    assert caught.value.exit_code == 3 and caught.value.code == "order_count_limit"
    with pytest.raises(SolverLimitError):
        count_orders(steps, pairs, timeout=0.0)


@settings(max_examples=200, deadline=None)
@given(dags(), st.integers(0, 30), st.permutations(list("abcdef")))
def test_listed_orders_are_the_lexicographically_first(
    dag: tuple[int, set[tuple[int, int]]], limit: int, names: list[str]
) -> None:
    """The first `limit` valid orders in lexicographic order of step ids, exactly: the
    canonical listing, whatever the names and however the solver would find them."""
    n, pairs = dag
    steps = [f"s:{names[i]}" for i in range(n)]
    before = [(steps[a], steps[b]) for a, b in pairs]
    valid = sorted(
        list(p)
        for p in itertools.permutations(steps)
        if all(p.index(a) < p.index(b) for a, b in before)
    )
    assert first_orders(steps, before, limit) == valid[:limit]


def test_a_cycle_has_no_order_and_ends_at_once() -> None:
    steps = [f"s{i:02d}" for i in range(30)]
    before = [(steps[i], steps[i + 1]) for i in range(29)] + [(steps[29], steps[0])]
    assert first_orders(steps, before, 100) == []


def test_the_route_lists_the_canonical_first_orders() -> None:
    """A cross-field document has many orders; --limit 3 lists the first three of them all."""
    import govrules

    policy = govrules.load_policy()
    doc = {
        "document": {
            "id": "x",
            "kind": "incoming",
            "fields": ["教育", "财政", "城建"],
            "needs_instruction": True,
        }
    }
    every = policy.route(doc, limit=100_000)
    assert every.order_count == len(every.orders) > 3
    assert every.orders == sorted(every.orders)
    assert policy.route(doc, limit=3).orders == every.orders[:3]
