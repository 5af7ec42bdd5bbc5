"""Issue 14: definitions that point at the person a document names (公文所指 K 之人) or the
trace shows acting (曾 A), defaults guarded by 无人为 R, and applicability on a person's
relation (K 是 R): resolved, emitted and refused where the condition holds no person."""

from __future__ import annotations

import pytest

from govrules.compiler import compile_sources
from govrules.errors import RuleError
from govrules.resources import bundled_policy_dir

VOCABULARY = (bundled_policy_dir() / "vocabulary.rules").read_text(encoding="utf-8")


def _compile(rules: str) -> str:
    compiled = compile_sources({"vocabulary.rules": VOCABULARY, "x.rules": rules})
    return compiled.solver_program


def test_pointing_conditions_compile_to_the_document_and_trace_facts() -> None:
    program = _compile(
        "第二十七条\n"
        "  定义 所指相关领导：是 公文所指 所指领导 之人。\n"
        "  定义 批示的领导：是 区长 或 分管副区长，且 曾 批示。\n"
        "  定义 相关领导：是 所指相关领导，且 无人为 批示的领导。\n"
        "  流程 收文批示：适用 于 收文，会议主持人 是 分管副区长；相关领导 批示。\n"
    )
    assert 'doc_value("leader",P)' in program
    assert 'event(_,P,"instruct")' in program
    assert 'post("vice_mayor_in_charge",P)' in program
    assert 'not post("instructing_leader",_)' in program
    assert 'doc_value_holds("chaired_by","vice_mayor_in_charge")' in program


@pytest.mark.parametrize(
    "rule",
    [
        "  定义 所指相关领导：是 公文所指 需领导批示 之人。\n",
        "  流程 收文批示：适用 于 收文，需领导批示 是 分管副区长；分管副主任 审核。\n",
    ],
)
def test_a_condition_without_the_person_trait_is_refused(rule: str) -> None:
    with pytest.raises(RuleError) as caught:
        _compile("第二十七条\n" + rule)
    assert "特性 人员" in str(caught.value) or "person" in str(caught.value)
