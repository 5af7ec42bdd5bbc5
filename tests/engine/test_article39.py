"""Article 39: advance reports of absences; no vacation together with the vice-mayor in charge."""

from __future__ import annotations

from typing import Any

from govrules.engine import Policy

ORG: dict[str, Any] = {
    "district": "测试区",
    "people": [
        {"name": "区长", "roles": ["mayor"]},
        {"name": "常务", "roles": ["executive_vice_mayor"], "fields": ["财政"]},
        {"name": "副区长甲", "roles": ["vice_mayor"], "fields": ["教育"]},
        {"name": "副区长乙", "roles": ["vice_mayor"], "fields": ["农业"]},
        {"name": "主任", "roles": ["office_director"]},
        {"name": "副主任甲", "roles": ["deputy_director"], "fields": ["教育", "财政"]},
        {
            "name": "副主任乙",
            "roles": ["deputy_director"],
            "fields": ["教育"],
            "reports_to": ["副区长乙"],
        },
    ],
    "units": {},
}


def absence(who: str, kind: str, start: str, end: str, *reports: tuple[str, str]) -> dict[str, Any]:
    return {
        "who": who,
        "kind": kind,
        "from": start,
        "to": end,
        "reported": [{"to": t, "on": d} for t, d in reports],
    }


def kinds(policy: Policy, *absences: dict[str, Any], **interp: bool) -> list[tuple[str, ...]]:
    r = policy.check_leave({"absences": list(absences)}, ORG, interpretations=interp)
    return sorted((f.kind, *map(str, f.facts.values())) for f in r.findings)


def test_director_reports_to_mayor_and_executive_vice_mayor(policy: Policy) -> None:
    ok = absence(
        "主任", "sick", "2021-03-02", "2021-03-03", ("区长", "2021-03-01"), ("常务", "2021-03-01")
    )
    assert kinds(policy, ok) == []
    missing = absence("主任", "sick", "2021-03-02", "2021-03-03", ("区长", "2021-03-01"))
    assert kinds(policy, missing) == [("report_missing", "1", "主任", "常务")]


def test_a_report_on_the_first_day_is_late(policy: Policy) -> None:
    late = absence(
        "主任",
        "personal",
        "2021-03-02",
        "2021-03-02",
        ("区长", "2021-03-02"),
        ("常务", "2021-03-01"),
    )
    assert kinds(policy, late) == [("report_late", "1", "主任", "区长", "2021-03-02")]


def test_deputy_reports_to_each_vice_mayor_in_charge_and_the_director(policy: Policy) -> None:
    a = absence("副主任甲", "business_trip", "2021-04-01", "2021-04-02", ("主任", "2021-03-30"))
    assert kinds(policy, a) == sorted(
        [
            ("report_missing", "1", "副主任甲", "常务"),
            ("report_missing", "1", "副主任甲", "副区长甲"),
        ]
    )


def test_reports_to_overrides_shared_fields(policy: Policy) -> None:
    a = absence("副主任乙", "vacation", "2021-04-01", "2021-04-02", ("主任", "2021-03-30"))
    assert kinds(policy, a) == [("report_missing", "1", "副主任乙", "副区长乙")]


def test_vacation_together_is_a_violation_with_the_shared_days(policy: Policy) -> None:
    d = absence(
        "副主任甲",
        "vacation",
        "2021-05-03",
        "2021-05-07",
        ("主任", "2021-04-30"),
        ("常务", "2021-04-30"),
        ("副区长甲", "2021-04-30"),
    )
    v = absence("副区长甲", "vacation", "2021-05-06", "2021-05-10")
    found = kinds(policy, d, v)
    assert found == [
        ("absent_together", "副主任甲", "1", "副区长甲", "2", "2021-05-06", "2021-05-07")
    ]


def test_literal_reading_only_bans_vacation(policy: Policy) -> None:
    d = absence(
        "副主任甲",
        "business_trip",
        "2021-05-03",
        "2021-05-07",
        ("主任", "2021-04-30"),
        ("常务", "2021-04-30"),
        ("副区长甲", "2021-04-30"),
    )
    v = absence("副区长甲", "vacation", "2021-05-06", "2021-05-10")
    assert kinds(policy, d, v) == []
    broad = kinds(policy, d, v, any_absence_together=True)
    assert [k[0] for k in broad] == ["absent_together"]


def test_vice_mayors_and_the_mayor_are_not_bound(policy: Policy) -> None:
    assert (
        kinds(
            policy,
            absence("区长", "vacation", "2021-05-03", "2021-05-07"),
            absence("副区长甲", "vacation", "2021-05-03", "2021-05-07"),
        )
        == []
    )


def test_nothing_applies_before_2021(policy: Policy) -> None:
    d = absence("副主任甲", "vacation", "2020-12-28", "2021-01-02")
    v = absence("副区长甲", "vacation", "2020-12-28", "2021-01-05")
    found = kinds(policy, d, v)
    # No report was owed for an absence that began before the rules; the clash counts
    # only from 2021-01-01.
    assert found == [
        ("absent_together", "副主任甲", "1", "副区长甲", "2", "2021-01-01", "2021-01-02")
    ]


def test_a_clash_names_the_relation_its_rule_is_about(policy: Policy) -> None:
    d = absence("副主任甲", "vacation", "2021-05-03", "2021-05-07")
    v = absence("副区长甲", "vacation", "2021-05-06", "2021-05-10")
    r = policy.check_leave({"absences": [d, v]}, ORG)
    (clash,) = [f for f in r.findings if f.kind == "absent_together"]
    assert "与其分管副区长 副区长甲" in clash.message.zh
    assert "the vice-mayor in charge for them" in clash.message.en
