"""Searches too big to ground in time are refused before grounding (issue 15, items 6, 8):
a repair (`leave --suggest`) and an analysis are sized from counts first, and exit 3 at once
rather than grounding for minutes where nothing can interrupt them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules import analyze as analysis
from govrules import presence, repair
from govrules.analyze import Bounds, analysis_size, analyze
from govrules.engine import Policy
from govrules.errors import SolverLimitError
from govrules.inputs import load_org, load_plan
from govrules.presence import _meeting, repair_size
from govrules.resources import bundled_org_file

PEOPLE = ["李副区长", "王副区长", "刘副区长", "陈副区长", "杨副区长"]
PEOPLE += ["钱副主任", "孙副主任", "周副主任", "吴副主任", "赵主任"]


def _plan(count: int, days: int, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    absences = []
    for i in range(count):
        start = date(2021, 1, 4) + timedelta(days=rng.randrange(0, days))
        end = start + timedelta(days=rng.randrange(0, 2))
        absences.append(
            {"who": PEOPLE[i % len(PEOPLE)], "kind": "vacation", "from": start, "to": end}
        )
    return {"absences": absences}


SPAN = st.tuples(st.integers(0, 60), st.integers(0, 5)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=100)
@given(st.lists(SPAN, max_size=12), st.lists(SPAN, max_size=12), st.integers(0, 20))
def test_pairs_that_can_meet_are_counted_exactly(
    mine: list[tuple[int, int]], theirs: list[tuple[int, int]], reach: int
) -> None:
    brute = sum(1 for a in mine for b in theirs if a[0] - reach <= b[1] and b[0] - reach <= a[1])
    assert _meeting(mine, theirs, reach) == brute


def test_the_repair_size_grows_with_the_window(policy: Policy) -> None:
    org = load_org(bundled_org_file())
    plan = load_plan(_plan(60, 300), org)
    related = policy.related(org, 10.0)
    sizes = [repair_size(related, plan, w) for w in (0, 1, 7, 30, 92)]
    assert sizes == sorted(sizes) and sizes[0] > 0
    assert sizes[-1] >= sizes[1] * (2 * 92 + 1) // 3


def test_a_repair_too_big_to_ground_is_refused_before_grounding(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: 2,000 absences, --window 92 (was 232 s and 1.9 GB at --timeout 2;
    the limit here leaves a loaded machine room to check the plan first)."""
    solved: list[int | None] = []
    solve_plan = presence.solve_plan

    def counting(*args: Any, **kwargs: Any) -> Any:
        solved.append(kwargs.get("window"))
        return solve_plan(*args, **kwargs)

    monkeypatch.setattr(repair, "solve_plan", counting)
    with pytest.raises(SolverLimitError) as caught:
        policy.suggest_leave(_plan(2_000, 1_400), window=92, timeout=30)
    assert caught.value.code == "input_too_large" and caught.value.exit_code == 3
    assert f"above the limit of {repair.MAX_REPAIR_SIZE}" in caught.value.render("en")
    assert solved == [None]  # the plan was checked; the repair was never ground


def test_a_repair_that_cannot_be_ground_in_the_time_left_is_refused(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repair, "REPAIR_UNITS_PER_SECOND", 1)  # a very slow machine
    with pytest.raises(SolverLimitError) as caught:
        policy.suggest_leave(_plan(40, 300), window=3, timeout=5)
    assert "left of the time limit of 5 s" in caught.value.render("en")


def test_a_small_repair_is_still_searched(policy: Policy, monkeypatch: pytest.MonkeyPatch) -> None:
    solved: list[int | None] = []
    solve_plan = presence.solve_plan

    def counting(*args: Any, **kwargs: Any) -> Any:
        solved.append(kwargs.get("window"))
        return solve_plan(*args, **kwargs)

    monkeypatch.setattr(repair, "solve_plan", counting)
    policy.suggest_leave(_plan(6, 300, seed=3), window=14, timeout=30)
    assert solved == [None, 14]


def test_an_analysis_too_big_is_refused_before_grounding(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_: Any, **__: Any) -> Any:
        raise AssertionError("grounded")

    monkeypatch.setattr(analysis, "Grounded", never)
    big = Bounds(people=10, days=7)
    assert analysis_size(policy, big) > 50 * analysis_size(policy, Bounds())
    with pytest.raises(SolverLimitError) as caught:
        analyze(policy, big, timeout=2)
    assert caught.value.code == "input_too_large"
    assert "time limit of 2 s" in caught.value.render("en")
    monkeypatch.setattr(analysis, "MAX_ANALYSIS_SIZE", 10)
    with pytest.raises(SolverLimitError) as caught:
        analyze(policy, Bounds(), timeout=3600)
    assert "above the limit of 10" in caught.value.render("en")


def test_an_analysis_of_many_rules_is_sized_by_its_rules(policy: Policy) -> None:
    class Many:
        """The policy with its rules 200 times over (10,800 rules), as far as sizing sees."""

        def __init__(self) -> None:
            self.program = type("P", (), {"rules": list(policy.program.rules) * 200})()

    many: Any = Many()
    assert analysis_size(many, Bounds()) == 200 * analysis_size(policy, Bounds())
    with pytest.raises(SolverLimitError):
        analyze(many, Bounds(), timeout=2)
