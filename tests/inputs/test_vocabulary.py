"""Inputs follow the policy's vocabulary: its words by identifier or label, nothing else."""

from __future__ import annotations

import functools
from typing import Any

import pytest

import govrules
from govrules.errors import InputError
from govrules.inputs import Vocabulary, Word, load_document, load_org, load_plan
from govrules.resources import bundled_org_file

OUTGOING: dict[str, Any] = {
    "document": {
        "id": "一号",
        "kind": "outgoing",
        "in_name_of": "district_government",
        "fields": ["教育"],
    },
    "trace": [
        {"actor": "秘书股", "action": "propose", "at": "2021-11-01T09:00", "opinion": "拟办"},
        {"actor": "钱副主任", "action": "review", "at": "2021-11-01T10:00", "opinion": "同意"},
    ],
}


@functools.cache
def _policy() -> govrules.Policy:
    return govrules.load_policy()


def _labelled(doc: dict[str, Any]) -> dict[str, Any]:
    """The same document written with the vocabulary's Chinese labels."""
    labels = {
        "outgoing": "发文",
        "district_government": "区政府",
        "propose": "拟办",
        "review": "审核",
    }
    document = {
        k: labels.get(v, v) if isinstance(v, str) else v for k, v in doc["document"].items()
    }
    trace = [{**e, "action": labels[e["action"]]} for e in doc["trace"]]
    return {"document": document, "trace": trace}


def test_labels_and_identifiers_give_the_same_answer() -> None:
    policy = _policy()
    by_ident = policy.check(OUTGOING).to_json("en")
    by_label = policy.check(_labelled(OUTGOING)).to_json("en")
    assert by_ident == by_label
    assert '"kind": "missing_step"' in by_ident  # the trace is unfinished: a real answer


def test_conditions_as_keys_or_as_a_list_are_one_input() -> None:
    org = load_org(bundled_org_file())
    words = _policy().vocabulary
    as_key = {
        "document": {
            "id": "二号",
            "kind": "incoming",
            "fields": ["教育"],
            "needs_instruction": True,
            "secret": False,
        }
    }
    as_list = {
        "document": {"id": "二号", "kind": "收文", "fields": ["教育"], "flags": ["需领导批示"]}
    }
    a = load_document(as_key, org, words).document
    b = load_document(as_list, org, words).document
    assert a.flags == b.flags == ("needs_instruction",)
    assert a.kind == b.kind == "incoming"


def test_a_role_valued_condition_sets_its_derived_condition() -> None:
    org = load_org(bundled_org_file())
    doc = {"document": {"id": "三号", "kind": "speech", "fields": ["教育"], "escalate_to": "区长"}}
    d = load_document(doc, org, _policy().vocabulary).document
    assert d.flags == ("escalate_to", "escalate_to_mayor")
    assert d.values == (("escalate_to", "mayor"),)


@pytest.mark.parametrize(
    ("change", "field", "zh", "en"),
    [
        ({"secrets": True}, "document.secrets", "是否应为 'secret'", "did you mean 'secret'"),
        (
            {"escalate_to": "vice_mayor"},
            "document.escalate_to",
            "mayor、executive_vice_mayor",
            "takes one of mayor, executive_vice_mayor",
        ),
        ({"flags": ["跨领域"]}, "document.flags[0]", "只有一个领域时不成立", "one field"),
        ({"kind": "outgoing"}, "document.in_name_of", "必须写明 in_name_of", "needs in_name_of"),
    ],
)
def test_words_outside_the_vocabulary_are_refused(
    change: dict[str, Any], field: str, zh: str, en: str
) -> None:
    org = load_org(bundled_org_file())
    doc = {"document": {"id": "四号", "kind": "incoming", "fields": ["教育"], **change}}
    with pytest.raises(InputError) as info:
        load_document(doc, org, _policy().vocabulary)
    assert info.value.location.field == field
    assert zh in info.value.message.zh and en in info.value.message.en


def test_an_unknown_action_or_absence_kind_names_the_policy_words() -> None:
    org = load_org(bundled_org_file())
    words = _policy().vocabulary
    doc = {**OUTGOING, "trace": [{"actor": "秘书股", "action": "proposes", "at": "2021-11-01"}]}
    with pytest.raises(InputError) as info:
        load_document(doc, org, words)
    assert info.value.location.field == "trace[0].action"
    assert "did you mean 'propose'" in info.value.message.en
    plan = {
        "absences": [
            {"who": "钱副主任", "kind": "holiday", "from": "2021-03-01", "to": "2021-03-02"}
        ]
    }
    with pytest.raises(InputError) as info:
        load_plan(plan, org, words)
    assert info.value.location.field == "absences[0].kind"
    assert "vacation (休假)" in info.value.message.en
    labelled = {"absences": [{**plan["absences"][0], "kind": "休假"}]}
    assert load_plan(labelled, org, words).absences[0].kind == "vacation"


def test_another_policy_s_words_are_its_own() -> None:
    """The same input checked against another vocabulary: only that vocabulary counts."""
    org = load_org(bundled_org_file())
    words = Vocabulary.of(
        [
            ("document", Word("circular", "通报", "circular")),
            ("action", Word("countersign", "会签", "countersign")),
            ("flag", Word("urgent", "特急", "urgent")),
            ("flag", Word("lead_unit", "主办单位", "lead unit", ("person",))),
        ]
    )
    doc: dict[str, Any] = {
        "document": {"id": "五号", "kind": "通报", "特急": True, "lead_unit": "钱副主任"},
        "trace": [{"actor": "钱副主任", "action": "会签", "at": "2021-11-01"}],
    }
    loaded = load_document(doc, org, words)
    assert loaded.document.kind == "circular"
    assert loaded.document.flags == ("lead_unit", "urgent")
    assert loaded.document.values == (("lead_unit", "钱副主任"),)
    assert loaded.trace[0].action == "countersign"
    with pytest.raises(InputError, match="not one"):
        load_document({**doc, "document": {**doc["document"], "lead_unit": "无名氏"}}, org, words)
    with pytest.raises(InputError, match="unknown document kind 'outgoing'"):
        load_document(OUTGOING, org, words)
