"""Every error kind: place, code, both messages, and a caret under the right character."""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules.errors import RuleError
from govrules.lang.diagnostics import display_width
from govrules.lang.resolve import RuleErrors
from govrules.lang.syntax import parse_rules

from .common import caret_column, expected_caret, resolve_text, statement, vocabulary_file

# ---- syntax errors --------------------------------------------------------------------


def _syntax(text: str) -> RuleError:
    with pytest.raises(RuleError) as info:
        parse_rules(text, "bad.rules")
    assert info.value.code == "syntax"
    return info.value


def _where(err: RuleError) -> tuple[str, int | None, int | None]:
    return err.location.file, err.location.line, err.location.column


def _check_caret(err: RuleError, text: str, width: int | None = None) -> None:
    """The caret line marks from under the error's column, for `width` display columns."""
    line = err.location.line or 1
    column = err.location.column or 1
    line_text = text.splitlines()[line - 1] if text.splitlines() else ""
    assert err.detail.splitlines()[0].endswith(line_text)
    assert caret_column(err) == expected_caret(line_text, column)
    if width is not None:
        assert err.detail.splitlines()[1].strip() == "^" * width


def test_unexpected_token_lists_what_was_expected() -> None:
    text = "第一条\n  流程 区政府行文 审核。\n"
    err = _syntax(text)
    assert _where(err) == ("bad.rules", 2, 12)
    assert "此处不应出现「审核」" in err.message.zh
    assert "冒号「：」" in err.message.zh and "「也 适用 于」" in err.message.zh
    assert "unexpected '审核'" in err.message.en
    assert "a colon" in err.message.en and "'also applies to'" in err.message.en
    assert str(err.location) == "bad.rules:2:12"
    _check_caret(err, text, 4)  # 审核: two full-width characters


def test_unexpected_token_in_english_surface() -> None:
    text = "article 1\n  forbid 主任 圈阅 审核.\n"
    err = _syntax(text)
    assert _where(err) == ("bad.rules", 2, 16)
    assert "此处不应出现「审核」" in err.message.zh and "句号「。」" in err.message.zh
    assert "unexpected '审核'; expected a full stop" in err.message.en
    _check_caret(err, text, 4)


def test_unexpected_character() -> None:
    text = "第一条\n  主任 出差@休假，应 事先 报告 区长。\n"
    err = _syntax(text)
    assert _where(err) == ("bad.rules", 2, 8)
    assert "无法识别的字符「@」" in err.message.zh
    assert "unexpected character '@'" in err.message.en
    _check_caret(err, text, 1)


def test_unexpected_end_of_file() -> None:
    text = "第一条\n  禁止 主任 圈阅"
    err = _syntax(text)
    assert _where(err) == ("bad.rules", 2, 11)
    assert "文件意外结束" in err.message.zh and "句号「。」" in err.message.zh
    assert "unexpected end of file; expected a full stop" in err.message.en
    _check_caret(err, text, 1)


@pytest.mark.parametrize(
    ("text", "column", "shown"),
    [
        ("第二三条\n  禁止 主任 圈阅。\n", 1, "第二三条"),
        ("第一条\n  主任 应 在 二三 个工作日内 完成 审核。\n", 8, "在 二三 个工作日内"),
    ],
)
def test_bad_number(text: str, column: int, shown: str) -> None:
    err = _syntax(text)
    line = 1 if column == 1 else 2
    assert _where(err) == ("bad.rules", line, column)
    assert f"无法识别的数字「{shown}」" in err.message.zh
    assert f"not a number: {shown!r}" in err.message.en
    _check_caret(err, text, display_width(shown))


# ---- resolver errors ------------------------------------------------------------------


def _resolve_error(text: str) -> RuleError:
    with pytest.raises(RuleError) as info:
        resolve_text(text, "bad.rules")
    return info.value


def test_unknown_term_with_did_you_mean() -> None:
    text = "第一条\n  禁止 分管副主 圈阅。\n"
    err = _resolve_error(text)
    assert err.code == "unknown_term"
    assert _where(err) == ("bad.rules", 2, 6)
    assert "未定义的角色或单位或关系「分管副主」" in err.message.zh
    assert "是否指「分管副主任」" in err.message.zh
    assert "unknown term '分管副主'" in err.message.en
    assert "a role or a unit or a relation" in err.message.en
    assert "did you mean '分管副主任'" in err.message.en
    _check_caret(err, text, 8)


def test_unknown_english_identifier_with_did_you_mean() -> None:
    text = "article 1\n  forbid deputy_in_charg circulate.\n"
    err = _resolve_error(text)
    assert err.code == "unknown_term"
    assert _where(err) == ("bad.rules", 2, 10)
    assert "did you mean 'deputy_in_charge'" in err.message.en
    assert "是否指「deputy_in_charge」" in err.message.zh
    _check_caret(err, text, len("deputy_in_charg"))


def test_wrong_kind() -> None:
    text = "第一条\n  禁止 审核 圈阅。\n"
    err = _resolve_error(text)
    assert err.code == "wrong_kind"
    assert _where(err) == ("bad.rules", 2, 6)
    assert "「审核」是行为" in err.message.zh and "此处应为角色或单位或关系" in err.message.zh
    assert "'审核' is an action; expected a role or a unit or a relation" in err.message.en
    _check_caret(err, text, 4)


@pytest.mark.parametrize(
    ("entry", "name", "column"),
    [("角色 区长 = mayor_two。", "区长", 3), ("角色 市长 = mayor。", "mayor", 3)],
)
def test_duplicate(entry: str, name: str, column: int) -> None:
    text = f"词汇：\n  {entry}\n"
    err = _resolve_error(text)
    assert err.code == "duplicate"
    assert _where(err) == ("bad.rules", 2, column)
    vocabulary = "policy/xihu-office-2020/vocabulary.rules"
    line = next(
        n
        for n, row in enumerate(Path(vocabulary).read_text(encoding="utf-8").splitlines(), 1)
        if "角色 区长 " in row
    )
    where = f"{vocabulary}:{line}"
    assert f"「{name}」已在 {where} 定义" in err.message.zh
    assert f"{name!r} is already defined at {where}" in err.message.en
    _check_caret(err, text)


def test_bad_identifier() -> None:
    text = "词汇：\n  角色 测试角色 = Bad_Name。\n"
    err = _resolve_error(text)
    assert err.code == "bad_identifier"
    assert _where(err) == ("bad.rules", 2, 13)
    assert "标识符「Bad_Name」只能由小写英文字母" in err.message.zh
    assert "identifier 'Bad_Name' must be lower-case ASCII letters" in err.message.en
    _check_caret(err, text, len("Bad_Name"))


def test_interpretation_without_identifier() -> None:
    text = "第一条\n  解释 宽泛 默认 开启：“x”。\n"
    err = _resolve_error(text)
    assert err.code == "bad_identifier"
    assert _where(err) == ("bad.rules", 2, 6)
    assert "解释需要英文标识符" in err.message.zh
    assert "an interpretation needs an identifier" in err.message.en
    _check_caret(err, text)


def test_unknown_variable() -> None:
    text = "第一条\n  定义 甲 的 分管副区长：是 副区长，且 与 乙 有 共同领域。\n"
    err = _resolve_error(text)
    assert err.code == "unknown_variable"
    assert _where(err) == ("bad.rules", 2, 26)
    assert "「乙」未在定义开头引入" in err.message.zh
    assert "'乙' is not introduced by the definition" in err.message.en
    _check_caret(err, text, 2)


def test_unbound_subject() -> None:
    text = "第一条\n  定义 分管副主任：非 是 副主任。\n"
    err = _resolve_error(text)
    assert err.code == "unbound_subject"
    assert _where(err) == ("bad.rules", 2, 3)
    assert "定义至少需要一个肯定条件" in err.message.zh
    assert "a definition needs one positive condition" in err.message.en
    _check_caret(err, text)


def test_not_a_relation() -> None:
    text = "第一条\n  主任 出差，应 事先 报告 其 区长。\n"
    err = _resolve_error(text)
    assert err.code == "not_a_relation"
    assert _where(err) == ("bad.rules", 2, 19)
    assert "「其」后应为关系" in err.message.zh and "「区长」不是关系" in err.message.zh
    assert "'their' must be followed by a relation; '区长' is not one" in err.message.en
    _check_caret(err, text, 4)


def test_not_a_relation_in_english() -> None:
    text = "article 1\n  office_director on vacation must report in advance to their mayor.\n"
    err = _resolve_error(text)
    assert err.code == "not_a_relation"
    assert _where(err) == ("bad.rules", 2, 63)
    assert "'mayor' is not one" in err.message.en
    _check_caret(err, text, 5)


def test_several_errors_are_collected_in_source_order() -> None:
    text = "第一条\n  禁止 审核 圈阅。\n  禁止 分管副主 圈阅。\n"
    err = _resolve_error(text)
    assert isinstance(err, RuleErrors)
    assert [(e.code, e.location.line) for e in err.errors] == [
        ("wrong_kind", 2),
        ("unknown_term", 3),
    ]
    assert "另有 1 处错误" in err.message.zh and "and 1 more errors" in err.message.en


def test_unknown_trait_names_the_allowed_ones() -> None:
    text = "词汇：\n  缺勤 年假 = annual_leave 特性 终结。\n"
    err = _resolve_error(text)
    assert err.code == "unknown_trait"
    assert _where(err) == ("bad.rules", 2, 27)
    assert "「终结」不是缺勤类别的特性；可用：可调整" in err.message.zh
    assert "allowed: movable" in err.message.en
    _check_caret(err, text, 4)


# ---- the resolver's dispatch and its combined errors (issue 15, item 17) --------------------


def test_an_unknown_relation_in_a_definition_is_reported_once() -> None:
    text = "第一条\n  定义 不存在的关系：是 副主任。\n"
    err = _resolve_error(text)
    assert err.code == "unknown_term" and "不存在的关系" in err.message.zh
    assert not isinstance(err, RuleErrors)  # one error, not the same one twice


def test_every_error_is_kept_when_the_first_has_no_excerpt() -> None:
    """Without the sources there are no excerpts; the other errors' text must still be there."""
    from govrules.lang.resolve import resolve

    bad = parse_rules("第一条\n  禁止 分管副主 圈阅。\n  禁止 主仼 签发。\n", "bad.rules")
    with pytest.raises(RuleErrors) as info:
        resolve([vocabulary_file(), bad])  # no sources: no excerpt for any error
    assert info.value.detail == info.value.errors[1].render("en")
    assert "主仼" in info.value.detail


def test_a_statement_form_the_resolver_does_not_know_is_an_error_not_left_out() -> None:
    """A form missing from the resolver's `match` fails loudly (mypy names it statically;
    at run time `assert_never` raises) instead of being silently dropped."""
    import dataclasses

    from govrules.lang.resolve import _Resolver

    st = statement("第一条\n  禁止 副主任 圈阅。\n")
    unknown = dataclasses.replace(st, body=object())  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        _Resolver([vocabulary_file()], {}).form(unknown)


# ---- presence forms over declared words -------------------------------------------------


def test_a_meeting_statement_names_a_declared_kind_of_meeting() -> None:
    text = "第二十四条\n  周会 一般 每月 召开 1 次。\n"
    err = _resolve_error(text)
    assert _where(err) == ("bad.rules", 2, 3)
    assert err.code == "unknown_term"
    assert "会议「周会」" in err.message.zh and "a kind of meeting" in err.message.en
    _check_caret(err, text, 4)


def test_a_matter_statement_names_a_declared_kind_of_matter() -> None:
    text = "article 38\n  office_director on mayor must promptly ask their vice_mayor_in_charge.\n"
    err = _resolve_error(text)
    assert _where(err) == ("bad.rules", 2, 22)
    assert err.code == "wrong_kind"
    assert "此处应为事项" in err.message.zh and "expected a kind of matter" in err.message.en
    _check_caret(err, text, 5)
    text = "第三十八条\n  未注明领域 的 碰头会议 请示、报告 其中 一人 即可。\n"
    err = _resolve_error(text)
    assert _where(err) == ("bad.rules", 2, 11)
    assert "「碰头会议」是会议，此处应为事项" in err.message.zh


def test_a_frequency_needs_a_count_and_a_period() -> None:
    err = _syntax("第二十四条\n  碰头会议 每年 召开 1 次。\n")
    assert _where(err)[:2] == ("bad.rules", 2)
    err = _syntax("article 24\n  briefing is held 2 a month.\n")
    assert "'times'" in err.message.en
