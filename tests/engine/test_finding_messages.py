"""Every finding kind's sentence, in Chinese and in English, written out (issue 15, item 18):
swapping two kinds' words (the 请示 and 报告 of the two article-38 findings) or a label must
fail here, since no other test reads the messages word for word. A new kind must be added."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govrules.engine import Policy
from govrules.findings import _BUILDERS, build_finding

D1 = date(2021, 3, 1).toordinal()
D2 = date(2021, 3, 5).toordinal()

# kind: (rule, args as the kernel derives them, zh message, en message)
CASES: dict[str, tuple[str, tuple[Any, ...], str, str]] = {
    "unfilled_step": (
        "a29.1",
        ("p", "review", "deputy_director"),
        "组织中没有人担任「副主任」，流程无法完成「审核」这一步",
        "nobody in the organisation is deputy director of the office, so the step 'review' "
        "cannot be done",
    ),
    "missing_step": (
        "a29.1",
        ("sign", "赵主任"),
        "缺少步骤：赵主任 未审签",
        "missing step: 赵主任 did not sign",
    ),
    "out_of_order": (
        "a29.1",
        (("review", "钱副主任"), ("issue", "张区长"), 2),
        "顺序错误：张区长 签发（记录第 3 条）早于 钱副主任 审核",
        "out of order: 张区长 did 'issue' (entry 3) before 钱副主任 did 'review'",
    ),
    "no_power": (
        "a29.1",
        (0, "孙副主任", "sign"),
        "记录第 1 条：孙副主任 无权审签本公文（既不是其审批流程中的步骤，也没有规则授权）",
        "entry 1: 孙副主任 has no power to 'sign' this document (not a step of its procedure, "
        "and no rule empowers it)",
    ),
    "opinion_missing": (
        "a26.1",
        (1, "赵主任", "review"),
        "记录第 2 条：赵主任 审核未签署明确意见",
        "entry 2: 赵主任 did 'review' without an explicit opinion",
    ),
    "circled_only": (
        "a26.1",
        (4, "赵主任", "review"),
        "记录第 5 条：赵主任 只作阅知标记，未就「审核」提出明确意见",
        "entry 5: 赵主任 only circled the document instead of 'review' with an explicit opinion",
    ),
    "after_issue": (
        "a29.1",
        (5, "王副区长", "sign", 4),
        "记录第 6 条：公文已于第 5 条办结，王副区长 仍在办结后审签",
        "entry 6: 王副区长 did 'sign' after the document was concluded (entry 5)",
    ),
    "not_resubmitted": (
        "a28.2",  # the revision loop's rule, which the kernel cites
        (1, "钱副主任"),
        "记录第 2 条：钱副主任 退回修改后，公文未再送其审核",
        "entry 2: after 钱副主任 did 'return for revision', the document was never resubmitted "
        "to them for 'review'",
    ),
    "resubmitted_unrevised": (
        "a28.2",
        (1, "钱副主任", 3),
        "记录第 2 条：钱副主任 退回修改后，第 4 条再审核前没有按要求修改落实",
        "entry 2: 钱副主任 did 'return for revision', but nothing was revised before 'review' "
        "again at entry 4",
    ),
    "unexplained_rejection": (
        "a30.1",
        (0, "区教育局"),
        "第 1 项征询：区教育局 的意见未采纳，也未沟通说明",
        "consultation 1: the opinion of 区教育局 was not adopted and not explained",
    ),
    "forbidden_action": (
        "a26.1",
        (2, "钱副主任", "circulate"),
        "记录第 3 条：钱副主任 不得圈阅",
        "entry 3: 钱副主任 may not circle without an opinion",
    ),
    "late_action": (
        "a28.2",
        ("review", "钱副主任", 4, D1),
        "记录第 5 条：钱副主任 审核 晚于期限 2021-03-01",
        "entry 5: 钱副主任 did 'review' after the due date 2021-03-01",
    ),
    "absent_together": (
        "a39.3",
        ("钱副主任", 0, "王副区长", 2, D1, D2),
        "钱副主任（第 1 项）与其分管副区长 王副区长（第 3 项）2021-03-01 至 2021-03-05 同时不在岗",
        "钱副主任 (absence 1) and 王副区长 (absence 3), the vice-mayor in charge for them, are "
        "away together on 2021-03-01 to 2021-03-05",
    ),
    "no_acting": (
        "a25.1",
        ("赵主任", 0, "钱副主任", 1, D1, D1),
        "赵主任（第 1 项）外出期间，应代为主持工作的 钱副主任（第 2 项）2021-03-01 也不在岗，"
        "岗位在工作日无人主持",
        "while 赵主任 is away (absence 1), 钱副主任, who is to act for them, is away too "
        "(absence 2) on 2021-03-01: nobody acts on those working days",
    ),
    "meeting_missed": (
        "a24.2",
        (202103, D1, D2),
        "2021-03 未召开会议（规则要求一般每月召开1次）",
        "no meeting held in 2021-03 (the rule: generally once a month)",
    ),
    "matter_unspecified": (
        "a35.1",
        (0, "钱副主任", "deadline"),
        "钱副主任 的第 1 项督查事项未明确完成时限",
        "钱副主任's key work listed for supervision 1 names no deadline",
    ),
    "meeting_too_few": (
        "a24.2",
        ("week", D1, D2, 1, 2),
        "2021-03-01 至 2021-03-05 只召开会议 1 次（规则要求每周召开2次）",
        "only 1 meeting(s) held from 2021-03-01 to 2021-03-05 (the rule: 2 a week)",
    ),
    "not_a_member": (
        "a24.1",
        (1, "郑联系人", D1),
        "第 2 次会议（2021-03-01）：郑联系人 不是会议组成人员，只能列席（observers），"
        "不能作为与会成员（attendees）",
        "meeting 2 (2021-03-01): 郑联系人 is not a member of the meeting and may only "
        "sit in (observers), not attend as a member (attendees)",
    ),
    "meeting_caller": (
        "a24.3",
        (0, "钱副主任", D2),
        "第 1 次会议（2021-03-05）是临时会议，由 钱副主任 召开；临时召开须由主任决定",
        "meeting 1 (2021-03-05) was an ad hoc meeting called by 钱副主任; only director of "
        "the office decides to call one",
    ),
    "matter_not_asked": (
        "a38.1",
        (0, "钱副主任", "王副区长"),
        "钱副主任 的第 1 项重要事项未请示 王副区长",
        "钱副主任's important matter 1 was not brought for instructions to 王副区长",
    ),
    "matter_not_reported": (
        "a38.2",
        (1, "钱副主任", "赵主任"),
        "钱副主任 的第 2 项重要事项未报告 赵主任",
        "钱副主任's important matter 2 was not reported to 赵主任",
    ),
    "report_missing": (
        "a39.1",
        (0, "赵主任", "张区长"),
        "赵主任 的第 1 项缺勤未事先报告 张区长",
        "赵主任's absence 1 was not reported in advance to 张区长",
    ),
    "report_late": (
        "a39.1",
        (0, "赵主任", "张区长", D2),
        "赵主任 的第 1 项缺勤到 2021-03-05 才报告 张区长，不是事先报告",
        "赵主任's absence 1 was reported to 张区长 only on 2021-03-05, not in advance",
    ),
    "acting_not_named": (
        "a25.4",
        (2, "周副主任", "赵主任"),
        "记录第 3 条：周副主任 代 赵主任 办理，但没有规则指定 周副主任 代 赵主任 主持工作",
        "entry 3: 周副主任 acted for 赵主任, but no rule names 周副主任 to act for 赵主任",
    ),
    "acting_not_away": (
        "a25.4",
        (2, "钱副主任", "赵主任", D1),
        "记录第 3 条：钱副主任 代 赵主任 办理，但计划中 赵主任 2021-03-01 并未外出",
        "entry 3: 钱副主任 acted for 赵主任, but the plan does not have 赵主任 away on 2021-03-01",
    ),
    "acting_unverified": (
        "a25.4",
        (2, "钱副主任", "赵主任"),
        "记录第 3 条：钱副主任 代 赵主任 办理；"
        "未提供请假计划，无法核实 赵主任 当日外出（check --plan）",
        "entry 3: 钱副主任 acted for 赵主任; no plan was given, so 赵主任's absence that day is "
        "not verified (check --plan)",
    ),
    "action_out_of_order": (
        "a29.1",
        (2, "张区长", "issue", "review"),
        "记录第 3 条：张区长 签发之前没有任何「审核」",
        "entry 3: 张区长 did 'issue' with no 'review' before it",
    ),
    "not_reexamined": (
        "a29.1",  # not a same-actor rule: the sentence falls back to its own words
        (4, "张区长"),
        "记录第 5 条修改之后，原签发者 张区长 未复审",
        "after the 'change' of entry 5, 张区长, who did 'sign', did not 're-examine'",
    ),
    "past_time_limit": (
        "a29.1",
        ("review", "钱副主任", 2, "secret", D1, 720),
        "记录第 3 条：钱副主任 审核晚于公文的秘密文件 2021-03-01T12:00",
        "entry 3: 钱副主任 did 'review' after the document's secret document, 2021-03-01T12:00",
    ),
    "missing_value": (
        "a29.1",
        ("secret",),
        "公文未写明秘密文件（secret）",
        "the document does not give its secret document (secret)",
    ),
    "late_in_hours": (
        "a29.1",
        ("review", "钱副主任", 2, 4),
        "记录第 3 条：钱副主任 审核超过 4 小时的时限",
        "entry 3: 钱副主任 did 'review' more than 4 hours after it arrived",
    ),
    "precedence_cycle": (
        "a29.1",
        (("review", "钱副主任"),),
        "流程先后关系成环：review:钱副主任 须先于自身，没有可行的审批顺序",
        "the precedence has a cycle through review:钱副主任: no valid order exists",
    ),
}


def test_every_finding_kind_has_its_row() -> None:
    assert set(CASES) == set(_BUILDERS)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_finding_kind_says_what_it_should_in_both_languages(policy: Policy, kind: str) -> None:
    rule, args, zh, en = CASES[kind]
    finding = build_finding("violation", 1, rule, kind, args, policy.program)
    assert finding.message.zh == zh
    assert finding.message.en == en
    assert finding.to_json("zh")["message"] == zh and finding.to_json("en")["message"] == en
