"""Presence forms over a policy's own words: meetings and matters of any declared kind,
reports to a unit (and the unit-members reading), conditions on an absence's length.

A small policy of its own (none of Xihu's words) is scaffolded with `govrules init` and
given two kinds of meeting, two kinds of matter and a unit; every answer below is checked
through `Policy.check_leave`, and one through `govrules leave` itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.errors import InputError

VOCABULARY = """
  角色 副职 = deputy “deputy head”。
  单位 办公室 = office “the office”。
  缺勤 休假 = vacation “vacation”。
  会议 例会 = weekly “the weekly meeting”。
  会议 办公会 = board “the board meeting”。
  事项 重大事项 = major “major matter”。
  事项 督办事项 = supervised “supervised matter”。
"""

RULES = """第二条
  规则 a2.1：例会 由 负责人、副职 组成。
  规则 a2.2：例会 每周 召开 1 次。
  规则 a2.3：办公会 由 负责人 组成。
  规则 a2.4：办公会 一般 每月 召开 2 次。
  规则 a2.5：临时 办公会 由 负责人 决定 召开。
  规则 a2.6：经办人 休假 超过 3 个工作日 的，应 事先 报告 负责人、办公室。
  规则 a2.7：副职 重大事项，应 及时 报告 负责人。
  规则 a2.8：副职 督办事项，应 及时 请示 办公室。
  解释 成员代收 = member_receives 默认 关闭：“向单位的成员报告是否即向该单位报告。”。
  规则 a2.9：依 解释 成员代收：
  向 单位 任一 成员 报告 视为 向 该单位 报告。
"""

ARTICLE = """
[[articles]]
number = 2
chapter = 1
text = "例会每周召开1次；办公会一般每月召开2次。"
text_en = "The weekly meeting is held every week; the board meeting twice a month."
kind = "normative"
"""

ORG = {
    "district": "示例单位",
    "people": [
        {"name": "王经办", "roles": ["clerk"]},
        {"name": "李负责人", "roles": ["head"]},
        {"name": "赵副职", "roles": ["deputy"]},
        {"name": "钱秘书", "roles": ["clerk"], "units": ["office"]},
    ],
    "units": {"office": "办公室"},
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("presence") / "policy"
    result = CliRunner().invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.stderr
    vocabulary = root / "vocabulary.rules"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + VOCABULARY, encoding="utf-8")
    (root / "rules" / "a02-presence.rules").write_text(RULES, encoding="utf-8")
    articles = root / "articles.toml"
    articles.write_text(articles.read_text(encoding="utf-8") + ARTICLE, encoding="utf-8")
    (root / "org.json").write_text(json.dumps(ORG, ensure_ascii=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def own(folder: Path) -> Policy:
    return Policy.load(folder)


def findings(policy: Policy, plan: dict[str, Any], **interp: bool) -> list[tuple[Any, ...]]:
    result = policy.check_leave(plan, ORG, interpretations=interp)
    return sorted(
        (f.rule, f.kind, *(str(v) for _, v in sorted(f.facts.items()))) for f in result.findings
    )


MARCH = {"from": "2024-03-01", "to": "2024-03-31"}  # weeks from Monday 4 March to Sunday 31


def meeting(of: str, on: str, *attendees: str, **more: Any) -> dict[str, Any]:
    return {"meeting": of, "on": on, "attendees": list(attendees), **more}


def test_each_kind_of_meeting_keeps_its_own_frequency_and_members(own: Policy) -> None:
    plan: dict[str, Any] = {
        "period": MARCH,
        "meetings": [
            meeting("weekly", "2024-03-05", "李负责人", "赵副职"),
            meeting("例会", "2024-03-12", "赵副职"),
            meeting("weekly", "2024-03-19"),
            # A board meeting in the last week does not make up for the weekly one.
            meeting("board", "2024-03-27", "李负责人"),
            meeting("办公会", "2024-03-06", "赵副职"),  # not a member of this kind
        ],
    }
    assert findings(own, plan) == [
        ("a2.2", "meeting_too_few", "2024-03-25", "0", "1", "2024-03-31"),
        ("a2.3", "not_a_member", "5", "2024-03-06", "赵副职"),
    ]
    # One board meeting in March is short of twice a month: a warning (一般).
    plan["meetings"] = plan["meetings"][:4]
    result = own.check_leave(plan, ORG)
    short = [f for f in result.findings if f.rule == "a2.4"]
    assert [(f.severity, f.facts["held"], f.facts["required"]) for f in short] == [
        ("warning", 1, 2)
    ]


def test_the_caller_rule_binds_only_its_kind(own: Policy) -> None:
    plan = {
        "meetings": [
            meeting("weekly", "2024-03-05", kind="ad_hoc", called_by="王经办"),
            meeting("board", "2024-03-06", kind="ad_hoc", called_by="王经办"),
            meeting("board", "2024-03-07", kind="ad_hoc", called_by="李负责人"),
        ]
    }
    assert findings(own, plan) == [("a2.5", "meeting_caller", "王经办", "2", "2024-03-06")]


def test_a_meeting_must_say_its_kind_when_several_are_declared(own: Policy) -> None:
    with pytest.raises(InputError) as caught:
        own.check_leave({"meetings": [{"on": "2024-03-05"}]}, ORG)
    assert "meetings[0]" in caught.value.render("en") and "weekly" in caught.value.render("en")
    with pytest.raises(InputError) as caught:
        own.check_leave({"meetings": [{"meeting": "weekley", "on": "2024-03-05"}]}, ORG)
    assert "did you mean 'weekly'" in caught.value.render("en")


def vacation(start: str, end: str, *reported: tuple[str, str]) -> dict[str, Any]:
    return {
        "who": "王经办",
        "kind": "vacation",
        "from": start,
        "to": end,
        "reported": [{"to": to, "on": on} for to, on in reported],
    }


def test_only_absences_longer_than_the_limit_owe_a_report(own: Policy) -> None:
    four = vacation("2024-03-04", "2024-03-07")  # Monday to Thursday: 4 working days
    three = vacation("2024-03-11", "2024-03-13")  # 3 working days: not longer than 3
    weekend = vacation("2024-03-15", "2024-03-19")  # 5 days, 3 of them working days
    assert findings(own, {"absences": [four, three, weekend]}) == [
        ("a2.6", "report_missing", "1", "王经办", "办公室"),
        ("a2.6", "report_missing", "1", "王经办", "李负责人"),
    ]


def test_a_report_to_a_unit_by_its_id_or_name(own: Policy) -> None:
    by_id = vacation(
        "2024-03-04", "2024-03-07", ("李负责人", "2024-03-01"), ("office", "2024-03-01")
    )
    by_name = vacation(
        "2024-03-04", "2024-03-07", ("李负责人", "2024-03-01"), ("办公室", "2024-03-01")
    )
    assert findings(own, {"absences": [by_id]}) == []
    assert findings(own, {"absences": [by_name]}) == []
    late = vacation(
        "2024-03-04", "2024-03-07", ("李负责人", "2024-03-01"), ("office", "2024-03-05")
    )
    assert findings(own, {"absences": [late]}) == [
        ("a2.6", "report_late", "1", "王经办", "办公室", "2024-03-05")
    ]


def test_a_report_to_a_member_counts_for_the_unit_only_under_the_reading(own: Policy) -> None:
    to_member = vacation(
        "2024-03-04", "2024-03-07", ("李负责人", "2024-03-01"), ("钱秘书", "2024-03-01")
    )
    assert findings(own, {"absences": [to_member]}) == [
        ("a2.6", "report_missing", "1", "王经办", "办公室")
    ]
    assert findings(own, {"absences": [to_member]}, member_receives=True) == []
    # A report to someone who is not a member of the unit never counts for it.
    to_other = vacation(
        "2024-03-04", "2024-03-07", ("李负责人", "2024-03-01"), ("赵副职", "2024-03-01")
    )
    assert findings(own, {"absences": [to_other]}, member_receives=True) == [
        ("a2.6", "report_missing", "1", "王经办", "办公室")
    ]


def matter(kind: str, **more: Any) -> dict[str, Any]:
    return {"who": "赵副职", "subject": "事项", "on": "2024-03-05", "kind": kind, **more}


def test_each_kind_of_matter_owes_what_its_rule_says(own: Policy) -> None:
    plan = {"matters": [matter("major"), matter("督办事项")]}
    result = own.check_leave(plan, ORG)
    assert sorted((f.rule, f.kind, f.facts["recipient"]) for f in result.findings) == [
        ("a2.7", "matter_not_reported", "李负责人"),
        ("a2.8", "matter_not_asked", "办公室"),
    ]
    messages = sorted(f.message.zh for f in result.findings)
    assert messages == [
        "赵副职 的第 1 项重大事项未报告 李负责人",
        "赵副职 的第 2 项督办事项未请示 办公室",
    ]
    done = {
        "matters": [
            matter("重大事项", reported=[{"to": "李负责人", "on": "2024-03-06"}]),
            matter("supervised", requested=[{"to": "office", "on": "2024-03-05"}]),
        ]
    }
    assert findings(own, done) == []


def test_a_matter_must_say_its_kind_when_several_are_declared(own: Policy) -> None:
    with pytest.raises(InputError) as caught:
        own.check_leave({"matters": [{"who": "赵副职", "subject": "x", "on": "2024-03-05"}]}, ORG)
    assert "matters[0]" in caught.value.render("en") and "supervised" in caught.value.render("en")


def test_govrules_leave_answers_with_the_policy_s_own_words(folder: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps({"period": MARCH, "meetings": [meeting("例会", "2024-03-05")]}),
        encoding="utf-8",
    )
    args = ["leave", str(plan), "--policy", str(folder), "--org", str(folder / "org.json")]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    data = json.loads(result.stdout)
    weeks = sorted(f["facts"]["from"] for f in data["findings"] if f["rule"] == "a2.2")
    assert weeks == ["2024-03-11", "2024-03-18", "2024-03-25"]
    assert result.exit_code == 1


def test_the_bundled_policy_s_meetings_may_name_their_kind(policy: Policy) -> None:
    from govrules.inputs import load_org
    from govrules.resources import bundled_org_file

    org = load_org(bundled_org_file())
    period = {"from": "2021-03-01", "to": "2021-04-30"}
    plans = [
        {"period": period, "meetings": [{"on": "2021-03-02", **named}]}
        for named in ({}, {"meeting": "briefing"}, {"meeting": "碰头会议"})
    ]
    answers = [
        sorted((f.rule, f.kind, json.dumps(f.facts)) for f in policy.check_leave(p, org).findings)
        for p in plans
    ]
    assert answers[0] == answers[1] == answers[2]
    assert [a[1] for a in answers[0]] == ["meeting_missed"]  # April only
    with pytest.raises(InputError) as caught:
        policy.check_leave({"meetings": [{"on": "2021-03-02", "meeting": "碰头会"}]}, org)
    assert "碰头会议" in caught.value.render("zh")


def test_matters_of_a_kind_name_the_details_their_rule_requires(policy: Policy) -> None:
    from govrules.inputs import load_org
    from govrules.resources import bundled_org_file

    org = load_org(bundled_org_file())
    item = {"who": "钱副主任", "subject": "督查", "kind": "supervised_work", "on": "2021-05-04"}
    result = policy.check_leave({"matters": [item]}, org)
    assert sorted((f.rule, f.kind, f.facts["missing"]) for f in result.findings) == [
        ("a35.1", "matter_unspecified", "deadline"),
        ("a35.1", "matter_unspecified", "responsible"),
    ]
    named = {**item, "responsible": "区教育局局长", "deadline": "2021-06-30"}
    assert list(policy.check_leave({"matters": [named]}, org).findings) == []
    # A matter naming no kind is of the kind declared 特性 缺省 (重要事项): it owes requests and
    # reports, not details, as every plan written before 督查事项 was declared.
    plain = {"who": "钱副主任", "subject": "x", "on": "2021-05-04"}
    kinds = {f.kind for f in policy.check_leave({"matters": [plain]}, org).findings}
    assert kinds == {"matter_not_asked", "matter_not_reported"}
