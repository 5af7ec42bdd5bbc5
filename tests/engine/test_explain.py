"""Explanations: every finding, step and precedence is traced to its rule, article and facts."""

from __future__ import annotations

from typing import Any

import pytest

from govrules.engine import Policy
from govrules.policy_tests import case_files, load_cases
from govrules.resources import bundled_policy_dir

DOCUMENT_CASES = [
    c
    for path in case_files(bundled_policy_dir())
    for c in load_cases(path)
    if c.verb in ("route", "check")
]
ROUTING_KINDS = {
    "missing_step",
    "out_of_order",
    "no_power",
    "opinion_missing",
    "circled_only",
    "after_issue",
    "not_resubmitted",
    "resubmitted_unrevised",
    "late_action",
    "unexplained_rejection",
    "unfilled_step",
}


def _explained(policy: Policy, case: Any, lang: str = "zh") -> dict[str, Any]:
    if case.verb == "route":
        result = policy.route(
            case.data, case.org, interpretations=case.interpretations, explain=True
        )
        return result.to_dict(lang)
    # A check case may carry the plan whose absences it sees (article 25).
    document = {k: v for k, v in case.data.items() if k != "plan"}
    plan = case.data.get("plan")
    settings = case.interpretations
    result = policy.check(document, case.org, interpretations=settings, explain=True, plan=plan)
    return result.to_dict(lang)


def _by_id(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["subject"], e["id"]): e for e in data["explanations"]}


def _finding_explained(
    policy: Policy, by_id: dict[tuple[str, str], dict[str, Any]], n: int, finding: dict[str, Any]
) -> dict[str, Any]:
    """Finding n's explanation: its own rule first, quoted as written, with its article."""
    explanation = by_id[("finding", str(n))]
    first = explanation["because"][0]
    rules = {r.ident: r for r in policy.program.rules}
    assert (first["rule"], first["article"]) == (finding["rule"], finding["article"])
    assert first["statement"] == rules[finding["rule"]].text != ""
    assert finding["article"] in {a["article"] for a in explanation["articles"]}
    return explanation


def test_the_policy_cases_reach_every_routing_finding_kind(policy: Policy) -> None:
    seen = {f["kind"] for c in DOCUMENT_CASES for f in _explained(policy, c)["findings"]}
    assert seen >= ROUTING_KINDS


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=[c.ident for c in DOCUMENT_CASES])
def test_every_subject_of_an_answer_is_explained(policy: Policy, case: Any) -> None:
    data = _explained(policy, case)
    by_id = _by_id(data)
    for n, finding in enumerate(data["findings"], start=1):
        explanation = _finding_explained(policy, by_id, n, finding)
        if "entry" in finding["facts"]:  # the trace entry it is about is quoted
            entry = f"记录第 {finding['facts']['entry']} 条"
            assert any(entry in fact for r in explanation["because"] for fact in r["facts"])
    for step in data["steps"]:
        explanation = by_id[("step", step["id"])]
        cited = {r["rule"] for r in explanation["because"]}
        assert {r["rule"] for r in step["required_by"]} <= cited
    rules_of: dict[str, set[str]] = {}  # one pair may follow from two rules (32: a32.1, a32.2)
    for pair in data["precedence"]:
        rules_of.setdefault(f"{pair['before']} > {pair['after']}", set()).add(pair["rule"])
    for key, rules in rules_of.items():
        explanation = by_id[("precedence", key)]
        assert explanation["because"][0]["rule"] in rules


def test_a_step_filled_through_a_relation_names_the_definition_and_its_facts(
    policy: Policy,
) -> None:
    doc = {"document": {"id": "x", "kind": "outgoing", "in_name_of": "office", "fields": ["审计"]}}
    data = policy.route(doc, explain=True).to_dict("en")
    [review] = [e for e in data["explanations"] if e["id"] == "review:孙副主任"]
    [definition] = [r for r in review["because"] if r["rule"] == "a14.1"]
    assert definition["article"] == 14
    assert definition["statement"] == (
        "定义 分管副主任：是 副主任，且 分管 主办领域，且 非 是 未经办的同领域副主任。"
    )
    assert "孙副主任 covers 审计 (the document's lead field)" in definition["facts"]
    assert "孙副主任 is deputy director of the office" in definition["facts"]


def test_a_late_review_explains_the_working_day_count(policy: Policy) -> None:
    doc = {
        "document": {"id": "x", "kind": "outgoing", "in_name_of": "office", "fields": ["卫生"]},
        "trace": [
            {"actor": "秘书股", "action": "propose", "at": "2021-09-30T09:00", "opinion": "拟同意"},
            {"actor": "钱副主任", "action": "review", "at": "2021-10-09T09:00", "opinion": "同意"},
            {"actor": "赵主任", "action": "sign", "at": "2021-10-09T10:00", "opinion": "同意"},
        ],
    }
    data = policy.check(doc, explain=True).to_dict("zh")
    [late] = [e for e in data["explanations"] if e["subject"] == "finding"]
    facts = [f for r in late["because"] for f in r["facts"]]
    assert any("2021-09-30" in f and "2021-10-08" in f and "调休" in f for f in facts)


def test_an_act_beyond_the_actors_bound_names_whose_step_it_is(policy: Policy) -> None:
    """The director issuing a government document: the finding cites the bound on his own
    powers (article 4); its explanation names the mayor's step that the act belongs to (29)."""
    doc = {
        "document": {
            "id": "x",
            "kind": "outgoing",
            "in_name_of": "district_government",
            "fields": ["卫生"],
        },
        "trace": [
            {"actor": "秘书股", "action": "propose", "at": "2021-11-10T09:00", "opinion": "拟"},
            {"actor": "钱副主任", "action": "review", "at": "2021-11-10T10:30", "opinion": "同意"},
            {"actor": "王副区长", "action": "sign", "at": "2021-11-10T15:00", "opinion": "同意"},
            {"actor": "赵主任", "action": "sign", "at": "2021-11-10T16:00", "opinion": "同意"},
            {"actor": "赵主任", "action": "issue", "at": "2021-11-10T16:05", "opinion": "发"},
        ],
    }
    data = policy.check(doc, explain=True).to_dict("en")
    [n] = [i for i, f in enumerate(data["findings"], 1) if f["kind"] == "no_power"]
    assert data["findings"][n - 1]["article"] == 4
    [why] = [e for e in data["explanations"] if (e["subject"], e["id"]) == ("finding", str(n))]
    steps = [r for r in why["because"] if "the step of 张区长" in r["says"]]
    assert [(r["rule"], r["article"]) for r in steps] == [("a29.1", 29)]


def test_an_interpretation_behind_a_precedence_is_named(policy: Policy) -> None:
    doc = {
        "document": {
            "id": "x",
            "kind": "outgoing",
            "in_name_of": "district_government",
            "fields": ["教育"],
        }
    }
    result = policy.route(doc, interpretations={"vice_mayor_first": True}, explain=True)
    data = result.to_dict("en")
    [pair] = [e for e in data["explanations"] if e["id"] == "sign:王副区长 > sign:赵主任"]
    interp = pair["because"][0]["interpretation"]
    assert interp["name"] == "vice_mayor_first" and interp["enabled"] is True
    assert interp["justification"]


def test_explanations_are_absent_unless_asked(policy: Policy) -> None:
    doc = {"document": {"id": "x", "kind": "incoming", "fields": ["教育"]}}
    assert "explanations" not in policy.route(doc).to_dict()


LEAVE_CASES = [
    c for path in case_files(bundled_policy_dir()) for c in load_cases(path) if c.verb == "leave"
]
PRESENCE_KINDS = {
    "absent_together",
    "no_acting",
    "meeting_missed",
    "not_a_member",
    "meeting_caller",
    "matter_not_asked",
    "matter_not_reported",
    "report_missing",
    "report_late",
}


def _explained_plan(policy: Policy, case: Any) -> dict[str, Any]:
    result = policy.check_leave(
        case.data, case.org, interpretations=case.interpretations, explain=True
    )
    return result.to_dict("zh")


def test_the_policy_cases_reach_every_presence_finding_kind(policy: Policy) -> None:
    seen = {f["kind"] for c in LEAVE_CASES for f in _explained_plan(policy, c)["findings"]}
    assert seen >= PRESENCE_KINDS


@pytest.mark.parametrize("case", LEAVE_CASES, ids=[c.ident for c in LEAVE_CASES])
def test_every_finding_and_acting_pair_of_a_plan_is_explained(policy: Policy, case: Any) -> None:
    data = _explained_plan(policy, case)
    by_id = _by_id(data)
    for n, finding in enumerate(data["findings"], start=1):
        first = _finding_explained(policy, by_id, n, finding)["because"][0]
        for key, label in (("absence", "项缺勤"), ("meeting", "次会议"), ("matter", "项事项")):
            if key in finding["facts"]:  # the absence, meeting or matter it is about is quoted
                quoted = f"第 {finding['facts'][key]} {label}"
                assert any(quoted in fact for fact in first["facts"]), (quoted, first["facts"])
    for row in data["acting"]:
        explanation = by_id[("acting", f"{row['absent']} > {row['acting']}")]
        assert explanation["because"][0]["rule"] == row["rule"]


def test_the_presiding_deputy_is_explained_by_its_definition(policy: Policy) -> None:
    plan = {"absences": [{"who": "赵主任", "kind": "business_trip", "from": "2021-06-07",
                          "to": "2021-06-08"}]}  # fmt: skip
    data = policy.check_leave(plan, explain=True).to_dict("en")
    [acting] = [e for e in data["explanations"] if e["subject"] == "acting"]
    assert acting["id"] == "赵主任 > 钱副主任"
    definition = acting["because"][1]
    assert (
        definition["article"] == 25
        and "钱副主任 is deputy party secretary of the office" in (definition["facts"])
    )
    assert "2 working days" in acting["because"][0]["facts"]
