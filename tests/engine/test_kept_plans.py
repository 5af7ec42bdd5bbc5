"""A plan asked again is answered from the kept answer of the first asking
(`presence.plan_answer`), and that answer is the one a fresh solve gives: with every
interpretation, for any organisation and plan of the oracle's generator, and after the
policy's calendar changes (working days are counted on it, so the kept answer is dropped).
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from tests.oracle.strategies import leave_cases

from govrules.engine import Policy
from govrules.errors import GovrulesError
from govrules.inputs import Organisation, Plan
from govrules.workdays import WorkCalendar

KEEPING = Policy.load()
FRESH = Policy.load()
FRESH.reuse_groundings = False


def _answer(policy: Policy, plan: Plan, org: Organisation, interpretations: dict[str, bool]) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return policy.check_leave(plan, org, interpretations=interpretations).to_json("en")
    except GovrulesError as err:
        return f"error {err.code}: {err.render('en')}"


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(case=leave_cases())
def test_a_plan_asked_again_answers_as_a_fresh_solve(
    case: tuple[dict[str, Any], Organisation, dict[str, Any], Plan, dict[str, bool]],
) -> None:
    _, org, _, plan, interpretations = case
    fresh = _answer(FRESH, plan, org, interpretations)
    assert _answer(KEEPING, plan, org, interpretations) == fresh
    assert _answer(KEEPING, plan, org, interpretations) == fresh  # from the kept answer
    flipped = {k: not v for k, v in interpretations.items()}
    assert _answer(KEEPING, plan, org, flipped) == _answer(FRESH, plan, org, flipped)


def test_a_kept_plan_answer_is_dropped_when_the_calendar_changes() -> None:
    """Reports made on the fourth day of a trip are late when it starts on a working day,
    and in time when its first working day is a week later: on a calendar where the days
    before are holidays, the same plan has no finding."""
    policy = Policy.load()
    fresh = Policy.load()
    fresh.reuse_groundings = False
    org = policy._org(None)
    on_the_fourth_day = [{"to": to, "on": "2021-03-18"} for to in ("赵主任", "王副区长")]
    plan = {
        "absences": [
            {
                "who": "钱副主任",
                "kind": "business_trip",
                "from": "2021-03-15",
                "to": "2021-03-24",
                "reported": on_the_fourth_day,
            }
        ]
    }
    before = policy.check_leave(plan, org).to_dict("en")["findings"]
    assert [f["kind"] for f in before] == ["report_late", "report_late"]
    assert policy.check_leave(plan, org).to_dict("en")["findings"] == before  # kept
    assert len(policy.plan_answers(org)) == 1
    official = WorkCalendar.official()
    days = [date(2021, 1, 1) + timedelta(days=n) for n in range(365)]
    off = {d for d in days if d.weekday() < 5 and not official.is_workday(d)}
    on = {d for d in days if d.weekday() >= 5 and official.is_workday(d)}
    off |= {date(2021, 3, d) for d in range(8, 20)}  # the trip's first week off
    other = WorkCalendar({2021: (off, on)})
    policy.use_calendar(other)
    fresh.use_calendar(other)
    after = policy.check_leave(plan, org).to_dict("en")
    assert after["findings"] == []
    assert after == fresh.check_leave(plan, org).to_dict("en")
