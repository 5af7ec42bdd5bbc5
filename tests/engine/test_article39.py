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
    # Strictly (same_day_report off), a report dated the first day is not 事先.
    strict = kinds(policy, late, same_day_report=False)
    assert strict == [("report_late", "1", "主任", "区长", "2021-03-02")]


def test_a_report_dated_the_first_working_day_is_in_time_by_default(policy: Policy) -> None:
    """Issue 14 (39): reports carry dates only; one made on the first morning of sick leave
    cannot be shown late (interpretation same_day_report); the next day still is."""
    first = absence(
        "主任", "sick", "2021-06-07", "2021-06-08", ("区长", "2021-06-07"), ("常务", "2021-06-07")
    )
    assert kinds(policy, first) == []
    second = absence(
        "主任", "sick", "2021-06-07", "2021-06-08", ("区长", "2021-06-07"), ("常务", "2021-06-08")
    )
    assert kinds(policy, second) == [("report_late", "1", "主任", "常务", "2021-06-08")]


def test_a_report_during_a_holiday_before_the_first_working_day_is_in_time(
    policy: Policy,
) -> None:
    """Issue 14 (39): leave recorded from 10-01 whose first working day is 10-08, reported on
    10-05: in advance under workday_clock; late on calendar days."""
    a = absence(
        "副主任甲",
        "vacation",
        "2021-10-01",
        "2021-10-12",
        ("副区长甲", "2021-10-05"),
        ("常务", "2021-10-05"),
        ("主任", "2021-10-05"),
    )
    assert kinds(policy, a) == []
    calendar_days = kinds(policy, a, workday_clock=False)
    assert [k[0] for k in calendar_days] == ["report_late"] * 3


def test_vacations_meeting_only_on_a_weekend_or_a_holiday_do_not_clash(policy: Policy) -> None:
    """Issue 14 (39): 同时 counts shared working days (workday_clock); on calendar days the
    weekend and National Day overlaps were clashes."""
    for d_from, d_to, v_from, v_to in (
        ("2021-03-01", "2021-03-06", "2021-03-06", "2021-03-12"),  # Saturday 03-06 only
        ("2021-09-27", "2021-10-03", "2021-10-02", "2021-10-07"),  # National Day only
    ):
        d = absence("副主任甲", "vacation", d_from, d_to)
        v = absence("副区长甲", "vacation", v_from, v_to)
        assert [k for k in kinds(policy, d, v) if k[0] == "absent_together"] == []
        strict = kinds(policy, d, v, workday_clock=False)
        assert [k[0] for k in strict if k[0] == "absent_together"] == ["absent_together"]
    # A shared make-up working day (Sunday 2021-09-26) is a clash.
    d = absence("副主任甲", "vacation", "2021-09-25", "2021-09-26")
    v = absence("副区长甲", "vacation", "2021-09-26", "2021-09-26")
    assert [k[0] for k in kinds(policy, d, v) if k[0] == "absent_together"] == ["absent_together"]


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
    d = absence("副主任甲", "vacation", "2020-12-28", "2021-01-04")
    v = absence("副区长甲", "vacation", "2020-12-28", "2021-01-05")
    found = kinds(policy, d, v)
    # No report was owed for an absence that began before the rules; the clash counts
    # only from 2021-01-01 (and has a shared working day, 01-04).
    assert found == [
        ("absent_together", "副主任甲", "1", "副区长甲", "2", "2021-01-01", "2021-01-04")
    ]
    # Shared only before the rules and on the New Year holiday: no clash (workday_clock).
    d = absence("副主任甲", "vacation", "2020-12-28", "2021-01-03")
    assert kinds(policy, d, v) == []


def test_a_clash_names_the_relation_its_rule_is_about(policy: Policy) -> None:
    d = absence("副主任甲", "vacation", "2021-05-03", "2021-05-07")
    v = absence("副区长甲", "vacation", "2021-05-06", "2021-05-10")
    r = policy.check_leave({"absences": [d, v]}, ORG)
    (clash,) = [f for f in r.findings if f.kind == "absent_together"]
    assert "与其分管副区长 副区长甲" in clash.message.zh
    assert "the vice-mayor in charge for them" in clash.message.en
