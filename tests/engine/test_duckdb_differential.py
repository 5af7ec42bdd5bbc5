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
    theirs = duckdb_peer.duckdb_audit(org, plan, duckdb_peer._workdays(policy, plan))
    assert ours == theirs


def test_the_comparison_sees_findings(policy: govrules.Policy) -> None:
    """The generated plans do contain each kind compared (else agreement proves little)."""
    org = gen.organisation(200)
    found = duckdb_peer.govrules_findings(policy.check_leave(gen.year_plan(org), org=org))
    assert {kind for _, kind, *_ in found} >= {"report_missing", "absent_together"}
