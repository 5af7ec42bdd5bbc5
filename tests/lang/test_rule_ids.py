"""Rule ids are stable: a named rule keeps its name, an unnamed one gets an id from its
content (article and a hash of the canonical statement), never from its place."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.lang.common import BUNDLED, bundled_program, read, resolve_text, vocabulary_file

from govrules.errors import RuleError
from govrules.lang.fmt import format_rules
from govrules.lang.lint import lint
from govrules.lang.resolve import RuleErrors
from govrules.lang.syntax import parse_rules

STATEMENTS = (
    "主任 有权 审核：发文，名义 为 区政府办公室。",
    "禁止 分管副主任 圈阅。",
    "主任 出差、休假，应 事先 报告 区长。",
    "拟办、审核 须 有 明确意见。",
    "起草单位 须 说明 未采纳的意见。",
)


def _ids(text: str) -> list[str]:
    return [r.ident for r in resolve_text(text).rules]


def test_a_named_rule_keeps_its_name_in_zh_and_en() -> None:
    zh = "第二十九条\n  规则 a29.10：禁止 分管副主任 圈阅。\n  规则 x-1.b：主任 有权 审核。\n"
    en = "article 29\n  rule a29.10: forbid deputy_in_charge circulate.\n"
    assert _ids(zh) == ["a29.10", "x-1.b"]
    assert _ids(en) == ["a29.10"]
    program = resolve_text(zh)
    assert program.rules[0].text == "禁止 分管副主任 圈阅。"  # the name is not the statement


def test_an_unnamed_rule_id_comes_from_its_content_not_its_place() -> None:
    [alone] = _ids("第二十九条\n  禁止 分管副主任 圈阅。\n")
    assert re.fullmatch(r"a29\.[0-9a-f]{6}", alone)
    moved = _ids("第二十九条\n  主任 有权 审核。\n  # a comment\n  禁止   分管副主任\n  圈阅 。\n")
    assert moved[1] == alone  # another rule above, a comment, other layout: the same id
    assert _ids("article 29\n  forbid deputy_in_charge circulate.\n") == [alone]  # en, idents
    assert _ids("第三十条\n  禁止 分管副主任 圈阅。\n") == [alone.replace("a29", "a30")]
    assert _ids("第二十九条\n  禁止 分管副主任 审核。\n")[0] != alone


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(len(STATEMENTS))))
def test_unnamed_ids_do_not_depend_on_order(order: list[int]) -> None:
    base = dict(
        zip(STATEMENTS, _ids("第七条\n" + "".join(f"  {s}\n" for s in STATEMENTS)), strict=True)
    )
    shuffled = [STATEMENTS[i] for i in order]
    again = _ids("第七条\n" + "".join(f"  {s}\n" for s in shuffled))
    assert again == [base[s] for s in shuffled]


def test_duplicate_names_are_an_error_with_both_positions() -> None:
    text = "第二十九条\n  规则 a29.1：禁止 分管副主任 圈阅。\n  规则 a29.1：主任 有权 审核。\n"
    with pytest.raises(RuleError) as caught:
        resolve_text(text)
    err = caught.value
    assert err.code == "duplicate_rule"
    assert (err.location.line, err.location.column) == (3, 6)
    assert "t.rules:2:6" in err.message.en and "t.rules:2:6" in err.message.zh


def test_identical_unnamed_statements_are_told_apart_by_their_turn() -> None:
    one, two = _ids("第二十九条\n  禁止 分管副主任 圈阅。\n  禁止 分管副主任 圈阅。\n")
    assert two == f"{one}-2"
    between = _ids(
        "第二十九条\n  禁止 分管副主任 圈阅。\n  主任 有权 审核。\n  禁止 分管副主任 圈阅。\n"
    )
    assert (between[0], between[2]) == (one, two)  # other statements do not count
    named = "第二十九条\n  禁止 分管副主任 圈阅。\n  规则 again：禁止 分管副主任 圈阅。\n"
    assert _ids(named) == [one, "again"]


def test_a_name_on_an_interpretation_is_refused() -> None:
    text = "第二十九条\n  规则 r1：解释 某读法 = some_reading 默认 关闭：“…”。\n"
    with pytest.raises(RuleError) as caught:
        resolve_text(text)
    errors = caught.value.errors if isinstance(caught.value, RuleErrors) else [caught.value]
    assert any(e.code == "misplaced_name" for e in errors)


def test_lint_reports_duplicate_names() -> None:
    text = "第二十九条\n  规则 a：禁止 分管副主任 圈阅。\n  规则 a：主任 有权 审核。\n"
    findings = lint([vocabulary_file(), parse_rules(text, "t.rules")])
    assert [(f.code, f.location.line) for f in findings if f.severity == "error"] == [
        ("duplicate-rule", 3)
    ]


def test_a_bad_name_is_a_syntax_error_with_its_position() -> None:
    with pytest.raises(RuleError) as caught:
        parse_rules("第二十九条\n  规则 ：禁止 分管副主任 圈阅。\n", "t.rules")
    assert caught.value.code == "syntax" and caught.value.location.line == 2
    assert "rule name" in caught.value.message.en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_names_survive_formatting_and_translation(lang: str) -> None:
    text = "第二十九条\n  规则 a29.1：依 解释 副区长先于主任：\n  禁止 分管副主任 圈阅。\n"
    out = format_rules(parse_rules(text, "t.rules"), lang, bundled_program())
    assert ("规则 a29.1：依 解释" if lang == "zh" else "rule a29.1: under interpretation") in out
    back = parse_rules(out, "t.rules")
    assert back.articles[0].statements[0].name is not None
    assert back.articles[0].statements[0].name.text == "a29.1"


def test_the_bundled_policy_names_every_rule() -> None:
    """Its ids are the ones its answers, golden program and tests have always used."""
    ids = [r.ident for r in bundled_program().rules]
    assert all(re.fullmatch(r"a\d+\.\d+", i) for i in ids) and len(ids) == len(set(ids))
    named = sum(read(p).count("规则 a") for p in BUNDLED)
    assert named == len(ids)
