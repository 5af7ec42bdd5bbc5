"""Article 25 on documents (issue 14): an entry done on behalf of someone away (acting_for),
validated against the acting rules and, with a plan, the absences of that day."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.errors import InputError
from govrules.inputs import load_org
from govrules.resources import bundled_org_file

ORG = load_org(bundled_org_file())
AWAY = {
    "absences": [
        {"who": "赵主任", "kind": "business_trip", "from": "2021-06-21", "to": "2021-06-22"}
    ]
}
LATER = {
    "absences": [
        {"who": "赵主任", "kind": "business_trip", "from": "2021-06-24", "to": "2021-06-25"}
    ]
}


def document(signer: str, acting_for: str | None = "赵主任") -> dict[str, Any]:
    sign: dict[str, Any] = {
        "actor": signer,
        "action": "sign",
        "at": "2021-06-22 09:00",
        "opinion": "同意",
    }
    if acting_for is not None:
        sign["acting_for"] = acting_for
    return {
        "document": {"id": "T1", "kind": "outgoing", "in_name_of": "office", "fields": ["财政"]},
        "trace": [
            {
                "actor": "秘书股",
                "action": "propose",
                "at": "2021-06-21 09:10",
                "opinion": "拟请审核",
            },
            {"actor": "孙副主任", "action": "review", "at": "2021-06-21 16:20", "opinion": "同意"},
            sign,
        ],
    }


def kinds(policy: Policy, doc: dict[str, Any], plan: Any = None, **interp: bool) -> list[str]:
    result = policy.check(doc, ORG, plan=plan, interpretations=interp)
    return sorted(f.kind for f in result.findings)


def test_the_presiding_deputy_signs_for_the_absent_director(policy: Policy) -> None:
    # On main: no_power for 钱副主任 and the director's missing 审签.
    assert kinds(policy, document("钱副主任"), AWAY) == []


def test_without_a_plan_the_absence_is_not_verified(policy: Policy) -> None:
    result = policy.check(document("钱副主任"), ORG)
    assert [(f.kind, f.severity) for f in result.findings] == [("acting_unverified", "warning")]
    assert result.compliant


def test_acting_for_someone_not_away_that_day(policy: Policy) -> None:
    # The claim is one finding (article 25), not also no_power; the director's step is missing.
    assert kinds(policy, document("钱副主任"), LATER) == ["acting_not_away", "missing_step"]


def test_acting_for_someone_no_rule_names_you_for(policy: Policy) -> None:
    found = policy.check(document("周副主任"), ORG, plan=AWAY).findings
    assert sorted(f.kind for f in found) == ["acting_not_named", "missing_step"]
    (claim,) = [f for f in found if f.kind == "acting_not_named"]
    assert claim.article == 25 and claim.facts == {
        "entry": 3,
        "actor": "周副主任",
        "acting_for": "赵主任",
    }


def test_with_presiding_powers_off_the_entry_is_the_actor_s_own(policy: Policy) -> None:
    found = kinds(policy, document("钱副主任"), AWAY, presiding_powers=False)
    assert found == ["missing_step", "no_power"]


def test_acting_for_names_a_person(policy: Policy) -> None:
    with pytest.raises(InputError) as caught:
        policy.check(document("钱副主任", acting_for="赵主仼"), ORG, plan=AWAY)
    assert "acting_for" in caught.value.render("en")


def test_check_cli_takes_a_plan(tmp_path: Path, policy: Policy) -> None:
    doc, plan = tmp_path / "doc.json", tmp_path / "plan.json"
    doc.write_text(json.dumps(document("钱副主任"), ensure_ascii=False), encoding="utf-8")
    plan.write_text(json.dumps(AWAY, ensure_ascii=False), encoding="utf-8")
    org = str(bundled_org_file())
    args = ["check", str(doc), "--org", org, "--format", "json"]
    with_plan = CliRunner().invoke(cli, [*args, "--plan", str(plan)])
    assert with_plan.exit_code == 0, with_plan.output
    assert json.loads(with_plan.output)["findings"] == []
    without = CliRunner().invoke(cli, args)
    assert [f["kind"] for f in json.loads(without.output)["findings"]] == ["acting_unverified"]
