"""Model validation: one message per file, for the first problem, in both languages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pydantic_core import ErrorDetails

from govrules.inputs import load_document, load_org, load_plan
from govrules.inputs.messages import describe

from .helpers import (
    DOC_YAML,
    ORG_YAML,
    PLAN_YAML,
    ExpectError,
    Write,
    bundled_words,
    load_doc_with,
    load_plan_with,
)


def test_valid_files_load(write: Write, org_file: Path) -> None:
    org = load_org(org_file)
    doc = load_document(write("doc.yaml", DOC_YAML), org, bundled_words())
    assert doc.document.lead_field == "教育"
    assert doc.document.received == datetime(2021, 10, 8, 9, 0)
    assert doc.trace[1].at == datetime(2021, 10, 8, 15, 0)
    assert doc.document.flags == ("cross_field",)  # two fields
    plan = load_plan(write("plan.yaml", PLAN_YAML), org)
    assert plan.absences[0].from_ == date(2021, 3, 1)
    assert plan.absences[0].days == 5


def test_missing_key(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("    roles: [vice_mayor]\n", "")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[1].roles",
        line=5,
        zh=["缺少必填的键 'roles'"],
        en=["missing required key 'roles'"],
    )


def test_unknown_key_suggests_the_close_one(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("    roles: [vice_mayor]", "    rols: [vice_mayor]")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[1].rols",
        line=6,
        column=5,
        zh=["未知的键 'rols'", "是否应为 'roles'", "允许的键：name, roles, fields"],
        en=["unknown key 'rols'", "did you mean 'roles'?", "allowed keys: name, roles, fields"],
    )


def test_unknown_key_without_a_close_one(write: Write, expect_error: ExpectError) -> None:
    err = expect_error(
        lambda: load_org(write("org.yaml", ORG_YAML + "telephone: 123\n")),
        field="telephone",
        line=19,
        zh=["未知的键 'telephone'", "允许的键：district, people, units"],
        en=["unknown key 'telephone'", "allowed keys: district, people, units"],
    )
    assert "did you mean" not in err.render("en")


def test_literal_lists_allowed_values(
    write: Write, org_file: Path, expect_error: ExpectError
) -> None:
    expect_error(
        lambda: load_doc_with(write, org_file, "kind: outgoing", "kind: outgoin"),
        field="document.kind",
        line=3,
        column=9,
        zh=[
            "未知的公文类别 'outgoin'，是否应为 'outgoing'？",
            "outgoing（发文）、incoming（收文）",
        ],
        en=["unknown document kind 'outgoin', did you mean 'outgoing'?", "outgoing (发文)"],
    )


def test_boolean(write: Write, org_file: Path, expect_error: ExpectError) -> None:
    expect_error(
        lambda: load_doc_with(write, org_file, "  received:", "  secret: maybe\n  received:"),
        field="document.secret",
        line=6,
        zh=["条件 secret（秘密文件）的值应为 true 或 false，而不是 'maybe'"],
        en=["the condition secret (secret document) takes true or false, not 'maybe'"],
    )


def test_text_too_long(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("district: 南昌市西湖区", "district: " + "区" * 201)
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="district",
        line=1,
        zh=["应为不超过 200 个字符的文本", "201 个字符"],
        en=["expected text of at most 200 characters", "found 201 characters"],
    )


def test_text_empty(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("fields: [教育, 卫生]", "fields: [教育, '  ']")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[1].fields[1]",
        line=7,
        column=18,
        zh=["应为非空文本"],
        en=["expected non-empty text"],
    )


def test_control_character(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("- name: 赵主任", '- name: "赵\\x07主任"')
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[2].name",
        line=8,
        zh=["控制字符 U+0007", "第 2 个字符", "名称、领域和编号不能包含控制字符"],
        en=["control character U+0007", "character 2", "may not contain control characters"],
    )


def test_opinion_allows_line_breaks_but_not_other_controls(
    write: Write, org_file: Path, expect_error: ExpectError
) -> None:
    org = load_org(org_file)
    text = DOC_YAML.replace("opinion: 同意}", 'opinion: "同意\\n请办"}')
    assert load_document(write("doc.yaml", text), org).trace[1].opinion == "同意\n请办"
    expect_error(
        lambda: load_doc_with(write, org_file, "opinion: 同意}", 'opinion: "同意\\x1b"}'),
        field="trace[1].opinion",
        line=9,
        zh=["控制字符 U+001B", "意见中只允许换行和制表符"],
        en=["control character U+001B", "line breaks and tabs"],
    )


def test_number_where_text_expected(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("fields: [财政]", "fields: [2021]")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[4].fields[0]",
        line=16,
        zh=["应为文本", "数字 2021"],
        en=["expected text", "quote numbers", "found the number 2021"],
    )


def test_mapping_expected(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("units:\n  secretariat: 秘书股\n", "units: [秘书股]\n")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="units",
        line=17,
        zh=["应为映射（键: 值）", "一个 1 项的列表"],
        en=["expected a mapping (key: value)", "a list of 1 items"],
    )
    expect_error(
        lambda: load_org(write("org.yaml", "district: x\npeople: [张区长]\n")),
        field="people[0]",
        line=2,
        zh=["应为映射", "'张区长'"],
        en=["expected a mapping", "found '张区长'"],
    )


def test_in_name_of_required_for_outgoing(
    write: Write, org_file: Path, expect_error: ExpectError
) -> None:
    expect_error(
        lambda: load_doc_with(write, org_file, "  in_name_of: district_government\n", ""),
        field="document.in_name_of",
        line=1,  # the mapping that lacks the key
        zh=["outgoing 类公文必须写明 in_name_of", "district_government（区政府）"],
        en=["a document of kind outgoing needs in_name_of", "office_party_group"],
    )


def test_in_name_of_rejected_otherwise(
    write: Write, org_file: Path, expect_error: ExpectError
) -> None:
    expect_error(
        lambda: load_doc_with(write, org_file, "kind: outgoing", "kind: incoming"),
        field="document.in_name_of",
        line=4,
        zh=["incoming 类公文没有 in_name_of", "请删除该键"],
        en=["a document of kind incoming has no in_name_of", "remove the key"],
    )


def test_to_before_from(write: Write, org_file: Path, expect_error: ExpectError) -> None:
    expect_error(
        lambda: load_plan_with(write, org_file, "to: 2021-03-05", "to: 2021-02-28"),
        field="absences[0].to",
        line=5,
        zh=["结束日期 to（2021-02-28）早于开始日期 from（2021-03-01）"],
        en=["the end date to (2021-02-28) is before the start date from (2021-03-01)"],
    )


def test_first_problem_in_file_order_and_count(write: Write, expect_error: ExpectError) -> None:
    # pydantic reports `district` (declared first) before people; the file has it last.
    text = ORG_YAML.replace("district: 南昌市西湖区\n", "").replace("[vice_mayor]", "vice_mayor")
    text += "district: [x]\n"
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[1].roles",
        line=5,
        zh=["应为列表", "另有 1 处问题"],
        en=["expected a list", "(1 more problem)"],
    )


def test_generic_fallback_message() -> None:
    error: ErrorDetails = {
        "type": "uuid_parsing",
        "loc": ("x",),
        "msg": "Input should be a valid UUID",
        "input": "abc",
    }
    message = describe(error)
    assert message.zh == "无效的值 'abc'（Input should be a valid UUID）"
    assert message.en == "invalid value 'abc': Input should be a valid UUID"


def test_lone_surrogate_from_json(write: Write, expect_error: ExpectError) -> None:
    text = '{"district": "x",\n "people": [{"name": "\\ud800", "roles": ["mayor"]}]}'
    err = expect_error(
        lambda: load_org(write("org.json", text)),
        field="people[0].name",
        line=2,
        zh=["含有无效的 Unicode 字符"],
        en=["contains invalid Unicode (a lone surrogate"],
    )
    err.render("zh").encode("utf-8")  # printable: no lone surrogate left in the message
