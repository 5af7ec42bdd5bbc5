"""Behaviour of the statement forms for documents, through route, check and why-not on the
second bundled policy (policy/party-gov-docs-2012), which is written with them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.resources import data_root

DIR = data_root() / "policy" / "party-gov-docs-2012"
ORG = DIR / "examples" / "org.yaml"
HEADS = ["林省长", "周副省长", "何副省长"]
OFF = {"head_in_charge_signs": False}
IN_CHARGE = {"head_in_charge_signs": True}


@pytest.fixture(scope="module")
def second() -> Policy:
    return Policy.load(DIR)


def _notice(signers: list[str], doc_id: str = "东政发〔2024〕90号") -> dict[str, Any]:
    trace = [
        {"actor": "省交通运输厅", "action": "起草", "at": "2024-03-04T09:00"},
        {"actor": "省政府办公厅", "action": "审核", "at": "2024-03-05T10:00", "opinion": "呈签"},
    ]
    trace += [
        {"actor": who, "action": "签发", "at": f"2024-03-06T{10 + n:02d}:00", "opinion": "同意"}
        for n, who in enumerate(signers)
    ]
    trace += [
        {"actor": "省政府办公厅秘书处", "action": a, "at": f"2024-03-07T{9 + n:02d}:00"}
        for n, a in enumerate(["复核", "登记", "印制", "核发"])
    ]
    document = {"id": doc_id, "kind": "通知", "drafter": "省交通运输厅", "fields": ["交通"]}
    return {"document": document, "trace": trace}


def test_one_of_a_role_is_one_step_and_one_place_in_every_order(
    second: Policy, tmp_path: Path
) -> None:
    """With the alternative, a notice has one sign-off step and one order; written for every
    holder (机关负责人 签发) it has three sign-offs, in any of 3! orders."""
    doc = {"document": _notice([])["document"]}
    routed = second.route(doc, ORG, interpretations=OFF)
    signing = [s for s in routed.steps if s.action == "sign_off"]
    assert [(s.id, s.role) for s in signing] == [("sign_off:any:organ_head", "organ_head")]
    assert routed.order_count == 1 and len(routed.orders) == 1
    assert signing[0].to_json(second.program, "zh")["role_label"] == "机关负责人"
    copy = tmp_path / "p"
    shutil.copytree(DIR, copy)
    rules = copy / "rules" / "a19-a22-drafting.rules"
    text = rules.read_text(encoding="utf-8")
    assert "机关负责人 之一 签发。" in text
    rules.write_text(text.replace("机关负责人 之一 签发。", "机关负责人 签发。"), encoding="utf-8")
    every = Policy.load(copy, use_cache=False).route(doc, ORG, interpretations=OFF)
    assert sorted(s.id for s in every.steps if s.action == "sign_off") == sorted(
        f"sign_off:{h}" for h in HEADS
    )
    assert every.order_count == 6


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from([*HEADS, "罗厅长"]), max_size=3))
def test_any_one_head_s_sign_off_does_the_step(second: Policy, signers: list[str]) -> None:
    result = second.check(_notice(signers), ORG, interpretations=OFF)
    kinds = sorted((f.kind, f.facts.get("actor")) for f in result.findings)
    expected = [("no_power", "罗厅长")] * signers.count("罗厅长")
    if not set(signers) & set(HEADS):
        expected.append(("missing_step", "any:organ_head"))
    assert kinds == sorted(expected)
    assert result.compliant is (expected == [])


def test_why_not_names_the_ordering_by_action(second: Policy) -> None:
    doc = {"document": _notice([])["document"]}
    routed = second.route(doc, ORG, interpretations=OFF)
    ids = [s.id for s in routed.steps]
    order = ["write_draft:省交通运输厅", "sign_off:any:organ_head", "vet:省政府办公厅"]
    assert set(order) <= set(ids)
    answer = second.why_not_order(doc, order, ORG, interpretations=OFF).to_dict("en")
    rules = {r["rule"] for reason in answer["reasons"] for r in reason["rules"]}
    assert "a20.3" in rules


def test_counts_as_binds_only_whoever_owes_the_step(second: Policy) -> None:
    """Under the head-in-charge reading only 周 owes the sign-off: 何's circling is no
    sign-off (by default any head signs, and 何's circling would count)."""
    data = _notice([])
    data["trace"].insert(2, {"actor": "周副省长", "action": "圈阅", "at": "2024-03-06T10:00"})
    assert second.check(data, ORG, interpretations=IN_CHARGE).compliant is True
    off = second.check(data, ORG, interpretations={"circling_is_consent": False, **IN_CHARGE})
    assert {f.kind for f in off.findings} == {"missing_step", "circled_only"}
    data["trace"][2]["actor"] = "何副省长"  # not the head in charge of 交通
    assert second.check(data, ORG).compliant is True
    found = second.check(data, ORG, interpretations=IN_CHARGE)
    assert [(f.kind, f.facts["actor"]) for f in found.findings] == [("missing_step", "周副省长")]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("key", "value", "zh"),
    [
        ("联署机关", "省财政厅", "单位名称的列表"),
        ("联署机关", [""], "单位名称的列表"),
        ("办理时限", "下周", "日期或日期时间"),
    ],
)
def test_a_badly_typed_value_is_one_clear_message(
    tmp_path: Path, key: str, value: object, zh: str
) -> None:
    data = _notice(["周副省长"])
    data["document"][key] = value
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run("check", str(path), "--policy", str(DIR), "--org", str(ORG))
    assert code == 2 and out == "" and zh in err and "Traceback" not in err


def test_the_schema_types_the_list_and_the_time_limit() -> None:
    code, out, _ = run("schema", "document", "--policy", str(DIR))
    assert code == 0
    props = json.loads(out)["$defs"]["Document"]["properties"]
    assert props["co_issuers"]["type"] == "array"
    assert props["handling_deadline"]["type"] == "string"
    assert props["joint"] == {**props["joint"], "type": "boolean"}


def test_list_members_given_by_unit_id_or_name_are_the_same_actor(second: Policy) -> None:
    data = _notice(["周副省长"])
    data["document"] |= {"joint": True, "联署机关": ["finance_dept"]}
    data["trace"].insert(
        3, {"actor": "省财政厅", "action": "会签", "at": "2024-03-06T15:00", "opinion": "同意"}
    )
    assert second.check(data, ORG).compliant is True


@pytest.mark.parametrize(
    ("registered", "late"), [("2024-03-07T13:00", False), ("2024-03-07T13:01", True)]
)
def test_a_deadline_in_hours_counts_the_clock_from_the_entry_before(
    tmp_path: Path, registered: str, late: bool
) -> None:
    """文秘部门 应 在 4 小时 内 完成 登记: the recheck before it is at 09:00."""
    copy = tmp_path / "p"
    shutil.copytree(DIR, copy)
    rules = copy / "rules" / "a24-a25-handling.rules"
    rules.write_text(
        rules.read_text(encoding="utf-8") + "  规则 a25.90：文秘部门 应 在 4 小时 内 完成 登记。\n",
        encoding="utf-8",
    )
    data = _notice(["周副省长"])
    data["trace"][3]["at"] = "2024-03-07T09:00"  # 复核
    data["trace"][4]["at"] = registered  # 登记
    data["trace"][5]["at"] = "2024-03-07T14:00"
    data["trace"][6]["at"] = "2024-03-07T15:00"
    result = Policy.load(copy, use_cache=False).check(data, ORG)
    found = [(f.kind, f.rule, f.facts.get("hours")) for f in result.findings]
    assert found == ([("late_in_hours", "a25.90", 4)] if late else [])
