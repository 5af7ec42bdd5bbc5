"""The linter: each check, its stable code, severity, place and messages."""

from __future__ import annotations

import pytest

from govrules.lang.lint import CODES, LintFinding, lint
from govrules.lang.syntax import parse_rules

from .common import BUNDLED, VOCABULARY, bundled_program, expected_caret, parsed, read


def _lint(text: str, file: str = "t.rules") -> list[LintFinding]:
    """Findings for `text` after the bundled vocabulary, other than unused terms."""
    files = [parsed(VOCABULARY), parse_rules(text, file)]
    sources = {VOCABULARY: read(VOCABULARY), file: text}
    return [f for f in lint(files, None, sources) if f.code != "unused-term"]


def _summary(findings: list[LintFinding]) -> list[tuple[str, str, int | None, int | None]]:
    return [(f.code, f.severity, f.location.line, f.location.column) for f in findings]


def test_bundled_policy_is_lint_clean() -> None:
    files = [parsed(p) for p in BUNDLED]
    assert lint(files, None) == []
    assert lint(files, bundled_program()) == []


def test_an_unused_term_is_reported_where_it_is_declared() -> None:
    text = "词汇：\n  角色 巡视员 = inspector “inspector”。\n"
    files = [*(parsed(p) for p in BUNDLED), parse_rules(text, "extra.rules")]
    findings = lint(files, None)
    assert [(f.code, f.severity) for f in findings] == [("unused-term", "warning")]
    (first,) = findings
    assert str(first.location) == "extra.rules:2:6"
    assert "巡视员" in first.message.zh and "未被任何规则使用" in first.message.zh
    assert "is not used by any rule" in first.message.en


def test_a_term_used_by_its_identifier_counts_as_used() -> None:
    text = "第一条\n  禁止 分管副主任 circulate。\n"
    files = [parsed(VOCABULARY), parse_rules(text, "t.rules")]
    unused = [f.message.en.split("'")[1] for f in lint(files, None) if f.code == "unused-term"]
    assert "circulate" not in unused and "office_director" in unused


def test_unknown_terms_come_from_the_resolver() -> None:
    text = "第一条\n  禁止 分管副主 圈阅。\n  禁止 审核 圈阅。\n"
    findings = _lint(text)
    assert _summary(findings) == [
        ("unknown-term", "error", 2, 6),
        ("wrong-kind", "error", 3, 6),
    ]
    assert "是否指「分管副主任」" in findings[0].message.zh
    assert "did you mean '分管副主任'" in findings[0].message.en
    pad = expected_caret("  禁止 分管副主 圈阅。", 6)
    assert findings[0].detail.splitlines()[1] == " " * pad + "^" * 8


def test_unused_interpretation() -> None:
    text = "第一条\n  解释 宽泛 = broad 默认 开启：“x”。\n  禁止 主任 圈阅。\n"
    findings = _lint(text)
    assert _summary(findings) == [("unused-interpretation", "warning", 2, 3)]
    assert "宽泛" in findings[0].message.zh and "依/除非 解释" in findings[0].message.zh
    assert "'broad' is declared but no rule is guarded by it" in findings[0].message.en


def test_a_guard_by_identifier_uses_the_interpretation() -> None:
    text = "第一条\n  解释 宽泛 = broad 默认 开启：“x”。\n  依 解释 broad：禁止 主任 圈阅。\n"
    assert _lint(text) == []


def test_guard_naming_no_interpretation() -> None:
    text = "第一条\n  依 解释 不存在：禁止 主任 圈阅。\n  除非 解释 主任：禁止 主任 圈阅。\n"
    findings = _lint(text)
    assert _summary(findings) == [
        ("unknown-interpretation", "error", 2, 8),
        ("unknown-interpretation", "error", 3, 9),
    ]  # the resolver's unknown_term / wrong_kind at the same places are not repeated
    assert "「不存在」不是已声明的解释" in findings[0].message.zh
    assert "'不存在', which is not a declared interpretation" in findings[0].message.en


def test_article_without_statements() -> None:
    text = "第一条\n第二条\n  禁止 主任 圈阅。\n"
    findings = _lint(text)
    assert _summary(findings) == [("empty-article", "warning", 1, 1)]
    assert "第1条下没有任何规则" in findings[0].message.zh
    assert "article 1 has no statements" in findings[0].message.en


def test_file_without_any_article() -> None:
    findings = _lint("# 只有注释\n", "empty.rules")
    assert _summary(findings) == [("no-article", "warning", 1, 1)]
    assert findings[0].location.file == "empty.rules"
    assert "没有条文" in findings[0].message.zh and "no article header" in findings[0].message.en


def test_vocabulary_file_needs_no_article() -> None:
    assert [f for f in lint([parsed(VOCABULARY)], None) if f.code != "unused-term"] == []


def test_article_split_across_files_is_a_warning() -> None:
    one = parse_rules("第二十九条\n  禁止 主任 圈阅。\n", "one.rules")
    two = parse_rules("# 续\narticle 29\n  forbid deputy_director circulate.\n", "two.rules")
    findings = [f for f in lint([parsed(VOCABULARY), one, two], None) if f.code != "unused-term"]
    assert [(f.code, f.severity, str(f.location)) for f in findings] == [
        ("split-article", "warning", "two.rules:2:1")
    ]
    assert "第29条已在 one.rules:1 出现" in findings[0].message.zh
    assert "article 29 already begins at one.rules:1" in findings[0].message.en


def test_article_repeated_in_one_file() -> None:
    text = "第三条\n  禁止 主任 圈阅。\n第四条\n  禁止 副主任 圈阅。\n第三条\n  禁止 区长 圈阅。\n"
    assert _summary(_lint(text)) == [("split-article", "warning", 5, 1)]


def test_file_mixing_keyword_languages() -> None:
    text = "第一条\n  forbid 主任 圈阅。\n  禁止 副主任 圈阅。\n"
    findings = _lint(text)
    assert _summary(findings) == [("mixed-language", "warning", 2, 3)]
    assert "「forbid」" in findings[0].message.zh and "中文" in findings[0].message.zh
    assert "mostly uses Chinese keywords" in findings[0].message.en
    pad = expected_caret("  forbid 主任 圈阅。", 3)
    assert findings[0].detail.splitlines()[1] == " " * pad + "^" * len("forbid")


def test_english_file_with_a_chinese_keyword() -> None:
    text = "article 1\n  forbid office_director circulate.\n  forbid deputy_director 圈阅。\n"
    findings = _lint(text)
    assert _summary(findings) == []  # 。 is punctuation, not a keyword
    text = "article 1\n  forbid office_director circulate.\n  禁止 deputy_director circulate.\n"
    findings = _lint(text)
    assert _summary(findings) == [("mixed-language", "warning", 3, 3)]
    assert "mostly uses English keywords" in findings[0].message.en


def test_findings_are_sorted_and_render_with_their_code() -> None:
    text = (
        "第一条\n  依 解释 不存在：禁止 主任 圈阅。\n  forbid 副主任 圈阅。\n"
        "  解释 宽泛 = broad 默认 开启：“x”。\n第一条\n"
    )
    findings = _lint(text)
    assert _summary(findings) == [
        ("unknown-interpretation", "error", 2, 8),
        ("mixed-language", "warning", 3, 3),
        ("unused-interpretation", "warning", 4, 3),
        ("empty-article", "warning", 5, 1),
        ("split-article", "warning", 5, 1),
    ]
    rendered = findings[0].render("en").splitlines()[0]
    assert rendered.startswith("t.rules:2:8: error[unknown-interpretation]: the guard names")
    assert findings[0].render("zh").splitlines()[0].endswith("条件「不存在」不是已声明的解释")
    assert all(f.severity == CODES[f.code] for f in findings)


def test_a_word_with_a_trait_is_used_by_the_kernel() -> None:
    text = "词汇：\n  行为 终审 = final_issue 特性 终结。\n  行为 预审 = pre_check。\n"
    files = [*(parsed(p) for p in BUNDLED), parse_rules(text, "extra.rules")]
    assert [f.message.en for f in lint(files, None)] == [
        "action 'pre_check' (预审) is not used by any rule"
    ]


# ---- words no input carries, rules that can never apply --------------------------------


def test_a_relation_nothing_produces_is_reported_where_declared() -> None:
    text = "词汇：\n  关系 值班人 = on_duty。\n第一条\n  禁止 值班人 圈阅。\n"
    [finding] = _lint(text)
    assert _summary([finding]) == [("never-produced", "warning", 2, 3)]
    assert "值班人" in finding.message.zh and "define" in finding.message.en
    assert _lint(text + "  定义 值班人：是 副主任。\n") == []  # a definition produces it


def test_a_relation_the_kernel_fills_from_inputs_is_not_reported() -> None:
    # AB岗 comes from the organisation file (backup), with no definition in the rules.
    assert _lint("第一条\n  禁止 AB岗 圈阅。\n") == []


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("主任 有权 审核：发文，收文。", "kinds"),
        ("主任 有权 审核：收文，名义 为 区政府。", "'named' trait"),
        ("主任 有权 审核：收文，秘密文件，非 秘密文件。", "both required and excluded"),
        ("流程 区政府行文 也 适用 于 会议纪要，名义 为 区政府 或 区政府办公室。", "'named'"),
    ],
)
def test_a_rule_no_document_can_meet_never_fires(statement: str, reason: str) -> None:
    [finding] = _lint(f"第一条\n  {statement}\n")
    assert _summary([finding]) == [("never-fires", "warning", 2, 3)]
    assert reason in finding.message.en and "永远不会适用" in finding.message.zh


@pytest.mark.parametrize(
    "statement",
    [
        "主任 有权 审核：发文，名义 为 区政府。",
        "主任 有权 审核：收文，非 秘密文件。",
        "主任 有权 审核：收文，非 发文。",
        "流程 区政府行文 也 适用 于 会议纪要，非 秘密文件。",
        "主任 有权 审核：名义 为 区政府 或 区政府办公室。",
    ],
)
def test_a_rule_some_document_can_meet_is_not_reported(statement: str) -> None:
    assert _lint(f"第一条\n  {statement}\n") == []
