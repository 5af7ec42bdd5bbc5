"""The statement forms for documents (the second regulation): alternatives, lists, ordering
by action, counts-as, the same actor at two stages, the document's time limits. Each parses
in both keyword sets, formats back to itself and into the other set, compiles to the
predicates the kernel reads, and is checked with a position in every error."""

from __future__ import annotations

import pytest

from govrules.compiler import compile_sources
from govrules.errors import RuleError
from govrules.lang.fmt import format_rules
from govrules.lang.lint import lint
from govrules.lang.resolve import RuleErrors, resolve
from govrules.lang.syntax import parse_rules

from .common import plain, statement

VOCAB = """词汇：
  角色 机关负责人 = organ_head。
  单位 办公厅 = general_office。
  单位 文秘部门 = doc_secretariat。
  行为 审核 = vet。
  行为 签发 = sign_off。
  行为 会签 = countersign。
  行为 批示 = direct。
  行为 承办 = handle。
  行为 圈阅 = circle 特性 阅知。
  行为 复核 = recheck。
  行为 实质性修改 = substantive_change。
  行为 复审 = re_examine。
  公文 通知 = notice。
  条件 紧急 = urgent。
  条件 联合行文 = joint。
  条件 联署机关 = co_issuers 特性 单位列表。
  条件 承办部门 = handling_units 特性 单位列表。
  条件 办理时限 = handling_deadline 特性 时限。
  流程 发文 = outgoing_doc。
"""

# form: (zh, en, the statement's surface tree without positions)
FORMS: dict[str, tuple[str, str, object]] = {
    "one_of": (
        "流程 发文：适用 于 通知；机关负责人 之一 签发。",
        "procedure 发文: applies to 通知; one of 机关负责人 签发.",
        (
            "Step",
            "机关负责人",
            "签发",
            (),
            False,
            "one_of",
            (("StepOption", "机关负责人", "签发", True),),
        ),
    ),
    "either": (
        "流程 发文：适用 于 通知；机关负责人 之一 批示 或 承办部门 承办 若 紧急。",
        "procedure 发文: applies to 通知; one of 机关负责人 批示 or 承办部门 承办 if 紧急.",
        (
            "Step",
            "机关负责人",
            "批示",
            (("DocTerm", "紧急", False),),
            False,
            "either",
            (("StepOption", "机关负责人", "批示", True), ("StepOption", "承办部门", "承办", False)),
        ),
    ),
    "each": (
        "流程 发文：适用 于 通知；每个 联署机关 会签 若 联合行文。",
        "procedure 发文: applies to 通知; each 联署机关 会签 if 联合行文.",
        ("Step", "联署机关", "会签", (("DocTerm", "联合行文", False),), False, "each"),
    ),
}

BODIES: dict[str, tuple[str, str, object]] = {
    "action_order": (
        "审核 先于 任何 签发。",
        "审核 before any 签发.",
        ("ActionOrder", "审核", "签发"),
    ),
    "counts_as": (
        "圈阅 视为 同意：签发、会签。",
        "圈阅 counts as consent: 签发, 会签.",
        ("CountsAs", "圈阅", ("签发", "会签")),
    ),
    "same_actor": (
        "实质性修改 后，原 签发 者 应 复审。",
        "after 实质性修改, the same 签发 actor must 复审.",
        ("SameActorDuty", "实质性修改", "签发", "复审", False),
    ),
    "doc_deadline": (
        "承办部门 原则上 应 在 公文 的 办理时限 内 完成 承办。",
        "承办部门 in principle must 承办 within the document's 办理时限.",
        ("DocDeadline", "承办部门", "承办", "办理时限", True),
    ),
    "hours": (
        "文秘部门 应 在 4 小时 内 完成 复核。",
        "文秘部门 must 复核 within 4 hours.",
        ("HoursDeadline", "文秘部门", "复核", 4, False),
    ),
    "doc_requires": (
        "紧急 的 公文 须 有 办理时限。",
        "紧急 documents require 办理时限.",
        ("DocRequires", "紧急", "办理时限"),
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_step_shape_parses_in_both_keyword_sets(form: str, lang: str) -> None:
    zh, en, expected = FORMS[form]
    header = "第一条" if lang == "zh" else "article 1"
    body = statement(f"{header}\n  {zh if lang == 'zh' else en}\n").body
    [[step]] = body.groups  # type: ignore[union-attr]
    assert plain(step) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form", sorted(BODIES))
def test_each_statement_form_parses_in_both_keyword_sets(form: str, lang: str) -> None:
    zh, en, expected = BODIES[form]
    header = "第一条" if lang == "zh" else "article 1"
    assert plain(statement(f"{header}\n  {zh if lang == 'zh' else en}\n").body) == expected


ALL = [*FORMS.values(), *BODIES.values()]


@pytest.mark.parametrize(("zh", "en", "expected"), ALL)
def test_fmt_round_trips_and_translates_keywords(zh: str, en: str, expected: object) -> None:
    zh_file = parse_rules(f"第九条\n  {zh}\n", "zh.rules")
    en_file = parse_rules(f"article 9\n  {en}\n", "en.rules")
    for f in (zh_file, en_file):
        text = format_rules(f)
        assert format_rules(parse_rules(text, "again.rules")) == text  # a fixed point
    to_en = format_rules(zh_file, "en")
    to_zh = format_rules(en_file, "zh")
    assert plain(parse_rules(to_en, "x").articles[0].statements[0].body) == plain(
        en_file.articles[0].statements[0].body
    )
    assert plain(parse_rules(to_zh, "x").articles[0].statements[0].body) == plain(
        zh_file.articles[0].statements[0].body
    )


def _compiled(rules: str) -> str:
    return compile_sources({"v.rules": VOCAB, "r.rules": rules}).emitted.program


@pytest.mark.parametrize(("zh", "en", "expected"), ALL)
def test_both_keyword_sets_compile_to_the_same_program(zh: str, en: str, expected: object) -> None:
    en_by_ident = format_rules(
        parse_rules(f"第九条\n  {zh}\n", "zh.rules"),
        "en",
        compile_sources({"v.rules": VOCAB}).program,
    )
    assert _compiled(f"第九条\n  {zh}\n") == _compiled(en_by_ident)


def test_a_step_of_alternatives_compiles_to_one_step_with_its_options() -> None:
    program = _compiled(
        "第一条\n  流程 发文：适用 于 通知；机关负责人 之一 批示 或 承办部门 承办。\n"
    )
    step = '("direct|handle","any:organ_head|handling_units")'
    assert (
        f'alt_option("outgoing_doc",1,{step},"organ_head|handling_units","direct",P) :- '
        'step_slot("outgoing_doc",1,"direct|handle","organ_head|handling_units"), '
        'has_role(P,"organ_head").'
    ) in program
    assert (
        f'alt_option("outgoing_doc",1,{step},"organ_head|handling_units","handle",P) :- '
        'step_slot("outgoing_doc",1,"direct|handle","organ_head|handling_units"), '
        'doc_member("handling_units",P).'
    ) in program
    assert "step_in(" not in program


def test_the_other_forms_compile_to_their_kernel_predicates() -> None:
    program = _compiled(
        "第一条\n  规则 o：审核 先于 任何 签发。\n  规则 c：圈阅 视为 同意：签发。\n"
        "  规则 s：实质性修改 后，原 签发 者 应 复审。\n"
        "  规则 d：承办部门 应 在 公文 的 办理时限 内 完成 承办。\n"
        "  规则 r：紧急 的 公文 须 有 办理时限。\n"
        "  规则 h：文秘部门 应 在 四 小时 内 完成 复核。\n"
        "  规则 e：流程 发文：适用 于 通知；每个 联署机关 会签。\n"
    )
    for line in (
        'action_before("o","vet","sign_off").',
        'counts_as("c","circle","sign_off").',
        'same_actor("s","substantive_change","sign_off","re_examine").',
        'due_by_limit("d","handle",P,"handling_deadline") :- doc_member("handling_units",P).',
        'doc_requires("r","handling_deadline") :- doc_flag("urgent").',
        'due_hours("h","recheck",P,4) :- unit("doc_secretariat",P).',
        'step_in("outgoing_doc",1,"countersign","co_issuers",P) :- '
        'step_slot("outgoing_doc",1,"countersign","co_issuers"), doc_member("co_issuers",P).',
    ):
        assert line in program


def _errors(rules: str) -> list[tuple[str, int | None, int | None]]:
    files = [parse_rules(VOCAB, "v.rules"), parse_rules(rules, "r.rules")]
    with pytest.raises(RuleError) as info:
        resolve(files)
    err = info.value
    errors = err.errors if isinstance(err, RuleErrors) else [err]
    return [(e.code, e.location.line, e.location.column) for e in errors]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # each X: X must be a list (紧急 is a plain condition)
        (
            "第一条\n  流程 发文：适用 于 通知；每个 紧急 会签。\n",
            ("not_a_valued_condition", 2, 20),
        ),
        # counts-as: only a read mark counts as consent
        ("第一条\n  审核 视为 同意：签发。\n", ("not_a_read_mark", 2, 3)),
        # a time limit must be a condition declared 特性 时限
        (
            "第一条\n  承办部门 应 在 公文 的 联署机关 内 完成 承办。\n",
            ("not_a_valued_condition", 2, 17),
        ),
        # an unknown word in an alternative, with its place
        (
            "第一条\n  流程 发文：适用 于 通知；机关负责人 批示 或 承办处 承办。\n",
            ("unknown_term", 2, 28),
        ),
        ("第一条\n  审核 先于 任何 审核。\n", ("unsupported", 2, 12)),
        (
            "article 1\n  after 实质性修改, the same 签收 actor must 复审.\n",
            ("unknown_term", 2, 25),
        ),
    ],
)
def test_errors_name_the_file_line_and_column(rules: str, expected: tuple[str, int, int]) -> None:
    assert _errors(rules) == [expected]


def _lint_codes(rules: str) -> list[tuple[str, int | None]]:
    files = [parse_rules(VOCAB, "v.rules"), parse_rules(rules, "r.rules")]
    return [
        (f.code, f.location.line)
        for f in lint(files)
        if f.code != "unused-term" and f.location.file == "r.rules"
    ]


def test_lint_reports_a_form_that_can_never_fire() -> None:
    # Nobody may take 复核 or 批示: the order and the counts-as never apply.
    rules = (
        "第一条\n  办公厅 有权 审核。\n  机关负责人 有权 签发。\n"
        "  复核 先于 任何 签发。\n  圈阅 视为 同意：批示。\n  审核 先于 任何 签发。\n"
    )
    assert _lint_codes(rules) == [("never-fires", 4), ("never-fires", 5)]


def test_lint_counts_a_list_condition_used_as_an_actor_as_used() -> None:
    files = [
        parse_rules(VOCAB, "v.rules"),
        parse_rules("第一条\n  流程 发文：适用 于 通知；每个 联署机关 会签。\n", "r.rules"),
    ]
    unused = {f.message.en for f in lint(files) if f.code == "unused-term"}
    assert not any("co_issuers" in m for m in unused)
    assert any("handling_units" in m for m in unused)
