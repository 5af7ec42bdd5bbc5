"""`plain` counts a mapping's or list's scalars together, not one call each: the same
copy, and the same refusal at the same budget and depth, as counting one by one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.errors import InputError
from govrules.inputs import plain as plain_module
from govrules.inputs.plain import plain

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=3),
    st.dates(),
    st.floats(allow_nan=False),
)
_TREES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner, max_size=4)
    ),
    max_leaves=40,
)


def _one_by_one(node: Any, budget: list[int], depth: int, max_depth: int) -> Any:
    """The walk as it was: a call and a count for every value."""
    budget[0] -= 1
    if budget[0] < 0 or depth > max_depth:
        raise OverflowError
    if type(node) is dict:
        return {k: _one_by_one(v, budget, depth + 1, max_depth) for k, v in node.items()}
    if type(node) is list:
        return [_one_by_one(v, budget, depth + 1, max_depth) for v in node]
    return node


@settings(max_examples=300, deadline=None)
@given(tree=_TREES, budget=st.integers(0, 60), max_depth=st.integers(0, 4))
def test_counting_scalars_together_refuses_and_copies_as_one_by_one(
    tree: Any, budget: int, max_depth: int
) -> None:
    try:
        expected: Any = _one_by_one(tree, [budget], 0, max_depth)
    except OverflowError:
        expected = OverflowError
    original = plain_module.MAX_DEPTH
    plain_module.MAX_DEPTH = max_depth
    try:
        got: Any = plain(tree, "<test>", [budget])
    except InputError:
        got = OverflowError
    finally:
        plain_module.MAX_DEPTH = original
    assert got == expected


def test_a_copy_is_a_new_object_all_the_way_down() -> None:
    tree = {"a": [{"b": 1, "c": [date(2021, 1, 1)]}]}
    copied = plain(tree, "<test>", [100])
    assert copied == tree
    assert copied is not tree and copied["a"] is not tree["a"]
    assert copied["a"][0] is not tree["a"][0]


@pytest.mark.parametrize("budget", [0, 1, 2, 3])
def test_the_budget_counts_keys_values_and_containers(budget: int) -> None:
    tree = {"a": 1, "b": [2]}  # the mapping, 1, the list, 2: four values
    if budget < 4:
        with pytest.raises(InputError):
            plain(tree, "<test>", [budget])
    else:
        assert plain(tree, "<test>", [budget]) == tree
