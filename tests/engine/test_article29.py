"""Article 29: documents in the name of the district government, its party group, the office."""

from __future__ import annotations

from typing import Any

import pytest

from govrules.engine import Policy

ORG: dict[str, Any] = {
    "district": "测试区",
    "people": [
        {"name": "区长", "roles": ["mayor"]},
        {"name": "书记", "roles": ["government_party_secretary"]},
        {"name": "常务", "roles": ["executive_vice_mayor"], "fields": ["财政"]},
        {"name": "副区长甲", "roles": ["vice_mayor"], "fields": ["教育", "卫生"]},
        {"name": "主任", "roles": ["office_director"]},
        {"name": "副主任甲", "roles": ["deputy_director"], "fields": ["教育"]},
        {"name": "副主任乙", "roles": ["deputy_director"], "fields": ["财政"]},
    ],
    "units": {"secretariat": "秘书股"},
}


def doc(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "document": {
            "id": "t1",
            "kind": "outgoing",
            "in_name_of": name,
            "fields": ["教育"],
            **extra,
        }
    }


def test_government_document_steps_and_orders(policy: Policy) -> None:
    r = policy.route(doc("district_government"), ORG)
    assert [s.id for s in r.steps] == [
        "propose:秘书股",
        "review:副主任甲",
        "sign:主任",
        "sign:副区长甲",
        "issue:区长",
    ]
    assert all(s.article == 29 for s in r.steps)
    assert r.order_count == 2  # 与: the vice-mayor and the director sign in either order
    assert {("sign:副区长甲", "issue:区长"), ("review:副主任甲", "sign:主任")} <= {
        (a, b) for a, b, _ in r.precedence
    }
    assert r.findings == []


def test_party_group_document_is_issued_by_the_party_secretary(policy: Policy) -> None:
    r = policy.route(doc("government_party_group"), ORG)
    assert "issue:书记" in [s.id for s in r.steps]
    assert "issue:区长" not in [s.id for s in r.steps]


def test_lead_field_decides_the_deputy_in_charge(policy: Policy) -> None:
    d = doc("district_government")
    d["document"]["fields"] = ["财政", "教育"]
    ids = [s.id for s in policy.route(d, ORG).steps]
    assert "review:副主任乙" in ids and "sign:常务" in ids
    assert "review:副主任甲" not in ids


def test_vice_mayor_first_interpretation_leaves_one_order(policy: Policy) -> None:
    r = policy.route(doc("district_government"), ORG, interpretations={"vice_mayor_first": True})
    assert r.order_count == 1
    assert r.orders[0].index("sign:副区长甲") < r.orders[0].index("sign:主任")
    assert ("sign:副区长甲", "sign:主任", "a29.2") in r.precedence


def test_office_document_without_and_with_leader_signature(policy: Policy) -> None:
    plain = policy.route(doc("office"), ORG)
    assert [s.id for s in plain.steps] == ["propose:秘书股", "review:副主任甲", "sign:主任"]
    assert plain.order_count == 1
    signed = policy.route(doc("office", leader_signature=True), ORG)
    assert [s.id for s in signed.steps] == [
        "propose:秘书股",
        "review:副主任甲",
        "review:主任",
        "sign:副区长甲",
    ]


@pytest.mark.parametrize(("enabled", "steps"), [(True, 3), (False, 0)])
def test_office_party_group_follows_paragraph_two_only_under_the_reading(
    policy: Policy, enabled: bool, steps: int
) -> None:
    r = policy.route(
        doc("office_party_group"), ORG, interpretations={"office_party_group_as_office": enabled}
    )
    assert len(r.steps) == steps


def test_nobody_in_charge_of_the_field_is_reported(policy: Policy) -> None:
    d = doc("district_government")
    d["document"]["fields"] = ["农业"]
    r = policy.route(d, ORG)
    kinds = sorted((f.kind, f.facts["role"]) for f in r.findings)
    assert kinds == [
        ("unfilled_step", "deputy_in_charge"),
        ("unfilled_step", "vice_mayor_in_charge"),
    ]
    assert all(f.article == 29 and f.severity == "violation" for f in r.findings)


def _trace(*events: tuple[str, str, str]) -> list[dict[str, str]]:
    """Entries with an explicit opinion each, as article 26 asks."""
    return [{"actor": a, "action": act, "at": at, "opinion": "同意"} for a, act, at in events]


GOOD = _trace(
    ("秘书股", "propose", "2021-10-08T09:00"),
    ("副主任甲", "review", "2021-10-08T11:00"),
    ("主任", "sign", "2021-10-08T15:00"),
    ("副区长甲", "sign", "2021-10-09T10:00"),
    ("区长", "issue", "2021-10-11T10:00"),
)


def test_a_correct_trace_is_compliant(policy: Policy) -> None:
    d = doc("district_government", received="2021-10-08T08:30")
    d["trace"] = GOOD
    r = policy.check(d, ORG)
    assert r.findings == [] and r.compliant


def test_wrong_order_missing_step_stranger_and_acting_after_issue_are_found(policy: Policy) -> None:
    d = doc("district_government")
    # The director signs before the deputy reviews (by time: the trace is judged by `at`).
    d["trace"] = [
        GOOD[0],
        {**GOOD[2], "at": GOOD[1]["at"]},
        {**GOOD[1], "at": GOOD[2]["at"]},
        GOOD[4],
        {"actor": "副主任乙", "action": "review", "at": "2021-10-12T09:00", "opinion": "同意"},
    ]
    # A deputy outside the field reviewing is acting without power only under the reading
    # review_within_field (off by default: article 14 assigns, it does not forbid).
    r = policy.check(d, ORG, interpretations={"review_within_field": True})
    kinds = sorted(f.kind for f in r.findings)
    assert kinds == ["after_issue", "missing_step", "no_power", "out_of_order"]
    default = sorted(f.kind for f in policy.check(d, ORG).findings)
    assert default == ["after_issue", "missing_step", "out_of_order"]
    by_kind = {f.kind: f for f in r.findings}
    assert by_kind["missing_step"].facts["step"] == "sign:副区长甲"
    assert by_kind["out_of_order"].facts == {
        "must_come_first": "review:副主任甲",
        "step": "sign:主任",
        "entry": 2,
    }
    assert by_kind["no_power"].facts["actor"] == "副主任乙"
    assert not r.compliant


def test_documents_before_the_rules_were_in_force_get_no_findings(policy: Policy) -> None:
    d = doc("district_government", received="2020-12-20T09:00")
    d["trace"] = [GOOD[4]]
    r = policy.check(d, ORG)
    assert r.findings == [] and r.steps == []
    assert r.in_force.to_json()["all_in_force"] is False
