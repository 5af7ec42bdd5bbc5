"""Analysis over a bounded space of scenarios: the bundled policy is clean, and a rule file
broken on purpose shows each kind of problem, with its rules and a concrete scenario."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from govrules.analyze import Analysis, analyze
from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

BROKEN = """第二十九条
  # 禁止分管副主任审核：与本条要求的审核步骤矛盾。
  规则 a29.10：禁止 分管副主任 审核。
  # 区长签发先于秘书股拟办：与本条的先后成环。
  规则 a29.11：流程 区政府行文 中 区长 签发 先于 秘书股 拟办。
  # 公文不可能既是发文又是收文：这条权限永不起作用。
  规则 a29.12：主任 有权 审核：发文，收文。
  # 既是又不是副主任：没有人能担任「无人」。
  规则 a29.13：定义 无人：是 副主任，且 非 是 副主任。
  规则 a29.14：流程 测试流程：
    适用 于 会议纪要；
    无人 审核。
"""


def test_the_bundled_policy_is_clean(policy: Policy) -> None:
    result = analyze(policy)
    assert result.problems == [] and result.compliant
    assert result.rules_checked == len(policy.program.rules)
    assert result.grounding["rules"] > 0


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    folder = tmp_path_factory.mktemp("policy") / "broken"
    shutil.copytree(bundled_policy_dir(), folder)
    vocabulary = folder / "vocabulary.rules"
    vocabulary.write_text(
        vocabulary.read_text(encoding="utf-8")
        + "  关系 无人 = nobody “nobody”。\n  流程 测试流程 = broken_procedure “broken”。\n",
        encoding="utf-8",
    )
    (folder / "rules" / "zz-broken.rules").write_text(BROKEN, encoding="utf-8")
    return analyze(Policy.load(folder, use_cache=False))


def _rules(result: Analysis, kind: str) -> list[list[str]]:
    return [[r.ident for r in p.rules] for p in result.problems if p.kind == kind]


def test_a_required_step_that_a_rule_forbids_is_found(broken: Analysis) -> None:
    found = _rules(broken, "forbidden_step")
    assert found and all(pair[1] == "a29.10" for pair in found)
    assert ["a29.1", "a29.10"] in found
    [witness] = [p.witness for p in broken.problems if p.rules[0].ident == "a29.1"
                 and p.kind == "forbidden_step"]  # fmt: skip
    assert witness is not None and witness["document"]["kind"] == "outgoing"


def test_a_precedence_cycle_is_found_with_its_rules_and_scenario(broken: Analysis) -> None:
    [cycle] = [p for p in broken.problems if p.kind == "cycle"]
    assert {"a29.1", "a29.11"} <= {r.ident for r in cycle.rules}
    assert cycle.witness is not None
    assert cycle.witness["document"]["in_name_of"] == "district_government"


def test_rules_that_never_fire_are_found(broken: Analysis) -> None:
    never = {r[0] for r in _rules(broken, "never_fires")}
    assert {"a29.12", "a29.13"} <= never  # the impossible power; the empty definition
    assert "a29.1" not in never


def test_a_step_nobody_can_fill_is_found(broken: Analysis) -> None:
    [step] = [p for p in broken.problems if p.kind == "unfillable_step"]
    assert [r.ident for r in step.rules] == ["a29.14"]
    assert step.witness is not None and step.witness["document"]["kind"] == "minutes"
    assert "无人" in step.message.zh


def test_the_cli_exits_1_on_problems_and_names_them(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from govrules.cli.main import cli

    folder = tmp_path / "p"
    shutil.copytree(bundled_policy_dir(), folder)
    (folder / "rules" / "zz.rules").write_text(
        "第二十九条\n  禁止 分管副主任 审核。\n", encoding="utf-8"
    )  # unnamed: its id is the article and a hash of the statement
    result = CliRunner().invoke(cli, ["analyze", "--policy", str(folder), "--lang", "en"])
    assert result.exit_code == 1
    assert "[forbidden_step]" in result.stdout
    [unnamed] = [r for r in Policy.load(folder, use_cache=False).program.rules
                 if r.source.file.endswith("zz.rules")]  # fmt: skip
    assert re.fullmatch(r"a29\.[0-9a-f]{6}", unnamed.ident) and unnamed.ident in result.stdout
