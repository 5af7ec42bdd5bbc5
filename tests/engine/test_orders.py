"""Order enumeration (ASP kernel) and order counting (DP) against brute force."""

from __future__ import annotations

import itertools

from clingo import Function, String, Symbol
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.asp.facts import fact, symbol_to_python
from govrules.asp.solve import solve
from govrules.compiler import kernel_text
from govrules.orders import count_orders


def _brute(n: int, pairs: set[tuple[int, int]]) -> int:
    return sum(
        all(p.index(a) < p.index(b) for a, b in pairs) for p in itertools.permutations(range(n))
    )


@st.composite
def dags(draw: st.DrawFn) -> tuple[int, set[tuple[int, int]]]:
    n = draw(st.integers(1, 6))
    edges = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=10))
    return n, {(a, b) for a, b in edges if a < b}  # a < b keeps it acyclic


def _kernel_orders(n: int, pairs: set[tuple[int, int]], cap: int) -> tuple[list[list[int]], bool]:
    def sid(i: int) -> Symbol:
        return Function("", [String("act"), String(f"p{i}")])

    facts = [fact("step", sid(i)) for i in range(n)]
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
