"""Checks across values: unique names, and every name referring to someone who exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules.errors import InputError
from govrules.inputs import (
    Document,
    DocumentFile,
    Organisation,
    Plan,
    check_roles,
    load_document,
    load_org,
    load_plan,
)

from .helpers import ORG_YAML, ExpectError, Write

ROLES = {
    "mayor": "区长",
    "government_party_secretary": "党组书记",
    "vice_mayor": "副区长",
    "office_director": "主任",
    "deputy_director": "副主任",
}


def test_duplicate_person_reports_second_and_names_first(
    write: Write, expect_error: ExpectError
) -> None:
    text = ORG_YAML.replace("- name: 孙副主任", "- name: 钱副主任")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[4].name",
        line=14,
        zh=["名称 '钱副主任' 重复", "第 10 行已使用"],
        en=["the name '钱副主任' is used twice", "already on line 10"],
    )


def test_person_and_unit_share_a_name(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("- name: 赵主任", "- name: 秘书股")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="units.secretariat",
        line=18,
        zh=["名称 '秘书股' 重复", "第 8 行已使用"],
        en=["the name '秘书股' is used twice", "already on line 8"],
    )


def test_duplicate_without_positions_names_the_first_path(expect_error: ExpectError) -> None:
    data = {
        "district": "x",
        "people": [{"name": "甲", "roles": ["mayor"]}, {"name": "甲", "roles": ["vice_mayor"]}],
    }
    expect_error(
        lambda: load_org(data),
        field="people[1].name",
        line=None,
        zh=["名称 '甲' 重复", "people[0].name已使用"],
        en=["already on people[0].name"],
    )


def test_reports_to_unknown_person(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("    backup: [孙副主任]", "    reports_to: [王付区长]")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[3].reports_to[0]",
        line=13,
        column=18,
        zh=["reports_to 中的 '王付区长' 不是本组织的人员", "是否应为 '王副区长'"],
        en=["'王付区长' in reports_to is not a person", "did you mean '王副区长'?"],
    )


def test_backup_unknown_and_self(write: Write, expect_error: ExpectError) -> None:
    text = ORG_YAML.replace("backup: [孙副主任]", "backup: [李副主任]")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[3].backup[0]",
        line=13,
        zh=["backup 中的 '李副主任' 不是本组织的人员"],
        en=["'李副主任' in backup is not a person of the organisation"],
    )
    text = ORG_YAML.replace("backup: [孙副主任]", "backup: [钱副主任]")
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="people[3].backup[0]",
        line=13,
        zh=["backup 不能是本人"],
        en=["backup cannot name oneself"],
    )


DOC = """\
document: {id: 一号, kind: incoming, fields: [教育], needs_instruction: true}
trace:
  - {actor: 秘书股, action: propose, at: 2021-10-08T09:30}
  - {actor: secretariat, action: circulate, at: 2021-10-08T09:40}
  - {actor: 钱副主任, action: review, at: 2021-10-08T15:00}
"""


def test_trace_actors_by_person_unit_name_or_unit_id(write: Write, org_file: Path) -> None:
    doc = load_document(write("doc.yaml", DOC), load_org(org_file))
    assert [e.actor for e in doc.trace] == ["秘书股", "secretariat", "钱副主任"]


def test_trace_actor_unknown(write: Write, org_file: Path, expect_error: ExpectError) -> None:
    org = load_org(org_file)
    expect_error(
        lambda: load_document(write("doc.yaml", DOC.replace("钱副主任", "钱主任")), org),
        field="trace[2].actor",
        line=5,
        column=13,
        zh=["执行者 '钱主任' 既不是本组织的人员，也不是其单位", "是否应为 '钱副主任'", "秘书股"],
        en=["the actor '钱主任' is neither a person nor a unit", "units: 秘书股"],
    )


PLAN = """\
absences:
  - {who: 钱副主任, kind: vacation, from: 2021-03-01, to: 2021-03-05}
  - who: 孙副主任
    kind: sick
    from: 2021-04-01
    to: 2021-04-01
    reported: [{to: 赵主任, on: 2021-04-01}, {to: 张副区长, on: 2021-04-01}]
"""


def test_plan_who_must_be_a_person(write: Write, org_file: Path, expect_error: ExpectError) -> None:
    org = load_org(org_file)
    expect_error(
        lambda: load_plan(write("plan.yaml", PLAN.replace("who: 钱副主任", "who: 秘书股")), org),
        field="absences[0].who",
        line=2,
        zh=["who 中的 '秘书股' 不是本组织的人员", "人员：张区长、王副区长"],
        en=["'秘书股' in who is not a person", "people: 张区长, 王副区长"],
    )


def test_plan_reported_to_must_be_a_person(
    write: Write, org_file: Path, expect_error: ExpectError
) -> None:
    expect_error(
        lambda: load_plan(write("plan.yaml", PLAN), load_org(org_file)),
        field="absences[1].reported[1].to",
        line=7,
        zh=["reported.to 中的 '张副区长' 不是本组织的人员", "是否应为"],
        en=["'张副区长' in reported.to is not a person", "did you mean"],
    )


def test_check_roles_uses_the_remembered_source(org_file: Path, expect_error: ExpectError) -> None:
    org = load_org(org_file)
    check_roles(org, {**ROLES, "leader_liaison": "区领导联系人"})
    vocabulary = {k: v for k, v in ROLES.items() if k != "deputy_director"}
    vocabulary["deputy_director_"] = "副主任"
    expect_error(
        lambda: check_roles(org, vocabulary),
        field="people[3].roles[0]",
        line=11,
        column=13,
        zh=[
            "未知的角色 'deputy_director'",
            "是否应为 'deputy_director_'（副主任）",
            "mayor（区长）",
        ],
        en=["unknown role 'deputy_director'", "did you mean 'deputy_director_' (副主任)?"],
    )


def test_check_roles_on_a_python_org(expect_error: ExpectError) -> None:
    org = load_org({"district": "x", "people": [{"name": "甲", "roles": ["mayr"]}]})
    expect_error(
        lambda: check_roles(org, ROLES, None),
        field="people[0].roles[0]",
        line=None,
        zh=["未知的角色 'mayr'", "'mayor'（区长）"],
        en=["unknown role 'mayr', did you mean 'mayor' (区长)?", "the policy's roles: mayor"],
    )


def test_models_are_returned_as_is_after_the_check(org_file: Path) -> None:
    org = load_org(org_file)
    assert load_org(org) is org
    plan = Plan.model_validate(
        {
            "absences": [
                {"who": "钱副主任", "kind": "sick", "from": "2021-01-04", "to": "2021-01-04"}
            ]
        }
    )
    assert load_plan(plan, org) is plan
    doc = Document(id="x", kind="minutes")
    loaded = load_document(doc, org)
    assert isinstance(loaded, DocumentFile) and loaded.document is doc


def test_models_are_still_cross_checked(org_file: Path, expect_error: ExpectError) -> None:
    org = load_org(org_file)
    plan = Plan.model_validate(
        {"absences": [{"who": "无名氏", "kind": "sick", "from": "2021-01-04", "to": "2021-01-04"}]}
    )
    expect_error(
        lambda: load_plan(plan, org),
        field="absences[0].who",
        line=None,
        zh=["'无名氏' 不是本组织的人员"],
        en=["'无名氏' in who is not a person"],
    )
    twice = Organisation.model_validate(
        {"district": "x", "people": [{"name": "甲", "roles": ["a"]}], "units": {"甲": "乙"}}
    )
    with pytest.raises(InputError, match="used twice"):
        load_org(twice)


def test_wrong_model_type_is_a_programming_error(org_file: Path) -> None:
    org = load_org(org_file)
    with pytest.raises(TypeError, match="expected Plan"):
        load_plan(org, org)  # type: ignore[arg-type]
