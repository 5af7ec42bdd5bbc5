"""A check answered from the answer of an earlier check of the same order type equals one
answered afresh (`asp.ordertype`, #16).

Random documents and traces of the oracle's generator are checked by a policy that shares
answers by order type and by one that answers every check afresh; the JSON answers (or the
errors) must be identical. Before each, the sharing policy checks a twin: the same trace
moved by whole weeks, whose answer it keeps if the order of the dates is unchanged, so the
compared answer is often one restored from the twin's, with the twin's dates mapped back
to the document's own.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.twins import moved
from tests.oracle.strategies import _bundled_org, documents, settings_, traces

from govrules.engine import Policy
from govrules.errors import GovrulesError
from govrules.inputs import load_org

ORG_DATA = _bundled_org()
ORG = load_org(ORG_DATA)
SHARING = Policy.load()
FRESH = Policy.load()
FRESH.reuse_groundings = False
for _policy in (SHARING, FRESH):  # past the first question, which is never sliced
    _policy.check({"document": {"id": "w", "kind": "incoming", "fields": []}}, ORG)


def _answer(policy: Policy, data: dict[str, Any], interpretations: dict[str, bool]) -> str:
    try:
        return policy.check(data, ORG, interpretations=interpretations).to_json("en")
    except GovrulesError as err:
        return f"error {err.code}: {err.render('en')}"


@st.composite
def checks(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, bool], int]:
    doc = draw(documents(ORG_DATA))
    interpretations = draw(settings_())
    trace = draw(traces(ORG_DATA, ORG, doc, interpretations))
    return {"document": doc, "trace": trace}, interpretations, draw(st.sampled_from((1, 2, 52)))


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(case=checks())
def test_a_shared_answer_equals_a_fresh_one(
    case: tuple[dict[str, Any], dict[str, bool], int],
) -> None:
    data, interpretations, weeks = case
    twin = moved(data, weeks)
    assert _answer(SHARING, twin, interpretations) == _answer(FRESH, twin, interpretations)
    assert _answer(SHARING, data, interpretations) == _answer(FRESH, data, interpretations)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(cases=st.lists(checks(), min_size=1, max_size=6))
def test_a_batch_by_order_type_answers_as_fresh_checks(
    cases: list[tuple[dict[str, Any], dict[str, bool], int]],
) -> None:
    """A batch (`check_many`) grounds each order type it has not seen once and answers its
    other documents, and documents of types seen before, from that answer: each equals a
    fresh check. Each document comes with its twin, so most batches share within."""
    interpretations = cases[0][1]
    docs = [d for data, _, weeks in cases for d in (data, moved(data, weeks))]
    many = SHARING.check_many(docs, ORG, interpretations=interpretations, workers=1)
    for data, item in zip(docs, many, strict=True):
        got = (
            f"error {item.code}: {item.render('en')}"
            if isinstance(item, GovrulesError)
            else item.to_json("en")
        )
        assert got == _answer(FRESH, data, interpretations)


def test_checks_of_one_order_type_share_an_answer_with_their_own_dates() -> None:
    """Two late reviews a year apart: one kept answer, each finding with its own due date."""
    policy = Policy.load()
    policy.check({"document": {"id": "w", "kind": "incoming", "fields": []}}, ORG)

    def late_review(start: str) -> dict[str, Any]:
        day = datetime.fromisoformat(start)
        at = [(day + timedelta(days=d)).strftime("%Y-%m-%dT09:00") for d in (0, 7, 7)]
        return {
            "document": {"id": "x", "kind": "outgoing", "in_name_of": "office", "fields": ["卫生"]},
            "trace": [
                {"actor": "秘书股", "action": "propose", "at": at[0], "opinion": "拟同意"},
                {"actor": "钱副主任", "action": "review", "at": at[1], "opinion": "同意"},
                {"actor": "赵主任", "action": "sign", "at": at[2], "opinion": "同意"},
            ],
        }

    dues = []
    for start in ("2021-03-01", "2022-03-07"):  # Mondays, no holiday in the week after
        data = late_review(start)
        found = policy.check(data, ORG).to_dict("en")["findings"]
        assert found == FRESH.check(data, ORG).to_dict("en")["findings"]
        dues += [f["facts"]["due"] for f in found if f["kind"] == "late_action"]
    assert dues == ["2021-03-02", "2022-03-08"]
    assert len(policy.answers(ORG)) == 1


def test_a_program_with_a_number_as_big_as_the_codes_does_not_share() -> None:
    """A program's own number in an answer (an article) must never be taken for a code:
    a policy writing one that big answers every check afresh."""
    from govrules.asp.ordertype import below_codes

    assert below_codes('finding(violation, 999999999, "a1.1", late, ()).')
    assert not below_codes('finding(violation, 1000000000, "a1.1", late, ()).')
    assert below_codes('rule("a29.1", 29, "x2021y").')
    assert SHARING.shares_by_order_type
