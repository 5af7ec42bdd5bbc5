"""The formatter: canonical layout, comments, keyword translation and term renaming."""

from __future__ import annotations

import pytest

from govrules.lang import ast
from govrules.lang.emit import emit
from govrules.lang.fmt import format_rules
from govrules.lang.resolve import resolve
from govrules.lang.syntax import parse_rules

from .common import (
    A24,
    A25,
    A26,
    A29,
    A38,
    A39,
    BUNDLED,
    EN_A24,
    EN_A25,
    EN_A29,
    EN_A38,
    EN_A39,
    RELATIONS,
    VOCABULARY,
    bundled_program,
    compile_files,
    parsed,
    plain,
    read,
    statement,
)
from .test_grammar import FORMS

SAMPLE = """# 头注释

第一条  # 标题注释
  禁止   主任 圈阅 。 # 行尾注释
  # 前置注释
  依 解释 宽泛：
  # 守卫与正文之间
  主任 出差、休假 原则上 应 事先 报告 区长。
  流程 区政府行文：适用 于 发文；
    # 步骤前
    秘书股 拟办；然后 分管副主任 审核。
第二条
  解释 宽泛 = broad 默认 开启：“理由”。
# 结尾注释
"""

SAMPLE_ZH = """# 头注释
第一条
  # 标题注释
  禁止 主任 圈阅。
  # 行尾注释
  # 前置注释
  依 解释 宽泛：
  # 守卫与正文之间
  主任 出差、休假，原则上 应 事先 报告 区长。
  流程 区政府行文：
    适用 于 发文；
    # 步骤前
    秘书股 拟办；
    然后 分管副主任 审核。

第二条
  解释 宽泛 = broad 默认 开启：“理由”。
# 结尾注释
"""

SAMPLE_EN = """# 头注释
article 1
  # 标题注释
  forbid 主任 圈阅.
  # 行尾注释
  # 前置注释
  under interpretation 宽泛:
  # 守卫与正文之间
  主任 on 出差, 休假 in principle must report in advance to 区长.
  procedure 区政府行文:
    applies to 发文;
    # 步骤前
    秘书股 拟办;
    then 分管副主任 审核.

article 2
  interpretation 宽泛 = broad default enabled: "理由".
# 结尾注释
"""


def test_canonical_layout_and_comments() -> None:
    rule_file = parse_rules(SAMPLE, "s.rules")
    assert format_rules(rule_file) == SAMPLE_ZH
    assert format_rules(rule_file, "zh") == SAMPLE_ZH


def test_english_rendering_keeps_terms_as_written() -> None:
    rule_file = parse_rules(SAMPLE, "s.rules")
    assert format_rules(rule_file, "en") == SAMPLE_EN
    back = parse_rules(SAMPLE_EN, "s.rules")
    assert back.lang == "en"
    assert format_rules(back) == SAMPLE_EN  # lang=None keeps the file's language
    assert format_rules(back, "zh") == SAMPLE_ZH


def test_relations_file_canonical_zh_and_translated_en() -> None:
    rule_file = parsed(RELATIONS)
    text = format_rules(rule_file)
    assert "第十三条\n  # 副主任协助" in text
    assert (
        "  规则 a13.1：定义 甲 的 分管副区长：是 副区长 或 常务副区长，且 与 甲 有 共同领域，"
        "且 甲 无 指定汇报对象。\n  规则 a13.2：定义 甲 的 分管副区长：是 甲 的 指定汇报对象。\n"
    ) in text
    assert "\n\n第十四条\n" in text
    en = format_rules(rule_file, "en", bundled_program())
    assert (
        "article 13\n"
        "  # 副主任协助副区长和主任开展工作："
        "分管副区长是与副主任分管领域相同的副区长（含常务副区长），\n"
        "  # 组织文件另行指定汇报对象的，以指定为准。\n"
        "  rule a13.1: define vice_mayor_in_charge of 甲: is vice_mayor or executive_vice_mayor, "
        "and shares a field with 甲, and 甲 has no designated superior.\n"
        "  rule a13.2: define vice_mayor_in_charge of 甲: is a designated superior of 甲.\n"
    ) in en
    assert (
        "define deputy_in_charge: is deputy_director, and covers the lead field, "
        "and not is idle_deputy_of_field.\n"
    ) in en
    assert (
        "define vice_mayor_in_charge: is vice_mayor or executive_vice_mayor, and covers the "
        "lead field, and deputy_in_charge has no designated superior.\n"
    ) in en


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        (
            "主任 出差、休假，应 事先 报告 区长、常务副区长。",
            "office_director on business_trip, vacation must report in advance to "
            "mayor, executive_vice_mayor.",
        ),
        (
            "副主任 出差，原则上 应 事先 报告 其 分管副区长。",
            "deputy_director on business_trip in principle must report in advance to "
            "their vice_mayor_in_charge.",
        ),
        (
            "分管副主任 原则上 应 在 1个工作日内 完成 审核。",
            "deputy_in_charge in principle must review within 1 working days.",
        ),
        ("主任 应 在 3个工作日内 完成 审签。", "office_director must sign within 3 working days."),
        (
            "禁止 副主任 与 其 分管副区长 同时 出差、休假。",
            "forbid deputy_director and their vice_mayor_in_charge at the same time on "
            "business_trip, vacation.",
        ),
        ("禁止 分管副主任 圈阅。", "forbid deputy_in_charge circulate."),
        (
            "流程 区政府行文 中 分管副区长 审签 先于 主任 审签。",
            "in procedure government_document vice_mayor_in_charge sign "
            "before office_director sign.",
        ),
        (
            "流程 办公室行文 也 适用 于 发文，非 秘密文件，"
            "名义 为 区政府办公室 或 区政府办公室党组。",
            "procedure office_document also applies to outgoing, not secret, "
            "name is office or office_party_group.",
        ),
        (
            "定义 分管副主任：是 副主任，且 分管 公文领域，且 非 是 主任。",
            "define deputy_in_charge: is deputy_director, and covers a field of the document, "
            "and not is office_director.",
        ),
        (
            "依 解释 副区长先于主任：\n  禁止 主任 圈阅。",
            "under interpretation vice_mayor_first:\n  forbid office_director circulate.",
        ),
        (
            "除非 解释 副区长先于主任：\n  禁止 主任 圈阅。",
            "unless interpretation vice_mayor_first:\n  forbid office_director circulate.",
        ),
    ],
)
def test_word_order_of_each_form(zh: str, en: str) -> None:
    """Each statement prints in the grammar's order, and translates both ways."""
    program = bundled_program()
    zh_file = parse_rules(f"第九条\n  {zh}\n", "zh.rules")
    en_file = parse_rules(f"article 9\n  {en}\n", "en.rules")
    assert format_rules(zh_file) == f"第九条\n  {zh}\n"
    assert format_rules(en_file) == f"article 9\n  {en}\n"
    assert format_rules(zh_file, "en", program) == f"article 9\n  {en}\n"
    assert format_rules(en_file, "zh", program) == f"第九条\n  {zh}\n"


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_form_survives_translation(form: str) -> None:
    zh, _, expected = FORMS[form]
    en = format_rules(parse_rules(f"第一条\n  {zh}\n", "f.rules"), "en")
    assert plain(statement(en).body) == expected
    assert plain(statement(format_rules(parse_rules(en, "f.rules"), "zh")).body) == expected


def test_procedure_layout() -> None:
    text = format_rules(parsed(A29))
    assert (
        "  规则 a29.1：流程 区政府行文：\n"
        "    适用 于 发文，名义 为 区政府 或 区政府党组；\n"
        "    秘书股 拟办；\n"
        "    然后 分管副主任 审核；\n"
        "    然后 分管副区长 审签 与 主任 审签；\n"
        "    然后 区长 签发 若 名义 为 区政府 与 党组书记 签发 若 名义 为 区政府党组。\n"
    ) in text
    en = format_rules(parsed(A29), "en", bundled_program())
    assert (
        "  rule a29.3: procedure office_document:\n"
        "    applies to outgoing, name is office;\n"
        "    secretariat propose;\n"
        "    then deputy_in_charge review;\n"
        "    then office_director sign if not leader_signature and office_director review "
        "if leader_signature and relevant_district_leader sign if leader_signature.\n"
    ) in en


def test_vocabulary_layout() -> None:
    text = format_rules(parsed(VOCABULARY))
    assert text.startswith("# 南昌市西湖区")
    assert "\n词汇：\n  角色 区长 = mayor “mayor” 特性 职务、唯一。\n  角色 常务副区长" in text
    assert (
        "  角色 区领导联系人 = leader_liaison “leader liaison” 特性 职务。\n\n  单位 秘书股" in text
    )
    assert "  行为 签发 = issue “issue” 特性 终结。\n" in text
    en = format_rules(parsed(VOCABULARY), "en", bundled_program())
    assert (
        '\nvocabulary:\n  role 区长 = mayor "mayor" traits post, single.\n' in en
    )  # labels as written
    assert '  condition 秘密文件 = secret "secret document".\n' in en
    assert '  action 签发 = issue "issue" traits ends.\n' in en


def test_strings_use_each_language_quotes() -> None:
    zh = parse_rules('第一条\n  解释 甲读 = a 默认 关闭："他说 “是”"。', "q.rules")
    assert format_rules(zh) == '第一条\n  解释 甲读 = a 默认 关闭："他说 “是”"。\n'
    en = format_rules(zh, "en")
    assert en == 'article 1\n  interpretation 甲读 = a default disabled: "他说 “是”".\n'
    en_quote = parse_rules('article 1\n  interpretation a default enabled: “say "yes"”.', "q")
    assert format_rules(en_quote) == 'article 1\n  interpretation a default enabled: “say "yes"”.\n'
    assert format_rules(parse_rules(format_rules(en_quote), "q")) == format_rules(en_quote)


@pytest.mark.parametrize(
    ("header", "zh", "en"),
    [
        ("第一百零五条", "第一百零五条", "article 105"),
        ("article 10", "第十条", "article 10"),
        ("第45条", "第四十五条", "article 45"),
    ],
)
def test_article_headers(header: str, zh: str, en: str) -> None:
    rule_file = parse_rules(f"{header}\n", "h.rules")
    assert format_rules(rule_file, "zh") == f"{zh}\n"
    assert format_rules(rule_file, "en") == f"{en}\n"


def test_empty_and_comment_only_files() -> None:
    assert format_rules(parse_rules("", "e.rules")) == ""
    assert format_rules(parse_rules("  #a\n\n#  b \n", "e.rules")) == "# a\n# b\n"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        format_rules(parsed(A39), "fr")


def test_bundled_files_are_kept_meaningful_by_formatting() -> None:
    """Formatting each bundled file (and translating it) compiles to the same program."""
    expected = compile_files(BUNDLED)
    for lang in (None, "zh", "en"):
        for vocabulary in (None, bundled_program()):
            files = [parse_rules(format_rules(parsed(p), lang, vocabulary), p) for p in BUNDLED]
            assert emit(resolve(files)).program == expected


def test_english_fixtures_compile_to_the_chinese_program() -> None:
    """The English surface of articles 29 and 39 means exactly what the Chinese one does."""
    zh = compile_files((VOCABULARY, A24, A25, A26, A29, A38, A39, RELATIONS))
    en = compile_files((VOCABULARY, EN_A24, EN_A25, A26, EN_A29, EN_A38, EN_A39, RELATIONS))
    assert en == zh
    assert parsed(EN_A29).lang == "en" and parsed(EN_A39).lang == "en"
    assert {k.lang for k in parsed(EN_A29).keywords} == {"en"}
    assert "第" not in read(EN_A29) and "流程" not in read(EN_A29)


def test_english_fixtures_hold_the_chinese_statements_in_order() -> None:
    """Rendered in Chinese with the vocabulary, the fixtures give the bundled statements."""
    program = bundled_program()

    def statements(path: str) -> list[object]:
        rule_file = parse_rules(format_rules(parsed(path), "zh", program), path)
        out: list[object] = []
        for article in rule_file.articles:
            for st in article.statements:
                body = st.body
                if isinstance(body, ast.Interpretation):  # labels and texts are translated
                    name = body.ident.text if body.ident else body.label.text
                    out.append((article.number, "interpretation", name, body.default_enabled))
                else:
                    out.append((article.number, plain(st.guard), plain(body)))
        return out

    assert statements(EN_A29) == statements(A29)
    assert statements(EN_A39) == statements(A39)
    assert statements(EN_A25) == statements(A25)
    assert statements(EN_A24) == statements(A24)
    assert statements(EN_A38) == statements(A38)
