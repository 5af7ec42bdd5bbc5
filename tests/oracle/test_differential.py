"""The engine and the independent oracle agree on generated organisations, documents and
plans of absences (2,000 cases a run).

Derandomised and database-free, so that every CI run tries the same cases; `make soak`
runs the same comparison on many more random ones.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from tests.oracle.compare import compare, compare_leave
from tests.oracle.strategies import cases, leave_cases

from govrules.engine import Policy

EXAMPLES = 1600


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
@given(cases())
def test_engine_agrees_with_the_oracle(policy: Policy, case: Any) -> None:
    _org, orgm, _data, doc, interpretations = case
    assert compare(policy, orgm, doc, interpretations) == []


LEAVE_EXAMPLES = 400


@settings(
    max_examples=LEAVE_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
@given(leave_cases())
def test_engine_agrees_with_the_oracle_on_plans(policy: Policy, case: Any) -> None:
    _org, orgm, _plan, plan, interpretations = case
    assert compare_leave(policy, orgm, plan, interpretations) == []
