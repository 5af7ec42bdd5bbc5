"""Article 39's leave audit against a second implementation: hand-written SQL in DuckDB
(bench/duckdb_peer.py), over generated organisations and year plans. Differential, as
Cedar tests its engine: the two share no code, only the plain input data and the calendar,
so a disagreement is a defect in one of them."""

from __future__ import annotations

import pytest
from bench import duckdb_peer, gen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govrules


@pytest.fixture(scope="module")
def policy() -> govrules.Policy:
    return govrules.load_policy()


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.integers(12, 80), org_seed=st.integers(0, 10_000), plan_seed=st.integers(0, 10_000)
)
def test_sql_and_engine_agree(
    policy: govrules.Policy, people: int, org_seed: int, plan_seed: int
) -> None:
    org = gen.organisation(people, seed=org_seed)
    plan = gen.year_plan(org, seed=plan_seed)
    ours = duckdb_peer.govrules_findings(policy.check_leave(plan, org=org, timeout=60))
    theirs = duckdb_peer.duckdb_audit(org, plan, gen.workdays(policy, plan))
    assert ours == theirs


def test_the_comparison_sees_findings(policy: govrules.Policy) -> None:
    """The generated plans do contain each kind compared (else agreement proves little)."""
    org = gen.organisation(200)
    found = duckdb_peer.govrules_findings(policy.check_leave(gen.year_plan(org), org=org))
    assert {kind for _, kind, *_ in found} >= {"report_missing", "absent_together"}


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.integers(12, 80), seed=st.integers(0, 10_000))
def test_the_benchmark_floor_and_peers_answer_what_the_engine_answers(
    policy: govrules.Policy, people: int, seed: int
) -> None:
    """bench's hand-written floor program and its clash peers follow the policy's reading
    (shared working days, reports by the first working day): a ratio to a floor that
    answers another question measures nothing."""
    from bench import floor, peers

    from govrules.asp.facts import day_number, fact, number, org_facts, plan_facts
    from govrules.inputs import load_org, load_plan
    from govrules.presence import workday_facts

    org_data = gen.organisation(people, seed=seed)
    plan_data = gen.year_plan(org_data, seed=seed + 1)
    result = policy.check_leave(plan_data, org=org_data, timeout=60)
    org = load_org(org_data)
    plan = load_plan(plan_data, org)
    facts = [
        *org_facts(org),
        fact("in_force_from", number(day_number(policy.text.in_force_from))),
        *plan_facts(plan),
        *workday_facts(policy, plan, 0),
    ]
    model = floor.solve(floor.LEAVE, facts)[0]
    assert len(model) == len(duckdb_peer.govrules_findings(result))
    clashes = sum(1 for f in result.findings if f.kind == "absent_together")
    days = [d.isoformat() for d in gen.workdays(policy, plan_data)]
    assert peers.python_clashes(org_data, plan_data, days) == clashes
