"""The columnar design's prototype (bench/columnar.py) answers as clingo does.

The prototype translates the plain leave audit's program slice into DuckDB SQL without
naming any of the policy's predicates; bench/NOTES.md measures it against clingo and the
hand-written SQL peer. Both slices a plan question can take are held to clingo's shown
atoms here: a small plan's (cut on the predicates it has) and a big plan's (cut on its
mode alone, with recursion through negation), over generated organisations and plans.
"""

from __future__ import annotations

from typing import Any

import pytest
from bench import columnar, gen
from clingo import Function, String
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govrules
from govrules.asp.facts import constant, fact
from govrules.asp.solve import solve
from govrules.inputs import load_org, load_plan
from govrules.presence import leave_facts


@pytest.fixture(scope="module")
def policy() -> govrules.Policy:
    return govrules.load_policy()


def _both_ways(policy: Any, people: int, org_seed: int, plan_seed: int, scanned: bool) -> None:
    org = load_org(gen.organisation(people, seed=org_seed))
    plan = load_plan(gen.year_plan(gen.organisation(people, seed=org_seed), seed=plan_seed), org)
    facts = leave_facts(policy, org, plan)
    slicer = policy.question_program()
    exact: list[Any] = [fact("mode", constant("leave"))]
    present = None
    if scanned:
        signatures, exact = slicer.classify(facts)
        present = frozenset(signatures)
    switched = [k for k, v in policy.interpretations(None).items() if v]
    interpretations = [Function("interp", [String(k)]) for k in switched]
    sliced = slicer.program([*exact, *interpretations], present, None)
    answer = solve(
        slicer, facts, interpretations=switched, timeout=120, exact=exact, present=present
    )
    expected = {str(a) for a in answer.atoms}
    # The interpretations switched on are facts of the question, as clingo is given them.
    got = columnar.evaluate(columnar.read_program(sliced.text), [*facts, *interpretations])
    assert got["shown"] == expected
    assert any(a.startswith("finding(") for a in expected) or people < 40


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.integers(12, 120),
    org_seed=st.integers(0, 10_000),
    plan_seed=st.integers(0, 10_000),
    scanned=st.booleans(),
)
def test_the_translated_slice_shows_what_clingo_shows(
    policy: Any, people: int, org_seed: int, plan_seed: int, scanned: bool
) -> None:
    _both_ways(policy, people, org_seed, plan_seed, scanned)
