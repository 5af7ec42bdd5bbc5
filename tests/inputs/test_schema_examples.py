"""The committed JSON Schemas match the models, and the bundled examples are valid inputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import govrules
from govrules.inputs import load_document, load_org, load_plan
from govrules.inputs.schema import SCHEMA_MODELS, json_schemas, render_schema, write_schemas

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
EXAMPLES = ROOT / "policy" / "xihu-office-2020" / "examples"


def test_committed_schemas_are_current() -> None:
    """The committed schemas are the bundled policy's: its words are the enums."""
    vocabulary = govrules.load_policy().vocabulary
    if os.environ.get("GOVRULES_UPDATE_SCHEMAS"):
        write_schemas(SCHEMAS, vocabulary)
    for name, schema in json_schemas(vocabulary).items():
        path = SCHEMAS / f"{name}.schema.json"
        assert path.read_text(encoding="utf-8") == render_schema(schema), (
            f"{path} is stale: run GOVRULES_UPDATE_SCHEMAS=1 pytest tests/inputs"
        )


def test_schemas_describe_the_contract_keys() -> None:
    schemas = {
        name: json.loads((SCHEMAS / f"{name}.schema.json").read_text()) for name in SCHEMA_MODELS
    }
    absence = schemas["plan"]["$defs"]["Absence"]
    assert absence["required"] == ["who", "kind", "from", "to"]
    assert absence["additionalProperties"] is False
    document = schemas["document"]["$defs"]["Document"]["properties"]
    assert document["kind"]["enum"] == [
        "outgoing",
        "incoming",
        "minutes",
        "speech",
        "agenda_item",
        "important_draft",
        *("发文", "收文", "会议纪要", "讲话稿", "会议议题", "重要公文"),
    ]
    assert document["secret"] == {
        "type": "boolean",
        "title": "秘密文件",
        "description": "secret document",
    }
    assert document["escalate_to"]["enum"][:3] == ["mayor", "executive_vice_mayor", "vice_mayor"]
    assert "cross_field" not in document  # follows from the fields
    assert schemas["document"]["$defs"]["Document"]["additionalProperties"] is False
    person = schemas["org"]["$defs"]["Person"]["properties"]
    assert person["name"]["maxLength"] == 200 and person["name"]["minLength"] == 1
    assert schemas["calendar"]["properties"]["years"]["propertyNames"] == {"pattern": "^[0-9]{4}$"}


def test_example_org_is_a_realistic_office() -> None:
    org = load_org(EXAMPLES / "org.yaml")

    def having(role: str) -> list[str]:
        return [p.name for p in org.people if role in p.roles]

    assert having("mayor") == ["张区长"] and having("government_party_secretary") == ["张区长"]
    assert len(having("executive_vice_mayor")) == 1 and len(having("vice_mayor")) == 4
    assert having("office_director") == ["赵主任"]
    deputies = [org.person(n) for n in having("deputy_director")]
    assert len(deputies) == 4 and len(having("leader_liaison")) == 2
    assert len(having("office_party_deputy_secretary")) == 1
    mayors = [org.person(n) for n in having("vice_mayor") + having("executive_vice_mayor")]
    mayor_fields = {f for m in mayors if m for f in m.fields}
    for deputy in deputies:
        assert deputy is not None and deputy.backup
        assert set(deputy.fields) <= mayor_fields
    assert org.unit_id("秘书股") == "secretariat"


@pytest.mark.parametrize(
    ("name", "in_name_of", "actions"),
    [
        (
            "doc-outgoing.yaml",
            "district_government",
            ["propose", "review", "sign", "sign", "issue"],
        ),
        ("doc-office.yaml", "office", ["propose", "review", "sign"]),
        (
            "doc-bad-order.yaml",
            "district_government",
            ["propose", "sign", "review", "sign", "issue"],
        ),
    ],
)
def test_example_documents(name: str, in_name_of: str, actions: list[str]) -> None:
    doc = load_document(EXAMPLES / name, load_org(EXAMPLES / "org.yaml"))
    assert doc.document.kind == "outgoing" and doc.document.in_name_of == in_name_of
    assert [e.action for e in doc.trace] == actions
    assert [e.at for e in doc.trace] == sorted(e.at for e in doc.trace)


def test_example_plan() -> None:
    plan = load_plan(EXAMPLES / "plan.yaml", load_org(EXAMPLES / "org.yaml"))
    assert {a.from_.year for a in plan.absences} == {2021}
    by_who = {a.who: a for a in plan.absences}
    deputy, mayor = by_who["钱副主任"], by_who["王副区长"]
    assert deputy.kind == mayor.kind == "vacation"
    assert deputy.covers(mayor.from_) and deputy.covers(mayor.to)
    assert [r.to for r in by_who["赵主任"].reported] == ["张区长"]  # 李副区长 missing
