"""Every bound is checked and, when reached, ends in exit status 3 with a clear message.

Each input here is made to hit one bound: the steps whose orders can be listed, the work of
counting orders, the wall clock, and the documented input sizes (README, "Bounds").
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govrules import engine, policy_core, presence
from govrules.cli.main import cli
from govrules.engine import MAX_ORDER_STEPS, Policy
from govrules.errors import SolverLimitError
from govrules.inputs import load_plan


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _office(assisting: int, vice_mayors: bool = False) -> dict[str, Any]:
    """A deputy and a vice-mayor for the lead field, and `assisting` deputies (and, if
    asked, vice-mayors) each for one more field of the document."""
    people: list[dict[str, Any]] = [
        {"name": "主任", "roles": ["office_director"]},
        {"name": "区长", "roles": ["mayor"]},
        {"name": "副主任", "roles": ["deputy_director"], "fields": ["F0"]},
        {"name": "副区长", "roles": ["vice_mayor"], "fields": ["F0"]},
    ]
    for i in range(1, assisting + 1):
        people.append({"name": f"协办副主任{i}", "roles": ["deputy_director"], "fields": [f"F{i}"]})
        if vice_mayors:
            people.append({"name": f"协办副区长{i}", "roles": ["vice_mayor"], "fields": [f"F{i}"]})
    return {"district": "d", "people": people, "units": {"secretariat": "秘书股"}}


def _document(fields: int) -> dict[str, Any]:
    return {
        "document": {
            "id": "西府文〔2021〕9号",
            "kind": "outgoing",
            "in_name_of": "district_government",
            "fields": [f"F{i}" for i in range(fields + 1)],
        }
    }


def _files(tmp_path: Path, org: dict[str, Any], doc: dict[str, Any]) -> tuple[str, str]:
    org_file, doc_file = tmp_path / "org.json", tmp_path / "doc.json"
    org_file.write_text(json.dumps(org, ensure_ascii=False), encoding="utf-8")
    doc_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(org_file), str(doc_file)


def test_listing_stops_at_limit_and_the_count_stays_exact(tmp_path: Path) -> None:
    org, doc = _files(tmp_path, _office(10), _document(10))
    code, out, _ = run("route", doc, "--org", org, "--limit", "5", "--format", "json")
    data = json.loads(out)
    # The secretariat first; then 10 opinions (in any order) interleave freely with the 4
    # steps of the main line, which has 2 orders of its own.
    assert code == 0
    assert data["order_count"] == math.comb(14, 4) * math.factorial(10) * 2
    assert data["orders_listed"] == 5 and len({tuple(o) for o in data["orders"]}) == 5


def test_too_many_steps_to_list_orders_exits_3_and_limit_0_still_answers(
    tmp_path: Path,
) -> None:
    n = MAX_ORDER_STEPS + 6
    org, doc = _files(tmp_path, _office(n), _document(n))
    code, out, err = run("route", doc, "--org", org, "--lang", "en")
    assert code == 3 and out == ""
    assert f"{n + 5} steps" in err and "--limit 0" in err and "Traceback" not in err
    code, out, _ = run("route", doc, "--org", org, "--limit", "0", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["orders"] == [] and len(data["steps"]) == n + 5
    assert data["order_count"] == math.comb(n + 4, 4) * math.factorial(n) * 2


def test_counting_orders_that_do_not_decompose_stops_at_the_time_limit(tmp_path: Path) -> None:
    """20 assisting deputies and vice-mayors: the opinions and the reviews cross, so the count
    cannot be split; it stops at --timeout with exit 3. The count alone takes minutes; the
    5 s leave reading and solving (which share the clock) room on a loaded machine."""
    org, doc = _files(tmp_path, _office(20, vice_mayors=True), _document(20))
    code, _, err = run("route", doc, "--org", org, "--limit", "0", "--timeout", "5", "--lang", "en")
    # Exit 3 at the limit; on a loaded machine the clock may run out before the count starts.
    assert code == 3
    assert "too many approval orders to count" in err or "time limit of 5 s" in err


def _plan(deputies: int) -> tuple[dict[str, Any], dict[str, Any]]:
    people = [{"name": "赵主任", "roles": ["office_director"]}]
    people += [
        {
            "name": f"副主任{i}",
            "roles": ["deputy_director", "office_party_deputy_secretary"],
            "fields": [f"F{i % 7}"],
            "backup": [f"副主任{(i + 1) % deputies}"],
        }
        for i in range(deputies)
    ]
    people += [
        {"name": f"副区长{i}", "roles": ["vice_mayor"], "fields": [f"F{i}"]} for i in range(7)
    ]
    absences = [
        {
            "who": f"副主任{i % deputies}",
            "kind": "vacation",
            "from": f"2021-{1 + i % 12:02d}-01",
            "to": f"2021-{1 + i % 12:02d}-{5 + i % 20:02d}",
        }
        for i in range(deputies * 4)
    ]
    return {"district": "d", "people": people}, {"absences": absences}


def test_a_tiny_timeout_is_reached_with_exit_3(tmp_path: Path) -> None:
    org, plan = _plan(200)
    org_file, plan_file = _files(tmp_path, org, plan)
    code, out, err = run("leave", plan_file, "--org", org_file, "--timeout", "0.01", "--lang", "en")
    assert code == 3 and out == ""
    assert "time limit of 0.01 s" in err and "--timeout" in err and "Traceback" not in err
    code, _, _ = run("leave", plan_file, "--org", org_file, "--format", "json")
    assert code in (0, 1)


def test_a_trace_too_long_is_refused_before_grounding(tmp_path: Path) -> None:
    doc = _document(0)
    entry = {"actor": "秘书股", "action": "propose", "at": "2021-06-01T09:00", "opinion": "拟办"}
    doc["trace"] = [entry] * (engine.MAX_TRACE + 1)
    org, doc_file = _files(tmp_path, _office(0), doc)
    code, _, err = run("check", doc_file, "--org", org, "--lang", "en")
    assert code == 3 and f"above the limit of {engine.MAX_TRACE}" in err


def test_too_many_people_or_absences_are_refused(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    org, plan = _plan(5)
    monkeypatch.setattr(policy_core, "MAX_PEOPLE", 5)
    with pytest.raises(SolverLimitError) as caught:
        policy.check_leave(plan, org)
    assert caught.value.exit_code == 3 and caught.value.code == "input_too_large"
    monkeypatch.setattr(policy_core, "MAX_PEOPLE", 100)
    monkeypatch.setattr(presence, "MAX_ABSENCES", 3)
    with pytest.raises(SolverLimitError) as caught:
        policy.check_leave(plan, org)
    assert "absences" in str(caught.value)


def test_a_limit_out_of_range_is_a_usage_error() -> None:
    code, _, err = run("route", "x.yaml", "--limit", "100001")
    assert code == 2 and "--limit" in err


def test_a_plan_with_too_many_findings_is_refused(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect: clashes grow with the square of the absences and reading each back costs a
    fraction of a millisecond, so 2,000 absences apiece of a deputy and their vice-mayor
    answered after 24 s with --timeout 10. Past MAX_FINDINGS the plan is refused (exit 3)."""
    org = {
        "district": "d",
        "people": [
            {"name": "甲", "roles": ["deputy_director"], "fields": ["F"]},
            {"name": "乙", "roles": ["vice_mayor"], "fields": ["F"]},
        ],
    }
    absences = [
        {"who": who, "kind": "vacation", "from": f"2021-03-{day:02d}", "to": "2021-03-28"}
        for day in range(1, 11)
        for who in ("甲", "乙")
    ]
    monkeypatch.setattr(presence, "MAX_FINDINGS", 50)
    with pytest.raises(SolverLimitError) as caught:
        policy.check_leave({"absences": absences}, org)
    assert caught.value.exit_code == 3 and caught.value.code == "too_many_findings"
    monkeypatch.setattr(presence, "MAX_FINDINGS", 1000)
    assert len(policy.check_leave({"absences": absences}, org).findings) > 50


def test_a_plan_whose_absences_could_meet_too_often_is_refused_before_grounding(
    policy: Policy,
) -> None:
    """Defect: 8,000 absences apiece of a deputy and their vice-mayor took 107 s with
    --timeout 10: grounding joins every pair of their absences and cannot be interrupted.
    The pairs that may meet are bounded before grounding."""
    from datetime import date, timedelta

    org: dict[str, Any] = {
        "district": "d",
        "people": [
            {"name": "甲", "roles": ["deputy_director"], "fields": ["F"]},
            {"name": "乙", "roles": ["vice_mayor"], "fields": ["F"]},
        ],
    }
    n = 2100  # 2,100 x 2,100 pairs > MAX_ABSENCE_PAIRS
    absences = [
        {
            "who": who,
            "kind": "sick",
            "from": str(date(2021, 1, 1) + timedelta(days=i % 700)),
            "to": str(date(2021, 1, 1) + timedelta(days=i % 700)),
        }
        for i in range(n)
        for who in ("甲", "乙")
    ]
    assert n * n > presence.MAX_ABSENCE_PAIRS
    with pytest.raises(SolverLimitError) as caught:
        policy.check_leave({"absences": absences}, org)
    assert caught.value.code == "input_too_large" and "pairs of absences" in str(caught.value)
    apart = policy._org(
        {
            "district": "d",
            "people": [
                {"name": "甲", "roles": ["deputy_director"], "fields": ["F"]},
                {"name": "乙", "roles": ["vice_mayor"], "fields": ["G"]},
            ],
        }
    )
    related = policy.related(apart, 10.0)
    assert presence.absence_pairs(related, load_plan({"absences": absences}, apart)) == 0


def test_people_the_rules_relate_to_nobody_add_no_pairs(policy: Policy) -> None:
    """Issue 16's regression: a person without a field used to count as related to every
    absence of the plan, so 215 field-less staff with a year of leave were refused. The
    pairs are now those the policy's own rules relate (a clash, an acting post)."""
    staff = [{"name": f"员工{i}", "roles": ["office_party_member"]} for i in range(600)]
    org = policy._org(
        {
            "district": "d",
            "people": [
                {"name": "甲", "roles": ["deputy_director"], "fields": ["F"]},
                {"name": "乙", "roles": ["vice_mayor"], "fields": ["F"]},
                *staff,
            ],
        }
    )
    related = policy.related(org, 10.0)
    assert {(x, y) for _, x, y in related} == {("甲", "乙")}
    days = [str(date(2021, 3, 1) + timedelta(days=d)) for d in range(0, 300, 3)]
    absences = [
        {"who": s["name"], "kind": "personal", "from": day, "to": day}
        for s in staff
        for day in days[:10]
    ] + [
        {"who": who, "kind": "vacation", "from": "2021-03-01", "to": "2021-03-02"}
        for who in ("甲", "乙")
    ]
    plan = load_plan({"absences": absences}, org)
    assert len(absences) ** 2 > presence.MAX_ABSENCE_PAIRS  # the old bound refused it
    # one pair of people, related by a rule for each setting of any_absence_together
    assert presence.absence_pairs(related, plan) == 2
    result = policy.check_leave(plan, org)
    assert [f.kind for f in result.findings if f.article == 39].count("absent_together") == 1
