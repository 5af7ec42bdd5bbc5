"""The grammar: every form in both keyword sets gives the expected surface tree."""

from __future__ import annotations

import pytest

from govrules.errors import RuleError
from govrules.lang import ast
from govrules.lang.syntax import parse_rules

from .common import plain, resolve_text, statement

# Each form: Chinese text, English text (same terms, so the same tree), expected tree.
FORMS: dict[str, tuple[str, str, object]] = {
    "interpretation": (
        "解释 宽泛 = broad 默认 开启：“理由”。",
        'interpretation 宽泛 = broad default enabled: "理由".',
        ("Interpretation", "宽泛", "broad", True, "理由"),
    ),
    "interpretation_no_ident": (
        "解释 broad 默认 关闭：“x”。",
        'interpretation broad default disabled: "x".',
        ("Interpretation", "broad", None, False, "x"),
    ),
    "definition_document": (
        "定义 分管副主任：是 副主任 或 主任，且 分管 主办领域，且 分管 公文领域，且 非 是 区长。",
        "define 分管副主任: is 副主任 or 主任, and covers the lead field, "
        "and covers a field of the document, and not is 区长.",
        (
            "Definition",
            "分管副主任",
            None,
            (
                ("CondRole", ("副主任", "主任")),
                ("CondCoversLead",),
                ("CondCoversField",),
                ("CondNot", ("CondRole", ("区长",))),
            ),
        ),
    ),
    "definition_personal": (
        "定义 甲 的 分管副区长：是 副区长，且 与 甲 有 共同领域，且 甲 无 指定汇报对象，"
        "且 是 甲 的 指定汇报对象，且 非 与 甲 有 共同领域，且 非 甲 无 指定汇报对象。",
        "define 分管副区长 of 甲: is 副区长, and shares a field with 甲, "
        "and 甲 has no designated superior, and is a designated superior of 甲, "
        "and not shares a field with 甲, and not 甲 has no designated superior.",
        (
            "Definition",
            "分管副区长",
            "甲",
            (
                ("CondRole", ("副区长",)),
                ("CondShares", "甲"),
                ("CondNoDesignated", "甲"),
                ("CondDesignated", "甲"),
                ("CondNot", ("CondShares", "甲")),
                ("CondNot", ("CondNoDesignated", "甲")),
            ),
        ),
    ),
    "procedure": (
        "流程 区政府行文：适用 于 发文，非 秘密文件，名义 为 区政府 或 区政府党组；"
        "秘书股 拟办；然后 分管副主任 审核 与 主任 审核 若 需领导审签，发文；"
        "然后 区长 签发 若 名义 为 区政府 与 党组书记 签发 若 非 需领导审签。",
        "procedure 区政府行文: applies to 发文, not 秘密文件, name is 区政府 or 区政府党组; "
        "秘书股 拟办; then 分管副主任 审核 and 主任 审核 if 需领导审签, 发文; "
        "then 区长 签发 if name is 区政府 and 党组书记 签发 if not 需领导审签.",
        (
            "Procedure",
            "区政府行文",
            (
                ("DocTerm", "发文", False),
                ("DocTerm", "秘密文件", True),
                ("DocName", ("区政府", "区政府党组")),
            ),
            (
                (("Step", "秘书股", "拟办", (), False),),
                (
                    ("Step", "分管副主任", "审核", (), False),
                    (
                        "Step",
                        "主任",
                        "审核",
                        (("DocTerm", "需领导审签", False), ("DocTerm", "发文", False)),
                        False,
                    ),
                ),
                (
                    ("Step", "区长", "签发", (("DocName", ("区政府",)),), False),
                    ("Step", "党组书记", "签发", (("DocTerm", "需领导审签", True),), False),
                ),
            ),
        ),
    ),
    "procedure_order": (
        "流程 区政府行文 中 分管副区长 审签 先于 主任 审签。",
        "in procedure 区政府行文 分管副区长 审签 before 主任 审签.",
        (
            "ProcedureOrder",
            "区政府行文",
            ("StepRef", "分管副区长", "审签"),
            ("StepRef", "主任", "审签"),
        ),
    ),
    "procedure_extend": (
        "流程 办公室行文 也 适用 于 发文，名义 为 区政府办公室党组。",
        "procedure 办公室行文 also applies to 发文, name is 区政府办公室党组.",
        (
            "ProcedureExtend",
            "办公室行文",
            (("DocTerm", "发文", False), ("DocName", ("区政府办公室党组",))),
        ),
    ),
    "prohibit_together": (
        "禁止 副主任 与 其 分管副区长 同时 出差、休假。",
        "forbid 副主任 and their 分管副区长 at the same time on 出差, 休假.",
        ("ProhibitTogether", "副主任", "分管副区长", ("出差", "休假")),
    ),
    "prohibit_action": (
        "禁止 分管副主任 圈阅。",
        "forbid 分管副主任 圈阅.",
        ("ProhibitAction", "分管副主任", "圈阅"),
    ),
    "report_duty": (
        "副主任 出差、休假，应 事先 报告 其 分管副区长、主任。",
        "副主任 on 出差, 休假 must report in advance to their 分管副区长, 主任.",
        (
            "ReportDuty",
            "副主任",
            ("出差", "休假"),
            False,
            (("Recipient", "分管副区长", True), ("Recipient", "主任", False)),
            None,
        ),
    ),
    "report_duty_in_principle": (
        "主任 出差 原则上 应 事先 报告 区长。",
        "主任 出差 in principle must report in advance to 区长.",
        ("ReportDuty", "主任", ("出差",), True, (("Recipient", "区长", False),), None),
    ),
    # Presence forms over declared words: meetings and matters of any declared kind, reports
    # to a unit, conditions on an absence's length.
    "report_duty_longer": (
        "副主任 休假 超过 3 个工作日 的，应 事先 报告 主任、秘书股。",
        "副主任 on 休假 longer than 3 working days must report in advance to 主任, 秘书股.",
        (
            "ReportDuty",
            "副主任",
            ("休假",),
            False,
            (("Recipient", "主任", False), ("Recipient", "秘书股", False)),
            3,
        ),
    ),
    "meeting_members": (
        "碰头会议 由 主任、副主任 组成。",
        "碰头会议 consists of 主任, 副主任.",
        ("MeetingMembers", "碰头会议", ("主任", "副主任")),
    ),
    "meeting_monthly": (
        "碰头会议 一般 每月 召开 1 次。",
        "碰头会议 generally is held once a month.",
        ("MeetingFrequency", "碰头会议", True, "month", 1),
    ),
    "meeting_weekly_twice": (
        "党组会议 每周 召开 2 次。",
        "党组会议 is held 2 times a week.",
        ("MeetingFrequency", "党组会议", False, "week", 2),
    ),
    "meeting_caller": (
        "临时 碰头会议 由 主任 决定 召开。",
        "ad hoc 碰头会议 is called by 主任.",
        ("MeetingCaller", "碰头会议", "主任"),
    ),
    "matter_duty": (
        "必要时 主任、副主任 重要事项，应 及时 报告 其 分管副区长、秘书股。",
        "when necessary 主任, 副主任 on 重要事项 must promptly report to their 分管副区长, 秘书股.",
        (
            "MatterDuty",
            ("主任", "副主任"),
            "report",
            False,
            (("Recipient", "分管副区长", True), ("Recipient", "秘书股", False)),
            True,
            ("重要事项",),
        ),
    ),
    "matter_any_one": (
        "未注明领域 的 重要事项 请示、报告 其中 一人 即可。",
        "重要事项 without a field go to any one of them.",
        ("PlanReading", "matter_any_one", "重要事项"),
    ),
    "matter_details": (
        "主任、副主任 督查事项，应 明确 责任人、完成时限。",
        "主任, 副主任 on 督查事项 must specify a responsible person, a deadline.",
        ("MatterDetails", ("主任", "副主任"), ("督查事项",), False, ("responsible", "deadline")),
    ),
    "unit_members": (
        "向 单位 任一 成员 报告 视为 向 该单位 报告。",
        "a report to any member of a unit is a report to the unit.",
        ("PlanReading", "unit_members", None),
    ),
    "deadline": (
        "分管副主任 原则上 应 在 1个工作日内 完成 审核。",
        "分管副主任 in principle must 审核 within 1 working days.",
        ("DeadlineDuty", "分管副主任", "审核", 1, True),
    ),
    "procedure_optional_step": (
        "流程 跨领域公文：适用 于 跨领域；协办副主任 签署意见 如有；"
        "然后 协办副区长 审核 如有 若 发文。",
        "procedure 跨领域公文: applies to 跨领域; 协办副主任 签署意见 if any; "
        "then 协办副区长 审核 if any if 发文.",
        (
            "Procedure",
            "跨领域公文",
            (("DocTerm", "跨领域", False),),
            (
                (("Step", "协办副主任", "签署意见", (), True),),
                (("Step", "协办副区长", "审核", (("DocTerm", "发文", False),), True),),
            ),
        ),
    ),
    "definition_drafts_serves": (
        "定义 联系人：是 区领导联系人，且 联系 分管副区长，且 非 起草 本文。",
        "define 联系人: is 区领导联系人, and serves 分管副区长, and not drafts the document.",
        (
            "Definition",
            "联系人",
            None,
            (
                ("CondRole", ("区领导联系人",)),
                ("CondServes", "分管副区长"),
                ("CondNot", ("CondDrafts",)),
            ),
        ),
    ),
    # Issue 14: who the document or its trace points at (公文所指 K 之人, 曾 A, 无人为 R).
    "definition_named_did_nobody": (
        "定义 相关领导：是 公文所指 所指领导 之人，且 曾 批示，"
        "且 无人为 批示的领导，且 是 分管副区长。",
        "define 相关领导: is the person the document names as 所指领导, and did 批示, "
        "and nobody is 批示的领导, and is 分管副区长.",
        (
            "Definition",
            "相关领导",
            None,
            (
                ("CondNamed", "所指领导"),
                ("CondDid", "批示"),
                ("CondNobody", "批示的领导"),
                ("CondRole", ("分管副区长",)),
            ),
        ),
    ),
    "procedure_value_is": (
        "流程 会议纪要印发：适用 于 会议纪要，会议主持人 是 分管副区长；分管副主任 审核。",
        "procedure 会议纪要印发: applies to 会议纪要, 会议主持人 is 分管副区长; 分管副主任 审核.",
        (
            "Procedure",
            "会议纪要印发",
            (("DocTerm", "会议纪要", False), ("DocValueIs", "会议主持人", "分管副区长")),
            ((("Step", "分管副主任", "审核", (), False),),),
        ),
    ),
    "power": (
        "主任 有权 审核、审签：发文，名义 为 区政府办公室。",
        "主任 may 审核, 审签: 发文, name is 区政府办公室.",
        (
            "Power",
            "主任",
            ("审核", "审签"),
            (("DocTerm", "发文", False), ("DocName", ("区政府办公室",))),
        ),
    ),
    "power_everywhere": (
        "副主任 有权 退回修改。",
        "副主任 may 退回修改.",
        ("Power", "副主任", ("退回修改",), ()),
    ),
    "opinion_duty": (
        "拟办、审核 须 有 明确意见。",
        "拟办, 审核 require an explicit opinion.",
        ("OpinionDuty", ("拟办", "审核"), None),
    ),
    "actor_opinion_duty": (
        "主任 审签 须 有 明确意见。",
        "主任 审签 require an explicit opinion.",
        ("OpinionDuty", ("审签",), "主任"),
    ),
    "explain_duty": (
        "起草单位 须 说明 未采纳的意见。",
        "起草单位 must explain opinions not adopted.",
        ("ExplainDuty", "起草单位"),
    ),
    "revision_duty": (
        "退回修改 后，秘书股 原则上 应 拟办，再 审核。",
        "after 退回修改, 秘书股 in principle must 拟办, then 审核 again.",
        ("RevisionDuty", "退回修改", "秘书股", "拟办", "审核", True),
    ),
    "deadline_must": (
        "主任，应 在 三 个 工作日 内 完成 审签。",
        "主任 must 审签 within 3 working days.",
        ("DeadlineDuty", "主任", "审签", 3, False),
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_form_in_both_keyword_sets(form: str, lang: str) -> None:
    zh, en, expected = FORMS[form]
    header = "第一条" if lang == "zh" else "article 1"
    st = statement(f"{header}\n  {zh if lang == 'zh' else en}\n")
    assert st.guard is None
    assert st.article == 1
    assert plain(st.body) == expected


@pytest.mark.parametrize(
    ("text", "when_enabled"),
    [
        ("第二条\n  依 解释 宽泛：禁止 主任 圈阅。", True),
        ("第二条\n  除非 解释 宽泛：\n  禁止 主任 圈阅。", False),
        ("article 2\n  under interpretation 宽泛: forbid 主任 圈阅.", True),
        ("article 2\n  unless interpretation 宽泛:\n  forbid 主任 圈阅.", False),
    ],
)
def test_guards(text: str, when_enabled: bool) -> None:
    st = statement(text)
    assert st.guard is not None
    assert plain(st.guard) == ("Guard", "宽泛", when_enabled)
    assert plain(st.body) == ("ProhibitAction", "主任", "圈阅")
    assert st.article == 2


@pytest.mark.parametrize(
    "text",
    [
        "词汇：\n  角色 区长 = mayor “mayor”。\n  单位 秘书股 = secretariat。\n"
        "  行为 审核 = review。\n  缺勤 出差 = business_trip。\n  公文 发文 = outgoing。\n"
        "  名义 区政府 = district_government。\n  条件 秘密文件 = secret。\n"
        "  关系 分管副主任 = deputy_in_charge。\n  流程 区政府行文 = government_document。\n",
        'vocabulary:\n  role 区长 = mayor "mayor".\n  unit 秘书股 = secretariat.\n'
        "  action 审核 = review.\n  absence 出差 = business_trip.\n  document 发文 = outgoing.\n"
        "  name 区政府 = district_government.\n  condition 秘密文件 = secret.\n"
        "  relation 分管副主任 = deputy_in_charge.\n"
        "  procedure 区政府行文 = government_document.\n",
    ],
)
def test_vocabulary_kinds(text: str) -> None:
    rule_file = parse_rules(text, "v.rules")
    [vocab] = rule_file.vocabularies
    assert all(e.traits == () for e in vocab.entries)
    assert [plain(e)[:5] for e in vocab.entries] == [  # type: ignore[index]
        ("VocabEntry", "role", "区长", "mayor", "mayor"),
        ("VocabEntry", "unit", "秘书股", "secretariat", None),
        ("VocabEntry", "action", "审核", "review", None),
        ("VocabEntry", "absence", "出差", "business_trip", None),
        ("VocabEntry", "document", "发文", "outgoing", None),
        ("VocabEntry", "name", "区政府", "district_government", None),
        ("VocabEntry", "flag", "秘密文件", "secret", None),
        ("VocabEntry", "relation", "分管副主任", "deputy_in_charge", None),
        ("VocabEntry", "procedure", "区政府行文", "government_document", None),
    ]
    first = vocab.entries[0]
    column = text.splitlines()[1].index("区长") + 1
    assert (first.label.pos.line, first.label.pos.column) == (2, column)
    assert rule_file.articles == ()


def test_vocabulary_colon_is_optional() -> None:
    [vocab] = parse_rules("词汇 角色 区长 = mayor。", "v.rules").vocabularies
    assert plain(vocab.entries) == (("VocabEntry", "role", "区长", "mayor", None, ()),)


def test_positions_of_terms_and_statements() -> None:
    text = "第一条\n  禁止 副主任 与 其 分管副区长 同时 休假。\n"
    st = statement(text)
    body = st.body
    assert isinstance(body, ast.ProhibitTogether)
    assert (st.pos.line, st.pos.column) == (2, 3)
    assert (body.role.pos.line, body.role.pos.column) == (2, 6)
    assert (body.relation.pos.line, body.relation.pos.column) == (2, 14)


def test_english_keywords_are_case_insensitive() -> None:
    st = statement("Article 3\n  FORBID 主任 圈阅.")
    assert plain(st.body) == ("ProhibitAction", "主任", "圈阅")
    assert st.article == 3


def test_comments_are_collected_with_their_lines() -> None:
    text = "# 开头\n第一条 # 标题后\n  # 规则前\n  禁止 主任 圈阅。 #行尾\n# 结尾\n"
    rule_file = parse_rules(text, "c.rules")
    assert [(c.text, c.line) for c in rule_file.comments] == [
        ("开头", 1),
        ("标题后", 2),
        ("规则前", 3),
        ("行尾", 4),
        ("结尾", 5),
    ]
    assert len(rule_file.articles[0].statements) == 1


def test_items_keep_source_order() -> None:
    text = "第一条\n  禁止 主任 圈阅。\n词汇：\n  角色 甲方 = party_a。\n第二条\n"
    rule_file = parse_rules(text, "o.rules")
    assert [type(i).__name__ for i in rule_file.items] == ["Article", "Vocabulary", "Article"]
    assert [a.number for a in rule_file.articles] == [1, 2]
    assert rule_file.articles[1].statements == ()


def test_statements_learn_their_article() -> None:
    rule_file = parse_rules("第一条\n  禁止 主任 圈阅。\n第二条\n  禁止 副主任 圈阅。\n", "a")
    assert [st.article for a in rule_file.articles for st in a.statements] == [1, 2]


@pytest.mark.parametrize(
    ("header", "number"),
    [
        ("第四十五条", 45),
        ("第十条", 10),
        ("第一百零五条", 105),
        ("第一百一十条", 110),
        ("第二十九条", 29),
        ("第29条", 29),
        ("article 45", 45),
        ("article 105", 105),
    ],
)
def test_article_numbers(header: str, number: int) -> None:
    [article] = parse_rules(f"{header}\n", "n.rules").articles
    assert article.number == number


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("第一条\n  禁止 主任 圈阅。", "zh"),
        ("article 1\n  forbid 主任 圈阅.", "en"),
        ("词汇：角色 甲方 = party_a。", "zh"),
        ('vocabulary: role 甲方 = party_a "party a".', "en"),
        ("# 只有注释\n", "zh"),
        ("article 1\n  forbid 主任 圈阅。\n  禁止 主任 圈阅。\n  forbid 主任 圈阅.", "en"),
    ],
)
def test_file_language_is_detected_from_keywords(text: str, lang: str) -> None:
    assert parse_rules(text, "l.rules").lang == lang


def test_keyword_uses_record_language_and_place() -> None:
    rule_file = parse_rules("第一条\n  forbid 主任 圈阅。", "m.rules")
    assert [(k.text, k.lang, k.pos.line, k.pos.column) for k in rule_file.keywords] == [
        ("第一条", "zh", 1, 1),
        ("forbid", "en", 2, 3),
    ]


# ---- the keyword-folding hazard -----------------------------------------------------

FOLDING_VOCABULARY = """词汇：
  角色 与会人员 = attendee。
  角色 然后人 = then_person。
  单位 应急办 = emergency_office。
  角色 是非人 = ordinary。
  角色 若干人 = island。
  角色 后勤科 = logistics。
  角色 联系人 = contact。
  角色 有权人 = holder。
  行为 再审 = re_review。
"""


def test_identifiers_starting_with_a_keyword_lex_as_one_name() -> None:
    text = (
        FOLDING_VOCABULARY
        + "第一条\n"
        + "  流程 区政府行文：适用 于 发文；与会人员 审核 与 应急办 审核；然后 然后人 审签。\n"
        + "  禁止 应急办 圈阅。\n"
        + "  与会人员 出差，应 事先 报告 然后人。\n"
        + "  流程 区政府行文 也 适用 于 发文。\n"
        + "  后勤科 有权 再审：发文。\n"
        + "  有权人 有权 再审。\n"
        + "  定义 分管副主任：是 联系人，且 联系 后勤科。\n"
    )
    st = parse_rules(text, "f.rules").articles[0].statements
    assert plain(st[0].body)[3] == (  # type: ignore[index]
        (("Step", "与会人员", "审核", (), False), ("Step", "应急办", "审核", (), False)),
        (("Step", "然后人", "审签", (), False),),
    )
    assert plain(st[4].body) == ("Power", "后勤科", ("再审",), (("DocTerm", "发文", False),))
    assert plain(st[5].body) == ("Power", "有权人", ("再审",), ())
    assert plain(st[6].body)[3] == (  # type: ignore[index]
        ("CondRole", ("联系人",)),
        ("CondServes", "后勤科"),
    )
    assert plain(st[1].body) == ("ProhibitAction", "应急办", "圈阅")
    program = resolve_text(text, "f.rules")
    [report] = [r for r in program.rules if type(r.form).__name__ == "ReportDuty"]
    assert report.form.subject.ident == "attendee"  # type: ignore[union-attr]


def test_english_identifiers_starting_with_a_keyword() -> None:
    text = (
        FOLDING_VOCABULARY
        + "article 1\n"
        + "  define deputy_in_charge: is ordinary or island, and covers the lead field.\n"
    )
    st = statement(text)
    assert plain(st.body) == (
        "Definition",
        "deputy_in_charge",
        None,
        (("CondRole", ("ordinary", "island")), ("CondCoversLead",)),
    )
    resolve_text(text)


def test_a_keyword_run_into_a_name_is_an_unknown_term_suggesting_a_space() -> None:
    text = "第一条\n  流程 区政府行文：适用 于 发文；秘书股 拟办；然后分管副主任 审核。\n"
    with pytest.raises(RuleError) as info:
        resolve_text(text)
    err = info.value
    assert err.code == "unknown_term"
    assert "然后分管副主任" in err.message.zh
    assert "漏了空格" in err.message.zh and "「然后」" in err.message.zh
    assert "missing a space" in err.message.en and "'然后'" in err.message.en


@pytest.mark.parametrize(
    "text",
    [
        "词汇：\n  行为 签发 = issue “issue” 特性 终结。\n  行为 圈阅 = circulate 特性 阅知。\n",
        'vocabulary:\n  action 签发 = issue "issue" traits ends.\n'
        "  action 圈阅 = circulate traits read_mark.\n",
    ],
)
def test_vocabulary_traits(text: str) -> None:
    rule_file = parse_rules(text, "v.rules")
    [vocab] = rule_file.vocabularies
    assert [(e.ident.text, tuple(t.text for t in e.traits)) for e in vocab.entries] in (
        [("issue", ("终结",)), ("circulate", ("阅知",))],
        [("issue", ("ends",)), ("circulate", ("read_mark",))],
    )
